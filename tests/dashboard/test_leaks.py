"""No code, "None"/"nan" or English word reaches a French or Dutch reader (issue 13): every page
rendered in the browser and every text export (XLSX, CSV, PDF) in FR and NL, on a demo build.

Allowed on purpose, and only there: the code columns of the exports (pool and breakdown codes,
indicator ids, the About sheet's table.column), which sit beside their labels for analysts; the
Eurostat dataset codes that cite a dataset (`Eurostat (ei_lmjv_q_r2)`), which is how a reader
finds it on Eurostat's site.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pypdf
import pytest

from dashboard import data
from dashboard.exports import render
from dashboard.exports.selection import build
from tests.dashboard.leaks import leaks

CITATIONS = frozenset({"ei_lmjv_q_r2", "lfst_r_lfu3rt", "une_rt_m"})
LANGS = ("fr", "nl")


def reader_leaks(text: str, lang: str) -> list[str]:
    return [found for found in leaks(text, lang) if found not in CITATIONS]


def test_the_leak_finder_finds_leaks() -> None:
    text = "Source: pool_activities — 3113 None, Nov 2025, 4 selected, nan"
    assert reader_leaks(text, "nl") == [
        "pool_activities",
        "None",
        "nan",
        "Source",
        "Nov",
        "selected",
    ]
    assert reader_leaks("Source : Actiris — offres d'emploi, nov. 2025 (ei_lmjv_q_r2)", "fr") == []


# ---------------------------------------------------------------- pages, in the browser

SCRAPE = """() => {
  const out = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll('[aria-label],[placeholder],[title],[alt]')) {
    for (const a of ['aria-label', 'placeholder', 'title', 'alt']) {
      const v = el.getAttribute(a); if (v) out.push(v);
    }
  }
  for (const t of document.querySelectorAll('svg text')) out.push(t.textContent);
  return out.join('\\n');
}"""


@pytest.fixture(scope="module")
def demo_server(demo_published: Path) -> Iterator[str]:
    from werkzeug.serving import make_server

    from dashboard.app import create_app

    srv = make_server("127.0.0.1", 0, create_app(demo_published).server, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_port}"
    finally:
        srv.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_no_page_leaks(demo_server: str, demo_published: Path, lang: str) -> None:
    from playwright.sync_api import sync_playwright

    from dashboard.state import load_options
    from tests.dashboard.test_browser import CHROMIUM, CHROMIUM_FLAGS

    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (make browser-deps)")
    from dashboard.pages.registry import landing_paths

    paths = landing_paths(load_options(demo_published).pool_ids)
    found: dict[str, list[str]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
        )
        try:
            context = browser.new_context(locale=lang, extra_http_headers={"Accept-Language": lang})
            page = context.new_page()
            for path in paths:
                page.goto(f"{demo_server}{path}?lang={lang}")
                page.wait_for_selector("main#main h1", timeout=30_000)
                page.wait_for_load_state("networkidle")
                bad = reader_leaks(page.evaluate(SCRAPE), lang)
                if bad:
                    found[path] = bad
        finally:
            browser.close()
    assert found == {}


# ---------------------------------------------------------------- exports


def _selections(path: Path, lang: str) -> Iterator[object]:
    month = max(data.months(path))
    for pool in (None, "technicity"):
        yield build(path, pool, date(month.year - 1, 1, 1), month, lang)


def _xlsx_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    out = []
    for number, sheet in enumerate(book.worksheets):
        rows = list(sheet.iter_rows(values_only=True))
        # code columns: the About sheet's table.column, a group's pool_id and code
        skip = {5} if number == 0 else {0, 5}
        for row in rows:
            out += [str(v) for c, v in enumerate(row) if v is not None and c not in skip]
        out.append(sheet.title)
    return "\n".join(out)


def _csv_text(content: bytes) -> str:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    skip = {0, 1, 6, 8}  # table, pool_id, code, indicator_id: code columns beside their labels
    return "\n".join(v for row in rows for c, v in enumerate(row) if c not in skip)


def _pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("fmt", "text"), [("xlsx", _xlsx_text), ("csv", _csv_text), ("pdf", _pdf_text)]
)
def test_no_export_leaks(demo_published: Path, lang: str, fmt: str, text: object) -> None:
    found = {}
    for sel in _selections(demo_published, lang):
        content, name = render(sel, fmt)  # type: ignore[arg-type]
        bad = reader_leaks(text(content), lang)  # type: ignore[operator]
        if bad:
            found[name] = bad
    assert found == {}
