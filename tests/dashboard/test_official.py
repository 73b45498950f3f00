"""Official statistics beside the pools: each panel shows the figures with source and flags."""

from __future__ import annotations

import json
from pathlib import Path

import dash
import plotly
import pytest

from dashboard import data
from dashboard.app import create_app
from dashboard.pages.official import registered_jobseekers, survey_unemployment
from tests.dashboard.published_fixture import make_published


@pytest.fixture(scope="module")
def app(published: Path) -> dash.Dash:
    return create_app(published)


def render(app: dash.Dash, page: str, **params: str) -> str:
    with app.server.test_request_context("/"):
        layout = dash.page_registry[f"dashboard.pages.{page}"]["layout"](**params)
        return json.dumps(
            layout.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False
        )


def test_context_readers(published: Path) -> None:
    rate = survey_unemployment(published)
    assert list(rate["year"])[-1] == 2024
    assert rate.set_index("year").loc[2017, "unemployment_rate_flag"] == "b"
    registered = registered_jobseekers(published)
    # 19 communes added up: 1000 + 250 k for k = 0..18, plus 10 in 2024
    assert registered.set_index("year").loc[2024, "jobseeker_count"] == pytest.approx(
        sum(1000 + 250 * k + 10 for k in range(19))
    )


def test_region_puts_the_survey_rate_next_to_registered_job_seekers(app: dash.Dash) -> None:
    for lang, words in (
        ("fr", ("Taux de chômage (enquête, BE10)", "Source : Eurostat (tgs00010)", "BIT")),
        ("nl", ("Werkloosheidsgraad (enquête, BE10)", "Bron: Eurostat (tgs00010)", "IAO")),
        ("en", ("Unemployment rate (survey, BE10)", "Source: Eurostat (tgs00010)", "ILO")),
    ):
        text = render(app, "region", lang=lang)
        for word in words:
            assert word in text, (lang, word)
        assert "Actiris (view.brussels) via opendata.brussels" in text
        assert "b: " in text  # the break in series is shown with its meaning


def test_map_switches_to_actiris_job_seekers(app: dash.Dash) -> None:
    text = render(app, "region", lang="en", map="official_jobseekers")
    assert "Registered job seekers (Actiris, published)" in text
    assert "Source: Actiris (view.brussels) via opendata.brussels" in text
    assert "Period: 2024" in text


def test_labour_market_shows_the_belgian_job_vacancy_rate(app: dash.Dash) -> None:
    text = render(app, "labour_market", lang="en")
    assert "Job vacancy rate in Belgium by sector (NACE), 2024-Q4" in text
    assert "Manufacturing (C)" in text and "Source: Eurostat (ei_lmjv_q_r2)" in text
    assert "2024-Q1 – 2024-Q4" in text and "p: provisional" in text
    assert "Agriculture" not in text  # an aggregate with no value is left out


def test_data_page_lists_licences_and_credits(app: dash.Dash) -> None:
    text = render(app, "data", lang="fr")
    # the credits in the reader's language (issue 13): French typography in French
    assert "CC BY 4.0" in text and "Source : Eurostat" in text
    assert "Source : Actiris (view.brussels) via opendata.brussels" in text
    assert "Bron: Eurostat" in render(app, "data", lang="nl")
    assert "opendata.brussels.be" in text and "tgs00010" in text


def test_a_file_without_context_tables_still_renders(tmp_path: Path) -> None:
    import duckdb

    path = make_published(tmp_path / "published.duckdb")
    con = duckdb.connect(str(path))
    con.execute("DROP SCHEMA context CASCADE")
    con.close()
    assert data.context_rows(path, "job_vacancy_rate_be", ["nace"]).empty
    app = create_app(path)
    for page in ("region", "labour_market", "data"):
        text = render(app, page, lang="en")
        assert "Maintenance" not in text, page
