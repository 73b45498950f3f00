"""Eurostat SDMX-CSV 1.0 with labels (CRLF, a quoted label holding a comma, monthly periods)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from official_helpers import EUROSTAT, one

from pipelines.sources.official import OBSERVATION_SCHEMA, UnrecognisedFile, detect_and_read
from pipelines.sources.official.eurostat_sdmx_csv import read_eurostat_sdmx_csv

FILE = EUROSTAT / "estat_une_rt_m_filtered_en.BE-subset.csv"


@pytest.fixture(scope="module")
def une(communes: dict[str, str]) -> pl.DataFrame:
    read = detect_and_read(FILE, communes)
    assert read.file_format == "eurostat_sdmx_csv"
    assert read.last_update == date(2025, 6, 6)  # LAST UPDATE "06/06/25 23:00:00"
    assert read.rejected.is_empty()
    assert read.rows_read == 304
    return read.observations


def test_file_really_is_crlf_with_a_quoted_comma() -> None:
    data = FILE.read_bytes()
    assert data.count(b"\r\n") == 305
    assert b'"Seasonally adjusted data, not calendar adjusted data"' in data


def test_labels_become_codes(une: pl.DataFrame) -> None:
    assert une.schema == OBSERVATION_SCHEMA
    assert une.height == 304
    assert set(une["dataset"]) == {"une_rt_m"}  # from DATAFLOW "ESTAT:UNE_RT_M(1.0)"
    assert set(une["geo"]) == {"BE"}
    assert set(une["s_adj"]) == {"NSA", "SA"}  # the quoted label with a comma maps to SA
    assert set(une["unit"]) == {"PC_ACT", "THS_PER"}
    assert set(une["freq"]) == {"M"}
    assert set(une["last_update"]) == {date(2025, 6, 6)}
    assert une["flag"].null_count() == 304  # OBS_FLAG and CONF_STATUS empty for Belgium


def test_belgium_values(une: pl.DataFrame) -> None:
    # line 2: "...,Unadjusted data (...),Total,Percentage of population in the labour force,
    #          Total,Belgium,2019-01,5.7,,"
    row = one(une, s_adj="NSA", unit="PC_ACT", period="2019-01")
    assert row["value"] == 5.7
    assert row["period_start"] == date(2019, 1, 1)
    assert row["dimension_key"] == "age=TOTAL;geo=BE;s_adj=NSA;sex=T;unit=PC_ACT"
    # line 229: ',"Seasonally adjusted data, not calendar adjusted data",Total,Percentage ...,
    #            Total,Belgium,2025-04,6.4,,'
    assert one(une, s_adj="SA", unit="PC_ACT", period="2025-04")["value"] == 6.4
    # line 78: "...Unadjusted...,Thousand persons,Total,Belgium,2019-01,290,,"
    assert one(une, s_adj="NSA", unit="THS_PER", period="2019-01")["value"] == 290.0
    # line 230: '"Seasonally adjusted ...",Total,Thousand persons,Total,Belgium,2019-01,285,,'
    assert one(une, s_adj="SA", unit="THS_PER", period="2019-01")["value"] == 285.0


def test_unknown_label_is_rejected_with_reason() -> None:
    text = FILE.read_text(encoding="utf-8").replace(",Belgium,2019-01,5.7", ",Belgique,2019-01,5.7")
    read = read_eurostat_sdmx_csv(text, FILE.name)
    assert read.observations.height == 303
    rejected = read.rejected.row(0, named=True)
    assert (rejected["reason"], rejected["detail"], rejected["location"]) == (
        "unknown_label",
        "geo 'Belgique'",
        "line 2",
    )
    assert "Belgique,2019-01,5.7" in rejected["raw"]


def test_codes_flags_and_quarterly_periods() -> None:
    text = (
        "DATAFLOW,LAST UPDATE,freq,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS\r\n"
        "ESTAT:JVS_Q_NACE2(1.0),19/11/25 11:00:00,Q,B-S,BE,2023-Q2,4.6,p,\r\n"
        "ESTAT:JVS_Q_NACE2(1.0),19/11/25 11:00:00,Q,B-S,PL,2025-Q3,,,C\r\n"
    )
    read = read_eurostat_sdmx_csv(text, "x.csv")
    be = one(read.observations, geo="BE")
    assert (be["period"], be["period_start"], be["nace"], be["flag"]) == (
        "2023-Q2",
        date(2023, 4, 1),
        "B-S",
        "p",
    )
    pl_row = one(read.observations, geo="PL")
    assert (pl_row["value"], pl_row["flag"]) == (None, "c")  # confidentiality status C -> c
    assert read.last_update == date(2025, 11, 19)


def test_missing_value_column_is_refused(tmp_path: Path, communes: dict[str, str]) -> None:
    text = FILE.read_text(encoding="utf-8").replace(",OBS_VALUE,", ",OBS_VAL,", 1)
    path = tmp_path / FILE.name
    path.write_text(text, encoding="utf-8", newline="")
    with pytest.raises(UnrecognisedFile, match="lacks OBS_VALUE"):
        detect_and_read(path, communes)


def test_row_with_a_field_missing_is_refused() -> None:
    text = FILE.read_text(encoding="utf-8").replace(",2019-01,5.7,,", ",2019-01,5.7,", 1)
    with pytest.raises(UnrecognisedFile, match="line 2 has 11 fields, the header 12"):
        read_eurostat_sdmx_csv(text, FILE.name)
