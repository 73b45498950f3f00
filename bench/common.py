"""Shared helpers of the benchmarks: the machine, the load average, memory and percentiles.

Why by hand: psutil is not a dependency, and everything needed is in `resource` and `/proc`.
Every figure is written with the machine's state when it was taken, because other processes
share the two CPUs and a figure without its load average cannot be compared.
"""

from __future__ import annotations

import json
import math
import os
import platform
import resource
import statistics
from pathlib import Path
from typing import Any

OUT_DIR = Path(__file__).resolve().parent / "out"


def load_average() -> tuple[float, float, float]:
    """The 1, 5 and 15 minute load averages (as `uptime` prints them)."""
    one, five, fifteen = os.getloadavg()
    return round(one, 2), round(five, 2), round(fifteen, 2)


def machine() -> dict[str, Any]:
    """nproc, memory and CPU model: what docs/benchmarks.md must name beside each figure."""
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu_model": model,
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def peak_rss_mb() -> float:
    """Peak resident set of this process so far (Linux reports ru_maxrss in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def rss_of(pid: int) -> float | None:
    """Current resident set of a process in MB, from /proc/<pid>/status (VmRSS)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def children_of(pid: int) -> list[int]:
    """Direct children of a process (gunicorn's workers under its arbiter)."""
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = task / "children"
        if children.exists():
            out.extend(int(p) for p in children.read_text().split())
    return out


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); NaN-free input expected."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    """p50, p95, max and mean in milliseconds of a list of durations in seconds."""
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "max_ms": round(max(ms), 1) if ms else float("nan"),
        "mean_ms": round(statistics.fmean(ms), 1) if ms else float("nan"),
    }


def write_result(name: str, payload: dict[str, Any], out_dir: Path = OUT_DIR) -> Path:
    """Write bench/out/<name>.json (git-ignored) and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}.json"
    target.write_text(json.dumps(payload, indent=1, default=str) + "\n", encoding="utf-8")
    return target
