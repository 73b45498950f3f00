"""The API's parameters, checked like the pages check theirs (dashboard/state.py): every value
is compared with the values the published file allows before anything reaches the data layer.

Why strict (an error, not a silent default like the pages): a program that sends `pool=tecnicity`
must learn it, not receive the whole region. An error names the parameter, never echoes its
value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

from dashboard import data
from dashboard.exports.selection import GROUPS
from dashboard.formatting import parse_month
from dashboard.state import load_options

FORMATS: Final = ("json", "csv", "sdmx-csv")
PAGE_SIZE: Final = 1000
MAX_PAGE_SIZE: Final = 10000
DATA_PARAMS: Final = frozenset({"pool", "from", "to", "format", "page", "page_size"})
INDICATOR_PARAMS: Final = frozenset({"format"})
# The public marts the API serves: the exports' groups (never the restricted schema).
PUBLIC_MARTS: Final = tuple(mart for _, mart, _ in GROUPS)


class ApiError(ValueError):
    """A request the API refuses: HTTP status and a one-line message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class DataRequest:
    """A checked request for one page of one mart."""

    mart: str
    pool: str | None
    months: tuple[date, date] | None
    fmt: str
    page: int
    page_size: int


def check_names(args: Mapping[str, str], allowed: frozenset[str]) -> None:
    unknown = sorted(k for k in args if k not in allowed)
    if unknown:
        raise ApiError(400, f"unknown parameter: use only {', '.join(sorted(allowed))}")


def check_format(args: Mapping[str, str], allowed: tuple[str, ...] = FORMATS) -> str:
    fmt = args.get("format", "json")
    if fmt not in allowed:
        raise ApiError(400, f"format: use one of {', '.join(allowed)}")
    return fmt


def _positive(args: Mapping[str, str], name: str, default: int, highest: int) -> int:
    text = args.get(name)
    if text is None or text == "":
        return default
    if not text.isdigit() or len(text) > 9 or not 1 <= int(text) <= highest:
        raise ApiError(400, f"{name}: a whole number from 1 to {highest}")
    return int(text)


def _months(args: Mapping[str, str], published: tuple[date, ...]) -> tuple[date, date] | None:
    if not args.get("from") and not args.get("to"):
        return None
    if not published:
        raise ApiError(503, "the published file holds no month")
    low, high = published[0], published[-1]
    bounds = []
    for name, default in (("from", low), ("to", high)):
        text = args.get(name)
        month = parse_month(text) if text else default
        if month is None or not low <= month <= high:
            raise ApiError(400, f"{name}: a month YYYY-MM from {low:%Y-%m} to {high:%Y-%m}")
        bounds.append(month)
    if bounds[0] > bounds[1]:
        raise ApiError(400, "from: the first month is after the last (to)")
    return bounds[0], bounds[1]


def data_request(path: Path, mart: str, args: Mapping[str, str]) -> DataRequest:
    """Check every parameter of `/api/v1/data/<mart>` against the published file."""
    check_names(args, DATA_PARAMS)
    published = set(data.published_tables(path)["table_name"])
    if mart not in PUBLIC_MARTS or mart not in published:
        raise ApiError(404, "unknown mart: see /api/v1/openapi.json for the published ones")
    options = load_options(path)
    pool = args.get("pool") or None
    if pool is not None and pool not in (*options.pool_ids, data.TOTAL):
        raise ApiError(400, f"pool: use one of {', '.join((*options.pool_ids, data.TOTAL))}")
    return DataRequest(
        mart=mart,
        pool=pool,
        months=_months(args, options.months),
        fmt=check_format(args),
        page=_positive(args, "page", 1, 10**9),
        page_size=_positive(args, "page_size", PAGE_SIZE, MAX_PAGE_SIZE),
    )


def where(path: Path, request: DataRequest) -> dict[str, object]:
    """The bound filter of a request: the pool's rows, or its occupations' rows in a mart by
    occupation (as the exports select a pool); `_T` selects the region's total rows."""
    if request.pool is None:
        return {}
    columns = set(data.table_columns(path, "marts", request.mart)["column_name"])
    if "pool_id" in columns:
        return {"pool_id": request.pool}
    if "occupation_isco" in columns and request.pool != data.TOTAL:
        codes = [str(c) for c in data.occupations(path, request.pool)["occupation_code"]]
        return {"occupation_isco": codes or ["-"]}
    return {}
