"""What a reader's browser pays for a first page: bytes, times to content and charts, layout shift.

Per page and language, in a fresh headless Chromium per trial (cold cache, the median of the
trials is reported), from the browser's own records (Resource Timing and the navigation entry):

- bytes transferred, compressed (what crossed the wire: `transferSize`, headers included) and
  not (`decodedBodySize`), for scripts and for everything;
- DOMContentLoaded; *content* = the last callback's response received (text, tables and chart
  containers in place); *charts drawn* = every chart holds plotly's SVG;
- CLS as Chrome computes it (layout-shift entries without recent input, grouped in session
  windows of at most 5 s with gaps under 1 s; the largest window counts);
- a second visit in the same browser (same cache): the script bytes it transferred again (0
  when every script is cached with a lifetime; a revalidation counts its 304's headers).

Why the browser's records and not a proxy: they are what Lighthouse and the readers see, and
they need no new dependency (Playwright drives Chromium, as in the browser tests).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from bench.common import load_average
from bench.dashboard_bench import CHROMIUM, CHROMIUM_FLAGS

# The pages a reader lands on (the pool page is measured on one pool; they share the layout).
PAGES = ("/", "/pool/technicity", "/labour-market", "/compare", "/data")
LANGS = ("fr", "nl", "en")

# Set before any script of the page runs: layout shifts are recorded from the first paint.
_OBSERVE_SHIFTS = """
window.__shifts = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) {
    window.__shifts.push({t: e.startTime, v: e.value, input: e.hadRecentInput});
  }
}).observe({type: 'layout-shift', buffered: true});
"""

# True once the page's content is in place and every chart holds plotly's SVG (a page without
# a chart: once its content is in place, i.e. the render callback's output is in the page).
_READY = (
    "() => { const main = document.querySelector('#main');"
    " if (!main) return false;"
    " const g = document.querySelectorAll('.dash-graph');"
    " return [...g].every(e => e.querySelector('.main-svg')); }"
)

_RECORDS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const isScript = r => new URL(r.name).pathname.endsWith('.js');
  const sum = (rs, k) => rs.reduce((a, r) => a + (r[k] || 0), 0);
  const calls = res.filter(r => r.name.includes('_dash-update-component'));
  const all = [nav, ...res];
  return {
    dcl: nav.domContentLoadedEventEnd,
    content: Math.max(0, ...calls.map(r => r.responseEnd)),
    scripts: res.filter(isScript).length,
    script_transfer: sum(res.filter(isScript), 'transferSize'),
    script_decoded: sum(res.filter(isScript), 'decodedBodySize'),
    total_transfer: sum(all, 'transferSize'),
    total_decoded: sum(all, 'decodedBodySize'),
    shifts: window.__shifts || [],
  };
}"""


def cls(shifts: list[dict[str, Any]]) -> float:
    """Cumulative layout shift as Chrome defines it: session windows (gap < 1 s, span ≤ 5 s) of
    shifts without recent input; the largest window's sum."""
    best = current = 0.0
    start = last = -1e9
    for s in sorted(shifts, key=lambda s: s["t"]):
        if s["input"]:
            continue
        if s["t"] - last >= 1000 or s["t"] - start >= 5000:
            start, current = s["t"], 0.0
        current += s["v"]
        last = s["t"]
        best = max(best, current)
    return round(best, 4)


@dataclass(frozen=True)
class Trial:
    dom_content_loaded_s: float
    content_s: float
    charts_drawn_s: float | None
    charts: int
    scripts: int
    script_kb: float  # transferred (compressed)
    script_kb_decoded: float
    total_kb: float
    total_kb_decoded: float
    cls: float
    second_visit_script_kb: float


def _trial(p: Any, url: str) -> Trial:
    browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
    try:
        context = browser.new_context(viewport={"width": 1350, "height": 940})
        context.add_init_script(_OBSERVE_SHIFTS)
        page = context.new_page()
        page.goto(url, wait_until="domcontentloaded", timeout=120_000)
        page.wait_for_function(_READY, timeout=120_000, polling=20)
        ready_ms = page.evaluate("() => performance.now()")
        charts = page.locator(".dash-graph").count()
        page.wait_for_load_state("networkidle", timeout=120_000)
        page.wait_for_timeout(300)  # a late shift (fonts, a resize) still counts
        r = page.evaluate(_RECORDS)
        again = context.new_page()
        again.goto(url, wait_until="domcontentloaded", timeout=120_000)
        again.wait_for_function(_READY, timeout=120_000, polling=20)
        again.wait_for_load_state("networkidle", timeout=120_000)
        r2 = again.evaluate(_RECORDS)
    finally:
        browser.close()
    return Trial(
        dom_content_loaded_s=round(r["dcl"] / 1000, 3),
        content_s=round(r["content"] / 1000, 3),
        charts_drawn_s=round(ready_ms / 1000, 3) if charts else None,
        charts=charts,
        scripts=r["scripts"],
        script_kb=round(r["script_transfer"] / 1024, 1),
        script_kb_decoded=round(r["script_decoded"] / 1024, 1),
        total_kb=round(r["total_transfer"] / 1024, 1),
        total_kb_decoded=round(r["total_decoded"] / 1024, 1),
        cls=cls(r["shifts"]),
        second_visit_script_kb=round(r2["script_transfer"] / 1024, 1),
    )


def _median(trials: list[Trial], key: str) -> float | None:
    values = [getattr(t, key) for t in trials if getattr(t, key) is not None]
    return round(statistics.median(values), 3) if values else None


def page_loads(
    base: str,
    trials: int = 3,
    pages: tuple[str, ...] = PAGES,
    langs: tuple[str, ...] = LANGS,
) -> dict[str, Any]:
    """Every page in every language, `trials` fresh browsers each; medians per view."""
    from playwright.sync_api import sync_playwright

    views: dict[str, Any] = {}
    with sync_playwright() as p:
        for path in pages:
            for lang in langs:
                view = f"{path}?lang={lang}"
                runs = [_trial(p, base + view) for _ in range(trials)]
                views[view] = {
                    "trials": [t.__dict__ for t in runs],
                    **{
                        f"median_{k}": _median(runs, k)
                        for k in Trial.__dataclass_fields__
                        if k not in ("charts", "scripts")
                    },
                    "charts": runs[0].charts,
                    "scripts": runs[0].scripts,
                    "cls_max": max(t.cls for t in runs),
                }
    return {"trials": trials, "views": views, "load_average": load_average()}


def table(result: dict[str, Any]) -> str:
    """The figures as a Markdown table (docs/benchmarks.md)."""
    lines = [
        "| view | scripts (n) | script KB compressed / not | all KB compressed / not "
        "| DCL | content | charts drawn | CLS (max) | 2nd visit script KB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for view, v in result["views"].items():
        drawn = v["median_charts_drawn_s"]
        lines.append(
            f"| `{view}` | {v['scripts']} | {v['median_script_kb']:,.0f} / "
            f"{v['median_script_kb_decoded']:,.0f} | {v['median_total_kb']:,.0f} / "
            f"{v['median_total_kb_decoded']:,.0f} | {v['median_dom_content_loaded_s']:.2f} s "
            f"| {v['median_content_s']:.2f} s | "
            + (f"{drawn:.2f} s" if drawn is not None else "no chart")
            + f" | {v['median_cls']:.3f} ({v['cls_max']:.3f}) "
            f"| {v['median_second_visit_script_kb']:,.1f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":  # python -m bench.page_load BASE_URL [trials]: one server already up
    import json
    import sys

    out = page_loads(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3)
    print(json.dumps(out, indent=1))
    print(table(out))
