"""What a selection contains: the published cells of one pool (or the region) over a period,
with labels, indicator names and definitions in one language — the one input every format
renders.

Why one builder for all formats: the Excel workbook, the CSV, the PDF brief and the charts must
show the same cells with the same flags as the dashboard. Cells are read as published through
`dashboard.data` (no re-aggregation, no rounding); only labels are added.

Scope of a selection (documented for pool managers in docs/exports.md):
- a pool: the rows of that pool in every mart that has a pool, and the rows of the pool's
  occupations in the marts by occupation;
- the region: every row, all pools and the `_T` totals;
- the period: every month, quarter and year that touches [first month, last month]; yearly
  marts keep the years from the first to the last month's year. Without a period, everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import pandas as pd

from dashboard import data
from dashboard.catalogue import Indicator, catalogue, lookup
from dashboard.exports.text import x
from dashboard.formatting import month as month_name
from dashboard.formatting import parse_month, period_text
from dashboard.i18n import LANGS, source_names, t


class ExportError(ValueError):
    """A request the export cannot serve (bad pool, bad period, no published file…); the
    message is one line, shown as is by the CLI."""


# group key, mart, dimension column (None: no dimension besides pool and period)
GROUPS: Final[tuple[tuple[str, str, str | None], ...]] = (
    ("participation", "mart_pool_participation", "breakdown"),
    ("placement", "mart_pool_placement", "sex"),
    ("placement_sector", "mart_pool_placement_sector", "nace_section"),
    ("functions", "mart_pool_function", "function_id"),
    ("labour_market", "mart_labour_market_pool", None),
    ("occupations", "mart_labour_market_occupation", "occupation_isco"),
    ("shortage", "mart_shortage_occupation", "occupation_isco"),
    ("supply_demand", "mart_supply_demand", "occupation_isco"),
    ("communes", "mart_commune", "commune_nis"),
)
# Columns that identify a row (never exported as a measure).
DIMENSIONS: Final = frozenset(
    {
        "pool_id",
        "period_type",
        "period",
        "period_start",
        "breakdown",
        "breakdown_value",
        "sex",
        "month",
        "year",
        "occupation_isco",
        "function_id",
        "commune_nis",
        "nace_section",
    }
)
# Published as the `p` flag of the row's cells: not repeated as a column.
HIDDEN: Final = frozenset({"is_provisional"})
KEY_COLUMNS: Final = ("pool_id", "pool", "period_type", "period", "dimension", "code", "label")
PTYPE_ORDER: Final = {"year": 0, "quarter": 1, "month": 2}
BREAKDOWN_ORDER: Final = {b: i for i, b in enumerate(data.BREAKDOWNS)}
# Characters that make a spreadsheet read a text cell as a formula (CSV/formula injection).
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
ORG = "app_title"


@dataclass(frozen=True)
class Measure:
    """One exported column: a published cell value with its flag column (if any)."""

    column: str
    flag: str | None
    indicator: Indicator
    unit: str
    kind: str = "number"  # "integer", "number" or "boolean": the published column's type

    def name(self, lang: str) -> str:
        return self.indicator.name(lang)


@dataclass(frozen=True)
class Group:
    """One indicator group (one mart): a sheet of the workbook, a block of the CSV."""

    key: str
    mart: str
    frame: pd.DataFrame  # KEY_COLUMNS, then each measure column and its `<column>_flag`
    measures: tuple[Measure, ...]

    def title(self, lang: str) -> str:
        return x(self.key, lang)


@dataclass(frozen=True)
class Selection:
    """Everything a file of this selection says."""

    path: Path
    lang: str
    pool: data.Pool | None
    month_from: date
    month_to: date
    groups: tuple[Group, ...]
    published_at: datetime | None
    threshold: int
    min_denominator: int
    freshness: pd.DataFrame
    exported_on: date = field(default_factory=date.today)
    covered_to: date | None = None  # the last month the published file covers

    def period_label(self, period: object) -> str:
        """A period as the reader sees it: '2026 (janv.–nov.)' while 2026 is not complete."""
        return period_text(str(period), self.covered_to, self.lang) if period else ""

    @property
    def pool_id(self) -> str:
        return self.pool.pool_id if self.pool else "region"

    def title(self) -> str:
        if self.pool is None:
            return x("title_region", self.lang)
        return x("title_pool", self.lang, pool=self.pool.name(self.lang))

    def period_text(self) -> str:
        return t(
            "period_range",
            self.lang,
            start=month_name(self.month_from, self.lang),
            end=month_name(self.month_to, self.lang),
        )

    def published_text(self) -> str:
        return self.published_at.strftime("%Y-%m-%d %H:%M") if self.published_at else "–"

    def citation(self) -> str:
        return x(
            "citation",
            self.lang,
            org=t(ORG, self.lang),
            title=self.title(),
            period=self.period_text(),
            published=self.published_text(),
            today=self.exported_on.isoformat(),
        )

    def protection_text(self) -> str:
        return t("protection_rule", self.lang, n=self.threshold, d=self.min_denominator)

    def source_lines(self) -> list[str]:
        lines = []
        for row in self.freshness.to_dict("records"):
            lines.append(
                x(
                    "about_source_row",
                    self.lang,
                    source=source_names(str(row.get("source", "")), self.lang),
                    start=_text_date(row.get("period_from")),
                    end=_text_date(row.get("period_to")),
                    load=_text_date(row.get("last_load_at")),
                )
            )
        return lines

    def file_stem(self) -> str:
        return (
            f"observatory_{self.pool_id}_{self.month_from:%Y-%m}_{self.month_to:%Y-%m}_{self.lang}"
        )

    def group(self, key: str) -> Group | None:
        return next((g for g in self.groups if g.key == key), None)

    def measures(self) -> list[Measure]:
        """Every measure of the selection once (the About sheet's definitions)."""
        seen: dict[str, Measure] = {}
        for g in self.groups:
            for m in g.measures:
                seen.setdefault(m.indicator.indicator_id or f"{g.mart}.{m.column}", m)
        return list(seen.values())


def _text_date(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def plain(value: Any) -> Any:
    """A published value as a Python scalar: None for NULL/NaN, int/float for numbers (DuckDB
    DECIMAL arrives as Decimal), the rest untouched."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return value.item()
    return value


def neutralise(text: str) -> str:
    """A text cell that a spreadsheet would run as a formula, made inert with a leading `'`
    (OWASP's advice: visible, and kept if the file is saved again as CSV)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def infer_unit(column: str, catalogue_unit: str | None) -> str:
    """The catalogue's unit, or one read from the column's name (docs/marts.md naming)."""
    if catalogue_unit:
        return catalogue_unit
    if column.endswith(("_rate", "_share")):
        return "rate"
    if column.startswith("median_days") or column.endswith("_days"):
        return "days"
    if column.endswith(("_ratio", "_per_1000")) or "_per_" in column:
        return "ratio"
    if column == "hours":
        return "hours"
    if column.startswith(("is_", "has_")):
        return "flag"
    return "count"


def value_kind(duckdb_type: str) -> str:
    """ "integer", "number" or "boolean" for a published column type: the typed value column
    a long file writes it in (a count never shares a column with a rate)."""
    kind = duckdb_type.upper()
    if kind == "BOOLEAN":
        return "boolean"
    if kind.endswith("INT") or kind in ("HUGEINT", "UHUGEINT") or kind.endswith(",0)"):
        return "integer"
    return "number"


# Code lists whose codes are all digits (NIS, ISCO-08): spreadsheet and CSV readers that guess
# types (pandas, polars, LibreOffice, Excel) turn `04000` into 4000 whatever the quoting or the
# cell type, so the untyped files (CSV, XLSX) write these codes with their list's prefix
# (`nis:04000`, `isco08:7212`). Typed files (Parquet, SDMX-CSV, the API) keep the bare code.
CODE_PREFIX: Final = {"commune": "nis:", "occupation": "isco08:"}


def file_code(dimension: str | None, code: str | None) -> str | None:
    """A code as the CSV and XLSX write it (see CODE_PREFIX; special codes stay bare)."""
    if code is None or dimension not in CODE_PREFIX or not code.isdigit():
        return code
    return CODE_PREFIX[dimension] + code


def period_start(period_type: str | None, period: str | None) -> date | None:
    """The first day of a period written `YYYY`, `YYYY-Qn` or `YYYY-MM`: the one period value
    (a date) the CSV and XLSX carry, so a year is never a number beside text months."""
    if not period:
        return None
    year = int(period[:4])
    if period_type == "year" or len(period) == 4:
        return date(year, 1, 1)
    if "Q" in period:
        return date(year, 3 * int(period[-1]) - 2, 1)
    return date(year, int(period[5:7]), 1)


def parse_period(path: Path, period_from: str | None, period_to: str | None) -> tuple[date, date]:
    """Validate `YYYY-MM` bounds against the published months (defaults: all of them)."""
    published = data.months(path)
    if not published:
        raise ExportError("the published file holds no month")
    low, high = published[0], published[-1]
    bounds = []
    for name, text, default in (("--from", period_from, low), ("--to", period_to, high)):
        if text is None or text == "":
            bounds.append(default)
            continue
        parsed = parse_month(text)
        if parsed is None:
            raise ExportError(f"{name} {text!r} is not a month written YYYY-MM")
        bounds.append(parsed)
    first, last = bounds
    if last < low or first > high:
        raise ExportError(
            f"period {first:%Y-%m} – {last:%Y-%m} is outside the published months "
            f"({low:%Y-%m} – {high:%Y-%m})"
        )
    if first > last:
        raise ExportError(f"--from {first:%Y-%m} is after --to {last:%Y-%m}")
    return max(first, low), min(last, high)


def _label(row: dict[str, Any], col: str) -> str:
    """The label in the reader's language, else the French one marked `(FR)`, never "None"."""
    value, french = row.get(col), row.get("label_fr")
    if value is not None and value == value and str(value):
        return str(value)
    if french is not None and french == french and str(french):
        return f"{french} (FR)"
    return ""


class _Labels:
    """Labels of every coded value a group can hold, in one language (one read per export)."""

    def __init__(self, path: Path, lang: str, pools: list[data.Pool]) -> None:
        self.lang = lang
        col = f"label_{lang}"
        codes = data.table_rows(path, "core", "dim_code")
        self.codes: dict[tuple[str, str], str] = {
            (str(r["code_list"]), str(r["code"])): _label(r, col) or str(r["code"])
            for r in codes.to_dict("records")
        }
        communes = data.communes(path)
        name = "name_nl" if lang == "nl" else "name_fr"
        self.communes = {str(r["commune_nis"]): str(r[name]) for r in communes.to_dict("records")}
        self.communes["04000"] = x("region", lang)
        functions = data.functions(path)
        self.functions = {
            str(r["function_id"]): str(r[f"name_{lang}"]) for r in functions.to_dict("records")
        }
        occ = data.table_rows(path, "core", "dim_occupation", {"classification": "isco08"})
        self.occupations = {
            str(r["occupation_code"]): _label(r, col) for r in occ.to_dict("records")
        }
        nace = data.table_rows(path, "core", "dim_nace", {"level": 1})
        self.nace = {str(r["nace_code"]): _label(r, col) for r in nace.to_dict("records")}
        self.pools = {p.pool_id: p.name(lang) for p in pools}
        self.pools[data.TOTAL] = x("all_pools", lang)

    def special(self, code: str) -> str | None:
        return {
            data.TOTAL: x("code_T", self.lang),
            "_U": x("code_U", self.lang),
            "_O": x("code_O", self.lang),
        }.get(code)

    def label(self, dimension: str, code: str) -> str:
        special = self.special(code)
        if special is not None:
            return special
        if dimension == "commune":
            return self.communes.get(code, code)
        if dimension == "function":
            return self.functions.get(code, code)
        if dimension == "occupation":
            return self.occupations.get(code, code)
        if dimension == "nace_section":
            return self.nace.get(code, code)
        return self.codes.get((dimension, code), code)


DIMENSION_NAMES: Final = {
    "sex": "sex",
    "nace_section": "nace_section",
    "function_id": "function",
    "occupation_isco": "occupation",
    "commune_nis": "commune",
}


def _normalise(
    frame: pd.DataFrame,
    dim_column: str | None,
    labels: _Labels,
    pool_order: dict[str, int],
) -> pd.DataFrame:
    """KEY_COLUMNS in front of the published columns, rows in a stable reading order."""
    n = len(frame)
    out = pd.DataFrame(index=frame.index)
    pools = (
        frame["pool_id"].astype(str)
        if "pool_id" in frame
        else pd.Series([""] * n, index=frame.index)
    )
    out["pool_id"] = pools if "pool_id" in frame else None
    out["pool"] = [labels.pools.get(p, p) for p in pools] if "pool_id" in frame else None
    if "period_type" in frame:
        out["period_type"] = frame["period_type"].astype(str)
        out["period"] = frame["period"].astype(str)
    elif "month" in frame:
        out["period_type"] = "month"
        out["period"] = [f"{m:%Y-%m}" for m in frame["month"]]
    elif "year" in frame:
        out["period_type"] = "year"
        out["period"] = [str(int(y)) for y in frame["year"]]
    else:
        out["period_type"] = None
        out["period"] = None
    if dim_column == "breakdown":
        dims = frame["breakdown"].astype(str).tolist()
        codes = frame["breakdown_value"].astype(str).tolist()
    elif dim_column is not None:
        dims = [DIMENSION_NAMES[dim_column]] * n
        codes = frame[dim_column].astype(str).tolist()
    else:
        dims = ["total"] * n
        codes = [data.TOTAL] * n
    out["dimension"] = dims
    out["code"] = codes
    out["label"] = [labels.label(d, c) for d, c in zip(dims, codes, strict=True)]
    rest = [c for c in frame.columns if c not in DIMENSIONS and c not in HIDDEN]
    out = pd.concat([out, frame[rest].map(plain) if rest else frame[rest]], axis=1)
    sort = pd.DataFrame(
        {
            "p": [pool_order.get(p, len(pool_order)) for p in pools],
            "t": [PTYPE_ORDER.get(str(v), 3) for v in out["period_type"]],
            "per": out["period"].fillna(""),
            "d": [BREAKDOWN_ORDER.get(d, 9) for d in out["dimension"]],
            "c": [(0 if c == data.TOTAL else 1, c) for c in out["code"]],
        },
        index=out.index,
    )
    order = sort.sort_values(["p", "t", "per", "d", "c"]).index
    return out.loc[order].reset_index(drop=True)


def _measures(path: Path, mart: str, cat: dict[tuple[str, str], Indicator]) -> tuple[Measure, ...]:
    columns = data.table_columns(path, "marts", mart)
    names = [str(c) for c in columns["column_name"]]
    types = dict(zip(names, (str(v) for v in columns["data_type"]), strict=True))
    out = []
    for column in names:
        if column in DIMENSIONS or column in HIDDEN or column.endswith("_flag"):
            continue
        if types[column] in ("VARCHAR", "DATE", "TIMESTAMP"):
            continue
        ind = lookup(cat, mart, column)
        known = (mart, column) in cat or any(c == column for _, c in cat)
        unit = infer_unit(column, ind.unit if known else None)
        flag = f"{column}_flag" if f"{column}_flag" in types else None
        out.append(Measure(column, flag, ind, unit, value_kind(types[column])))
    return tuple(out)


class _CodesOnly:
    """Labels for a group that only needs its codes (the API's SDMX-CSV): no label reads."""

    def __init__(self) -> None:
        self.pools: dict[str, str] = {}

    def label(self, dimension: str, code: str) -> str:
        return ""


def mart_group(path: Path, mart: str, frame: pd.DataFrame) -> Group:
    """Rows of one public mart (as `data.table_rows` gives them) as an export group without
    labels: the same key columns and measures as a selection's group (the API's SDMX-CSV)."""
    found = next((g for g in GROUPS if g[1] == mart), None)
    if found is None:
        raise ExportError(f"unknown mart {mart!r}")
    key, _, dim = found
    cat = catalogue(path)
    normalised = _normalise(frame, dim, _CodesOnly(), {})  # type: ignore[arg-type]
    return Group(key, mart, normalised, _measures(path, mart, cat))


def build(
    path: Path,
    pool: str | None,
    period_from: str | date | None,
    period_to: str | date | None,
    lang: str,
) -> Selection:
    """The selection of one pool (`None` or 'region' for the region) over a period."""
    if lang not in LANGS:
        raise ExportError(f"language {lang!r} is not one of {', '.join(LANGS)}")
    if not path.is_file():
        raise ExportError(f"published file not found: {path}")
    try:
        return _build(path, pool, period_from, period_to, lang)
    except data.DataUnavailable as exc:
        raise ExportError(str(exc)) from exc


def _build(
    path: Path,
    pool_id: str | None,
    period_from: str | date | None,
    period_to: str | date | None,
    lang: str,
) -> Selection:
    with data.session(path):
        data.check(path)
        pools = data.pools(path)
        pool: data.Pool | None = None
        if pool_id not in (None, "", "region", data.TOTAL):
            pool = next((p for p in pools if p.pool_id == pool_id), None)
            if pool is None:
                known = ", ".join(p.pool_id for p in pools)
                raise ExportError(f"unknown pool {pool_id!r}: use 'region' or one of {known}")
        first, last = parse_period(
            path,
            f"{period_from:%Y-%m}" if isinstance(period_from, date) else period_from,
            f"{period_to:%Y-%m}" if isinstance(period_to, date) else period_to,
        )
        cat = catalogue(path)
        labels = _Labels(path, lang, pools)
        published = set(data.published_tables(path)["table_name"])
        occupations = (
            [str(c) for c in data.occupations(path, pool.pool_id)["occupation_code"]]
            if pool
            else []
        )
        pool_order = {p.pool_id: i for i, p in enumerate(pools)}
        pool_order[data.TOTAL] = -1
        groups = []
        for key, mart, dim in GROUPS:
            if mart not in published:
                continue
            columns = set(data.table_columns(path, "marts", mart)["column_name"])
            where: dict[str, object] = {}
            if pool is not None:
                if "pool_id" in columns:
                    where["pool_id"] = pool.pool_id
                elif "occupation_isco" in columns:
                    where["occupation_isco"] = occupations or ["-"]
            frame = data.table_rows(path, "marts", mart, where, (first, last))
            groups.append(
                Group(
                    key,
                    mart,
                    _normalise(frame, dim, labels, pool_order),
                    _measures(path, mart, cat),
                )
            )
        publication = data.publication(path)
        published_at = publication.get("published_at")
        return Selection(
            path=path,
            lang=lang,
            pool=pool,
            month_from=first,
            month_to=last,
            groups=tuple(groups),
            published_at=published_at.to_pydatetime()
            if isinstance(published_at, pd.Timestamp)
            else published_at,
            threshold=int(publication.get("suppression_threshold") or 10),
            min_denominator=int(publication.get("min_rate_denominator") or 20),
            freshness=data.freshness(path),
            covered_to=max(data.months(path), default=None),
        )
