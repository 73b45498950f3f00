"""Compare the published output of two builds: `python -m bench.compare_published OLD NEW`.

Why: a refactoring of protection or publishing must not change what is published. This checks
every table of the schema `marts` of two published.duckdb files and of the pool-manager tier
(the schema `restricted` of older published files, or the restricted.duckdb file beside them):
the same tables, the same columns (names, order, types), the same row count, and the same rows
as multisets (`EXCEPT ALL` both ways, NULLs equal). Exit code 0 when all are equal, 1
otherwise; one line per table either way.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

SCHEMAS = ("marts", "restricted")
RESTRICTED_FILE = "restricted.duckdb"  # the pool-manager tier's own file, beside published


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


def _tables(con: duckdb.DuckDBPyConnection, database: str) -> dict[str, str]:
    """``schema.table`` label -> the relation to read, for `database` and, when attached, its
    restricted file (``<database>_r``, whose tables in ``main`` are labelled ``restricted.``)."""
    rows = con.execute(
        "SELECT database_name, schema_name, table_name FROM duckdb_tables() "
        "WHERE (database_name = ? AND schema_name IN ?) "
        "OR (database_name = ? AND schema_name = 'main')",
        [database, list(SCHEMAS), f"{database}_r"],
    ).fetchall()
    out = {}
    for db, schema, table in rows:
        label = f"{'restricted' if db != database else schema}.{table}"
        out[label] = f"{db}.{schema}.{table}"
    return out


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    database, schema, name = relation.split(".", 2)
    rows = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = ? AND schema_name = ? AND table_name = ? ORDER BY column_index",
        [database, schema, name],
    ).fetchall()
    return [(str(column), str(kind)) for column, kind in rows]


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _except_all(left: str, right: str) -> str:
    return f"SELECT count(*) FROM (SELECT * FROM {left} EXCEPT ALL SELECT * FROM {right})"


def compare_table(con: duckdb.DuckDBPyConnection, table: str, old: str, new: str) -> TableDiff:
    """Compare `table`, read as relation `old` on one side and `new` on the other."""
    old_cols, new_cols = _columns(con, old), _columns(con, new)
    rows_old = _count(con, f"SELECT count(*) FROM {old}")
    rows_new = _count(con, f"SELECT count(*) FROM {new}")
    if old_cols != new_cols:
        return TableDiff(table, rows_old, rows_new, -1, -1, f"{old_cols} != {new_cols}")
    only_old = _count(con, _except_all(old, new))
    only_new = _count(con, _except_all(new, old))
    return TableDiff(table, rows_old, rows_new, only_old, only_new)


def compare(old: Path, new: Path) -> list[TableDiff]:
    """Every table of `marts` and `restricted` in either file, compared (a table missing from
    one side is reported with -1 rows there)."""
    for path in (old, new):
        if not path.is_file():
            raise FileNotFoundError(f"no published file at {path}")
    con = duckdb.connect()
    try:
        for alias, path in (("old", old), ("new", new)):
            con.execute(f"ATTACH '{_escaped(path)}' AS {alias} (READ_ONLY)")
            tier = path.with_name(RESTRICTED_FILE)
            if tier.is_file():
                con.execute(f"ATTACH '{_escaped(tier)}' AS {alias}_r (READ_ONLY)")
        in_old, in_new = _tables(con, "old"), _tables(con, "new")
        diffs = []
        for table in sorted(in_old.keys() | in_new.keys()):
            if table not in in_new or table not in in_old:
                side = "new" if table not in in_new else "old"
                there = in_old[table] if side == "new" else in_new[table]
                rows = _count(con, f"SELECT count(*) FROM {there}")
                rows_old, rows_new = (rows, -1) if side == "new" else (-1, rows)
                diffs.append(TableDiff(table, rows_old, rows_new, -1, -1, f"missing in {side}"))
            else:
                diffs.append(compare_table(con, table, in_old[table], in_new[table]))
        return diffs
    finally:
        con.close()


def _escaped(path: Path) -> str:
    return str(path).replace("'", "''")


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
