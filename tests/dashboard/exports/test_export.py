"""The two doors: `export` (the CLI) writes files; `export_selection` (the download button)
returns the same content for the page's view state."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from dashboard.exports import FORMATS, ExportError, export, export_selection
from dashboard.exports import csv as csv_export
from dashboard.exports.selection import build
from dashboard.state import ViewState


def test_cli_files(published: Path, tmp_path: Path) -> None:
    xlsx = export(published, "technicity", "2024-01", "2024-12", "xlsx", "fr", tmp_path / "t.xlsx")
    assert openpyxl.load_workbook(xlsx).sheetnames[0] == "À propos"
    plain = export(published, "region", None, None, "csv-plain", "fr", tmp_path / "all.csv")
    belgian = export(published, "region", None, None, "csv", "fr", tmp_path / "all_be.csv")
    sel = build(published, "region", None, None, "fr")
    lines = sum(len(g.frame) * len(g.measures) for g in sel.groups)
    assert plain.read_bytes().count(b"\r\n") == lines + 1
    assert belgian.read_bytes().startswith(b"\xef\xbb\xbf")
    assert csv_export.render(sel, "csv") == belgian.read_bytes()
    folder = export(
        published, "digitalcity", "2024-01", "2024-06", "parquet", "en", tmp_path / "pq"
    )
    assert json.loads((folder / "datapackage.json").read_text())["observatory"]["pool"] == (
        "digitalcity"
    )
    # a folder as destination gets the default file name
    target = export(published, "region", "2024-01", "2024-12", "xlsx", "nl", tmp_path)
    assert target.name == "observatory_region_2024-01_2024-12_nl.xlsx"


def test_cli_errors(published: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown pool"):
        export(published, "mars", None, None, "xlsx", "fr", tmp_path / "x.xlsx")
    with pytest.raises(ExportError, match="unknown format"):
        export(published, "region", None, None, "docx", "fr", tmp_path / "x.docx")
    with pytest.raises(ExportError, match=r"folder or a \.zip"):
        export(published, "region", None, None, "png", "fr", tmp_path / "x.png")
    with pytest.raises(ExportError, match="not found"):
        export(tmp_path / "none.duckdb", "region", None, None, "xlsx", "fr", tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_download_button_uses_the_page_state(published: Path) -> None:
    assert FORMATS == ("xlsx", "csv", "pdf", "png", "parquet", "sdmx-csv")
    state = ViewState(
        lang="nl", month_from=date(2024, 1, 1), month_to=date(2024, 6, 1), pool="technicity"
    )
    content, name = export_selection(published, state, "pool", "csv")
    assert name == "observatory_technicity_2024-01_2024-06_nl.csv"
    assert content.startswith(b"\xef\xbb\xbf")
    # any other page exports the region, even with a pool filter for the map
    _, name = export_selection(published, state, "region", "xlsx")
    assert name.startswith("observatory_region_")
    content, name = export_selection(published, state, "pool", "parquet")
    assert name.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        names = zf.namelist()
    assert "observatory_technicity_2024-01_2024-06_nl/datapackage.json" in names
    assert any(n.endswith("marts/mart_pool_participation.parquet") for n in names)
