"""Which connector reads a file: decided from its content, never from its name alone.

A file dropped in `data/inbox/context/` may be any of the published formats, gzipped or not. The
first bytes and first line say which; a file that none recognises is refused with one line
(`UnrecognisedFile`), so nothing is ever parsed by guess. A Data Explorer `_Label.csv` sidecar is
not data: it is read together with its data file and refused on its own.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Mapping
from pathlib import Path

from pipelines.sources.official import (
    eurostat_explorer_csv,
    eurostat_sdmx_csv,
    eurostat_tsv,
    eurostat_xlsx,
    opendata_brussels,
)
from pipelines.sources.official.common import ContextRead, UnrecognisedFile, decode_text

GZIP_MAGIC = b"\x1f\x8b"
MAX_BYTES = 200 * 1024 * 1024  # a decompressed file larger than this is refused, not read


def is_sidecar(path: Path) -> bool:
    """A Data Explorer metadata file, read with its data file rather than on its own."""
    if not path.name.lower().endswith("_label.csv"):
        return False
    head = path.read_bytes()[:64].decode("iso-8859-1")
    return eurostat_explorer_csv.looks_like_sidecar(head)


def context_files(folder: Path) -> list[Path]:
    """The data files of a folder, sidecars left out, in name order."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and not is_sidecar(p)
    )


def detect_and_read(path: Path, communes: Mapping[str, str]) -> ContextRead:
    """Read one published file with the connector its content calls for.

    `communes` maps Brussels commune names (French and Dutch) to NIS codes; only the
    opendata.brussels connector uses it. Raises `UnrecognisedFile` with a one-line reason.
    """
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnrecognisedFile(name, f"cannot be read ({error.strerror})") from None
    if not data.strip():
        raise UnrecognisedFile(name, "empty file")
    if data[:2] == GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            raise UnrecognisedFile(name, "damaged gzip file") from None
        if len(data) > MAX_BYTES:
            raise UnrecognisedFile(name, "larger than 200 MB once decompressed")
        if eurostat_xlsx.looks_like(data):
            raise UnrecognisedFile(name, "a gzipped workbook is not a published format")
    if eurostat_xlsx.looks_like(data):
        return eurostat_xlsx.read_eurostat_xlsx(data, name)

    text, _ = decode_text(data, name, ("utf-8", "iso-8859-1"))
    if "\x00" in text[:4096]:
        raise UnrecognisedFile(name, "binary content, not a published statistics file")
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if eurostat_tsv.looks_like(first_line):
        return eurostat_tsv.read_eurostat_tsv(text, name)
    if eurostat_sdmx_csv.looks_like(first_line):
        return eurostat_sdmx_csv.read_eurostat_sdmx_csv(text, name)
    if opendata_brussels.looks_like(first_line):
        return opendata_brussels.read_opendata_brussels(data, name, communes)
    if eurostat_explorer_csv.looks_like(first_line):
        sidecar_file = eurostat_explorer_csv.sidecar_path(path)
        sidecar = (
            eurostat_explorer_csv.read_sidecar(sidecar_file.read_bytes(), sidecar_file.name)
            if sidecar_file.exists()
            else None
        )
        return eurostat_explorer_csv.read_eurostat_explorer_csv(data, name, sidecar)
    if eurostat_explorer_csv.looks_like_sidecar(first_line):
        raise UnrecognisedFile(name, "a Data Explorer metadata sidecar, read with its data file")
    shown = first_line[:60].replace("\t", "\\t")
    raise UnrecognisedFile(name, f"unknown layout, not a recognised published file ('{shown}')")
