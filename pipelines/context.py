"""Official statistics into the warehouse's `context` layer.

Files in inbox/context/ (Eurostat bulk TSV, SDMX-CSV, Data Browser XLSX, Data Explorer CSV with
its sidecar, opendata.brussels exports) go through the connector that recognises them. A file no
connector recognises is refused whole with one line; a re-delivered file replaces its own rows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.duck import quote_literal
from pipelines.sources.official import (
    OBSERVATION_SCHEMA,
    ContextRead,
    UnrecognisedFile,
    context_files,
    detect_and_read,
)

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
    """Load every new or changed file of inbox/context/; return one outcome per file."""
    ensure_context_table(con)
    if not folder.is_dir():
        return []
    communes = commune_names(con)
    outcomes = []
    load_id = next_load_id
    for path in context_files(folder):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        prior = con.execute(
            "SELECT file_sha256, status FROM meta.load_manifest WHERE source = ? AND file_name = ? "
            "ORDER BY load_id DESC LIMIT 1",
            [SOURCE, path.name],
        ).fetchall()
        if prior and prior[0][0] == digest:
            outcomes.append(
                ContextOutcome(path.name, "unchanged", message=f"already {prior[0][1]}")
            )
            continue
        now = datetime.now(UTC).replace(tzinfo=None)
        try:
            read = detect_and_read(path, communes)
        except UnrecognisedFile as exc:
            con.execute(
                "INSERT INTO meta.load_manifest VALUES (?, ?, ?, ?, ?, 0, 0, 0, 'rejected', ?, ?)",
                [load_id, run_id, SOURCE, path.name, digest, str(exc), now],
            )
            outcomes.append(ContextOutcome(path.name, "rejected", message=str(exc)))
            load_id += 1
            continue
        reasons = _quarantine(read, quarantine / SOURCE, f"{path.stem}.load{load_id}.csv")
        status = "replaced" if prior else "loaded"
        _record(con, _Delivery(path.name, digest, load_id, run_id, now), read, status, reasons)
        outcomes.append(
            ContextOutcome(
                path.name,
                status,
                rows_read=read.rows_read,
                rows_loaded=read.observations.height,
                rows_quarantined=read.rejected.height,
                reasons=reasons,
            )
        )
        load_id += 1
    return outcomes


def _quarantine(read: ContextRead, folder: Path, name: str) -> dict[str, int]:
    """Write a file's rejected rows to the quarantine folder; rows per reason."""
    if not read.rejected.height:
        return {}
    counts = read.rejected.group_by("reason").len()
    reasons = dict(zip(counts["reason"].to_list(), counts["len"].to_list(), strict=True))
    folder.mkdir(parents=True, exist_ok=True)
    read.rejected.write_csv(folder / name)
    return reasons


@dataclass(frozen=True)
class _Delivery:
    file_name: str
    digest: str
    load_id: int
    run_id: str
    at: datetime


def _record(
    con: duckdb.DuckDBPyConnection,
    delivery: _Delivery,
    read: ContextRead,
    status: str,
    reasons: dict[str, int],
) -> None:
    """Replace the file's observations and record its load, in one transaction."""
    file_name, load_id = delivery.file_name, delivery.load_id
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM context.observation WHERE file_name = ?", [file_name])
        con.register("incoming", read.observations)
        con.execute("INSERT INTO context.observation SELECT *, ?::BIGINT FROM incoming", [load_id])
        con.unregister("incoming")
        con.execute(
            "INSERT INTO meta.load_manifest VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
            [
                load_id,
                delivery.run_id,
                SOURCE,
                file_name,
                delivery.digest,
                read.rows_read,
                read.observations.height,
                read.rejected.height,
                status,
                delivery.at,
            ],
        )
        for reason, count in reasons.items():
            con.execute(
                "INSERT INTO meta.quarantine_summary VALUES (?, ?, ?, ?, ?)",
                [load_id, SOURCE, file_name, reason, count],
            )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
