"""Every export read back by the real clients with their default settings (issue 18):
frictionless validates the data packages (Parquet and CSV), pandas and polars get codes as text,
counts as 64-bit integers and one type per column, DuckDB reads the Parquet and the CSV."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pytest

from dashboard.exports import csv as csv_export
from dashboard.exports import parquet, render
from dashboard.exports.selection import build

FRICTIONLESS = Path(sys.executable).with_name("frictionless")
INTEGER_TYPES = (pl.Int64, pl.Int32, pl.Int16, pl.Int8)


def _validate(folder: Path) -> dict[str, Any]:
    """`frictionless validate --json datapackage.json`, the command an analyst runs."""
    done = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", "datapackage.json"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def _errors(report: dict[str, Any]) -> list[str]:
    out = [str(e.get("message")) for e in report.get("errors", [])]
    for task in report.get("tasks", []):
        out += [f"{task['name']}: {e['message']}" for e in task.get("errors", [])]
    return out


@pytest.mark.parametrize(
    ("pool", "file_format"),
    [("technicity", "parquet"), ("region", "parquet"), ("region", "csv")],
)
def test_frictionless_validates_the_package(
    published: Path, tmp_path: Path, pool: str, file_format: str
) -> None:
    sel = build(published, pool, None, None, "en")
    folder = parquet.write(sel, tmp_path / "pkg", file_format)
    report = _validate(folder)
    assert report.get("valid") is True, _errors(report)[:10]
    package = json.loads((folder / "datapackage.json").read_text("utf-8"))
    marts = [r for r in package["resources"] if r["name"].startswith("marts.")]
    # the suppressed cells are there, as missing values of integer fields
    function = next(r for r in marts if r["name"] == "marts.mart_pool_function")
    types = {f["name"]: f["type"] for f in function["schema"]["fields"]}
    assert types["activity_count"] == "integer"
    frame = pl.read_parquet(folder / function["path"]) if file_format == "parquet" else None
    if frame is not None:
        assert frame.schema["activity_count"] == pl.Int64
    assert all("disclosure control" in r["description"] for r in marts)
    assert not any("before disclosure control" in r["description"] for r in marts)


def test_parquet_counts_are_nullable_integers(published: Path, tmp_path: Path) -> None:
    """No Decimal anywhere an integer is declared; pandas gets Int64 with <NA>, not NaN."""
    sel = build(published, "region", None, None, "en")
    folder = parquet.write(sel, tmp_path / "pkg")
    package = json.loads((folder / "datapackage.json").read_text("utf-8"))
    for res in package["resources"]:
        polars_frame = pl.read_parquet(folder / res["path"])
        pandas_frame = pd.read_parquet(folder / res["path"])
        for f in res["schema"]["fields"]:
            if f["type"] == "integer":
                assert polars_frame.schema[f["name"]] in INTEGER_TYPES, (res["name"], f["name"])
                assert str(pandas_frame[f["name"]].dtype) in ("Int64", "Int32", "Int16", "Int8")
    mart = pd.read_parquet(folder / "marts" / "mart_pool_participation.parquet")
    assert mart["trainee_count"].isna().any()  # suppressed cells: <NA>
    con = duckdb.connect()
    described = dict(
        con.execute(
            "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))",
            [str(folder / "marts" / "mart_pool_function.parquet")],
        ).fetchall()
    )
    assert described["activity_count"] == "BIGINT"


def test_xlsx_with_pandas_defaults(published: Path) -> None:
    """pd.read_excel: codes are text (`nis:04000`), a period is a date in every sheet,
    counts are numbers, booleans booleans."""
    content, _ = render(build(published, "region", None, None, "en"), "xlsx")
    sheets = pd.read_excel(io.BytesIO(content), sheet_name=None)
    communes = sheets["Communes"]
    assert communes["Code"].map(type).eq(str).all()
    assert "nis:04000" in set(communes["Code"])
    for name, frame in sheets.items():
        if "Period" not in frame:
            continue
        assert str(frame["Period"].dtype).startswith("datetime64"), name
        assert frame["Code"].map(type).eq(str).all(), name
    functions = sheets["Pool functions"]
    assert str(functions["activity_count"].dtype) == "int64"  # published DECIMAL(38,0)
    # polars (fastexcel/calamine) with its defaults: the same types
    communes_pl = pl.read_excel(io.BytesIO(content), sheet_name="Communes")
    assert communes_pl.schema["Code"] == pl.String
    assert communes_pl.schema["Period"] in (pl.Datetime("ms"), pl.Datetime("us"), pl.Date)
    functions_pl = pl.read_excel(io.BytesIO(content), sheet_name="Pool functions")
    assert functions_pl.schema["activity_count"] in (pl.Int64, pl.Float64)
    assert (functions_pl["activity_count"].drop_nulls() % 1 == 0).all()


def test_csv_with_polars_and_pandas_defaults(published: Path) -> None:
    """pl.read_csv and pd.read_csv with default settings: one type per column whatever the
    rows, codes as text, counts as integers, rates as floats."""
    for pool in ("region", "technicity"):
        content, _ = render(build(published, pool, None, None, "en"), "csv-plain")
        frame = pl.read_csv(io.BytesIO(content))
        assert frame.columns == list(csv_export.COLUMNS)
        assert frame.schema["value_integer"] == pl.Int64
        assert frame.schema["value_number"] == pl.Float64
        assert frame.schema["code"] == pl.String
        assert frame.schema["period_start"] == pl.String
        communes = frame.filter(pl.col("dimension") == "commune")["code"]
        assert communes.str.starts_with("nis:").all() or pool != "region"
        counts = frame.filter(pl.col("indicator_id") == "trainees")
        assert counts["value_number"].null_count() == counts.height
        booleans = set(frame["value_boolean"].drop_nulls().cast(pl.String).to_list())
        assert booleans <= {"true", "false"}
        pandas_frame = pd.read_csv(io.BytesIO(content), low_memory=False)
        assert pandas_frame["code"].map(type).eq(str).all()
        assert str(pandas_frame["value_number"].dtype) == "float64"


def _duckdb_types(published: Path, fmt: str, file: Path) -> dict[str, str]:
    """Column -> type as DuckDB's read_csv infers it from the region export in `fmt`."""
    content, _ = render(build(published, "region", None, None, "en"), fmt)
    file.write_bytes(content)
    con = duckdb.connect()
    return dict(
        con.execute(
            "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_csv(?))",
            [str(file)],
        ).fetchall()
    )


def test_csv_with_duckdb(published: Path, tmp_path: Path) -> None:
    types = _duckdb_types(published, "csv-plain", tmp_path / "region.csv")
    assert types["value_integer"] == "BIGINT"
    assert types["value_number"] == "DOUBLE"
    assert types["code"] == "VARCHAR"


def test_sdmx_csv_with_duckdb(published: Path, tmp_path: Path) -> None:
    types = _duckdb_types(published, "sdmx-csv", tmp_path / "region.sdmx.csv")
    assert types["OBS_VALUE"] == "DOUBLE"
    assert types["breakdown_value"] == "VARCHAR"
