"""Official statistics shown beside the pools' own figures (context.* of the published file).

Why a module of its own: every official figure must carry its publisher, its dataset, its last
update and its flags, worded the same on every page; and the official series are never mixed
into the pools' marts — they sit next to them, labelled as what they are.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from dash import html

from dashboard import data, figures
from dashboard.components import blocks
from dashboard.formatting import fmt, number
from dashboard.i18n import known, t
from dashboard.pages.common import summary
from dashboard.state import Options, ViewState

FLAG_KEYS = {"b": "flag_b", "p": "flag_p", "e": "flag_e", "c": "flag_c", "u": "flag_u"}
# NACE Rev. 2 aggregates of Eurostat's job vacancy statistics; labels in i18n (nace_agg_<code>).
NACE_AGGREGATES = (
    "A-S",
    "B-S",
    "B-N",
    "B-E",
    "C",
    "F",
    "G-N",
    "G-I",
    "J",
    "K",
    "L",
    "M_N",
    "O-Q",
    "R_S",
    "A",
    "T",
)
JVR_QUARTERS = 4


def survey_unemployment(path: Path) -> pd.DataFrame:
    """BE10's survey unemployment rate (%), both sexes, by year, with its flag and dataset."""
    frame = data.context_rows(
        path,
        "brussels_unemployment_rate",
        ["year", "unemployment_rate", "flag", "dataset", "source", "last_update"],
        {"sex": "T"},
        order_by=("year",),
    )
    return frame.rename(columns={"flag": "unemployment_rate_flag"})


def registered_jobseekers(path: Path) -> pd.DataFrame:
    """Job seekers registered at Actiris in the region by year: the published yearly averages of
    the 19 communes added up (official counts, not protected cells: adding them hides nothing)."""
    frame = data.context_rows(
        path,
        "actiris_jobseekers_commune",
        ["year", "commune_nis", "jobseeker_count"],
        {"sex": "T", "education": "total"},
        order_by=("year", "commune_nis"),
    )
    if frame.empty:
        return pd.DataFrame(columns=["year", "jobseeker_count"])
    out = frame.groupby("year", as_index=False)["jobseeker_count"].sum()
    counts = frame.groupby("year")["commune_nis"].nunique()
    return out[out["year"].map(counts) == 19].reset_index(drop=True)


def _text_date(value: Any) -> str:
    if blocks.is_missing(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, date) else str(value)


def official_caption(
    definition: str, period: str, source: str, frame: pd.DataFrame, lang: str
) -> list[str]:
    """Definition, period, source (publisher, dataset, last update) and the flags in use."""
    updated = ""
    if "last_update" in frame.columns and frame["last_update"].notna().any():
        updated = _text_date(frame["last_update"].dropna().max())
    lines = [
        f"{t('definition', lang)}: {definition}",
        f"{t('period', lang)}: {period}",
        t("source_line", lang, source=source)
        + (f" — {t('last_update', lang, when=updated)}" if updated else ""),
    ]
    flags = sorted(
        {
            str(f)
            for c in frame.columns
            if str(c).endswith("flag")
            for f in frame[c].dropna().tolist()
            if str(f)
        }
    )
    if flags:
        lines.append(
            t("flags_title", lang)
            + " "
            + "; ".join(
                f"{f}: " + " + ".join(t(FLAG_KEYS[ch], lang) if ch in FLAG_KEYS else ch for ch in f)
                for f in flags
            )
        )
    return lines


def official_jobseekers_map(
    state: ViewState, options: Options, path: Path, geo: dict[str, Any]
) -> html.Section:
    """The map of job seekers per commune as Actiris publishes them (latest year)."""
    lang = state.lang
    frame = data.context_rows(
        path,
        "actiris_jobseekers_commune",
        ["year", "commune_nis", "jobseeker_count", "source"],
        {"sex": "T", "education": "total"},
        order_by=("year", "commune_nis"),
    )
    name = t("official_jobseekers", lang)
    year = int(frame["year"].max()) if not frame.empty else None
    frame = frame[frame["year"] == year] if year is not None else frame
    frame = frame[frame["commune_nis"].isin(list(options.communes))]
    names = {k: (v[1] if lang == "nl" else v[0]) for k, v in options.communes.items()}
    frame = frame.assign(
        name=frame["commune_nis"].map(names), jobseeker_count_flag=None
    ).sort_values("name")
    fig = (
        figures.choropleth(geo, frame, "commune_nis", "jobseeker_count", names, lang, name)
        if not frame.empty
        else None
    )
    table = blocks.table(
        frame,
        [
            ("name", t("commune", lang), str),
            ("jobseeker_count", name, lambda v: fmt(v, "count", lang)),
        ],
        t("table_caption", lang, name=name),
    )
    return blocks.figure_block(
        "map",
        f"{name} — {t('by_commune', lang)}",
        fig,
        official_caption(
            t("official_jobseekers_definition", lang),
            str(year) if year is not None else "–",
            t("source_actiris", lang),
            frame,
            lang,
        ),
        summary(frame, "name", "jobseeker_count", "count", lang, name),
        table,
        lang,
    )


def job_vacancy_block(state: ViewState, path: Path) -> html.Section:
    """Belgium's job vacancy rate by NACE aggregate: the latest quarters (Eurostat)."""
    lang = state.lang
    frame = data.context_rows(
        path,
        "job_vacancy_rate_be",
        ["period", "period_start", "nace", "job_vacancy_rate", "flag", "source", "last_update"],
        order_by=("period_start", "nace"),
    )
    frame = frame[frame["job_vacancy_rate"].notna()] if not frame.empty else frame
    quarters = sorted(frame["period"].unique())[-JVR_QUARTERS:] if not frame.empty else []
    frame = frame[frame["period"].isin(quarters)].rename(columns={"flag": "job_vacancy_rate_flag"})
    order = {code: i for i, code in enumerate(NACE_AGGREGATES)}
    frame = frame.assign(
        label=[
            f"{t('nace_agg_' + c, lang)} ({c})" if c in order else str(c) for c in frame["nace"]
        ],
        rank=[order.get(str(c), len(order)) for c in frame["nace"]],
    ).sort_values(["rank", "period"])
    name = t("job_vacancy_rate", lang)
    latest = frame[frame["period"] == quarters[-1]] if quarters else frame
    fig = (
        figures.bars(
            latest, "label", "job_vacancy_rate", lang, name, horizontal=True, hover_format=",.1f"
        )
        if not latest.empty
        else None
    )
    if fig is not None:
        figures.set_layout(fig, height=max(280, 28 * len(latest) + 100), margin={"l": 360})
    period = f"{quarters[0]} – {quarters[-1]}" if quarters else "–"
    table = blocks.table(
        frame,
        [
            ("label", t("nace", lang), str),
            ("period", t("quarter", lang), str),
            ("job_vacancy_rate", name, lambda v: number(float(v), lang, 1) + " %"),
        ],
        t("table_caption", lang, name=name),
        {"job_vacancy_rate": "job_vacancy_rate_flag"},
    )
    return blocks.figure_block(
        "job-vacancy-rate",
        t("job_vacancy_rate_title", lang, quarter=quarters[-1] if quarters else "–"),
        fig,
        official_caption(
            t("job_vacancy_rate_definition", lang),
            period,
            t("source_eurostat", lang, dataset="ei_lmjv_q_r2"),
            frame,
            lang,
        ),
        summary(latest, "label", "job_vacancy_rate", "ratio", lang, name),
        table,
        lang,
    )


def licences(path: Path, lang: str) -> html.Section:
    """Sources of the official statistics, their licences and the credit they require, and
    what the published file holds of each dataset."""
    rows = pd.DataFrame(
        [
            {
                "publisher": "Eurostat",
                "data": t("licence_eurostat_data", lang),
                "licence": t("licence_eurostat", lang),
                "credit": t("credit_eurostat", lang),
            },
            {
                "publisher": "Actiris (view.brussels) / opendata.brussels",
                "data": t("licence_actiris_data", lang),
                "licence": t("licence_actiris", lang),
                "credit": t("credit_actiris", lang),
            },
            {
                "publisher": "Statbel",
                "data": t("licence_statbel_data", lang),
                "licence": t("licence_statbel", lang),
                "credit": t("credit_statbel", lang),
            },
        ]
    )
    table = blocks.table(
        rows,
        [
            ("publisher", t("publisher", lang), str),
            ("data", t("data_used", lang), str),
            ("licence", t("licence", lang), str),
            ("credit", t("attribution", lang), str),
        ],
        t("licences_caption", lang),
    )
    held = data.context_sources(path)
    held_table = (
        blocks.table(
            held,
            [
                ("dataset", t("dataset", lang), lambda v: known(f"dataset_name_{v}", lang, str(v))),
                ("source", t("source", lang), str),
                ("first_period", t("period_from", lang), str),
                ("last_period", t("period_to", lang), str),
                ("last_update", t("last_update_col", lang), lambda v: _text_date(v) or "–"),
                ("rows", t("rows", lang), lambda v: number(v, lang)),
            ],
            t("official_held_caption", lang),
        )
        if not held.empty
        else html.P(t("no_data", lang))
    )
    return html.Section(
        [html.H2(t("licences_title", lang)), table, held_table],
        className="block",
        id="licences",
    )
