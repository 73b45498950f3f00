"""Table views: written as Dash JSON directly, they must be what the html components give."""

from __future__ import annotations

import json

import pandas as pd
import plotly
from dash import html

from dashboard.components import blocks


def _json(component: object) -> object:
    return json.loads(json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder))


def test_table_is_the_same_json_as_html_components() -> None:
    frame = pd.DataFrame(
        {"name": ["Anderlecht", "Ixelles"], "n": [12, None], "n_flag": [None, "c"]}
    )
    columns: list[tuple[str, str, blocks.Formatter]] = [
        ("name", "Commune", str),
        ("n", "Count", lambda v: "–" if blocks.is_missing(v) else f"{v:.0f}"),
    ]
    built = blocks.table(frame, columns, "Trainees", {"n": "n_flag"})
    reference = html.Table(
        [
            html.Caption("Trainees"),
            html.Thead(html.Tr([html.Th("Commune", scope="col"), html.Th("Count", scope="col")])),
            html.Tbody(
                [
                    html.Tr([html.Th("Anderlecht", scope="row"), html.Td("12")]),
                    html.Tr([html.Th("Ixelles", scope="row"), html.Td("– (c)")]),
                ]
            ),
        ],
        className="data-table",
    )
    assert _json(built) == _json(reference)


def test_table_keeps_headers_and_row_headers() -> None:
    frame = pd.DataFrame({"a": ["x"], "b": ["y"], "c": ["z"]})
    built = _json(blocks.table(frame, [(k, k.upper(), str) for k in "abc"], "Cap"))
    assert isinstance(built, dict)
    caption, head, body = built["props"]["children"]
    assert caption["type"] == "Caption" and caption["props"]["children"] == "Cap"
    assert [th["props"] for th in head["props"]["children"]["props"]["children"]] == [
        {"children": k.upper(), "scope": "col"} for k in "abc"
    ]
    row = body["props"]["children"][0]["props"]["children"]
    assert [(c["type"], c["props"].get("scope")) for c in row] == [
        ("Th", "row"),
        ("Td", None),
        ("Td", None),
    ]
