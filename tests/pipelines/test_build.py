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


def _chain(folder: Path) -> None:
    """raw.a → staging.sa → marts.m; raw.b → staging.sb; marts.n reads sa and sb; marts.t
    reads the as-of month and ref.codes."""
    _write(folder, "staging", "sa", "-- a\n-- v: v\nSELECT v FROM raw.a")
    _write(folder, "staging", "sb", "-- b\n-- v: v\nSELECT v FROM raw.b")
    _write(folder, "marts", "m", "-- m\n-- v: v\nSELECT sum(v) AS v FROM staging.sa")
    _write(
        folder,
        "marts",
        "n",
        "-- n\n-- v: v\nSELECT (SELECT sum(v) FROM staging.sa) + (SELECT sum(v) FROM staging.sb)"
        " AS v",
    )
    _write(
        folder,
        "marts",
        "t",
        "-- t\n-- m: as of\n-- c: codes\n"
        "SELECT getvariable('as_of_month') AS m, (SELECT count(*) FROM ref.codes) AS c",
    )


def _source(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA raw")
    con.execute("CREATE SCHEMA ref")
    con.execute("CREATE TABLE raw.a AS SELECT 1 AS v, 1 AS load_id")
    con.execute("CREATE TABLE raw.b AS SELECT 2 AS v, 2 AS load_id")
    con.execute("CREATE TABLE ref.codes AS SELECT 'x' AS code")


LAYERS = ("staging", "marts")
MONTH = date(2025, 1, 1)


def test_only_relations_downstream_of_a_change_are_rebuilt(tmp_path: Path) -> None:
    _chain(tmp_path)
    con = duckdb.connect()
    _source(con)
    first = build(con, tmp_path, as_of_month=MONTH, layers=LAYERS)
    assert sorted(first) == ["marts.m", "marts.n", "marts.t", "staging.sa", "staging.sb"]
    assert build(con, tmp_path, as_of_month=MONTH, layers=LAYERS) == []
    # a new load of source b: its chain only
    con.execute("INSERT INTO raw.b VALUES (5, 3)")
    assert build(con, tmp_path, as_of_month=MONTH, layers=LAYERS) == ["staging.sb", "marts.n"]
    assert con.execute("SELECT v FROM marts.n").fetchone() == (8,)
    # a re-delivery that replaces a file's rows by fewer rows (same highest load_id)
    con.execute("DELETE FROM raw.b WHERE load_id = 2")
    assert build(con, tmp_path, as_of_month=MONTH, layers=LAYERS) == ["staging.sb", "marts.n"]
    # reference data (no load_id): a changed row is seen
    con.execute("UPDATE ref.codes SET code = 'y'")
    assert build(con, tmp_path, as_of_month=MONTH, layers=LAYERS) == ["marts.t"]
    # the as-of month: only relations that read it
    assert build(con, tmp_path, as_of_month=date(2025, 2, 1), layers=LAYERS) == ["marts.t"]
    # an edited SQL file rebuilds it and what reads it
    _write(tmp_path, "staging", "sa", "-- a, doubled\n-- v: v\nSELECT 2 * v AS v FROM raw.a")
    rebuilt = build(con, tmp_path, as_of_month=date(2025, 2, 1), layers=LAYERS)
    assert rebuilt == ["staging.sa", "marts.m", "marts.n"]
    # a dropped table is rebuilt even though its inputs did not change
    con.execute("DROP TABLE marts.m")
    assert build(con, tmp_path, as_of_month=date(2025, 2, 1), layers=LAYERS) == ["marts.m"]
    # full=True rebuilds everything
    assert len(build(con, tmp_path, as_of_month=date(2025, 2, 1), layers=LAYERS, full=True)) == 5


def test_failed_relation_keeps_its_old_signature(tmp_path: Path) -> None:
    """A relation whose rebuild failed is rebuilt by the next build (its state was rolled back
    with it)."""
    _chain(tmp_path)
    con = duckdb.connect()
    _source(con)
    build(con, tmp_path, as_of_month=MONTH, layers=LAYERS)
    con.execute("INSERT INTO raw.a VALUES (3, 4)")
    _write(tmp_path, "marts", "m", "-- m\n-- v: v\nSELECT sum(v) AS v FROM staging.nope")
    with pytest.raises(BuildError):
        build(con, tmp_path, as_of_month=MONTH, layers=LAYERS)
    _write(tmp_path, "marts", "m", "-- m\n-- v: v\nSELECT sum(v) AS v FROM staging.sa")
    rebuilt = build(con, tmp_path, as_of_month=MONTH, layers=LAYERS)
    assert "marts.m" in rebuilt and "staging.sa" not in rebuilt
    assert con.execute("SELECT v FROM marts.m").fetchone() == (4,)
