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
    for rel in discover(queries_dir(), ("staging", "core", "intermediate", "marts")):
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


def _incremental_chain(folder: Path) -> None:
    """raw.v → staging.sv (latest row per id, incremental) → core.fv (incremental, joins a
    dimension) → marts.total (whole)."""
    _write(
        folder,
        "staging",
        "sv",
        "-- latest row per id\n-- incremental: id from raw.v\n"
        "-- id: id\n-- x: x\n-- load_id: load\n"
        "SELECT id, x, load_id FROM raw.v\n"
        "QUALIFY row_number() OVER (PARTITION BY id ORDER BY load_id DESC) = 1",
    )
    _write(
        folder,
        "core",
        "fv",
        "-- fact\n-- incremental: id from staging.sv\n-- id: id\n-- x: x\n-- label: label\n"
        "SELECT s.id, s.x, d.label FROM staging.sv s LEFT JOIN core.dim d ON d.x = s.x",
    )
    _write(folder, "core", "dim", "-- dim\n-- x: x\n-- label: label\nSELECT * FROM ref.labels")
    _write(folder, "marts", "total", "-- total\n-- n: n\nSELECT sum(x) AS n FROM core.fv")


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[object, ...]]:
    return sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr)


INC_LAYERS = ("staging", "core", "marts")


def _incremental_built(folder: Path, ids: int) -> duckdb.DuckDBPyConnection:
    """The incremental chain built once over `ids` vacancies of load 1."""
    _incremental_chain(folder)
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    con.execute("CREATE SCHEMA ref")
    con.execute("CREATE TABLE ref.labels AS SELECT range AS x, 'L' || range AS label FROM range(5)")
    con.execute(
        "CREATE TABLE raw.v AS SELECT range AS id, range % 5 AS x, 1 AS load_id FROM range(?)",
        [ids],
    )
    build(con, folder, as_of_month=MONTH, layers=INC_LAYERS)
    return con


def test_incremental_relations_recompute_only_appended_keys(tmp_path: Path) -> None:
    con = _incremental_built(tmp_path, 50)
    # a new load: new ids and a newer row for ids 3 and 4 (a vacancy closed since)
    con.execute("INSERT INTO raw.v VALUES (3, 0, 2), (4, 0, 2), (100, 2, 2), (101, 4, 2)")
    # the rows of keys not delivered again are kept as they are: mark one to see it survive
    con.execute("UPDATE core.fv SET label = 'kept' WHERE id = 7")
    rebuilt = build(con, tmp_path, as_of_month=MONTH, layers=INC_LAYERS)
    assert rebuilt == ["staging.sv", "core.fv", "marts.total"]
    assert con.execute("SELECT label FROM core.fv WHERE id = 7").fetchall() == [("kept",)]
    assert con.execute("SELECT x FROM core.fv WHERE id IN (3, 4)").fetchall() == [(0,), (0,)]
    con.execute("UPDATE core.fv SET label = 'L2' WHERE id = 7")
    incremental = {t: _rows(con, t) for t in ("staging.sv", "core.fv", "marts.total")}
    build(con, tmp_path, as_of_month=MONTH, layers=INC_LAYERS, full=True)
    assert {t: _rows(con, t) for t in incremental} == incremental
    assert len(incremental["staging.sv"]) == 52


def test_incremental_falls_back_to_whole_rebuild(tmp_path: Path) -> None:
    """A re-delivered file (rows replaced), a changed dimension or SQL file: rebuilt whole."""
    con = _incremental_built(tmp_path, 20)

    def marked_then_built() -> str:
        con.execute("UPDATE core.fv SET label = 'stale' WHERE id = 7")
        build(con, tmp_path, as_of_month=MONTH, layers=INC_LAYERS)
        return str(con.execute("SELECT label FROM core.fv WHERE id = 7").fetchall()[0][0])

    # a file delivered again: its old rows are deleted, its new ones come with a new load_id
    con.execute("DELETE FROM raw.v WHERE id >= 10")
    con.execute("INSERT INTO raw.v SELECT range, 1, 2 FROM range(10, 15)")
    assert marked_then_built() == "L2"
    assert con.execute("SELECT count(*) FROM staging.sv").fetchall() == [(15,)]
    # a changed dimension: the fact is rebuilt whole (the staging table is untouched)
    con.execute("UPDATE ref.labels SET label = 'new' WHERE x = 3")
    assert marked_then_built() == "L2"
    assert con.execute("SELECT label FROM core.fv WHERE id = 8").fetchall() == [("new",)]
    # appended rows with a NULL key cannot be matched by key
    con.execute("INSERT INTO raw.v VALUES (NULL, 1, 3)")
    assert marked_then_built() == "L2"


def test_incremental_header_must_name_what_the_sql_reads(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "staging",
        "sv",
        "-- s\n-- incremental: id from raw.other\n-- id: id\nSELECT 1 AS id FROM raw.v",
    )
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    con.execute("CREATE TABLE raw.v AS SELECT 1 AS id, 1 AS load_id")
    with pytest.raises(BuildError, match=r"raw\.other"):
        build(con, tmp_path, as_of_month=MONTH, layers=("staging",))
    _write(tmp_path, "staging", "sv", "-- s\n-- incremental: id raw.v\n-- id: id\nSELECT 1 AS id")
    with pytest.raises(ValueError, match="incremental line"):
        build(con, tmp_path, as_of_month=MONTH, layers=("staging",))
