"""Build staging → core → marts from queries/, with every relation documented.

Each relation is rebuilt whole (`CREATE OR REPLACE TABLE … AS`) inside one transaction per
relation, so a failing query stops the build with the relation named, and the caller (the load)
discards the file being built: the live warehouse is never half-built.

Only what changed is rebuilt. Each relation gets a *signature*: a hash of its SQL file, of the
signatures of the relations it reads, of a fingerprint of each table outside queries/ it reads
(``raw.<source>``, ``ref.*``, ``context.observation``: row count and highest load_id, or a hash
of every row where there is no load_id) and of the as-of month when its SQL uses it.
``meta.build_state`` keeps the signature each relation was last built with, in the same
transaction as the table itself; a relation whose signature is unchanged and whose table exists
is left as it is. Adding a month of vacancies thus rebuilds the vacancy chain only. The same
inputs always give the same signature, so a rerun after a crash rebuilds exactly what the
crashed run had not swapped in.

A relation whose header says ``-- incremental: <key> from <source>`` is, when only `source`
changed and only by appended rows (the rows counted at its last build are all still there, none
with a NULL key), updated in place: the rows of the keys the new rows carry are deleted and
computed again from every `source` row with those keys. A relation incremental from another
relation follows it with the same keys. Adding a month of vacancies to 10 M thus recomputes the
vacancies of that month, not the 10 M (issue 7). Anything else (a file delivered again, a changed
SQL file or dimension) rebuilds the relation whole, as before.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from pipelines.duck import quote_literal
from pipelines.sqlfiles import SqlFile, discover

BUILD_LAYERS: tuple[str, ...] = ("staging", "core", "intermediate", "context", "marts")
# Schemas whose tables a relation may read without them being built from queries/.
LEAF_SCHEMAS: frozenset[str] = frozenset({"raw", "ref", "context", "meta"})
_REFERENCE = re.compile(r"\b([a-z_]+)\.([a-z0-9_]+)\b")

BUILD_STATE_DOC = (
    "Per relation built from queries/: the signature it was last built with (hash of its SQL, "
    "of its upstream relations' signatures and of the fingerprints of the raw, ref and context "
    "tables it reads). A load rebuilds only the relations whose signature changed."
)
BUILD_STATE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("relation", "VARCHAR", "Relation as schema.name."),
    ("signature", "VARCHAR", "SHA-256 signature of the relation's inputs at its last build."),
    ("inputs", "VARCHAR", "The fingerprints the signature was taken over, for operators."),
    ("built_at", "TIMESTAMP", "When the relation was last rebuilt (UTC)."),
)


class BuildError(RuntimeError):
    """A relation failed to build; the message names the file."""


@dataclass(frozen=True)
class BuildPlan:
    """Every relation with its signature, and which of them are to be rebuilt."""

    relations: list[SqlFile]
    signatures: dict[str, str]
    inputs: dict[str, str]
    stale: set[str]
    previous_inputs: dict[str, str]
    previous_signatures: dict[str, str]
    present: set[str]


def comment_statements(rel: SqlFile, existing: set[str]) -> list[str]:
    """COMMENT ON statements for a built relation: its description and each documented column."""
    stmts = [f"COMMENT ON TABLE {rel.qualified} IS {quote_literal(rel.description)}"]
    for col, text in rel.columns.items():
        if col in existing:
            stmts.append(f"COMMENT ON COLUMN {rel.qualified}.{col} IS {quote_literal(text)}")
    return stmts


def references(sql: str) -> set[str]:
    """``schema.table`` names a query mentions outside comments (aliases like ``e.x`` included:
    callers keep only the names they know)."""
    text = re.sub(r"--[^\n]*", "", sql)
    return {f"{s}.{n}" for s, n in _REFERENCE.findall(text)}


def ensure_build_state(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS meta")
    ddl = ", ".join(f"{c} {t}" for c, t, _ in BUILD_STATE_COLUMNS)
    con.execute(f"CREATE TABLE IF NOT EXISTS meta.build_state ({ddl})")
    con.execute(f"COMMENT ON TABLE meta.build_state IS {quote_literal(BUILD_STATE_DOC)}")
    for c, _, doc in BUILD_STATE_COLUMNS:
        con.execute(f"COMMENT ON COLUMN meta.build_state.{c} IS {quote_literal(doc)}")


def existing_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
        "WHERE database_name = current_database()"
    ).fetchall()
    return {r[0] for r in rows}


def leaf_fingerprint(con: duckdb.DuckDBPyConnection, table: str, present: set[str]) -> str:
    """What a table outside queries/ holds, cheaply: rows and highest load_id (a load only
    appends rows with a new, higher load_id, or replaces a file's rows by rows with one), or
    else rows and a sum of row hashes (reference tables, recreated at every load)."""
    if table not in present:
        return "absent"
    schema, name = table.split(".", 1)
    has_load_id = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = ? AND table_name = ? AND column_name = 'load_id'",
        [schema, name],
    ).fetchall()[0][0]
    if has_load_id:
        rows, top = con.execute(f"SELECT count(*), max(load_id) FROM {table}").fetchall()[0]
        return f"{rows}/{top}"
    rows, digest = con.execute(
        f"SELECT count(*), coalesce(sum(hash(t)), 0)::VARCHAR FROM {table} AS t"
    ).fetchall()[0]
    return f"{rows}#{digest}"


def plan_build(
    con: duckdb.DuckDBPyConnection,
    queries_dir: Path,
    *,
    as_of_month: date,
    layers: tuple[str, ...] = BUILD_LAYERS,
) -> BuildPlan:
    """Signatures of every relation of `layers`, and the ones to rebuild."""
    relations = discover(queries_dir, layers)
    known = {r.qualified for r in relations}
    present = existing_tables(con)
    recorded: dict[str, str] = {}
    previous_inputs: dict[str, str] = {}
    if "meta.build_state" in present:
        for relation, signature, text in con.execute(
            "SELECT relation, signature, inputs FROM meta.build_state"
        ).fetchall():
            recorded[relation] = signature
            previous_inputs[relation] = text
    leaves: dict[str, str] = {}
    signatures: dict[str, str] = {}
    inputs: dict[str, str] = {}
    stale: set[str] = set()
    for rel in relations:
        refs = references(rel.sql)
        parts = [f"sql={hashlib.sha256(rel.path.read_bytes()).hexdigest()}"]
        if "as_of_month" in rel.sql:
            parts.append(f"as_of_month={as_of_month.isoformat()}")
        for ref in sorted(refs):
            if ref in known and ref != rel.qualified:
                parts.append(f"{ref}@{signatures[ref][:16]}")
            elif ref.split(".", 1)[0] in LEAF_SCHEMAS and ref not in known:
                if ref not in leaves:
                    leaves[ref] = leaf_fingerprint(con, ref, present)
                parts.append(f"{ref}={leaves[ref]}")
        text = "; ".join(parts)
        signature = hashlib.sha256(f"{rel.qualified}\n{text}".encode()).hexdigest()
        signatures[rel.qualified] = signature
        inputs[rel.qualified] = text
        if recorded.get(rel.qualified) != signature or rel.qualified not in present:
            stale.add(rel.qualified)
    return BuildPlan(relations, signatures, inputs, stale, previous_inputs, recorded, present)


def _input_parts(text: str) -> dict[str, str]:
    """``{input name: its part}`` of a signature's input text (``sql=…; raw.x=12/3; core.y@…``)."""
    parts: dict[str, str] = {}
    for part in text.split("; "):
        name = re.split(r"[=@]", part, maxsplit=1)[0]
        parts[name] = part
    return parts


def delta_keys(
    con: duckdb.DuckDBPyConnection,
    rel: SqlFile,
    plan: BuildPlan,
    updated: dict[str, str],
) -> str | None:
    """The temporary table of keys to recompute for an incremental relation, or None when it
    must be rebuilt whole. `updated` maps the relations already updated in place in this build
    to their key tables."""
    inc = rel.incremental
    previous = plan.previous_inputs.get(rel.qualified)
    if inc is None or previous is None or rel.qualified not in plan.present:
        return None
    before, now = _input_parts(previous), _input_parts(plan.inputs[rel.qualified])
    if before.keys() != now.keys() or inc.source not in now:
        return None
    if any(before[name] != now[name] for name in now if name != inc.source):
        return None  # the SQL, a dimension or the as-of month changed: whole rebuild
    if inc.source in updated:
        # Only if this relation was last built from the source's previous state: the keys
        # updated now are then every change since.
        last = plan.previous_signatures.get(inc.source, "")
        return updated[inc.source] if before[inc.source] == f"{inc.source}@{last[:16]}" else None
    found = re.fullmatch(re.escape(inc.source) + r"=(\d+)/(\d+)", before[inc.source])
    if found is None:  # a relation rebuilt whole, or a table without load_id
        return None
    rows, top = int(found.group(1)), int(found.group(2))
    kept, null_keys = con.execute(
        f"SELECT count(*) FILTER (WHERE load_id <= ?), "
        f"count(*) FILTER (WHERE load_id > ? AND {inc.key} IS NULL) FROM {inc.source}",
        [top, top],
    ).fetchall()[0]
    if kept != rows or null_keys:
        return None  # rows were replaced (a file delivered again) or keys are missing
    table = f"_delta_{rel.layer}_{rel.name}"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS "
        f"SELECT DISTINCT {inc.key} FROM {inc.source} WHERE load_id > ?",
        [top],
    )
    return table


def _update_in_place(con: duckdb.DuckDBPyConnection, rel: SqlFile, keys: str) -> None:
    """Recompute the rows of the keys in `keys`: delete them, then insert them again from the
    source rows with those keys (the SQL runs on that subset, so a window or a group by key sees
    every row of each key it recomputes)."""
    inc = rel.incremental
    assert inc is not None
    subset = f"_subset_{rel.layer}_{rel.name}"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {subset} AS SELECT * FROM {inc.source} "
        f"WHERE {inc.key} IN (SELECT {inc.key} FROM {keys})"
    )
    sql = re.sub(rf"\b{re.escape(inc.source)}\b", subset, rel.sql)
    con.execute(f"DELETE FROM {rel.qualified} WHERE {inc.key} IN (SELECT {inc.key} FROM {keys})")
    con.execute(f"INSERT INTO {rel.qualified} BY NAME SELECT * FROM (\n{sql}\n)")
    con.execute(f"DROP TABLE {subset}")


def _check_incremental(rel: SqlFile) -> None:
    """An incremental header must name an input the SQL reads and a column it outputs."""
    inc = rel.incremental
    if inc is not None and inc.source not in references(rel.sql):
        raise BuildError(f"{rel.path.name}: incremental from {inc.source}, which it does not read")
    if inc is not None and inc.key not in rel.columns:
        raise BuildError(f"{rel.path.name}: incremental key {inc.key} is not an output column")


def build(
    con: duckdb.DuckDBPyConnection,
    queries_dir: Path,
    *,
    as_of_month: date,
    layers: tuple[str, ...] = BUILD_LAYERS,
    progress: Callable[[str], None] | None = None,
    full: bool = False,
) -> list[str]:
    """Run the relations of `layers` whose inputs changed (every one with ``full``), in
    dependency order; return the relations rebuilt."""
    con.execute("SET VARIABLE as_of_month = ?::DATE", [as_of_month])
    ensure_build_state(con)
    for layer in layers:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {layer}")
    plan = plan_build(con, queries_dir, as_of_month=as_of_month, layers=layers)
    built: list[str] = []
    updated: dict[str, str] = {}  # relation updated in place -> its table of keys
    for rel in plan.relations:
        if not full and rel.qualified not in plan.stale:
            continue
        if progress:
            progress(rel.qualified)
        _check_incremental(rel)
        keys = None if full else delta_keys(con, rel, plan, updated)
        con.execute("BEGIN TRANSACTION")
        try:
            if keys is not None:
                _update_in_place(con, rel, keys)
            else:
                con.execute(f"CREATE OR REPLACE TABLE {rel.qualified} AS\n{rel.sql}")
            cols = {
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM duckdb_columns() "
                    "WHERE schema_name = ? AND table_name = ?",
                    [rel.layer, rel.name],
                ).fetchall()
            }
            undocumented = sorted(cols - set(rel.columns))
            if undocumented:
                raise BuildError(
                    f"{rel.path.name}: columns without a '-- column: description' line: "
                    + ", ".join(undocumented)
                )
            for stmt in comment_statements(rel, cols):
                con.execute(stmt)
            con.execute("DELETE FROM meta.build_state WHERE relation = ?", [rel.qualified])
            con.execute(
                "INSERT INTO meta.build_state VALUES (?, ?, ?, ?)",
                [
                    rel.qualified,
                    plan.signatures[rel.qualified],
                    plan.inputs[rel.qualified],
                    datetime.now(UTC).replace(tzinfo=None),
                ],
            )
            con.execute("COMMIT")
        except BuildError:
            con.execute("ROLLBACK")
            raise
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise BuildError(f"{rel.path.relative_to(queries_dir.parent)}: {exc}") from exc
        built.append(rel.qualified)
        if keys is not None:
            updated[rel.qualified] = keys
    for table in dict.fromkeys(updated.values()):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return built
