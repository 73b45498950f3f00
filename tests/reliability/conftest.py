"""Shared helpers of the reliability tests: the `observatory` command as a subprocess on a
temporary data directory, and a data directory loaded once from the hostile baseline inbox."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.paths import DataPaths
from tests.hostile.cases import BASELINE, CORPUS
from tests.hostile.state import fingerprint

KEY = "5f" * 32  # 64 hex digits: a test key, never a real one
# A second delivery: one file per kind of change (person-level, aggregated, activities, vacancies)
SECOND_BATCH = (
    "enrolments/utf8_bom_comma.csv",
    "vacancies/dup_across_a.csv",
    "pool_activities/belgian_numbers.csv",
    "jobseekers/codes_through_floats.csv",
)
WAREHOUSE_SCHEMAS = ("raw", "core", "marts")
PUBLISHED_SCHEMAS = ("core", "marts", "context")


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBSERVATORY_")}
    env["OBSERVATORY_PSEUDONYM_KEY"] = KEY
    env.update(extra)
    return env


def cli_command(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "observatory.cli", "--data-dir", str(data_dir), *args]


def run_cli(
    data_dir: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli_command(data_dir, *args),
        env=env or cli_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def add_second_batch(data_dir: Path) -> None:
    paths = DataPaths.under(data_dir)
    for name in SECOND_BATCH:
        target = paths.inbox / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / name, target)


def states(data_dir: Path) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    paths = DataPaths.under(data_dir)
    return (
        fingerprint(paths.warehouse, WAREHOUSE_SCHEMAS),
        fingerprint(paths.published, PUBLISHED_SCHEMAS),
    )


@pytest.fixture(scope="session")
def first_state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory after `observatory load` of the baseline inbox (copy it, do not edit)."""
    root = tmp_path_factory.mktemp("first") / "data"
    shutil.copytree(BASELINE, DataPaths.under(root).inbox)
    done = run_cli(root, "load")
    assert done.returncode == 0, done.stderr + done.stdout
    return root


def copy_state(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target
