"""Realistic dashboard requests: every page in the three languages, with the filters people use.

The dashboard has four server callbacks (dash `/_dash-dependencies`): the page render
(`_pages_content`, which draws every figure of a page from the URL), filters → URL, the export
download, and Dash's own title callback (client side). A view is a (path, query) pair, so the
payloads below are built from the allowed values the published file offers (pools, months,
sexes, sectors…), as the browser would send them.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PAGE_OUTPUT = ".._pages_content.children..._pages_store.data.."
FILTER_OUTPUT = "_pages_location.search@"  # Dash appends a hash (allow_duplicate)


@dataclass(frozen=True)
class View:
    page: str  # region | pool | labour_market | compare | data
    path: str
    search: str


def page_payload(view: View) -> dict[str, Any]:
    """The body the browser POSTs when the URL changes (captured from Chromium)."""
    return {
        "output": PAGE_OUTPUT,
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": view.path},
            {"id": "_pages_location", "property": "search", "value": view.search},
        ],
        "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
        "parsedChangedPropsIds": ["_pages_location.pathname", "_pages_location.search"],
    }


def filter_payload(output: str, values: dict[str, Any], search: str) -> dict[str, Any]:
    """The body sent when a filter dropdown changes (pattern-matching ALL inputs)."""
    ids = [{"key": k, "type": "filter"} for k in values]
    changed = json.dumps(ids[-1], separators=(",", ":"), sort_keys=True) + ".value"
    return {
        "output": output,
        "outputs": {"id": "_pages_location", "property": "search"},
        "inputs": [
            [
                {"id": i, "property": "value", "value": v}
                for i, v in zip(ids, values.values(), strict=True)
            ]
        ],
        "state": [
            [{"id": i, "property": "id", "value": i} for i in ids],
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": [changed],
        "parsedChangedPropsIds": [changed],
    }


def views(published: Path, seed: int = 7) -> list[View]:
    """Default views of every page in fr/nl/en, then filtered ones (period, pool, sex, target
    group, sector, occupation, map measure, compare indicator)."""
    from dashboard.formatting import month_code
    from dashboard.state import COMPARE_MEASURES, MAP_MEASURES, load_options

    options = load_options(published)
    rng = random.Random(seed)
    pools = list(options.pool_ids)
    months = list(options.months)
    out: list[View] = []
    pages = [
        ("region", "/"),
        ("labour_market", "/labour-market"),
        ("compare", "/compare"),
        ("data", "/data"),
    ]
    pages += [("pool", f"/pool/{p}") for p in pools[:4]]
    for lang in ("fr", "nl", "en"):
        out.extend(View(name, path, f"?lang={lang}") for name, path in pages)
    for _ in range(6):  # 36 filtered views: 6 first renders per page for the p95
        m_to = rng.choice(months[len(months) // 2 :])
        m_from = rng.choice([m for m in months if m <= m_to][-24:])
        period = f"from={month_code(m_from)}&to={month_code(m_to)}"
        lang = rng.choice(("fr", "nl", "en"))
        sex = rng.choice(list(options.sexes))
        tg = rng.choice(list(options.target_groups))
        pool = rng.choice(pools)
        sector = rng.choice(pools)
        occ = rng.choice(list(options.pool_occupations.get(sector, ())) or [""])
        ind = "{}.{}".format(*rng.choice(COMPARE_MEASURES))
        out += [
            View("region", "/", f"?lang={lang}&{period}&sex={sex}&tg={tg}"),
            View("region", "/", f"?lang={lang}&{period}&map={rng.choice(MAP_MEASURES)}"),
            View("pool", f"/pool/{pool}", f"?lang={lang}&{period}&sex={sex}"),
            View(
                "labour_market",
                "/labour-market",
                f"?lang={lang}&{period}&sector={sector}&occ={occ}",
            ),
            View(
                "compare",
                "/compare",
                f"?lang={lang}&{period}&pools={','.join(pools[:3])}&ind={ind}",
            ),
            View("data", "/data", f"?lang={lang}&{period}&pool={pool}"),
        ]
    return out


def filter_cases(published: Path) -> list[tuple[dict[str, Any], str]]:
    """A few filter changes (values, current search) on the region and labour-market pages."""
    from dashboard.formatting import month_code
    from dashboard.state import load_options

    options = load_options(published)
    months = list(options.months)
    sex = next(iter(options.sexes))
    sector = options.pool_ids[0]
    return [
        ({"from": month_code(months[-13]), "to": month_code(months[-1]), "sex": sex}, "?lang=fr"),
        ({"from": month_code(months[-25]), "to": month_code(months[-13])}, "?lang=nl"),
        ({"sector": sector, "occ": None}, "?lang=en"),
    ]
