"""Headline figures on complete data: the rule every output follows (docs/indicators.md,
"Headlines on complete cohorts").

A cohort indicator (exit to work within 6 months) is final only once the cohort's follow-up
window is over; before that the publisher flags it `p` (provisional) and it can only rise. So a
headline shows the latest cohort whose window is complete (not flagged `p`, value published),
its change compares it with the complete cohort a year earlier, and the provisional cohorts
after it are shown apart, labelled, never in a change. Comparing a provisional cohort with a
complete one would show the window closing, not the labour market.

Pure functions over (period, value, flag) rows: the region page reads them from the published
cells, the PDF brief and the XLSX About sheet from the export's selection.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from dashboard.formatting import fmt, is_missing, signed
from dashboard.i18n import t

PROVISIONAL = "p"


@dataclass(frozen=True)
class Cohort:
    """One cohort's published value: its period ('2024'), value and flag."""

    period: str
    value: Any
    flag: Any

    @property
    def provisional(self) -> bool:
        return not is_missing(self.flag) and str(self.flag) == PROVISIONAL


@dataclass(frozen=True)
class CohortHeadline:
    """The latest complete cohort, the complete one a year before, the provisional ones after."""

    latest: Cohort | None
    previous: Cohort | None
    provisional: tuple[Cohort, ...]

    def change(self) -> float | None:
        """latest − previous (two complete cohorts), None when either is missing."""
        if self.latest is None or self.previous is None:
            return None
        if is_missing(self.latest.value) or is_missing(self.previous.value):
            return None
        return float(self.latest.value) - float(self.previous.value)


def _year(period: str) -> int | None:
    head = period[:4]
    return int(head) if head.isdigit() else None


def _within(period: str, limit: int | None) -> bool:
    year = _year(period)
    return year is not None and (limit is None or year <= limit)


def cohort_headline(rows: Iterable[Cohort], up_to: str) -> CohortHeadline:
    """The headline of yearly cohorts up to period `up_to` (a year, '2026').

    Complete = published (a value) and not provisional; a suppressed cohort is never the
    headline. The previous cohort is the complete one of the year before the latest."""
    limit = _year(up_to)
    cohorts = sorted(
        (c for c in rows if _within(c.period, limit)),
        key=lambda c: c.period,
    )
    complete = [c for c in cohorts if not c.provisional and not is_missing(c.value)]
    latest = complete[-1] if complete else None
    previous = None
    if latest is not None:
        year = _year(latest.period)
        previous = next((c for c in complete if _year(c.period) == (year or 0) - 1), None)
    provisional = tuple(
        c
        for c in cohorts
        if c.provisional
        and not is_missing(c.value)
        and (latest is None or c.period > latest.period)
    )
    return CohortHeadline(latest, previous, provisional)


def change_text(head: CohortHeadline, unit: str, lang: str) -> str | None:
    """`−2,2 pp par rapport à la cohorte 2023`, or None without two complete cohorts."""
    diff = head.change()
    if diff is None or head.previous is None:
        return None
    body = signed(diff * 100, lang, 1) + " pp" if unit == "rate" else signed(diff, lang, 1)
    return t("change_cohort", lang, change=body, period=head.previous.period)


def provisional_text(head: CohortHeadline, unit: str, lang: str) -> str | None:
    """`Provisoire (suivi en cours) : 2025 : 64,9 % p ; 2026 : 55,9 % p`, or None."""
    if not head.provisional:
        return None
    items = " ; ".join(
        f"{c.period} : {fmt(c.value, unit, lang)} {PROVISIONAL}"
        if lang == "fr"
        else f"{c.period}: {fmt(c.value, unit, lang)} {PROVISIONAL}"
        for c in head.provisional
    )
    return t("provisional_cohorts", lang, items=items)
