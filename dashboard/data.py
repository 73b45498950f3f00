"""The only module that talks to DuckDB: every query the dashboard runs is here.

Why one module: it is the single place to audit for SQL injection and for "reads only the
published file". Rules kept here:
- one read-only connection per process and published path, kept open (opening costs ~50 ms)
  and checked against the file's identity (inode, mtime, size) at the start of every request:
  a published file swapped in with `os.replace` gets a new identity, so the old connection is
  closed and the new file opened by the next request, without a restart;
- values computed from a published file (filter options, rendered pages) are memoised per
  identity (`memo`), so they are dropped with the file they came from;
- `enable_external_access=false`: even a mistaken query cannot read another file;
- values are bound parameters; identifiers (marts, columns) come only from the allowlists
  below, checked before any SQL is built — a forged URL value never becomes SQL text.
Pages never import duckdb; they receive pandas frames and small dataclasses.
"""

from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from collections.abc import Collection, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

import duckdb
import pandas as pd

TOTAL: Final = "_T"

# mart -> (dimension columns, measure columns). Measures have a `<measure>_flag` column in the
# published file (docs/marts.md). Only these identifiers can reach SQL text.
MARTS: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "mart_pool_participation": (
        ("pool_id", "period_type", "period", "period_start", "breakdown", "breakdown_value"),
        (
            "enrolment_count",
            "start_count",
            "trainee_count",
            "leaver_count",
            "completed_count",
            "dropped_out_count",
            "certified_count",
            "completion_rate",
            "dropout_rate",
            "certification_rate",
        ),
    ),
    "mart_pool_placement": (
        ("pool_id", "period_type", "period", "period_start", "sex"),
        (
            "leaver_count",
            "in_work_3m_count",
            "in_work_6m_count",
            "in_work_12m_count",
            "durable_job_count",
            "in_work_3m_rate",
            "in_work_6m_rate",
            "in_work_12m_rate",
            "durable_job_rate",
        ),
    ),
    "mart_labour_market_pool": (
        ("pool_id", "month"),
        (
            "vacancy_received_count",
            "vacancy_open_count",
            "jobseeker_count",
            "vacancy_received_12m_count",
            "jobseeker_avg_12m_count",
            "tension_ratio",
        ),
    ),
    "mart_labour_market_occupation": (
        ("occupation_isco", "month"),
        (
            "vacancy_received_count",
            "vacancy_open_count",
            "jobseeker_count",
            "vacancy_received_12m_count",
            "jobseeker_avg_12m_count",
            "tension_ratio",
        ),
    ),
    "mart_shortage_occupation": (
        ("year", "occupation_isco"),
        (
            "vacancy_received_count",
            "vacancy_filled_count",
            "fill_rate",
            "jobseeker_avg_count",
            "tension_ratio",
        ),
    ),
    "mart_pool_function": (
        ("pool_id", "function_id", "period_type", "period", "period_start"),
        ("activity_count", "participant_count", "hours", "hire_count"),
    ),
    "mart_supply_demand": (
        ("pool_id", "occupation_isco", "year"),
        (
            "completer_count",
            "vacancy_received_count",
            "jobseeker_avg_count",
            "gap_count",
            "vacancy_per_jobseeker",
        ),
    ),
    "mart_commune": (
        ("commune_nis", "year", "pool_id"),
        ("trainee_count", "jobseeker_avg_count", "vacancy_received_count", "trainee_per_1000"),
    ),
}
# Columns without a flag that a query may still return (plain attributes of a row).
EXTRA_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "mart_shortage_occupation": ("is_shortage", "median_days_open"),
    "mart_supply_demand": ("is_shortage",),
    "mart_commune": ("population",),
}
PERIOD_TYPES: Final = ("month", "quarter", "year")
BREAKDOWNS: Final = ("total", "sex", "target_group", "age_band", "education_level", "commune")


class DataUnavailable(RuntimeError):
    """The published file is missing, damaged or not yet complete (maintenance page)."""


class NotAllowed(ValueError):
    """An identifier outside the allowlists reached the data layer (a bug, never user text)."""


# (path, st_ino, st_mtime_ns, st_size): changes at every publish, which is an os.replace.
FileIdentity = tuple[str, int, int, int]
_KEEP_FILES: Final = 4  # distinct published paths a process keeps open (tests use several)
_MEMO_ITEMS: Final = 256  # memoised values per published file (options, rendered pages)
_MEMO_BYTES: Final = 64 * 1024 * 1024  # bytes values (rendered pages) per published file


def identity(path: Path) -> FileIdentity:
    """The published file's identity; DataUnavailable when it is missing."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise DataUnavailable(f"published file not found: {path.name}") from exc
    return (os.path.realpath(path), st.st_ino, st.st_mtime_ns, st.st_size)


class Memo:
    """A small LRU of values computed from one published file identity (thread-safe).

    Why bounded by count and by bytes: rendered pages are kept as JSON bytes (50-600 KB each)
    and a worker must stay well under 400 MB whatever URLs readers invent."""

    def __init__(self, ident: FileIdentity) -> None:
        self.identity = ident
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            self._bytes -= len(old) if isinstance(old, bytes) else 0
            self._items[key] = value
            self._bytes += len(value) if isinstance(value, bytes) else 0
            while len(self._items) > _MEMO_ITEMS or self._bytes > _MEMO_BYTES:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped) if isinstance(dropped, bytes) else 0

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class _Open:
    """The process's read-only connection to one published file, at one identity."""

    identity: FileIdentity
    con: duckdb.DuckDBPyConnection


# One connection per published path per process, reused by every request until the file's
# identity changes. Guarded by one lock: gunicorn's workers are processes (threads of one
# worker take turns, which costs nothing on CPU-bound renders under the GIL).
_LOCK = threading.RLock()
_OPEN: OrderedDict[str, _Open] = OrderedDict()
_MEMOS: dict[str, Memo] = {}
_PID = [os.getpid()]
_SESSION: ContextVar[tuple[Path, duckdb.DuckDBPyConnection, FileIdentity] | None] = ContextVar(
    "published_session", default=None
)


def _forked() -> None:
    """After a fork (gunicorn preload) forget the parent's connections without closing them:
    the parent owns them."""
    if _PID[0] != os.getpid():
        _OPEN.clear()
        _MEMOS.clear()
        _PID[0] = os.getpid()


def _close(key: str) -> None:
    entry = _OPEN.pop(key, None)
    if entry is not None:
        with suppress(duckdb.Error):
            entry.con.close()


def _current(path: Path) -> tuple[duckdb.DuckDBPyConnection, FileIdentity]:
    """The connection to the file now at `path` (caller holds _LOCK).

    DuckDB shares one database instance per path inside a process: a new connection to a path
    that still has an open connection sees the OLD file. So the old connection is closed before
    the new one opens, and there is never more than one per path."""
    _forked()
    try:
        ident = identity(path)
    except DataUnavailable:
        _close(os.path.realpath(path))
        raise
    key = ident[0]
    entry = _OPEN.get(key)
    if entry is not None and entry.identity == ident:
        _OPEN.move_to_end(key)
        return entry.con, ident
    _close(key)
    con = _connect(path)
    _OPEN[key] = _Open(ident, con)
    while len(_OPEN) > _KEEP_FILES:
        _close(next(iter(_OPEN)))
    return con, ident


def close_all() -> None:
    """Close every connection of this process (tests; a worker's exit)."""
    with _LOCK:
        for key in list(_OPEN):
            _close(key)
        _MEMOS.clear()


def memo(path: Path) -> Memo:
    """The memo of the published file now at `path` (within a session: the session's file).

    A new identity starts an empty memo, so nothing computed from an earlier publish is ever
    served once the new file is in place."""
    current = _SESSION.get()
    ident = current[2] if current is not None and current[0] == path else identity(path)
    with _LOCK:
        _forked()
        found = _MEMOS.get(ident[0])
        if found is None or found.identity != ident:
            found = Memo(ident)
            _MEMOS[ident[0]] = found
        return found


@contextmanager
def session(path: Path) -> Iterator[None]:
    """The process's connection for the queries of one request: the file is checked once at
    the start (one stat), so one request never mixes two published versions, and the next
    request after a publish opens the new file."""
    if _SESSION.get() is not None:
        yield
        return
    with _LOCK:
        con, ident = _current(path)
        token = _SESSION.set((path, con, ident))
        try:
            yield
        except DataUnavailable:
            _close(ident[0])  # reopened by the next request (a damaged file stays unavailable)
            raise
        finally:
            _SESSION.reset(token)


@contextmanager
def connect(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The request's connection when inside `session(path)`, else the process's connection."""
    current = _SESSION.get()
    if current is not None and current[0] == path:
        yield current[1]
        return
    with _LOCK:
        con, _ = _current(path)
        yield con


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection that cannot touch any other file."""
    try:
        return duckdb.connect(
            str(path),
            read_only=True,
            config={"enable_external_access": False, "threads": 2},
        )
    except duckdb.Error as exc:
        raise DataUnavailable(f"published file cannot be opened: {type(exc).__name__}") from exc


def _broken(path: Path) -> None:
    """Forget the connection after a storage error: the next request reopens the file."""
    with _LOCK:
        _close(os.path.realpath(path))


def query(path: Path, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
    """Run one read statement with bound parameters; storage errors → DataUnavailable."""
    with connect(path) as con:
        try:
            result = con.execute(sql, list(params))
            columns = [d[0] for d in result.description or []]
            # fetchall + from_records: .df() and Arrow→pandas cost ~1 s a call with pandas 3.
            return pd.DataFrame.from_records(result.fetchall(), columns=columns)
        except duckdb.CatalogException as exc:
            raise DataUnavailable(f"published file incomplete: {type(exc).__name__}") from exc
        except (
            duckdb.IOException,
            duckdb.InternalException,
            duckdb.SerializationException,
            duckdb.FatalException,
        ) as exc:
            if _SESSION.get() is None:
                _broken(path)
            raise DataUnavailable(f"published file damaged: {type(exc).__name__}") from exc


def check(path: Path) -> None:
    """Raise DataUnavailable unless the file opens and holds the catalogue and the marts
    (checked once per published file identity; a failure is never remembered)."""
    with session(path):
        found = memo(path)
        if found.get(_CHECKED) is None:
            _check(path)
            found.put(_CHECKED, True)


_CHECKED = ("data.check",)


def _check(path: Path) -> None:
    frame = query(
        path,
        "SELECT count(*) AS n FROM duckdb_tables() WHERE schema_name = 'marts'"
        " AND table_name IN (SELECT unnest(?::VARCHAR[]))",
        [list(MARTS)],
    )
    query(path, "SELECT count(*) FROM meta.indicator")
    if int(frame["n"].iloc[0]) == 0:
        raise DataUnavailable("published file holds no marts")


_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def _ident(name: str) -> str:
    """Quote an identifier that an allowlist already admitted; a second lock refuses anything
    that is not a plain lower-case identifier, so no allowlist slip can reach the SQL text."""
    if not _IDENTIFIER.match(name):
        raise NotAllowed(name)
    return '"' + name + '"'


def _where(
    where: Mapping[str, object | Sequence[object]] | None, allowed: Collection[str], owner: str
) -> tuple[list[str], list[object]]:
    """Bound clauses for `where` (a sequence → IN), each column checked against `allowed`."""
    clauses: list[str] = []
    params: list[object] = []
    for column, value in (where or {}).items():
        if column not in allowed:
            raise NotAllowed(f"{owner}.{column}")
        if isinstance(value, list | tuple):
            clauses.append(f"{_ident(column)} IN (SELECT unnest(?::VARCHAR[]))")
            params.append([str(v) for v in value])
        else:
            clauses.append(f"{_ident(column)} = ?")
            params.append(value)
    return clauses, params


def _select(
    columns: Sequence[str], schema: str, name: str, clauses: Sequence[str], order_by: Sequence[str]
) -> str:
    """`SELECT columns FROM schema.name [WHERE …] [ORDER BY …]`, every identifier checked."""
    sql = "SELECT " + ", ".join(_ident(c) for c in columns)
    sql += " FROM " + _ident(schema) + "." + _ident(name)
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    if order_by:
        sql += " ORDER BY " + ", ".join(_ident(c) for c in order_by)
    return sql


def cells(
    path: Path,
    mart: str,
    measures: Sequence[str],
    where: Mapping[str, object | Sequence[object]] | None = None,
    between: tuple[str, date, date] | None = None,
    order_by: Sequence[str] = (),
) -> pd.DataFrame:
    """Published cells of one mart: dimensions, the measures and their flags, as published.

    No re-aggregation on purpose: summing protected cells would undo the protection and drop
    flags. `where` values are bound (a sequence → IN); `between` bounds a date dimension.
    """
    if mart not in MARTS:
        raise NotAllowed(mart)
    dims, allowed = MARTS[mart]
    extras = EXTRA_COLUMNS.get(mart, ())
    for m in measures:
        if m not in allowed and m not in extras:
            raise NotAllowed(f"{mart}.{m}")
    select = [*dims]
    for m in measures:
        select.append(m)
        if m in allowed:
            select.append(f"{m}_flag")
    clauses, params = _where(where, dims, mart)
    if between is not None:
        column, low, high = between
        if column not in dims:
            raise NotAllowed(f"{mart}.{column}")
        clauses.append(f"{_ident(column)} BETWEEN ? AND ?")
        params += [low, high]
    for column in order_by:
        if column not in dims:
            raise NotAllowed(f"{mart}.{column}")
    return query(path, _select(select, "marts", mart, clauses, order_by), params)


# ---------------------------------------------------------------- dimensions and metadata


@dataclass(frozen=True)
class Pool:
    """One pool as the pages need it (names in three languages)."""

    pool_id: str
    short_name: str
    names: dict[str, str]
    sectors: dict[str, str]
    status: str
    opening_month: date | None

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.short_name

    def sector(self, lang: str) -> str:
        return self.sectors.get(lang) or ""


def _date(value: Any) -> date | None:
    if value is None or pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def pools(path: Path) -> list[Pool]:
    """Every pool, operational first, in a stable order."""
    frame = query(
        path,
        "SELECT pool_id, short_name, name_fr, name_nl, name_en, sector_fr, sector_nl, sector_en,"
        " status, opening_month FROM core.dim_pool"
        " ORDER BY status = 'planned', opening_month NULLS LAST, pool_id",
    )
    return [
        Pool(
            pool_id=r.pool_id,
            short_name=r.short_name or r.pool_id,
            names={"fr": r.name_fr, "nl": r.name_nl, "en": r.name_en},
            sectors={"fr": r.sector_fr, "nl": r.sector_nl, "en": r.sector_en},
            status=r.status,
            opening_month=_date(r.opening_month),
        )
        for r in frame.itertuples()
    ]


def communes(path: Path) -> pd.DataFrame:
    """The 19 communes: commune_nis, name_fr, name_nl, population."""
    return query(
        path,
        "SELECT commune_nis, name_fr, name_nl, population FROM core.dim_commune ORDER BY name_fr",
    )


def code_labels(path: Path, code_list: str) -> pd.DataFrame:
    """Labels of one contract code list (sex, target_group, …) in display order."""
    return query(
        path,
        "SELECT code, label_fr, label_nl, label_en FROM core.dim_code WHERE code_list = ?"
        " ORDER BY sort_order, code",
        [code_list],
    )


def functions(path: Path) -> pd.DataFrame:
    """The six pool functions with names and descriptions."""
    return query(path, "SELECT * FROM core.dim_pool_function ORDER BY sort_order")


def occupations(path: Path, pool_id: str | None = None) -> pd.DataFrame:
    """ISCO occupations (code + labels), those of one pool's trades when `pool_id` is given."""
    if pool_id is None:
        return query(
            path,
            "SELECT DISTINCT o.occupation_code, o.label_fr, o.label_nl, o.label_en"
            " FROM core.dim_occupation o JOIN core.bridge_pool_occupation b"
            " ON b.occupation_code = o.occupation_code AND b.classification = o.classification"
            " WHERE o.classification = 'isco08' ORDER BY o.occupation_code",
        )
    return query(
        path,
        "SELECT DISTINCT o.occupation_code, o.label_fr, o.label_nl, o.label_en"
        " FROM core.dim_occupation o JOIN core.bridge_pool_occupation b"
        " ON b.occupation_code = o.occupation_code AND b.classification = o.classification"
        " WHERE o.classification = 'isco08' AND b.pool_id = ? ORDER BY o.occupation_code",
        [pool_id],
    )


def nace_codes(path: Path, pool_id: str | None = None) -> pd.DataFrame:
    """NACE codes mapped to pools (one pool's when given), with labels."""
    sql = (
        "SELECT DISTINCT b.nace_code, b.mapping, n.label_fr, n.label_nl, n.label_en"
        " FROM core.bridge_pool_nace b LEFT JOIN core.dim_nace n ON n.nace_code = b.nace_code"
    )
    if pool_id is None:
        return query(path, sql + " ORDER BY b.nace_code")
    return query(path, sql + " WHERE b.pool_id = ? ORDER BY b.nace_code", [pool_id])


def pools_for_nace(path: Path, nace_code: str) -> list[str]:
    """Pools whose sector includes a NACE code (a NACE filter narrows the pool choice)."""
    frame = query(
        path,
        "SELECT DISTINCT pool_id FROM core.bridge_pool_nace WHERE nace_code = ? ORDER BY 1",
        [nace_code],
    )
    return [str(v) for v in frame["pool_id"]]


def months(path: Path) -> list[date]:
    """The months the labour-market marts cover, oldest first (the period slider's range)."""
    frame = query(
        path,
        "SELECT DISTINCT month FROM marts.mart_labour_market_pool WHERE month IS NOT NULL"
        " UNION SELECT DISTINCT period_start FROM marts.mart_pool_participation"
        " WHERE period_type = 'month' ORDER BY 1",
    )
    return [d for d in (_date(v) for v in frame.iloc[:, 0]) if d is not None]


def indicators(path: Path) -> pd.DataFrame:
    """The indicator catalogue as published (names, definitions, source, version)."""
    return query(path, "SELECT * FROM meta.indicator")


def freshness(path: Path) -> pd.DataFrame:
    """Per source: the period covered and the last load."""
    return query(path, "SELECT * FROM meta.freshness ORDER BY source")


def load_summary(path: Path) -> pd.DataFrame:
    """Per file: its last processing (status, rows read/loaded/quarantined)."""
    return query(path, "SELECT * FROM meta.load_summary ORDER BY loaded_at DESC, source")


def quarantine_summary(path: Path) -> pd.DataFrame:
    """Rows set aside per file and reason at the last load (counts only)."""
    return query(
        path,
        "SELECT source, file_name, reason_code, sum(row_count) AS row_count"
        " FROM meta.quarantine_summary GROUP BY ALL"
        " ORDER BY row_count DESC, source, file_name, reason_code",
    )


def publication(path: Path) -> dict[str, Any]:
    """When the file was built and with which protection settings ({} when unknown)."""
    try:
        frame = query(path, "SELECT * FROM meta.publication LIMIT 1")
    except DataUnavailable:
        return {}
    return {} if frame.empty else dict(frame.iloc[0])


# ---------------------------------------------------------------- official statistics (context)

# context relation -> columns a query may return. Official series are published as their
# publishers shaped them (value + flag + source), never mixed into the pools' marts.
CONTEXT: Final[dict[str, tuple[str, ...]]] = {
    "brussels_unemployment_rate": (
        "year",
        "period_start",
        "sex",
        "unemployment_rate",
        "flag",
        "dataset",
        "source",
        "last_update",
    ),
    "job_vacancy_rate_be": (
        "period",
        "period_start",
        "nace",
        "job_vacancy_rate",
        "flag",
        "source",
        "last_update",
    ),
    "actiris_jobseekers_commune": (
        "year",
        "commune_nis",
        "sex",
        "education",
        "jobseeker_count",
        "source",
    ),
    "official_series": (
        "dataset",
        "geo",
        "unit",
        "period",
        "period_start",
        "freq",
        "value",
        "flag",
        "source",
        "last_update",
        "file_name",
    ),
}


def _relation_exists(path: Path, schema: str, name: str) -> bool:
    """Whether the published file holds the relation; kept per file identity (~4 ms a query,
    asked on every render of the region and data pages)."""
    key = ("relation_exists", schema, name)
    kept = memo(path).get(key)
    if kept is not None:
        return bool(kept)
    frame = query(
        path,
        "SELECT count(*) AS n FROM information_schema.tables"
        " WHERE table_schema = ? AND table_name = ?",
        [schema, name],
    )
    found = int(frame["n"].iloc[0]) > 0
    memo(path).put(key, found)
    return found


def context_rows(
    path: Path,
    relation: str,
    columns: Sequence[str],
    where: Mapping[str, object | Sequence[object]] | None = None,
    order_by: Sequence[str] = (),
) -> pd.DataFrame:
    """Rows of one official-statistics relation (empty when the file has none: the context
    layer is optional, its absence is not a maintenance case). Same binding rules as `cells`."""
    if relation not in CONTEXT:
        raise NotAllowed(relation)
    allowed = CONTEXT[relation]
    for column in (*columns, *(where or {}), *order_by):
        if column not in allowed:
            raise NotAllowed(f"{relation}.{column}")
    if not _relation_exists(path, "context", relation):
        return pd.DataFrame(columns=list(columns))
    clauses, params = _where(where, allowed, relation)
    return query(path, _select(columns, "context", relation, clauses, order_by), params)


def context_sources(path: Path) -> pd.DataFrame:
    """Per official dataset: publisher, period covered, last update, file (the data page)."""
    if not _relation_exists(path, "context", "official_series"):
        return pd.DataFrame(
            columns=["dataset", "source", "first_period", "last_period", "last_update", "rows"]
        )
    return query(
        path,
        "SELECT dataset, any_value(source) AS source, min(period) AS first_period,"
        " max(period) AS last_period, max(last_update) AS last_update, count(*) AS rows"
        " FROM context.official_series GROUP BY dataset ORDER BY dataset",
    )


# ---------------------------------------------------------------- restricted (pool managers)

# restricted mart -> (dimension columns, measure columns); each measure has `<measure>_flag`.
# Finer detail than the public marts (programme x month) under primary suppression only: it is
# read for one pool at a time, the pool of the logged-in manager (dashboard/auth.py decides).
RESTRICTED: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "mart_programme_month": (
        ("pool_id", "programme_id", "programme_name", "month", "period"),
        (
            "enrolment_count",
            "start_count",
            "leaver_count",
            "completed_count",
            "dropped_out_count",
            "certified_count",
        ),
    ),
}


def restricted_cells(
    path: Path,
    mart: str,
    pool_id: str,
    between: tuple[date, date] | None = None,
) -> pd.DataFrame:
    """One pool's rows of a restricted mart, with flags. `pool_id` is a required bound value:
    no call can return rows of several pools or of another pool than the one asked for."""
    if mart not in RESTRICTED:
        raise NotAllowed(mart)
    dims, measures = RESTRICTED[mart]
    select = [*dims]
    for m in measures:
        select += [m, f"{m}_flag"]
    if not _relation_exists(path, "restricted", mart):
        return pd.DataFrame(columns=select)
    sql = (
        "SELECT "
        + ", ".join(_ident(c) for c in select)
        + " FROM restricted."
        + _ident(mart)
        + " WHERE pool_id = ?"
    )
    params: list[object] = [pool_id]
    if between is not None:
        sql += " AND month BETWEEN ? AND ?"
        params += [between[0], between[1]]
    sql += " ORDER BY month, programme_id"
    return query(path, sql, params)


# ---------------------------------------------------------------- whole tables (exports)

# Schemas an export may read: the public marts, the dimensions and the metadata. Never
# `restricted` (one pool's finer detail) nor anything else a future publisher adds.
EXPORT_SCHEMAS: Final = ("marts", "core", "meta")


def published_tables(path: Path) -> pd.DataFrame:
    """schema_name, table_name, comment of every exportable published table, sorted."""
    return query(
        path,
        "SELECT schema_name, table_name, comment FROM duckdb_tables()"
        " WHERE database_name = current_database()"
        " AND schema_name IN (SELECT unnest(?::VARCHAR[])) ORDER BY schema_name, table_name",
        [list(EXPORT_SCHEMAS)],
    )


def table_columns(path: Path, schema: str, table: str) -> pd.DataFrame:
    """column_name, data_type, comment of one published table, in table order."""
    return query(
        path,
        "SELECT column_name, data_type, comment FROM duckdb_columns()"
        " WHERE database_name = current_database() AND schema_name = ? AND table_name = ?"
        " ORDER BY column_index",
        [schema, table],
    )


def _table_sql(
    path: Path,
    schema: str,
    table: str,
    where: Mapping[str, object | Sequence[object]] | None,
    months: tuple[date, date] | None,
) -> tuple[str, list[object]]:
    """SELECT * of one exportable table, filtered. Identifiers are checked against the file's
    own catalogue (never user text); values are bound.

    `months` keeps the rows whose period overlaps [first month, last month]: a month, quarter
    or year row (`period_type` + `period_start`) that touches the range, a `month` inside it,
    a `year` between the two years."""
    if schema not in EXPORT_SCHEMAS:
        raise NotAllowed(schema)
    described = table_columns(path, schema, table)
    columns = set(described["column_name"])
    if not columns:
        raise NotAllowed(f"{schema}.{table}")
    clauses, params = _where(where, columns, f"{schema}.{table}")
    if months is not None:
        low, high = months
        if {"period_type", "period_start"} <= columns:
            clauses.append(
                "period_start <= ? AND period_start + CASE period_type"
                " WHEN 'month' THEN INTERVAL 1 MONTH WHEN 'quarter' THEN INTERVAL 3 MONTH"
                " ELSE INTERVAL 12 MONTH END > ?"
            )
            params += [high, low]
        elif "month" in columns:
            clauses.append("month BETWEEN ? AND ?")
            params += [low, high]
        elif "year" in columns:
            clauses.append("year BETWEEN ? AND ?")
            params += [low.year, high.year]
    select = ", ".join(
        _export_column(str(n), str(t))
        for n, t in zip(described["column_name"], described["data_type"], strict=True)
    )
    sql = "SELECT " + select + " FROM " + _ident(schema) + "." + _ident(table)
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    return sql, params


_WHOLE_NUMBER = re.compile(r"^(HUGEINT|UHUGEINT|DECIMAL\(\d+,\s*0\))$")


def _export_column(name: str, data_type: str) -> str:
    """One column of an export: a whole-number column that DuckDB typed HUGEINT or
    DECIMAL(p,0) (a `sum` of integers) is read as BIGINT, so every reader (Parquet, pandas,
    polars, the API) gets a 64-bit integer with nulls, never a Decimal (issue 18)."""
    if _WHOLE_NUMBER.match(data_type.upper()):
        return f"CAST({_ident(name)} AS BIGINT) AS {_ident(name)}"
    return _ident(name)


def table_rows(
    path: Path,
    schema: str,
    table: str,
    where: Mapping[str, object | Sequence[object]] | None = None,
    months: tuple[date, date] | None = None,
) -> pd.DataFrame:
    """Every column of one published table as published (values and flags untouched)."""
    sql, params = _table_sql(path, schema, table, where, months)
    return query(path, sql, params)


def table_page(
    path: Path,
    table: str,
    where: Mapping[str, object | Sequence[object]] | None,
    months: tuple[date, date] | None,
    limit: int,
    offset: int,
) -> tuple[pd.DataFrame, int]:
    """One page of a public mart for the open API (dashboard/api): the rows of `table_rows`
    in a stable order (by the mart's columns before its first flag column: the dimensions,
    which identify a row), and the total row count of the filter. `limit` and `offset` are
    bound, never SQL text."""
    sql, params = _table_sql(path, "marts", table, where, months)
    order = []
    for name in table_columns(path, "marts", table)["column_name"]:
        if str(name).endswith("_flag"):
            break
        order.append(_ident(str(name)))
    total = query(path, "SELECT count(*) AS n FROM (" + sql + ")", params)
    paged = sql + (" ORDER BY " + ", ".join(order) if order else "") + " LIMIT ? OFFSET ?"
    return query(path, paged, [*params, int(limit), int(offset)]), int(total["n"].iloc[0])


def table_arrow(
    path: Path,
    schema: str,
    table: str,
    where: Mapping[str, object | Sequence[object]] | None = None,
    months: tuple[date, date] | None = None,
) -> Any:
    """Same rows as `table_rows`, as a pyarrow Table keeping DuckDB's column types (Parquet)."""
    sql, params = _table_sql(path, schema, table, where, months)
    with connect(path) as con:
        try:
            return con.sql(sql, params=params).to_arrow_table()
        except (duckdb.CatalogException, duckdb.IOException) as exc:
            raise DataUnavailable(f"published file incomplete: {type(exc).__name__}") from exc
