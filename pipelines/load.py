"""`observatory load`: inbox files → raw → build → publish, all or nothing.

The live warehouse is never written in place. The load copies it aside, works on the copy,
checkpoints and closes it, then `os.replace`s it over the live file; publishing does the same for
published.duckdb. A crash at any point leaves the previous files whole (a stray `.building` file
at worst, removed by the next load), and a rerun finds the same files unchanged and completes.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines.build import build
from pipelines.context import SOURCE as CONTEXT_SOURCE
from pipelines.context import load_context_files
from pipelines.contracts import CONTRACTS, Contract
from pipelines.duck import building_path, swap_in, transaction
from pipelines.paths import DataPaths, private_dir, queries_dir, write_private_csv
from pipelines.pseudonymise import MissingKey, load_key, pseudonymise
from pipelines.readers import FileRejected, RawFrame, read_source_file
from pipelines.reference import load_reference, reference_codes
from pipelines.validation import Validated, validate
from pipelines.warehouse import (
    comment_undocumented,
    ensure_schemas,
    raw_columns,
    write_indicator_table,
)

SUPPORTED_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx")


class LoadBusy(RuntimeError):
    """Another load holds the warehouse."""


@dataclass
class FileOutcome:
    source: str
    file_name: str
    status: str  # loaded | replaced | unchanged | rejected
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    message: str | None = None


@dataclass
class LoadReport:
    run_id: str
    files: list[FileOutcome] = field(default_factory=list)
    relations_built: list[str] = field(default_factory=list)
    published: bool = False

    @property
    def has_rejections(self) -> bool:
        return any(f.status == "rejected" or f.rows_quarantined for f in self.files)

    @property
    def exit_code(self) -> int:
        return 2 if self.has_rejections else 0


Progress = Callable[[str, int, int], None]


@contextlib.contextmanager
def exclusive_lock(paths: DataPaths) -> Iterator[None]:
    """One writer at a time: a second load refuses at once instead of racing the first."""
    paths.warehouse_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(paths.lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LoadBusy(
                f"another load is running on {paths.data_dir} (lock {paths.lock_file}); "
                "try again when it has finished"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def inbox_files(paths: DataPaths) -> list[tuple[Contract, Path]]:
    out: list[tuple[Contract, Path]] = []
    for source, c in CONTRACTS.items():
        folder = paths.source_inbox(source)
        if folder.is_dir():
            out.extend(
                (c, p)
                for p in sorted(folder.iterdir())
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
    return out


def remove_stale_builds(directory: Path) -> None:
    for p in directory.glob(".*.building.duckdb*"):
        p.unlink(missing_ok=True)


def as_of_month(con: duckdb.DuckDBPyConnection, today: date) -> date:
    """The last month the data covers: the latest job-seeker month, or else the last complete
    calendar month. Follow-up windows that end after it are provisional."""
    rows = con.execute("SELECT max(month) FROM raw.jobseekers").fetchall()
    if rows and rows[0][0]:
        return rows[0][0]
    first = today.replace(day=1)
    prev = (
        first.replace(year=first.year - 1, month=12)
        if first.month == 1
        else first.replace(month=first.month - 1)
    )
    return prev


def run_load(
    paths: DataPaths,
    *,
    env: dict[str, str] | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    publish_fn: Callable[[Path, Path], object] | None = None,
) -> LoadReport:
    """Load every new or changed inbox file, rebuild and publish.

    `publish_fn(warehouse, published)` builds published.duckdb from the warehouse (the caller
    passes pipelines.publish.publish with its settings); it is given the new warehouse only after
    that file has been swapped in.
    """
    env = dict(os.environ) if env is None else env
    today = today or datetime.now(UTC).date()
    paths.ensure()
    report = LoadReport(
        run_id=datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    )
    with exclusive_lock(paths):
        remove_stale_builds(paths.warehouse_dir)
        work = building_path(paths.warehouse)
        if paths.warehouse.exists():
            shutil.copyfile(paths.warehouse, work)
        try:
            con = duckdb.connect(str(work))
            try:
                _load_into(con, paths, env, today, progress, report)
                write_indicator_table(con)
                con.execute("CHECKPOINT")
            finally:
                con.close()
            swap_in(work, paths.warehouse)
        except BaseException:
            work.unlink(missing_ok=True)
            Path(str(work) + ".wal").unlink(missing_ok=True)
            raise
        if publish_fn is not None:
            if progress:
                progress("publish", 0, 0)
            publish_fn(paths.warehouse, paths.published)
            report.published = True
    return report


def _load_into(
    con: duckdb.DuckDBPyConnection,
    paths: DataPaths,
    env: dict[str, str],
    today: date,
    progress: Progress | None,
    report: LoadReport,
) -> None:
    """Inside the warehouse being built: reference data, every inbox file (each refused or
    loaded on its own), the official statistics, then the build of what changed."""
    ensure_schemas(con)
    load_reference(con, paths.reference_dir)
    comment_undocumented(con, "ref", "Reference data loaded from data/reference/")
    refs = reference_codes(con)
    files = inbox_files(paths)
    key: bytes | None
    try:
        key = load_key(paths, env)
    except MissingKey as exc:
        key = None
        key_message = str(exc)
    for i, (contract, path) in enumerate(files, start=1):
        if progress:
            progress(f"{contract.source}/{path.name}", i, len(files))
        if contract.person_level and key is None:
            report.files.append(
                FileOutcome(contract.source, path.name, "rejected", message=key_message)
            )
            continue
        report.files.append(_load_file(con, paths, contract, path, refs, key, today, report.run_id))
    if progress:
        progress("official statistics (context)", len(files), len(files))
    for c in load_context_files(
        con, paths.source_inbox(CONTEXT_SOURCE), paths.quarantine, report.run_id, _next_load_id(con)
    ):
        report.files.append(
            FileOutcome(
                CONTEXT_SOURCE,
                c.file_name,
                c.status,
                c.rows_read,
                c.rows_loaded,
                c.rows_quarantined,
                c.reasons,
                c.message,
            )
        )
    month = as_of_month(con, today)
    report.relations_built = build(
        con,
        queries_dir(),
        as_of_month=month,
        progress=(lambda rel: progress(f"build {rel}", 0, 0)) if progress else None,
    )


def _load_file(
    con: duckdb.DuckDBPyConnection,
    paths: DataPaths,
    contract: Contract,
    path: Path,
    refs: object,
    key: bytes | None,
    today: date,
    run_id: str,
) -> FileOutcome:
    source, name = contract.source, path.name
    digest = sha256_of(path)
    priors = con.execute(
        "SELECT file_sha256, status, reason FROM meta.load_manifest "
        "WHERE source = ? AND file_name = ? ORDER BY load_id DESC LIMIT 1",
        [source, name],
    ).fetchall()
    prior = priors[0] if priors else None
    if prior and prior[0] == digest:
        msg = f"already processed ({prior[1]})" + (f": {prior[2]}" if prior[2] else "")
        return FileOutcome(source, name, "unchanged", message=msg)
    twins = con.execute(
        "SELECT file_name FROM meta.load_manifest WHERE source = ? AND file_sha256 = ? "
        "AND status IN ('loaded', 'replaced') AND file_name <> ? LIMIT 1",
        [source, digest, name],
    ).fetchall()
    if twins:
        return FileOutcome(
            source, name, "unchanged", message=f"same content as {twins[0][0]}, already loaded"
        )
    load_id = _next_load_id(con)
    now = datetime.now(UTC).replace(tzinfo=None)
    try:
        raw, checked = _read_checked(path, contract, refs, today)
    except FileRejected as exc:
        message = str(exc)
        con.execute(
            "INSERT INTO meta.load_manifest VALUES (?, ?, ?, ?, ?, ?, 0, 0, 'rejected', ?, ?)",
            [load_id, run_id, source, name, digest, 0, message, now],
        )
        return FileOutcome(source, name, "rejected", message=message)
    good = checked.good
    if contract.person_level:
        assert key is not None
        good = pseudonymise(good, contract, key)
    cols = [c for c, _, _ in raw_columns(contract)]
    good = good.with_columns(
        pl.lit(load_id, pl.Int64).alias("load_id"),
        pl.lit(name).alias("source_file"),
        pl.col("_row_number").cast(pl.Int64).alias("row_number"),
    ).select(cols)
    bad = checked.bad
    reasons: dict[str, int] = {}
    if bad.height:
        counts = bad.group_by("reason_code").len().sort("reason_code")
        reasons = dict(zip(counts["reason_code"].to_list(), counts["len"].to_list(), strict=True))
        _write_quarantine(paths, source, name, load_id, bad)
    replaced = prior is not None
    status = "replaced" if replaced else "loaded"
    _store_rows(
        con,
        source,
        name,
        good,
        [load_id, run_id, source, name, digest],
        raw,
        bad,
        status,
        now,
        reasons,
    )
    return FileOutcome(
        source,
        name,
        "replaced" if replaced else "loaded",
        rows_read=raw.rows_read,
        rows_loaded=good.height,
        rows_quarantined=bad.height,
        reasons=reasons,
    )


def _store_rows(
    con: duckdb.DuckDBPyConnection,
    source: str,
    name: str,
    good: pl.DataFrame,
    ids: list[object],
    raw: RawFrame,
    bad: pl.DataFrame,
    status: str,
    now: datetime,
    reasons: dict[str, int],
) -> None:
    """Replace the file's rows in raw.<source> and record the load, in one transaction
    (`ids`: load id, run id, source, file name, digest)."""
    load_id = ids[0]
    with transaction(con):
        con.execute(f"DELETE FROM raw.{source} WHERE source_file = ?", [name])
        con.register("incoming", good)
        con.execute(f"INSERT INTO raw.{source} SELECT * FROM incoming")
        con.unregister("incoming")
        con.execute(
            "INSERT INTO meta.load_manifest VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
            [*ids, raw.rows_read, good.height, bad.height, status, now],
        )
        for reason, count in reasons.items():
            con.execute(
                "INSERT INTO meta.quarantine_summary VALUES (?, ?, ?, ?, ?)",
                [load_id, source, name, reason, count],
            )


def _read_checked(
    path: Path, contract: Contract, refs: object, today: date
) -> tuple[RawFrame, Validated]:
    """The file read and validated; FileRejected for a refused file, including a reader's
    unforeseen failure, which refuses this file only (with the error's type, never its text:
    it may quote a row, a name or an INSZ)."""
    try:
        raw = read_source_file(path, contract)
        checked = validate(raw.frame, contract, refs, today, file_name=path.name)  # type: ignore[arg-type]
    except (FileRejected, MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:
        raise FileRejected(
            "unreadable", f"{path.name}: cannot be read ({type(exc).__name__})"
        ) from exc
    return raw, checked


def _next_load_id(con: duckdb.DuckDBPyConnection) -> int:
    rows = con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM meta.load_manifest").fetchall()
    return int(rows[0][0])


def _write_quarantine(
    paths: DataPaths, source: str, file_name: str, load_id: int, bad: pl.DataFrame
) -> Path:
    """Bad rows with their raw content and reason, outside the warehouse."""
    private_dir(paths.quarantine)
    target = paths.quarantine / source / f"{Path(file_name).stem}.load{load_id}.csv"
    return write_private_csv(bad, target)
