"""Labour-market marts (per occupation, per pool), shortage occupations, supply-demand and
communes, on hand-made vacancies and job-seeker stocks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import duckdb
import pytest

from tests.queries.conftest import (
    enrolment,
    fetch,
    jobseekers,
    one,
    vacancy,
    warehouse,
)

D = date
VACANCIES = [
    vacancy(D(2024, 1, 5), D(2024, 2, 10), "filled"),  # v1 2512, 36 days
    vacancy(D(2024, 1, 20), D(2024, 1, 30), "filled"),  # v2 2512, 10 days
    vacancy(D(2024, 3, 1), None, "open"),  # v3 2512, still open
    vacancy(D(2024, 6, 15), D(2024, 9, 15), "cancelled"),  # v4 2512, 92 days
    vacancy(D(2024, 2, 1), D(2024, 2, 11), "filled", isco="7212"),  # v5, 10 days
    vacancy(D(2024, 5, 1), D(2024, 5, 21), "filled", isco=None, rome="H2913"),  # v6, 20 days
]
MONTHS = [D(2024, m, 1) for m in range(1, 13)]
STOCK = (
    [jobseekers(m, 30, duration="lt6m") for m in MONTHS]
    + [jobseekers(m, 10, duration="ge2y") for m in MONTHS]
    + [jobseekers(m, 5, isco="7212", duration="1_2y", commune="21015") for m in MONTHS]
)
ENROLMENTS = [
    enrolment("a", "digitalcity", D(2024, 1, 8), D(2024, 6, 28), "completed", commune="21001"),
    enrolment("b", "technicity", D(2024, 2, 1), D(2024, 3, 1), "completed", commune="21001"),
    enrolment("a", "technicity", D(2024, 9, 1), None, "ongoing", commune="21001"),
    enrolment("c", "digitalcity", D(2024, 1, 8), D(2024, 6, 28), "completed", commune="21004"),
    enrolment("d", "digitalcity", D(2024, 1, 8), D(2024, 6, 28), "completed", commune="11002"),
]


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    c = warehouse(
        {"fct_vacancy": VACANCIES, "fct_jobseeker_month": STOCK, "fct_enrolment": ENROLMENTS},
        D(2024, 12, 1),
    )
    yield c
    c.close()


def occ(con: duckdb.DuckDBPyConnection, code: str, month: date) -> dict:
    return one(
        con,
        "SELECT * FROM marts.mart_labour_market_occupation WHERE occupation_isco = ? AND month = ?",
        code,
        month,
    )


def test_vacancy_flows_and_stock(con: duckdb.DuckDBPyConnection) -> None:
    jan = occ(con, "2512", D(2024, 1, 1))
    # received v1, v2; open on 31 Jan: v1 only (v2 closed 30 Jan); filled v2 in 10 days
    assert (jan["vacancy_received_count"], jan["vacancy_open_count"]) == (2, 1)
    assert (jan["vacancy_filled_count"], jan["median_days_to_fill"]) == (1, 10)
    feb = occ(con, "2512", D(2024, 2, 1))
    assert (feb["vacancy_received_count"], feb["vacancy_open_count"]) == (0, 0)
    assert (feb["vacancy_filled_count"], feb["median_days_to_fill"]) == (1, 36)
    assert occ(con, "2512", D(2024, 7, 1))["vacancy_open_count"] == 2  # v3 and v4
    assert occ(con, "2512", D(2024, 12, 1))["vacancy_open_count"] == 1  # v3
    # stock 30 (< 6 months) + 10 (2 years+) = 40; long-term share 10/40
    assert (jan["jobseeker_count"], jan["jobseeker_ge1y_count"]) == (40, 10)
    assert jan["long_term_share"] == pytest.approx(10 / 40)


def test_tension_over_twelve_months(con: duckdb.DuckDBPyConnection) -> None:
    assert occ(con, "2512", D(2024, 11, 1))["tension_ratio"] is None  # only 11 months yet
    dec = occ(con, "2512", D(2024, 12, 1))
    # 4 vacancies received in 12 months; average stock 40 -> 40 / 4 = 10 job seekers per vacancy
    assert (dec["vacancy_received_12m_count"], dec["jobseeker_avg_12m_count"]) == (4, 40)
    assert dec["tension_ratio"] == pytest.approx(10.0)
    assert dec["vacancy_per_jobseeker"] == pytest.approx(0.1)
    total = occ(con, "_T", D(2024, 12, 1))
    # all 6 vacancies (v6 has no ISCO: total only); stock 40 + 5 = 45 -> 7.5
    assert total["tension_ratio"] == pytest.approx(45 / 6)


def test_pool_level(con: duckdb.DuckDBPyConnection) -> None:
    rows = {
        r["pool_id"]: r
        for r in fetch(
            con, "SELECT * FROM marts.mart_labour_market_pool WHERE month = DATE '2024-12-01'"
        )
    }
    # Digitalcity = ISCO 2512 + 3512: v1-v4, stock 40 -> 10
    assert rows["digitalcity"]["vacancy_received_12m_count"] == 4
    assert rows["digitalcity"]["tension_ratio"] == pytest.approx(10.0)
    # Technicity = ISCO 7212 + ROME H2913: v5 and v6 (ROME only); stock 5 -> 2.5
    assert rows["technicity"]["vacancy_received_12m_count"] == 2
    assert rows["technicity"]["tension_ratio"] == pytest.approx(5 / 2)
    assert rows["_T"]["vacancy_received_12m_count"] == 6


def test_supply_demand(con: duckdb.DuckDBPyConnection) -> None:
    rows = {
        r["occupation_isco"]: r
        for r in fetch(
            con,
            "SELECT * FROM marts.mart_supply_demand WHERE pool_id = 'digitalcity' AND year = 2024",
        )
    }
    # completed in Digitalcity in 2024: a, c, d = 3; 4 vacancies; average stock 40
    assert rows["_T"]["completer_count"] == 3
    assert rows["_T"]["gap_count"] == pytest.approx(4 - 40 - 3)
    assert rows["2512"]["completer_count"] is None
    assert rows["2512"]["gap_count"] == pytest.approx(4 - 40)
    assert rows["2512"]["vacancy_per_jobseeker"] == pytest.approx(4 / 40)
    assert rows["2512"]["is_shortage"] is False  # only 4 vacancies
    assert set(rows) == {"_T", "2512"}  # 3512 has neither vacancies nor job seekers


def test_communes(con: duckdb.DuckDBPyConnection) -> None:
    rows = {
        (r["commune_nis"], r["pool_id"]): r
        for r in fetch(con, "SELECT * FROM marts.mart_commune WHERE year = 2024")
    }
    # Anderlecht: a and b (2 persons); Brussels-City: c; d lives outside Brussels
    assert rows["21001", "_T"]["trainee_count"] == 2
    assert rows["21001", "technicity"]["trainee_count"] == 2  # b, and a's second programme
    assert rows["04000", "_T"]["trainee_count"] == 3
    assert rows["21001", "_T"]["trainee_per_1000"] == pytest.approx(2 * 1000 / 120_000)
    # job seekers: 40 a month in Anderlecht (2512), 5 in Schaerbeek (7212)
    assert rows["21001", "_T"]["jobseeker_avg_count"] == pytest.approx(40)
    assert rows["21015", "technicity"]["jobseeker_avg_count"] == pytest.approx(5)
    assert rows["04000", "_T"]["jobseeker_avg_count"] == pytest.approx(45)
    # vacancies all in Brussels-City: 6, of which Digitalcity 4, Technicity 2
    assert rows["21004", "_T"]["vacancy_received_count"] == 6
    assert rows["21004", "digitalcity"]["vacancy_received_count"] == 4
    assert rows["21004", "technicity"]["vacancy_received_count"] == 2
    assert rows["21015", "_T"]["vacancy_received_count"] == 0
    assert len(rows) == (3 + 1) * 3  # every commune + region x (two pools + total)


def test_shortage_rule() -> None:
    """22 vacancies in 2024: A (2512) 10, B (7212) 10, C (3512) 2."""
    a = [vacancy(D(2024, 1, 1), D(2024, 3, 1), "filled") for _ in range(3)]  # 60 days
    a += [vacancy(D(2024, 1, 1), D(2024, 3, 31), "expired") for _ in range(7)]  # 90 days
    b = [vacancy(D(2024, 2, 1), D(2024, 2, 11), "filled", isco="7212") for _ in range(9)]
    b += [vacancy(D(2024, 2, 1), None, "open", isco="7212")]
    c = [vacancy(D(2024, 1, 1), D(2024, 7, 19), "expired", isco="3512") for _ in range(2)]
    stock = [jobseekers(D(2024, m, 1), 20) for m in range(1, 7)]  # 20 a month, Jan-Jun
    con = warehouse({"fct_vacancy": a + b + c, "fct_jobseeker_month": stock}, D(2024, 12, 1))
    rows = {
        r["occupation_isco"]: r
        for r in fetch(con, "SELECT * FROM marts.mart_shortage_occupation WHERE year = 2024")
    }
    # all: 3 + 9 filled of 22; closed durations 9 x 10, 3 x 60, 7 x 90, 2 x 200 -> the 11th
    # of 21 values is 60
    assert rows["2512"]["all_fill_rate"] == pytest.approx(12 / 22)
    assert rows["2512"]["all_median_days_open"] == 60
    # A: 10 received, fill 0.3 < 0.545, median 90 > 60 -> shortage
    assert rows["2512"]["fill_rate"] == pytest.approx(0.3)
    assert rows["2512"]["median_days_open"] == 90
    assert rows["2512"]["is_shortage"] is True
    # B: fill 0.9 -> not; C: fill 0 and 200 days but only 2 vacancies -> not
    assert rows["7212"]["is_shortage"] is False
    assert rows["3512"]["is_shortage"] is False
    # tension for A: average stock 20 over the 6 months covered / 10 vacancies
    assert rows["2512"]["tension_ratio"] == pytest.approx(20 / 10)
    assert rows["2512"]["is_provisional"] is False
    con.close()
