"""A pool's restricted detail — programme x month — for the managers of that pool only.

Why every request is checked here and nowhere else: the page and its CSV are plain HTTP
routes, so the decision (anonymous → login, manager of another pool → 403, own pool → data) is
taken once per request from the session, before any query runs; the query itself binds the
manager's pool (`data.restricted_cells`), so even a bug here could not return another pool's
rows under this pool's URL. Values are as published: primary suppression only, `c` flags kept.
"""

from __future__ import annotations

import csv
import io
import logging
from datetime import date
from html import escape
from typing import Any

import flask
import pandas as pd
from flask.typing import ResponseReturnValue

from dashboard import auth, data
from dashboard.catalogue import catalogue, lookup
from dashboard.components.blocks import flag_of, is_missing
from dashboard.context import published_path, restricted_path
from dashboard.exports.selection import neutralise
from dashboard.formatting import month, month_code, number
from dashboard.i18n import t
from dashboard.pages.login import login_url
from dashboard.pages.plain import document, lang_query, refusal, request_lang, table
from dashboard.state import load_options, parse

LOG = logging.getLogger(__name__)
MART = "mart_programme_month"
DIMS, MEASURES = data.RESTRICTED[MART]


def _guard(pool_id: str, lang: str) -> ResponseReturnValue | None:
    """None when the request may read `pool_id`'s detail, else the refusal to send."""
    user = auth.current_user()
    if user is None:
        if auth.trusted_header_enabled():
            return refusal(401, lang)
        return flask.redirect(login_url(flask.request.full_path.rstrip("?"), lang), code=302)
    if user.pool != pool_id:
        LOG.warning("pool manager refused another pool's detail")
        return refusal(403, lang)
    return None


def _selection(pool_id: str, lang: str) -> tuple[Any, pd.DataFrame]:
    path = published_path()
    with data.session(path):
        options = load_options(path)
        state = parse(
            {k: v for k, v in flask.request.args.items() if k in ("from", "to")}, options, lang
        )
        frame = data.restricted_cells(
            restricted_path(), MART, pool_id, between=(state.month_from, state.month_to)
        )
        names = {m: lookup(catalogue(path), MART, m).name(lang) for m in MEASURES}
        pool = options.pool(pool_id)
    return (state, pool, names), frame


def _cell(value: Any, flag: Any, lang: str) -> str:
    text = "–" if is_missing(value) else number(float(value), lang)
    return f"{text} ({flag_of(flag)})" if flag_of(flag) else text


def _month(value: Any, lang: str) -> str:
    if isinstance(value, pd.Timestamp):
        value = value.date()
    return month(value, lang) if isinstance(value, date) else str(value)


def _csv_text(frame: pd.DataFrame) -> str:
    """The detail as `;` CSV; text a spreadsheet would run as a formula (`=HYPERLINK(…)`) is
    made inert, as in every export (dashboard.exports.selection.neutralise)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    header = ["pool_id", "programme_id", "programme_name", "month"]
    for m in MEASURES:
        header += [m, f"{m}_flag"]
    writer.writerow(header)
    for r in frame.to_dict("records"):
        texts = (r["pool_id"], r["programme_id"], r["programme_name"], r["period"])
        line: list[object] = ["" if v is None else neutralise(str(v)) for v in texts]
        for m in MEASURES:
            line += ["" if is_missing(r[m]) else int(r[m]), flag_of(r[f"{m}_flag"])]
        writer.writerow(line)
    return out.getvalue()


def register(server: flask.Flask) -> None:
    """Add /pool/<pool_id>/detail and /pool/<pool_id>/detail.csv to the Flask server."""

    @server.route("/pool/<pool_id>/detail")
    def pool_detail(pool_id: str) -> ResponseReturnValue:
        lang = request_lang()
        refused = _guard(pool_id, lang)
        if refused is not None:
            return refused
        (state, pool, names), frame = _selection(pool_id, lang)
        if pool is None:
            return refusal(404, lang)
        period = t(
            "period_range",
            lang,
            start=month(state.month_from, lang),
            end=month(state.month_to, lang),
        )
        query = {"from": month_code(state.month_from), "to": month_code(state.month_to)}
        rows = [
            [
                _month(r["month"], lang),
                f"{r['programme_name'] or ''} ({r['programme_id']})",
                *[_cell(r[m], r[f"{m}_flag"], lang) for m in MEASURES],
            ]
            for r in frame.to_dict("records")
        ]
        body = (
            f'<p class="note">{escape(t("detail_intro", lang))}</p>'
            f"<p>{escape(t('period', lang))}: {escape(period)}</p>"
            f'<p><a class="download-button" id="detail-csv" '
            f'href="/pool/{escape(pool_id)}/detail.csv{lang_query(lang, **query)}">'
            f"{escape(t('download_as', lang, fmt='CSV'))}</a> "
            f'<a href="/pool/{escape(pool_id)}{lang_query(lang, **query)}">'
            f"{escape(t('back_to_pool', lang))}</a></p>"
        )
        body += (
            table(
                t("detail_caption", lang, pool=pool.name(lang), period=period),
                [t("month", lang), t("programme", lang), *[names[m] for m in MEASURES]],
                rows,
            )
            if rows
            else f"<p>{escape(t('no_data', lang))}</p>"
        )
        body += f'<p class="flag-legend">c: {escape(t("flag_c", lang))}</p>'
        title = t("detail_title", lang, pool=pool.name(lang))
        return document(lang, title, body)

    @server.route("/pool/<pool_id>/detail.csv")
    def pool_detail_csv(pool_id: str) -> ResponseReturnValue:
        lang = request_lang()
        refused = _guard(pool_id, lang)
        if refused is not None:
            return refused
        (state, pool, _), frame = _selection(pool_id, lang)
        if pool is None:
            return refusal(404, lang)
        text = _csv_text(frame)
        name = f"{pool_id}_programmes_{month_code(state.month_from)}_{month_code(state.month_to)}"
        return flask.Response(
            "\ufeff" + text,
            mimetype="text/csv",
            headers={
                "Content-Disposition": f'attachment; filename="{name}.csv"',
                "Cache-Control": "no-store, private",
            },
        )
