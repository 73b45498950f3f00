"""Tiny hand-made core tables in an in-memory DuckDB, and a build of the marts over them.

The core tables are created with exactly the columns docs/architecture.md documents, so a mart
that reads a column the core layer does not promise fails here first. Helpers fill the derived
columns (months, flags, age band) the way the core layer defines them, so each test only writes
what matters to its arithmetic.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
MARTS_DIR = ROOT / "queries" / "marts"
ANALYST_DIR = ROOT / "queries" / "analyst"

CORE_TABLES: dict[str, str] = {
    "dim_pool": """pool_id VARCHAR, short_name VARCHAR, name_fr VARCHAR, name_nl VARCHAR,
        name_en VARCHAR, sector_fr VARCHAR, sector_nl VARCHAR, sector_en VARCHAR, status VARCHAR,
        opening_month DATE, commune_nis VARCHAR, competitiveness_pole_fr VARCHAR,
        competitiveness_pole_nl VARCHAR, competitiveness_pole_en VARCHAR, site_note VARCHAR""",
    "dim_pool_function": """function_id VARCHAR, name_fr VARCHAR, name_nl VARCHAR, name_en VARCHAR,
        description_fr VARCHAR, description_nl VARCHAR, description_en VARCHAR,
        sort_order INTEGER""",
    "dim_commune": """commune_nis VARCHAR, name_fr VARCHAR, name_nl VARCHAR, population INTEGER,
        area_km2 DOUBLE, nuts3 VARCHAR""",
    "dim_nace": """nace_code VARCHAR, code_compact VARCHAR, level INTEGER, parent_code VARCHAR,
        section VARCHAR, label_fr VARCHAR, label_nl VARCHAR, label_en VARCHAR,
        nace_version VARCHAR""",
    "dim_occupation": """occupation_code VARCHAR, classification VARCHAR, level INTEGER,
        parent_code VARCHAR, label_fr VARCHAR, label_nl VARCHAR, label_en VARCHAR""",
    "dim_code": """code_list VARCHAR, code VARCHAR, label_fr VARCHAR, label_nl VARCHAR,
        label_en VARCHAR, sort_order INTEGER""",
    "bridge_pool_nace": "pool_id VARCHAR, nace_code VARCHAR, nace_level INTEGER, mapping VARCHAR",
    "bridge_pool_occupation": "pool_id VARCHAR, classification VARCHAR, occupation_code VARCHAR",
    "fct_enrolment": """enrolment_id VARCHAR, person_id VARCHAR, pool_id VARCHAR,
        programme_id VARCHAR, programme_name VARCHAR, target_group VARCHAR, start_date DATE,
        end_date DATE, start_month DATE, end_month DATE, status VARCHAR, is_completed BOOLEAN,
        is_dropped_out BOOLEAN, has_certificate BOOLEAN, sex VARCHAR, birth_year INTEGER,
        age_at_start INTEGER, age_band VARCHAR, commune_nis VARCHAR,
        is_brussels_resident BOOLEAN, education_level VARCHAR, load_id VARCHAR""",
    "fct_placement": """placement_id VARCHAR, person_id VARCHAR, start_date DATE, end_date DATE,
        start_month DATE, duration_days INTEGER, employer_nace VARCHAR, nace_section VARCHAR,
        nace_division VARCHAR, occupation_isco VARCHAR, occupation_rome VARCHAR,
        contract_type VARCHAR, load_id VARCHAR""",
    "fct_vacancy": """vacancy_id VARCHAR, received_date DATE, received_month DATE,
        closed_date DATE, occupation_isco VARCHAR, occupation_rome VARCHAR, nace VARCHAR,
        nace_section VARCHAR, nace_division VARCHAR, commune_nis VARCHAR,
        position_count INTEGER, outcome VARCHAR, is_filled BOOLEAN, days_open INTEGER,
        load_id VARCHAR""",
    "fct_jobseeker_month": """month DATE, occupation_isco VARCHAR, occupation_rome VARCHAR,
        commune_nis VARCHAR, sex VARCHAR, age_band VARCHAR, duration_band VARCHAR,
        education_level VARCHAR, jobseeker_count INTEGER""",
    "fct_pool_activity": """activity_id VARCHAR, pool_id VARCHAR, activity_date DATE,
        activity_month DATE, function VARCHAR, target_group VARCHAR, activity_count INTEGER,
        participant_count INTEGER, hours DOUBLE, hire_count INTEGER""",
}

BRUSSELS = {
    "21001": ("Anderlecht", 120_000),
    "21004": ("Bruxelles", 190_000),
    "21015": ("Schaerbeek", 130_000),
}

_counter = iter(range(1, 1_000_000))


def month_of(day: date | None) -> date | None:
    return None if day is None else day.replace(day=1)


def enrolment(
    person: str,
    pool: str,
    start: date,
    end: date | None,
    status: str,
    *,
    sex: str = "F",
    certificate: bool = False,
    target_group: str = "job_seekers",
    birth_year: int | None = 1990,
    commune: str | None = "21001",
    education: str = "medium",
) -> dict[str, Any]:
    """One fct_enrolment row with the derived columns filled as the core layer defines them."""
    age = None if birth_year is None else start.year - birth_year
    band = None if age is None else ("lt25" if age < 25 else "25_49" if age < 50 else "ge50")
    return {
        "enrolment_id": f"E{next(_counter)}",
        "person_id": person,
        "pool_id": pool,
        "programme_id": "P1",
        "programme_name": "programme",
        "target_group": target_group,
        "start_date": start,
        "end_date": end,
        "start_month": month_of(start),
        "end_month": month_of(end),
        "status": status,
        "is_completed": status == "completed",
        "is_dropped_out": status == "dropped_out",
        "has_certificate": certificate,
        "sex": sex,
        "birth_year": birth_year,
        "age_at_start": age,
        "age_band": band,
        "commune_nis": commune,
        "is_brussels_resident": commune is not None and commune.startswith("21"),
        "education_level": education,
        "load_id": "L1",
    }


def placement(
    person: str,
    start: date,
    end: date | None = None,
    *,
    nace: str = "62.010",
    isco: str | None = "2512",
) -> dict[str, Any]:
    """One fct_placement row; section and division derived from the dotted NACE code."""
    division = nace[:2]
    section = {"62": "J", "25": "C", "43": "F", "49": "H", "56": "I", "47": "G"}.get(division)
    return {
        "placement_id": f"J{next(_counter)}",
        "person_id": person,
        "start_date": start,
        "end_date": end,
        "start_month": month_of(start),
        "duration_days": None if end is None else (end - start).days,
        "employer_nace": nace,
        "nace_section": section,
        "nace_division": division,
        "occupation_isco": isco,
        "occupation_rome": None,
        "contract_type": "permanent",
        "load_id": "L1",
    }


def vacancy(
    received: date,
    closed: date | None,
    outcome: str,
    *,
    isco: str | None = "2512",
    rome: str | None = None,
    commune: str | None = "21004",
) -> dict[str, Any]:
    """One fct_vacancy row; days_open counted to the closing day (NULL while open)."""
    return {
        "vacancy_id": f"V{next(_counter)}",
        "received_date": received,
        "received_month": month_of(received),
        "closed_date": closed,
        "occupation_isco": isco,
        "occupation_rome": rome,
        "nace": "62.010",
        "nace_section": "J",
        "nace_division": "62",
        "commune_nis": commune,
        "position_count": 1,
        "outcome": outcome,
        "is_filled": outcome == "filled",
        "days_open": None if closed is None else (closed - received).days,
        "load_id": "L1",
    }


def jobseekers(
    month: date,
    count: int,
    *,
    isco: str | None = "2512",
    rome: str | None = None,
    commune: str = "21001",
    duration: str = "lt6m",
    sex: str = "F",
) -> dict[str, Any]:
    return {
        "month": month,
        "occupation_isco": isco,
        "occupation_rome": rome,
        "commune_nis": commune,
        "sex": sex,
        "age_band": "25_49",
        "duration_band": duration,
        "education_level": "medium",
        "jobseeker_count": count,
    }


def activity(
    pool: str,
    day: date,
    function: str,
    *,
    activities: int = 1,
    participants: int = 0,
    hours: float = 0.0,
    hires: int | None = None,
) -> dict[str, Any]:
    return {
        "activity_id": f"A{next(_counter)}",
        "pool_id": pool,
        "activity_date": day,
        "activity_month": month_of(day),
        "function": function,
        "target_group": "job_seekers",
        "activity_count": activities,
        "participant_count": participants,
        "hours": hours,
        "hire_count": hires,
    }


def default_dims() -> dict[str, list[dict[str, Any]]]:
    """Two pools, three Brussels communes, the pools' sectors and occupations."""
    pools = [
        {
            "pool_id": "digitalcity",
            "short_name": "Digitalcity",
            "status": "operational",
            "opening_month": date(2020, 10, 1),
        },
        {
            "pool_id": "technicity",
            "short_name": "Technicity",
            "status": "operational",
            "opening_month": date(2019, 1, 1),
        },
    ]
    communes = [
        {"commune_nis": nis, "name_fr": name, "name_nl": name, "population": pop, "nuts3": "BE100"}
        for nis, (name, pop) in BRUSSELS.items()
    ]
    functions = [
        {"function_id": f, "name_fr": f, "name_nl": f, "name_en": f, "sort_order": i}
        for i, f in enumerate(
            (
                "advanced_equipment",
                "equipment_lending",
                "competence_validation",
                "trade_information",
                "orientation_trial",
                "job_matching",
            )
        )
    ]
    return {
        "dim_pool": pools,
        "dim_commune": communes,
        "dim_pool_function": functions,
        "bridge_pool_nace": [
            {"pool_id": "digitalcity", "nace_code": "62", "nace_level": 2, "mapping": "core"},
            {"pool_id": "technicity", "nace_code": "25", "nace_level": 2, "mapping": "core"},
            {"pool_id": "technicity", "nace_code": "43.21", "nace_level": 4, "mapping": "core"},
        ],
        "bridge_pool_occupation": [
            {"pool_id": "digitalcity", "classification": "isco08", "occupation_code": "2512"},
            {"pool_id": "digitalcity", "classification": "isco08", "occupation_code": "3512"},
            {"pool_id": "technicity", "classification": "isco08", "occupation_code": "7212"},
            {"pool_id": "technicity", "classification": "rome", "occupation_code": "H2913"},
        ],
    }


def create_core(
    con: duckdb.DuckDBPyConnection, rows: Mapping[str, Sequence[Mapping[str, Any]]]
) -> None:
    """Create schema core with every documented table and insert the given rows."""
    con.execute("CREATE SCHEMA IF NOT EXISTS core")
    for table, columns in CORE_TABLES.items():
        con.execute(f"CREATE TABLE core.{table} ({columns})")
    merged: dict[str, list[Mapping[str, Any]]] = {k: list(v) for k, v in default_dims().items()}
    for table, table_rows in rows.items():
        if table not in CORE_TABLES:
            raise KeyError(f"core.{table} is not a documented core table")
        merged[table] = list(table_rows)
    for table, table_rows in merged.items():
        names = [c.split()[0] for c in _columns(CORE_TABLES[table])]
        for row in table_rows:
            unknown = set(row) - set(names)
            if unknown:
                raise KeyError(f"core.{table} has no column(s) {sorted(unknown)}")
            values = [row.get(n) for n in names]
            placeholders = ", ".join("?" for _ in names)
            con.execute(f"INSERT INTO core.{table} VALUES ({placeholders})", values)


def _columns(ddl: str) -> list[str]:
    return [c.strip() for c in ddl.split(",") if c.strip()]


def mart_files() -> dict[str, Path]:
    return {p.stem: p for p in sorted(MARTS_DIR.glob("*.sql"))}


def mart_order() -> list[str]:
    """Mart names in dependency order (a mart after every marts.x it references)."""
    files = mart_files()
    deps = {
        name: set(re.findall(r"marts\.(\w+)", path.read_text())) & set(files) - {name}
        for name, path in files.items()
    }
    order: list[str] = []
    while deps:
        ready = sorted(n for n, d in deps.items() if d <= set(order))
        if not ready:
            raise RuntimeError(f"cycle among marts: {sorted(deps)}")
        order.extend(ready)
        for n in ready:
            del deps[n]
    return order


def build_marts(con: duckdb.DuckDBPyConnection, as_of_month: date) -> None:
    """Build the intermediate relations, then every mart, as the build runner does:
    CREATE TABLE <layer>.<name> AS <file text>."""
    con.execute(f"SET VARIABLE as_of_month = DATE '{as_of_month.isoformat()}'")
    con.execute("CREATE SCHEMA IF NOT EXISTS intermediate")
    for path in sorted((MARTS_DIR.parent / "intermediate").glob("*.sql")):
        con.execute(f"CREATE TABLE intermediate.{path.stem} AS {path.read_text()}")
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    for name in mart_order():
        con.execute(f"CREATE TABLE marts.{name} AS {mart_files()[name].read_text()}")


def warehouse(
    rows: Mapping[str, Sequence[Mapping[str, Any]]], as_of_month: date
) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    create_core(con, rows)
    build_marts(con, as_of_month)
    return con


def fetch(con: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> list[dict[str, Any]]:
    """Rows of a query as dicts, for readable assertions."""
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def one(con: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> dict[str, Any]:
    rows = fetch(con, sql, *params)
    assert len(rows) == 1, f"expected one row, got {len(rows)}: {rows}"
    return rows[0]


@pytest.fixture
def empty_warehouse() -> Iterator[duckdb.DuckDBPyConnection]:
    con = warehouse({}, date(2024, 6, 1))
    yield con
    con.close()


OFFICIAL_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "published"


def add_context(con: duckdb.DuckDBPyConnection) -> None:
    """The context layer from real published files, as the load builds it: observations read
    by the connectors, then queries/context/ built over them."""
    from pipelines.build import build
    from pipelines.context import ensure_context_table
    from pipelines.paths import queries_dir
    from pipelines.sources.official import detect_and_read

    con.execute("CREATE SCHEMA IF NOT EXISTS context")
    ensure_context_table(con)
    names = {
        fr: nis
        for nis, fr, nl in con.execute(
            "SELECT commune_nis, name_fr, name_nl FROM core.dim_commune"
        ).fetchall()
    }
    names |= {
        nl: nis
        for nis, fr, nl in con.execute(
            "SELECT commune_nis, name_fr, name_nl FROM core.dim_commune"
        ).fetchall()
    }
    for i, relative in enumerate(
        [
            "eurostat/tgs00010.tsv",
            "eurostat/ei_lmjv_q_r2_job_vacancies.xlsx",
            "brussels/demandeurs_emploi_genre_etudes.csv",
        ]
    ):
        read = detect_and_read(OFFICIAL_FIXTURES / relative, names)
        con.register("incoming", read.observations)
        con.execute("INSERT INTO context.observation SELECT *, ?::BIGINT FROM incoming", [i + 1])
        con.unregister("incoming")
    build(con, queries_dir(), as_of_month=date(2024, 12, 1), layers=("context",))
