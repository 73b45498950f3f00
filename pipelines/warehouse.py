"""Tables of the warehouse that the pipeline itself owns: meta and raw.

Their shape follows the source contracts, so adding a field to a contract adds the raw column and
its `COMMENT ON` with no other edit.
"""

from __future__ import annotations

import duckdb

from pipelines.contracts import CONTRACTS, Contract, Field
from pipelines.duck import quote_literal, transaction

_KIND_TYPES = {
    "text": "VARCHAR",
    "code": "VARCHAR",
    "nis": "VARCHAR",
    "nace": "VARCHAR",
    "isco": "VARCHAR",
    "rome": "VARCHAR",
    "insz": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "date": "DATE",
    "month": "DATE",
    "year": "INTEGER",
    "bool": "BOOLEAN",
}

SCHEMAS: dict[str, str] = {
    "meta": "Load bookkeeping and metadata: manifest, quarantine counts, indicator catalogue.",
    "ref": "Public reference data as loaded from data/reference/ (see PROVENANCE.md).",
    "raw": "Rows of the delivered files as loaded: typed, validated, pseudonymised.",
    "staging": "Raw rows with re-deliveries and duplicate keys across files resolved.",
    "core": "Dimensions, bridges and facts.",
    "intermediate": "Relations several marts share, computed once (never published).",
    "marts": "Exact indicators (not protected; published.duckdb holds the protected copies).",
    "context": "Official statistics as published by Eurostat and opendata.brussels.",
}

META_TABLES: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "load_manifest": (
        "One row per file and load: what was read, loaded and quarantined, and why a file was "
        "refused. Loading the same file again adds nothing.",
        [
            ("load_id", "BIGINT", "Identifier of the load of this file; raw rows carry it."),
            ("run_id", "VARCHAR", "Identifier of the `observatory load` run."),
            ("source", "VARCHAR", "Source (contract) the file belongs to."),
            ("file_name", "VARCHAR", "File name as delivered in the inbox."),
            ("file_sha256", "VARCHAR", "SHA-256 of the file's bytes."),
            ("rows_read", "BIGINT", "Data rows read from the file."),
            ("rows_loaded", "BIGINT", "Rows loaded into raw."),
            ("rows_quarantined", "BIGINT", "Rows set aside in data/quarantine/."),
            ("status", "VARCHAR", "loaded, replaced (re-delivery of a file), or rejected."),
            ("reason", "VARCHAR", "Why the file was rejected (one line); NULL otherwise."),
            ("loaded_at", "TIMESTAMP", "When the file was processed (UTC)."),
        ],
    ),
    "quarantine_summary": (
        "Rows set aside per file and reason. The rows themselves stay in data/quarantine/, "
        "outside the warehouse.",
        [
            ("load_id", "BIGINT", "Load of the file (meta.load_manifest)."),
            ("source", "VARCHAR", "Source of the file."),
            ("file_name", "VARCHAR", "File name as delivered."),
            (
                "reason_code",
                "VARCHAR",
                "Why the rows were set aside (e.g. bad_insz, unknown_code).",
            ),
            ("row_count", "BIGINT", "Number of rows set aside for this reason."),
        ],
    ),
}

RAW_EXTRA: list[tuple[str, str, str]] = [
    ("load_id", "BIGINT", "Load that brought the row (meta.load_manifest)."),
    ("source_file", "VARCHAR", "File the row came from."),
    ("row_number", "BIGINT", "Line (CSV) or row (XLSX) of the row in its file."),
]


def column_type(f: Field) -> str:
    if f.personal == "year_only":
        return "INTEGER"
    return _KIND_TYPES[f.kind]


def column_comment(f: Field) -> str:
    if f.personal == "pseudonymise":
        return "Pseudonym of the person: HMAC-SHA256 of the INSZ under the observatory's key."
    if f.personal == "year_only":
        return "Year of birth (the birth date itself is never stored)."
    return f.description


def raw_columns(c: Contract) -> list[tuple[str, str, str]]:
    cols = [(f.warehouse_name, column_type(f), column_comment(f)) for f in c.fields]
    return cols + RAW_EXTRA


def ensure_schemas(con: duckdb.DuckDBPyConnection) -> None:
    """Create the schemas, meta tables and raw tables if missing, with their comments."""
    # DuckDB has no COMMENT ON SCHEMA: schema descriptions live in the data dictionary.
    for schema in SCHEMAS:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for name, (text, cols) in META_TABLES.items():
        _create(con, "meta", name, text, cols)
    for c in CONTRACTS.values():
        text = f"Raw rows of {c.source}: {c.grain}. {c.description}"
        _create(con, "raw", c.source, text, raw_columns(c))


def _create(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    name: str,
    text: str,
    cols: list[tuple[str, str, str]],
) -> None:
    ddl = ", ".join(f'"{c}" {t}' for c, t, _ in cols)
    con.execute(f"CREATE TABLE IF NOT EXISTS {schema}.{name} ({ddl})")
    con.execute(f"COMMENT ON TABLE {schema}.{name} IS {quote_literal(text)}")
    for c, _, doc in cols:
        con.execute(f'COMMENT ON COLUMN {schema}.{name}."{c}" IS {quote_literal(doc)}')


def comment_undocumented(con: duckdb.DuckDBPyConnection, schema: str, text: str) -> None:
    """Give tables of `schema` that have no comment a generic one naming their origin."""
    rows = con.execute(
        "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = ?", [schema]
    ).fetchall()
    for table, comment in rows:
        if not comment:
            con.execute(f"COMMENT ON TABLE {schema}.{table} IS {quote_literal(text)}")
    cols = con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE schema_name = ? AND (comment IS NULL OR comment = '')",
        [schema],
    ).fetchall()
    for table, column in cols:
        doc = f"{column.replace('_', ' ')} ({text.rstrip('.')})"
        con.execute(f'COMMENT ON COLUMN {schema}.{table}."{column}" IS {quote_literal(doc)}')


INDICATOR_DOC = (
    "The indicator catalogue (queries/indicators.toml): each indicator defined once, with its "
    "names and definitions in French, Dutch and English, unit, numerator, denominator, grain, "
    "source, the relation and column that compute it, and its version."
)
INDICATOR_COLUMN_DOCS: dict[str, str] = {
    "indicator_id": "Identifier of the indicator.",
    "name_fr": "Name in French.",
    "name_nl": "Name in Dutch.",
    "name_en": "Name in English.",
    "definition_fr": "Definition in French.",
    "definition_nl": "Definition in Dutch.",
    "definition_en": "Definition in English.",
    "unit": "Unit: persons, count, rate (fraction 0-1), ratio, days, hours.",
    "numerator": "What is counted above the line (rates and ratios).",
    "denominator": "What is counted below the line (rates and ratios).",
    "grain": "The cells the indicator is given for.",
    "source": "Sources the indicator is computed from.",
    "relation": "The mart that computes it.",
    "also_in": "Other marts that carry the same figure.",
    "column_name": "Column of the mart holding the value.",
    "kind": "How disclosure control treats it: person_count, count, rate, median, ratio, flag.",
    "numerator_column": "Column holding the numerator, for rates.",
    "denominator_column": "Column holding the denominator, for rates.",
    "version": "Version of the indicator's definition.",
    "catalogue_version": "Version of the whole catalogue.",
}


def write_indicator_table(con: duckdb.DuckDBPyConnection) -> int:
    """(Re)create meta.indicator from the catalogue, documented like every other table."""
    from pipelines.catalogue import INDICATOR_COLUMNS, catalogue_rows

    rows = catalogue_rows()
    ddl = ", ".join(f'"{c}" {t}' for c, t in INDICATOR_COLUMNS)
    with transaction(con):
        con.execute(f"CREATE OR REPLACE TABLE meta.indicator ({ddl})")
        names = [c for c, _ in INDICATOR_COLUMNS]
        placeholders = ", ".join("?" for _ in names)
        con.executemany(
            f"INSERT INTO meta.indicator VALUES ({placeholders})",
            [[row[c] for c in names] for row in rows],
        )
        con.execute(f"COMMENT ON TABLE meta.indicator IS {quote_literal(INDICATOR_DOC)}")
        for col in names:
            doc = INDICATOR_COLUMN_DOCS.get(col, col.replace("_", " "))
            con.execute(f'COMMENT ON COLUMN meta.indicator."{col}" IS {quote_literal(doc)}')
    return len(rows)
