"""Two scripts Dash puts on every page that the dashboard's readers do not need (issue 14).

- `@babel/polyfill` 7.12 (97 KB, run before React): core-js for browsers older than the ones
  Dash 4 supports, plus the global `regeneratorRuntime` that Dash's compiled code calls. Every
  browser Dash supports has the rest built in; regenerator-runtime alone (7 KB, built by
  tools/plotly-bundle into assets/vendor/) takes its place.
- dash_table's bundle (34 KB): the dashboard draws its tables as HTML (components/blocks.py),
  never a DataTable; tests/dashboard/test_lean_scripts.py fails if one appears.

Why by editing Dash's resource lists: they are module-level lists Dash reads at each page; the
polyfill and dash_table are not optional there. What stays on the page is checked by the tests
and by the browser tests (every page draws its charts without a script error).
"""

from __future__ import annotations

from dash import Dash, _dash_renderer, dash_table

from dashboard.plotly_bundle import ASSETS, VENDOR

POLYFILL = "polyfill@"
RUNTIME = f"{VENDOR}/regenerator-runtime.min.js"


def _without_polyfill(paths: list[str]) -> list[str]:
    return [p for p in paths if POLYFILL not in p]


def install(app: Dash) -> None:
    """Drop the polyfill and dash_table's bundle; add regenerator-runtime (before Dash's
    renderer and components, which call it only once they run)."""
    for dependency in _dash_renderer._js_dist_dependencies:
        for key in ("relative_package_path", "external_url"):
            by_mode = dependency.get(key)
            if isinstance(by_mode, dict):
                for mode, paths in by_mode.items():
                    by_mode[mode] = _without_polyfill(list(paths))
    dash_table._js_dist[:] = []  # type: ignore[attr-defined]
    app.scripts.append_script({"asset_path": RUNTIME, "filepath": str(ASSETS / RUNTIME)})
