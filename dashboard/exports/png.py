"""PNG images of charts, rendered by kaleido through ONE Chromium per process.

Why a shared server: starting Chromium costs seconds; kaleido 1.x keeps one browser open behind
`kaleido.start_sync_server()` and `calc_fig_sync` reuses it. The server is started on first use
(never at import: the dashboard must start without a browser) and closed at exit by kaleido.
Kaleido's server handles one call at a time with no locking of its own, so calls are serialised
here (Dash serves requests from several threads).

Browser: `OBSERVATORY_CHROMIUM` or `BROWSER_PATH`, else the first of chromium / chromium-browser
/ google-chrome on PATH; choreographer runs it headless with `--no-sandbox` by default (its
`enable_sandbox=False`), which Chromium needs when running as root in a container. MathJax is
off (no CDN: the machine may have no internet) and the map's base-layer topojson is read from
the dashboard's local assets.
"""

from __future__ import annotations

import io
import os
import shutil
import threading
import zipfile
from pathlib import Path
from typing import Any, Final

import plotly.graph_objects as go

from dashboard.exports.charts import Chart
from dashboard.figures import Figure

WIDTH: Final = 1000
HEIGHT: Final = 520
SCALE: Final = 2
TOPOJSON: Final = Path(__file__).resolve().parents[1] / "assets" / "topojson"
_LOCK = threading.Lock()
_STARTED = False


class RenderError(RuntimeError):
    """No browser could render the chart."""


def browser_path() -> str | None:
    for var in ("OBSERVATORY_CHROMIUM", "BROWSER_PATH"):
        value = os.environ.get(var)
        if value:
            return value
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _start() -> Any:
    """Start the shared kaleido server once in this process; returns the kaleido module."""
    global _STARTED
    import kaleido

    if not _STARTED or not kaleido._global_server.is_running():
        kwargs: dict[str, Any] = {"mathjax": False, "timeout": 120, "silence_warnings": True}
        path = browser_path()
        if path:
            kwargs["path"] = path
        kaleido.start_sync_server(**kwargs)
        _STARTED = True
    return kaleido


def figure_png(
    fig: go.Figure | Figure, width: int = WIDTH, height: int = HEIGHT, scale: float = SCALE
) -> bytes:
    """One figure as PNG bytes (white background, the figure's own layout)."""
    fig = go.Figure(fig)
    fig.update_layout(width=width, height=height)
    with _LOCK:
        kaleido = _start()
        try:
            out = kaleido.calc_fig_sync(
                fig,
                opts={"format": "png", "width": width, "height": height, "scale": scale},
                topojson=TOPOJSON.as_uri() + "/",
            )
        except Exception as exc:  # kaleido raises its own and choreographer's errors
            raise RenderError(f"chart could not be rendered: {type(exc).__name__}: {exc}") from exc
    if not isinstance(out, bytes | bytearray):
        raise RenderError("chart renderer returned no image")
    return bytes(out)


def chart_png(chart: Chart) -> bytes:
    """A standalone image carries its title (in the PDF the title is text above it)."""
    fig = go.Figure(chart.figure)
    top = int(fig.layout.margin.t or 20) + 50
    fig.update_layout(title={"text": chart.title, "x": 0.01}, margin={"t": top})
    height = int(fig.layout.height or HEIGHT)
    return figure_png(fig, WIDTH, height)


def render_zip(charts: list[Chart]) -> bytes:
    """Every chart as `<chart_id>.png` in one zip (the download button)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for chart in charts:
            zf.writestr(f"{chart.chart_id}.png", chart_png(chart))
    return buffer.getvalue()


def write_folder(charts: list[Chart], folder: Path) -> list[Path]:
    """Every chart as `<folder>/<chart_id>.png`; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for chart in charts:
        target = folder / f"{chart.chart_id}.png"
        target.write_bytes(chart_png(chart))
        written.append(target)
    return written
