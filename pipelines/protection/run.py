"""`Run`: what the protectors of one publish share — the marts read, the hidden cells so far.

Why: a protector decides the hidden cells of its marts, and some read those of others (a
shortage average is hidden when a month of the labour market's stock is); they meet here
instead of in one long function. A protector writes only the marts it declares.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import polars as pl

from pipelines.catalogue import MartSpec
from pipelines.protection.systems import Hidden, Settings, merge


@dataclass
class Run:
    """One `protect_all`. ``frames``: each mart not copied as it is, with ``_row`` (and
    ``_year``); ``hidden``: its hidden rows per column so far. ``fresh``: marts protected
    afresh; ``reused``: marts copied from the previous file (attached as ``prev``), whose
    hidden cells a protector reads back from there; the others (refinished) start with the
    previous file's hidden cells."""

    dst: duckdb.DuckDBPyConnection
    specs: dict[str, MartSpec]
    cfg: Settings
    frames: dict[str, pl.DataFrame]
    hidden: dict[str, Hidden]
    fresh: set[str]
    reused: set[str]

    def fresh_frames(self, names: Iterable[str]) -> dict[str, pl.DataFrame]:
        """The frames of those of ``names`` protected afresh, in that order."""
        return {name: self.frames[name] for name in names if name in self.fresh}

    def merge(self, name: str, found: Hidden) -> None:
        """Add hidden cells of mart ``name``."""
        merge(self.hidden[name], found)
