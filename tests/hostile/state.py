"""A fingerprint of a DuckDB file's contents, to tell "unchanged" from "changed" exactly."""

from __future__ import annotations

from pathlib import Path

import duckdb


def fingerprint(db: Path, schemas: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """table -> (row count, sum of row hashes) for every table of `schemas`."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() "
            "WHERE schema_name IN (SELECT unnest(?::VARCHAR[])) ORDER BY ALL",
            [list(schemas)],
        ).fetchall()
        out: dict[str, tuple[int, int]] = {}
        for schema, table in tables:
            row = con.execute(
                f'SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM "{schema}"."{table}" t'
            ).fetchone()
            assert row is not None
            out[f"{schema}.{table}"] = (int(row[0]), int(row[1]))
        return out
    finally:
        con.close()
