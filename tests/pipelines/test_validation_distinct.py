"""Validation trims and parses each distinct delivered value once, then joins the result back:
rows that differ only by blanks, nulls among the values, and composite keys with empty parts
must come out as if every row had been trimmed and parsed on its own."""

from __future__ import annotations

from datetime import date

import polars as pl

from pipelines.contracts import JOBSEEKERS, VACANCIES
from pipelines.readers import ROW_NUMBER
from pipelines.reference import ReferenceCodes
from pipelines.validation import validate

REFS = ReferenceCodes(
    pool_ids=frozenset({"technicity"}),
    commune_nis=frozenset({"21001", "21004"}),
    nace_codes=frozenset({"62", "62.01", "47.11"}),
    isco_codes=frozenset({"2512", "0110"}),
    rome_codes=frozenset({"M1805"}),
)
DELIVERED = date(2024, 12, 31)


def _frame(columns: dict[str, list[str | None]]) -> pl.DataFrame:
    n = len(next(iter(columns.values())))
    return pl.DataFrame(
        {**columns, ROW_NUMBER: list(range(2, n + 2))},
        schema={**dict.fromkeys(columns, pl.String), ROW_NUMBER: pl.Int64},
    )


def test_values_that_differ_by_blanks_parse_alike_and_keep_row_order():
    raw = _frame(
        {
            "vacancy_id": ["V1", "V2", "V3", "V4", "V5"],
            "received_date": ["2024-01-08", " 2024-01-08", "08/01/2024\u00a0", "2024-01-08 ", None],
            "closed_date": [None, "", "  ", "2024-02-01", None],
            "occupation_isco": ["2512", " 2512", "110", "2512", "2512"],
            "occupation_rome": [None] * 5,
            "nace": ["62.01", "6201", " 62.01 ", None, "62.01"],
            "commune_nis": ["21001", "21001.0", " 21004", "21004", "21001"],
            "position_count": ["1", " 1", "1.000", "2", "1"],
            "outcome": ["filled", " Filled ", "FILLED", "filled", "filled"],
        }
    )
    result = validate(raw, VACANCIES, REFS, DELIVERED, max_bad_share=1.0)
    good = result.good
    assert good["vacancy_id"].to_list() == ["V1", "V2", "V3", "V4"]
    assert good[ROW_NUMBER].to_list() == [2, 3, 4, 5]
    assert good["received_date"].to_list() == [date(2024, 1, 8)] * 4
    assert good["closed_date"].to_list() == [None, None, None, date(2024, 2, 1)]
    assert good["occupation_isco"].to_list() == ["2512", "2512", "0110", "2512"]
    assert good["nace"].to_list() == ["62.01", "62.01", "62.01", None]
    assert good["commune_nis"].to_list() == ["21001", "21001", "21004", "21004"]
    assert good["position_count"].to_list() == [1, 1, 1000, 2]
    assert good["outcome"].to_list() == ["filled"] * 4
    assert result.bad["reason_code"].to_list() == ["missing_value"]
    assert result.bad["received_date"].to_list() == [None]


def test_composite_key_with_empty_parts_is_a_duplicate_only_among_good_rows():
    row = {
        "month": "2024-03",
        "occupation_isco": None,
        "occupation_rome": "M1805",
        "commune_nis": "21001",
        "sex": "F",
        "age_band": "25-49",
        "duration_band": "<6m",
        "education_level": "low",
        "jobseeker_count": "3",
    }
    rows = [dict(row), dict(row, jobseeker_count="-1"), dict(row), dict(row, occupation_isco=" ")]
    raw = _frame({k: [r[k] for r in rows] for k in row})
    result = validate(raw, JOBSEEKERS, REFS, DELIVERED, max_bad_share=1.0)
    assert result.good[ROW_NUMBER].to_list() == [2]
    assert result.bad[ROW_NUMBER].to_list() == [3, 4, 5]
    assert result.bad["reason_code"].to_list() == [
        "negative_value",
        "duplicate_key",
        "duplicate_key",
    ]
