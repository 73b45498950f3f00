"""Demo data: realistic source files for the five contracts, written into the inbox.

`generate_demo` writes what the pools' partners would deliver — Actiris' job-seeker stock and
vacancies, the pools' enrolments, the matched job starts and the pools' activity records — from
January 2019 to the last complete month, in the shapes real deliveries take (Belgian CSV in
Windows-1252 with `;` and DD/MM/YYYY, UTF-8 CSV, a BOM, Excel workbooks, French and Dutch
headers and values), with a handful of deliberately bad rows so the quarantine has something
to show. The same seed gives byte-identical files.

Volumes at `scale=1` (per year; 2019-01 .. 2026-10 in brackets):
  vacancies     35,000-49,500 received a year                  (~330,000 rows)
  jobseekers    84,000-98,000 people a month in ~3,800 cells  (~340,000 rows)
  enrolments    ~6,000-6,300 started a year once the four pools run, i.e. 6,700-7,800
                persons in training during a year              (~39,000 rows)
  placements    derived: ~71 % of completing job seekers       (~17,500 rows)
  pool_activities  one record per pool, month, function and target group (~4,500 rows, fixed)
`scale` multiplies vacancies, enrolments (hence placements), the job-seeker stock and the
number of job-seeker cells; the pool activity records do not scale. `vacancies_total` and
`enrolments_total` set those volumes exactly over the whole period instead (e.g. a benchmark at
10 M vacancies: `vacancies_total=10_000_000`, or `scale=30`).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from pipelines.demo.common import (
    Defect,
    DefectLog,
    FileStyle,
    abs_month,
    as_text,
    bad_checksum,
    day_number,
    month_date,
    pick_rows,
    set_cells,
    write_text_csv,
    write_xlsx,
)
from pipelines.demo.labour import (
    build_occupations,
    commune_weights,
    general_nace_sampler,
    generate_jobseekers,
    generate_vacancies,
)
from pipelines.demo.pools import (
    generate_enrolments,
    generate_placements,
    generate_pool_activities,
)
from pipelines.demo.reference import load_demo_reference

FIRST_MONTH = dt.date(2019, 1, 1)
MANIFEST = ".demo_manifest.json"
SOURCES = ("jobseekers", "vacancies", "enrolments", "placements", "pool_activities")


@dataclass(frozen=True)
class DemoSummary:
    """What `generate_demo` wrote: rows per source (deliberate bad rows included), the files,
    and each deliberate defect with the quarantine reason it should get."""

    inbox: Path
    seed: int
    scale: float
    first_month: dt.date
    last_month: dt.date
    rows: dict[str, int]
    files: tuple[Path, ...]
    defects: tuple[Defect, ...] = field(default=())

    def files_of(self, source: str) -> tuple[Path, ...]:
        return tuple(f for f in self.files if f.parent.name == source)

    def defect_counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for d in self.defects:
            per = out.setdefault(d.source, {})
            per[d.reason] = per.get(d.reason, 0) + 1
        return out

    def describe(self) -> str:
        """A few lines for the command line."""
        lines = [
            f"Demo data {self.first_month:%Y-%m} .. {self.last_month:%Y-%m} "
            f"(seed {self.seed}, scale {self.scale:g}) in {self.inbox}"
        ]
        counts = self.defect_counts()
        for source in SOURCES:
            bad = sum(counts.get(source, {}).values())
            lines.append(
                f"  {source:<16} {self.rows.get(source, 0):>10,} rows in "
                f"{len(self.files_of(source)):>2} files ({bad} deliberately bad)"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe()


def last_complete_month(today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    return month_date(abs_month(today) - 1)


def _rng(seed: int, source: str) -> np.random.Generator:
    """One independent stream per source, so changing one source leaves the others intact."""
    return np.random.default_rng([seed, SOURCES.index(source)])


# ---------------------------------------------------------------------------------------------
# File styles per source and year

FR_JOBSEEKERS = {
    "month": "Mois",
    "occupation_isco": "ISCO08",
    "occupation_rome": "Code ROME",
    "commune_nis": "Commune",
    "sex": "Sexe",
    "age_band": "Classe âge",
    "duration_band": "Durée",
    "education_level": "Niveau études",
    "jobseeker_count": "Nombre",
}
FR_ENROLMENTS = {
    "enrolment_id": "inscription_id",
    "insz": "NISS",
    "pool_id": "pole",
    "programme_id": "formation_id",
    "programme_name": "Formation",
    "target_group": "groupe_cible",
    "start_date": "date_debut",
    "end_date": "date_fin",
    "status": "statut",
    "has_certificate": "certificat",
    "sex": "sexe",
    "birth_date": "date_naissance",
    "commune_nis": "commune",
    "education_level": "niveau_etudes",
}
NL_PLACEMENTS = {
    "placement_id": "id",
    "insz": "rijksregisternummer",
    "start_date": "begindatum",
    "end_date": "einddatum",
    "employer_nace": "nace",
    "occupation_isco": "isco",
    "occupation_rome": "rome",
    "contract_type": "contracttype",
}
FR_ACTIVITIES = {
    "activity_id": "id",
    "pool_id": "pole",
    "activity_date": "date",
    "function": "fonction",
    "target_group": "public",
    "activity_count": "nombre",
    "participant_count": "participants",
    "hours": "heures",
    "hire_count": "embauches",
}
FR_VALUES = {
    "age_band": {"lt25": "<25", "25_49": "25-49", "ge50": "50+"},
    "duration_band": {"lt6m": "<6m", "6_12m": "6-12m", "1_2y": "1-2y", "ge2y": "2y+"},
    "education_level": {"low": "faible", "medium": "moyen", "high": "élevé", "other": "autre"},
    "status": {"completed": "terminé", "dropped_out": "abandon", "ongoing": "en cours"},
    "has_certificate": {"true": "oui", "false": "non"},
}
NL_VALUES = {
    "contract_type": {
        "permanent": "onbepaalde_duur",
        "fixed_term": "bepaalde_duur",
        "temporary_agency": "uitzend",
        "self_employed": "zelfstandige",
    },
}


def _translate(frame: pl.DataFrame, values: dict[str, dict[str, str]]) -> pl.DataFrame:
    return frame.with_columns(
        pl.col(c).replace(mapping) for c, mapping in values.items() if c in frame.columns
    )


# ---------------------------------------------------------------------------------------------
# Defects


@dataclass
class _File:
    """One file being prepared: typed rows, their text, style, and the defect bookkeeping."""

    source: str
    path: Path
    typed: pl.DataFrame
    text: pl.DataFrame
    style: FileStyle
    used: set[int] = field(default_factory=set)


DefectFn = Callable[[_File, np.random.Generator, int, DefectLog], None]


def _fmt_day(style: FileStyle, day: int) -> str:
    return (dt.date(1970, 1, 1) + dt.timedelta(days=day)).strftime(style.dates)


def _bad_insz(f: _File, rng: np.random.Generator, k: int, log: DefectLog) -> None:
    rows = pick_rows(rng, np.arange(f.text.height), f.used, k)
    values = [bad_checksum(v) for v in f.text.get_column("insz").gather(rows).to_list()]
    f.text = set_cells(f.text, "insz", rows, values)
    log.add(f.source, f.path.name, rows, "insz", "bad_insz")


def _end_before_start(start: str, end: str) -> DefectFn:
    def apply(f: _File, rng: np.random.Generator, k: int, log: DefectLog) -> None:
        has_end = np.flatnonzero(f.typed.get_column(end).is_not_null().to_numpy())
        rows = pick_rows(rng, has_end, f.used, k)
        starts = f.typed.get_column(start).cast(pl.Int64).gather(rows).to_list()
        values = [_fmt_day(f.style, s - int(rng.integers(1, 40))) for s in starts]
        f.text = set_cells(f.text, end, rows, values)
        log.add(f.source, f.path.name, rows, end, "end_before_start")

    return apply


def _bad_date(column: str) -> DefectFn:
    def apply(f: _File, rng: np.random.Generator, k: int, log: DefectLog) -> None:
        rows = pick_rows(rng, np.arange(f.text.height), f.used, k)
        years = f.typed.get_column(column).dt.year().gather(rows).to_list()
        f.text = set_cells(f.text, column, rows, [f.style.impossible_date(y) for y in years])
        log.add(f.source, f.path.name, rows, column, "bad_date")

    return apply


def _unknown(column: str, value: str) -> DefectFn:
    """A code outside the reference. For NACE columns `value` is dotted and loses its dot when
    the file writes codes without dots."""

    def apply(f: _File, rng: np.random.Generator, k: int, log: DefectLog) -> None:
        filled = f.text.get_column(column).drop_nulls()
        dotted = filled.is_empty() or bool(filled.str.contains(".", literal=True).any())
        code = value if dotted else value.replace(".", "")
        mask = f.text.get_column(column).is_not_null().to_numpy()
        rows = pick_rows(rng, np.flatnonzero(mask), f.used, k)
        f.text = set_cells(f.text, column, rows, [code] * len(rows))
        log.add(f.source, f.path.name, rows, column, "unknown_code")

    return apply


def _negative(column: str) -> DefectFn:
    def apply(f: _File, rng: np.random.Generator, k: int, log: DefectLog) -> None:
        rows = pick_rows(rng, np.arange(f.text.height), f.used, k)
        values = [f"-{int(rng.integers(1, 9))}" for _ in rows]
        f.text = set_cells(f.text, column, rows, values)
        log.add(f.source, f.path.name, rows, column, "negative_value")

    return apply


def _missing_occupation(f: _File, rng: np.random.Generator, k: int, log: DefectLog) -> None:
    rows = pick_rows(rng, np.arange(f.text.height), f.used, k)
    f.text = set_cells(f.text, "occupation_isco", rows, [None] * len(rows))
    f.text = set_cells(f.text, "occupation_rome", rows, [None] * len(rows))
    log.add(f.source, f.path.name, rows, "occupation_isco", "missing_occupation")


def _duplicate(key: str) -> DefectFn:
    def apply(f: _File, rng: np.random.Generator, k: int, log: DefectLog) -> None:
        rows = pick_rows(rng, np.arange(f.text.height), f.used, k)
        start = f.text.height
        f.text = pl.concat([f.text, f.text[rows]])
        log.add(f.source, f.path.name, range(start, start + len(rows)), key, "duplicate_key")

    return apply


def _defect_plan(source: str, style: FileStyle) -> list[DefectFn]:
    nace_unknown = "68.99"  # does not exist (68.10 .. 68.32)
    if source == "enrolments":
        return [
            _bad_insz,
            _end_before_start("start_date", "end_date"),
            _bad_date("start_date"),
            _duplicate("enrolment_id"),
        ]
    if source == "placements":
        return [
            _bad_insz,
            _unknown("employer_nace", nace_unknown),
            _end_before_start("start_date", "end_date"),
            _missing_occupation,
        ]
    if source == "vacancies":
        return [
            _unknown("nace", nace_unknown),
            _end_before_start("received_date", "closed_date"),
            _negative("position_count"),
            _bad_date("received_date"),
            _duplicate("vacancy_id"),
        ]
    if source == "jobseekers":
        # 21000 is the arrondissement, not a commune: a classic coding slip.
        return [_negative("jobseeker_count"), _unknown("commune_nis", "21000"), _duplicate("month")]
    plan = [
        _negative("participant_count"),
        _unknown("function", "mentoring"),
        _duplicate("activity_id"),
    ]
    if style.kind != "xlsx":
        plan.append(_bad_date("activity_date"))
    return plan


def _apply_defects(files: list[_File], rng: np.random.Generator, log: DefectLog) -> None:
    """A handful per file (0-2 of each kind, at most 5 % of its rows), every kind at least once
    per source when the files are big enough."""
    if not files:
        return
    plans = [_defect_plan(f.source, f.style) for f in files]
    n_kinds = max(len(p) for p in plans)
    for i, (f, plan) in enumerate(zip(files, plans, strict=True)):
        budget = max(1, f.text.height // 20)
        for j, fn in enumerate(plan):
            k = int(rng.integers(0, 3))
            if j % len(files) == i % len(files) or (len(files) < n_kinds and i == 0):
                k = max(k, 1)
            k = min(k, budget)
            budget -= k
            if k > 0:
                fn(f, rng, k, log)


# ---------------------------------------------------------------------------------------------
# Writing


def _write(f: _File) -> None:
    f.path.parent.mkdir(parents=True, exist_ok=True)
    if f.style.kind == "xlsx":
        write_xlsx(f.text, f.path, f.style, sheet=f.source)
    else:
        write_text_csv(f.text, f.path, f.style)


def _xlsx_defects(f: _File, rng: np.random.Generator, log: DefectLog) -> None:
    """Workbooks keep real dates and numbers: defects go into typed cells."""
    typed = f.typed
    rows = pick_rows(rng, np.arange(typed.height), f.used, 1)
    typed = set_cells(typed, "participant_count", rows, [-int(rng.integers(1, 9))])
    log.add(f.source, f.path.name, rows, "participant_count", "negative_value")
    rows = pick_rows(rng, np.arange(typed.height), f.used, 1)
    typed = set_cells(typed, "function", rows, ["mentoring"])
    log.add(f.source, f.path.name, rows, "function", "unknown_code")
    rows = pick_rows(rng, np.arange(typed.height), f.used, 1)
    log.add(f.source, f.path.name, [typed.height], "activity_id", "duplicate_key")
    f.text = pl.concat([typed, typed[rows]])


def _by_year(frame: pl.DataFrame, column: str) -> list[tuple[int, pl.DataFrame]]:
    years = frame.get_column(column).dt.year()
    return [(int(y), frame.filter(years == y)) for y in years.unique().sort().to_list()]


def _prepare(
    inbox: Path,
    jobseekers: pl.DataFrame,
    vacancies: pl.DataFrame,
    enrolments: pl.DataFrame,
    placements: pl.DataFrame,
    activities: pl.DataFrame,
    last_month: dt.date,
) -> dict[str, list[_File]]:
    out: dict[str, list[_File]] = {s: [] for s in SOURCES}

    for year, part in _by_year(jobseekers, "month"):
        if year <= 2022:  # Actiris' French export: Belgian CSV, French headers and values
            style = FileStyle("be", FR_JOBSEEKERS, date_format="%m/%Y")
            text = _translate(as_text(part, style), FR_VALUES)
        else:
            style = FileStyle("iso", date_format="%Y-%m")
            text = as_text(part, style)
        path = inbox / "jobseekers" / f"jobseekers_{year}.csv"
        out["jobseekers"].append(_File("jobseekers", path, part, text, style))

    partial_year = last_month.year if last_month.month < 12 else None
    for year, part in _by_year(vacancies, "received_date"):
        # From 2022 the export writes NACE codes without dots ("6201").
        compact = year >= 2022
        style = FileStyle("iso")
        typed = (
            part.with_columns(pl.col("nace").str.replace(".", "", literal=True))
            if (compact)
            else part
        )
        if year == partial_year:
            quarters = typed.get_column("received_date").dt.quarter()
            for q in quarters.unique().sort().to_list():
                sub = typed.filter(quarters == q)
                path = inbox / "vacancies" / f"vacancies_{year}_q{q}.csv"
                out["vacancies"].append(_File("vacancies", path, sub, as_text(sub, style), style))
        else:
            path = inbox / "vacancies" / f"vacancies_{year}.csv"
            out["vacancies"].append(_File("vacancies", path, typed, as_text(typed, style), style))

    enrol = enrolments.drop("_isco", "_kind")
    for year, part in _by_year(enrol, "start_date"):
        if year <= 2022:  # Bruxelles Formation's extraction: Belgian CSV in French
            style = FileStyle("be", FR_ENROLMENTS)
            text = _translate(as_text(part, style), FR_VALUES)
        else:
            style = FileStyle("iso", bom=year == 2024)
            text = as_text(part, style)
        path = inbox / "enrolments" / f"enrolments_{year}.csv"
        out["enrolments"].append(_File("enrolments", path, part, text, style))

    for year, part in _by_year(placements, "start_date"):
        # Matched in Dutch by the social-security link: `;`, UTF-8, DD-MM-YYYY, Dutch codes.
        style = FileStyle("iso", NL_PLACEMENTS, separator=";", date_format="%d-%m-%Y")
        text = _translate(as_text(part, style), NL_VALUES)
        path = inbox / "placements" / f"placements_{year}.csv"
        out["placements"].append(_File("placements", path, part, text, style))

    for year, part in _by_year(activities, "activity_date"):
        if year <= 2023:  # the pools' own Excel reporting
            style = FileStyle("xlsx")
            path = inbox / "pool_activities" / f"pool_activities_{year}.xlsx"
            out["pool_activities"].append(_File("pool_activities", path, part, part, style))
        else:  # from 2024 exported from the shared tool as Belgian CSV, decimal comma
            style = FileStyle("be", FR_ACTIVITIES)
            path = inbox / "pool_activities" / f"pool_activities_{year}.csv"
            out["pool_activities"].append(
                _File("pool_activities", path, part, as_text(part, style), style)
            )
    return out


def _remove_previous(inbox: Path) -> None:
    """Delete the files a previous demo run wrote (listed in its manifest), and only those, so
    a run with another end month leaves no stale quarter or year behind."""
    manifest = inbox / MANIFEST
    if not manifest.exists():
        return
    root = inbox.resolve()
    for name in json.loads(manifest.read_text(encoding="utf-8")).get("files", []):
        path = (inbox / name).resolve()
        if path.is_relative_to(root) and path.is_file():
            path.unlink()
    manifest.unlink()


def copy_official_statistics(inbox: Path, reference_dir: Path) -> list[Path]:
    """Put the shipped official statistics (Eurostat, opendata.brussels; data/reference/official)
    into inbox/context/, as a delivery would, so the demo shows them beside the pools' figures."""
    official = reference_dir / "official"
    if not official.is_dir():
        return []
    context = inbox / "context"
    context.mkdir(parents=True, exist_ok=True)
    copied = []
    for src in sorted(official.iterdir()):
        if src.is_file():
            target = context / src.name
            shutil.copyfile(src, target)
            copied.append(target)
    return copied


def generate_demo(
    inbox: Path,
    *,
    seed: int = 2026,
    end_month: dt.date | None = None,
    scale: float = 1.0,
    reference_dir: Path,
    vacancies_total: int | None = None,
    enrolments_total: int | None = None,
) -> DemoSummary:
    """Write the demo files into `inbox/<source>/` and say what was written."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    last = month_date(abs_month(end_month or last_complete_month()))
    if last < FIRST_MONTH:
        raise ValueError(f"end_month {last:%Y-%m} is before {FIRST_MONTH:%Y-%m}")
    ref = load_demo_reference(reference_dir)
    months = np.arange(abs_month(FIRST_MONTH), abs_month(last) + 1, dtype=np.int64)
    end_day = day_number(month_date(abs_month(last) + 1)) - 1
    years = tuple(range(FIRST_MONTH.year, last.year + 1))

    occ = build_occupations(_rng(seed, "jobseekers"), ref, years)
    jobseekers = generate_jobseekers(_rng(seed, "jobseekers"), ref, occ, months, scale)
    vacancies = generate_vacancies(
        _rng(seed, "vacancies"), ref, occ, months, end_day, scale, vacancies_total
    )
    enrolments = generate_enrolments(
        _rng(seed, "enrolments"),
        ref,
        months,
        end_day,
        scale,
        enrolments_total,
        commune_weights(ref),
    )
    placements = generate_placements(
        _rng(seed, "placements"), ref, enrolments, end_day, general_nace_sampler(ref)
    )
    activities = generate_pool_activities(_rng(seed, "pool_activities"), ref, months)

    inbox.mkdir(parents=True, exist_ok=True)
    _remove_previous(inbox)
    prepared = _prepare(inbox, jobseekers, vacancies, enrolments, placements, activities, last)
    log = DefectLog()
    written: list[Path] = []
    rows: dict[str, int] = {}
    for source in SOURCES:
        files = prepared[source]
        defect_rng = np.random.default_rng([seed, 100 + SOURCES.index(source)])
        csv_files = [f for f in files if f.style.kind != "xlsx"]
        _apply_defects(csv_files, defect_rng, log)
        for f in files:
            if f.style.kind == "xlsx":
                _xlsx_defects(f, defect_rng, log)
            _write(f)
            written.append(f.path)
        rows[source] = sum(f.text.height for f in files)

    (inbox / MANIFEST).write_text(
        json.dumps({"seed": seed, "files": [str(p.relative_to(inbox)) for p in written]}, indent=1),
        encoding="utf-8",
    )
    return DemoSummary(
        inbox=inbox,
        seed=seed,
        scale=scale,
        first_month=FIRST_MONTH,
        last_month=last,
        rows=rows,
        files=tuple(written),
        defects=tuple(log.items),
    )
