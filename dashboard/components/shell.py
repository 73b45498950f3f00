"""The page frame rendered inside every page: skip link, header with navigation and language
choice, main landmark, footer.

Why inside the page and not in app.py: all text depends on the language in the URL, and the
page layout is the one thing Dash re-renders from the URL.
"""

from __future__ import annotations

from typing import Any

from dash import html

from dashboard.components import attrs
from dashboard.i18n import LANGS, t
from dashboard.pages.registry import NAV
from dashboard.state import ViewState, to_query

LANG_NAMES = {"fr": "Français", "nl": "Nederlands", "en": "English"}


def link_query(state: ViewState) -> str:
    """The part of the state that follows the reader from page to page."""
    return to_query(state, keep=("lang", "from", "to"))


def page(
    state: ViewState,
    active: str,
    title: str,
    body: list[Any],
    filters: Any = None,
    extra_actions: Any = None,
) -> html.Div:
    """Wrap a page body in the shared frame."""
    lang = state.lang
    nav = html.Nav(
        html.Ul(
            [
                html.Li(
                    html.A(
                        t(str(key), lang),
                        href=path + link_query(state),
                        className="active" if path == active else "",
                        **attrs({"aria-current": "page"} if path == active else {}),
                    )
                )
                for path, key in NAV
            ]
        ),
        **attrs({"aria-label": t("nav_label", lang)}),
    )
    langs = html.Ul(
        [
            html.Li(
                html.A(
                    code.upper(),
                    href=active + to_query(state.with_(lang=code)),
                    title=LANG_NAMES[code],
                    lang=code,
                    className="active" if code == lang else "",
                    **attrs({"aria-current": "true"} if code == lang else {}),
                )
            )
            for code in LANGS
        ],
        className="lang-switch",
        **attrs({"aria-label": t("language", lang)}),
    )
    header = html.Header(
        [
            html.A(t("skip_to_content", lang), href="#main", className="skip-link"),
            html.Div(
                [html.P(t("app_title", lang), className="brand"), langs], className="header-top"
            ),
            nav,
        ],
        className="site-header",
    )
    main_children: list[Any] = [html.H1(title)]
    if filters is not None:
        main_children.append(filters)
    if extra_actions is not None:
        main_children.append(extra_actions)
    main_children += body
    return html.Div(
        [
            header,
            html.Main(main_children, id="main", tabIndex="-1", lang=lang),
            html.Footer(html.P(t("footer", lang)), className="site-footer"),
        ],
        className=f"page lang-{lang}",
    )


def maintenance(lang: str) -> html.Main:
    """Shown inside the app when the published file disappears between two requests."""
    return html.Main(
        [html.H1(t("maintenance_title", lang)), html.P(t("maintenance_text", lang))],
        id="main",
        className="maintenance",
    )
