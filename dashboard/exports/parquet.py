"""Parquet + Frictionless datapackage.json: the published tables for analysts (R, pandas,
Spark).

Why here and not in pipelines/: the design puts this export with the pipeline, but the CLI and
the download button reach it through `dashboard.exports`, and dashboard/ may not import
pipelines/. It reads the published file through `dashboard.data` like every other export, so an
analyst gets the same protected cells and flags as the dashboard.

What is written into the `out` folder:
- `marts/<table>.parquet` for every published mart, `core/<table>.parquet` for the dimensions
  and bridges, `meta/<table>.parquet` for the catalogue, freshness and load metadata
  (never the `restricted` schema);
- `datapackage.json` (profile tabular-data-package): one resource per file with its path,
  format, description (the table's COMMENT ON) and a Table Schema whose fields carry name, type
  and description (each column's COMMENT ON), flag columns constrained to the Eurostat codes.
With a pool and/or a period, the marts keep the same rows as the other exports of that
selection (see `selection`); dimensions and metadata are always whole.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from dashboard import data
from dashboard.catalogue import Indicator, catalogue
from dashboard.exports.selection import Selection
from dashboard.exports.text import x
from dashboard.i18n import t

FLAG_CODES: Final = ["c", "p", "b", "e", ":"]
LICENSE: Final = {
    "name": "other-at",
    "title": "Reuse with attribution: cite the observatory as in the citation field",
}
CLASSIFICATION_SOURCES: Final = [
    {
        "title": "Statbel — NACE-BEL 2008, REFNIS, commune boundaries",
        "path": "https://statbel.fgov.be",
    },
    {"title": "European Commission — ESCO / ISCO-08", "path": "https://esco.ec.europa.eu"},
    {
        "title": "France Travail — ROME (Licence Ouverte 2.0)",
        "path": "https://www.francetravail.org",
    },
]


def field_type(duckdb_type: str) -> str:
    """Table Schema type of a DuckDB column type."""
    kind = duckdb_type.upper()
    if kind.startswith("DECIMAL"):
        scale = re.search(r",\s*(\d+)\)", kind)
        return "integer" if scale and scale.group(1) == "0" else "number"
    if kind in (
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "HUGEINT",
        "UTINYINT",
        "USMALLINT",
        "UINTEGER",
        "UBIGINT",
    ):
        return "integer"
    if kind in ("DOUBLE", "FLOAT", "REAL"):
        return "number"
    if kind == "BOOLEAN":
        return "boolean"
    if kind == "DATE":
        return "date"
    if kind.startswith("TIMESTAMP"):
        return "datetime"
    if kind in ("VARCHAR", "TEXT") or kind.startswith("VARCHAR"):
        return "string"
    return "any"


def nullable_metadata(arrow: pa.Table) -> pa.Table:
    """The table with pandas metadata naming nullable dtypes (Int64, boolean): pandas —
    and frictionless, which reads Parquet through pandas — then gets a missing value
    (`pd.NA`) for a suppressed count, not a NaN float that fails the `integer` type. The
    data is untouched; readers that ignore the metadata (polars, DuckDB, R arrow) see int64
    and bool columns with nulls."""
    empty = arrow.slice(0, 0).to_pandas(types_mapper=_NULLABLE.get)
    meta = pa.Table.from_pandas(empty, schema=arrow.schema, preserve_index=False).schema.metadata
    return arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), **(meta or {})})


_NULLABLE: Final[dict[pa.DataType, Any]] = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}


FILE_FORMATS: Final[dict[str, dict[str, str]]] = {
    "parquet": {
        "format": "parquet",
        "mediatype": "application/vnd.apache.parquet",
        "encoding": "binary",
    },
    "csv": {"format": "csv", "mediatype": "text/csv", "encoding": "utf-8"},
}
# What the pipeline's table comment says of the warehouse mart; the published copy is protected.
_WAREHOUSE_NOTE: Final = re.compile(r"[;,]?\s*exact, before disclosure control\.?\s*$")


def _write_table(arrow: pa.Table, target: Path, file_format: str) -> None:
    """One table as Parquet (zstd) or as CSV (RFC 4180, empty = missing, true/false, ISO
    dates): the CSV variant of the package validates against the same schema."""
    if file_format == "parquet":
        pq.write_table(nullable_metadata(arrow), target, compression="zstd")
        return
    pa_csv.write_csv(arrow, target, pa_csv.WriteOptions(quoting_style="needed"))


def _description(schema: str, comment: object, sel: Selection) -> str:
    """A table's description; a mart says that its values are the protected ones, with flags
    (the pipeline's comment describes the warehouse mart, before disclosure control)."""
    text = "" if comment is None or comment != comment else str(comment)
    if schema != "marts":
        return text
    text = _WAREHOUSE_NOTE.sub("", text).rstrip(" ;,.")
    return (
        f"{text}. Published values, protected by statistical disclosure control: "
        f"{t('protection_rule', 'en', n=sel.threshold, d=sel.min_denominator)} "
        "A suppressed or unavailable value is missing (empty); each value's flag is in the "
        "column `<name>_flag` (c = confidential, p = provisional, b = break in series, "
        "e = estimated, : = not available). Licence: see `licenses`."
    )


def _field(
    column: dict[str, Any],
    schema: str,
    table: str,
    cat: dict[tuple[str, str], Indicator],
    lang: str,
) -> dict[str, Any]:
    """A Table Schema field: type from the published type (whole numbers → integer), the
    column's comment, and for a catalogued measure its name and definition."""
    name = str(column["column_name"])
    spec: dict[str, Any] = {"name": name, "type": field_type(str(column["data_type"]))}
    parts = [str(column["comment"])] if column.get("comment") else []
    ind = cat.get((table, name)) if schema == "marts" else None
    if ind is not None:
        spec["title"] = ind.name("en")
        parts.append(f"Definition: {ind.definition('en')}" if ind.definition("en") else "")
        if ind.source:
            parts.append(f"Source: {ind.source}.")
    if parts:
        spec["description"] = " ".join(p for p in parts if p)
    if name.endswith("_flag") and schema == "marts":
        spec["constraints"] = {"enum": FLAG_CODES}
    return spec


def _filters(
    sel: Selection, schema: str, columns: set[str]
) -> tuple[dict[str, object], tuple[date, date] | None]:
    if schema != "marts":
        return {}, None
    where: dict[str, object] = {}
    if sel.pool is not None:
        if "pool_id" in columns:
            where["pool_id"] = sel.pool.pool_id
        elif "occupation_isco" in columns:
            codes = [
                str(c) for c in data.occupations(sel.path, sel.pool.pool_id)["occupation_code"]
            ]
            where["occupation_isco"] = codes or ["-"]
    return where, (sel.month_from, sel.month_to)


def _resource_name(schema: str, table: str) -> str:
    return f"{schema}.{table}".lower()


def write(sel: Selection, out: Path, file_format: str = "parquet") -> Path:
    """Write the tables (Parquet, or CSV for `file_format="csv"`) and datapackage.json into
    the folder `out`; returns `out`."""
    out.mkdir(parents=True, exist_ok=True)
    path = sel.path
    resources: list[dict[str, Any]] = []
    with data.session(path):
        cat = catalogue(path)
        tables = data.published_tables(path)
        for row in tables.to_dict("records"):
            schema, table = str(row["schema_name"]), str(row["table_name"])
            cols = data.table_columns(path, schema, table)
            names = {str(c) for c in cols["column_name"]}
            where, months = _filters(sel, schema, names)
            arrow = data.table_arrow(path, schema, table, where, months)
            relative = Path(schema) / f"{table}.{file_format}"
            (out / schema).mkdir(exist_ok=True)
            _write_table(arrow, out / relative, file_format)
            fields = [_field(c, schema, table, cat, sel.lang) for c in cols.to_dict("records")]
            resource: dict[str, Any] = {
                "name": _resource_name(schema, table),
                "path": relative.as_posix(),
                "profile": "tabular-data-resource",
                **FILE_FORMATS[file_format],
                "rows": arrow.num_rows,
                "schema": {"fields": fields, "missingValues": [""]},
                "licenses": [LICENSE],
            }
            described = _description(schema, row.get("comment"), sel)
            if described:
                resource["description"] = described
            resources.append(resource)
        sources = _sources(sel)
    package = {
        "profile": "tabular-data-package",
        "name": f"brussels-pools-observatory-{sel.pool_id}".lower().replace("_", "-"),
        "title": f"{t('app_title', sel.lang)} — {sel.title()}",
        "description": " ".join(
            [
                sel.period_text() + ".",
                x("about_periods", sel.lang),
                sel.protection_text(),
                "Flags: "
                + "; ".join(
                    f"{c} = {t(k, 'en')}"
                    for c, k in zip(
                        FLAG_CODES, ("flag_c", "flag_p", "flag_b", "flag_e", "flag_na"), strict=True
                    )
                )
                + ".",
            ]
        ),
        "version": str(sel.published_text()),
        "created": datetime.now().replace(microsecond=0).isoformat(),
        "keywords": ["Brussels", "training", "employment", "labour market", "pools"],
        "licenses": [LICENSE],
        "sources": sources,
        "citation": sel.citation(),
        "observatory": {
            "pool": sel.pool_id,
            "period_from": f"{sel.month_from:%Y-%m}",
            "period_to": f"{sel.month_to:%Y-%m}",
            "published_at": sel.published_text(),
            "suppression_threshold": sel.threshold,
            "min_rate_denominator": sel.min_denominator,
            "language": sel.lang,
        },
        "resources": resources,
    }
    (out / "datapackage.json").write_text(
        json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return out


def _sources(sel: Selection) -> list[dict[str, str]]:
    seen: dict[str, dict[str, str]] = {}
    indicators = data.indicators(sel.path)
    if "source" in indicators:
        for value in indicators["source"].dropna():
            for part in re.split(r"[;,]", str(value)):
                title = part.strip()
                if title and title not in seen:
                    seen[title] = {"title": title}
    for line, row in zip(sel.source_lines(), sel.freshness.to_dict("records"), strict=True):
        title = f"{row.get('source')}"
        seen.setdefault(title, {"title": title})
        seen[title]["description"] = line
    return list(seen.values()) + CLASSIFICATION_SOURCES


def render_zip(sel: Selection, scratch: Path, file_format: str = "parquet") -> bytes:
    """The folder as one zip (the download button); `scratch` is an empty temporary folder."""
    folder = write(sel, scratch / sel.file_stem(), file_format)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                zf.write(file, (Path(sel.file_stem()) / file.relative_to(folder)).as_posix())
    return buffer.getvalue()
