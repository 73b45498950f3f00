"""Compare the published output of two builds: `python -m bench.compare_published OLD NEW`.

Why: a refactoring of protection or publishing must not change what is published. This checks
every table of the schemas `marts` and `restricted` of two published.duckdb files: the same
tables, the same columns (names, order, types), the same row count, and the same rows as
multisets (`EXCEPT ALL` both ways, NULLs equal). Exit code 0 when all are equal, 1 otherwise;
one line per table either way.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

SCHEMAS = ("marts", "restricted")


@dataclass(frozen=True)
class TableDiff:
    """What differs in one table (all zero / empty when the two are equal)."""

    table: str
    rows_old: int
    rows_new: int
    only_old: int  # rows of OLD not in NEW (EXCEPT ALL)
    only_new: int
    columns: str = ""  # why the columns differ, or empty

    @property
    def equal(self) -> bool:
        return (
            not self.columns
            and self.rows_old == self.rows_new
            and self.only_old == 0
            and self.only_new == 0
        )


def _tables(con: duckdb.DuckDBPyConnection, database: str) -> set[str]:
    rows = con.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
        "WHERE database_name = ? AND schema_name IN ?",
        [database, list(SCHEMAS)],
    ).fetchall()
    return {str(row[0]) for row in rows}


def _columns(con: duckdb.DuckDBPyConnection, database: str, table: str) -> list[tuple[str, str]]:
    schema, name = table.split(".", 1)
    rows = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = ? AND schema_name = ? AND table_name = ? ORDER BY column_index",
        [database, schema, name],
    ).fetchall()
    return [(str(column), str(kind)) for column, kind in rows]


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _except_all(table: str, left: str, right: str) -> str:
    return (
        f"SELECT count(*) FROM "
        f"(SELECT * FROM {left}.{table} EXCEPT ALL SELECT * FROM {right}.{table})"
    )


def compare_table(con: duckdb.DuckDBPyConnection, table: str) -> TableDiff:
    """Compare `table` of the databases attached as `old` and `new`."""
    old_cols, new_cols = _columns(con, "old", table), _columns(con, "new", table)
    rows_old = _count(con, f"SELECT count(*) FROM old.{table}")
    rows_new = _count(con, f"SELECT count(*) FROM new.{table}")
    if old_cols != new_cols:
        return TableDiff(table, rows_old, rows_new, -1, -1, f"{old_cols} != {new_cols}")
    only_old = _count(con, _except_all(table, "old", "new"))
    only_new = _count(con, _except_all(table, "new", "old"))
    return TableDiff(table, rows_old, rows_new, only_old, only_new)


def compare(old: Path, new: Path) -> list[TableDiff]:
    """Every table of `marts` and `restricted` in either file, compared (a table missing from
    one side is reported with -1 rows there)."""
    for path in (old, new):
        if not path.is_file():
            raise FileNotFoundError(f"no published file at {path}")
    con = duckdb.connect()
    try:
        escaped_old = str(old).replace("'", "''")
        escaped_new = str(new).replace("'", "''")
        con.execute(f"ATTACH '{escaped_old}' AS old (READ_ONLY)")
        con.execute(f"ATTACH '{escaped_new}' AS new (READ_ONLY)")
        in_old, in_new = _tables(con, "old"), _tables(con, "new")
        diffs = []
        for table in sorted(in_old | in_new):
            if table not in in_new or table not in in_old:
                side = "new" if table not in in_new else "old"
                there = "old" if side == "new" else "new"
                rows = _count(con, f"SELECT count(*) FROM {there}.{table}")
                rows_old, rows_new = (rows, -1) if side == "new" else (-1, rows)
                diffs.append(TableDiff(table, rows_old, rows_new, -1, -1, f"missing in {side}"))
            else:
                diffs.append(compare_table(con, table))
        return diffs
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path, help="published.duckdb before the change")
    parser.add_argument("new", type=Path, help="published.duckdb after the change")
    args = parser.parse_args(argv)
    diffs = compare(args.old, args.new)
    for diff in diffs:
        state = "equal" if diff.equal else "DIFFERENT"
        detail = f" ({diff.columns})" if diff.columns else ""
        print(
            f"{state:9} {diff.table}: rows {diff.rows_old} / {diff.rows_new}, "
            f"only old {diff.only_old}, only new {diff.only_new}{detail}"
        )
    different = [d for d in diffs if not d.equal]
    print(f"{len(diffs) - len(different)} of {len(diffs)} tables equal")
    return 1 if different or not diffs else 0


if __name__ == "__main__":
    sys.exit(main())
