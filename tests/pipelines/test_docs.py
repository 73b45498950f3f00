"""docs/data-dictionary.md is generated: it must match what the metadata says now."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.docs import data_dictionary
from pipelines.paths import repo_root


def test_committed_data_dictionary_is_up_to_date() -> None:
    committed = (repo_root() / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == data_dictionary(), "run `observatory docs` and commit the result"


def test_every_warehouse_table_is_in_the_dictionary(tmp_path: Path) -> None:
    """Every relation the SQL and the contracts make has its section."""
    text = data_dictionary()
    con = duckdb.connect()
    from pipelines.warehouse import ensure_schemas

    ensure_schemas(con)
    tables = con.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE NOT internal"
    ).fetchall()
    for (name,) in tables:
        assert f"`{name}`" in text, name
    for layer in ("staging", "core", "intermediate", "context", "marts"):
        for path in (repo_root() / "queries" / layer).glob("*.sql"):
            assert f"`{layer}.{path.stem}`" in text, path
