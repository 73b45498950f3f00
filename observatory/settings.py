"""Settings of the `observatory` command, from the environment and the command line.

The face is the only place that reads the environment: below it, pipelines and dashboard receive
paths and values, which keeps them testable and free of hidden state.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pipelines.paths import DataPaths
from pipelines.settings import PublishSettings

DATA_DIR_ENV = "OBSERVATORY_DATA_DIR"
KEY_ENV = "OBSERVATORY_PSEUDONYM_KEY"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050


@dataclass(frozen=True)
class Settings:
    paths: DataPaths
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    workers: int = 2
    suppression_threshold: int = 10
    min_rate_denominator: int = 20
    keep_published_builds: int = 3
    sql_timeout: float = 60.0
    sql_max_rows: int = 1000

    @property
    def publishing(self) -> PublishSettings:
        """What publishing needs of these settings (pipelines.publishing.publish_protected)."""
        return PublishSettings(
            suppression_threshold=self.suppression_threshold,
            min_rate_denominator=self.min_rate_denominator,
            keep_builds=self.keep_published_builds,
        )


def data_dir_from(cli_value: str | None) -> Path:
    """--data-dir wins, then OBSERVATORY_DATA_DIR, then ./data."""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get(DATA_DIR_ENV)
    return Path(env) if env else Path("data")


def load_settings(data_dir: str | None = None) -> Settings:
    threshold = int(os.environ.get("OBSERVATORY_SUPPRESSION_THRESHOLD", "10"))
    min_den = int(os.environ.get("OBSERVATORY_MIN_RATE_DENOMINATOR", "20"))
    keep = int(os.environ.get("OBSERVATORY_KEEP_PUBLISHED", "3"))
    return Settings(
        paths=DataPaths.under(data_dir_from(data_dir)),
        suppression_threshold=threshold,
        min_rate_denominator=min_den,
        keep_published_builds=keep,
        sql_timeout=float(os.environ.get("OBSERVATORY_SQL_TIMEOUT_SECONDS", "60")),
        sql_max_rows=int(os.environ.get("OBSERVATORY_SQL_MAX_ROWS", "1000")),
    )
