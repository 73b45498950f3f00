"""mart_pool_function on three hand-made activity records."""

from __future__ import annotations

from datetime import date

import pytest

from tests.queries.conftest import activity, one, warehouse


def test_functions_by_period_and_totals() -> None:
    con = warehouse(
        {
            "fct_pool_activity": [
                activity(
                    "technicity",
                    date(2024, 1, 10),
                    "advanced_equipment",
                    activities=2,
                    participants=12,
                    hours=16,
                ),
                activity(
                    "technicity",
                    date(2024, 2, 5),
                    "job_matching",
                    activities=5,
                    participants=5,
                    hires=2,
                ),
                activity(
                    "digitalcity",
                    date(2024, 4, 1),
                    "trade_information",
                    activities=1,
                    participants=40,
                    hours=3,
                ),
            ]
        },
        date(2024, 6, 1),
    )
    sql = (
        "SELECT * FROM marts.mart_pool_function WHERE pool_id = ? AND function_id = ? "
        "AND period = ?"
    )
    q1 = one(con, sql, "technicity", "_T", "2024-Q1")
    # 2 + 5 activities, 12 + 5 participants, 16 hours, 2 hires
    assert (q1["activity_count"], q1["participant_count"], q1["hire_count"]) == (7, 17, 2)
    assert q1["hours"] == pytest.approx(16)
    year = one(con, sql, "_T", "_T", "2024")
    assert (year["activity_count"], year["participant_count"]) == (8, 57)
    assert year["hours"] == pytest.approx(19)
    assert one(con, sql, "_T", "job_matching", "2024")["hire_count"] == 2
    assert one(con, sql, "digitalcity", "trade_information", "2024-04")["participant_count"] == 40
    # no hire recorded for equipment use: 0, not NULL
    assert one(con, sql, "technicity", "advanced_equipment", "2024-01")["hire_count"] == 0
    con.close()
