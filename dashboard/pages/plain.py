"""Server-rendered HTML pages (login, a pool's restricted detail, refusals).

Why not Dash pages: access to restricted data must be decided on the HTTP request itself, so a
refused request gets a real 302/401/403 status whether it comes from a typed URL, a link or a
button, and no callback ever carries restricted rows. These pages are plain HTML built with
escaping, styled by the same local stylesheet, with no script at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from urllib.parse import urlencode

import flask

from dashboard.i18n import LANGS, negotiate, t


def request_lang() -> str:
    """The language of the URL (`?lang=`), else of the browser."""
    lang = flask.request.args.get("lang")
    return lang if lang in LANGS else negotiate(flask.request.headers.get("Accept-Language"))


def lang_query(lang: str, **extra: str) -> str:
    return "?" + urlencode({"lang": lang, **{k: v for k, v in extra.items() if v}})


def document(lang: str, title: str, body: str, status: int = 200) -> flask.Response:
    """A whole page in the dashboard's frame (header with the way back, main landmark)."""
    user_line = ""
    from dashboard.auth import current_user

    user = current_user()
    if user is not None:
        user_line = (
            f'<form method="post" action="/logout{lang_query(lang)}" class="logout">'
            f"<span>{escape(t('logged_in_as', lang, name=user.name))}</span> "
            f'<input type="hidden" name="csrf" value="{escape(_csrf())}">'
            f'<button type="submit">{escape(t("log_out", lang))}</button></form>'
        )
    page = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} — {escape(t('app_title', lang))}</title>"
        '<link rel="stylesheet" href="/assets/observatory.css"></head><body>'
        '<header class="site-header"><div class="header-top">'
        f'<p class="brand"><a href="/{lang_query(lang)}">{escape(t("app_title", lang))}</a></p>'
        f"{user_line}</div></header>"
        f'<main id="main" lang="{lang}"><h1>{escape(title)}</h1>{body}</main>'
        f'<footer class="site-footer"><p>{escape(t("footer", lang))}</p></footer>'
        "</body></html>"
    )
    return flask.Response(
        page,
        status=status,
        mimetype="text/html",
        headers={"Cache-Control": "no-store, private"},
    )


def _csrf() -> str:
    from dashboard.auth import csrf_token

    return csrf_token()


def table(
    caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]], row_header: bool = True
) -> str:
    """An accessible table (caption, column headers with scope, first cell a row header)."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            tag = 'th scope="row"' if i == 0 and row_header else "td"
            cells.append(f"<{tag}>{escape(cell)}</{tag.split()[0]}>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<table class="data-table"><caption>{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def refusal(status: int, lang: str) -> flask.Response:
    """401/403/404 with a short explanation and no detail."""
    key = {401: "unauthorised", 403: "forbidden", 404: "not_found"}.get(status, "forbidden")
    body = f"<p>{escape(t(key + '_text', lang))}</p>"
    body += f'<p><a href="/{lang_query(lang)}">{escape(t("back_home", lang))}</a></p>'
    return document(lang, t(key + "_title", lang), body, status)
