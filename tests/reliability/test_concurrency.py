"""Readers during publishes, two loads at once, and rollback to a kept earlier build — all through
the `observatory` command, as an operator would run them."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.paths import DataPaths
from pipelines.publish import previous_builds
from tests.hostile.state import fingerprint
from tests.reliability.conftest import (
    PUBLISHED_SCHEMAS,
    add_second_batch,
    cli_command,
    cli_env,
    copy_state,
    run_cli,
)

# A reader as the dashboard is one: a short read-only connection per query. It runs until the
# stop file appears and prints "<queries> <errors>"; an error's type goes to stderr.
READER = """
import sys, pathlib, time, duckdb
db, stop = sys.argv[1], pathlib.Path(sys.argv[2])
queries = errors = 0
while not stop.exists() or queries == 0:
    try:
        con = duckdb.connect(db, read_only=True)
        try:
            n = con.execute(
                "SELECT (SELECT count(*) FROM core.dim_pool)"
                " + (SELECT count(*) FROM meta.publication)"
            ).fetchone()[0]
            if n != 13:
                raise AssertionError(f"unexpected count {n}")
        finally:
            con.close()
    except Exception as exc:
        errors += 1
        print(type(exc).__name__, exc, file=sys.stderr)
    queries += 1
    time.sleep(0.005)  # like requests, not a busy loop starving the publisher of CPU
print(queries, errors)
"""


@pytest.mark.slow
def test_three_readers_see_no_error_during_five_publishes(
    first_state: Path, tmp_path: Path
) -> None:
    data = copy_state(first_state, tmp_path / "data")
    paths = DataPaths.under(data)
    stop = tmp_path / "stop"
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(paths.published), str(stop)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    try:
        stamps = set()
        for _ in range(5):
            done = run_cli(data, "publish")
            assert done.returncode == 0, done.stderr
            con = duckdb.connect(str(paths.published), read_only=True)
            try:
                stamps.add(con.execute("SELECT published_at FROM meta.publication").fetchone())
            finally:
                con.close()
        assert len(stamps) == 5  # five distinct builds were swapped in
    finally:
        stop.touch()
        outputs = [r.communicate(timeout=60) for r in readers]
    for out, err in outputs:
        queries, errors = (int(x) for x in out.split())
        assert errors == 0, err
        assert queries > 0


def _lock_is_held(lock_file: Path) -> bool:
    if not lock_file.exists():
        return False
    fd = os.open(lock_file, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


@pytest.mark.slow
def test_a_second_load_refuses_while_one_runs(first_state: Path, tmp_path: Path) -> None:
    data = copy_state(first_state, tmp_path / "data")
    add_second_batch(data)
    paths = DataPaths.under(data)
    first = subprocess.Popen(
        cli_command(data, "load"),
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while not _lock_is_held(paths.lock_file):  # bounded by the first load's own run
            assert first.poll() is None, "the first load ended before taking the lock"
            time.sleep(0.02)
        # Paused while it holds the lock: on a busy machine the second command's start-up
        # (imports) could otherwise outlast the first load, and the race would be lost by luck.
        first.send_signal(signal.SIGSTOP)
        try:
            second = run_cli(data, "load")
        finally:
            first.send_signal(signal.SIGCONT)
    finally:
        out, err = first.communicate(timeout=300)
    assert second.returncode == 1
    assert "load refused" in second.stderr
    assert "another load is running" in second.stderr
    assert first.returncode == 0, err
    assert "published." in out


def _published_state(paths: DataPaths) -> dict[str, tuple[int, int]]:
    return fingerprint(paths.published, PUBLISHED_SCHEMAS)


@pytest.mark.slow
def test_kept_builds_and_rollback(first_state: Path, tmp_path: Path) -> None:
    data = copy_state(first_state, tmp_path / "data")
    paths = DataPaths.under(data)
    env = cli_env(OBSERVATORY_KEEP_PUBLISHED="2")
    before = _published_state(paths)
    add_second_batch(data)
    assert run_cli(data, "load", env=env).returncode == 0
    after = _published_state(paths)
    assert after != before
    for _ in range(2):  # two more builds of the same state: only 2 earlier builds are kept
        assert run_cli(data, "publish", env=env).returncode == 0
    kept = previous_builds(paths.published)
    assert len(kept) == 2
    assert fingerprint(kept[0], PUBLISHED_SCHEMAS) == after

    # three builds back is the published state before the second delivery... but only two kept
    refused = run_cli(data, "rollback", "--steps", "3", env=env)
    assert refused.returncode == 1
    assert "no earlier published build number 3" in refused.stderr
    assert _published_state(paths) == after

    data2 = copy_state(first_state, tmp_path / "data2")
    paths2 = DataPaths.under(data2)
    add_second_batch(data2)
    assert run_cli(data2, "load", env=env).returncode == 0
    assert _published_state(paths2) == after
    done = run_cli(data2, "rollback", env=env)
    assert done.returncode == 0, done.stderr
    assert "restored from published-" in done.stdout
    assert _published_state(paths2) == before
    assert not list(paths2.warehouse_dir.glob("*.wal"))
    assert not list(paths2.warehouse_dir.glob(".*building*"))
    # a dashboard-style reader opens the restored file
    con = duckdb.connect(str(paths2.published), read_only=True)
    con.execute("SELECT count(*) FROM core.dim_pool").fetchone()
    con.close()


def test_no_kept_build_means_rollback_refuses_clearly(first_state: Path, tmp_path: Path) -> None:
    data = copy_state(first_state, tmp_path / "data")
    env = cli_env(OBSERVATORY_KEEP_PUBLISHED="0")
    for kept in previous_builds(DataPaths.under(data).published):
        kept.unlink()
    assert run_cli(data, "publish", env=env).returncode == 0
    assert previous_builds(DataPaths.under(data).published) == []
    done = run_cli(data, "rollback", env=env)
    assert done.returncode == 1
    assert "no earlier published build number 1: 0 kept" in done.stderr


def test_publish_and_rollback_refuse_while_a_load_holds_the_lock(
    first_state: Path, tmp_path: Path
) -> None:
    from pipelines.load import exclusive_lock

    data = copy_state(first_state, tmp_path / "data")
    paths = DataPaths.under(data)
    before = _published_state(paths)
    with exclusive_lock(paths):
        published = run_cli(data, "publish")
        rolled = run_cli(data, "rollback")
    assert published.returncode == 1 and "publish refused" in published.stderr
    assert rolled.returncode == 1 and "another load is running" in rolled.stderr
    assert _published_state(paths) == before
