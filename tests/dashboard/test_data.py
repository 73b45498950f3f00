"""dashboard.data: allowlists, bound parameters, read-only connections, maintenance."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from dashboard import data
from tests.dashboard.published_fixture import make_published


def test_cells_returns_values_and_flags_as_published(published: Path) -> None:
    frame = data.cells(
        published,
        "mart_pool_participation",
        ["trainee_count"],
        {
            "pool_id": "technicity",
            "period_type": "month",
            "breakdown": "sex",
            "breakdown_value": "X",
        },
    )
    assert len(frame) == 24
    # a suppressed cell: no value, flag c (never a re-aggregated number)
    assert frame["trainee_count"].isna().all()
    assert set(frame["trainee_count_flag"]) == {"c"}


def test_cells_between_and_in(published: Path) -> None:
    frame = data.cells(
        published,
        "mart_labour_market_pool",
        ["jobseeker_count"],
        {"pool_id": ["technicity", "digitalcity"]},
        between=("month", date(2024, 1, 1), date(2024, 3, 1)),
        order_by=("pool_id", "month"),
    )
    assert list(frame["pool_id"]) == ["digitalcity"] * 3 + ["technicity"] * 3
    assert frame["month"].min() == date(2024, 1, 1)


@pytest.mark.parametrize(
    ("mart", "measures", "where"),
    [
        ("mart_pool_participation; DROP TABLE x", ["trainee_count"], {}),
        ("mart_pool_participation", ["trainee_count FROM meta.indicator --"], {}),
        ("mart_pool_participation", ["trainee_count"], {"1=1 OR pool_id": "x"}),
        ("meta.indicator", ["name_fr"], {}),
    ],
)
def test_identifiers_outside_the_allowlist_are_refused(
    published: Path, mart: str, measures: list[str], where: dict[str, object]
) -> None:
    with pytest.raises(data.NotAllowed):
        data.cells(published, mart, measures, where)


def test_values_are_bound_not_spliced(published: Path) -> None:
    frame = data.cells(
        published,
        "mart_pool_participation",
        ["trainee_count"],
        {"pool_id": "technicity' OR '1'='1"},
    )
    assert frame.empty


def test_connection_is_read_only_and_cannot_read_other_files(published: Path) -> None:
    with data.connect(published) as con:
        with pytest.raises(Exception, match=r"(?i)read.only|read-only"):
            con.execute("CREATE TABLE marts.x AS SELECT 1")
        with pytest.raises(Exception, match=r"(?i)permission|disabled|external"):
            con.execute("SELECT * FROM read_csv('/etc/hostname')").fetchall()


def test_missing_and_damaged_files_are_unavailable(tmp_path: Path) -> None:
    with pytest.raises(data.DataUnavailable):
        data.check(tmp_path / "absent.duckdb")
    damaged = tmp_path / "damaged.duckdb"
    damaged.write_bytes(b"this is not a duckdb file" * 100)
    with pytest.raises(data.DataUnavailable):
        data.check(damaged)
    empty = tmp_path / "empty.duckdb"
    import duckdb

    duckdb.connect(str(empty)).close()
    with pytest.raises(data.DataUnavailable):
        data.check(empty)


def test_a_replaced_file_is_read_by_the_next_call(tmp_path: Path) -> None:
    path = make_published(tmp_path / "published.duckdb", scale=1)
    where = {"pool_id": data.TOTAL, "month": date(2024, 12, 1)}
    before = data.cells(path, "mart_labour_market_pool", ["jobseeker_count"], where)
    fresh = make_published(tmp_path / "next" / "published.duckdb", scale=3)
    os.replace(fresh, path)
    after = data.cells(path, "mart_labour_market_pool", ["jobseeker_count"], where)
    assert after["jobseeker_count"].iloc[0] > before["jobseeker_count"].iloc[0]


def test_session_reuses_one_connection(published: Path) -> None:
    with data.session(published), data.connect(published) as a, data.connect(published) as b:
        assert a is b
    # the process keeps it while the file is unchanged (test_caching: until a publish)
    with data.connect(published) as c, data.connect(published) as d:
        assert c is d is a


def test_dimensions_and_metadata(published: Path) -> None:
    pools = data.pools(published)
    assert [p.pool_id for p in pools][-1] == "horeca"  # planned pools last
    assert pools[0].name("nl") == "Pool Technicity"
    assert len(data.communes(published)) == 19
    assert list(data.code_labels(published, "sex")["code"]) == ["F", "M", "X"]
    assert set(data.occupations(published, "digitalcity")["occupation_code"]) == {"2512", "3512"}
    assert data.pools_for_nace(published, "J") == ["digitalcity"]
    assert data.months(published)[0] == date(2023, 1, 1)
    assert int(data.quarantine_summary(published)["row_count"].sum()) == 10
    assert data.publication(published)["suppression_threshold"] == 10
