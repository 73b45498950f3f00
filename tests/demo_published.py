"""A published.duckdb built by the real pipeline from a small demo (for tests that must hold
on what the pipeline publishes, not on a hand-made fixture).

Why a subprocess for the load: it is what `observatory demo` does after writing the files, with
its own process (DuckDB's one read-write process rule) and a test pseudonymisation key.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pipelines.demo import copy_official_statistics, generate_demo
from pipelines.paths import DataPaths

KEY = "6a" * 32  # 64 hex digits: a test key, never a real one
SCALE = 0.1


def build_demo(data_dir: Path, scale: float = SCALE, seed: int = 2026) -> Path:
    """Generate the demo files at `scale`, load and publish them; the published file's path."""
    paths = DataPaths.under(data_dir)
    paths.ensure()
    generate_demo(paths.inbox, seed=seed, scale=scale, reference_dir=paths.reference_dir)
    copy_official_statistics(paths.inbox, paths.reference_dir)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBSERVATORY_")}
    env["OBSERVATORY_PSEUDONYM_KEY"] = KEY
    done = subprocess.run(
        [sys.executable, "-m", "observatory.cli", "--data-dir", str(data_dir), "load"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode not in (0, 2):  # 2: done, with the demo's deliberately bad rows set aside
        raise RuntimeError(f"demo load failed: {done.stderr[-2000:]}{done.stdout[-2000:]}")
    return paths.published
