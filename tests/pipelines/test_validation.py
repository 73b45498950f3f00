"""Row validation: typing, every quarantine reason, their order, and the file-level limit."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.contracts import (
    ENROLMENTS,
    JOBSEEKERS,
    POOL_ACTIVITIES,
    POOL_IDS,
    VACANCIES,
    Contract,
)
from pipelines.readers import ROW_NUMBER, FileRejected, read_source_file
from pipelines.reference import ReferenceCodes
from pipelines.validation import (
    REASON_CODES,
    Validated,
    normalise_code_text,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    parse_month,
    validate,
)

FIXTURES = Path(__file__).parent / "fixtures_readers"
DELIVERED = date(2024, 12, 31)
INSZ_LIKE = re.compile(r"\d{2}\D?\d{2}\D?\d{2}\D?\d{3}\D?\d{2}")

REFS = ReferenceCodes(
    pool_ids=frozenset(POOL_IDS),
    commune_nis=frozenset(f"210{i:02d}" for i in range(1, 20)),
    nace_codes=frozenset({"J", "62", "62.0", "62.01", "A", "01", "01.1", "01.11", "47.11"}),
    isco_codes=frozenset({"2", "25", "251", "2512", "0", "01", "011", "0110"}),
    rome_codes=frozenset({"H2901", "M1805"}),
)


def check(name: str, contract: Contract = ENROLMENTS, **kwargs: object) -> Validated:
    raw = read_source_file(FIXTURES / name, contract)
    return validate(raw.frame, contract, REFS, DELIVERED, **kwargs)  # type: ignore[arg-type]


def one_column(expr_fn, values: Sequence[str | None]) -> list[object]:
    frame = pl.DataFrame({"t": values}, schema={"t": pl.String})
    return frame.select(expr_fn(pl.col("t"))).to_series().to_list()


# ---------------------------------------------------------------------------------------------
# Typing


def test_clean_file_is_typed():
    result = check("enrolments_utf8_comma.csv")
    assert result.bad.height == 0
    good = result.good
    assert good.columns == [*ENROLMENTS.names, ROW_NUMBER]
    assert good.schema["start_date"] == pl.Date
    assert good.schema["end_date"] == pl.Date
    assert good.schema["has_certificate"] == pl.Boolean
    assert good.schema["birth_date"] == pl.Date
    assert good.row(0, named=True) | {"programme_name": None} == {
        "enrolment_id": "E1",
        "insz": "85073003328",
        "pool_id": "technicity",
        "programme_id": "P01",
        "programme_name": None,
        "target_group": "job_seekers",
        "start_date": date(2024, 1, 8),
        "end_date": date(2024, 6, 28),
        "status": "completed",
        "has_certificate": True,
        "sex": "F",
        "birth_date": date(1985, 7, 30),
        "commune_nis": "21001",
        "education_level": "medium",
        ROW_NUMBER: 2,
    }
    assert good["end_date"][1] is None


@pytest.mark.parametrize(
    "name",
    [
        "enrolments_utf8_bom_semicolon.csv",
        "enrolments_cp1252_semicolon.csv",
        "enrolments_dutch_headers.csv",
        "enrolments_tab.tsv",
        "enrolments_utf16.csv",
        "enrolments_quoted_newlines.csv",
    ],
)
def test_every_delivery_form_types_to_the_same_rows(name: str):
    expected = check("enrolments_utf8_comma.csv").good.drop("programme_name", ROW_NUMBER)
    got = check(name)
    assert got.bad.height == 0
    assert got.good.drop("programme_name", ROW_NUMBER).equals(expected)


def test_date_formats():
    good = check("enrolments_date_formats.csv").good
    assert (
        good["start_date"].to_list()
        == [date(2024, 1, 8)] * 4 + [date(2024, 1, 1)] + [date(2024, 1, 8)] * 2
    )
    assert good["end_date"].to_list() == [date(2024, 6, 28)] * 7


def test_insz_formats_are_normalised():
    result = check("enrolments_insz_formats.csv")
    assert result.bad.height == 0
    assert result.good["insz"].to_list() == [
        "85073003328", "90011512363", "05010112385", "05010112385", "78022845665",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-08", date(2024, 1, 8)),
        ("2024-1-8", date(2024, 1, 8)),
        ("08/01/2024", date(2024, 1, 8)),
        ("8.1.2024", date(2024, 1, 8)),
        ("29/02/2024", date(2024, 2, 29)),
        ("29/02/2023", None),
        ("45292", date(2024, 1, 1)),
        ("45292.75", date(2024, 1, 1)),
        ("20000", date(1954, 10, 3)),
        ("19999", None),
        ("80001", None),
        ("01/01/24", None),  # two-digit years are refused, not guessed
        ("1899-12-31", None),
        ("2024/01/08", None),
        ("13/13/2024", None),
        ("tomorrow", None),
    ],
)
def test_parse_date(text: str, expected: date | None):
    assert one_column(parse_date, [text]) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03", date(2024, 3, 1)),
        ("2024/3", date(2024, 3, 1)),
        ("03/2024", date(2024, 3, 1)),
        ("3-2024", date(2024, 3, 1)),
        ("202403", date(2024, 3, 1)),
        ("2024-03-31", date(2024, 3, 1)),
        ("31/03/2024", date(2024, 3, 1)),
        ("2024-13", None),
        ("202413", None),
    ],
)
def test_parse_month(text: str, expected: date | None):
    assert one_column(parse_month, [text]) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("+12", 12),
        ("-3", -3),
        ("1.234", 1234),
        ("12.345.678", 12345678),
        ("1 234", 1234),
        ("1\u00a0234", 1234),
        ("12.0", 12),
        ("12,00", 12),
        ("1.5", None),
        ("1,234", None),
        ("1.23", None),
        ("12a", None),
        ("99999999999999999999", None),
    ],
)
def test_parse_int(text: str, expected: int | None):
    assert one_column(parse_int, [text]) == [expected]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1,5"], [1.5]),
        (["1.5"], [1.5]),
        (["1.234,5"], [1234.5]),
        (["1,234.5"], [1234.5]),
        (["1.234.567"], [1234567.0]),
        (["1,234,567"], [1234567.0]),
        ([",5"], [0.5]),
        (["1e3"], [1000.0]),
        (["2"], [2.0]),
        (["1.234"], [1.234]),  # no decimal comma in the column: a decimal point
        (["1.234", "2,5"], [1234.0, 2.5]),  # decimal comma elsewhere: thousands
        (["1,2,3"], [None]),
        (["inf"], [None]),
        (["NaN"], [None]),
        (["1.2.3,4,5"], [None]),
    ],
)
def test_parse_float(values: list[str], expected: list[float | None]):
    assert one_column(parse_float, values) == expected


def test_parse_bool():
    values = ["Oui", "NON", "ja", "Nee", "yes", "no", "1", "0", "TRUE", "faux", "perhaps"]
    assert one_column(parse_bool, values) == [
        True, False, True, False, True, False, True, False, True, False, None,
    ]  # fmt: skip


def test_code_values_case_accent_and_spacing_insensitive():
    frame = check("enrolments_utf8_comma.csv").good  # just to reuse a valid row
    assert frame.height == 2
    assert normalise_code_text(" TERMINÉ ") == "termine"
    assert normalise_code_text("Dropped - out") == "dropped_out"
    raw = read_source_file(FIXTURES / "enrolments_utf8_comma.csv", ENROLMENTS).frame
    raw = pl.concat([raw] * 4).with_columns(
        pl.Series("enrolment_id", ["a", "b", "c", "d", "e", "f", "g", "h"]),
        pl.Series("status", ["TERMINÉ", "Dropped out", "en  cours", "Uitval"] * 2),
        pl.Series("education_level", ["ÉLEVÉ", "Gemiddeld", "laag", "Other"] * 2),
        pl.Series("pool_id", ["Technicity", "DIGITALCITY", " logisticity", "media"] * 2),
    )
    good = validate(raw, ENROLMENTS, REFS, DELIVERED).good
    assert good["status"].to_list()[:4] == ["completed", "dropped_out", "ongoing", "dropped_out"]
    assert good["education_level"].to_list()[:4] == ["high", "medium", "low", "other"]
    assert good["pool_id"].to_list()[:4] == ["technicity", "digitalcity", "logisticity", "media"]


# ---------------------------------------------------------------------------------------------
# Quarantine reasons


def test_every_enrolment_quarantine_reason():
    result = check("enrolments_quarantine_reasons.csv", max_bad_share=1.0)
    bad = {
        (row["enrolment_id"], row[ROW_NUMBER]): (row["reason_code"], row["reason_detail"])
        for row in result.bad.iter_rows(named=True)
    }
    assert {k: v[0] for k, v in bad.items()} == {
        ("R_missing", 3): "missing_value",
        ("R_insz", 4): "bad_insz",
        ("R_date", 5): "bad_date",
        ("R_pool", 6): "unknown_code",
        ("R_status", 7): "unknown_code",
        ("R_bool", 8): "bad_type",
        ("R_nis", 9): "bad_type",
        ("R_order", 10): "end_before_start",
        ("R_future", 11): "future_date",
        ("OK1", 12): "duplicate_key",
        ("R_pool_insz", 13): "unknown_code",
    }
    assert result.good["enrolment_id"].to_list() == ["OK1", "OK2"]
    assert result.good[ROW_NUMBER].to_list() == [2, 14]
    assert result.good["programme_id"].to_list() == ["P01", "P01"]  # the first OK1 is kept
    details = {k[0]: v[1] for k, v in bad.items()}
    assert details["R_missing"] == "programme_id: empty"
    assert details["R_insz"].startswith("insz: ")
    assert (
        details["R_pool"].startswith("pool_id: not one of") and "(techncity)" in details["R_pool"]
    )
    assert details["R_order"] == "end_date before start_date"
    assert details["R_future"] == "start_date after the delivery date 2024-12-31"
    assert details["OK1"] == "key enrolment_id already seen in an earlier row"


def test_reason_detail_never_shows_an_insz():
    result = check("enrolments_quarantine_reasons.csv", max_bad_share=1.0)
    for detail in result.bad["reason_detail"].to_list():
        assert not INSZ_LIKE.search(detail), detail
        assert not re.search(r"\d{9,}", detail), detail


def test_bad_rows_keep_the_raw_text():
    result = check("enrolments_quarantine_reasons.csv", max_bad_share=1.0)
    bad = result.bad
    assert bad.columns == [*ENROLMENTS.names, ROW_NUMBER, "reason_code", "reason_detail"]
    row = bad.filter(pl.col("enrolment_id") == "R_date").row(0, named=True)
    assert row["start_date"] == "2024-02-30"
    assert row["insz"] == "85073003328"  # quarantine files keep content, outside the warehouse
    assert all(bad[c].dtype == pl.String for c in ENROLMENTS.names)
    assert set(bad["reason_code"]) <= set(REASON_CODES)


def test_every_row_is_either_good_or_bad():
    raw = read_source_file(FIXTURES / "enrolments_quarantine_reasons.csv", ENROLMENTS).frame
    result = validate(raw, ENROLMENTS, REFS, DELIVERED, max_bad_share=1.0)
    numbers = sorted(result.good[ROW_NUMBER].to_list() + result.bad[ROW_NUMBER].to_list())
    assert numbers == raw[ROW_NUMBER].to_list()


def _enrolments(**columns: Sequence[str | None]) -> pl.DataFrame:
    """A raw enrolment frame of valid rows with some columns overridden."""
    n = len(next(iter(columns.values())))
    base = read_source_file(FIXTURES / "enrolments_utf8_comma.csv", ENROLMENTS).frame.head(1)
    frame = pl.concat([base] * n).with_columns(
        pl.Series("enrolment_id", [f"K{i}" for i in range(n)]),
        pl.Series(ROW_NUMBER, list(range(2, n + 2)), dtype=pl.Int64),
    )
    return frame.with_columns(pl.Series(k, list(v), dtype=pl.String) for k, v in columns.items())


def test_first_failing_reason_in_contract_field_order():
    raw = _enrolments(
        insz=["", "85073003328", "85073003329"],
        pool_id=["technicity", "nowhere", "technicity"],
        start_date=["bad", "bad", "bad"],
    )
    bad = validate(raw, ENROLMENTS, REFS, DELIVERED, max_bad_share=1.0).bad
    assert bad["reason_code"].to_list() == ["missing_value", "unknown_code", "bad_insz"]
    assert bad["reason_detail"].to_list()[0] == "insz: empty"


def test_duplicates_are_counted_among_valid_rows_only():
    raw = _enrolments(start_date=["bad", "2024-01-08", "2024-01-09"])
    raw = raw.with_columns(pl.lit("SAME").alias("enrolment_id"))
    result = validate(raw, ENROLMENTS, REFS, DELIVERED, max_bad_share=1.0)
    assert result.bad["reason_code"].to_list() == ["bad_date", "duplicate_key"]
    assert result.good["start_date"].to_list() == [date(2024, 1, 8)]


def test_key_compared_after_trimming():
    raw = _enrolments(start_date=["2024-01-08", "2024-01-08"])
    raw = raw.with_columns(pl.Series("enrolment_id", ["E1", " E1 "]))
    result = validate(raw, ENROLMENTS, REFS, DELIVERED, max_bad_share=1.0)
    assert result.bad["reason_code"].to_list() == ["duplicate_key"]


def test_nullable_fields_may_be_empty_required_ones_not():
    raw = _enrolments(end_date=[None], birth_date=["  "], commune_nis=[""], sex=[" "])
    bad = validate(raw, ENROLMENTS, REFS, DELIVERED, max_bad_share=1.0).bad
    assert bad["reason_detail"].to_list() == ["sex: empty"]


def test_vacancy_codes_nace_isco_ints_and_one_of():
    result = check("vacancies_codes.csv", VACANCIES, max_bad_share=1.0)
    good = {r["vacancy_id"]: r for r in result.good.iter_rows(named=True)}
    assert [good[v]["nace"] for v in ("V1", "V2", "V3", "V4")] == ["62.01"] * 4
    assert good["V5"]["nace"] == "01.11"  # "111": lost leading zero
    assert good["V6"]["nace"] == "01.11"  # "1.11"
    assert good["V12"]["occupation_isco"] == "0110"
    assert good["V3"]["occupation_rome"] == good["V4"]["occupation_rome"] == "H2901"
    assert [good[v]["position_count"] for v in ("V1", "V2", "V3", "V4")] == [1, 2, 1234, 12]
    assert good["V2"]["outcome"] == "filled"  # "pourvue"
    assert result.good.schema["position_count"] == pl.Int64
    bad = dict(zip(result.bad["vacancy_id"], result.bad["reason_code"], strict=True))
    assert bad == {
        "V7": "unknown_code",
        "V8": "bad_type",
        "V9": "negative_value",
        "V10": "bad_type",
        "V11": "missing_occupation",
        "V13": "missing_occupation",
    }
    detail = result.bad.filter(pl.col("vacancy_id") == "V9")["reason_detail"][0]
    assert detail == "position_count: below 1 (0)"


def test_pool_activity_decimal_commas():
    result = check("pool_activities_decimal_comma.csv", POOL_ACTIVITIES, max_bad_share=1.0)
    good = {r["activity_id"]: r for r in result.good.iter_rows(named=True)}
    assert good["A1"]["hours"] == 1.5
    assert good["A2"]["hours"] == 1234.5
    assert good["A3"]["hours"] == 2.0
    assert good["A5"]["hours"] == 1234.0
    assert good["A3"]["participant_count"] == 1200
    assert good["A2"]["hire_count"] == 3 and good["A1"]["hire_count"] is None
    assert good["A1"]["activity_date"] == date(2024, 3, 15)
    assert result.bad["reason_code"].to_list() == ["negative_value"]


def test_jobseeker_months_and_composite_key():
    result = check("jobseekers_months.csv", JOBSEEKERS, max_bad_share=1.0)
    assert result.good["month"].to_list() == [date(2024, m, 1) for m in (1, 2, 3, 4)]
    assert result.good["age_band"].to_list() == ["lt25"] * 4
    assert result.bad["reason_code"].to_list() == ["bad_date"]
    raw = read_source_file(FIXTURES / "jobseekers_months.csv", JOBSEEKERS).frame.head(2)
    raw = raw.with_columns(pl.lit("2024-01").alias("month"))  # same key, null ROME in both
    result = validate(raw, JOBSEEKERS, REFS, DELIVERED, max_bad_share=1.0)
    assert result.bad["reason_code"].to_list() == ["duplicate_key"]


def test_month_in_the_future():
    raw = read_source_file(FIXTURES / "jobseekers_months.csv", JOBSEEKERS).frame.head(1)
    result = validate(raw, JOBSEEKERS, REFS, date(2023, 12, 31), max_bad_share=1.0)
    assert result.bad["reason_code"].to_list() == ["future_date"]


def test_commune_reference():
    raw = read_source_file(FIXTURES / "jobseekers_months.csv", JOBSEEKERS).frame.head(1)
    raw = raw.with_columns(pl.lit("11002").alias("commune_nis"))  # Antwerpen: not Brussels
    result = validate(raw, JOBSEEKERS, REFS, DELIVERED, max_bad_share=1.0)
    assert result.bad["reason_code"].to_list() == ["unknown_code"]
    assert result.bad["reason_detail"][0] == "commune_nis: not a known commune (11002)"


# ---------------------------------------------------------------------------------------------
# File level


def test_too_many_bad_rows_refuses_the_file():
    with pytest.raises(FileRejected) as caught:
        check("enrolments_too_many_bad.csv", file_name="enrolments_too_many_bad.csv")
    error = caught.value
    assert error.reason_code == "too_many_bad_rows"
    assert error.message.startswith("enrolments_too_many_bad.csv: 3 of 10 rows (30%)")
    assert "bad_date 3" in error.message


def test_twenty_percent_is_still_accepted():
    raw = read_source_file(FIXTURES / "enrolments_too_many_bad.csv", ENROLMENTS).frame
    extra = raw.tail(1).with_columns(pl.lit("G_extra").alias("enrolment_id"))
    two_of_ten = pl.concat([raw.slice(1), extra])
    result = validate(two_of_ten, ENROLMENTS, REFS, DELIVERED)
    assert result.bad.height == 2 and result.good.height == 8
    with pytest.raises(FileRejected):
        validate(two_of_ten, ENROLMENTS, REFS, DELIVERED, max_bad_share=0.19)


def test_empty_frame():
    raw = read_source_file(FIXTURES / "enrolments_utf8_comma.csv", ENROLMENTS).frame.head(0)
    result = validate(raw, ENROLMENTS, REFS, DELIVERED)
    assert result.good.height == 0 and result.bad.height == 0
    assert result.good.schema["start_date"] == pl.Date


def test_large_frame_validates_in_one_pass():
    n = 200_000
    raw = _enrolments(start_date=["2024-01-08"]).select(pl.all().gather([0] * n))
    raw = raw.with_columns(
        pl.format("K{}", pl.int_range(n)).alias("enrolment_id"),
        (pl.int_range(n) + 2).cast(pl.Int64).alias(ROW_NUMBER),
        pl.when(pl.int_range(n) % 10 == 0).then(pl.lit("q")).otherwise(pl.col("sex")).alias("sex"),
    )
    result = validate(raw, ENROLMENTS, REFS, DELIVERED)
    assert result.good.height == n - n // 10
    assert result.bad["reason_code"].unique().to_list() == ["unknown_code"]


# ---------------------------------------------------------------------------------------------
# Property: whatever lands in whatever column, no INSZ reaches a reason.


@settings(max_examples=60, deadline=None)
@given(
    column=st.sampled_from(ENROLMENTS.names),
    insz=st.sampled_from(["85073003328", "85.07.30-033.28", "900115 123 63", "5010112385"]),
    prefix=st.sampled_from(["", "x", "12 ", "A-"]),
)
def test_no_insz_in_reason_detail(column: str, insz: str, prefix: str):
    raw = _enrolments(**{column: [prefix + insz]})
    result = validate(raw, ENROLMENTS, REFS, DELIVERED, max_bad_share=1.0)
    for detail in result.bad["reason_detail"].to_list():
        assert insz not in detail
        assert not re.search(r"\d{6,}", detail), detail
