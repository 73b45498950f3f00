"""Where the pipeline reads and writes, derived from one data directory.

The face (observatory/settings.py) decides the data directory; everything below receives a
`DataPaths` and never reads the environment itself, so tests can point it at a temporary folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DataPaths:
    data_dir: Path
    reference_dir: Path

    @classmethod
    def under(cls, data_dir: Path | str, reference_dir: Path | str | None = None) -> DataPaths:
        root = Path(data_dir)
        ref = Path(reference_dir) if reference_dir else default_reference_dir()
        return cls(data_dir=root, reference_dir=ref)

    @property
    def inbox(self) -> Path:
        return self.data_dir / "inbox"

    @property
    def warehouse_dir(self) -> Path:
        return self.data_dir / "warehouse"

    @property
    def warehouse(self) -> Path:
        return self.warehouse_dir / "observatory.duckdb"

    @property
    def published(self) -> Path:
        return self.warehouse_dir / "published.duckdb"

    @property
    def restricted(self) -> Path:
        """The pool-manager tier (programme detail), opened only by the managers' pages."""
        return self.warehouse_dir / "restricted.duckdb"

    @property
    def quarantine(self) -> Path:
        return self.data_dir / "quarantine"

    @property
    def secrets(self) -> Path:
        return self.data_dir / "secrets"

    @property
    def key_file(self) -> Path:
        return self.secrets / "pseudonym.key"

    @property
    def lock_file(self) -> Path:
        return self.warehouse_dir / ".load.lock"

    def source_inbox(self, source: str) -> Path:
        return self.inbox / source

    def ensure(self) -> None:
        for d in (self.inbox, self.warehouse_dir, self.quarantine):
            d.mkdir(parents=True, exist_ok=True)


def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


def default_reference_dir() -> Path:
    """data/reference/ of the repository: committed public reference data."""
    return repo_root() / "data" / "reference"


def queries_dir() -> Path:
    return repo_root() / "queries"
