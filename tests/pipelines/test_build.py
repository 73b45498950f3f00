"""The build runner: dependency order, COMMENT ON from headers, failures named and rolled back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.build import BuildError, build
from pipelines.paths import queries_dir
from pipelines.sqlfiles import discover, parse_sql_file


def _write(folder: Path, layer: str, name: str, text: str) -> None:
    (folder / layer).mkdir(parents=True, exist_ok=True)
    (folder / layer / f"{name}.sql").write_text(text, encoding="utf-8")


def test_parse_header_reads_description_and_columns(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "core",
        "x",
        "-- The x relation.\n-- a: column a\n-- b_count: the b\nSELECT 1 AS a, 2 AS b_count;\n",
    )
    rel = parse_sql_file(tmp_path / "core" / "x.sql")
    assert rel.description == "The x relation."
    assert rel.columns == {"a": "column a", "b_count": "the b"}
    assert rel.sql == "SELECT 1 AS a, 2 AS b_count"
    assert rel.qualified == "core.x"


def test_discover_orders_by_reference_across_layers(tmp_path: Path) -> None:
    _write(tmp_path, "marts", "a_mart", "-- uses z\n-- v: v\nSELECT v FROM marts.z_mart")
    _write(tmp_path, "marts", "z_mart", "-- base mart\n-- v: v\nSELECT v FROM core.dim")
    _write(tmp_path, "core", "dim", "-- dim\n-- v: v\nSELECT 1 AS v")
    names = [r.qualified for r in discover(tmp_path, ("staging", "core", "marts"))]
    assert names.index("core.dim") < names.index("marts.z_mart") < names.index("marts.a_mart")


def test_build_writes_comments_and_refuses_undocumented_columns(tmp_path: Path) -> None:
    _write(tmp_path, "core", "dim", "-- A dimension.\n-- v: the value\nSELECT 1 AS v")
    con = duckdb.connect()
    built = build(con, tmp_path, as_of_month=date(2025, 1, 1), layers=("core",))
    assert built == ["core.dim"]
    comment = con.execute(
        "SELECT comment FROM duckdb_columns() WHERE table_name = 'dim' AND column_name = 'v'"
    ).fetchone()
    assert comment == ("the value",)
    _write(tmp_path, "core", "dim2", "-- Another.\n-- v: value\nSELECT 1 AS v, 2 AS w")
    with pytest.raises(BuildError, match="w"):
        build(con, tmp_path, as_of_month=date(2025, 1, 1), layers=("core",))


def test_failing_relation_is_named_and_leaves_no_table(tmp_path: Path) -> None:
    _write(tmp_path, "core", "bad", "-- Broken.\n-- v: v\nSELECT v FROM core.missing_table")
    con = duckdb.connect()
    with pytest.raises(BuildError, match=r"bad\.sql"):
        build(con, tmp_path, as_of_month=date(2025, 1, 1), layers=("core",))
    assert con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'bad'"
    ).fetchone() == (0,)


def test_as_of_month_variable_is_set(tmp_path: Path) -> None:
    _write(
        tmp_path, "core", "asof", "-- As of.\n-- m: month\nSELECT getvariable('as_of_month') AS m"
    )
    con = duckdb.connect()
    build(con, tmp_path, as_of_month=date(2024, 6, 1), layers=("core",))
    assert con.execute("SELECT m FROM core.asof").fetchone() == (date(2024, 6, 1),)


def test_every_project_sql_file_documents_itself() -> None:
    for rel in discover(queries_dir(), ("staging", "core", "marts")):
        assert rel.description, rel.path
        assert rel.columns, f"{rel.path} documents no column"
