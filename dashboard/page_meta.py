"""What a page's HTML says before any script runs: its title and description in the reader's
language, the scripts to fetch early, and the site's robots.txt.

Why here: Dash writes one index page for every path (title "Observatory", empty descriptions)
and fills the page in with callbacks; search engines, link previews and Lighthouse read the
HTML as it arrives. The catalogues (dashboard/i18n) hold the words.
"""

from __future__ import annotations

import html

import flask

from dashboard.i18n import t

# path prefix → (title key, description key); "/" is the region page.
_PAGES: tuple[tuple[str, str, str], ...] = (
    ("/pool/", "pool_title", "meta_description_pool"),
    ("/labour-market", "labour_market_title", "meta_description_labour_market"),
    ("/compare", "compare_title", "meta_description_compare"),
    ("/data", "data_title", "meta_description_data"),
)
_DESCRIPTION_TAGS = (
    '<meta name="description" content="">',
    '<meta property="twitter:description" content="">',
    '<meta property="og:description" content="">',
)

ROBOTS = """\
# Brussels training and employment pools observatory: the public pages may be indexed; the
# application's endpoints, downloads and the pool managers' pages may not.
User-agent: *
Allow: /$
Allow: /pool/
Allow: /labour-market
Allow: /compare
Allow: /data
Disallow: /_dash-
Disallow: /pool/*/detail
Disallow: /login
Disallow: /logout
"""


def keys_for(path: str) -> tuple[str, str]:
    """(title key, description key) of the page at `path` (the region page by default)."""
    for prefix, title_key, description_key in _PAGES:
        if path.startswith(prefix):
            return title_key, description_key
    return "region_title", "meta_description_region"


def finish(page_html: str, path: str, lang: str, head_links: str = "") -> str:
    """The index page with the title and descriptions of `path` in `lang`, and `head_links`
    (preloads) at the end of its <head>."""
    title_key, description_key = keys_for(path)
    description = html.escape(t(description_key, lang), quote=True)
    for tag in _DESCRIPTION_TAGS:
        page_html = page_html.replace(tag, tag.replace('content=""', f'content="{description}"'))
    title = html.escape(t(title_key, lang), quote=False)  # as the title callback sets it
    start, end = page_html.find("<title>"), page_html.find("</title>")
    if 0 <= start < end:
        page_html = page_html[: start + len("<title>")] + title + page_html[end:]
    return page_html.replace("</head>", f"{head_links}</head>", 1)


def install(server: flask.Flask) -> None:
    """Serve /robots.txt (without it, Dash answered with the app's HTML)."""

    @server.route("/robots.txt")
    def _robots() -> flask.Response:
        return flask.Response(ROBOTS, mimetype="text/plain")
