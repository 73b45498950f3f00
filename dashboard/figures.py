"""Figure builders: pandas frames in, plotly figure dicts out; no data access, no Dash.

Why separate: the same builders serve the pages and (later) the PNG/PDF exports, and they are
unit-tested without a browser. Colours are the Okabe–Ito palette (safe for the common forms of
colour blindness); flags are written on the marks (`c` suppressed, `p` provisional) so they never
depend on colour alone.
"""

from __future__ import annotations

import datetime
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.utils import PlotlyJSONEncoder

from dashboard.formatting import separators

OKABE_ITO: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)
# Sequential scale for maps and heatmaps: light yellow → blue (readable in greyscale too).
SEQUENTIAL: list[list[float | str]] = [[0.0, "#F7F7E0"], [0.5, "#56B4E9"], [1.0, "#0B3C6E"]]
# A figure is plotly's JSON form ({"data": [...], "layout": {...}}) built from native Python values:
# `dcc.Graph` and `go.Figure` both take it, and it skips plotly's object construction and
# validation, which took most of a page's first render.
Figure = dict[str, Any]
DEFAULT_HEIGHT = 450  # plotly's height for a figure whose layout sets none (px)
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"


def _template() -> dict[str, Any]:
    """The default plotly template as plain JSON, taken once: a `go.Figure` carries it in its
    layout, so the dict figures carry it too and draw exactly as before."""
    layout = go.Figure().to_plotly_json()["layout"]
    template: dict[str, Any] = json.loads(
        json.dumps(layout.get("template", {}), cls=PlotlyJSONEncoder)
    )
    return template


# Shared by every figure, never mutated (the helpers below only write to the figure's own keys).
TEMPLATE: dict[str, Any] = _template()


def _merge(target: dict[str, Any], updates: Mapping[str, Any]) -> None:
    """Nested update, as plotly's `update_layout`: dicts merge key by key, other values replace."""
    for key, value in updates.items():
        current = target.get(key)
        if isinstance(value, Mapping) and isinstance(current, dict):
            _merge(current, value)
        elif isinstance(value, Mapping):
            fresh: dict[str, Any] = {}
            _merge(fresh, value)
            target[key] = fresh
        else:
            target[key] = value


def set_layout(fig: Figure, **props: Any) -> Figure:
    """`fig.update_layout(**props)` on a dict figure (nested dicts merge; no `a_b` paths)."""
    _merge(fig["layout"], props)
    return fig


def set_yaxis(fig: Figure, **props: Any) -> Figure:
    """`fig.update_yaxes(**props)` on a single-plot dict figure."""
    _merge(fig["layout"].setdefault("yaxis", {}), props)
    return fig


def set_xaxis(fig: Figure, **props: Any) -> Figure:
    """`fig.update_xaxes(**props)` on a single-plot dict figure."""
    _merge(fig["layout"].setdefault("xaxis", {}), props)
    return fig


def _figure(data: list[dict[str, Any]]) -> Figure:
    return {"data": data, "layout": {"template": TEMPLATE}}


def base(fig: Figure, lang: str, y_title: str = "", x_title: str = "") -> Figure:
    """Shared layout: language-specific separators, palette, system fonts, no plotly logo."""
    set_layout(
        fig,
        separators=separators(lang),
        colorway=list(OKABE_ITO),
        font={"family": FONT, "size": 13, "color": "#1a1a1a"},
        margin={"l": 60, "r": 20, "t": 20, "b": 50},
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.2},
        hoverlabel={"font": {"family": FONT}},
    )
    set_yaxis(fig, title={"text": y_title}, gridcolor="#e5e5e5", zerolinecolor="#999")
    set_xaxis(fig, title={"text": x_title})
    return fig


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _flag_text(flags: Sequence[Any] | None, n: int) -> list[str]:
    if flags is None:
        return [""] * n
    return ["" if _missing(f) else str(f) for f in flags]


def _values(values: Sequence[Any]) -> list[float | None]:
    return [None if _missing(v) else float(v) for v in values]


def _column(frame: pd.DataFrame, name: str) -> list[Any] | None:
    """A column as a list, None when the frame has no such column."""
    return frame[name].tolist() if name in frame.columns else None


def _split(
    frame: pd.DataFrame, by: str | None, columns: Sequence[str]
) -> list[tuple[Any, dict[str, list[Any]]]]:
    """The rows of each `by` value (first-seen order, rows with no value left out, as
    `groupby(sort=False)`), as column lists: a pandas group and its sort cost ~2 ms each."""
    lists = {c: frame[c].tolist() for c in columns if c in frame.columns}
    if by is None:
        return [(None, lists)]
    order: dict[Any, list[int]] = {}
    for i, key in enumerate(frame[by].tolist()):
        if not _missing(key):
            order.setdefault(key, []).append(i)
    return [
        (key, {c: [v[i] for i in rows] for c, v in lists.items()}) for key, rows in order.items()
    ]


def _sorted_by(part: dict[str, list[Any]], x: str) -> dict[str, list[Any]]:
    """The rows ordered by `x`, missing values last (as `sort_values`)."""
    xs = part[x]
    order = sorted(range(len(xs)), key=lambda i: (_missing(xs[i]), 0 if _missing(xs[i]) else xs[i]))
    return {c: [v[i] for i in order] for c, v in part.items()}


def _native(values: Sequence[Any]) -> list[Any]:
    """Axis values as JSON-native Python values (`tolist` already unboxes numpy scalars; dates
    become ISO text, as plotly's encoder writes them)."""
    out: list[Any] = []
    for v in values:
        if v is None or isinstance(v, str | int | float):
            out.append(v)
        elif isinstance(v, datetime.date):
            out.append(v.isoformat())
        else:
            out.append(json.loads(json.dumps(v, cls=PlotlyJSONEncoder)))
    return out


def lines(
    frame: pd.DataFrame,
    x: str,
    y: str,
    series: str | None,
    lang: str,
    y_title: str = "",
    labels: dict[str, str] | None = None,
    hover_format: str = ",.0f",
) -> Figure:
    """One line per `series` value; flagged points carry their flag as text, provisional points
    are drawn as open markers."""
    flag_col = f"{y}_flag"
    data: list[dict[str, Any]] = []
    for key, rows in _split(frame, series, (x, y, flag_col)):
        part = _sorted_by(rows, x)
        flags = _flag_text(part.get(flag_col), len(part[x]))
        data.append(
            {
                "type": "scatter",
                "x": _native(part[x]),
                "y": _values(part[y]),
                "name": (labels or {}).get(str(key), str(key)) if key is not None else y_title,
                "mode": "lines+markers+text",
                "text": flags,
                "textposition": "top center",
                "marker": {
                    "symbol": ["circle-open" if f == "p" else "circle" for f in flags],
                    "size": 7,
                },
                "hovertemplate": (
                    f"%{{x}}<br>%{{y:{hover_format}}} %{{text}}<extra>%{{fullData.name}}</extra>"
                ),
                "connectgaps": False,
            }
        )
    return base(_figure(data), lang, y_title)


def bars(
    frame: pd.DataFrame,
    x: str,
    y: str,
    lang: str,
    y_title: str = "",
    labels: dict[str, str] | None = None,
    color_by: str | None = None,
    horizontal: bool = False,
    hover_format: str = ",.0f",
) -> Figure:
    """Bars with the flag written on each bar (a suppressed bar shows only its `c`)."""
    flag_col = f"{y}_flag"
    data: list[dict[str, Any]] = []
    for key, part in _split(frame, color_by, (x, y, flag_col)):
        cats = [(labels or {}).get(str(v), str(v)) for v in part[x]]
        vals = _values(part[y])
        flags = _flag_text(part.get(flag_col), len(part[x]))
        trace: dict[str, Any] = {
            "type": "bar",
            "name": str(key) if key is not None else y_title,
            "text": flags,
            "textposition": "outside",
            "cliponaxis": False,
        }
        if horizontal:
            trace.update(
                y=cats,
                x=vals,
                orientation="h",
                hovertemplate=f"%{{y}}: %{{x:{hover_format}}} %{{text}}<extra></extra>",
            )
        else:
            trace.update(
                x=cats,
                y=vals,
                hovertemplate=f"%{{x}}: %{{y:{hover_format}}} %{{text}}<extra></extra>",
            )
        data.append(trace)
    fig = _figure(data)
    set_layout(fig, barmode="group", showlegend=color_by is not None)
    if horizontal:
        set_yaxis(fig, autorange="reversed")
        base(fig, lang, "", y_title)
        return set_layout(fig, margin={"l": 220})
    return base(fig, lang, y_title)


def funnel(
    stages: Sequence[str], values: Sequence[float | None], flags: Sequence[str], lang: str
) -> Figure:
    """The trainee funnel: starts → completed → in work at 3/6/12 months."""
    fig = _figure(
        [
            {
                "type": "funnel",
                "y": list(stages),
                "x": _native([v if v is not None else 0 for v in values]),
                "text": [f or "" for f in flags],
                "textinfo": "value+text",
                "marker": {"color": [OKABE_ITO[i % len(OKABE_ITO)] for i in range(len(stages))]},
                "hovertemplate": "%{y}: %{x:,.0f} %{text}<extra></extra>",
            }
        ]
    )
    base(fig, lang)
    return set_layout(fig, margin={"l": 200})


def heatmap(
    matrix: pd.DataFrame,
    flags: pd.DataFrame | None,
    lang: str,
    z_title: str,
    row_labels: dict[str, str],
) -> Figure:
    """Occupations (rows) × months (columns); suppressed cells are blank and marked `c`."""
    z = [[None if pd.isna(v) else float(v) for v in row] for row in matrix.to_numpy().tolist()]
    text = (
        [["" if pd.isna(f) else str(f) for f in row] for row in flags.to_numpy().tolist()]
        if flags is not None
        else None
    )
    trace: dict[str, Any] = {
        "type": "heatmap",
        "z": z,
        "x": [str(c) for c in matrix.columns],
        "y": [row_labels.get(str(r), str(r)) for r in matrix.index],
        "texttemplate": "%{text}",
        "colorscale": SEQUENTIAL,
        # the title along the bar, not above it: a long title above widened the right margin
        # until the map itself was a strip of about 50 px (issue 13)
        "colorbar": {"title": {"text": z_title, "side": "right"}},
        "hovertemplate": "%{y}<br>%{x}: %{z:,.1f} %{text}<extra></extra>",
        "xgap": 1,
        "ygap": 1,
    }
    if text is not None:
        trace["text"] = text
    fig = base(_figure([trace]), lang)
    return set_layout(fig, margin={"l": 260})


def choropleth(
    geojson: dict[str, Any],
    frame: pd.DataFrame,
    location: str,
    value: str,
    names: dict[str, str],
    lang: str,
    title: str,
) -> Figure:
    """The 19 communes, no base map and no tile server: only the local GeoJSON is drawn."""
    flags = _flag_text(_column(frame, f"{value}_flag"), len(frame))
    locations = frame[location].tolist()
    fig = _figure(
        [
            {
                "type": "choropleth",
                "geojson": geojson,
                "featureidkey": "properties.nis",
                "locations": _native(locations),
                "z": _values(frame[value].tolist()),
                "text": [
                    f"{names.get(str(c), str(c))} {f}".strip()
                    for c, f in zip(locations, flags, strict=True)
                ],
                "hovertemplate": "%{text}: %{z:,.1f}<extra></extra>",
                "colorscale": SEQUENTIAL,
                "marker": {"line": {"color": "#333", "width": 0.6}},
                "colorbar": {"title": {"text": title}},
            }
        ]
    )
    set_layout(fig, geo={"fitbounds": "locations", "visible": False, "showframe": False})
    base(fig, lang)
    return set_layout(fig, margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=420)


def long_form(
    frame: pd.DataFrame, x: str, columns: Sequence[str], name_of: Callable[[str], str]
) -> pd.DataFrame:
    """Measures side by side (each with its `<column>_flag`) as one series per measure, the
    shape the line and bar builders take: x, series (the measure's name), value, value_flag."""
    if frame.empty:
        return pd.DataFrame()
    # Built as lists (one frame at the end): a frame per measure and a concat cost ~5 ms a chart.
    xs = frame[x].tolist()
    out: dict[str, list[Any]] = {x: [], "series": [], "value": [], "value_flag": []}
    for c in columns:
        out[x].extend(xs)
        out["series"].extend([name_of(c)] * len(xs))
        out["value"].extend(frame[c].tolist())
        out["value_flag"].extend(frame[f"{c}_flag"].tolist())
    return pd.DataFrame(out)
