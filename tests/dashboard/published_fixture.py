"""A small published.duckdb with the documented tables (docs/architecture.md "Published",
docs/marts.md), for the dashboard tests.

Why a hand-made file and not the pipeline: the dashboard must be testable on its own, and the
few rows here are chosen to exercise what the pages must show — a suppressed cell (flag `c`), a
provisional cohort (`p`), a planned pool with no trainees, the `_T` total rows.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
MONTHS = [date(2023 + (m // 12), m % 12 + 1, 1) for m in range(24)]  # 2023-01 … 2024-12
POOLS = ("technicity", "digitalcity", "horeca")
ISCO = {"technicity": ("7212", "7412"), "digitalcity": ("2512", "3512"), "horeca": ("5120",)}
FUNCTIONS = (
    "advanced_equipment",
    "equipment_lending",
    "competence_validation",
    "trade_information",
    "orientation_trial",
    "job_matching",
)
TARGET_GROUPS = ("job_seekers", "employees", "pupils")


def _insert(con: duckdb.DuckDBPyConnection, sql: str, rows: Sequence[tuple[object, ...]]) -> None:
    """executemany is slow in DuckDB (one statement a row): insert through a DataFrame instead,
    keeping the statement's constant columns (e.g. `?, 'isco08', ?`)."""
    import pandas as pd

    head, _, values = sql.partition(" VALUES ")
    table = head.removeprefix("INSERT INTO ").strip()
    exprs = [e.strip() for e in values.strip()[1:-1].split(",")]
    frame = pd.DataFrame.from_records(rows, columns=[f"c{i}" for i in range(len(rows[0]))])
    select, i = [], 0
    for e in exprs:
        if e == "?":
            select.append(f"c{i}")
            i += 1
        else:
            select.append(e)
    con.register("_rows", frame)
    con.execute(f"INSERT INTO {table} SELECT {', '.join(select)} FROM _rows")
    con.unregister("_rows")


def _periods() -> list[tuple[str, str, date]]:
    out: list[tuple[str, str, date]] = []
    for m in MONTHS:
        out.append(("month", f"{m.year}-{m.month:02d}", m))
    for year in (2023, 2024):
        out.append(("year", str(year), date(year, 1, 1)))
        for q in range(4):
            out.append(("quarter", f"{year}-Q{q + 1}", date(year, 3 * q + 1, 1)))
    return out


def _dims(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        CREATE TABLE core.dim_pool(pool_id VARCHAR, short_name VARCHAR, name_fr VARCHAR,
            name_nl VARCHAR, name_en VARCHAR, sector_fr VARCHAR, sector_nl VARCHAR,
            sector_en VARCHAR, status VARCHAR, opening_month DATE, commune_nis VARCHAR,
            competitiveness_pole_fr VARCHAR, competitiveness_pole_nl VARCHAR,
            competitiveness_pole_en VARCHAR, site_note VARCHAR)""")
    _insert(
        con,
        "INSERT INTO core.dim_pool VALUES (?,?,?,?,?,?,?,?,?,?,?,NULL,NULL,NULL,NULL)",
        [
            (
                "technicity",
                "Technicity.brussels",
                "Pôle Technicity",
                "Pool Technicity",
                "Technicity pool",
                "Industrie technologique",
                "Technologische industrie",
                "Technology industry",
                "operational",
                date(2019, 1, 1),
                "21001",
            ),
            (
                "digitalcity",
                "Digitalcity.brussels",
                "Pôle Digitalcity",
                "Pool Digitalcity",
                "Digitalcity pool",
                "Numérique",
                "Digitale beroepen",
                "Digital",
                "operational",
                date(2020, 10, 1),
                "21002",
            ),
            (
                "horeca",
                "Horeca",
                "Pôle horeca (prévu)",
                "Pool horeca (gepland)",
                "Horeca pool (planned)",
                "Horeca",
                "Horeca",
                "Hospitality",
                "planned",
                None,
                None,
            ),
        ],
    )
    con.execute("""CREATE TABLE core.dim_pool_function(function_id VARCHAR, name_fr VARCHAR,
        name_nl VARCHAR, name_en VARCHAR, description_fr VARCHAR, description_nl VARCHAR,
        description_en VARCHAR, sort_order INTEGER)""")
    _insert(
        con,
        "INSERT INTO core.dim_pool_function VALUES (?,?,?,?,?,?,?,?)",
        [
            (f, f"{f} fr", f"{f} nl", f"{f} en", "d fr", "d nl", "d en", i + 1)
            for i, f in enumerate(FUNCTIONS)
        ],
    )
    con.execute("""CREATE TABLE core.dim_commune(commune_nis VARCHAR, name_fr VARCHAR,
        name_nl VARCHAR, population BIGINT, area_km2 DOUBLE, nuts3 VARCHAR)""")
    with (ROOT / "data/reference/geo/brussels_communes.csv").open(encoding="utf-8") as fh:
        rows = [
            (
                r["nis_code"],
                r["name_fr"],
                r["name_nl"],
                int(r["population_2020_01_01"]),
                float(r["area_km2_approx"]),
                r["nuts3"],
            )
            for r in csv.DictReader(fh)
        ]
    _insert(con, "INSERT INTO core.dim_commune VALUES (?,?,?,?,?,?)", rows)
    con.execute("""CREATE TABLE core.dim_occupation(occupation_code VARCHAR,
        classification VARCHAR, level INTEGER, parent_code VARCHAR, label_fr VARCHAR,
        label_nl VARCHAR, label_en VARCHAR)""")
    _insert(
        con,
        "INSERT INTO core.dim_occupation VALUES (?, 'isco08', 4, NULL, ?, ?, ?)",
        [
            (code, f"Métier {code}", f"Beroep {code}", f"Occupation {code}")
            for codes in ISCO.values()
            for code in codes
        ],
    )
    con.execute("""CREATE TABLE core.dim_nace(nace_code VARCHAR, code_compact VARCHAR,
        level INTEGER, parent_code VARCHAR, section VARCHAR, label_fr VARCHAR, label_nl VARCHAR,
        label_en VARCHAR, nace_version VARCHAR)""")
    _insert(
        con,
        "INSERT INTO core.dim_nace VALUES (?, ?, 1, NULL, ?, ?, ?, ?, '2008')",
        [
            (s, s, s, f"Section {s} fr", f"Sectie {s} nl", f"Section {s} en")
            for s in ("C", "F", "I", "J", "N")
        ],
    )
    con.execute("""CREATE TABLE core.dim_code(code_list VARCHAR, code VARCHAR, label_fr VARCHAR,
        label_nl VARCHAR, label_en VARCHAR, sort_order INTEGER)""")
    _insert(
        con,
        "INSERT INTO core.dim_code VALUES (?,?,?,?,?,?)",
        [
            ("sex", "F", "Femmes", "Vrouwen", "Women", 1),
            ("sex", "M", "Hommes", "Mannen", "Men", 2),
            ("sex", "X", "X", "X", "X", 3),
        ]
        + [
            ("target_group", g, f"{g} fr", f"{g} nl", f"{g} en", i + 1)
            for i, g in enumerate(TARGET_GROUPS)
        ],
    )
    con.execute("""CREATE TABLE core.bridge_pool_nace(pool_id VARCHAR, nace_code VARCHAR,
        nace_level INTEGER, mapping VARCHAR)""")
    _insert(
        con,
        "INSERT INTO core.bridge_pool_nace VALUES (?, ?, 1, 'core')",
        [("technicity", "C"), ("digitalcity", "J"), ("horeca", "I")],
    )
    con.execute("""CREATE TABLE core.bridge_pool_occupation(pool_id VARCHAR,
        classification VARCHAR, occupation_code VARCHAR)""")
    _insert(
        con,
        "INSERT INTO core.bridge_pool_occupation VALUES (?, 'isco08', ?)",
        [(p, c) for p, codes in ISCO.items() for c in codes],
    )


INDICATORS = [
    # indicator_id, mart, column, unit
    ("jobseekers", "mart_labour_market_pool", "jobseeker_count", "count"),
    ("vacancies_received", "mart_labour_market_pool", "vacancy_received_count", "count"),
    ("tension", "mart_labour_market_pool", "tension_ratio", "ratio"),
    ("trainees", "mart_pool_participation", "trainee_count", "count"),
    ("starts", "mart_pool_participation", "start_count", "count"),
    ("completers", "mart_pool_participation", "completed_count", "count"),
    ("completion_rate", "mart_pool_participation", "completion_rate", "rate"),
    ("leavers", "mart_pool_placement", "leaver_count", "count"),
    ("in_work_3m", "mart_pool_placement", "in_work_3m_count", "count"),
    ("in_work_6m", "mart_pool_placement", "in_work_6m_count", "count"),
    ("in_work_12m", "mart_pool_placement", "in_work_12m_count", "count"),
    ("placement_rate", "mart_pool_placement", "in_work_6m_rate", "rate"),
    ("durable_job_rate", "mart_pool_placement", "durable_job_rate", "rate"),
    ("function_participants", "mart_pool_function", "participant_count", "count"),
    ("function_hours", "mart_pool_function", "hours", "count"),
    ("shortage", "mart_shortage_occupation", "tension_ratio", "ratio"),
    ("occupation_tension", "mart_labour_market_occupation", "tension_ratio", "ratio"),
    ("supply_demand_gap", "mart_supply_demand", "gap_count", "count"),
    ("commune_trainees", "mart_commune", "trainee_count", "count"),
    ("commune_jobseekers", "mart_commune", "jobseeker_avg_count", "count"),
]


def _meta(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""CREATE TABLE meta.indicator(indicator_id VARCHAR, relation VARCHAR,
        column_name VARCHAR, unit VARCHAR, name_fr VARCHAR, name_nl VARCHAR, name_en VARCHAR,
        definition_fr VARCHAR, definition_nl VARCHAR, definition_en VARCHAR, source VARCHAR,
        version VARCHAR, also_in VARCHAR)""")
    _insert(
        con,
        "INSERT INTO meta.indicator VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                i,
                m,
                c,
                u,
                f"{i} (fr)",
                f"{i} (nl)",
                f"{i} (en)",
                f"Définition de {i}.",
                f"Definitie van {i}.",
                f"Definition of {i}.",
                "Actiris; Bruxelles Formation",
                "1.0",
                "" if m != "mart_labour_market_occupation" else "mart_labour_market_pool",
            )
            for i, m, c, u in INDICATORS
        ],
    )
    con.execute("""CREATE TABLE meta.freshness(source VARCHAR, period_from DATE, period_to DATE,
        last_load_at TIMESTAMP, file_count BIGINT, row_count BIGINT)""")
    con.execute("""INSERT INTO meta.freshness VALUES
        ('enrolments', DATE '2023-01-01', DATE '2024-12-31',
         TIMESTAMP '2025-01-10 08:00', 2, 900),
        ('vacancies', DATE '2023-01-01', DATE '2024-12-31',
         TIMESTAMP '2025-01-11 08:00', 1, 5000)""")
    con.execute("""CREATE TABLE meta.load_summary(source VARCHAR, file_name VARCHAR,
        status VARCHAR, reason VARCHAR, rows_read BIGINT, rows_loaded BIGINT,
        rows_quarantined BIGINT, loaded_at TIMESTAMP)""")
    con.execute("""INSERT INTO meta.load_summary VALUES
        ('enrolments', 'enrolments_2024.csv', 'loaded', NULL, 910, 900, 10,
         TIMESTAMP '2025-01-10 08:00'),
        ('vacancies', 'vacatures.xlsx', 'rejected', 'missing_column', 0, 0, 0,
         TIMESTAMP '2025-01-11 08:00')""")
    con.execute("""CREATE TABLE meta.quarantine_summary(source VARCHAR, file_name VARCHAR,
        reason_code VARCHAR, row_count BIGINT)""")
    con.execute("""INSERT INTO meta.quarantine_summary VALUES
        ('enrolments', 'enrolments_2024.csv', 'bad_insz', 7),
        ('enrolments', 'enrolments_2024.csv', 'unknown_code', 3)""")
    con.execute("""CREATE TABLE meta.publication(published_at TIMESTAMP,
        suppression_threshold INTEGER, min_rate_denominator INTEGER)""")
    con.execute("INSERT INTO meta.publication VALUES (TIMESTAMP '2025-01-12 06:00', 10, 20)")


def _flag(value: float | None, small: bool = False) -> tuple[float | None, str | None]:
    if small:
        return None, "c"
    return value, None


def _marts(con: duckdb.DuckDBPyConnection, scale: int) -> None:
    periods = _periods()
    pools_t = (*POOLS, "_T")
    # participation: long breakdown layout
    con.execute("""CREATE TABLE marts.mart_pool_participation(pool_id VARCHAR,
        period_type VARCHAR, period VARCHAR, period_start DATE, breakdown VARCHAR,
        breakdown_value VARCHAR, enrolment_count BIGINT, enrolment_count_flag VARCHAR,
        start_count BIGINT, start_count_flag VARCHAR, trainee_count BIGINT,
        trainee_count_flag VARCHAR, leaver_count BIGINT, leaver_count_flag VARCHAR,
        completed_count BIGINT, completed_count_flag VARCHAR, dropped_out_count BIGINT,
        dropped_out_count_flag VARCHAR, certified_count BIGINT, certified_count_flag VARCHAR,
        completion_rate DOUBLE, completion_rate_flag VARCHAR, dropout_rate DOUBLE,
        dropout_rate_flag VARCHAR, certification_rate DOUBLE, certification_rate_flag VARCHAR)""")
    rows: list[tuple[object, ...]] = []
    breakdowns = (
        [("total", "_T")]
        + [("sex", s) for s in ("F", "M", "X")]
        + [("target_group", g) for g in TARGET_GROUPS]
    )
    for pool in pools_t:
        if pool == "horeca":
            continue  # planned: no trainees
        base = {"technicity": 120, "digitalcity": 80, "_T": 200}[pool] * scale
        for ptype, period, start in periods:
            mult = {"month": 1, "quarter": 3, "year": 12}[ptype]
            growth = 1 + 0.01 * MONTHS.index(start) if start in MONTHS else 1
            for bd, val in breakdowns:
                share = {
                    "_T": 1.0,
                    "F": 0.3,
                    "M": 0.68,
                    "X": 0.02,
                    "job_seekers": 0.7,
                    "employees": 0.25,
                    "pupils": 0.05,
                }[val]
                n = round(base * share * growth * (mult if ptype != "month" else 1))
                small = 0 < n < 10
                enr = None if small else n * 2
                fl = "c" if small else None
                starts = None if small else max(n // 3, 0)
                leavers = None if small else max(n // 4, 1)
                comp = None if small else round((leavers or 0) * 0.7)
                drop = None if small else (leavers or 0) - (comp or 0)
                cert = None if small else round((comp or 0) * 0.8)
                rate = None if small else (comp or 0) / (leavers or 1)
                rows.append(
                    (
                        pool,
                        ptype,
                        period,
                        start,
                        bd,
                        val,
                        enr,
                        fl,
                        starts,
                        fl,
                        None if small else n,
                        fl,
                        leavers,
                        fl,
                        comp,
                        fl,
                        drop,
                        fl,
                        cert,
                        fl,
                        rate,
                        fl,
                        None if small else 1 - (rate or 0),
                        fl,
                        None if small else 0.8,
                        fl,
                    )
                )
    _insert(con, f"INSERT INTO marts.mart_pool_participation VALUES ({','.join('?' * 26)})", rows)
    # placement
    con.execute("""CREATE TABLE marts.mart_pool_placement(pool_id VARCHAR, period_type VARCHAR,
        period VARCHAR, period_start DATE, sex VARCHAR,
        leaver_count BIGINT, leaver_count_flag VARCHAR,
        in_work_3m_count BIGINT, in_work_3m_count_flag VARCHAR,
        in_work_6m_count BIGINT, in_work_6m_count_flag VARCHAR,
        in_work_12m_count BIGINT, in_work_12m_count_flag VARCHAR,
        durable_job_count BIGINT, durable_job_count_flag VARCHAR,
        in_work_3m_rate DOUBLE, in_work_3m_rate_flag VARCHAR,
        in_work_6m_rate DOUBLE, in_work_6m_rate_flag VARCHAR,
        in_work_12m_rate DOUBLE, in_work_12m_rate_flag VARCHAR,
        durable_job_rate DOUBLE, durable_job_rate_flag VARCHAR)""")
    rows = []
    for pool in pools_t:
        if pool == "horeca":
            continue
        base = {"technicity": 30, "digitalcity": 20, "_T": 50}[pool] * scale
        for ptype, period, start in periods:
            mult = {"month": 1, "quarter": 3, "year": 12}[ptype]
            prov = start >= date(2024, 1, 1)
            for sex in ("F", "M", "X", "_T"):
                share = {"F": 0.3, "M": 0.68, "X": 0.02, "_T": 1.0}[sex]
                n = round(base * share * mult)
                if n < 10:
                    rows.append((pool, ptype, period, start, sex, *([None, "c"] * 9)))
                    continue
                f = "p" if prov else None
                i3, i6, i12 = round(n * 0.4), round(n * 0.55), round(n * 0.65)
                dur = round(n * 0.5)
                rows.append(
                    (
                        pool,
                        ptype,
                        period,
                        start,
                        sex,
                        n,
                        None,
                        i3,
                        f,
                        i6,
                        f,
                        i12,
                        f,
                        dur,
                        f,
                        i3 / n,
                        f,
                        i6 / n,
                        f,
                        i12 / n,
                        f,
                        dur / n,
                        f,
                    )
                )
    _insert(con, f"INSERT INTO marts.mart_pool_placement VALUES ({','.join('?' * 23)})", rows)
    # labour market per pool and per occupation
    lm_cols = """month DATE, vacancy_received_count BIGINT, vacancy_received_count_flag VARCHAR,
        vacancy_open_count BIGINT, vacancy_open_count_flag VARCHAR,
        jobseeker_count BIGINT, jobseeker_count_flag VARCHAR,
        vacancy_received_12m_count BIGINT, vacancy_received_12m_count_flag VARCHAR,
        jobseeker_avg_12m_count DOUBLE, jobseeker_avg_12m_count_flag VARCHAR,
        tension_ratio DOUBLE, tension_ratio_flag VARCHAR"""
    con.execute(f"CREATE TABLE marts.mart_labour_market_pool(pool_id VARCHAR, {lm_cols})")
    con.execute(
        f"CREATE TABLE marts.mart_labour_market_occupation(occupation_isco VARCHAR, {lm_cols})"
    )

    def lm_row(key: str, i: int, base: int) -> tuple[object, ...]:
        vac = base + (i % 5) * 3
        js = base * 6 + i * 2
        return (
            key,
            MONTHS[i],
            vac,
            None,
            vac // 2,
            None,
            js,
            None,
            vac * 12,
            None,
            float(js),
            None,
            js / vac,
            None,
        )

    _insert(
        con,
        f"INSERT INTO marts.mart_labour_market_pool VALUES ({','.join('?' * 14)})",
        [
            lm_row(p, i, b * scale)
            for p, b in (("technicity", 40), ("digitalcity", 60), ("horeca", 50), ("_T", 900))
            for i in range(len(MONTHS))
        ],
    )
    occ_rows = []
    for codes in ISCO.values():
        for j, code in enumerate(codes):
            for i in range(len(MONTHS)):
                row = list(lm_row(code, i, (12 + 7 * j) * scale))
                if code == "3512" and i == 3:
                    row[2], row[3] = None, "c"
                    row[12], row[13] = None, "c"
                occ_rows.append(tuple(row))
    occ_rows += [lm_row("_T", i, 900 * scale) for i in range(len(MONTHS))]
    _insert(
        con,
        f"INSERT INTO marts.mart_labour_market_occupation VALUES ({','.join('?' * 14)})",
        occ_rows,
    )
    # shortage occupations
    con.execute("""CREATE TABLE marts.mart_shortage_occupation(year INTEGER,
        occupation_isco VARCHAR, vacancy_received_count BIGINT,
        vacancy_received_count_flag VARCHAR, vacancy_filled_count BIGINT,
        vacancy_filled_count_flag VARCHAR, fill_rate DOUBLE, fill_rate_flag VARCHAR,
        median_days_open DOUBLE, all_fill_rate DOUBLE, all_median_days_open DOUBLE,
        jobseeker_avg_count DOUBLE, jobseeker_avg_count_flag VARCHAR, tension_ratio DOUBLE,
        tension_ratio_flag VARCHAR, is_shortage BOOLEAN)""")
    _insert(
        con,
        "INSERT INTO marts.mart_shortage_occupation VALUES (?,?,?,NULL,?,NULL,?,NULL,?,0.6,40,"
        "?,NULL,?,NULL,?)",
        [
            (
                y,
                code,
                100 + k * 10,
                40 + k * 5,
                (40 + k * 5) / (100 + k * 10),
                50.0 + k,
                300.0 + k * 20,
                (300.0 + k * 20) / (100 + k * 10),
                k % 2 == 0,
            )
            for y in (2023, 2024)
            for k, code in enumerate(c for codes in ISCO.values() for c in codes)
        ],
    )
    # pool functions
    con.execute("""CREATE TABLE marts.mart_pool_function(pool_id VARCHAR, function_id VARCHAR,
        period_type VARCHAR, period VARCHAR, period_start DATE,
        activity_count DECIMAL(38,0), activity_count_flag VARCHAR,
        participant_count DECIMAL(38,0), participant_count_flag VARCHAR,
        hours DOUBLE, hours_flag VARCHAR, hire_count DECIMAL(38,0), hire_count_flag VARCHAR)""")
    # DECIMAL(38,0): what DuckDB's sum() of integers gives in the real marts (issue 18)
    rows = []
    for pool in ("technicity", "digitalcity", "_T"):
        for k, fn in enumerate((*FUNCTIONS, "_T")):
            for ptype, period, start in periods:
                mult = {"month": 1, "quarter": 3, "year": 12}[ptype]
                n = (k + 2) * 5 * mult * scale
                rows.append(
                    (
                        pool,
                        fn,
                        ptype,
                        period,
                        start,
                        n,
                        None,
                        n * 3,
                        None,
                        float(n * 2),
                        None,
                        n // 10,
                        None,
                    )
                )
    _insert(con, f"INSERT INTO marts.mart_pool_function VALUES ({','.join('?' * 13)})", rows)
    # supply / demand
    con.execute("""CREATE TABLE marts.mart_supply_demand(pool_id VARCHAR,
        occupation_isco VARCHAR, year INTEGER, completer_count BIGINT,
        completer_count_flag VARCHAR, vacancy_received_count BIGINT,
        vacancy_received_count_flag VARCHAR, jobseeker_avg_count DOUBLE,
        jobseeker_avg_count_flag VARCHAR, is_shortage BOOLEAN, gap_count DOUBLE,
        gap_count_flag VARCHAR, vacancy_per_jobseeker DOUBLE,
        vacancy_per_jobseeker_flag VARCHAR)""")
    rows = []
    for pool, codes in ISCO.items():
        for y in (2023, 2024):
            for k, code in enumerate((*codes, "_T")):
                vac, js = 100 + 20 * k, 300.0 + 50 * k
                comp = 60 if code == "_T" and pool != "horeca" else None
                rows.append(
                    (
                        pool,
                        code,
                        y,
                        comp,
                        None,
                        vac,
                        None,
                        js,
                        None,
                        k % 2 == 0,
                        vac - js - (comp or 0),
                        None,
                        vac / js,
                        None,
                    )
                )
    _insert(con, f"INSERT INTO marts.mart_supply_demand VALUES ({','.join('?' * 14)})", rows)
    # communes
    con.execute("""CREATE TABLE marts.mart_commune(commune_nis VARCHAR, year INTEGER,
        pool_id VARCHAR, trainee_count BIGINT, trainee_count_flag VARCHAR,
        jobseeker_avg_count DOUBLE, jobseeker_avg_count_flag VARCHAR,
        vacancy_received_count BIGINT, vacancy_received_count_flag VARCHAR,
        population DECIMAL(38,0), trainee_per_1000 DOUBLE, trainee_per_1000_flag VARCHAR)""")
    communes = [
        r[0] for r in con.execute("SELECT commune_nis, population FROM core.dim_commune").fetchall()
    ]
    pops = dict(con.execute("SELECT commune_nis, population FROM core.dim_commune").fetchall())
    rows = []
    for y in (2023, 2024):
        for pool in (*POOLS, "_T"):
            for k, nis in enumerate([*communes, "04000"]):
                pop = pops.get(nis, 1_200_000)
                n = (k * 7 + 3) * scale if nis != "04000" else 500 * scale
                if pool == "horeca":
                    n = 0
                small = 0 < n < 10
                rows.append(
                    (
                        nis,
                        y,
                        pool,
                        None if small else n,
                        "c" if small else None,
                        float(200 + k * 30),
                        None,
                        50 + k,
                        None,
                        pop,
                        None if small else n * 1000 / pop,
                        "c" if small else None,
                    )
                )
    _insert(con, f"INSERT INTO marts.mart_commune VALUES ({','.join('?' * 12)})", rows)


def _context(con: duckdb.DuckDBPyConnection) -> None:
    """Official series as the context layer publishes them (queries/context/*.sql columns)."""
    con.execute("""CREATE TABLE context.brussels_unemployment_rate(year INTEGER,
        period_start DATE, sex VARCHAR, unemployment_rate DOUBLE, flag VARCHAR, dataset VARCHAR,
        source VARCHAR, last_update DATE)""")
    _insert(
        con,
        "INSERT INTO context.brussels_unemployment_rate VALUES (?,?,?,?,?,?,'Eurostat',?)",
        [
            (
                y,
                date(y, 1, 1),
                sex,
                15.0 + (y - 2015) * 0.5 + {"T": 0.0, "M": 1.0, "F": -1.0}[sex],
                "b" if y == 2017 else None,
                "tgs00010",
                date(2019, 4, 1),
            )
            for y in range(2015, 2025)
            for sex in ("T", "M", "F")
        ],
    )
    con.execute("""CREATE TABLE context.job_vacancy_rate_be(period VARCHAR, period_start DATE,
        nace VARCHAR, job_vacancy_rate DOUBLE, flag VARCHAR, source VARCHAR,
        last_update DATE)""")
    quarters = [(y, q) for y in (2023, 2024) for q in range(1, 5)]
    _insert(
        con,
        "INSERT INTO context.job_vacancy_rate_be VALUES (?,?,?,?,?,'Eurostat',DATE '2025-11-19')",
        [
            (
                f"{y}-Q{q}",
                date(y, 3 * q - 2, 1),
                nace,
                None if nace == "A" else 4.0 + k * 0.5 + q * 0.1,
                "p" if (y, q) == (2024, 4) else None,
            )
            for y, q in quarters
            for k, nace in enumerate(("A", "B-S", "C", "F", "J"))
        ],
    )
    con.execute("""CREATE TABLE context.actiris_jobseekers_commune(year INTEGER,
        commune_nis VARCHAR, sex VARCHAR, education VARCHAR, jobseeker_count DOUBLE,
        source VARCHAR)""")
    communes = [r[0] for r in con.execute("SELECT commune_nis FROM core.dim_commune").fetchall()]
    _insert(
        con,
        "INSERT INTO context.actiris_jobseekers_commune VALUES"
        " (?,?,?,?,?,'Actiris via opendata.brussels')",
        [
            (y, nis, sex, edu, float(1000 + k * 250 + (y - 2023) * 10))
            for y in (2023, 2024)
            for k, nis in enumerate(sorted(communes))
            for sex in ("T", "F")
            for edu in ("total", "low")
        ],
    )
    con.execute("""CREATE TABLE context.official_series(dataset VARCHAR, geo VARCHAR,
        unit VARCHAR, period VARCHAR, period_start DATE, freq VARCHAR, value DOUBLE,
        flag VARCHAR, source VARCHAR, last_update DATE, file_name VARCHAR)""")
    con.execute("""INSERT INTO context.official_series VALUES
        ('tgs00010', 'BE10', 'PC', '2017', DATE '2017-01-01', 'A', 15.9, 'b', 'Eurostat',
         DATE '2019-04-01', 'tgs00010.tsv'),
        ('ei_lmjv_q_r2', 'BE', 'PC', '2024-Q4', DATE '2024-10-01', 'Q', 4.2, 'p', 'Eurostat',
         DATE '2025-11-19', 'ei_lmjv_q_r2_job_vacancies.xlsx'),
        ('actiris_dei_commune_sex_education', '21001', 'PER', '2024', DATE '2024-01-01', 'A',
         1000.0, NULL, 'Actiris via opendata.brussels', NULL,
         'demandeurs_emploi_genre_etudes.csv')""")


PROGRAMMES = {
    "technicity": (("T-WELD", "Soudure"), ("T-ELEC", "Électricité industrielle")),
    "digitalcity": (("D-WEB", "Développement web"), ("D-DATA", "Analyse de données")),
}


def _restricted(con: duckdb.DuckDBPyConnection, scale: int) -> None:
    """mart_programme_month of restricted.duckdb as the publisher writes it: person counts
    1..9 are NULL with flag `c` (primary suppression only)."""
    measures = (
        "enrolment_count",
        "start_count",
        "leaver_count",
        "completed_count",
        "dropped_out_count",
        "certified_count",
    )
    cols = ", ".join(f"{m} BIGINT, {m}_flag VARCHAR" for m in measures)
    con.execute(f"""CREATE TABLE main.mart_programme_month(pool_id VARCHAR,
        programme_id VARCHAR, programme_name VARCHAR, month DATE, period VARCHAR, {cols})""")
    rows: list[tuple[object, ...]] = []
    for pool, programmes in PROGRAMMES.items():
        for k, (pid, name) in enumerate(programmes):
            for i, m in enumerate(MONTHS):
                raw = [
                    (30 + i + 10 * k) * scale,
                    (4 + k) * scale,
                    (12 + i % 3) * scale,
                    (10 + i % 3) * scale,
                    (2 + k) * scale,
                    (8 + i % 2) * scale,
                ]
                cells: list[object] = []
                for v in raw:
                    cells += [None, "c"] if 0 < v < 10 else [v, None]
                rows.append((pool, pid, name, m, f"{m.year}-{m.month:02d}", *cells))
    _insert(
        con,
        f"INSERT INTO main.mart_programme_month VALUES ({','.join('?' * 17)})",
        rows,
    )


def make_published(path: Path, scale: int = 1) -> Path:
    """Write a small published file at `path` and the pool-manager tier's restricted.duckdb
    beside it (atomically, like the publisher) and return the published path.

    `scale` multiplies the counts so a test can publish a second, different file and check that
    the dashboard shows the new numbers without a restart.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    work = path.with_name(path.name + ".building")
    work.unlink(missing_ok=True)
    con = duckdb.connect(str(work))
    try:
        for schema in ("core", "meta", "marts", "context"):
            con.execute(f"CREATE SCHEMA {schema}")
        _dims(con)
        _meta(con)
        _marts(con, scale)
        _context(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    tier = path.with_name("restricted.duckdb")
    tier_work = tier.with_name(tier.name + ".building")
    tier_work.unlink(missing_ok=True)
    con = duckdb.connect(str(tier_work))
    try:
        _restricted(con, scale)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tier_work, tier)
    os.replace(work, path)
    return path
