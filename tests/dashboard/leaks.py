"""What may not reach a French or Dutch reader: code identifiers, "None"/"nan", English words.

Used by the leak tests (tests/dashboard/test_leaks.py) on rendered pages and on every export.
"""

from __future__ import annotations

import re

# a snake_case identifier: two or more lower-case words joined by underscores
SNAKE = re.compile(r"(?<![\w/.#-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/.-])")
MISSING = re.compile(r"\b(?:None|nan|NaN|null|undefined)\b")
# English interface words (case-sensitive, whole words) that a translated page must not show
ENGLISH = (
    "Search",
    "selected",
    "Select",
    "No results",
    "Loading",
    "Download",
    "count",
    "persons",
    "days",
    "hours",
    "flag",
    "rate",
    "ratio",
    "share",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Autoscale",
    "Reset axes",
    "Zoom",
    "Pan",
    "Download plot as a png",
)
# French words that are English too are only leaks in Dutch
DUTCH_ONLY = ("Source", "source", "version", "Version")


def _words(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


_PATTERNS = {"fr": _words(ENGLISH), "nl": _words(ENGLISH + DUTCH_ONLY)}


def leaks(text: str, lang: str) -> list[str]:
    """Every forbidden fragment of a French or Dutch text (each once, in order)."""
    found: list[str] = []
    for pattern in (SNAKE, MISSING, _PATTERNS[lang]):
        found += pattern.findall(text)
    return list(dict.fromkeys(found))
