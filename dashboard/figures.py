"""Figure builders: pandas frames in, plotly figures out; no data access, no Dash.

Why separate: the same builders serve the pages and (later) the PNG/PDF exports, and they are
unit-tested without a browser. Colours are the Okabe–Ito palette (safe for the common forms of
colour blindness); flags are written on the marks (`c` suppressed, `p` provisional) so they never
depend on colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

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
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"


def base(fig: go.Figure, lang: str, y_title: str = "", x_title: str = "") -> go.Figure:
    """Shared layout: language-specific separators, palette, system fonts, no plotly logo."""
    fig.update_layout(
        separators=separators(lang),
        colorway=list(OKABE_ITO),
        font={"family": FONT, "size": 13, "color": "#1a1a1a"},
        margin={"l": 60, "r": 20, "t": 20, "b": 50},
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.2},
        hoverlabel={"font": {"family": FONT}},
    )
    fig.update_yaxes(title_text=y_title, gridcolor="#e5e5e5", zerolinecolor="#999")
    fig.update_xaxes(title_text=x_title)
    return fig


def _flag_text(flags: pd.Series | None, n: int) -> list[str]:
    if flags is None:
        return [""] * n
    return [
        "" if (f is None or (isinstance(f, float) and math.isnan(f))) else str(f)
        for f in flags.tolist()
    ]


def _values(series: pd.Series) -> list[float | None]:
    out: list[float | None] = []
    for v in series.tolist():
        out.append(
            None
            if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA
            else float(v)
        )
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
) -> go.Figure:
    """One line per `series` value; flagged points carry their flag as text, provisional points
    are drawn as open markers."""
    fig = go.Figure()
    groups: Sequence[tuple[Any, pd.DataFrame]] = (
        list(frame.groupby(series, sort=False)) if series else [(None, frame)]
    )
    flag_col = f"{y}_flag"
    for key, part in groups:
        part = part.sort_values(x)
        flags = _flag_text(part.get(flag_col), len(part))
        fig.add_trace(
            go.Scatter(
                x=part[x],
                y=_values(part[y]),
                name=(labels or {}).get(str(key), str(key)) if key is not None else y_title,
                mode="lines+markers+text",
                text=flags,
                textposition="top center",
                marker={
                    "symbol": ["circle-open" if f == "p" else "circle" for f in flags],
                    "size": 7,
                },
                hovertemplate=(
                    f"%{{x}}<br>%{{y:{hover_format}}} %{{text}}<extra>%{{fullData.name}}</extra>"
                ),
                connectgaps=False,
            )
        )
    return base(fig, lang, y_title)


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
) -> go.Figure:
    """Bars with the flag written on each bar (a suppressed bar shows only its `c`)."""
    fig = go.Figure()
    groups: Sequence[tuple[Any, pd.DataFrame]] = (
        list(frame.groupby(color_by, sort=False)) if color_by else [(None, frame)]
    )
    flag_col = f"{y}_flag"
    for key, part in groups:
        cats = [(labels or {}).get(str(v), str(v)) for v in part[x].tolist()]
        vals = _values(part[y])
        flags = _flag_text(part.get(flag_col), len(part))
        common: dict[str, Any] = {
            "name": str(key) if key is not None else y_title,
            "text": flags,
            "textposition": "outside",
            "cliponaxis": False,
        }
        if horizontal:
            fig.add_trace(
                go.Bar(
                    y=cats,
                    x=vals,
                    orientation="h",
                    **common,
                    hovertemplate=f"%{{y}}: %{{x:{hover_format}}} %{{text}}<extra></extra>",
                )
            )
        else:
            fig.add_trace(
                go.Bar(
                    x=cats,
                    y=vals,
                    **common,
                    hovertemplate=f"%{{x}}: %{{y:{hover_format}}} %{{text}}<extra></extra>",
                )
            )
    fig.update_layout(barmode="group", showlegend=color_by is not None)
    if horizontal:
        fig.update_yaxes(autorange="reversed")
        base(fig, lang, "", y_title)
        fig.update_layout(margin={"l": 220})
        return fig
    return base(fig, lang, y_title)


def funnel(
    stages: Sequence[str], values: Sequence[float | None], flags: Sequence[str], lang: str
) -> go.Figure:
    """The trainee funnel: starts → completed → in work at 3/6/12 months."""
    fig = go.Figure(
        go.Funnel(
            y=list(stages),
            x=[v if v is not None else 0 for v in values],
            text=[f or "" for f in flags],
            textinfo="value+text",
            marker={"color": [OKABE_ITO[i % len(OKABE_ITO)] for i in range(len(stages))]},
            hovertemplate="%{y}: %{x:,.0f} %{text}<extra></extra>",
        )
    )
    base(fig, lang)
    fig.update_layout(margin={"l": 200})
    return fig


def heatmap(
    matrix: pd.DataFrame,
    flags: pd.DataFrame | None,
    lang: str,
    z_title: str,
    row_labels: dict[str, str],
) -> go.Figure:
    """Occupations (rows) × months (columns); suppressed cells are blank and marked `c`."""
    z = [[None if pd.isna(v) else float(v) for v in row] for row in matrix.to_numpy().tolist()]
    text = (
        [["" if pd.isna(f) else str(f) for f in row] for row in flags.to_numpy().tolist()]
        if flags is not None
        else None
    )
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(c) for c in matrix.columns],
            y=[row_labels.get(str(r), str(r)) for r in matrix.index],
            text=text,
            texttemplate="%{text}",
            colorscale=SEQUENTIAL,
            colorbar={"title": {"text": z_title}},
            hovertemplate="%{y}<br>%{x}: %{z:,.1f} %{text}<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    base(fig, lang)
    fig.update_layout(margin={"l": 260})
    return fig


def choropleth(
    geojson: dict[str, Any],
    frame: pd.DataFrame,
    location: str,
    value: str,
    names: dict[str, str],
    lang: str,
    title: str,
) -> go.Figure:
    """The 19 communes, no base map and no tile server: only the local GeoJSON is drawn."""
    flags = _flag_text(frame.get(f"{value}_flag"), len(frame))
    fig = go.Figure(
        go.Choropleth(
            geojson=geojson,
            featureidkey="properties.nis",
            locations=frame[location].tolist(),
            z=_values(frame[value]),
            text=[
                f"{names.get(str(c), str(c))} {f}".strip()
                for c, f in zip(frame[location].tolist(), flags, strict=True)
            ],
            hovertemplate="%{text}: %{z:,.1f}<extra></extra>",
            colorscale=SEQUENTIAL,
            marker={"line": {"color": "#333", "width": 0.6}},
            colorbar={"title": {"text": title}},
        )
    )
    fig.update_geos(fitbounds="locations", visible=False, showframe=False)
    base(fig, lang)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=420)
    return fig


def long_form(
    frame: pd.DataFrame, x: str, columns: Sequence[str], name_of: Callable[[str], str]
) -> pd.DataFrame:
    """Measures side by side (each with its `<column>_flag`) as one series per measure, the
    shape the line and bar builders take: x, series (the measure's name), value, value_flag."""
    if frame.empty:
        return pd.DataFrame()
    return pd.concat(
        [
            pd.DataFrame(
                {
                    x: frame[x],
                    "series": name_of(c),
                    "value": frame[c],
                    "value_flag": frame[f"{c}_flag"],
                }
            )
            for c in columns
        ]
    )
