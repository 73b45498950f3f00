"""Official statistics into the warehouse's `context` layer.

Files in inbox/context/ (Eurostat bulk TSV, SDMX-CSV, Data Browser XLSX, Data Explorer CSV with
its sidecar, opendata.brussels exports) go through the connector that recognises them. A file no
connector recognises, or one that cannot be read or stored, is refused whole with one line and
the other files load; a header-only file is refused as empty; a re-delivered file replaces its
own rows. Quarantined rows are written 0600 in a 0700 folder (pipelines.paths).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.duck import quote_literal, transaction
from pipelines.paths import write_private_csv
from pipelines.sources.official import (
    OBSERVATION_SCHEMA,
    UnrecognisedFile,
    context_files,
    detect_and_read,
)
from pipelines.sources.official.common import ContextRead

SOURCE = "context"

OBSERVATION_DOCS: dict[str, str] = {
    "dataset": "Publisher's dataset code (lfst_r_lfu3rt, tgs00010, une_rt_m, ei_lmjv_q_r2) or "
    "ours for non-Eurostat files (actiris_dei_commune_sex_education).",
    "dimension_key": "All dimensions except time and frequency as name=code, sorted, joined by "
    "';'. With dataset and period it identifies the observation.",
    "geo": "Eurostat geo code (BE, BE10, EU27_2020) or 5-digit NIS code of a Brussels commune.",
    "sex": "T total, M men, F women; NULL when the dataset has no sex dimension.",
    "age": "Eurostat age code (Y_GE15, Y15-24, TOTAL); NULL when absent.",
    "unit": "Eurostat unit code (PC, PC_ACT, THS_PER); PER = persons; implied PC where the file "
    "states none (lfst_r_lfu3rt, ei_lmjv_q_r2).",
    "nace": "NACE Rev. 2 aggregate code (A-S, B-S, M_N ...); NULL when absent.",
    "s_adj": "Seasonal adjustment: NSA unadjusted, SA seasonally adjusted, SCA, CA, TC; NULL "
    "when absent.",
    "education": "Actiris study level: low, medium, high, other (foreign diploma without "
    "equivalence), total.",
    "period": "Period as published, canonical form: 2013, 2023-Q2, 2019-01.",
    "period_start": "First day of the period.",
    "freq": "A annual, S half-year, Q quarter, M month.",
    "value": "Published value; NULL when not available (':').",
    "flag": "Publisher's flags, lower case (b break, u low reliability, p provisional, e "
    "estimated, d definition differs, c confidential; combinations such as bu); NULL when none.",
    "source": "Who publishes it: Eurostat, or Actiris via opendata.brussels. Show it beside "
    "every figure.",
    "last_update": "Publisher's last update as stated by the file or its metadata sidecar; NULL "
    "when not stated.",
    "file_name": "Name of the delivered file.",
    "load_id": "Load that brought the row (meta.load_manifest).",
}
OBSERVATION_TABLE_DOC = (
    "Official statistics (Eurostat; Actiris via opendata.brussels) in long form, one row per "
    "published observation, as the publisher states it; flags kept, never imputed."
)

_DUCK_TYPES = {"String": "VARCHAR", "Date": "DATE", "Float64": "DOUBLE"}


@dataclass
class ContextOutcome:
    file_name: str
    status: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    message: str | None = None


def ensure_context_table(con: duckdb.DuckDBPyConnection) -> None:
    cols = [f'"{n}" {_DUCK_TYPES[str(t).split("(")[0]]}' for n, t in OBSERVATION_SCHEMA.items()]
    cols.append('"load_id" BIGINT')
    con.execute(f"CREATE TABLE IF NOT EXISTS context.observation ({', '.join(cols)})")
    con.execute(f"COMMENT ON TABLE context.observation IS {quote_literal(OBSERVATION_TABLE_DOC)}")
    for col, doc in OBSERVATION_DOCS.items():
        con.execute(f'COMMENT ON COLUMN context.observation."{col}" IS {quote_literal(doc)}')


def commune_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """FR and NL commune names → NIS code, for files that name communes without codes."""
    rows = con.execute("SELECT commune_nis, name_fr, name_nl FROM ref.commune").fetchall()
    names: dict[str, str] = {}
    for nis, fr, nl in rows:
        names[fr] = nis
        names[nl] = nis
    return names


def load_context_files(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    quarantine: Path,
    run_id: str,
    next_load_id: int,
) -> list[ContextOutcome]:
    """Load every new or changed file of inbox/context/; return one outcome per file.

    Each file is refused or loaded on its own: whatever goes wrong with one (a layout no
    connector knows, a field over the csv module's limit, a failed insert) refuses that file
    with one line and the others load, as for the five sources (exit code 2, not 1)."""
    ensure_context_table(con)
    if not folder.is_dir():
        return []
    communes = commune_names(con)
    outcomes = []
    load_id = next_load_id
    for path in context_files(folder):
        outcome = _load_one(con, path, communes, quarantine, run_id, load_id)
        outcomes.append(outcome)
        if outcome.status != "unchanged":
            load_id += 1
    return outcomes


def _refuse(
    con: duckdb.DuckDBPyConnection, run_id: str, load_id: int, name: str, digest: str, why: str
) -> ContextOutcome:
    message = " ".join(why.split())[:300]  # one line, whatever a library put in it
    con.execute(
        "INSERT INTO meta.load_manifest VALUES (?, ?, ?, ?, ?, 0, 0, 0, 'rejected', ?, ?)",
        [load_id, run_id, SOURCE, name, digest, message, datetime.now(UTC).replace(tzinfo=None)],
    )
    return ContextOutcome(name, "rejected", message=message)


def _read(path: Path, communes: dict[str, str]) -> ContextRead:
    """The file through its connector; UnrecognisedFile for any failure, and for a file that
    holds no observation at all (a header only): it is reported empty, not loaded."""
    try:
        read = detect_and_read(path, communes)
    except UnrecognisedFile:
        raise
    except (MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:  # official statistics hold no personal data: the reason is shown
        raise UnrecognisedFile(path.name, f"cannot be read: {exc}") from exc
    if read.rows_read == 0 and read.observations.height == 0 and read.rejected.height == 0:
        raise UnrecognisedFile(path.name, "empty: a header but no data rows")
    return read


def _load_one(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    communes: dict[str, str],
    quarantine: Path,
    run_id: str,
    load_id: int,
) -> ContextOutcome:
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        return _refuse(con, run_id, load_id, path.name, "", f"{path.name}: {exc.strerror}")
    prior = con.execute(
        "SELECT file_sha256, status FROM meta.load_manifest WHERE source = ? AND file_name = ? "
        "ORDER BY load_id DESC LIMIT 1",
        [SOURCE, path.name],
    ).fetchall()
    if prior and prior[0][0] == digest:
        return ContextOutcome(path.name, "unchanged", message=f"already {prior[0][1]}")
    try:
        read = _read(path, communes)
    except UnrecognisedFile as exc:
        return _refuse(con, run_id, load_id, path.name, digest, str(exc))
    reasons: dict[str, int] = {}
    if read.rejected.height:
        counts = read.rejected.group_by("reason").len()
        reasons = dict(zip(counts["reason"].to_list(), counts["len"].to_list(), strict=True))
        write_private_csv(read.rejected, quarantine / SOURCE / f"{path.stem}.load{load_id}.csv")
    status = "replaced" if prior else "loaded"
    try:
        _insert(con, path.name, read, load_id, run_id, digest, status, reasons)
    except duckdb.Error as exc:  # rolled back: this file only is refused
        why = f"{path.name}: cannot be stored ({type(exc).__name__})"
        return _refuse(con, run_id, load_id, path.name, digest, why)
    return ContextOutcome(
        path.name,
        status,
        rows_read=read.rows_read,
        rows_loaded=read.observations.height,
        rows_quarantined=read.rejected.height,
        reasons=reasons,
    )


def _insert(
    con: duckdb.DuckDBPyConnection,
    name: str,
    read: ContextRead,
    load_id: int,
    run_id: str,
    digest: str,
    status: str,
    reasons: dict[str, int],
) -> None:
    """Replace the file's observations and record it, in one transaction."""
    now = datetime.now(UTC).replace(tzinfo=None)
    with transaction(con):
        con.execute("DELETE FROM context.observation WHERE file_name = ?", [name])
        con.register("incoming", read.observations)
        con.execute("INSERT INTO context.observation SELECT *, ?::BIGINT FROM incoming", [load_id])
        con.unregister("incoming")
        con.execute(
            "INSERT INTO meta.load_manifest VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
            [
                load_id,
                run_id,
                SOURCE,
                name,
                digest,
                read.rows_read,
                read.observations.height,
                read.rejected.height,
                status,
                now,
            ],
        )
        for reason, count in reasons.items():
            con.execute(
                "INSERT INTO meta.quarantine_summary VALUES (?, ?, ?, ?, ?)",
                [load_id, SOURCE, name, reason, count],
            )
