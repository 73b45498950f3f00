"""The placement headline of an export (PDF brief, XLSX About sheet) by the rule the region
page follows (dashboard/headlines.py): the latest complete cohort, its change on the complete
cohort a year earlier, the provisional cohorts apart."""

from __future__ import annotations

from dashboard import data
from dashboard.exports.selection import Measure, Selection
from dashboard.headlines import Cohort, CohortHeadline, cohort_headline

COLUMN = "in_work_6m_rate"


def placement_headline(sel: Selection) -> tuple[Measure, CohortHeadline] | None:
    """(measure, headline) of exit to work within 6 months for the selection's pool or the
    region, over the yearly cohorts up to the selection's last year; None without the group."""
    group = sel.group("placement")
    if group is None:
        return None
    measure = next((m for m in group.measures if m.column == COLUMN), None)
    if measure is None:
        return None
    pool = sel.pool.pool_id if sel.pool else data.TOTAL
    frame = group.frame
    yearly = (frame["pool_id"] == pool) & (frame["period_type"] == "year")
    rows = frame[yearly & (frame["code"] == data.TOTAL)]
    cohorts = [
        Cohort(str(period), value, flag)
        for period, value, flag in zip(
            rows["period"].tolist(),
            rows[COLUMN].tolist(),
            rows[measure.flag].tolist() if measure.flag else [None] * len(rows),
            strict=True,
        )
    ]
    return measure, cohort_headline(cohorts, str(sel.month_to.year))
