"""The chart text alternative: highest and lowest of the values a chart shows."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from dashboard.pages.common import summary


def test_summary_names_highest_and_lowest_skipping_missing_values() -> None:
    frame = pd.DataFrame(
        {
            "label": ["Anderlecht", "Ixelles", None, "Uccle", "Evere"],
            "v": [0.25, None, 0.9, Decimal("0.5"), 0.1],
        }
    )
    text = summary(frame, "label", "v", "rate", "en", "Rate")
    assert text == (
        "Chart: Rate, 3 values. Highest: Uccle (50.0%); lowest: Evere (10.0%)."
        " The table below the chart gives every value."
    )


def test_summary_first_of_equal_values_and_repeated_index() -> None:
    """Ties go to the first row; a repeated index (long-form frames) picks one row, not several."""
    frame = pd.concat(
        [
            pd.DataFrame({"label": ["a", "b"], "v": [3, 1]}),
            pd.DataFrame({"label": ["c", "d"], "v": [3, 1]}),
        ]
    )
    text = summary(frame, "label", "v", "count", "en", "N")
    assert "4 values. Highest: a (3); lowest: b (1)." in text


def test_summary_of_nothing() -> None:
    frame = pd.DataFrame({"label": ["a"], "v": [None]})
    assert summary(frame, "label", "v", "count", "fr", "N") == summary(
        frame.iloc[0:0], "label", "v", "count", "fr", "N"
    )
