"""The named queries over the context layer (official statistics), on real published files;
the expected values were read off the files by hand (line quoted in each comment)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import duckdb
import pytest

from pipelines.catalogue import analyst_queries
from tests.queries.conftest import add_context, warehouse

QUERIES = analyst_queries()


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    c = warehouse({}, date(2024, 12, 1))
    add_context(c)
    yield c
    c.close()


def run(con: duckdb.DuckDBPyConnection, name: str, **params: str) -> list[dict]:
    query = QUERIES[name]
    cur = con.execute(query.sql, query.bind(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def test_survey_rate_beside_registered_job_seekers(con: duckdb.DuckDBPyConnection) -> None:
    rows = {r["year"]: r for r in run(con, "official_unemployment_brussels", from_year="2011")}
    # tgs00010.tsv: "PC,Y_GE15,T,BE10 ... 16.9 b ... 14.8 b" (2011 and 2017 are breaks)
    assert rows[2017]["unemployment_rate"] == pytest.approx(14.8)
    assert rows[2017]["unemployment_rate_flag"] == "b"
    assert rows[2011]["unemployment_rate_flag"] == "b"
    assert rows[2013]["unemployment_rate"] == pytest.approx(19.2)
    # the fixture warehouse has three communes; "2025;Anderlecht;Anderlecht;10631.0;..."
    assert rows[2025]["registered_jobseeker_count"] == pytest.approx(10631 + 15551 + 10818)
    assert rows[2025]["unemployment_rate"] is None  # the survey file stops in 2017
    women = {r["year"]: r for r in run(con, "official_unemployment_brussels", sex="F")}
    assert women[2017]["unemployment_rate"] == pytest.approx(14.7)  # "PC,Y_GE15,F,BE10 ... 14.7 b"


def test_registered_job_seekers_per_commune(con: duckdb.DuckDBPyConnection) -> None:
    rows = {r["commune_nis"]: r for r in run(con, "official_jobseekers_by_commune", year="2025")}
    anderlecht = rows["21001"]
    assert anderlecht["jobseeker_count"] == pytest.approx(10631)
    # "2025;Anderlecht;Anderlecht;10631.0;5704;53.65...;4927;46.34..." — men 5704, women 4927
    assert anderlecht["men_count"] == pytest.approx(5704)
    assert anderlecht["women_count"] == pytest.approx(4927)
    assert anderlecht["jobseeker_per_1000"] == pytest.approx(1000 * 10631 / 120_000)
    assert anderlecht["source"].startswith("Actiris")
    latest = run(con, "official_jobseekers_by_commune")
    assert {r["year"] for r in latest} == {2025}


def test_job_vacancy_rate_by_nace(con: duckdb.DuckDBPyConnection) -> None:
    rows = run(con, "official_job_vacancy_rate", nace="B-S")
    by_period = {r["period"]: r for r in rows}
    # ei_lmjv_q_r2_job_vacancies.xlsx, Sheet 5 (NSA, B-S, total): Belgium 2023-Q2 = 4.6
    assert by_period["2023-Q2"]["job_vacancy_rate"] == pytest.approx(4.6)
    assert by_period["2023-Q2"]["last_update"] == date(2025, 11, 19)
    every = run(con, "official_job_vacancy_rate")
    assert {r["nace"] for r in every} >= {"B-S", "C", "F", "J", "M_N"}
    # Sheet 1 (NSA, all NACE activities): Belgium's row is all ':' -> NULL values
    assert all(r["job_vacancy_rate"] is None for r in every if r["nace"] == "A-S")
