"""Pseudonyms are computed once per distinct delivered INSZ and mapped back to every row: the
result must be the per-value `pseudonym` (HMAC-SHA256 of the normalised digits), whatever the
spelling of the number, and a refusal still counts rows, not distinct values."""

from __future__ import annotations

import hashlib
import hmac

import polars as pl
import pytest

from pipelines.contracts import PLACEMENTS
from pipelines.pseudonymise import pseudonym, pseudonymise

KEY = bytes(range(32))


def test_every_spelling_of_one_number_gets_the_hmac_of_its_digits():
    spellings = ["85073003328", "85.07.30-033.28", " 850730 033 28", "85073003328.0"]
    frame = pl.DataFrame({"insz": [*spellings, None, "90011512363"], "n": range(6)})
    out = pseudonymise(frame, PLACEMENTS, KEY)
    expected = hmac.new(KEY, b"85073003328", hashlib.sha256).hexdigest()
    assert out["person_id"].to_list()[:4] == [expected] * 4
    assert out["person_id"][4] is None
    assert out["person_id"][5] == pseudonym("90011512363", KEY)
    assert out["n"].to_list() == list(range(6))  # row order kept
    assert "insz" not in out.columns


def test_refusal_counts_rows_and_shows_no_value():
    frame = pl.DataFrame({"insz": ["12345", "12345", "85073003328", "abc"]})
    with pytest.raises(ValueError, match=r"^3 value\(s\) of insz") as caught:
        pseudonymise(frame, PLACEMENTS, KEY)
    assert "12345" not in str(caught.value) and "abc" not in str(caught.value)
