"""Versions of each mart's protection, and reuse of the previous published file.

Why: protecting every mart takes most of a publish. Which cells are hidden is a function of
the grain and person counts of the marts a mart's protection reads, the settings and the code;
when those are unchanged the previous file's hidden cells are still right. `mart_versions` says
what decides them (``hidden``) and what decides the whole mart (``full``); `previous_versions`
reads the versions recorded in the previous file, attached as ``prev`` by publishing, and the
``previous_*`` readers take hidden cells back from its ``c`` flags.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines import disclosure as dc
from pipelines.catalogue import CATALOGUE_PATH, MartSpec
from pipelines.duck import PREVIOUS, copy_comments, frame_to_table, quote_ident, quote_literal
from pipelines.protection.systems import AUDIT_MAX_CELLS, Hidden
from pipelines.settings import PublishSettings

_CODE_PATHS = ("protection", "disclosure", "catalogue.py")  # under pipelines/
VERSION_DOC = (
    "Per protected mart: the versions of its protection's inputs. hidden_version covers what "
    "decides which cells are hidden (grain and person counts of the marts its protection reads, "
    "settings, code); version adds the mart's whole content. The next publish copies a mart whose "
    "version is unchanged, and takes the hidden cells from this file's flags when only "
    "hidden_version is."
)


def code_version() -> str:
    """Hash of the code and catalogue that decide protection: a change protects everything."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent.parent  # pipelines/
    for name in _CODE_PATHS:
        path = here / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            h.update(file.relative_to(here).as_posix().encode())
            h.update(file.read_bytes())
    h.update(CATALOGUE_PATH.read_bytes())
    return h.hexdigest()


def _digest(dst: duckdb.DuckDBPyConnection, name: str, columns: Sequence[str] | None) -> str:
    """Rows and a sum of row hashes of a warehouse mart (over `columns`, or every column)."""
    listed = "t" if columns is None else ", ".join(f"t.{quote_ident(c)}" for c in columns)
    expr = f"hash({listed})"
    rows, total = dst.execute(
        f"SELECT count(*), coalesce(sum({expr}::HUGEINT), 0)::VARCHAR FROM wh.marts.{name} AS t"
    ).fetchall()[0]
    return f"{rows}:{total}"


@dataclass(frozen=True)
class Versions:
    hidden: str  # what decides the hidden cells
    full: str  # ... and the whole content


def mart_versions(
    dst: duckdb.DuckDBPyConnection,
    names: Sequence[str],
    specs: Mapping[str, MartSpec],
    settings: PublishSettings,
    inputs: Mapping[str, Sequence[str]],
) -> dict[str, Versions]:
    """Versions of each mart's protected output. Which cells are hidden is a function of the
    grain and person counts of the marts its protection reads (read in a fixed order), the
    settings and the code: vacancy counts, rates and flags only go through `finish`.
    ``inputs``: mart -> the marts its protection reads (`registry.PROTECTION_INPUTS`)."""
    base = (
        f"{code_version()}|{settings.suppression_threshold}|{settings.min_rate_denominator}"
        f"|{AUDIT_MAX_CELLS}"
    )
    columns = {
        n: [c for c in (*specs[n].dimensions, *specs[n].person_counts) if c in mart_columns(dst, n)]
        for n in names
    }
    person = {n: _digest(dst, n, columns[n]) for n in names}
    out: dict[str, Versions] = {}
    for name in names:
        parts = [base, name]
        for dep in sorted(set(inputs.get(name, ())) | {name}):
            parts.append(f"{dep}:{person.get(dep, 'absent')}")
        hidden = hashlib.sha256("|".join(parts).encode()).hexdigest()
        full = hashlib.sha256(f"{hidden}|{_digest(dst, name, None)}".encode()).hexdigest()
        out[name] = Versions(hidden, full)
    return out


def mart_columns(dst: duckdb.DuckDBPyConnection, name: str) -> set[str]:
    return {
        r[0]
        for r in dst.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'wh' "
            "AND schema_name = 'marts' AND table_name = ?",
            [name],
        ).fetchall()
    }


def _attached(dst: duckdb.DuckDBPyConnection, database: str) -> bool:
    rows = dst.execute(
        "SELECT count(*) FROM duckdb_databases() WHERE database_name = ?", [database]
    ).fetchall()
    return bool(rows[0][0])


def previous_versions(dst: duckdb.DuckDBPyConnection) -> dict[str, Versions]:
    """Versions recorded in the previous published file (attached as ``prev`` by publish),
    for the marts it holds."""
    if not _attached(dst, PREVIOUS):
        return {}
    tables = {
        (r[0], r[1])
        for r in dst.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ?",
            [PREVIOUS],
        ).fetchall()
    }
    if ("meta", "mart_version") not in tables:
        return {}
    try:
        rows = dst.execute(
            f"SELECT mart, hidden_version, version FROM {PREVIOUS}.meta.mart_version"
        ).fetchall()
    except duckdb.Error:  # a file from before hidden_version: protect afresh
        return {}
    return {str(m): Versions(str(h), str(v)) for m, h, v in rows if ("marts", m) in tables}


def previous_hidden(
    dst: duckdb.DuckDBPyConnection, frame: pl.DataFrame, name: str, spec: MartSpec
) -> Hidden:
    """The hidden cells of a mart whose hidden_version is unchanged: the previous file's ``c``
    flags of its counts (a count's flag is ``c`` exactly when it was hidden), matched to the
    new rows by the grain."""
    counts = [c for c in (*spec.person_counts, *spec.counts) if c in frame.columns]
    dims = [d for d in spec.dimensions if d in frame.columns]
    confidential = quote_literal(dc.FLAG_CONFIDENTIAL)
    flags = ", ".join(
        f"{quote_ident(dc.flag_column(c))} = {confidential} AS {quote_ident(c)}" for c in counts
    )
    keys = ", ".join(quote_ident(d) for d in dims)
    before = dst.sql(f"SELECT {keys}, {flags} FROM {PREVIOUS}.marts.{name}").pl()
    joined = frame.select("_row", *dims).join(before, on=dims, how="left", nulls_equal=True)
    return {c: set(joined.filter(pl.col(c).fill_null(False))["_row"].to_list()) for c in counts}


def previous_months(dst: duckdb.DuckDBPyConnection, name: str, key: str) -> set[tuple[int, str]]:
    """`labour.months_hidden` read back from the previous file: its flags are the hidden cells."""
    rows = dst.execute(
        f"SELECT month, {key} FROM {PREVIOUS}.marts.{name} "
        f"WHERE {dc.flag_column('jobseeker_count')} = ?",
        [dc.FLAG_CONFIDENTIAL],
    ).fetchall()
    return {(m.year, k) for m, k in rows}


def previous_completed(dst: duckdb.DuckDBPyConnection) -> set[tuple[str, int]]:
    """`marts.completed_hidden` read back from the previous file's participation flags."""
    rows = dst.execute(
        f"SELECT pool_id, period FROM {PREVIOUS}.marts.mart_pool_participation "
        "WHERE period_type = 'year' AND breakdown = 'total' "
        f"AND {dc.flag_column('completed_count')} = ?",
        [dc.FLAG_CONFIDENTIAL],
    ).fetchall()
    return {(str(pool), int(period)) for pool, period in rows}


def copy_previous(dst: duckdb.DuckDBPyConnection, name: str) -> None:
    dst.execute(f"CREATE OR REPLACE TABLE marts.{name} AS SELECT * FROM {PREVIOUS}.marts.{name}")
    copy_comments(dst, "marts", name, source=PREVIOUS)


def write_versions(dst: duckdb.DuckDBPyConnection, versions: Mapping[str, Versions]) -> None:
    frame = pl.DataFrame(
        {
            "mart": list(versions),
            "hidden_version": [v.hidden for v in versions.values()],
            "version": [v.full for v in versions.values()],
        },
        schema={"mart": pl.String, "hidden_version": pl.String, "version": pl.String},
    )
    frame_to_table(dst, "meta.mart_version", frame)
    dst.execute(f"COMMENT ON TABLE meta.mart_version IS {quote_literal(VERSION_DOC)}")
    for column, doc in (
        ("mart", "Protected mart (marts.<mart>)."),
        ("hidden_version", "SHA-256 of what decided its hidden cells."),
        ("version", "SHA-256 of hidden_version and the mart's whole content."),
    ):
        dst.execute(f"COMMENT ON COLUMN meta.mart_version.{column} IS {quote_literal(doc)}")
