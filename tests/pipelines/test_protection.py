"""protect_all on marts built from a seeded fixture, published through publish_protected().

The fixture is random but seeded: two pools, three communes, ~240 enrolments over 2023-2024 with
jobs after many exits, so monthly and commune cells are small and totals are not. Assertions
read the published file only, as the dashboard does.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

from pipelines import disclosure as dc
from pipelines.catalogue import MARTS_DIR, MartSpec, mart_specs, parse_sql_doc
from pipelines.duck import quote_literal
from pipelines.publish import restricted_path
from pipelines.publishing import publish_protected
from pipelines.settings import PublishSettings
from pipelines.warehouse import ensure_schemas
from tests.queries.conftest import (
    BRUSSELS,
    activity,
    build_marts,
    create_core,
    enrolment,
    jobseekers,
    placement,
    vacancy,
)

SETTINGS = PublishSettings(suppression_threshold=10, min_rate_denominator=20, keep_builds=0)
AS_OF = date(2024, 12, 1)


def _rows() -> dict[str, list[dict[str, Any]]]:
    rng = random.Random(20241201)
    communes = [*BRUSSELS, None, "93014"]
    enrolments, jobs = [], []
    for i in range(240):
        pool = rng.choice(["digitalcity", "technicity"])
        start = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 600))
        status = rng.choice(["completed", "completed", "completed", "dropped_out", "ongoing"])
        end = None if status == "ongoing" else start + timedelta(days=rng.randrange(20, 200))
        if end is not None and end > date(2024, 12, 31):
            end, status = None, "ongoing"
        person = f"p{i}"
        enrolments.append(
            enrolment(
                person,
                pool,
                start,
                end,
                status,
                sex=rng.choice(["F", "M", "M", "X"]),
                certificate=rng.random() < 0.6,
                commune=rng.choice(communes),
                birth_year=rng.choice([1970, 1990, 2002, None]),
            )
        )
        if end is not None and rng.random() < 0.7:
            nace = rng.choice(["62.010", "25.110", "47.110", "56.101"])
            jobs.append(placement(person, end + timedelta(days=rng.randrange(0, 300)), nace=nace))
    vacancies = [
        vacancy(
            date(2023, 1, 1) + timedelta(days=rng.randrange(0, 700)),
            None,
            "open",
            isco=rng.choice(["2512", "3512", "7212"]),
        )
        for _ in range(60)
    ]
    stocks = [
        jobseekers(date(y, m, 1), rng.randrange(0, 40), isco=isco, duration=band, commune=c)
        for y in (2023, 2024)
        for m in range(1, 13)
        for isco in ("2512", "7212")
        for band in ("lt6m", "ge2y")
        for c in ("21001", "21004")
    ]
    activities = [
        activity(
            rng.choice(["digitalcity", "technicity"]),
            date(2023, 1, 1) + timedelta(days=rng.randrange(0, 700)),
            rng.choice(["trade_information", "job_matching"]),
            participants=rng.randrange(1, 15),
            hires=rng.randrange(0, 3),
        )
        for _ in range(80)
    ]
    return {
        "fct_enrolment": enrolments,
        "fct_placement": jobs,
        "fct_vacancy": vacancies,
        "fct_jobseeker_month": stocks,
        "fct_pool_activity": activities,
    }


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    folder = tmp_path_factory.mktemp("protection")
    wh_path = folder / "observatory.duckdb"
    con = duckdb.connect(str(wh_path))
    ensure_schemas(con)
    create_core(con, _rows())
    build_marts(con, AS_OF)
    for path in sorted(MARTS_DIR.glob("*.sql")):  # comments as the build runner writes them
        doc = parse_sql_doc(path)
        con.execute(f"COMMENT ON TABLE marts.{path.stem} IS {quote_literal(doc.description)}")
        for column, text in doc.columns.items():
            con.execute(f"COMMENT ON COLUMN marts.{path.stem}.{column} IS {quote_literal(text)}")
    con.close()
    out = publish_protected(
        wh_path,
        folder / "published.duckdb",
        SETTINGS,
    )
    pub = duckdb.connect(str(out), read_only=True)
    yield pub
    pub.close()


def _public() -> dict[str, MartSpec]:
    return {n: s for n, s in mart_specs().items() if n != "mart_programme_month"}


def _frame(con: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    return con.sql(f"SELECT * FROM marts.{name}").pl()


def test_every_mart_is_published_with_flags(published: duckdb.DuckDBPyConnection) -> None:
    for name, spec in _public().items():
        columns = _frame(published, name).columns
        for column in spec.protected:
            assert columns[columns.index(column) + 1] == dc.flag_column(column), (name, column)
        if spec.provisional:
            assert spec.provisional in columns


def test_no_person_count_between_1_and_9(published: duckdb.DuckDBPyConnection) -> None:
    suppressed = 0
    for name, spec in _public().items():
        frame = _frame(published, name)
        for column in spec.person_counts:
            small = frame.filter((pl.col(column) > 0) & (pl.col(column) < 10))
            assert small.height == 0, (name, column, small.head(3))
            suppressed += frame.filter(pl.col(dc.flag_column(column)) == "c").height
    assert suppressed > 0  # the fixture does have small cells


def test_suppressed_values_are_null_with_flag_c(published: duckdb.DuckDBPyConnection) -> None:
    for name, spec in _public().items():
        frame = _frame(published, name)
        for column in spec.protected:
            flags = frame[dc.flag_column(column)]
            assert set(flags.drop_nulls().unique().to_list()) <= {"c", "p", ":"}
            hidden = frame.filter(flags == "c")
            assert hidden[column].null_count() == hidden.height, (name, column)


def test_rates_with_small_denominator_are_suppressed(
    published: duckdb.DuckDBPyConnection,
) -> None:
    seen = 0
    for name, spec in _public().items():
        frame = _frame(published, name)
        for rate, (numerator, denominator) in spec.rates.items():
            flags = frame[dc.flag_column(rate)]
            # a published rate has published counts, a denominator >= 20 and no hidden part
            shown = frame.filter(pl.col(rate).is_not_null())
            assert shown.filter(pl.col(denominator).is_null()).height == 0, (name, rate)
            assert shown.filter(pl.col(denominator) < 20).height == 0, (name, rate)
            assert shown.filter(pl.col(numerator).is_null()).height == 0, (name, rate)
            seen += int((flags == "c").sum())
    assert seen > 0


def test_numerator_of_a_small_denominator_rate_is_hidden(
    published: duckdb.DuckDBPyConnection,
) -> None:
    frame = _frame(published, "mart_pool_participation")
    exposed = frame.filter(
        (pl.col("leaver_count") > 0)
        & (pl.col("leaver_count") < 20)
        & pl.col("completed_count").is_not_null()
    )
    assert exposed.height == 0


def test_provisional_rows_are_flagged_p(published: duckdb.DuckDBPyConnection) -> None:
    frame = _frame(published, "mart_pool_placement")
    provisional = frame.filter(pl.col("is_provisional"))
    assert provisional.height > 0
    flags = provisional["leaver_count_flag"].to_list()
    assert set(flags) <= {"p", "c"} and "p" in flags
    final = frame.filter(~pl.col("is_provisional"))
    assert "p" not in final["leaver_count_flag"].to_list()


def _participation_dims(frame: pl.DataFrame) -> list[dc.DimSpec]:
    communes = sorted(c for c in frame["commune"].unique().to_list() if c.startswith("21"))
    others = sorted(
        c for c in frame["commune"].unique().to_list() if c not in communes and c != "_T"
    )
    return [
        dc.DimSpec("sex", total="_T"),
        dc.DimSpec("target_group", total="_T"),
        dc.DimSpec("age_band", total="_T"),
        dc.DimSpec("education_level", total="_T"),
        dc.DimSpec("commune", dc.Hierarchy.tree({"_T": others, "04000": communes})),
    ]


def test_lp_attacker_on_one_pool_and_period(published: duckdb.DuckDBPyConnection) -> None:
    """Every hidden cell of a pool-year, with its breakdowns and their total, is >= 10 wide."""
    frame = _frame(published, "mart_pool_participation")
    checked = 0
    for pool in ("digitalcity", "technicity", "_T"):
        for period in ("2023", "2024", "2024-Q2"):
            sub = frame.filter((pl.col("pool_id") == pool) & (pl.col("period") == period))
            totals = sub.filter(pl.col("breakdown") == "total")
            for column in ("leaver_count", "start_count", "enrolment_count", "completed_count"):
                flag = dc.flag_column(column)
                for dim in _participation_dims(frame.rename({"breakdown_value": "commune"})):
                    part = pl.concat([totals, sub.filter(pl.col("breakdown") == dim.column)])
                    table = part.select(pl.col("breakdown_value").alias(dim.column), column, flag)
                    if dim.column == "commune":
                        codes = table["commune"].to_list()
                        dim = dc.DimSpec(
                            "commune",
                            dc.Hierarchy.tree(
                                {
                                    "_T": [
                                        c for c in codes if not c.startswith("21") and c != "_T"
                                    ],
                                    "04000": [c for c in codes if c.startswith("21")],
                                }
                            ),
                        )
                    for interval in dc.audit_intervals(table, [dim], column):
                        checked += 1
                        assert interval.width >= 10 - 1e-6, (pool, period, column, interval)
    assert checked > 0


def test_same_cell_suppressed_in_both_marts(published: duckdb.DuckDBPyConnection) -> None:
    """A pool's completers of a year are one figure in participation and supply-demand."""
    part = _frame(published, "mart_pool_participation").filter(
        (pl.col("breakdown") == "total") & (pl.col("period_type") == "year")
    )
    supply = _frame(published, "mart_supply_demand").filter(pl.col("occupation_isco") == "_T")
    joined = supply.join(
        part.select(
            "pool_id",
            pl.col("period").cast(pl.Int64).alias("year"),
            pl.col("completed_count_flag").alias("p_flag"),
        ),
        on=["pool_id", "year"],
    )
    assert joined.height > 0
    hidden_supply = (joined["completer_count_flag"] == "c").fill_null(False)
    hidden_part = (joined["p_flag"] == "c").fill_null(False)
    assert (hidden_supply == hidden_part).all()


def test_restricted_marts_stay_out_of_the_published_file(
    published: duckdb.DuckDBPyConnection,
) -> None:
    """The analysts' file holds no table of the pool-manager tier, in any schema."""
    tables = {
        (r[0], r[1])
        for r in published.sql(
            "SELECT schema_name, table_name FROM duckdb_tables() "
            "WHERE database_name = current_database()"
        ).fetchall()
    }
    assert not any(name == "mart_programme_month" for _, name in tables)
    assert not any(schema == "restricted" for schema, _ in tables)
    assert ("marts", "mart_pool_participation") in tables


def test_every_published_column_has_a_comment(published: duckdb.DuckDBPyConnection) -> None:
    missing = published.sql(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE schema_name = 'marts' AND (comment IS NULL OR comment = '')"
    ).fetchall()
    assert missing == []
    text = published.sql(
        "SELECT comment FROM duckdb_columns() WHERE table_name = 'mart_pool_placement' "
        "AND column_name = 'leaver_count_flag'"
    ).fetchall()
    assert text == [
        ("Flag of leaver_count: c confidential (value withheld), p provisional, NULL none",)
    ]


def test_warehouse_is_unchanged(tmp_path: Path) -> None:
    """protect_all reads the warehouse only; a missing mart is skipped, not an error."""
    wh = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(wh))
    ensure_schemas(con)
    create_core(con, {})
    con.close()
    out = publish_protected(
        wh,
        tmp_path / "published.duckdb",
        SETTINGS,
    )
    pub = duckdb.connect(str(out), read_only=True)
    assert pub.sql(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'marts'"
    ).fetchall() == [(0,)]
    pub.close()


def test_restricted_mart_is_published_apart_under_primary_suppression(
    published: duckdb.DuckDBPyConnection,
) -> None:
    """The pool-manager tier's programme detail: in restricted.duckdb beside the published
    file, readable by its owner only, counts 1..9 withheld."""
    tier_path = restricted_path(Path(published.execute("PRAGMA database_list").fetchall()[0][2]))
    assert tier_path.stat().st_mode & 0o777 == 0o600
    tier = duckdb.connect(str(tier_path), read_only=True)
    frame = tier.sql("SELECT * FROM main.mart_programme_month").pl()
    assert frame.height > 0
    counts = [
        "enrolment_count",
        "start_count",
        "leaver_count",
        "completed_count",
        "dropped_out_count",
        "certified_count",
    ]
    for col in counts:
        values = frame.get_column(col)
        assert not values.is_between(1, 9).any(), col
        flags = frame.get_column(f"{col}_flag")
        assert (values.is_null() == (flags == "c").fill_null(False)).all(), col
    assert (frame.get_column("enrolment_count_flag") == "c").any()  # the fixture has small cells
    missing = tier.sql(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = 'mart_programme_month' "
        "AND (comment IS NULL OR comment = '')"
    ).fetchall()
    tier.close()
    assert missing == []


def _warehouse(folder: Path) -> Path:
    """The seeded marts in a warehouse file, with their comments."""
    wh_path = folder / "observatory.duckdb"
    con = duckdb.connect(str(wh_path))
    ensure_schemas(con)
    create_core(con, _rows())
    build_marts(con, AS_OF)
    for path in sorted(MARTS_DIR.glob("*.sql")):
        doc = parse_sql_doc(path)
        con.execute(f"COMMENT ON TABLE marts.{path.stem} IS {quote_literal(doc.description)}")
        for column, text in doc.columns.items():
            con.execute(f"COMMENT ON COLUMN marts.{path.stem}.{column} IS {quote_literal(text)}")
    con.close()
    return wh_path


def _publish(wh: Path, published: Path) -> dict[str, tuple[int, int]]:
    publish_protected(wh, published, SETTINGS)
    con = duckdb.connect(str(published), read_only=True)
    try:
        out: dict[str, tuple[int, int]] = {}
        for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts'"
        ).fetchall():
            rows, digest = con.execute(
                f"SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM marts.{name} AS t"
            ).fetchall()[0]
            out[name] = (int(rows), int(digest))
        return out
    finally:
        con.close()


def _tamper(published: Path, mart: str) -> None:
    """Keep one row of a published mart, so that a later copy of it can be recognised."""
    con = duckdb.connect(str(published))
    con.execute(f"CREATE OR REPLACE TABLE marts.{mart} AS SELECT * FROM marts.{mart} LIMIT 1")
    con.close()


def _change(wh: Path, sql: str) -> None:
    con = duckdb.connect(str(wh))
    con.execute(sql)
    con.close()


def _messages(caplog: pytest.LogCaptureFixture) -> str:
    return " ".join(r.getMessage() for r in caplog.records if r.name == "pipelines.protection")


def test_unchanged_marts_are_copied_from_the_previous_file(tmp_path: Path) -> None:
    """Same content → the protected table of the previous file is copied as it is (so a
    rerun costs no disclosure control), and protection itself is deterministic."""
    wh = _warehouse(tmp_path)
    published = tmp_path / "published.duckdb"
    first = _publish(wh, published)
    assert _publish(wh, tmp_path / "again.duckdb") == first
    _tamper(published, "mart_pool_participation")
    _tamper(published, "mart_labour_market_pool")
    reused = _publish(wh, published)
    assert reused["mart_pool_participation"][0] == 1
    assert reused["mart_labour_market_pool"][0] == 1
    assert reused["mart_commune"] == first["mart_commune"]


def test_new_vacancy_counts_keep_the_hidden_cells_and_match_a_publish_from_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Only vacancy counts changed (a month of vacancies): no cell is protected again, the
    marts are finished again with the previous hidden cells, and the file is what a publish
    from nothing gives."""
    wh = _warehouse(tmp_path)
    published = tmp_path / "published.duckdb"
    _publish(wh, published)
    _change(
        wh,
        "UPDATE marts.mart_labour_market_occupation "
        "SET vacancy_received_count = vacancy_received_count + 3",
    )
    with caplog.at_level(logging.INFO, logger="pipelines.protection"):
        second = _publish(wh, published)
    assert "protected 0 marts, finished 1 again" in _messages(caplog)
    assert second == _publish(wh, tmp_path / "fresh.duckdb")


def test_a_changed_person_count_reprotects_its_family_and_readers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A job-seeker stock changed: both labour-market marts (one system) and the marts that
    read their hidden cells (shortage, supply-demand) are protected again, the others copied;
    the result is what a publish from nothing gives."""
    wh = _warehouse(tmp_path)
    published = tmp_path / "published.duckdb"
    _publish(wh, published)
    _change(
        wh,
        "UPDATE marts.mart_labour_market_pool SET jobseeker_count = jobseeker_count + 1 "
        "WHERE pool_id = 'digitalcity' AND month = DATE '2024-03-01'",
    )
    with caplog.at_level(logging.INFO, logger="pipelines.protection"):
        second = _publish(wh, published)
    assert "protected 4 marts, finished 0 again" in _messages(caplog)
    assert second == _publish(wh, tmp_path / "fresh.duckdb")


def test_supply_demand_reads_hidden_cells_of_a_copied_family(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Re-protecting supply-demand alone (participation and labour market copied) hides the
    same cells as protecting everything: their hidden cells are read back from the flags."""
    wh = _warehouse(tmp_path)
    published = tmp_path / "published.duckdb"
    _publish(wh, published)
    _change(
        wh,
        "UPDATE marts.mart_supply_demand SET completer_count = completer_count + 20 "
        "WHERE completer_count >= 10",
    )
    with caplog.at_level(logging.INFO, logger="pipelines.protection"):
        second = _publish(wh, published)
    assert "protected 1 marts" in _messages(caplog)
    assert second == _publish(wh, tmp_path / "fresh.duckdb")
