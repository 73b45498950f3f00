"""URL state: parsing validates against the published values; writing round-trips."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dashboard.state import load_options, parse, parse_search, to_query


def test_round_trip(published: Path) -> None:
    options = load_options(published)
    query = {
        "lang": "nl",
        "from": "2023-06",
        "to": "2024-02",
        "sector": "digitalcity",
        "occ": "2512",
        "commune": "21004",
        "sex": "F",
        "pools": "technicity,digitalcity",
    }
    state = parse(query, options, "fr")
    assert state.lang == "nl" and state.month_from == date(2023, 6, 1)
    assert state.occupation == "2512" and state.pools == ("technicity", "digitalcity")
    again = parse(parse_search(to_query(state)), options, "fr")
    assert again == state


def test_forged_or_inconsistent_values_are_dropped(published: Path) -> None:
    options = load_options(published)
    state = parse(
        {
            "lang": "de",
            "from": "2030-01",
            "to": "x",
            "pool": "'; DROP TABLE x; --",
            "sector": "digitalcity",
            "occ": "7212",
            "commune": "99999",
            "sex": "Q",
            "pools": "technicity,evil",
            "ind": "meta.indicator.name_fr",
            "map": "population",
        },
        options,
        "en",
    )
    assert state.lang == "en"
    assert state.month_to == date(2024, 12, 1) and state.month_from == date(2023, 12, 1)
    assert state.pool is None and state.commune is None and state.sex is None
    assert state.occupation is None  # 7212 is not a digital occupation: narrowed away
    assert state.pools == ("technicity",)
    assert state.indicator is None and state.map_measure == "trainee_per_1000"


def test_parse_search_keeps_known_keys_only() -> None:
    assert parse_search("?lang=nl&evil=1&from=2024-01") == {"lang": "nl", "from": "2024-01"}
