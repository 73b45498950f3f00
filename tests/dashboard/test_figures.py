"""Figure builders: flags on the marks, language separators, palette, no base map."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from dashboard import figures

GEO = Path(__file__).resolve().parents[2] / "data/reference/geo/brussels_communes.geojson"


def test_lines_mark_provisional_and_suppressed_points() -> None:
    frame = pd.DataFrame(
        {
            "m": ["2024-01", "2024-02", "2024-03"],
            "v": [0.5, None, 0.6],
            "v_flag": [None, "c", "p"],
            "s": ["a", "a", "a"],
        }
    )
    fig = figures.lines(frame, "m", "v", "s", "fr", "Taux")
    trace = fig.data[0]
    assert list(trace.text) == ["", "c", "p"]
    assert list(trace.marker.symbol) == ["circle", "circle", "circle-open"]
    assert trace.y[1] is None
    assert fig.layout.separators == ",."
    assert fig.layout.colorway[0] == figures.OKABE_ITO[0]


def test_bars_group_by_series_and_label_categories() -> None:
    frame = pd.DataFrame(
        {
            "k": ["F", "M", "F", "M"],
            "v": [10, 20, 30, None],
            "v_flag": [None, None, None, "c"],
            "g": ["x", "x", "y", "y"],
        }
    )
    fig = figures.bars(
        frame, "k", "v", "en", "Trainees", labels={"F": "Women", "M": "Men"}, color_by="g"
    )
    assert len(fig.data) == 2
    assert list(fig.data[0].x) == ["Women", "Men"]
    assert list(fig.data[1].text) == ["", "c"]
    assert fig.layout.separators == ".,"


def test_funnel_and_heatmap() -> None:
    fig = figures.funnel(["a", "b"], [100, None], ["", "c"], "nl")
    assert list(fig.data[0].x) == [100, 0] and list(fig.data[0].text) == ["", "c"]
    matrix = pd.DataFrame([[1.0, None]], index=["2512"], columns=["jan", "feb"])
    flags = pd.DataFrame([[None, "c"]], index=["2512"], columns=["jan", "feb"])
    heat = figures.heatmap(matrix, flags, "fr", "Tension", {"2512": "2512 Dev"})
    assert list(heat.data[0].y) == ["2512 Dev"]
    assert heat.data[0].text[0][1] == "c"


def test_choropleth_uses_local_geojson_without_base_map() -> None:
    geo = json.loads(GEO.read_text(encoding="utf-8"))
    frame = pd.DataFrame({"nis": ["21001", "21004"], "v": [1.5, None], "v_flag": [None, "c"]})
    fig = figures.choropleth(geo, frame, "nis", "v", {"21001": "Anderlecht"}, "fr", "x")
    assert fig.data[0].featureidkey == "properties.nis"
    assert fig.layout.geo.fitbounds == "locations" and fig.layout.geo.visible is False
    assert fig.data[0].text[1].endswith("c")
