"""Connectors for official statistics files as their publishers shape them.

Eurostat (bulk TSV, SDMX-CSV, Data Browser XLSX, old Data Explorer CSV with its `_Label.csv`) and
opendata.brussels (Actiris job seekers per commune). Every connector returns the same long form
(`OBSERVATION_SCHEMA`) plus rejected rows (`REJECTED_SCHEMA`); `detect_and_read` picks the
connector from the file's content and refuses anything else with `UnrecognisedFile`.
"""

from pipelines.sources.official.common import (
    OBSERVATION_SCHEMA,
    REJECTED_SCHEMA,
    ContextRead,
    UnrecognisedFile,
)
from pipelines.sources.official.dispatch import context_files, detect_and_read, is_sidecar

__all__ = [
    "OBSERVATION_SCHEMA",
    "REJECTED_SCHEMA",
    "ContextRead",
    "UnrecognisedFile",
    "context_files",
    "detect_and_read",
    "is_sidecar",
]
