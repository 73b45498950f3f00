"""Message catalogues and Belgian number formats."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from dashboard import formatting as f
from dashboard.i18n import LANGS, catalogue, negotiate, t

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


def test_every_language_has_the_same_keys_and_placeholders() -> None:
    keys = {lang: set(catalogue(lang)) for lang in LANGS}
    assert keys["fr"] == keys["nl"] == keys["en"]
    for key in keys["fr"]:
        holes = {lang: set(re.findall(r"{(\w+)}", catalogue(lang)[key])) for lang in LANGS}
        assert holes["fr"] == holes["nl"] == holes["en"], key


def test_every_key_used_in_the_code_exists() -> None:
    used: set[str] = set()
    for path in DASHBOARD.rglob("*.py"):
        used |= set(re.findall(r"\bt\(\s*\"([a-z_0-9]+)\"", path.read_text(encoding="utf-8")))
    assert used, "the scan found no keys"
    assert used - set(catalogue("en")) == set()


def test_unknown_key_fails_loudly() -> None:
    with pytest.raises(KeyError):
        t("no_such_key", "fr")


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("nl-BE,nl;q=0.9,en;q=0.8", "nl"),
        ("en-GB,en;q=0.9", "en"),
        ("de-DE,de;q=0.9,fr;q=0.5,nl;q=0.7", "nl"),
        ("de-DE", "fr"),
        (None, "fr"),
        ("fr;q=0,en", "en"),
    ],
)
def test_accept_language(header: str | None, lang: str) -> None:
    assert negotiate(header) == lang


def test_belgian_numbers() -> None:
    assert f.number(1234.5, "fr", 1) == "1.234,5"
    assert f.number(1234.5, "nl", 1) == "1.234,5"
    assert f.number(1234.5, "en", 1) == "1,234.5"
    assert f.number(1234567, "nl") == "1.234.567"
    assert f.number(None, "fr") == "–"
    assert f.number(float("nan"), "fr") == "–"
    assert f.percent(0.4234, "fr") == "42,3 %"
    assert f.percent(0.4234, "en") == "42.3%"
    assert f.signed(-1234, "fr") == "−1.234"
    assert f.signed(12.5, "en", 1) == "+12.5"
    assert f.separators("nl") == ",." and f.separators("en") == ".,"


def test_months() -> None:
    assert f.month(date(2024, 3, 1), "fr") == "mars 2024"
    assert f.month(date(2024, 3, 1), "nl") == "maart 2024"
    assert f.month(date(2024, 3, 1), "en") == "Mar 2024"
    assert f.parse_month("2024-03") == date(2024, 3, 1)
    for bad in ("2024-13", "2024-3", "x' OR 1=1", "", None, "1800-01"):
        assert f.parse_month(bad) is None
    assert f.month_code(date(2024, 3, 1)) == "2024-03"


def test_half_way_values_round_away_from_zero() -> None:
    """Issue 13: 4284,5 printed 4.284 and 1185,5 printed 1.186 (half to even)."""
    from dashboard.formatting import number, percent

    assert number(4284.5, "fr") == "4.285"
    assert number(1185.5, "nl") == "1.186"
    assert number(-2.5, "en") == "-3"
    assert number(0.25, "en", 1) == "0.3"
    assert number(2.675, "fr", 2) == "2,68"
    assert percent(0.1235, "fr") == "12,4 %"


def test_partial_periods_are_named_with_their_months() -> None:
    """Issue 13: 2026 covering January–November read as a whole year."""
    from datetime import date

    from dashboard.formatting import period_text

    nov = date(2026, 11, 1)
    assert period_text("2026", nov, "fr") == "2026 (janv.–nov.)"
    assert period_text("2026", nov, "nl") == "2026 (jan.–nov.)"
    assert period_text("2026-Q4", nov, "fr") == "2026-Q4 (oct.–nov.)"
    assert period_text("2026-Q4", date(2026, 10, 1), "nl") == "2026-Q4 (okt.)"
    assert period_text("2025", nov, "fr") == "2025"
    assert period_text("2026-Q3", nov, "fr") == "2026-Q3"
    assert period_text("2026-11", nov, "fr") == "2026-11"
    assert period_text("2026", date(2026, 12, 1), "fr") == "2026"
