"""Build published.duckdb: protected aggregates, dimensions and metadata only.

The file is built aside from the (closed) warehouse, checkpointed, closed and swapped in with
`os.replace`: dashboard workers that hold the old file keep reading it, new connections see the
new one, and no reader ever sees a half-written file. Previous builds are kept for rollback.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines.duck import (
    PREVIOUS,
    building_path,
    copy_comments,
    frame_to_table,
    quote_literal,
    swap_in,
    transaction,
)
from pipelines.settings import PublishSettings

PUBLISHED_DIMS: tuple[str, ...] = (
    "dim_pool",
    "dim_pool_function",
    "dim_commune",
    "dim_nace",
    "dim_occupation",
    "dim_code",
    "bridge_pool_nace",
    "bridge_pool_occupation",
)

# source -> (fact table, date column) for the period each source covers
FRESHNESS_FACTS: dict[str, tuple[str, str]] = {
    "enrolments": ("fct_enrolment", "start_date"),
    "placements": ("fct_placement", "start_date"),
    "vacancies": ("fct_vacancy", "received_date"),
    "jobseekers": ("fct_jobseeker_month", "month"),
    "pool_activities": ("fct_pool_activity", "activity_date"),
}

META_DOCS: dict[str, tuple[str, dict[str, str]]] = {
    "freshness": (
        "Freshness per source: the period the loaded data covers and when it was last loaded.",
        {
            "source": "Source (contract) name.",
            "period_from": "First day covered by the source's loaded rows.",
            "period_to": "Last day covered by the source's loaded rows.",
            "last_load_at": "When a file of the source was last loaded (UTC).",
            "file_count": "Files of the source loaded and in force.",
            "row_count": "Rows of the source in the warehouse.",
        },
    ),
    "load_summary": (
        "Per delivered file: its last processing, rows read, loaded and quarantined, and why a "
        "file was refused.",
        {
            "source": "Source (contract) name.",
            "file_name": "File name as delivered.",
            "status": "loaded, replaced or rejected.",
            "reason": "Why the file was refused; NULL otherwise.",
            "rows_read": "Data rows read from the file.",
            "rows_loaded": "Rows loaded.",
            "rows_quarantined": "Rows set aside with a reason.",
            "loaded_at": "When the file was processed (UTC).",
        },
    ),
    "quarantine_summary": (
        "Rows set aside per file and reason at the file's last load (counts only).",
        {
            "source": "Source (contract) name.",
            "file_name": "File name as delivered.",
            "reason_code": "Why the rows were set aside.",
            "row_count": "Number of rows set aside for this reason.",
        },
    ),
    "publication": (
        "When this published file was built and with which protection settings.",
        {
            "published_at": "When this file was built (UTC).",
            "suppression_threshold": "Person counts below this value (and above 0) are suppressed.",
            "min_rate_denominator": "Rates whose denominator is below this value are suppressed.",
        },
    ),
}


# Storage format of published.duckdb: the analysts open it with the DuckDB CLI they install
# (duckdb-cli 1.5.x from PyPI reads storage versions up to 68; duckdb 2.0 writes 69 by
# default). v1.2.0 is read by DuckDB 1.2 and every later 1.x and 2.x (issue 18; README).
PUBLISHED_STORAGE_VERSION = "v1.2.0"

# Writes the protected marts into the new file; the warehouse is attached read-only as `wh`.
MartProtector = Callable[[duckdb.DuckDBPyConnection], list[str]]

RESTRICTED_FILE = "restricted.duckdb"


def restricted_path(published: Path) -> Path:
    """The pool-manager tier's file, beside published.duckdb (`DataPaths.restricted`)."""
    return published.with_name(RESTRICTED_FILE)


def publish(
    warehouse: Path,
    published: Path,
    settings: PublishSettings | None = None,
    protect_marts: MartProtector | None = None,
    protect_restricted: MartProtector | None = None,
) -> Path:
    """Build published.duckdb from `warehouse` aside and swap it in; return the final path.

    `protect_marts(published_con)` writes the protected marts into the new file, reading the
    warehouse attached as `wh`; without it only dimensions and metadata are published.
    `protect_restricted(con)` writes the pool-manager tier into restricted.duckdb beside it,
    built aside the same way, readable by the owner only, and swapped in with it: the analysts'
    file never holds a restricted row. `pipelines.publishing.publish_protected` is this with
    every mart protected.
    """
    settings = settings or PublishSettings()
    published.parent.mkdir(parents=True, exist_ok=True)
    work = building_path(published)
    work.unlink(missing_ok=True)
    tier_work = building_path(restricted_path(published))
    tier_work.unlink(missing_ok=True)
    try:
        if protect_restricted is not None:
            _build_restricted(warehouse, tier_work, protect_restricted)
        dst = duckdb.connect(
            str(work), config={"storage_compatibility_version": PUBLISHED_STORAGE_VERSION}
        )
        try:
            dst.execute(f"ATTACH {quote_literal(str(warehouse))} AS wh (READ_ONLY)")
            for schema in ("core", "meta", "marts", "context"):
                dst.execute(f"CREATE SCHEMA {schema}")
            # One transaction per step, not one per table and comment (~0.4 s less); a failure
            # anywhere discards the file being built, so none of them can be left half done.
            with transaction(dst):
                _copy_dims(dst)
                _write_meta(dst, settings)
            if protect_marts is not None:
                previous = _attach_previous(dst, published)
                protect_marts(dst)
                if previous:
                    dst.execute(f"DETACH {PREVIOUS}")
            with transaction(dst):
                _copy_context(dst)
            dst.execute("DETACH wh")
            dst.execute("CHECKPOINT")
        finally:
            dst.close()
        _keep_previous(published, settings.keep_builds)
        if protect_restricted is not None:
            swap_in(tier_work, restricted_path(published))
        swap_in(work, published)
    except BaseException:
        for built in (work, tier_work):
            built.unlink(missing_ok=True)
            Path(str(built) + ".wal").unlink(missing_ok=True)
        raise
    return published


def _build_restricted(warehouse: Path, work: Path, writer: MartProtector) -> None:
    """The pool-manager tier into its own file `work` (0600: it holds programme-level detail
    that only the managers' pages may open), checkpointed and closed, ready to swap in."""
    con = duckdb.connect(
        str(work), config={"storage_compatibility_version": PUBLISHED_STORAGE_VERSION}
    )
    try:
        os.chmod(work, 0o600)
        con.execute(f"ATTACH {quote_literal(str(warehouse))} AS wh (READ_ONLY)")
        writer(con)
        con.execute("DETACH wh")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _attach_previous(dst: duckdb.DuckDBPyConnection, published: Path) -> bool:
    """Attach the published file being replaced, read-only, as `prev`: protection copies the
    marts whose inputs did not change from it instead of protecting them again. A missing or
    unreadable file only means everything is protected afresh."""
    if not published.exists():
        return False
    try:
        dst.execute(f"ATTACH {quote_literal(str(published))} AS {PREVIOUS} (READ_ONLY)")
    except duckdb.Error:
        return False
    return True


def copy_table(dst: duckdb.DuckDBPyConnection, schema: str, table: str) -> None:
    """Copy a warehouse table (attached as `wh`) into published, with its comments."""
    dst.execute(f"CREATE OR REPLACE TABLE {schema}.{table} AS SELECT * FROM wh.{schema}.{table}")
    copy_comments(dst, schema, table)


def _copy_dims(dst: duckdb.DuckDBPyConnection) -> None:
    for name in PUBLISHED_DIMS:
        copy_table(dst, "core", name)


def _write_meta(dst: duckdb.DuckDBPyConnection, settings: PublishSettings) -> None:
    load_summary = dst.sql(
        """
        SELECT source, file_name, status, reason, rows_read, rows_loaded, rows_quarantined,
               loaded_at
        FROM wh.meta.load_manifest
        QUALIFY row_number() OVER (PARTITION BY source, file_name ORDER BY load_id DESC) = 1
        ORDER BY source, file_name
        """
    ).pl()
    frame_to_table(dst, "meta.load_summary", load_summary)
    quarantine = dst.sql(
        """
        WITH last AS (
            SELECT source, file_name, max(load_id) AS load_id FROM wh.meta.load_manifest
            GROUP BY source, file_name
        )
        SELECT q.source, q.file_name, q.reason_code, q.row_count
        FROM wh.meta.quarantine_summary q JOIN last USING (source, file_name, load_id)
        ORDER BY q.source, q.file_name, q.reason_code
        """
    ).pl()
    frame_to_table(dst, "meta.quarantine_summary", quarantine)
    parts = []
    for source, (table, col) in FRESHNESS_FACTS.items():
        parts.append(
            f"""SELECT '{source}' AS source, min({col})::DATE AS period_from,
                   max({col})::DATE AS period_to, count(*) AS row_count
                FROM wh.core.{table}"""
        )
    freshness = dst.sql(
        f"""
        WITH periods AS ({" UNION ALL ".join(parts)}),
        loads AS (
            SELECT source, max(loaded_at) AS last_load_at,
                   count(DISTINCT file_name) FILTER (WHERE status IN ('loaded', 'replaced'))
                       AS file_count
            FROM wh.meta.load_manifest GROUP BY source
        )
        SELECT p.source, p.period_from, p.period_to, l.last_load_at,
               coalesce(l.file_count, 0) AS file_count, p.row_count
        FROM periods p LEFT JOIN loads l USING (source)
        ORDER BY p.source
        """
    ).pl()
    frame_to_table(dst, "meta.freshness", freshness)
    publication = pl.DataFrame(
        {
            "published_at": [datetime.now(UTC).replace(tzinfo=None)],
            "suppression_threshold": [settings.suppression_threshold],
            "min_rate_denominator": [settings.min_rate_denominator],
        }
    )
    frame_to_table(dst, "meta.publication", publication)
    has_indicator = dst.execute(
        "SELECT count(*) FROM duckdb_tables() "
        "WHERE database_name = 'wh' AND schema_name = 'meta' AND table_name = 'indicator'"
    ).fetchall()
    if has_indicator[0][0]:
        copy_table(dst, "meta", "indicator")
    for table, (text, cols) in META_DOCS.items():
        dst.execute(f"COMMENT ON TABLE meta.{table} IS {quote_literal(text)}")
        for col, doc in cols.items():
            dst.execute(f"COMMENT ON COLUMN meta.{table}.{col} IS {quote_literal(doc)}")


def _copy_context(dst: duckdb.DuckDBPyConnection) -> None:
    """Official statistics are already public aggregates: published as they are, with flags."""
    for (table,) in dst.execute(
        "SELECT table_name FROM duckdb_tables() "
        "WHERE database_name = 'wh' AND schema_name = 'context'"
    ).fetchall():
        copy_table(dst, "context", table)


def previous_builds(published: Path) -> list[Path]:
    """Kept earlier published files, newest first."""
    folder = published.parent / "published-history"
    return sorted(folder.glob("published-*.duckdb"), reverse=True)


def _keep_previous(published: Path, keep: int) -> None:
    if keep <= 0 or not published.exists():
        return
    folder = published.parent / "published-history"
    folder.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    # Copied under a hidden name, then renamed: a crash mid-copy leaves no truncated file that
    # previous_builds would list and rollback would put in place.
    partial = folder / f".published-{stamp}.partial"
    shutil.copyfile(published, partial)
    os.replace(partial, folder / f"published-{stamp}.duckdb")
    for stale in folder.glob(".published-*.partial"):
        if stale != partial:
            stale.unlink(missing_ok=True)
    for old in previous_builds(published)[keep:]:
        old.unlink(missing_ok=True)


def rollback(published: Path, steps_back: int = 1) -> Path:
    """Put a kept earlier build back in place (1 = the build before the current one)."""
    builds = previous_builds(published)
    if len(builds) < steps_back or steps_back < 1:
        raise FileNotFoundError(
            f"no earlier published build number {steps_back}: {len(builds)} kept in "
            f"{published.parent / 'published-history'}"
        )
    chosen = builds[steps_back - 1]
    work = building_path(published)
    shutil.copyfile(chosen, work)
    swap_in(work, published)
    os.utime(published)
    return chosen
