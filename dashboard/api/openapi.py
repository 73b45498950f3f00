"""The OpenAPI 3.1 document of the API, served at `/api/v1/openapi.json`.

Why built from the published file: the marts and their columns are those of the build being
served (the same allowlist the routes check), each column typed as the API writes it, so a
client generated from this document reads every answer without a guess.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from dashboard import data
from dashboard.api import bodies
from dashboard.api.params import FORMATS, MAX_PAGE_SIZE, PAGE_SIZE, PUBLIC_MARTS

SDMX_TYPE: Final = "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8"
CSV_TYPE: Final = "text/csv; charset=utf-8; header=present"
JSON_SCHEMA: Final[dict[str, dict[str, Any]]] = {
    "integer": {"type": ["integer", "null"]},
    "number": {"type": ["number", "null"]},
    "boolean": {"type": ["boolean", "null"]},
    "date": {"type": ["string", "null"], "format": "date"},
    "string": {"type": ["string", "null"]},
}


def _param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _mart_schema(path: Path, mart: str) -> dict[str, Any]:
    described = data.table_columns(path, "marts", mart)
    kinds = bodies.kinds(path, mart)
    properties: dict[str, Any] = {}
    for name, comment in zip(described["column_name"], described["comment"], strict=True):
        spec: dict[str, Any] = dict(JSON_SCHEMA[kinds[str(name)]])
        if name.endswith("_flag"):
            spec["enum"] = ["c", "p", "b", "e", ":", None]
        if comment:
            spec["description"] = str(comment)
        properties[str(name)] = spec
    return {"type": "object", "properties": properties}


def _responses(schema_ref: str, with_pages: bool) -> dict[str, Any]:
    page: dict[str, Any] = {
        "type": "object",
        "properties": {"data": {"type": "array", "items": {"$ref": schema_ref}}},
    }
    if with_pages:
        page["properties"].update(
            {
                "mart": {"type": "string"},
                "published_at": {"type": ["string", "null"]},
                "page": {"type": "integer"},
                "page_size": {"type": "integer"},
                "total": {"type": "integer"},
                "next": {"type": ["string", "null"]},
            }
        )
    content = {"application/json": {"schema": page}, CSV_TYPE: {"schema": {"type": "string"}}}
    if with_pages:
        content[SDMX_TYPE] = {"schema": {"type": "string"}}
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    return {
        "200": {"description": "The rows, as published (protected, with flags).", **_c(content)},
        "304": {"description": "Not modified since the ETag sent in If-None-Match."},
        "400": {"description": "A parameter is not allowed.", **_c(error)},
        "404": {"description": "Unknown mart.", **_c(error)},
        "429": {"description": "Too many requests: retry after Retry-After seconds."},
        "503": {"description": "The published file is being replaced.", **_c(error)},
    }


def _c(content: dict[str, Any]) -> dict[str, Any]:
    return {"content": content}


def _data_path(marts: list[str]) -> dict[str, Any]:
    return {
        "get": {
            "operationId": "getMart",
            "summary": "One page of a published mart, filtered by pool and months",
            "parameters": [
                {
                    "name": "mart",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "enum": marts},
                },
                _param("pool", "A pool id, or _T for the totals of all pools", {"type": "string"}),
                _param("from", "First month, YYYY-MM", {"type": "string", "pattern": _MONTH}),
                _param("to", "Last month, YYYY-MM", {"type": "string", "pattern": _MONTH}),
                _param("format", "Body format", {"type": "string", "enum": list(FORMATS)}),
                _param("page", "Page number", {"type": "integer", "minimum": 1, "default": 1}),
                _param(
                    "page_size",
                    "Rows per page",
                    {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": MAX_PAGE_SIZE,
                        "default": PAGE_SIZE,
                    },
                ),
            ],
            "responses": _responses("#/components/schemas/Row", with_pages=True),
        }
    }


_MONTH: Final = r"^\d{4}-\d{2}$"


def document(path: Path) -> dict[str, Any]:
    """The OpenAPI document for the published file at `path`."""
    published = set(data.published_tables(path)["table_name"])
    marts = [m for m in PUBLIC_MARTS if m in published]
    schemas: dict[str, Any] = {m: _mart_schema(path, m) for m in marts}
    schemas["Row"] = {"oneOf": [{"$ref": f"#/components/schemas/{m}"} for m in marts]}
    schemas["Indicator"] = {"type": "object", "additionalProperties": {"type": ["string", "null"]}}
    schemas["Error"] = {"type": "object", "properties": {"error": {"type": "string"}}}
    publication = data.publication(path)
    indicators = {
        "get": {
            "operationId": "getIndicators",
            "summary": "The indicator catalogue: names, definitions, units, sources",
            "parameters": [
                _param("format", "Body format", {"type": "string", "enum": ["json", "csv"]})
            ],
            "responses": _responses("#/components/schemas/Indicator", with_pages=False),
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Brussels training and employment pools observatory — open data API",
            "version": f"1 (published {publication.get('published_at') or 'unknown'})",
            "description": (
                "Read-only access to the published (protected) marts and the indicator "
                "catalogue. Values are protected by statistical disclosure control: a "
                "suppressed value is null (empty in CSV) and its flag column says why "
                "(c confidential, p provisional, b break, e estimated, : not available). "
                "Responses carry an ETag keyed to the published build; requests are "
                "rate-limited per client (429 with Retry-After)."
            ),
            "license": {"name": "Reuse with attribution (cite the observatory)"},
        },
        "paths": {"/api/v1/indicators": indicators, "/api/v1/data/{mart}": _data_path(marts)},
        "components": {"schemas": schemas},
    }
