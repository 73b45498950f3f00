"""mart_programme_month (pool-manager tier) on a hand-made fixture, counted by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import duckdb
import pytest

from pipelines.catalogue import load_catalogue, mart_specs
from tests.queries.conftest import enrolment, fetch, one, warehouse


def _in(programme: str, name: str, row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "programme_id": programme, "programme_name": name}


ROWS = [
    # P1 Digitalcity: a completes with certificate in March, b drops out in February
    _in(
        "P1",
        "Web developer",
        enrolment(
            "a", "digitalcity", date(2024, 1, 10), date(2024, 3, 5), "completed", certificate=True
        ),
    ),
    _in(
        "P1",
        "Web developer",
        enrolment("b", "digitalcity", date(2024, 2, 1), date(2024, 2, 20), "dropped_out"),
    ),
    # P2 Digitalcity: c still ongoing since March; the programme was renamed later
    _in("P2", "Data (old name)", enrolment("c", "digitalcity", date(2023, 3, 1), None, "ongoing")),
    _in("P2", "Data analyst", enrolment("e", "digitalcity", date(2024, 3, 10), None, "ongoing")),
    # P1 Technicity: same code, other pool, must stay apart
    _in(
        "P1",
        "Welder",
        enrolment("d", "technicity", date(2024, 4, 1), date(2024, 5, 31), "completed"),
    ),
]


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    c = warehouse({"fct_enrolment": ROWS}, date(2024, 6, 1))
    yield c
    c.close()


def cell(con: duckdb.DuckDBPyConnection, pool: str, programme: str, period: str) -> dict:
    return one(
        con,
        "SELECT * FROM marts.mart_programme_month WHERE pool_id = ? AND programme_id = ?"
        " AND period = ?",
        pool,
        programme,
        period,
    )


def test_monthly_counts_per_programme(con: duckdb.DuckDBPyConnection) -> None:
    feb = cell(con, "digitalcity", "P1", "2024-02")
    assert (feb["enrolment_count"], feb["start_count"]) == (2, 1)  # a active, b starts
    assert (feb["leaver_count"], feb["dropped_out_count"], feb["completed_count"]) == (1, 1, 0)
    mar = cell(con, "digitalcity", "P1", "2024-03")
    assert mar["enrolment_count"] == 1 and mar["start_count"] == 0
    assert (mar["leaver_count"], mar["completed_count"], mar["certified_count"]) == (1, 1, 1)
    assert mar["month"] == date(2024, 3, 1)


def test_no_row_after_the_end_and_programmes_kept_apart(con: duckdb.DuckDBPyConnection) -> None:
    assert not fetch(
        con,
        "SELECT * FROM marts.mart_programme_month WHERE pool_id = 'digitalcity'"
        " AND programme_id = 'P1' AND month > DATE '2024-03-01'",
    )
    welder = cell(con, "technicity", "P1", "2024-05")
    assert welder["programme_name"] == "Welder" and welder["completed_count"] == 1
    assert cell(con, "digitalcity", "P1", "2024-01")["programme_name"] == "Web developer"


def test_latest_name_and_open_enrolments_run_to_the_as_of_month(
    con: duckdb.DuckDBPyConnection,
) -> None:
    june = cell(con, "digitalcity", "P2", "2024-06")
    assert june["programme_name"] == "Data analyst"
    assert june["enrolment_count"] == 2 and june["leaver_count"] == 0
    first = fetch(
        con,
        "SELECT min(month) AS m FROM marts.mart_programme_month WHERE programme_id = 'P2'",
    )
    assert first[0]["m"] == date(2023, 3, 1)


def test_catalogue_marks_it_restricted_with_person_counts_only() -> None:
    spec = mart_specs()["mart_programme_month"]
    assert set(spec.person_counts) == {
        "enrolment_count",
        "start_count",
        "leaver_count",
        "completed_count",
        "dropped_out_count",
        "certified_count",
    }
    assert spec.totals == () and spec.rates == {}
    import tomllib

    from pipelines.catalogue import CATALOGUE_PATH

    raw = tomllib.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    assert raw["marts"]["mart_programme_month"]["tier"] == "restricted"
    names = {
        ind.column for ind in load_catalogue().indicators if "mart_programme_month" in ind.relations
    }
    assert names == set(spec.person_counts)
