"""The dashboard in headless Chromium: every page × language, filters, permalinks, no request
off the machine, axe-core.

Why a real browser: console errors, failed callbacks and off-machine requests only show there.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route

from bench.dashboard_bench import CHROMIUM as CHROMIUM_PATH
from bench.dashboard_bench import CHROMIUM_FLAGS

pytestmark = pytest.mark.browser

CHROMIUM = Path(CHROMIUM_PATH)
AXE_DIR = Path(__file__).parent / ".axe"
PAGES = ("/", "/pool/technicity", "/pool/horeca", "/labour-market", "/compare", "/data")


@dataclass
class Server:
    url: str
    published: Path


MANAGER = ("alice", "correct horse", "technicity")


@pytest.fixture(scope="module")
def server(published: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from werkzeug.serving import make_server

    from dashboard.app import create_app
    from dashboard.auth import AuthSettings, hash_password

    users = tmp_path_factory.mktemp("secrets") / "users.toml"
    name, password, pool = MANAGER
    users.write_text(
        f'[users.{name}]\npool = "{pool}"\n'
        f'password_hash = "{hash_password(password, iterations=1000)}"\n',
        encoding="utf-8",
    )
    app = create_app(published, auth_settings=AuthSettings(secret=b"t" * 32, users_file=users))
    srv = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{srv.server_port}", published)
    finally:
        srv.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (make browser-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not available to install axe-core")
        AXE_DIR.mkdir(exist_ok=True)
        result = subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(AXE_DIR),
                "--no-audit",
                "--no-fund",
                "--no-package-lock",
                "axe-core@4",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0 or not script.exists():
            pytest.skip(f"npm could not install axe-core: {result.stderr[-300:]}")
    return script.read_text(encoding="utf-8")


@dataclass
class Watch:
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)


def open_page(browser: Browser, lang_header: str = "fr") -> tuple[BrowserContext, Page, Watch]:
    watch = Watch()
    context = browser.new_context(
        locale=lang_header,
        extra_http_headers={"Accept-Language": lang_header},
    )
    page = context.new_page()

    def route(r: Route) -> None:
        host = urlparse(r.request.url).hostname
        if host not in ("127.0.0.1",):
            watch.offsite.append(r.request.url)
            r.abort()
        else:
            r.continue_()

    page.route("**/*", route)
    page.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.errors.append(str(e)))
    page.on(
        "response",
        lambda r: (
            watch.failed.append(f"{r.status} {r.url}")
            if r.status >= 400 and "_dash-update-component" in r.url
            else None
        ),
    )
    return context, page, watch


def wait_ready(page: Page) -> None:
    page.wait_for_selector("main#main h1", timeout=20_000)
    page.wait_for_load_state("networkidle")


AXE_RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
    .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target)}));
}"""


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_every_page_loads_clean_and_accessible(
    server: Server, browser: Browser, lang: str, axe_source: str
) -> None:
    context, page, watch = open_page(browser)
    # Injected by the browser itself (like an extension), so the page's CSP stays in force.
    page.add_init_script(script=axe_source)
    try:
        for path in PAGES:
            page.goto(f"{server.url}{path}?lang={lang}")
            wait_ready(page)
            assert page.get_attribute("main#main", "lang") == lang
            violations = page.evaluate(AXE_RUN)
            assert violations == [], f"{path} {lang}: {json.dumps(violations)}"
        assert watch.errors == []
        assert watch.failed == []
        assert watch.offsite == []
    finally:
        context.close()


def test_language_follows_the_browser(server: Server, browser: Browser) -> None:
    context, page, _ = open_page(browser, "nl-BE")
    try:
        page.goto(server.url + "/")
        wait_ready(page)
        assert page.get_attribute("html", "lang") == "nl"
        assert "Gewest" in page.inner_text("main h1")
    finally:
        context.close()


def _choose(page: Page, key: str, option_text: str) -> None:
    page.click(f"#filter-{key} .dash-dropdown")
    page.keyboard.type(option_text)
    page.keyboard.press("Enter")


ROWS = (
    "(() => { const g = document.querySelector('#tension-graph .js-plotly-plot');"
    " return g && g.data ? g.data[0].y.length : -1; })()"
)


def test_filter_changes_chart_and_url_and_back_restores(server: Server, browser: Browser) -> None:
    context, page, watch = open_page(browser)
    try:
        page.goto(server.url + "/labour-market?lang=en")
        wait_ready(page)
        # every pool occupation of the fixture, then only Digitalcity's two
        page.wait_for_function(f"() => {ROWS} === 5")
        _choose(page, "sector", "Digital")
        page.wait_for_url("**sector=digitalcity**")
        page.wait_for_function(f"() => {ROWS} === 2")
        # the permalink restores the same view in a fresh page
        link = page.url
        other = context.new_page()
        other.goto(link)
        wait_ready(other)
        other.wait_for_function(f"() => {ROWS} === 2")
        assert "Digital" in other.inner_text("#filter-sector")
        other.close()
        # back button: the previous view again
        page.go_back()
        page.wait_for_function(f"() => {ROWS} === 5")
        assert "sector=" not in page.url
        assert watch.errors == [] and watch.failed == [] and watch.offsite == []
    finally:
        context.close()


def test_forged_values_are_dropped(server: Server, browser: Browser) -> None:
    context, page, watch = open_page(browser)
    try:
        page.goto(server.url + "/labour-market?lang=en&sector=x%27;DROP&occ=9999&from=1900-01")
        wait_ready(page)
        page.wait_for_function(f"() => {ROWS} === 5")
        assert watch.errors == [] and watch.failed == []
    finally:
        context.close()


def test_official_statistics_are_shown_with_their_source(server: Server, browser: Browser) -> None:
    context, page, watch = open_page(browser)
    try:
        page.goto(server.url + "/?lang=fr")
        wait_ready(page)
        panel = page.locator("#official-context")
        panel.wait_for(state="visible")
        text = panel.inner_text()
        assert "Taux de chômage (enquête, BE10)" in text and "Source : Eurostat" in text
        assert "Actiris (view.brussels) via opendata.brussels" in text and "BIT" in text
        page.goto(server.url + "/?lang=en&map=official_jobseekers")
        wait_ready(page)
        page.wait_for_selector("#map-graph .js-plotly-plot")
        assert "Source: Actiris (view.brussels) via opendata.brussels" in page.inner_text("#map")
        page.goto(server.url + "/labour-market?lang=nl")
        wait_ready(page)
        page.wait_for_selector("#job-vacancy-rate-graph .js-plotly-plot")
        assert "Bron: Eurostat (ei_lmjv_q_r2)" in page.inner_text("#job-vacancy-rate")
        assert watch.errors == [] and watch.failed == [] and watch.offsite == []
    finally:
        context.close()


def test_login_detail_csv_and_403(server: Server, browser: Browser, axe_source: str) -> None:
    context, page, watch = open_page(browser)
    page.add_init_script(script=axe_source)
    name, password, pool = MANAGER
    try:
        # anonymous: the detail link of the pool page leads to the login page
        page.goto(f"{server.url}/pool/{pool}?lang=en")
        wait_ready(page)
        page.click("#detail-link")
        page.wait_for_url("**/login?**")
        assert page.evaluate(AXE_RUN) == []
        page.fill("#login-name", name)
        page.fill("#login-password", password)
        page.click("form.login-form button[type=submit]")
        page.wait_for_url(f"**/pool/{pool}/detail**")
        assert "Soudure (T-WELD)" in page.inner_text("main")
        assert page.evaluate(AXE_RUN) == []
        with page.expect_download() as download:
            page.click("#detail-csv")
        assert download.value.suggested_filename.startswith(f"{pool}_programmes_")
        # another pool: refused by URL and by the button on that pool's page
        response = page.goto(f"{server.url}/pool/digitalcity/detail?lang=en")
        assert response is not None and response.status == 403
        page.goto(f"{server.url}/pool/digitalcity?lang=en")
        wait_ready(page)
        with page.expect_response("**/pool/digitalcity/detail**") as refused:
            page.click("#detail-link")
        assert refused.value.status == 403
        assert "Access denied" in page.inner_text("main h1")
        # the browser reports each refused page load (403) in the console, nothing else
        assert [e for e in watch.errors if "status of 403" not in e] == []
        assert len(watch.errors) == 2 and watch.offsite == []
    finally:
        context.close()
