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
