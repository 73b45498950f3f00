"""Interface text in French, Dutch and English.

Why JSON catalogues rather than strings in the code: translators edit one file per language and
a test checks that every key exists in all three, so a page can never show a missing label in
one language only. Indicator names and definitions are NOT here: they come from
`meta.indicator` in the published file, so the dashboard and the exports say the same thing.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Final

LANGS: Final = ("fr", "nl", "en")
DEFAULT_LANG: Final = "fr"
_DIR = Path(__file__).parent


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The messages of one language (read once per process)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    data: dict[str, str] = json.loads((_DIR / f"{lang}.json").read_text(encoding="utf-8"))
    return data


def t(key: str, lang: str, **values: object) -> str:
    """Translate `key`; `{name}` placeholders are filled from `values`.

    An unknown key raises: a typo must fail a test, not reach a policy maker as a raw key.
    """
    text = catalogue(lang if lang in LANGS else DEFAULT_LANG)[key]
    return text.format(**values) if values else text


def negotiate(accept_language: str | None) -> str:
    """Pick fr/nl/en from an Accept-Language header (quality values honoured)."""
    if not accept_language:
        return DEFAULT_LANG
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(accept_language.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()[:2]
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag in LANGS and quality > 0:
            candidate = (quality, -position, tag)
            if best is None or candidate > best:
                best = candidate
    return best[2] if best else DEFAULT_LANG


# plotly's fr locale abbreviates months as "Jan", "Mar", "Nov": French usage (and the leak
# test, which cannot tell them from English) wants "janv.", "mars", "nov.".
_MONTHS: Final[dict[str, dict[str, list[str]]]] = {
    "fr": {
        "shortMonths": [
            "janv.",
            "févr.",
            "mars",
            "avr.",
            "mai",
            "juin",
            "juil.",
            "août",
            "sept.",
            "oct.",
            "nov.",
            "déc.",
        ],
        "months": [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ],
    },
}


@cache
def plotly_locale(lang: str) -> dict[str, object]:
    """dcc.Graph `config` entries that put plotly's own words (month and day names on date
    axes, modebar texts) in the reader's language: {} for English, plotly's default.

    The locale data are plotly.js's own (`plotly.js-locales` 3.7.0 on npm, fr.js and nl.js,
    converted to dashboard/i18n/plotly/<lang>.json) and travel in the figure's config: no
    script to register, nothing more under the page's content security policy."""
    found = _DIR / "plotly" / f"{lang}.json"
    if lang not in LANGS or not found.exists():
        return {}
    locale = json.loads(found.read_text(encoding="utf-8"))
    locale["format"].update(_MONTHS.get(lang, {}))
    # the modebar is hidden: only the date and number formats travel with every figure
    return {"locale": lang, "locales": {lang: {"dictionary": {}, "format": locale["format"]}}}


def known(key: str, lang: str, fallback: str) -> str:
    """`t(key, lang)` when the catalogue has the key, else `fallback` (for labels of codes that
    come from the published file: a new code shows as itself, and the leak test flags it)."""
    return catalogue(lang if lang in LANGS else DEFAULT_LANG).get(key, fallback)


def source_names(source: str, lang: str) -> str:
    """A catalogue source ("jobseekers, vacancies") named for a reader ("Actiris — werkzoekenden,
    Actiris — vacatures"): each part by its `source_name_<id>` key."""
    parts = [p.strip() for p in source.split(",") if p.strip()]
    return ", ".join(known(f"source_name_{_slug(p)}", lang, p) for p in parts)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower()).strip("_")
