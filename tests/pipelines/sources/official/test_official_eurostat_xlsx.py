"""Eurostat Data Browser XLSX: every sheet, dimensions from each filter block, merged periods."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from official_helpers import EUROSTAT, one

from pipelines.sources.official import OBSERVATION_SCHEMA, UnrecognisedFile, detect_and_read
from pipelines.sources.official.eurostat_xlsx import read_eurostat_xlsx

FILE = EUROSTAT / "ei_lmjv_q_r2_job_vacancies.xlsx"
NACE_16 = {
    "A-S",
    "A",
    "B-S",
    "B-N",
    "B-E",
    "C",
    "F",
    "G-N",
    "G-I",
    "J",
    "K",
    "L",
    "M_N",
    "O-Q",
    "R_S",
    "T",
}


@pytest.fixture(scope="module")
def jv(communes: dict[str, str]) -> pl.DataFrame:
    read = detect_and_read(FILE, communes)
    assert read.file_format == "eurostat_xlsx"
    assert read.last_update == date(2025, 11, 19)  # Summary "Last update of data: 19/11/2025"
    assert read.rejected.is_empty()
    assert read.rows_read == 64 * 37  # 64 slice sheets x 37 geo rows
    return read.observations


def test_every_sheet_is_read(jv: pl.DataFrame) -> None:
    assert jv.schema == OBSERVATION_SCHEMA
    assert jv.height == 64 * 37 * 10  # 10 quarters 2023-Q2 .. 2025-Q3
    assert set(jv["nace"]) == NACE_16
    assert set(jv["s_adj"]) == {"NSA", "SA"}
    assert jv["dimension_key"].n_unique() == 64 * 37
    assert sorted(jv["period"].unique()) == [
        "2023-Q2",
        "2023-Q3",
        "2023-Q4",
        "2024-Q1",
        "2024-Q2",
        "2024-Q3",
        "2024-Q4",
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
    ]


def test_belgium_values_from_the_right_slice(jv: pl.DataFrame) -> None:
    # Sheet 5: filter NSA / "Industry, construction and services (...)" / Total;
    # row 17 "Belgium | 4.6 | '' | 4.7 | '' | 4.4 ..." under 2023-Q2, 2023-Q3, 2023-Q4
    base = {"geo": "BE", "s_adj": "NSA", "nace": "B-S"}
    total = "geo=BE;indic_em=JOBRATE;nace_r2=B-S;s_adj=NSA;sizeclas=TOTAL;unit=PC"
    row = one(jv, **base, period="2023-Q2", dimension_key=total)
    assert (row["value"], row["flag"], row["period_start"]) == (4.6, None, date(2023, 4, 1))
    assert one(jv, **base, period="2023-Q3", dimension_key=total)["value"] == 4.7
    # Sheet 37 (SA, same NACE, Total), row 17: 2024-Q2 is 4.3 where the NSA sheet has 4.4
    assert one(jv, **base, period="2024-Q2", dimension_key=total)["value"] == 4.4
    sa_key = total.replace("NSA", "SA")
    assert one(jv, geo="BE", period="2024-Q2", dimension_key=sa_key)["value"] == 4.3
    # Sheet 13 (NSA, Construction, Total), row 17: 2023-Q2 = 5.6
    construction = total.replace("B-S", "F")
    assert one(jv, geo="BE", period="2023-Q2", dimension_key=construction)["value"] == 5.6
    # ... and 2025-Q3 is ":" there
    assert one(jv, geo="BE", period="2025-Q3", dimension_key=construction)["value"] is None


def test_not_available_and_flags(jv: pl.DataFrame) -> None:
    sheet1 = "indic_em=JOBRATE;nace_r2=A-S;s_adj=NSA;sizeclas=TOTAL;unit=PC"
    # Sheet 1, row 17: Belgium is ":" in every quarter
    belgium = jv.filter(dimension_key=f"geo=BE;{sheet1}")
    assert belgium.height == 10
    assert belgium["value"].null_count() == 10
    # Sheet 1, row 18: "Bulgaria | 0.8 | p | ..."
    row = one(jv, dimension_key=f"geo=BG;{sheet1}", period="2023-Q2")
    assert (row["value"], row["flag"]) == (0.8, "p")
    # Sheet 1, row 37: "Poland | ... | : | C" in 2025-Q3 (confidentiality flag)
    row = one(jv, dimension_key=f"geo=PL;{sheet1}", period="2025-Q3")
    assert (row["value"], row["flag"]) == (None, "c")
    # Sheet 1, row 16: "Euro area – 20 countries (from 2023)" (en dash) maps to EA20
    assert jv.filter(geo="EA20").height == 64 * 10


def _workbook(path: Path, geo: str, nace: str, with_time: bool = True) -> Path:
    """A small workbook shaped like a Data Browser download (one slice)."""
    book = xlsxwriter.Workbook(path)
    summary = book.add_worksheet("Summary")
    summary.write(3, 0, "Last update of data: ")
    summary.write(3, 3, "19/11/2025 11:00")
    sheet = book.add_worksheet("Sheet 1")
    sheet.write(0, 0, "Data extracted on 20/11/2025 01:54:12 from [ESTAT]")
    sheet.write(1, 0, "Dataset: ")
    sheet.write(1, 1, "Job vacancy rate - quarterly data [ei_lmjv_q_r2$defaultview]")
    sheet.write(2, 0, "Last updated: ")
    sheet.write(4, 0, "Seasonal adjustment")
    sheet.write(4, 2, "Seasonally adjusted data, not calendar adjusted data")
    sheet.write(
        5,
        0,
        "Statistical classification of economic activities in the European Community (NACE Rev. 2)",
    )
    sheet.write(5, 2, nace)
    if with_time:
        sheet.merge_range(7, 1, 7, 2, "2024-Q1")
        sheet.write(7, 0, "TIME")
    sheet.write(8, 0, "GEO (Labels)")
    sheet.write(9, 0, "Belgium")
    sheet.write(9, 1, 4.4)
    sheet.write(9, 2, "")
    sheet.write(10, 0, geo)
    sheet.write(10, 1, ":")
    sheet.write(10, 2, "")
    book.close()
    return path


def test_small_workbook_and_unknown_geo_label(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "jv.xlsx", geo="Atlantis", nace="Construction")
    read = read_eurostat_xlsx(path.read_bytes(), path.name)
    row = one(read.observations, geo="BE")
    assert (row["value"], row["nace"], row["s_adj"], row["period"]) == (4.4, "F", "SA", "2024-Q1")
    rejected = read.rejected.row(0, named=True)
    assert (rejected["reason"], rejected["detail"], rejected["location"]) == (
        "unknown_label",
        "geo 'Atlantis'",
        "Sheet 1 row 11",
    )


def test_unknown_filter_label_quarantines_the_sheet(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "jv.xlsx", geo="Belgium", nace="Space mining")
    read = read_eurostat_xlsx(path.read_bytes(), path.name)
    assert read.observations.is_empty()
    assert read.rejected["reason"].to_list() == ["unknown_label", "unknown_label"]
    assert read.rejected["detail"].to_list() == ["nace_r2 'Space mining'"] * 2


def test_sheet_without_time_row_is_refused(tmp_path: Path, communes: dict[str, str]) -> None:
    path = _workbook(tmp_path / "jv.xlsx", geo="Belgium", nace="Construction", with_time=False)
    with pytest.raises(UnrecognisedFile, match=r"jv.xlsx \[Sheet 1\]: no TIME row"):
        detect_and_read(path, communes)


def test_workbook_without_summary_is_refused(tmp_path: Path, communes: dict[str, str]) -> None:
    path = tmp_path / "other.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("Data").write(0, 0, "Hoofdberoepsgroep")
    book.close()
    with pytest.raises(UnrecognisedFile, match="without a Summary sheet"):
        detect_and_read(path, communes)
