"""The indicator catalogue: each indicator defined once, in three languages, with its version.

`queries/indicators.toml` is the single place where an indicator's meaning lives; this module
loads it, checks it against the mart SQL files it points to (so a renamed column or a forgotten
translation fails the build, not a reader), and renders it three ways: `docs/indicators.md` for
people, `catalogue_rows()` for `meta.indicator` in both DuckDB files, and `mart_specs()` for the
disclosure control, which needs to know which columns are person counts, rates (with their
numerator and denominator), medians and ratios, and which dimensions carry '_T' totals and
hierarchies.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE_PATH = ROOT / "queries" / "indicators.toml"
MARTS_DIR = ROOT / "queries" / "marts"

LANGUAGES: tuple[str, ...] = ("fr", "nl", "en")
UNITS: frozenset[str] = frozenset({"persons", "count", "rate", "ratio", "days", "hours", "flag"})
KINDS: frozenset[str] = frozenset({"person_count", "count", "rate", "median", "ratio", "flag"})
_VERSION = re.compile(r"^\d+\.\d+$")
_COLUMN_DOC = re.compile(r"^--\s*([a-z_][a-z0-9_]*)\s*:\s*(.+)$")

# meta.indicator: column name and DuckDB type, in order (publish creates the table from this).
INDICATOR_COLUMNS: tuple[tuple[str, str], ...] = (
    ("indicator_id", "VARCHAR"),
    ("name_fr", "VARCHAR"),
    ("name_nl", "VARCHAR"),
    ("name_en", "VARCHAR"),
    ("definition_fr", "VARCHAR"),
    ("definition_nl", "VARCHAR"),
    ("definition_en", "VARCHAR"),
    ("unit", "VARCHAR"),
    ("numerator", "VARCHAR"),
    ("denominator", "VARCHAR"),
    ("grain", "VARCHAR"),
    ("source", "VARCHAR"),
    ("relation", "VARCHAR"),
    ("also_in", "VARCHAR"),
    ("column_name", "VARCHAR"),
    ("kind", "VARCHAR"),
    ("numerator_column", "VARCHAR"),
    ("denominator_column", "VARCHAR"),
    ("version", "VARCHAR"),
    ("catalogue_version", "VARCHAR"),
)


class CatalogueError(ValueError):
    """The catalogue disagrees with itself or with the mart SQL files; lists every problem."""


@dataclass(frozen=True)
class Indicator:
    """One indicator: its meaning in three languages and where it is computed."""

    id: str
    names: dict[str, str]
    definitions: dict[str, str]
    unit: str
    numerator: str
    denominator: str
    grain: str
    source: str
    relation: str
    column: str
    version: str
    kind: str
    numerator_column: str | None = None
    denominator_column: str | None = None
    also_in: tuple[str, ...] = ()

    @property
    def relations(self) -> tuple[str, ...]:
        return (self.relation, *self.also_in)


@dataclass(frozen=True)
class PeriodHierarchy:
    """month -> quarter -> year, stored as rows told apart by `type_column`."""

    type_column: str
    value_column: str
    start_column: str
    levels: tuple[str, ...]


@dataclass(frozen=True)
class CommuneHierarchy:
    """Brussels communes -> region code; `when_*` restricts it to rows of one breakdown."""

    column: str
    region: str
    outside: tuple[str, ...] = ()
    when_column: str | None = None
    when_value: str | None = None


@dataclass(frozen=True)
class Breakdown:
    """Long layout: rows of each `column` value add up to the row where it equals `total`."""

    column: str
    value_column: str
    total: str


@dataclass(frozen=True)
class MartSpec:
    """What disclosure control needs to protect one mart.

    `totals` are dimensions with a '_T' code; `non_additive_totals` those whose '_T' is not the
    sum of the other values (overlapping pools); `non_additive_columns` measures that never add
    up (distinct persons, medians). Rates and ratios map to (numerator, denominator) columns,
    medians to the count of the population they are taken over.
    """

    name: str
    grain: str
    dimensions: tuple[str, ...]
    totals: tuple[str, ...]
    non_additive_totals: tuple[str, ...]
    non_additive_columns: tuple[str, ...]
    person_counts: tuple[str, ...]
    counts: tuple[str, ...]
    rates: dict[str, tuple[str, str]]
    medians: dict[str, str]
    ratios: dict[str, tuple[str, str]]
    flags: tuple[str, ...]
    values: tuple[str, ...]
    period: PeriodHierarchy | None = None
    commune: CommuneHierarchy | None = None
    breakdown: Breakdown | None = None
    provisional: str | None = None

    @property
    def measures(self) -> tuple[str, ...]:
        """Every non-dimension column, in kind order."""
        return (
            *self.person_counts,
            *self.counts,
            *self.rates,
            *self.medians,
            *self.ratios,
            *self.flags,
            *self.values,
        )

    @property
    def protected(self) -> tuple[str, ...]:
        """Columns that get a `<column>_flag` column in published.duckdb."""
        return (*self.person_counts, *self.counts, *self.rates, *self.medians, *self.ratios)


@dataclass(frozen=True)
class Catalogue:
    version: str
    indicators: tuple[Indicator, ...]
    marts: dict[str, MartSpec] = field(default_factory=dict)

    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(f"no indicator {indicator_id!r} in the catalogue")


@dataclass(frozen=True)
class SqlDoc:
    """The leading comment block of a mart file: description and documented columns."""

    description: str
    columns: dict[str, str]


def parse_sql_doc(path: Path) -> SqlDoc:
    """Read the leading `--` block: first line = description, then `-- column: text` lines."""
    lines: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line.startswith("--"):
            break
        lines.append(line)
    if not lines:
        raise CatalogueError(f"{path.name}: no leading comment block")
    description = lines[0].lstrip("-").strip()
    columns: dict[str, str] = {}
    for line in lines[1:]:
        match = _COLUMN_DOC.match(line)
        if match:
            columns[match.group(1)] = match.group(2).strip()
    return SqlDoc(description, columns)


def _tuple(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in (value or ()))


def _pair(value: Any) -> tuple[str, str]:
    items = list(value)
    if len(items) != 2:
        raise CatalogueError(f"expected [numerator, denominator], got {value!r}")
    return str(items[0]), str(items[1])


def _mart_spec(name: str, raw: dict[str, Any]) -> MartSpec:
    period = raw.get("period")
    commune = raw.get("commune")
    breakdown = raw.get("breakdown")
    return MartSpec(
        name=name,
        grain=str(raw.get("grain", "")),
        dimensions=_tuple(raw.get("dimensions")),
        totals=_tuple(raw.get("totals")),
        non_additive_totals=_tuple(raw.get("non_additive_totals")),
        non_additive_columns=_tuple(raw.get("non_additive_columns")),
        person_counts=_tuple(raw.get("person_counts")),
        counts=_tuple(raw.get("counts")),
        rates={k: _pair(v) for k, v in (raw.get("rates") or {}).items()},
        medians={k: str(v) for k, v in (raw.get("medians") or {}).items()},
        ratios={k: _pair(v) for k, v in (raw.get("ratios") or {}).items()},
        flags=_tuple(raw.get("flags")),
        values=_tuple(raw.get("values")),
        period=None
        if period is None
        else PeriodHierarchy(
            type_column=period["type_column"],
            value_column=period["value_column"],
            start_column=period["start_column"],
            levels=_tuple(period["levels"]),
        ),
        commune=None
        if commune is None
        else CommuneHierarchy(
            column=commune["column"],
            region=commune["region"],
            outside=_tuple(commune.get("outside")),
            when_column=commune.get("when_column"),
            when_value=commune.get("when_value"),
        ),
        breakdown=None
        if breakdown is None
        else Breakdown(
            column=breakdown["column"],
            value_column=breakdown["value_column"],
            total=breakdown["total"],
        ),
        provisional=raw.get("provisional"),
    )


def _indicator(raw: dict[str, Any]) -> Indicator:
    return Indicator(
        id=str(raw.get("id", "")),
        names={lang: str(raw.get(f"name_{lang}", "")) for lang in LANGUAGES},
        definitions={lang: str(raw.get(f"definition_{lang}", "")) for lang in LANGUAGES},
        unit=str(raw.get("unit", "")),
        numerator=str(raw.get("numerator", "")),
        denominator=str(raw.get("denominator", "")),
        grain=str(raw.get("grain", "")),
        source=str(raw.get("source", "")),
        relation=str(raw.get("relation", "")),
        column=str(raw.get("column", "")),
        version=str(raw.get("version", "")),
        kind=str(raw.get("kind", "")),
        numerator_column=raw.get("numerator_column"),
        denominator_column=raw.get("denominator_column"),
        also_in=_tuple(raw.get("also_in")),
    )


def parse_catalogue(text: str) -> Catalogue:
    """Parse catalogue TOML text without checking it against the SQL files."""
    data = tomllib.loads(text)
    return Catalogue(
        version=str(data.get("catalogue_version", "")),
        indicators=tuple(_indicator(raw) for raw in data.get("indicator", [])),
        marts={name: _mart_spec(name, raw) for name, raw in data.get("marts", {}).items()},
    )


def _check_spec(spec: MartSpec, doc: SqlDoc) -> list[str]:
    problems: list[str] = []
    where = f"[marts.{spec.name}]"
    documented = set(doc.columns)
    classified = [*spec.dimensions, *spec.measures]
    for col in sorted(documented - set(classified)):
        problems.append(f"{where}: column {col} of the SQL file has no kind (dimension or measure)")
    seen: set[str] = set()
    for col in classified:
        if col not in documented:
            problems.append(f"{where}: {col} is not a documented column of {spec.name}.sql")
        if col in seen:
            problems.append(f"{where}: {col} is classified twice")
        seen.add(col)
    for dim in (*spec.totals, *spec.non_additive_totals):
        if dim not in spec.dimensions:
            problems.append(f"{where}: total dimension {dim} is not a dimension")
    for col in spec.non_additive_columns:
        if col not in spec.measures:
            problems.append(f"{where}: non-additive column {col} is not a measure")
    refs = [c for pair in (*spec.rates.values(), *spec.ratios.values()) for c in pair]
    refs += list(spec.medians.values())
    if spec.provisional:
        refs.append(spec.provisional)
    for col in refs:
        if col not in documented:
            problems.append(f"{where}: referenced column {col} is not in {spec.name}.sql")
    for hier_col in (
        *(
            ()
            if spec.period is None
            else (spec.period.type_column, spec.period.value_column, spec.period.start_column)
        ),
        *(() if spec.commune is None else (spec.commune.column,)),
        *(() if spec.breakdown is None else (spec.breakdown.column, spec.breakdown.value_column)),
    ):
        if hier_col not in spec.dimensions:
            problems.append(f"{where}: hierarchy column {hier_col} is not a dimension")
    return problems


def _kind_columns(spec: MartSpec, kind: str) -> tuple[str, ...]:
    return {
        "person_count": spec.person_counts,
        "count": spec.counts,
        "rate": tuple(spec.rates),
        "median": tuple(spec.medians),
        "ratio": tuple(spec.ratios),
        "flag": spec.flags,
    }.get(kind, ())


def _check_indicator(ind: Indicator, catalogue: Catalogue, docs: dict[str, SqlDoc]) -> list[str]:
    problems: list[str] = []
    where = f"indicator {ind.id or '?'}"
    for lang in LANGUAGES:
        if not ind.names[lang].strip():
            problems.append(f"{where}: name_{lang} is missing")
        if not ind.definitions[lang].strip():
            problems.append(f"{where}: definition_{lang} is missing")
    for attr in ("id", "unit", "grain", "source", "relation", "column", "version", "kind"):
        if not str(getattr(ind, attr)).strip():
            problems.append(f"{where}: {attr} is missing")
    if ind.unit and ind.unit not in UNITS:
        problems.append(f"{where}: unit {ind.unit!r} is not one of {sorted(UNITS)}")
    if ind.kind and ind.kind not in KINDS:
        problems.append(f"{where}: kind {ind.kind!r} is not one of {sorted(KINDS)}")
    if ind.version and not _VERSION.match(ind.version):
        problems.append(f"{where}: version {ind.version!r} is not like '1.0'")
    if ind.kind in ("rate", "ratio") and not (ind.numerator_column and ind.denominator_column):
        problems.append(f"{where}: a {ind.kind} needs numerator_column and denominator_column")
    if ind.kind == "median" and not ind.denominator_column:
        problems.append(f"{where}: a median needs denominator_column (its population count)")
    for relation in ind.relations:
        doc = docs.get(relation)
        if doc is None:
            problems.append(f"{where}: relation {relation} has no queries/marts/{relation}.sql")
            continue
        for col in (ind.column, ind.numerator_column, ind.denominator_column):
            if col and col not in doc.columns:
                problems.append(f"{where}: column {col} is not documented in {relation}.sql")
        spec = catalogue.marts.get(relation)
        if spec is not None and ind.column not in _kind_columns(spec, ind.kind):
            problems.append(
                f"{where}: {relation}.{ind.column} is not a {ind.kind} in [marts.{relation}]"
            )
    return problems


def validate(catalogue: Catalogue, marts_dir: Path = MARTS_DIR) -> list[str]:
    """Every problem found, as readable lines; empty when the catalogue is sound."""
    problems: list[str] = []
    if not _VERSION.match(catalogue.version):
        problems.append(f"catalogue_version {catalogue.version!r} is not like '1.0'")
    docs: dict[str, SqlDoc] = {}
    for path in sorted(marts_dir.glob("*.sql")):
        try:
            docs[path.stem] = parse_sql_doc(path)
        except CatalogueError as exc:
            problems.append(str(exc))
    for name in sorted(set(docs) - set(catalogue.marts)):
        problems.append(f"queries/marts/{name}.sql has no [marts.{name}] protection spec")
    for name, spec in catalogue.marts.items():
        if name not in docs:
            problems.append(f"[marts.{name}] has no file queries/marts/{name}.sql")
            continue
        problems.extend(_check_spec(spec, docs[name]))
    ids = [ind.id for ind in catalogue.indicators]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"indicator id {dup} is used more than once")
    for ind in catalogue.indicators:
        problems.extend(_check_indicator(ind, catalogue, docs))
    return problems


def load_catalogue(path: Path = CATALOGUE_PATH, marts_dir: Path = MARTS_DIR) -> Catalogue:
    """Load and validate; raises CatalogueError listing every problem."""
    catalogue = parse_catalogue(path.read_text(encoding="utf-8"))
    problems = validate(catalogue, marts_dir)
    if problems:
        raise CatalogueError("indicator catalogue is inconsistent:\n- " + "\n- ".join(problems))
    return catalogue


@cache
def _default() -> Catalogue:
    return load_catalogue()


def mart_specs() -> dict[str, MartSpec]:
    """Protection spec per mart name (`mart_*`), for pipelines/protection/."""
    return dict(_default().marts)


def catalogue_rows(catalogue: Catalogue | None = None) -> list[dict[str, str | None]]:
    """Rows of meta.indicator, keys in INDICATOR_COLUMNS order."""
    cat = catalogue or _default()
    rows: list[dict[str, str | None]] = []
    for ind in cat.indicators:
        rows.append(
            {
                "indicator_id": ind.id,
                **{f"name_{lang}": ind.names[lang] for lang in LANGUAGES},
                **{f"definition_{lang}": ind.definitions[lang] for lang in LANGUAGES},
                "unit": ind.unit,
                "numerator": ind.numerator,
                "denominator": ind.denominator,
                "grain": ind.grain,
                "source": ind.source,
                "relation": ind.relation,
                "also_in": ", ".join(ind.also_in) or None,
                "column_name": ind.column,
                "kind": ind.kind,
                "numerator_column": ind.numerator_column,
                "denominator_column": ind.denominator_column,
                "version": ind.version,
                "catalogue_version": cat.version,
            }
        )
    return rows


def render_indicator_docs(catalogue: Catalogue | None = None) -> str:
    """docs/indicators.md as text: one section per indicator, in catalogue order."""
    cat = catalogue or _default()
    out = [
        "# Indicators",
        "",
        "Generated from `queries/indicators.toml` by `pipelines/catalogue.py` "
        "(`write_indicator_docs`); do not edit by hand.",
        f"Catalogue version {cat.version}. Each indicator is defined once; the same definition "
        "and version are in `meta.indicator` of both DuckDB files.",
        "",
        "## Headlines on complete cohorts",
        "",
        "A cohort indicator (exit to work within 3, 6 or 12 months, durable job) is final only "
        "once the cohort's 12-month follow-up window is over; until then its cells are flagged "
        "`p` (provisional) and can only rise. A headline (the region page's key figure, the PDF "
        "brief, the XLSX About sheet) therefore shows the latest cohort whose window is complete "
        "(published, not flagged `p`), named by its period; its change compares it with the "
        "complete cohort a year earlier; the provisional cohorts after it are shown apart, "
        "labelled provisional, and never feed a change. A suppressed cohort (`c`) is never a "
        "headline. Code: `dashboard/headlines.py`; test: `tests/dashboard/test_headlines.py`.",
        "",
        "## Partial periods",
        "",
        "A year or quarter that the published file does not cover whole (the current year, the "
        "current quarter) is named with the months it covers — `2026 (janv.–nov.)`, "
        "`2026-Q4 (okt.–nov.)` — in page captions, chart axes and the XLSX, Belgian CSV and PDF "
        "exports (`dashboard.formatting.period_text`), so it never reads as a whole period. The "
        "plain CSV and Parquet keep the machine period code.",
        "",
        "| id | name (en) | unit | relation.column | version |",
        "|---|---|---|---|---|",
    ]
    for ind in cat.indicators:
        out.append(
            f"| [{ind.id}](#{ind.id}) | {ind.names['en']} | {ind.unit} | "
            f"{ind.relation}.{ind.column} | {ind.version} |"
        )
    for ind in cat.indicators:
        also = ", ".join(f"`marts.{r}`" for r in ind.also_in)
        out += [
            "",
            f"## {ind.id}",
            "",
            f"- **fr** — {ind.names['fr']}: {ind.definitions['fr']}",
            f"- **nl** — {ind.names['nl']}: {ind.definitions['nl']}",
            f"- **en** — {ind.names['en']}: {ind.definitions['en']}",
            "",
            f"Unit: {ind.unit}. Numerator: {ind.numerator or '—'}. "
            f"Denominator: {ind.denominator or '—'}.",
            f"Grain: {ind.grain}. Source: {ind.source}. Version {ind.version}.",
            f"Computed in `marts.{ind.relation}.{ind.column}`"
            + (f" (also in {also})" if also else "")
            + f"; disclosure kind: {ind.kind}.",
        ]
    out.append("")
    return "\n".join(out)


def write_indicator_docs(path: Path, catalogue: Catalogue | None = None) -> Path:
    """Write docs/indicators.md (or `path`) from the catalogue."""
    path.write_text(render_indicator_docs(catalogue), encoding="utf-8")
    return path


# ----------------------------------------------------------------------------------------------
# Analyst queries: queries/analyst/<name>.sql with a header of `-- title:`, `-- description:` and
# `-- param: name TYPE description (default value)` lines. Parsed here so the CLI, the docs and
# the tests read one format the same way.

ANALYST_DIR = ROOT / "queries" / "analyst"
PARAM_TYPES: frozenset[str] = frozenset({"INTEGER", "DOUBLE", "VARCHAR", "DATE", "BOOLEAN"})
_PARAM = re.compile(r"^--\s*param:\s*([a-z_][a-z0-9_]*)\s+([A-Z]+)\s+(.*?)\s*\(default\s+(.*)\)$")
_PLACEHOLDER = re.compile(r"\$([a-z_][a-z0-9_]*)")


@dataclass(frozen=True)
class QueryParam:
    name: str
    type: str
    description: str
    default: str  # as written: a literal ('text', 2024, 2024-01-01) or NULL

    def convert(self, text: str | None) -> object:
        """Typed value for DuckDB from command-line text; NULL or empty means no value."""
        if text is None:
            return None
        value = text.strip()
        if value.upper() == "NULL" or value == "":
            return None
        if len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1]
        if self.type == "INTEGER":
            return int(value)
        if self.type == "DOUBLE":
            return float(value)
        if self.type == "BOOLEAN":
            return value.lower() in ("true", "1", "yes")
        if self.type == "DATE":
            from datetime import date

            return date.fromisoformat(value)
        return value


@dataclass(frozen=True)
class AnalystQuery:
    name: str
    title: str
    description: str
    params: tuple[QueryParam, ...]
    sql: str

    def bind(self, overrides: dict[str, str] | None = None) -> dict[str, object]:
        """Parameters for `con.execute(sql, params)`: defaults, then the given text values."""
        given = dict(overrides or {})
        unknown = set(given) - {p.name for p in self.params}
        if unknown:
            known = ", ".join(p.name for p in self.params) or "none"
            raise ValueError(
                f"query {self.name} has no parameter {', '.join(sorted(unknown))}; "
                f"its parameters: {known}"
            )
        return {p.name: p.convert(given.get(p.name, p.default)) for p in self.params}


def parse_analyst_query(path: Path) -> AnalystQuery:
    """Read one analyst query and its header; raises CatalogueError when the header is wrong."""
    sql = path.read_text(encoding="utf-8")
    title = description = ""
    params: list[QueryParam] = []
    for raw in sql.splitlines():
        line = raw.strip()
        if not line.startswith("--"):
            break
        body = line.lstrip("-").strip()
        if body.startswith("title:"):
            title = body.removeprefix("title:").strip()
        elif body.startswith("description:"):
            description = body.removeprefix("description:").strip()
        elif body.startswith("param:"):
            match = _PARAM.match(line)
            if not match or match.group(2) not in PARAM_TYPES:
                raise CatalogueError(f"{path.name}: bad parameter line: {line}")
            params.append(QueryParam(*match.groups()))
    problems = []
    if not title:
        problems.append("no '-- title:' line")
    if not description:
        problems.append("no '-- description:' line")
    body_sql = "\n".join(line for line in sql.splitlines() if not line.strip().startswith("--"))
    used = set(_PLACEHOLDER.findall(body_sql))
    declared = {p.name for p in params}
    if used - declared:
        problems.append(f"undeclared parameters {sorted(used - declared)}")
    if declared - used:
        problems.append(f"declared but unused parameters {sorted(declared - used)}")
    if problems:
        raise CatalogueError(f"{path.name}: " + "; ".join(problems))
    return AnalystQuery(path.stem, title, description, tuple(params), sql)


def analyst_queries(directory: Path = ANALYST_DIR) -> dict[str, AnalystQuery]:
    """Every named analyst query, by name."""
    return {p.stem: parse_analyst_query(p) for p in sorted(directory.glob("*.sql"))}
