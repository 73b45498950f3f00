"""Settings of a publish that protection and publishing both read.

Why a module of its own: protection runs before publishing and must not import it; the
`observatory` CLI fills these from its settings (environment) and passes them down.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PublishSettings:
    """Person counts from 1 to ``suppression_threshold - 1`` are hidden; rates whose
    denominator is under ``min_rate_denominator`` too; ``keep_builds`` earlier published files
    are kept for rollback."""

    suppression_threshold: int = 10
    min_rate_denominator: int = 20
    keep_builds: int = 3
