"""Start and stop `observatory serve` (gunicorn) on loopback for the dashboard benchmarks."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(data_dir: Path, workers: int, log: Path) -> Iterator[tuple[str, int]]:
    """`observatory --data-dir D serve --workers N` on a free loopback port; yields (base URL,
    arbiter pid) once the home page answers, and stops the arbiter (only it) afterwards."""
    port = free_port()
    cmd = [
        sys.executable,
        "-c",
        "from observatory.cli import main; raise SystemExit(main())",
        "--data-dir",
        str(data_dir),
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ))
        base = f"http://{HOST}:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"observatory serve exited ({proc.returncode}); see {log}")
                try:
                    with urllib.request.urlopen(base + "/", timeout=5) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"observatory serve did not answer in 120 s; see {log}")
                time.sleep(0.5)
            yield base, proc.pid
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
