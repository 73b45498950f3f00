"""Old Data Explorer CSV (ISO-8859-1, all quoted, labels) with its _Label.csv sidecar."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from official_helpers import EUROSTAT, one

from pipelines.sources.official import UnrecognisedFile, detect_and_read
from pipelines.sources.official.eurostat_explorer_csv import read_sidecar

DATA = EUROSTAT / "lfst_r_lfu3rt_1_Data.csv"
LABEL = EUROSTAT / "lfst_r_lfu3rt_Label.csv"


@pytest.fixture(scope="module")
def explorer(communes: dict[str, str]) -> pl.DataFrame:
    read = detect_and_read(DATA, communes)
    assert read.file_format == "eurostat_explorer_csv"
    assert read.sidecar == "lfst_r_lfu3rt_Label.csv"
    assert read.last_update == date(2014, 4, 15)  # "LAST UPDATE: 15.04.14 02:02:08"
    assert read.rejected.is_empty()
    assert read.rows_read == 3140
    return read.observations


def test_file_is_latin1() -> None:
    assert b"R\xe9gion de Bruxelles-Capitale" in DATA.read_bytes()


def test_sidecar_metadata() -> None:
    sidecar = read_sidecar(LABEL.read_bytes(), LABEL.name)
    assert sidecar.dataset == "lfst_r_lfu3rt"
    assert sidecar.last_update == date(2014, 4, 15)
    assert sidecar.extraction_date == date(2014, 4, 20)  # "EXTRACTION DATE: 20.04.14 23:11:35"
    assert (
        sidecar.labels["geo"]["region de bruxelles capitale / brussels hoofdstedelijk gewest"]
        == "BE10"
    )
    assert sidecar.flags["u"] == "low reliability"
    assert sidecar.flags[":"] == "not available"


def test_brussels_values(explorer: pl.DataFrame) -> None:
    # line 11: "2013","BE10","Région de Bruxelles-Capitale / ...","15 years or over","Total",
    #          "19.2",""
    row = one(explorer, geo="BE10", period="2013")
    assert (row["value"], row["flag"], row["age"], row["sex"]) == (19.2, None, "Y_GE15", "T")
    assert row["last_update"] == date(2014, 4, 15)
    # the same series as the bulk TSV, so the same key
    assert row["dimension_key"] == "age=Y_GE15;geo=BE10;sex=T;unit=PC"


def test_flags_and_missing(explorer: pl.DataFrame) -> None:
    # line 92: "2004","BE34","Prov. Luxembourg (BE)","15 years or over","Total","7.1","u"
    row = one(explorer, geo="BE34", period="2004")
    assert (row["value"], row["flag"]) == (7.1, "u")
    # line 252: "2004","DK01","Hovedstaden","15 years or over","Total",":",""
    assert one(explorer, geo="DK01", period="2004")["value"] is None
    assert explorer["value"].null_count() == 118  # as counted in SOURCES.md
    assert explorer.filter(flag="u").height == 74


def test_without_sidecar_last_update_is_unknown(tmp_path: Path, communes: dict[str, str]) -> None:
    shutil.copy(DATA, tmp_path / DATA.name)
    read = detect_and_read(tmp_path / DATA.name, communes)
    assert read.sidecar is None
    assert read.last_update is None
    assert one(read.observations, geo="BE10", period="2013")["value"] == 19.2


def test_unknown_age_label_is_rejected(tmp_path: Path, communes: dict[str, str]) -> None:
    data = DATA.read_bytes().replace(
        b'"2013","BE10","R\xe9gion de Bruxelles-Capitale / Brussels Hoofdstedelijk Gewest",'
        b'"15 years or over"',
        b'"2013","BE10","R\xe9gion de Bruxelles-Capitale / Brussels Hoofdstedelijk Gewest",'
        b'"15 ans et plus"',
    )
    (tmp_path / DATA.name).write_bytes(data)
    shutil.copy(LABEL, tmp_path / LABEL.name)
    read = detect_and_read(tmp_path / DATA.name, communes)
    assert read.observations.height == 3139
    rejected = read.rejected.row(0, named=True)
    assert (rejected["reason"], rejected["detail"], rejected["location"]) == (
        "unknown_label",
        "age '15 ans et plus'",
        "line 11",
    )


def test_missing_flag_column_is_refused(tmp_path: Path, communes: dict[str, str]) -> None:
    data = DATA.read_bytes().replace(b',"Flag and Footnotes"', b"", 1)
    (tmp_path / DATA.name).write_bytes(data)
    with pytest.raises(UnrecognisedFile, match="lacks column 'Flag and Footnotes'"):
        detect_and_read(tmp_path / DATA.name, communes)


def test_sidecar_alone_is_refused(communes: dict[str, str]) -> None:
    with pytest.raises(UnrecognisedFile, match="metadata sidecar, read with its data file"):
        detect_and_read(LABEL, communes)
