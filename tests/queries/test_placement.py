"""mart_pool_placement and mart_pool_placement_sector on hand-made exits and jobs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import duckdb
import pytest

from tests.queries.conftest import enrolment, fetch, one, placement, warehouse

D = date
ENROLMENTS = [
    enrolment("p1", "digitalcity", D(2022, 9, 1), D(2023, 1, 31), "completed"),
    enrolment("p2", "digitalcity", D(2022, 9, 1), D(2023, 2, 10), "dropped_out", sex="M"),
    enrolment("p3", "digitalcity", D(2022, 9, 1), D(2023, 3, 20), "completed"),
    enrolment("p3", "digitalcity", D(2023, 5, 1), None, "ongoing"),  # further training
    enrolment("p4", "digitalcity", D(2022, 9, 1), D(2023, 3, 31), "completed"),
    enrolment("p5", "technicity", D(2022, 9, 1), D(2023, 2, 28), "completed", sex="M"),
    enrolment("p6", "technicity", D(2023, 9, 1), D(2023, 12, 15), "completed"),
    enrolment("p7", "technicity", D(2023, 9, 1), D(2024, 1, 5), "completed"),
    enrolment("p8", "technicity", D(2024, 3, 1), D(2024, 10, 10), "completed"),
    enrolment("p9", "technicity", D(2024, 3, 1), D(2024, 10, 10), "completed"),
]
JOBS = [
    placement("p1", D(2023, 2, 15), None, nace="62.010"),  # 15 days, durable, own sector (62)
    placement("p2", D(2023, 7, 1), D(2023, 7, 20), nace="47.110"),  # 141 days, short, retail
    placement("p2", D(2023, 10, 1), D(2023, 12, 31), nace="62.020"),  # durable, second job
    placement("p4", D(2024, 4, 15), None),  # 12 months after 31 March 2023 is 31 March 2024
    placement("p5", D(2023, 2, 28), D(2023, 3, 10), nace="25.110"),  # same day, 10 days only
    placement("p8", D(2024, 11, 20), None),  # durable: 20 Dec <= 1 Jan 2025 (end of as-of)
    placement("p9", D(2024, 12, 10), None),  # not yet: 10 Jan 2025 > 1 Jan 2025
]


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    c = warehouse({"fct_enrolment": ENROLMENTS, "fct_placement": JOBS}, D(2024, 12, 1))
    yield c
    c.close()


def cohort(con: duckdb.DuckDBPyConnection, pool: str, period: str, sex: str = "_T") -> dict:
    return one(
        con,
        "SELECT * FROM marts.mart_pool_placement WHERE pool_id = ? AND period = ? AND sex = ?",
        pool,
        period,
        sex,
    )


def test_quarter_cohort_of_one_pool(con: duckdb.DuckDBPyConnection) -> None:
    r = cohort(con, "digitalcity", "2023-Q1")
    assert r["leaver_count"] == 4  # p1, p2, p3, p4
    # p1 at 15 days; p2 at 141 days (10 Feb -> 1 Jul: 18 + 31 + 30 + 31 + 30 + 1)
    assert r["in_work_3m_count"] == 1
    assert (r["in_work_6m_count"], r["in_work_12m_count"]) == (2, 2)
    # p4's job starts 15 April 2024, after the 12-month window (31 March 2024)
    assert r["durable_job_count"] == 2  # p1 (open-ended), p2 (second job, 3 months)
    assert r["positive_exit_count"] == 3  # p1, p2 by work; p3 by a new enrolment
    assert (r["own_sector_count"], r["other_sector_count"]) == (1, 1)  # p1 in 62; p2 first in 47
    assert r["in_work_12m_rate"] == pytest.approx(2 / 4)
    assert r["positive_exit_rate"] == pytest.approx(3 / 4)
    assert r["own_sector_rate"] == pytest.approx(1 / 2)
    assert r["median_days_to_first_job"] == pytest.approx((15 + 141) / 2)
    assert r["is_provisional"] is False  # window closed 31 March 2024 <= December 2024


def test_sex_and_all_pools(con: duckdb.DuckDBPyConnection) -> None:
    women = cohort(con, "digitalcity", "2023-Q1", "F")
    assert (women["leaver_count"], women["in_work_12m_count"], women["positive_exit_count"]) == (
        3,
        1,
        2,
    )  # p1, p3, p4: p1 works, p3 trains
    everyone = cohort(con, "_T", "2023-Q1")
    # + p5 (Technicity): job on the exit day (0 days), held 10 days: not durable
    assert (everyone["leaver_count"], everyone["in_work_3m_count"]) == (5, 2)
    assert everyone["durable_job_count"] == 2
    assert everyone["median_days_to_first_job"] == pytest.approx(15)  # of 0, 15, 141
    assert everyone["own_sector_count"] == 2  # p1 (62 for Digitalcity), p5 (25 for Technicity)
    assert cohort(con, "digitalcity", "2023-01")["leaver_count"] == 1  # p1 only


def test_provisional_cohorts(con: duckdb.DuckDBPyConnection) -> None:
    # as_of December 2024: a December 2023 exit is followed until 31 Dec 2024 -> closed;
    # a January 2024 exit until 31 Jan 2025 -> provisional
    assert cohort(con, "technicity", "2023-12")["is_provisional"] is False
    assert cohort(con, "technicity", "2024-01")["is_provisional"] is True
    # the year 2023 ends with December 2023, closed; 2024 is not
    assert cohort(con, "technicity", "2023")["is_provisional"] is False
    assert cohort(con, "technicity", "2024")["is_provisional"] is True


def test_durability_is_judged_at_the_as_of_date(con: duckdb.DuckDBPyConnection) -> None:
    r = cohort(con, "technicity", "2024-10")
    # p8 started 20 Nov (one month reached 20 Dec); p9 started 10 Dec (not before 10 Jan)
    assert (r["leaver_count"], r["in_work_3m_count"], r["durable_job_count"]) == (2, 2, 1)


def test_first_job_sectors(con: duckdb.DuckDBPyConnection) -> None:
    rows = {
        (r["pool_id"], r["nace_section"]): r
        for r in fetch(con, "SELECT * FROM marts.mart_pool_placement_sector WHERE year = 2023")
    }
    # Digitalcity 2023 exits: p1 first job in J (62, own), p2 first job in G (47)
    assert rows["digitalcity", "J"]["first_job_count"] == 1
    assert rows["digitalcity", "J"]["own_sector_count"] == 1
    assert rows["digitalcity", "G"]["own_sector_count"] == 0
    assert rows["digitalcity", "_T"]["first_job_count"] == 2
    assert rows["digitalcity", "J"]["section_share"] == pytest.approx(1 / 2)
    # all pools: J, G and C (p5, 25.110, Technicity's own); p6 has no job
    assert rows["_T", "_T"]["first_job_count"] == 3
    assert rows["_T", "_T"]["own_sector_count"] == 2
    assert rows["_T", "C"]["section_share"] == pytest.approx(1 / 3)
    assert rows["_T", "_T"]["is_provisional"] is False


def test_only_job_seeker_leavers_are_followed() -> None:
    """Employees and pupils on a course are not placed: they stay out of the cohort."""
    rows = [
        enrolment("q1", "construcity", D(2023, 1, 9), D(2023, 3, 31), "completed"),
        enrolment(
            "q2",
            "construcity",
            D(2023, 1, 9),
            D(2023, 3, 31),
            "completed",
            target_group="employees",
        ),
        enrolment(
            "q3", "construcity", D(2023, 1, 9), D(2023, 3, 31), "completed", target_group="pupils"
        ),
    ]
    jobs = [placement("q1", D(2023, 5, 2), None, nace="41.200")]
    c = warehouse({"fct_enrolment": rows, "fct_placement": jobs}, D(2024, 12, 1))
    r = cohort(c, "construcity", "2023-Q1")
    assert r["leaver_count"] == 1  # q1 only
    assert r["in_work_3m_count"] == 1
    assert r["in_work_12m_rate"] == pytest.approx(1.0)
    c.close()


def test_two_jobs_on_the_same_day_give_one_first_job_in_both_marts() -> None:
    """Ties on the start date break by placement id in both marts, so the own-sector count of
    the placement mart equals the sector mart's (the same cell, protected together)."""
    rows = [enrolment("t1", "digitalcity", D(2023, 1, 9), D(2023, 3, 31), "completed")]
    jobs = [
        placement("t1", D(2023, 4, 3), None, nace="47.110"),  # placement id J<n>: first
        placement("t1", D(2023, 4, 3), None, nace="62.010"),  # same day, later id
    ]
    c = warehouse({"fct_enrolment": rows, "fct_placement": jobs}, D(2024, 12, 1))
    follow = cohort(c, "digitalcity", "2023")
    sectors = {
        r["nace_section"]: r
        for r in fetch(
            c,
            "SELECT * FROM marts.mart_pool_placement_sector "
            "WHERE pool_id = 'digitalcity' AND year = 2023",
        )
    }
    first_is_retail = sorted(j["placement_id"] for j in jobs)[0] == jobs[0]["placement_id"]
    expected_own = 0 if first_is_retail else 1
    assert follow["own_sector_count"] == expected_own
    assert sectors["_T"]["own_sector_count"] == expected_own
    assert sectors["G" if first_is_retail else "J"]["first_job_count"] == 1
    c.close()
