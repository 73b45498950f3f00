"""Parquet + datapackage.json read back with pyarrow/polars: one resource per published table of
marts/core/meta, fields as in the file, descriptions from COMMENT ON, rows as the data layer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq

from dashboard import data
from dashboard.exports import parquet
from dashboard.exports.selection import build


def _package(folder: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((folder / "datapackage.json").read_text("utf-8"))
    return loaded


def test_full_package(published: Path, tmp_path: Path) -> None:
    sel = build(published, "region", None, None, "en")
    folder = parquet.write(sel, tmp_path / "pkg")
    package = _package(folder)
    assert package["profile"] == "tabular-data-package"
    assert package["licenses"] and package["sources"]
    resources = {r["name"]: r for r in package["resources"]}
    tables = data.published_tables(published)
    assert set(tables["schema_name"]) == {"core", "marts", "meta"}
    assert len(resources) == len(tables)
    for row in tables.to_dict("records"):
        schema, table = row["schema_name"], row["table_name"]
        res = resources[f"{schema}.{table}"]
        file = folder / res["path"]
        arrow = pq.read_table(file)
        count = data.query(published, f'SELECT count(*) AS n FROM {schema}."{table}"')["n"]
        assert arrow.num_rows == int(count.iloc[0]) == res["rows"]
        names = [f["name"] for f in res["schema"]["fields"]]
        assert names == arrow.column_names
        assert all(f["type"] != "any" for f in res["schema"]["fields"]), res["name"]
    fields = {f["name"]: f for f in resources["marts.mart_pool_placement"]["schema"]["fields"]}
    assert fields["leaver_count"]["type"] == "integer"
    assert fields["in_work_6m_rate"]["type"] == "number"
    assert fields["period_start"]["type"] == "date"
    assert fields["leaver_count_flag"]["constraints"]["enum"] == ["c", "p", "b", "e", ":"]


def test_pool_package_values_and_comments(hostile: Path, tmp_path: Path) -> None:
    sel = build(hostile, "technicity", "2024-01", "2024-12", "fr")
    folder = parquet.write(sel, tmp_path / "tech")
    package = _package(folder)
    res = next(r for r in package["resources"] if r["name"] == "marts.mart_pool_placement")
    assert res["description"].startswith("Follow-up of leavers per cohort. Published values,")
    assert "protected" in res["description"] and "_flag" in res["description"]
    assert res["licenses"] == [parquet.LICENSE]
    leaver = next(f for f in res["schema"]["fields"] if f["name"] == "leaver_count")
    assert leaver["description"].startswith("Exits in the cohort.")
    frame = pl.read_parquet(folder / res["path"])
    assert set(frame["pool_id"].to_list()) == {"technicity"}
    group = sel.group("placement")
    assert group is not None
    assert frame.height == len(group.frame)
    expected = {
        (r["period"], r["code"]): (r["leaver_count"], r["leaver_count_flag"])
        for r in group.frame.to_dict("records")
    }
    for r in frame.iter_rows(named=True):
        value, flag = expected[(r["period"], r["sex"])]
        assert r["leaver_count"] == (None if value is None or value != value else value)
        assert r["leaver_count_flag"] == (None if flag is None or flag != flag else flag)
    dims = pl.read_parquet(folder / "core" / "dim_pool.parquet")
    assert dims.height == 3  # dimensions are whole, whatever the selection


def test_field_types() -> None:
    assert parquet.field_type("DECIMAL(38,0)") == "integer"
    assert parquet.field_type("DECIMAL(18,3)") == "number"
    assert parquet.field_type("TIMESTAMP WITH TIME ZONE") == "datetime"
    assert parquet.field_type("VARCHAR") == "string"
    assert parquet.field_type("BOOLEAN") == "boolean"
