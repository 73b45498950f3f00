"""`observatory load` killed with SIGKILL at random moments, publishing included.

Two states are known: A (baseline loaded and published) and B (A plus a second delivery, loaded
and published by an uninterrupted run). Each of 20 runs starts from A with the second delivery in
the inbox, kills the load after a random delay spread over a whole run, and checks that both
DuckDB files open and each holds A or B exactly (never a mix, and never a published B over a
warehouse A), that no write-ahead log sits beside them, that every kept earlier build opens, and
that a rerun completes into B with no duplicate rows.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from observatory.cli import main as cli_main
from pipelines.paths import DataPaths
from pipelines.publish import previous_builds
from tests.reliability.conftest import (
    add_second_batch,
    cli_command,
    cli_env,
    copy_state,
    run_cli,
    states,
)

RUNS = 20
SEED = int(os.environ.get("OBSERVATORY_CRASH_SEED", "20260"))  # reproducible kill moments


def _no_duplicates(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for source in ("enrolments", "placements", "vacancies", "jobseekers", "pool_activities"):
            dup = con.execute(
                f"SELECT count(*) - count(DISTINCT (source_file, row_number)) FROM raw.{source}"
            ).fetchone()
            assert dup == (0,), source
        dup = con.execute(
            "SELECT count(*) - count(DISTINCT (source, file_name, load_id)) FROM meta.load_manifest"
        ).fetchone()
        assert dup == (0,)
    finally:
        con.close()


def _whole(db: Path) -> None:
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SELECT count(*) FROM duckdb_tables()").fetchone()
    finally:
        con.close()


@pytest.mark.slow
def test_load_killed_at_random_moments_leaves_whole_files(
    first_state: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in cli_env().items():
        if name.startswith("OBSERVATORY_"):
            monkeypatch.setenv(name, value)
    state_a = states(first_state)
    reference = copy_state(first_state, tmp_path / "reference")
    add_second_batch(reference)
    started = time.monotonic()
    done = run_cli(reference, "load")
    full_run = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    state_b = states(reference)
    assert state_a[0] != state_b[0] and state_a[1] != state_b[1]  # the two states differ

    rng = random.Random(SEED)
    seen: dict[str, int] = {}
    for run in range(RUNS):
        data = copy_state(first_state, tmp_path / f"run{run}")
        add_second_batch(data)
        paths = DataPaths.under(data)
        delay = rng.uniform(0.0, full_run)
        proc = subprocess.Popen(
            cli_command(data, "load"),
            env=cli_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        warehouse, published = states(data)
        label = f"run {run} (killed after {delay:.2f} s of ~{full_run:.2f} s)"
        assert warehouse in (state_a[0], state_b[0]), f"{label}: warehouse is a mix"
        assert published in (state_a[1], state_b[1]), f"{label}: published is a mix"
        if published == state_b[1]:
            assert warehouse == state_b[0], f"{label}: published ahead of the warehouse"
        for db in (paths.warehouse, paths.published):
            assert not db.with_name(db.name + ".wal").exists(), f"{label}: {db.name}.wal"
        for kept in previous_builds(paths.published):
            _whole(kept)
        key = ("A" if warehouse == state_a[0] else "B") + ("A" if published == state_a[1] else "B")
        seen[key] = seen.get(key, 0) + 1

        # the rerun runs the same command in this process (saves an interpreter start per run)
        assert cli_main(["--data-dir", str(data), "load"]) == 0, f"{label}: rerun failed"
        assert states(data) == state_b, f"{label}: the rerun did not reach the new state"
        _no_duplicates(paths.warehouse)
        assert not list(paths.warehouse_dir.glob(".*building*")), label
        assert not list(paths.warehouse_dir.glob("*.wal")), label
    # the kill moments did land before, inside and after the work (not all in one phase)
    assert len(seen) >= 2, seen
