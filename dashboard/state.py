"""The view state, read from and written to the URL query string.

Why the URL holds everything: a link sent by e-mail must show the receiver the same view,
language included, and the back button must undo a filter change. Every value is checked
against the allowed values read from the published file; anything else is dropped, so a forged
URL can never reach a query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from dashboard import data
from dashboard.formatting import month_code, parse_month
from dashboard.i18n import LANGS

# Map measures: columns of marts.mart_commune, and OFFICIAL_JOBSEEKERS, the job seekers per
# commune as Actiris publishes them (context.actiris_jobseekers_commune).
OFFICIAL_JOBSEEKERS = "official_jobseekers"
MAP_MEASURES = (
    "trainee_per_1000",
    "trainee_count",
    "jobseeker_avg_count",
    "vacancy_received_count",
    OFFICIAL_JOBSEEKERS,
)
# (mart, measure) pairs the compare page offers; names come from meta.indicator.
COMPARE_MEASURES: tuple[tuple[str, str], ...] = (
    ("mart_pool_participation", "trainee_count"),
    ("mart_pool_participation", "completion_rate"),
    ("mart_pool_placement", "in_work_6m_rate"),
    ("mart_pool_placement", "durable_job_rate"),
    ("mart_labour_market_pool", "vacancy_received_count"),
    ("mart_labour_market_pool", "jobseeker_count"),
    ("mart_labour_market_pool", "tension_ratio"),
)
KEYS = (
    "lang",
    "from",
    "to",
    "pool",
    "sector",
    "nace",
    "occ",
    "commune",
    "sex",
    "tg",
    "pools",
    "ind",
    "map",
)


@dataclass(frozen=True)
class Options:
    """Allowed values for every filter, from the published file (one read per request)."""

    pools: tuple[data.Pool, ...]
    months: tuple[date, ...]
    communes: dict[str, tuple[str, str]]
    sexes: dict[str, tuple[str, str, str]]
    target_groups: dict[str, tuple[str, str, str]]
    occupations: dict[str, tuple[str, str, str]]
    pool_occupations: dict[str, tuple[str, ...]]
    nace: dict[str, tuple[str, str, str]]
    pool_nace: dict[str, tuple[str, ...]]

    @property
    def pool_ids(self) -> tuple[str, ...]:
        return tuple(p.pool_id for p in self.pools)

    def pool(self, pool_id: str) -> data.Pool | None:
        return next((p for p in self.pools if p.pool_id == pool_id), None)


def _labels(frame: object, key: str) -> dict[str, tuple[str, str, str]]:
    """(fr, nl, en) labels per code; a missing Dutch or English label (ROME is published in
    French only) shows the French one marked `(FR)`, never "None"."""
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    return {
        str(getattr(r, key)): (
            text(r.label_fr),
            text(r.label_nl) or french(r.label_fr),
            text(r.label_en) or french(r.label_fr),
        )
        for r in frame.itertuples()
    }


def text(value: object) -> str:
    """A label cell as text: '' when missing (None, NaN)."""
    return "" if value is None or value != value else str(value)


def french(value: object) -> str:
    """The French label shown in its place, marked as French."""
    found = text(value)
    return f"{found} (FR)" if found else ""


def load_options(path: Path) -> Options:
    """The allowed values of the published file now in place (raises data.DataUnavailable when
    the file is unusable). Read once per published file (~250 ms: a query per pool) and kept
    with the file's identity, so a publish is seen at the next request."""
    with data.session(path):
        memo = data.memo(path)
        found = memo.get(_OPTIONS_KEY)
        if isinstance(found, Options):
            return found
        options = _read_options(path)
        memo.put(_OPTIONS_KEY, options)
        return options


_OPTIONS_KEY = ("state.options",)


def _read_options(path: Path) -> Options:
    pools = tuple(data.pools(path))
    occ_all = data.occupations(path)
    pool_occ = {
        p.pool_id: tuple(str(c) for c in data.occupations(path, p.pool_id)["occupation_code"])
        for p in pools
    }
    nace_all = data.nace_codes(path)
    pool_nace = {
        p.pool_id: tuple(str(c) for c in data.nace_codes(path, p.pool_id)["nace_code"])
        for p in pools
    }
    com = data.communes(path)
    return Options(
        pools=pools,
        months=tuple(data.months(path)),
        communes={str(r.commune_nis): (str(r.name_fr), str(r.name_nl)) for r in com.itertuples()},
        sexes=_labels(data.code_labels(path, "sex"), "code"),
        target_groups=_labels(data.code_labels(path, "target_group"), "code"),
        occupations=_labels(occ_all, "occupation_code"),
        pool_occupations=pool_occ,
        nace=_labels(nace_all.drop_duplicates("nace_code"), "nace_code"),
        pool_nace=pool_nace,
    )


@dataclass(frozen=True)
class ViewState:
    """One validated view: what the filters say, in the URL's vocabulary."""

    lang: str
    month_from: date
    month_to: date
    pool: str | None = None
    sector: str | None = None
    nace: str | None = None
    occupation: str | None = None
    commune: str | None = None
    sex: str | None = None
    target_group: str | None = None
    pools: tuple[str, ...] = field(default_factory=tuple)
    indicator: str | None = None
    map_measure: str = MAP_MEASURES[0]

    @property
    def year(self) -> int:
        return self.month_to.year

    def with_(self, **changes: object) -> ViewState:
        return replace(self, **changes)  # type: ignore[arg-type]


def _one(value: str | None, allowed: object) -> str | None:
    if value is None or value == "":
        return None
    return value if value in allowed else None  # type: ignore[operator]


def parse(query: Mapping[str, str], options: Options, default_lang: str) -> ViewState:
    """Validate the query parameters; invalid values are dropped, never passed on."""
    lang = query.get("lang") if query.get("lang") in LANGS else default_lang
    months = options.months or (date.today().replace(day=1),)
    low, high = months[0], months[-1]
    m_to = parse_month(query.get("to"))
    m_to = m_to if m_to is not None and low <= m_to <= high else high
    m_from = parse_month(query.get("from"))
    default_from = date(max(m_to.year - 1, low.year), m_to.month, 1)
    m_from = m_from if m_from is not None and low <= m_from <= m_to else max(default_from, low)
    sector = _one(query.get("sector"), options.pool_ids)
    nace = _one(query.get("nace"), options.nace)
    if nace and sector and nace not in options.pool_nace.get(sector, ()):
        nace = None
    occ_allowed = options.pool_occupations.get(sector, ()) if sector else options.occupations
    pools = tuple(
        p for p in dict.fromkeys((query.get("pools") or "").split(",")) if p in options.pool_ids
    )
    compare_ids = {f"{m}.{c}" for m, c in COMPARE_MEASURES}
    return ViewState(
        lang=str(lang),
        month_from=m_from,
        month_to=m_to,
        pool=_one(query.get("pool"), options.pool_ids),
        sector=sector,
        nace=nace,
        occupation=_one(query.get("occ"), occ_allowed),
        commune=_one(query.get("commune"), options.communes),
        sex=_one(query.get("sex"), options.sexes),
        target_group=_one(query.get("tg"), options.target_groups),
        pools=pools,
        indicator=_one(query.get("ind"), compare_ids),
        map_measure=_one(query.get("map"), MAP_MEASURES) or MAP_MEASURES[0],
    )


def to_query(state: ViewState, keep: tuple[str, ...] = KEYS) -> str:
    """The query string (with `?`) of a state; only non-default values, in a stable order."""
    values: dict[str, str | None] = {
        "lang": state.lang,
        "from": month_code(state.month_from),
        "to": month_code(state.month_to),
        "pool": state.pool,
        "sector": state.sector,
        "nace": state.nace,
        "occ": state.occupation,
        "commune": state.commune,
        "sex": state.sex,
        "tg": state.target_group,
        "pools": ",".join(state.pools) or None,
        "ind": state.indicator,
        "map": state.map_measure if state.map_measure != MAP_MEASURES[0] else None,
    }
    pairs = [(k, v) for k, v in values.items() if v and k in keep]
    return "?" + urlencode(pairs, safe=",")


def parse_search(search: str | None) -> dict[str, str]:
    """`?a=1&b=2` → {'a': '1', 'b': '2'} (last value wins, unknown keys dropped)."""
    return {k: v for k, v in parse_qsl((search or "").lstrip("?")) if k in KEYS}


def sanitize(query: Mapping[str, str], options: Options, default_lang: str) -> dict[str, str]:
    """The query with every value checked like `parse` checks it: a forged or inconsistent value
    is dropped (a list such as `pools` keeps its allowed members only). Used where a callback
    writes values into the URL, so the URL never carries what the page would refuse."""
    accepted = parse_search(to_query(parse(query, options, default_lang)))
    return {
        k: accepted[k]
        for k in KEYS
        if k in query and k in accepted and (accepted[k] == query[k] or k == "pools")
    }
