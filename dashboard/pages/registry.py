"""The one list of the dashboard's pages: from it come the top navigation
(components/shell.py), the paths that get the maintenance check (app.PAGE_PREFIXES), the views
drawn at start (app.warm_up), the paths whose renders are kept (render_cache.PAGE_PATHS), the
pages with a download bar (components/download.py) and each page's own PATH.

Why data only (no page module imported here): the shell and the pages both read it, so it must
sit below them; app.py pairs each entry with its module's `render`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class PageSpec:
    """One page: its name, where it lives and how it is reached."""

    name: str  # Dash Pages' name (the download button's `page`)
    module: str  # the module under dashboard/pages/ whose `render(state, options, path, query)`
    path: str  # its URL; for a page with a path template, the template's fixed prefix
    title_key: str  # i18n key of its title (browser tab)
    nav_key: str | None = None  # i18n key of its link in the top navigation; None: not listed
    template: str | None = None  # Dash Pages path template, e.g. "/pool/<pool_id>"
    downloads: bool = False  # shows the download bar (dashboard/exports)


PAGES: Final[tuple[PageSpec, ...]] = (
    PageSpec("region", "region", "/", "region_title", "nav_region", downloads=True),
    PageSpec("pool", "pool", "/pool", "pool_title", template="/pool/<pool_id>", downloads=True),
    PageSpec(
        "labour_market",
        "labour_market",
        "/labour-market",
        "labour_market_title",
        "nav_labour_market",
        downloads=True,
    ),
    PageSpec("compare", "compare", "/compare", "compare_title", "nav_compare", downloads=True),
    PageSpec("data", "data_page", "/data", "data_title", "nav_data"),
)
BY_NAME: Final = {spec.name: spec for spec in PAGES}

# (path, i18n key) of the top navigation, in this order.
NAV: Final = tuple((spec.path, spec.nav_key) for spec in PAGES if spec.nav_key)
# Paths without a path variable: each is one page (render_cache keeps their renders).
FIXED_PATHS: Final = tuple(spec.path for spec in PAGES if spec.template is None)
# What a page request's path starts with, "/" apart (it would match everything).
PREFIXES: Final = tuple(
    spec.path + "/" if spec.template else spec.path for spec in PAGES if spec.path != "/"
)
DOWNLOAD_PAGES: Final = frozenset(spec.name for spec in PAGES if spec.downloads)


def path_of(name: str) -> str:
    """A page's path (its template's prefix for a page with a path variable)."""
    return BY_NAME[name].path


def is_page(path: str) -> bool:
    """Whether a request path is one of the pages (a pool page whatever its pool)."""
    return path == "/" or path.startswith(PREFIXES)


def landing_paths(pool_ids: Iterable[str]) -> list[str]:
    """Every page's landing view: the fixed paths, then each pool's page."""
    paths = list(FIXED_PATHS)
    for spec in PAGES:
        if spec.template is not None:
            paths += [spec.template.replace("<pool_id>", pool) for pool in pool_ids]
    return paths
