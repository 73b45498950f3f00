"""Shared fixtures of the hostile-input tests: reference codes, and a data directory holding a
loaded baseline (built once, copied per test, since a load takes seconds)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipelines.load import run_load
from pipelines.paths import DataPaths, default_reference_dir
from pipelines.publish import publish
from pipelines.reference import ReferenceCodes, load_reference, reference_codes
from tests.hostile.cases import BASELINE, KEY_ENV, TODAY


@pytest.fixture(scope="session")
def refs() -> Iterator[ReferenceCodes]:
    con = duckdb.connect()
    try:
        load_reference(con, default_reference_dir())
        yield reference_codes(con)
    finally:
        con.close()


@pytest.fixture(scope="session")
def baseline_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory after loading the clean baseline inbox (do not modify: copy it)."""
    root = tmp_path_factory.mktemp("baseline") / "data"
    paths = DataPaths.under(root)
    shutil.copytree(BASELINE, paths.inbox)
    report = run_load(paths, env=KEY_ENV, today=TODAY, publish_fn=publish)
    assert report.exit_code == 0, [f for f in report.files if f.status == "rejected"]
    return root


@pytest.fixture()
def loaded(baseline_dir: Path, tmp_path: Path) -> DataPaths:
    """A fresh copy of the loaded baseline data directory."""
    root = tmp_path / "data"
    shutil.copytree(baseline_dir, root)
    for lock in root.rglob(".load.lock"):
        lock.unlink()
    return DataPaths.under(root)
