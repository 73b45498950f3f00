"""bench/compare_published.py tells equal published files from different ones."""

from __future__ import annotations

from pathlib import Path

import duckdb

from bench.compare_published import compare, main


def published(path: Path, rows: list[tuple[str, int | None]], extra: bool = False) -> Path:
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA marts")
    con.execute("CREATE SCHEMA restricted")
    con.execute("CREATE SCHEMA meta")
    con.execute("CREATE TABLE marts.m (k VARCHAR, n BIGINT)")
    con.executemany("INSERT INTO marts.m VALUES (?, ?)", rows)
    con.execute("CREATE TABLE restricted.r AS SELECT 1 AS x")
    con.execute("CREATE TABLE meta.publication AS SELECT now() AS published_at")  # not compared
    if extra:
        con.execute("CREATE TABLE marts.only_here AS SELECT 1 AS x")
    con.close()
    return path


def test_equal_files_are_equal_nulls_and_duplicates_included(tmp_path: Path) -> None:
    rows = [("a", 1), ("a", 1), ("b", None)]
    old = published(tmp_path / "old.duckdb", rows)
    new = published(tmp_path / "new.duckdb", list(reversed(rows)))
    assert all(diff.equal for diff in compare(old, new))
    assert main([str(old), str(new)]) == 0


def test_a_changed_row_a_lost_duplicate_and_a_missing_table_differ(tmp_path: Path) -> None:
    old = published(tmp_path / "old.duckdb", [("a", 1), ("a", 1), ("b", None)])
    changed = published(tmp_path / "changed.duckdb", [("a", 1), ("a", 1), ("b", 3)])
    diff = {d.table: d for d in compare(old, changed)}["marts.m"]
    assert (diff.only_old, diff.only_new, diff.equal) == (1, 1, False)
    fewer = published(tmp_path / "fewer.duckdb", [("a", 1), ("b", None)])
    diff = {d.table: d for d in compare(old, fewer)}["marts.m"]
    assert (diff.rows_old, diff.rows_new, diff.only_old, diff.equal) == (3, 2, 1, False)
    more_tables = published(tmp_path / "more.duckdb", [("a", 1), ("a", 1), ("b", None)], True)
    assert main([str(old), str(more_tables)]) == 1
