"""The light plotly.js in a real browser (issue 14): Dash's plotly.min.js is never fetched, the
charts are drawn with the bundle, nothing moves once drawn, and a page without a chart loads
plotly only when a chart appears.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.dashboard.test_browser import browser, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

SHIFTS = """
window.__shifts = [];
new PerformanceObserver(l => { for (const e of l.getEntries())
  if (!e.hadRecentInput) window.__shifts.push(e.value); })
  .observe({type: 'layout-shift', buffered: true});
"""
DRAWN = (
    "() => { const g = document.querySelectorAll('.dash-graph');"
    " return g.length > 0 && [...g].every(e => e.querySelector('.main-svg')); }"
)
SCRIPTS = "() => performance.getEntriesByType('resource').map(r => r.name)"


def _page(chromium: Any, url: str) -> Any:
    context = chromium.new_context(viewport={"width": 1350, "height": 940})
    context.add_init_script(SHIFTS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="domcontentloaded")
    return context, page, errors


@pytest.mark.parametrize("path", ["/?lang=fr", "/pool/technicity?lang=nl", "/compare?lang=en"])
def test_charts_are_drawn_with_the_bundle_without_layout_shift(
    browser: Any,  # noqa: F811
    server: Any,  # noqa: F811
    path: str,
) -> None:
    context, page, errors = _page(browser, server.url + path)
    try:
        page.wait_for_function(DRAWN, timeout=60_000)
        page.wait_for_load_state("networkidle")
        fetched = page.evaluate(SCRIPTS)
        assert any("plotly-observatory.min.js" in u for u in fetched)
        assert not any("plotly.min.js" in u and "observatory" not in u for u in fetched)
        assert page.evaluate("() => typeof window.Plotly.react") == "function"
        assert sum(page.evaluate("() => window.__shifts")) <= 0.01
        assert errors == []
    finally:
        context.close()


def test_a_page_without_a_chart_loads_plotly_when_a_chart_appears(
    browser: Any,  # noqa: F811
    server: Any,  # noqa: F811
) -> None:
    context, page, errors = _page(browser, server.url + "/data?lang=fr")
    try:
        page.wait_for_selector("#main")
        page.wait_for_load_state("networkidle")
        assert not any("plotly" in u for u in page.evaluate(SCRIPTS) if "loader" not in u)
        page.click("header a[href^='/?']")
        page.wait_for_function(DRAWN, timeout=60_000)
        assert any("plotly-observatory.min.js" in u for u in page.evaluate(SCRIPTS))
        assert errors == []
    finally:
        context.close()
