"""Figure builders: flags on the marks, language separators, palette, no base map."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

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
    trace = fig["data"][0]
    assert trace["text"] == ["", "c", "p"]
    assert trace["marker"]["symbol"] == ["circle", "circle", "circle-open"]
    assert trace["y"][1] is None
    assert fig["layout"]["separators"] == ",."
    assert fig["layout"]["colorway"][0] == figures.OKABE_ITO[0]


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
    assert len(fig["data"]) == 2
    assert fig["data"][0]["x"] == ["Women", "Men"]
    assert fig["data"][1]["text"] == ["", "c"]
    assert fig["layout"]["separators"] == ".,"


def test_funnel_and_heatmap() -> None:
    fig = figures.funnel(["a", "b"], [100, None], ["", "c"], "nl")
    assert fig["data"][0]["x"] == [100, 0] and fig["data"][0]["text"] == ["", "c"]
    matrix = pd.DataFrame([[1.0, None]], index=["2512"], columns=["jan", "feb"])
    flags = pd.DataFrame([[None, "c"]], index=["2512"], columns=["jan", "feb"])
    heat = figures.heatmap(matrix, flags, "fr", "Tension", {"2512": "2512 Dev"})
    assert heat["data"][0]["y"] == ["2512 Dev"]
    assert heat["data"][0]["text"][0][1] == "c"


def test_choropleth_uses_local_geojson_without_base_map() -> None:
    geo = json.loads(GEO.read_text(encoding="utf-8"))
    frame = pd.DataFrame({"nis": ["21001", "21004"], "v": [1.5, None], "v_flag": [None, "c"]})
    fig = figures.choropleth(geo, frame, "nis", "v", {"21001": "Anderlecht"}, "fr", "x")
    assert fig["data"][0]["featureidkey"] == "properties.nis"
    geo_layout = fig["layout"]["geo"]
    assert geo_layout["fitbounds"] == "locations" and geo_layout["visible"] is False
    assert fig["data"][0]["text"][1].endswith("c")


def _native_only(value: object) -> bool:
    """True when the value is made of JSON's own Python types (no numpy, pandas or plotly)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _native_only(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_native_only(v) for v in value)
    return value is None or type(value) in (str, int, float, bool)


def _every_builder() -> dict[str, figures.Figure]:
    geo = json.loads(GEO.read_text(encoding="utf-8"))
    series = pd.DataFrame(
        {
            "m": pd.Series(["2024-01", "2024-02", "2024-01"]),
            "year": pd.Series([2023, 2024, 2023], dtype="int16"),
            "v": [1.0, None, 3.0],
            "v_flag": [None, "c", "p"],
            "s": ["a", "a", "b"],
        }
    )
    matrix = pd.DataFrame([[1.0, None], [2.0, 0.5]], index=["1", "2"], columns=["jan", "feb"])
    communes = pd.DataFrame({"nis": ["21001", "21004"], "v": [1.5, None], "v_flag": [None, "c"]})
    return {
        "lines": figures.lines(series, "m", "v", "s", "fr", "Taux", hover_format=".1%"),
        "lines_int_x": figures.lines(series, "year", "v", None, "en", "Rate"),
        "bars": figures.bars(series, "m", "v", "nl", "N", color_by="s"),
        "bars_h": figures.bars(series, "s", "v", "en", "N", horizontal=True),
        "funnel": figures.funnel(["a", "b"], [10, None], ["", "c"], "fr"),
        "heatmap": figures.heatmap(matrix, None, "en", "T", {}),
        "choropleth": figures.choropleth(geo, communes, "nis", "v", {}, "nl", "x"),
    }


@pytest.mark.parametrize("name", list(_every_builder()))
def test_every_builder_returns_a_valid_native_plotly_figure(name: str) -> None:
    fig = _every_builder()[name]
    assert _native_only(fig), name
    checked = go.Figure(fig)  # plotly validates every trace and layout key here
    assert len(checked.data) == len(fig["data"])
    assert (
        checked.layout.template.layout.font.color == go.Figure().layout.template.layout.font.color
    )


def test_lines_int_x_written_as_plain_numbers() -> None:
    frame = pd.DataFrame({"year": pd.Series([2024, 2023], dtype="int16"), "v": [1.0, 2.0]})
    fig = figures.lines(frame, "year", "v", None, "en")
    assert fig["data"][0]["x"] == [2023, 2024]
    assert all(type(v) is int for v in fig["data"][0]["x"])


def test_builders_match_plotly_layout_of_the_same_updates() -> None:
    """The dict builders set what `update_layout`/`update_yaxes` did on a `go.Figure`."""
    fig = figures.bars(pd.DataFrame({"k": ["a"], "v": [1.0]}), "k", "v", "fr", "N", horizontal=True)
    figures.set_layout(fig, height=300, margin={"l": 360})
    figures.set_yaxis(fig, tickformat=".0%")
    layout = fig["layout"]
    assert layout["margin"] == {"l": 360, "r": 20, "t": 20, "b": 50}
    assert layout["height"] == 300
    assert layout["yaxis"]["autorange"] == "reversed" and layout["yaxis"]["tickformat"] == ".0%"
    assert layout["xaxis"]["title"] == {"text": "N"}
    reference = go.Figure(go.Bar(x=[1.0], y=["a"], orientation="h"))
    reference.update_layout(margin={"l": 220, "r": 20, "t": 20, "b": 50})
    reference.update_layout(height=300, margin={"l": 360})
    assert go.Figure(fig).layout.margin == reference.layout.margin


def test_helpers_leave_the_shared_template_alone() -> None:
    before = json.dumps(figures.TEMPLATE, sort_keys=True)
    one = figures.lines(pd.DataFrame({"m": ["x"], "v": [1.0]}), "m", "v", None, "en")
    figures.set_layout(one, height=500, font={"size": 20})
    figures.set_yaxis(one, tickformat=".0%")
    assert json.dumps(figures.TEMPLATE, sort_keys=True) == before
    assert one["layout"]["font"]["size"] == 20 and one["layout"]["font"]["color"] == "#1a1a1a"


def test_long_form_one_series_per_measure_with_its_flags() -> None:
    frame = pd.DataFrame(
        {
            "period": ["2023", "2024"],
            "a": [0.5, None],
            "a_flag": [None, "c"],
            "b": [0.25, 0.75],
            "b_flag": ["p", None],
        }
    )
    long = figures.long_form(frame, "period", ["a", "b"], str.upper)
    assert list(long.columns) == ["period", "series", "value", "value_flag"]
    assert long["period"].tolist() == ["2023", "2024", "2023", "2024"]
    assert long["series"].tolist() == ["A", "A", "B", "B"]
    assert long["value"].tolist()[2:] == [0.25, 0.75] and pd.isna(long["value"].iloc[1])
    assert [f if isinstance(f, str) else None for f in long["value_flag"].tolist()] == [
        None,
        "c",
        "p",
        None,
    ]
    fig = figures.lines(long, "period", "value", "series", "en")
    assert [t["name"] for t in fig["data"]] == ["A", "B"]
    assert fig["data"][0]["text"] == ["", "c"] and fig["data"][1]["y"] == [0.25, 0.75]
    assert figures.long_form(frame.iloc[0:0], "period", ["a"], str.upper).empty


def test_lines_sort_each_series_by_x_and_skip_rows_without_series() -> None:
    frame = pd.DataFrame(
        {
            "m": ["2024-03", "2024-01", "2024-02", "2024-01", "2024-05"],
            "v": [3.0, 1.0, 2.0, 10.0, 99.0],
            "s": ["a", "a", "a", "b", None],
        }
    )
    fig = figures.lines(frame, "m", "v", "s", "en", labels={"a": "Alpha"})
    assert [t["name"] for t in fig["data"]] == ["Alpha", "b"]
    assert fig["data"][0]["x"] == ["2024-01", "2024-02", "2024-03"]
    assert fig["data"][0]["y"] == [1.0, 2.0, 3.0]
    assert fig["data"][1]["x"] == ["2024-01"] and fig["data"][1]["text"] == [""]


def test_bars_keep_row_order_within_each_colour() -> None:
    frame = pd.DataFrame({"k": ["z", "a", "z"], "v": [1, 2, 3], "g": ["x", "x", "y"]})
    fig = figures.bars(frame, "k", "v", "en", color_by="g")
    assert [(t["name"], t["x"], t["y"]) for t in fig["data"]] == [
        ("x", ["z", "a"], [1.0, 2.0]),
        ("y", ["z"], [3.0]),
    ]


def test_heatmap_keeps_the_top_occupations_of_the_last_month() -> None:
    """Issue 13: 100+ occupations x 13 months made a 50-pixel strip."""
    from datetime import date

    import pandas as pd

    from dashboard.pages.labour_market import top_occupations

    rows = [
        {"occupation_isco": f"{1000 + k}", "month": date(2026, m, 1), "tension_ratio": k * m}
        for k in range(30)
        for m in (10, 11)
    ]
    frame = pd.DataFrame(rows)
    kept, total = top_occupations(frame, 5)
    assert total == 30
    assert sorted(kept["occupation_isco"].unique()) == ["1025", "1026", "1027", "1028", "1029"]
    assert top_occupations(frame, 30)[1] is None
