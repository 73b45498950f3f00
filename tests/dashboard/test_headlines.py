"""Headlines on complete data (issue 13): the region's placement figure is the latest cohort
whose follow-up window is complete, its change compares two complete cohorts, and the
provisional cohorts are shown apart — on the page, in the PDF brief and in the XLSX About sheet.
"""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import dash
import openpyxl
import plotly
import pytest

from dashboard import data
from dashboard.app import create_app
from dashboard.exports import render
from dashboard.exports.pdf import key_figures
from dashboard.exports.selection import build
from dashboard.formatting import is_missing
from dashboard.headlines import Cohort, cohort_headline
from dashboard.pages.region import placement_headline


def test_the_latest_complete_cohort_is_the_headline() -> None:
    rows = [
        Cohort("2022", 0.64, None),
        Cohort("2023", 0.65, None),
        Cohort("2024", 0.63, None),
        Cohort("2025", 0.65, "p"),
        Cohort("2026", 0.55, "p"),
    ]
    head = cohort_headline(rows, "2026")
    assert head.latest == rows[2] and head.previous == rows[1]
    assert head.change() == pytest.approx(0.63 - 0.65)
    assert head.provisional == (rows[3], rows[4])
    # a suppressed cohort is never the headline: the latest published complete one is (named)
    head = cohort_headline([*rows[:2], Cohort("2024", None, "c"), *rows[3:]], "2026")
    assert head.latest == rows[1] and head.previous == rows[0]
    # and never the base of a change
    head = cohort_headline([Cohort("2023", None, "c"), rows[2], *rows[3:]], "2026")
    assert head.latest == rows[2] and head.previous is None and head.change() is None
    # only the cohorts up to the chosen year
    assert cohort_headline(rows, "2023").latest == rows[1]
    assert cohort_headline(rows, "2023").provisional == ()


def _month(path: Path) -> date:
    return max(data.months(path))


def test_demo_region_headline_compares_two_complete_cohorts(demo_published: Path) -> None:
    head = placement_headline(demo_published, data.TOTAL, _month(demo_published))
    assert head.latest is not None and head.previous is not None
    assert is_missing(head.latest.flag) and is_missing(head.previous.flag)  # no flag at all
    assert int(head.previous.period) == int(head.latest.period) - 1
    # the demo's last cohorts are still in their follow-up window: shown apart, all flagged p
    assert head.provisional and all(c.flag == "p" for c in head.provisional)
    assert all(c.period > head.latest.period for c in head.provisional)


def _render(app: dash.Dash, **params: str) -> str:
    with app.server.test_request_context("/"):
        layout = dash.page_registry["dashboard.pages.region"]["layout"](**params)
        return json.dumps(
            layout.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False
        )


def test_demo_region_page_says_which_cohort(demo_published: Path) -> None:
    head = placement_headline(demo_published, data.TOTAL, _month(demo_published))
    assert head.latest is not None and head.previous is not None
    app = create_app(demo_published)
    text = _render(app, lang="fr")
    assert f"Cohorte {head.latest.period} (dernière au suivi complet)" in text
    assert f"par rapport à la cohorte {head.previous.period} (suivi complet)" in text
    assert "Provisoire, suivi en cours" in text
    text = _render(app, lang="nl")
    assert f"ten opzichte van cohorte {head.previous.period}" in text


def test_demo_pdf_and_xlsx_follow_the_same_rule(demo_published: Path) -> None:
    month = _month(demo_published)
    head = placement_headline(demo_published, data.TOTAL, month)
    assert head.latest is not None and head.previous is not None
    sel = build(demo_published, None, date(month.year - 3, 1, 1), month, "fr")
    rows = [r for r in key_figures(sel) if r[0].startswith("Insertion") or "6 mois" in r[0]]
    periods = [r[1] for r in rows]
    assert head.latest.period in periods
    assert any("par rapport à la cohorte " + head.previous.period in r[2] for r in rows)
    assert any("Provisoire" in r[2] for r in rows)
    content, _ = render(sel, "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    about = " ".join(
        str(v) for row in book.worksheets[0].iter_rows(values_only=True) for v in row if v
    )
    assert f"Cohorte {head.latest.period} (dernière au suivi complet)" in about
    assert "Provisoire, suivi en cours" in about
