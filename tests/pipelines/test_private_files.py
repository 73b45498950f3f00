"""Quarantined rows (raw INSZ included) and secrets are private to the operator in code,
whatever the umask: folders 0700, files 0600 (issue 15, item 13: they were 0644)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from pipelines.load import _write_quarantine
from pipelines.paths import DataPaths, private_dir, write_private_csv


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_directory_makes_quarantine_and_secrets_private(tmp_path: Path) -> None:
    paths = DataPaths.under(tmp_path / "data")
    paths.quarantine.mkdir(parents=True, mode=0o755)  # as an earlier version left it
    paths.quarantine.chmod(0o755)
    paths.ensure()
    assert _mode(paths.quarantine) == 0o700 and _mode(paths.secrets) == 0o700
    assert _mode(paths.inbox) == 0o755  # only what holds personal data or keys is closed


def test_quarantine_files_are_written_0600(tmp_path: Path) -> None:
    paths = DataPaths.under(tmp_path / "data")
    bad = pl.DataFrame({"insz": ["85073003328"], "reason_code": ["bad_insz"]})
    target = _write_quarantine(paths, "enrolments", "enrolments_2025-06.csv", 7, bad)
    assert target.name == "enrolments_2025-06.load7.csv"
    assert _mode(target) == 0o600 and _mode(target.parent) == 0o700
    assert _mode(paths.quarantine) == 0o700
    target.chmod(0o644)  # a file of that name written earlier, readable by all
    write_private_csv(bad, target)
    assert _mode(target) == 0o600 and "bad_insz" in target.read_text()


def test_private_dir_closes_an_existing_folder(tmp_path: Path) -> None:
    folder = tmp_path / "secrets"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    assert private_dir(folder) == folder and _mode(folder) == 0o700
