"""Eurostat bulk TSV (old layout), plain and gzipped, with values read off the files by hand."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from official_helpers import EUROSTAT, one

from pipelines.sources.official import OBSERVATION_SCHEMA, UnrecognisedFile, detect_and_read
from pipelines.sources.official.eurostat_tsv import read_eurostat_tsv


@pytest.fixture(scope="module")
def lfst(communes: dict[str, str]) -> pl.DataFrame:
    read = detect_and_read(EUROSTAT / "lfst_r_lfu3rt.tsv", communes)
    assert read.file_format == "eurostat_tsv"
    assert read.rejected.is_empty()
    assert read.rows_read == 5604
    return read.observations


@pytest.fixture(scope="module")
def tgs(communes: dict[str, str]) -> pl.DataFrame:
    return detect_and_read(EUROSTAT / "tgs00010.tsv", communes).observations


def test_schema_and_size(lfst: pl.DataFrame) -> None:
    assert lfst.schema == OBSERVATION_SCHEMA
    assert lfst.height == 5604 * 15  # every key x every year, missing ones kept as NULL
    assert set(lfst["dataset"].unique()) == {"lfst_r_lfu3rt"}


def test_brussels_2013_unflagged(lfst: pl.DataFrame) -> None:
    # line 3753: "Y_GE15,T,BE10\t19.2 \t17.4 ..." (first year column is "2013 ")
    row = one(lfst, geo="BE10", sex="T", age="Y_GE15", period="2013")
    assert row["value"] == 19.2
    assert row["flag"] is None
    assert row["period_start"] == date(2013, 1, 1)
    assert row["freq"] == "A"
    assert row["unit"] == "PC"  # implied for this dataset, stated nowhere in the file
    assert row["dimension_key"] == "age=Y_GE15;geo=BE10;sex=T;unit=PC"
    assert row["last_update"] is None  # the bulk TSV states none


def test_descending_years_with_trailing_space(lfst: pl.DataFrame) -> None:
    # same line, last column "1999 ": "15.9 "
    assert one(lfst, geo="BE10", sex="T", age="Y_GE15", period="1999")["value"] == 15.9
    assert sorted(lfst["period"].unique().to_list()) == [str(y) for y in range(1999, 2014)]


def test_low_reliability_flag(lfst: pl.DataFrame) -> None:
    # "Y15-24,T,BE10\t39.9 \t... \t35.1 \t19.2 u\t..." : the 10th year column is 2004
    row = one(lfst, geo="BE10", sex="T", age="Y15-24", period="2004")
    assert (row["value"], row["flag"]) == (19.2, "u")


def test_missing_with_flag(lfst: pl.DataFrame) -> None:
    # "Y15-24,F,BE10\t36.0 \t... \t33.8 \t: u\t: u ..." : 2004 to 1999 are ": u"
    row = one(lfst, geo="BE10", sex="F", age="Y15-24", period="2004")
    assert row["value"] is None
    assert row["flag"] == "u"
    # "Y15-24,F,AT\t9.4 b\t..." : 2013 is "9.4 b"
    assert one(lfst, geo="AT", sex="F", age="Y15-24", period="2013")["flag"] == "b"


def test_tgs_breaks_in_brussels(tgs: pl.DataFrame) -> None:
    # line 687: "PC,Y_GE15,T,BE10\t17.6 \t17.1 \t15.9 \t15.7 \t17.3 \t16.9 b\t17.4 \t19.2 \t18.3 "
    #         "\t17.3 \t16.7 \t14.8 b"  (years 2006 .. 2017)
    brussels = tgs.filter(geo="BE10", sex="T").sort("period")
    assert brussels["period"].to_list() == [str(y) for y in range(2006, 2018)]  # ascending
    breaks = brussels.filter(pl.col("flag") == "b")
    assert breaks["period"].to_list() == ["2011", "2017"]
    assert breaks["value"].to_list() == [16.9, 14.8]
    assert one(tgs, geo="BE10", sex="T", period="2006")["value"] == 17.6
    assert one(tgs, geo="BE10", sex="T", period="2006")["dimension_key"] == (
        "age=Y_GE15;geo=BE10;sex=T;unit=PC"
    )


def test_tgs_two_letter_flag(tgs: pl.DataFrame) -> None:
    # "PC,Y_GE15,F,BE34\t9.4 u\t8.1 u\t9.3 u\t7.8 u\t8.0 u\t7.6 bu\t..." : 2011 is "7.6 bu"
    row = one(tgs, geo="BE34", sex="F", period="2011")
    assert (row["value"], row["flag"]) == (7.6, "bu")
    # "PC,Y_GE15,F,AT11\t6.4 u\t: bu\t..." : 2007 missing with "bu"
    row = one(tgs, geo="AT11", sex="F", period="2007")
    assert (row["value"], row["flag"]) == (None, "bu")
    counts = dict(tgs.group_by("flag").len().iter_rows())
    assert (counts["b"], counts["u"], counts["bu"]) == (956, 478, 61)  # as in SOURCES.md


def test_gzipped_tsv_reads_the_same(
    tmp_path: Path, tgs: pl.DataFrame, communes: dict[str, str]
) -> None:
    gz = tmp_path / "tgs00010.tsv.gz"
    gz.write_bytes(gzip.compress((EUROSTAT / "tgs00010.tsv").read_bytes()))
    read = detect_and_read(gz, communes)
    assert read.file_format == "eurostat_tsv"
    assert read.observations["dataset"].unique().to_list() == ["tgs00010"]
    assert read.observations.drop("file_name").equals(tgs.drop("file_name"))
    assert read.observations["file_name"].unique().to_list() == ["tgs00010.tsv.gz"]


def test_new_layout_with_freq_and_crlf() -> None:
    text = (
        "freq,unit,sex,age,geo\\TIME_PERIOD\t2022 \t2023 \r\n"
        "A,PC_ACT,T,Y15-74,BE\t5.6 \t5.5 b\r\n"
        "M,PC_ACT,T,Y15-74,BE\t: \t5.5 \r\n"
    )
    read = read_eurostat_tsv(text, "estat_une_rt_a.tsv")
    frame = read.observations
    assert set(frame["dataset"].unique()) == {"une_rt_a"}
    assert one(frame, period="2023", unit="PC_ACT", flag="b")["value"] == 5.5
    # freq is its own column, not part of the key, so both lines share a key
    assert frame["dimension_key"].unique().to_list() == ["age=Y15-74;geo=BE;sex=T;unit=PC_ACT"]


def test_monthly_old_period_labels() -> None:
    read = read_eurostat_tsv("s_adj,geo\\time\t2013M02 \t2013M01 \nNSA,BE\t8.1 \t8.0 p\n", "x.tsv")
    assert one(read.observations, period="2013-01")["flag"] == "p"
    assert one(read.observations, period="2013-02")["period_start"] == date(2013, 2, 1)


def test_unreadable_cell_is_rejected_not_dropped() -> None:
    read = read_eurostat_tsv("age,geo\\time\t2013 \t2012 \nY_GE15,BE\tn/a \t7.1 \n", "x.tsv")
    assert read.observations.height == 1
    rejected = read.rejected.row(0, named=True)
    assert rejected["reason"] == "bad_value"
    assert rejected["location"] == "line 2, 2013"
    assert "n/a" in rejected["raw"]


def test_header_changed_is_refused() -> None:
    text = (EUROSTAT / "tgs00010.tsv").read_text(encoding="ascii")
    changed = text.replace("2011 ", "Year 2011", 1)
    with pytest.raises(UnrecognisedFile, match="'Year 2011' is not a period label"):
        read_eurostat_tsv(changed, "tgs00010.tsv")


def test_missing_column_is_refused() -> None:
    lines = (EUROSTAT / "tgs00010.tsv").read_text(encoding="ascii").split("\n")
    lines[0] = lines[0].rsplit("\t", 1)[0]  # the header loses "2017 ", the rows keep it
    with pytest.raises(UnrecognisedFile, match=r"line 2 has 13 cells, the header 12"):
        read_eurostat_tsv("\n".join(lines), "tgs00010.tsv")


def test_key_with_wrong_number_of_dimensions_is_refused() -> None:
    with pytest.raises(UnrecognisedFile, match="does not match"):
        read_eurostat_tsv("unit,geo\\time\t2013 \nPC,Y_GE15,BE\t1.0 \n", "x.tsv")
