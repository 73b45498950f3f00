"""The dashboard's plotly.js bundle holds every trace type the code draws (issue 14).

Traces used: every `"type": "<trace>"` in a dict literal, every `go.<Trace>(...)` and every
`px.<function>(...)` in dashboard/ (the pages, figures and exports). Traces in the bundle: the
trace modules it registers (`moduleType:"trace",name:"<trace>"` in the minified code). A trace
type missing from the bundle would draw nothing in the browser: add it to TRACES in
tools/plotly-bundle/build.mjs and rebuild.
"""

from __future__ import annotations

import ast
import hashlib
import re
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs_version
from plotly.validator_cache import ValidatorCache

from dashboard import plotly_bundle

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = plotly_bundle.ASSETS / plotly_bundle.BUNDLE
TRACE_TYPES: dict[str, str] = {
    cls: name for name, cls in ValidatorCache.get_validator("", "data").class_strs_map.items()
}
# plotly.express functions → the trace type each draws
PX_TRACES = {
    "scatter": "scatter",
    "line": "scatter",
    "area": "scatter",
    "bar": "bar",
    "timeline": "bar",
    "histogram": "histogram",
    "funnel": "funnel",
    "funnel_area": "funnelarea",
    "choropleth": "choropleth",
    "scatter_geo": "scattergeo",
    "line_geo": "scattergeo",
    "imshow": "heatmap",
    "density_heatmap": "histogram2d",
    "density_contour": "histogram2dcontour",
    "pie": "pie",
    "box": "box",
    "strip": "box",
    "violin": "violin",
    "treemap": "treemap",
    "sunburst": "sunburst",
    "icicle": "icicle",
}


def traces_in_source(source: str) -> set[str]:
    """Trace types a module's code asks plotly to draw (an unknown px function is returned as
    `px.<name>`, which no bundle registers: the test then asks for a mapping above)."""
    found: set[str] = set()
    names = set(TRACE_TYPES.values())
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and key.value == "type"
                    and isinstance(value, ast.Constant)
                    and value.value in names
                ):
                    found.add(value.value)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id == "go" and node.func.attr in TRACE_TYPES:
                found.add(TRACE_TYPES[node.func.attr])
            if isinstance(owner, ast.Name) and owner.id == "px":
                found.add(PX_TRACES.get(node.func.attr, f"px.{node.func.attr}"))
    return found


def traces_used() -> dict[str, set[str]]:
    """Trace type → the files that draw it, over dashboard/."""
    used: dict[str, set[str]] = {}
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        for trace in traces_in_source(path.read_text(encoding="utf-8")):
            used.setdefault(trace, set()).add(str(path.relative_to(ROOT)))
    return used


def registered(kind: str) -> set[str]:
    text = BUNDLE.read_text(encoding="utf-8")
    return set(re.findall(rf'moduleType:"{kind}",name:"([\w-]+)"', text))


def test_the_bundle_draws_every_trace_type_the_dashboard_uses() -> None:
    used = traces_used()
    assert {"scatter", "bar", "choropleth"} <= set(used)  # the scan sees dashboard/figures.py
    missing = {trace: files for trace, files in used.items() if trace not in registered("trace")}
    assert not missing, f"trace types missing from {BUNDLE.name}: {missing}"


@pytest.mark.parametrize(
    ("source", "trace", "in_bundle"),
    [
        ('fig = {"data": [{"type": "sankey", "node": {}}]}', "sankey", False),
        ("import plotly.graph_objects as go\ngo.Figure(go.Pie(values=[1]))", "pie", False),
        ("import plotly.express as px\npx.line(frame, x='a', y='b')", "scatter", True),
        ("import plotly.express as px\npx.parallel_categories(f)", "px.parallel_categories", False),
    ],
)
def test_the_scan_finds_traces_written_each_way(source: str, trace: str, in_bundle: bool) -> None:
    assert trace in traces_in_source(source)
    assert (trace in registered("trace")) is in_bundle  # the others would fail the test above


def test_the_scan_ignores_ids_and_axis_types() -> None:
    source = '{"type": "filter", "key": "sex"}\nlayout = {"xaxis": {"type": "date"}}'
    assert traces_in_source(source) == set()


def test_no_figure_needs_what_the_bundle_leaves_out() -> None:
    """d3-geo-projection and country-iso-search are left out (tools/plotly-bundle/build.mjs):
    a map must keep plotly's default projection and locate by GeoJSON feature id."""
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict | ast.Call):
                keys = (
                    [k.value for k in node.keys if isinstance(k, ast.Constant)]
                    if isinstance(node, ast.Dict)
                    else [k.arg for k in node.keywords]
                )
                assert not {"projection", "locationmode"} & set(keys), path
    assert set(plotly_bundle.manifest()["left_out"]) == {"d3-geo-projection", "country-iso-search"}


def test_the_bundle_is_the_servers_plotly_version_with_the_fr_and_nl_locales() -> None:
    manifest = plotly_bundle.manifest()
    data = BUNDLE.read_bytes()
    assert manifest["sha256"] == hashlib.sha256(data).hexdigest(), "rebuild: tools/plotly-bundle"
    assert manifest["plotly.js"] == get_plotlyjs_version()
    assert set(manifest["traces"]) == registered("trace")
    assert {"fr", "nl"} <= registered("locale")
    assert len(data) < 1_400_000  # the full plotly.min.js is 4.8 MB
    runtime = (
        plotly_bundle.ASSETS / plotly_bundle.VENDOR / manifest["runtime"]["file"]
    ).read_bytes()
    assert manifest["runtime"]["sha256"] == hashlib.sha256(runtime).hexdigest()
