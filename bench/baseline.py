"""The yardstick of the load: a bare DuckDB read of the same inbox files with explicit types.

Each CSV becomes `CREATE TABLE AS SELECT * FROM read_csv(...)` with its separator, encoding,
date format and decimal separator given and every column typed from the contract (codes stay
VARCHAR so leading zeros survive). DuckDB has no Windows-1252 decoder built in, so the Belgian
files are read as latin-1 (same byte per character; only 0x80-0x9F differ, same cost). Rows that
do not parse (the demo's deliberate bad dates) are skipped with `ignore_errors`: the yardstick
reads, it does not validate. Workbooks go through polars + fastexcel into DuckDB, as the issue
allows. The context files (a few KB of official statistics) are not part of the yardstick.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb
import polars as pl

from pipelines.contracts import CONTRACTS, Contract, normalise_header

DUCKDB_TYPE = {
    "int": "BIGINT",
    "float": "DOUBLE",
    "date": "DATE",
    "month": "DATE",
    "year": "INTEGER",
}
DATE_PATTERNS = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d"),
    (re.compile(r"^\d{2}/\d{2}/\d{4}$"), "%d/%m/%Y"),
    (re.compile(r"^\d{2}-\d{2}-\d{4}$"), "%d-%m-%Y"),
    (re.compile(r"^\d{4}-\d{2}$"), "%Y-%m"),
    (re.compile(r"^\d{2}/\d{4}$"), "%m/%Y"),
)


def _lookup(contract: Contract) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in contract.fields:
        for header in (f.name, *f.aliases):
            out.setdefault(normalise_header(header), f.kind)
    return out


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def csv_statement(path: Path, contract: Contract, table: str) -> str:
    """The typed read_csv for one delivered CSV, options taken from its first lines."""
    head = path.read_bytes()[:65536]
    try:
        text = head.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text = head.decode("cp1252", errors="replace")
        encoding = "latin-1"
    lines = text.lstrip("\ufeff").splitlines()
    header, first = lines[0], lines[1] if len(lines) > 1 else ""
    sep = ";" if header.count(";") > header.count(",") else ","
    kinds = _lookup(contract)
    names = header.split(sep)
    values = first.split(sep)
    columns: list[str] = []
    date_format = None
    for i, name in enumerate(names):
        kind = kinds.get(normalise_header(name), "text")
        sql_type = DUCKDB_TYPE.get(kind, "VARCHAR")
        if sql_type == "DATE" and date_format is None and i < len(values):
            date_format = next((f for p, f in DATE_PATTERNS if p.match(values[i])), None)
        columns.append(f"{_sql_text(name.strip())}: '{sql_type}'")
    options = [
        f"delim={_sql_text(sep)}",
        "header=true",
        f"encoding={_sql_text(encoding)}",
        "columns={" + ", ".join(columns) + "}",
        "ignore_errors=true",
        "auto_detect=false",
        "quote='\"'",
    ]
    if date_format:
        options.append(f"dateformat={_sql_text(date_format)}")
    if sep == ";":
        options.append("decimal_separator=','")
    source = _sql_text(str(path))
    return f"CREATE TABLE {table} AS SELECT * FROM read_csv({source}, {', '.join(options)})"


def run_baseline(inbox: Path, database: Path) -> dict[str, object]:
    """Read every contract file of the inbox into a fresh DuckDB file; seconds and rows."""
    database.unlink(missing_ok=True)
    started = time.perf_counter()
    rows = 0
    files = 0
    con = duckdb.connect(str(database))
    try:
        for source, contract in CONTRACTS.items():
            folder = inbox / source
            if not folder.is_dir():
                continue
            for i, path in enumerate(sorted(folder.iterdir())):
                table = f"{source}_{i}"
                if path.suffix.lower() == ".xlsx":
                    frame = pl.read_excel(path, engine="calamine")
                    con.register("sheet", frame)
                    con.execute(f"CREATE TABLE {table} AS SELECT * FROM sheet")
                    con.unregister("sheet")
                elif path.suffix.lower() in (".csv", ".txt", ".tsv"):
                    con.execute(csv_statement(path, contract, table))
                else:
                    continue
                files += 1
                rows += int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    seconds = time.perf_counter() - started
    size = database.stat().st_size
    database.unlink(missing_ok=True)
    return {"seconds": round(seconds, 2), "files": files, "rows": rows, "db_bytes": size}
