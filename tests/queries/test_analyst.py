"""Every named analyst query runs on the fixture warehouse, with its defaults and with given
parameters, and returns the hand-computed figures; also on a published-shaped copy where each
measure has its `<column>_flag` column."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import duckdb
import pytest

from pipelines.catalogue import CatalogueError, analyst_queries, mart_specs, parse_analyst_query
from tests.queries import test_labour_market as lm
from tests.queries import test_placement as pl
from tests.queries.conftest import activity, add_context, warehouse

QUERIES = analyst_queries()


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    c = warehouse(
        {
            "fct_enrolment": pl.ENROLMENTS + lm.ENROLMENTS,
            "fct_placement": pl.JOBS,
            "fct_vacancy": lm.VACANCIES,
            "fct_jobseeker_month": lm.STOCK,
            "fct_pool_activity": [
                activity(
                    "technicity",
                    date(2024, 2, 5),
                    "job_matching",
                    activities=5,
                    participants=5,
                    hires=2,
                ),
                activity(
                    "technicity",
                    date(2024, 5, 5),
                    "job_matching",
                    activities=1,
                    participants=1,
                    hires=1,
                ),
            ],
        },
        date(2024, 12, 1),
    )
    add_context(c)
    yield c
    c.close()


def run(con: duckdb.DuckDBPyConnection, name: str, **params: str) -> list[dict]:
    query = QUERIES[name]
    cur = con.execute(query.sql, query.bind(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def test_at_least_eight_queries_with_headers() -> None:
    assert len(QUERIES) >= 8
    for q in QUERIES.values():
        assert q.title and q.description


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_runs_with_its_defaults(con: duckdb.DuckDBPyConnection, name: str) -> None:
    run(con, name)


def test_placement_by_pool_sex(con: duckdb.DuckDBPyConnection) -> None:
    # default year: the latest closed cohort year, 2023 (2024 is provisional at December 2024)
    rows = run(con, "placement_by_pool_sex")
    assert {r["year"] for r in rows} == {"2023"}
    digital = {
        r["sex"]: r for r in run(con, "placement_by_pool_sex", year="2023", pool="digitalcity")
    }
    # Digitalcity 2023 exits: p1, p3, p4 (F) and p2 (M); in work within 12 months p1, p2
    assert digital["_T"]["in_work_12m_rate"] == pytest.approx(2 / 4)
    assert digital["F"]["in_work_12m_rate"] == pytest.approx(1 / 3)
    assert digital["M"]["durable_job_rate"] == pytest.approx(1.0)


def test_placement_sectors(con: duckdb.DuckDBPyConnection) -> None:
    rows = run(con, "placement_sectors", pool="digitalcity", year="2023")
    assert [r["nace_section"] for r in rows] == ["_T", "G", "J"]  # total first, then by count
    assert rows[0]["first_job_count"] == 2


def test_shortage_in_pool_sector(con: duckdb.DuckDBPyConnection) -> None:
    rows = run(con, "shortage_in_pool_sector", pool="digitalcity", year="2024")
    assert [r["occupation_isco"] for r in rows] == ["2512"]
    assert rows[0]["vacancy_received_count"] == 4
    assert run(con, "shortage_in_pool_sector", pool="digitalcity", top="0") == []


def test_tension_by_occupation(con: duckdb.DuckDBPyConnection) -> None:
    rows = run(con, "tension_by_occupation", occupation="2512", from_month="2024-11-01")
    assert [r["month"] for r in rows] == [date(2024, 11, 1), date(2024, 12, 1)]
    assert rows[1]["tension_ratio"] == pytest.approx(40 / 4)


def test_trainees_by_commune(con: duckdb.DuckDBPyConnection) -> None:
    rows = {r["commune_nis"]: r for r in run(con, "trainees_by_commune", year="2024")}
    # Anderlecht (the fixtures' default commune) in 2024: a, b, and the placement fixture's
    # p3 (ongoing), p7 (left 5 January), p8, p9 = 6 persons
    assert rows["21001"]["trainee_count"] == 6
    assert list(rows)[-1] == "04000"  # the region last


def test_supply_demand_gap(con: duckdb.DuckDBPyConnection) -> None:
    rows = run(con, "supply_demand_gap", pool="digitalcity", year="2024")
    assert rows[0]["occupation_isco"] == "_T"
    assert rows[0]["gap_count"] == pytest.approx(4 - 40 - 3)


def test_pool_function_by_quarter(con: duckdb.DuckDBPyConnection) -> None:
    rows = run(con, "pool_function_by_quarter", pool="technicity", year="2024")
    hires = {(r["quarter"], r["function_id"]): r["hire_count"] for r in rows}
    assert hires == {
        ("2024-Q1", "job_matching"): 2,
        ("2024-Q1", "_T"): 2,
        ("2024-Q2", "job_matching"): 1,
        ("2024-Q2", "_T"): 1,
    }


def test_cohort_follow_up(con: duckdb.DuckDBPyConnection) -> None:
    rows = run(con, "cohort_follow_up", pool="digitalcity", period_type="quarter")
    # the placement fixture's 2023-Q1, and a, c, d who left on 28 June 2024
    assert [r["cohort"] for r in rows] == ["2023-Q1", "2024-Q2"]
    assert rows[0]["positive_exit_rate"] == pytest.approx(3 / 4)


def test_participation_by_breakdown(con: duckdb.DuckDBPyConnection) -> None:
    rows = run(
        con, "participation_by_breakdown", pool="digitalcity", year="2024", breakdown="commune"
    )
    values = {r["breakdown_value"]: r["enrolment_count"] for r in rows}
    # Digitalcity 2024: a (21001), c (21004), d (outside), p3's new enrolment (21001)
    assert values == {"21001": 2, "21004": 1, "_O": 1, "04000": 3}


def test_queries_pick_up_flag_columns_of_the_published_file(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """published.duckdb adds `<column>_flag` after each protected column; the queries show them."""
    pub = duckdb.connect()
    pub.execute("CREATE SCHEMA core; CREATE SCHEMA marts; CREATE SCHEMA context")
    for table in (
        "dim_pool",
        "dim_nace",
        "dim_occupation",
        "dim_commune",
        "dim_pool_function",
        "bridge_pool_occupation",
    ):
        pub.register("src", con.sql(f"SELECT * FROM core.{table}").to_arrow_table())
        pub.execute(f"CREATE TABLE core.{table} AS SELECT * FROM src")
    for name, spec in mart_specs().items():
        pub.register("src", con.sql(f"SELECT * FROM marts.{name}").to_arrow_table())
        flags = ", ".join(f"CAST(NULL AS VARCHAR) AS {c}_flag" for c in spec.protected)
        pub.execute(f"CREATE TABLE marts.{name} AS SELECT *, {flags} FROM src")
    for (table,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'context'"
    ).fetchall():  # official statistics are published as they are
        pub.register("src", con.sql(f"SELECT * FROM context.{table}").to_arrow_table())
        pub.execute(f"CREATE TABLE context.{table} AS SELECT * FROM src")
    query = QUERIES["placement_by_pool_sex"]
    cur = pub.execute(query.sql, query.bind({"year": "2023"}))
    columns = [d[0] for d in cur.description]
    assert "in_work_12m_rate_flag" in columns
    assert len(cur.fetchall()) > 0
    for q in QUERIES.values():
        pub.execute(q.sql, q.bind()).fetchall()
    pub.close()


def test_header_errors_are_reported(tmp_path) -> None:
    bad = tmp_path / "bad.sql"
    bad.write_text("-- title: x\n-- description: y\nSELECT $missing\n")
    with pytest.raises(CatalogueError, match="undeclared parameters"):
        parse_analyst_query(bad)
    q = tmp_path / "q.sql"
    q.write_text(
        "-- title: x\n-- description: y\n-- param: n INTEGER a number (default 3)\n"
        "SELECT CAST($n AS INTEGER) AS n\n"
    )
    query = parse_analyst_query(q)
    assert query.bind() == {"n": 3}
    assert query.bind({"n": "NULL"}) == {"n": None}
    with pytest.raises(ValueError, match="no parameter"):
        query.bind({"m": "1"})
