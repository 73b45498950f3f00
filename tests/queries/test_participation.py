"""mart_pool_participation on a hand-made fixture: five enrolments, two pools, worked by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import duckdb
import pytest

from tests.queries.conftest import enrolment, fetch, one, warehouse

ROWS = [
    # a: Digitalcity, completed with certificate, Anderlecht, born 1990 (34 at start -> 25_49)
    enrolment(
        "a",
        "digitalcity",
        date(2024, 1, 10),
        date(2024, 3, 5),
        "completed",
        certificate=True,
        commune="21001",
    ),
    # b: Digitalcity, dropped out, lives outside Brussels, born 2002 (22 -> lt25)
    enrolment(
        "b",
        "digitalcity",
        date(2024, 2, 1),
        date(2024, 2, 20),
        "dropped_out",
        sex="M",
        commune="11002",
        birth_year=2002,
    ),
    # c: Digitalcity, still ongoing, commune and birth year unknown
    enrolment(
        "c", "digitalcity", date(2024, 3, 10), None, "ongoing", commune=None, birth_year=None
    ),
    # a again: Technicity, completed without certificate
    enrolment("a", "technicity", date(2024, 4, 1), date(2024, 5, 31), "completed", commune="21001"),
    # d: Technicity, started in 2023, completed with certificate in January 2024, Brussels-City
    enrolment(
        "d",
        "technicity",
        date(2023, 11, 1),
        date(2024, 1, 15),
        "completed",
        sex="X",
        certificate=True,
        commune="21004",
        target_group="employees",
    ),
]


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    c = warehouse({"fct_enrolment": ROWS}, date(2024, 6, 1))
    yield c
    c.close()


def row(
    con: duckdb.DuckDBPyConnection,
    pool: str,
    period: str,
    breakdown: str = "total",
    value: str = "_T",
) -> dict:
    return one(
        con,
        "SELECT * FROM marts.mart_pool_participation WHERE pool_id = ? AND period = ? "
        "AND breakdown = ? AND breakdown_value = ?",
        pool,
        period,
        breakdown,
        value,
    )


def test_quarter_of_one_pool(con: duckdb.DuckDBPyConnection) -> None:
    r = row(con, "digitalcity", "2024-Q1")
    # active in Q1: a, b, c = 3; all three started in Q1; three distinct persons
    assert (r["enrolment_count"], r["start_count"], r["trainee_count"]) == (3, 3, 3)
    # left in Q1: a (5 March, completed, certificate) and b (20 Feb, dropped out)
    assert (r["leaver_count"], r["completed_count"], r["dropped_out_count"]) == (2, 1, 1)
    assert r["certified_count"] == 1
    assert r["completion_rate"] == pytest.approx(1 / 2)
    assert r["dropout_rate"] == pytest.approx(1 / 2)
    assert r["certification_rate"] == pytest.approx(1 / 1)
    assert r["period_type"] == "quarter" and r["period_start"] == date(2024, 1, 1)


def test_month(con: duckdb.DuckDBPyConnection) -> None:
    r = row(con, "digitalcity", "2024-03")
    # March: a (until the 5th) and c (from the 10th) active; b left in February
    assert (r["enrolment_count"], r["start_count"], r["leaver_count"]) == (2, 1, 1)


def test_all_pools_year(con: duckdb.DuckDBPyConnection) -> None:
    r = row(con, "_T", "2024")
    # active in 2024: a, b, c (Digitalcity), a, d (Technicity) = 5 enrolments, 4 persons
    assert (r["enrolment_count"], r["trainee_count"]) == (5, 4)
    # started in 2024: all but d (2023) = 4
    assert r["start_count"] == 4
    # left in 2024: a, b, a, d = 4; completed a, a, d = 3; certified a, d = 2 -> 2/3
    assert (r["leaver_count"], r["completed_count"], r["certified_count"]) == (4, 3, 2)
    assert r["certification_rate"] == pytest.approx(2 / 3)
    # 2023: only d, started in November
    r23 = row(con, "technicity", "2023")
    assert (r23["enrolment_count"], r23["start_count"], r23["leaver_count"]) == (1, 1, 0)


def test_breakdowns_add_up_to_the_total(con: duckdb.DuckDBPyConnection) -> None:
    sexes = {
        r["breakdown_value"]: r
        for r in fetch(
            con,
            "SELECT * FROM marts.mart_pool_participation WHERE pool_id = '_T' "
            "AND period = '2024' AND breakdown = 'sex'",
        )
    }
    # F: a, c, a (3 enrolments, 2 persons); M: b; X: d
    assert {k: v["enrolment_count"] for k, v in sexes.items()} == {"F": 3, "M": 1, "X": 1}
    assert sexes["F"]["trainee_count"] == 2
    assert sum(v["enrolment_count"] for v in sexes.values()) == 5  # the total row's 5


def test_age_band_and_target_group(con: duckdb.DuckDBPyConnection) -> None:
    ages = {
        r["breakdown_value"]: r["enrolment_count"]
        for r in fetch(
            con,
            "SELECT * FROM marts.mart_pool_participation WHERE pool_id = '_T' "
            "AND period = '2024' AND breakdown = 'age_band'",
        )
    }
    # a (34), a (34), d (2023 - 1990 = 33) -> 25_49; b (22) -> lt25; c unknown
    assert ages == {"25_49": 3, "lt25": 1, "_U": 1}
    assert row(con, "_T", "2024", "target_group", "employees")["enrolment_count"] == 1


def test_communes_and_region(con: duckdb.DuckDBPyConnection) -> None:
    communes = {
        r["breakdown_value"]: (r["enrolment_count"], r["trainee_count"])
        for r in fetch(
            con,
            "SELECT * FROM marts.mart_pool_participation WHERE pool_id = '_T' "
            "AND period = '2024' AND breakdown = 'commune'",
        )
    }
    # 21001: a twice (2 enrolments, 1 person); 21004: d; outside: b; unknown: c
    # region 04000 = the Brussels communes: 3 enrolments, 2 persons (a, d)
    assert communes == {
        "21001": (2, 1),
        "21004": (1, 1),
        "_O": (1, 1),
        "_U": (1, 1),
        "04000": (3, 2),
    }


def test_nothing_after_as_of_month(con: duckdb.DuckDBPyConnection) -> None:
    latest = one(
        con,
        "SELECT max(period_start) AS m FROM marts.mart_pool_participation "
        "WHERE period_type = 'month'",
    )
    assert latest["m"] == date(2024, 6, 1)  # c is still ongoing but June is the last month
