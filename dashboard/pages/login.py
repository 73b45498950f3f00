"""Login and logout of pool managers (server-rendered form, CSRF token, no script).

Why a safe `next`: after login the browser goes back where it was asked to log in, but only to
a page of this site: a path from an allow-list of page prefixes, written with URL-safe
characters only (no tab, line break, space or backslash, which browsers drop or turn into `/`,
making `/\t/host` a `//host`), so a crafted link can neither bounce a manager to another site
nor break the redirect.
"""

from __future__ import annotations

import logging
import re
from html import escape
from urllib.parse import quote

import flask
from flask.typing import ResponseReturnValue

from dashboard import auth
from dashboard.i18n import t
from dashboard.pages.plain import document, lang_query, request_lang

LOG = logging.getLogger(__name__)


# Where a login may send the browser back to: the pages (and a pool's detail, under /pool/).
NEXT_PREFIXES = ("/pool/", "/labour-market", "/compare", "/data")
_URL_SAFE = re.compile(r"/[A-Za-z0-9\-._~%!$&'()*+,;=:@/?]{0,1999}")


def safe_next(value: str | None) -> str:
    """A page of this site to go to after login; `/` for anything else."""
    if not value or not _URL_SAFE.fullmatch(value):
        return "/"
    path = value.split("?", 1)[0]
    if "//" in path or "%" in path:  # no `//host`, no encoded separators in the path
        return "/"
    if path == "/" or path.startswith(NEXT_PREFIXES):
        return value
    return "/"


def login_url(next_path: str, lang: str) -> str:
    return f"/login?lang={lang}&next={quote(next_path, safe='')}"


def _form(lang: str, next_path: str, error: str | None, name: str = "") -> str:
    if auth.trusted_header_enabled():
        return f"<p>{escape(t('login_sso', lang))}</p>"
    parts = [f"<p>{escape(t('login_intro', lang))}</p>"]
    if error:
        parts.append(f'<p class="note" role="alert">{escape(error)}</p>')
    parts.append(
        f'<form method="post" action="/login{lang_query(lang)}" class="login-form">'
        f'<input type="hidden" name="csrf" value="{escape(auth.csrf_token())}">'
        f'<input type="hidden" name="next" value="{escape(next_path)}">'
        f'<p><label for="login-name">{escape(t("user_name", lang))}</label>'
        f'<input id="login-name" name="name" autocomplete="username" required '
        f'value="{escape(name)}"></p>'
        f'<p><label for="login-password">{escape(t("password", lang))}</label>'
        '<input id="login-password" name="password" type="password" '
        'autocomplete="current-password" required></p>'
        f'<p><button type="submit">{escape(t("log_in", lang))}</button></p></form>'
    )
    return "".join(parts)


def register(server: flask.Flask) -> None:
    """Add /login (GET form, POST check) and /logout (POST) to the Flask server."""

    @server.route("/login", methods=["GET", "POST"])
    def login() -> ResponseReturnValue:
        lang = request_lang()
        if flask.request.method == "GET":
            next_path = safe_next(flask.request.args.get("next"))
            return document(lang, t("login_title", lang), _form(lang, next_path, None))
        form = flask.request.form
        next_path = safe_next(form.get("next"))
        if not auth.csrf_ok(form.get("csrf")):
            return document(
                lang, t("login_title", lang), _form(lang, next_path, t("login_expired", lang)), 400
            )
        name = (form.get("name") or "").strip()[:100]
        try:
            user = auth.authenticate(name, form.get("password") or "")
        except auth.LoginThrottled as exc:
            LOG.warning(  # the address is the access log's; never the name, never the password
                "pool-manager login refused: too many failures (%s, retry in %d s)",
                auth.client_address(),
                exc.retry_after,
            )
            body = _form(lang, next_path, t("login_throttled", lang), name)
            page = document(lang, t("login_title", lang), body, 429)
            page.headers["Retry-After"] = str(exc.retry_after)
            return page
        if user is None:
            LOG.warning("failed pool-manager login")  # neither the name nor the password
            body = _form(lang, next_path, t("login_failed", lang), name)
            return document(lang, t("login_title", lang), body, 401)
        auth.log_in(user)
        LOG.info("pool-manager login for pool %s", user.pool)
        return flask.redirect(next_path, code=303)

    @server.route("/logout", methods=["POST"])
    def logout() -> ResponseReturnValue:
        lang = request_lang()
        if auth.csrf_ok(flask.request.form.get("csrf")):
            auth.log_out()
        return flask.redirect("/" + lang_query(lang), code=303)
