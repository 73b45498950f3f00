"""Read-only analyst access: writes, ATTACH, COPY and file access are refused."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.analyst import QueryError, list_queries, run_named, run_sql


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "published.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA marts")
    con.execute(
        "CREATE TABLE marts.t AS "
        "SELECT * FROM (VALUES (2024, 'a', 5), (2025, 'b', 7)) v(year, k, n)"
    )
    con.close()
    return path


def test_select_runs(db: Path) -> None:
    frame = run_sql(db, "SELECT sum(n) AS total FROM marts.t")
    assert frame["total"].to_list() == [12]


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE x AS SELECT 1",
        "INSERT INTO marts.t VALUES (1, 'x', 1)",
        "DELETE FROM marts.t",
        "UPDATE marts.t SET n = 0",
        "DROP TABLE marts.t",
        "ATTACH '/tmp/other.duckdb' AS o",
        "COPY marts.t TO '/tmp/out.csv'",
        "SET enable_external_access = true",
        "PRAGMA database_list",
        "SELECT 1; SELECT 2",
        "INSTALL httpfs",
    ],
)
def test_writes_and_side_doors_are_refused(db: Path, statement: str) -> None:
    with pytest.raises(QueryError):
        run_sql(db, statement)


def test_file_access_inside_a_select_is_refused(db: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    with pytest.raises(QueryError, match="file access"):
        run_sql(db, f"SELECT * FROM read_csv('{secret}')")


def test_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="observatory load"):
        run_sql(tmp_path / "none.duckdb", "SELECT 1")


def test_named_query_parameters(tmp_path: Path, db: Path) -> None:
    folder = tmp_path / "analyst"
    folder.mkdir()
    (folder / "by_year.sql").write_text(
        "-- title: Counts for a year\n-- description: test\n"
        "-- param: year INTEGER Year to show (default 2025)\n"
        "SELECT k, n FROM marts.t WHERE year = $year\n"
    )
    assert run_named(db, "by_year", {}, folder)["k"].to_list() == ["b"]
    assert run_named(db, "by_year", {"year": "2024"}, folder)["n"].to_list() == [5]
    with pytest.raises(QueryError, match="invalid literal"):
        run_named(db, "by_year", {"year": "twenty"}, folder)
    with pytest.raises(QueryError, match="no parameter"):
        run_named(db, "by_year", {"month": "1"}, folder)
    with pytest.raises(QueryError, match="no query named"):
        run_named(db, "nope", {}, folder)


def test_project_analyst_queries_have_headers() -> None:
    queries = list_queries()
    assert len(queries) >= 8
    for q in queries:
        assert q.title and q.description, q.name
