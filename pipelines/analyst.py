"""Read-only analyst access: named queries from queries/analyst/ and single SQL statements.

Two locks, so that one slip is not enough to write or reach a file: the connection is opened
read-only with external access disabled and the configuration locked, and only a single SELECT
statement is accepted at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from pipelines.paths import queries_dir

_PARAM_LINE = re.compile(
    r"^--\s*param\s*:\s*([a-z_][a-z0-9_]*)\s+([a-z]+)\s+(.*?)(?:\(default\s+(.*?)\))?\s*$",
    re.IGNORECASE,
)


class QueryError(RuntimeError):
    """A query was refused or failed; the message says why in one line."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str
    default: str | None


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    sql: str
    path: Path


def parse_named_query(path: Path) -> NamedQuery:
    title = description = ""
    params: list[Param] = []
    body: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        s = line.strip()
        low = s.lower()
        if low.startswith("-- title:"):
            title = s.split(":", 1)[1].strip()
        elif low.startswith("-- description:"):
            description = s.split(":", 1)[1].strip()
        elif low.startswith("-- param:"):
            m = _PARAM_LINE.match(s)
            if not m:
                raise QueryError(f"{path.name}: cannot read parameter line {s!r}")
            params.append(Param(m.group(1), m.group(2).lower(), m.group(3).strip(), m.group(4)))
        else:
            body.append(line)
    return NamedQuery(
        name=path.stem,
        title=title or path.stem,
        description=description,
        params=tuple(params),
        sql="\n".join(body).strip().rstrip(";"),
        path=path,
    )


def list_queries(folder: Path | None = None) -> list[NamedQuery]:
    folder = folder or queries_dir() / "analyst"
    return [parse_named_query(p) for p in sorted(folder.glob("*.sql"))]


def connect_read_only(db: Path) -> duckdb.DuckDBPyConnection:
    if not db.exists():
        raise QueryError(f"no database at {db}: run `observatory load` (or `observatory demo`)")
    try:
        return duckdb.connect(
            str(db),
            read_only=True,
            config={"enable_external_access": False, "lock_configuration": True},
        )
    except duckdb.Error as exc:
        raise QueryError(f"cannot open {db} read-only: {exc}") from exc


def check_read_only(sql: str) -> None:
    """Accept exactly one SELECT statement (WITH, DESCRIBE, SHOW and SUMMARIZE are SELECTs)."""
    probe = duckdb.connect()
    try:
        statements = probe.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(f"cannot parse the statement: {exc}") from exc
    finally:
        probe.close()
    if len(statements) != 1:
        raise QueryError(f"one statement at a time, got {len(statements)}")
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise QueryError(
            f"refused: {kind.name} statements are not allowed; access is read-only "
            "(SELECT only: no writes, ATTACH, COPY, PRAGMA or SET)"
        )


def run_sql(db: Path, sql: str, params: dict[str, object] | None = None) -> pl.DataFrame:
    check_read_only(sql)
    con = connect_read_only(db)
    try:
        return con.sql(sql, params=params or {}).pl()
    except duckdb.PermissionException as exc:
        raise QueryError(f"refused: file access is disabled for analyst queries ({exc})") from exc
    except duckdb.Error as exc:
        raise QueryError(f"query failed: {exc}") from exc
    finally:
        con.close()


def _convert(p: Param, raw: str) -> object:
    try:
        if p.type in ("int", "integer"):
            return int(raw)
        if p.type in ("float", "double"):
            return float(raw.replace(",", "."))
        if p.type == "date":
            return date.fromisoformat(raw)
    except ValueError as exc:
        raise QueryError(f"parameter {p.name} must be a {p.type}, got {raw!r}") from exc
    return raw


def run_named(
    db: Path, name: str, params: dict[str, str], folder: Path | None = None
) -> pl.DataFrame:
    queries = {q.name: q for q in list_queries(folder)}
    if name not in queries:
        raise QueryError(f"no query named {name!r}; known: {', '.join(sorted(queries))}")
    q = queries[name]
    known = {p.name for p in q.params}
    unknown = set(params) - known
    if unknown:
        raise QueryError(
            f"{name} has no parameter {', '.join(sorted(unknown))}; it takes "
            f"{', '.join(sorted(known)) or 'none'}"
        )
    values: dict[str, object] = {}
    for p in q.params:
        raw = params.get(p.name, p.default)
        if raw is None:
            raise QueryError(f"{name} needs --param {p.name}=… ({p.description})")
        if raw.lower() in ("null", "none"):
            values[p.name] = None
        else:
            values[p.name] = _convert(p, raw)
    used = set(re.findall(r"\$([a-z_][a-z0-9_]*)", q.sql))
    return run_sql(db, q.sql, {k: v for k, v in values.items() if k in used})
