"""Fixture shared by the official-statistics tests: the 19 Brussels communes by name."""

from __future__ import annotations

import csv

import pytest
from official_helpers import COMMUNES_CSV


@pytest.fixture(scope="session")
def communes() -> dict[str, str]:
    """Name (French and Dutch) -> NIS code, as the loader builds it from dim_commune."""
    mapping: dict[str, str] = {}
    with COMMUNES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            mapping[row["name_fr"]] = row["nis_code"]
            mapping[row["name_nl"]] = row["nis_code"]
    return mapping
