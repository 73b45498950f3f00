"""Run the benchmarks: `python -m bench.run --scale small|medium|large [--only load,users]`.

Load: the demo generator writes the inbox at the scale's volumes (CSV, plus the pools' early
activity workbooks); a bare typed DuckDB read of the same files is the yardstick; then a full
`observatory load` (read, validate, pseudonymise, build, publish with disclosure control) from
an empty warehouse. One more month: a second data directory gets every file but the last month's
vacancies delivery (`vacancies_<year>_q4.csv`, October only, since the data end in October), is
loaded, then that one file is added and loaded again. Each load runs in its own process so its
peak resident memory is its own. Dashboard and users: against `observatory serve` on loopback
over the full warehouse. Figures go to bench/out/<scale>-*.json and are printed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.common import OUT_DIR, load_average, machine, write_result

END_MONTH = "2026-10-01"  # first month of a quarter: the partial year's last file holds one month
MONTH_FILE = "vacancies/vacancies_2026_q4.csv"


@dataclass(frozen=True)
class Scale:
    name: str
    scale: float  # job-seeker stock and cells (1 = Brussels)
    vacancies: int
    enrolments: int
    callback_repeats: int
    user_seconds: float
    first_page_trials: int


SCALES = {
    "tiny": Scale("tiny", 0.02, 5_000, 1_000, 1, 5, 1),
    "small": Scale("small", 0.3, 100_000, 12_000, 1, 30, 3),
    "medium": Scale("medium", 1.0, 1_000_000, 200_000, 2, 60, 3),
    "large": Scale("large", 5.0, 10_000_000, 2_000_000, 3, 60, 3),
}


def phase(action: str, args: dict[str, Any]) -> dict[str, Any]:
    """Run bench.phase in a child process and return its JSON result."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.phase", action, json.dumps(args)],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def say(label: str, value: object) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {label}: {json.dumps(value, default=str)}", flush=True)


def bench_load(scale: Scale, work: Path, reference: Path) -> dict[str, Any]:
    full, incr = work / "full", work / "incremental"
    for d in (full, incr):
        shutil.rmtree(d, ignore_errors=True)
    gen = phase(
        "generate",
        {
            "data_dir": str(full),
            "reference_dir": str(reference),
            "end_month": END_MONTH,
            "scale": scale.scale,
            "vacancies": scale.vacancies,
            "enrolments": scale.enrolments,
        },
    )
    say("generated", gen)
    base = phase(
        "baseline", {"inbox": str(full / "inbox"), "database": str(work / "baseline.duckdb")}
    )
    say("bare DuckDB read", base)
    # the incremental directory: the same inbox and key without the last month's file
    shutil.copytree(full / "inbox", incr / "inbox")
    shutil.copytree(full / "secrets", incr / "secrets")
    month_file = incr / "inbox" / MONTH_FILE
    held_back = work / "month_file.csv"
    shutil.move(month_file, held_back)
    load_full = phase("load", {"data_dir": str(full), "reference_dir": str(reference)})
    say("full load", load_full)
    load_before = phase("load", {"data_dir": str(incr), "reference_dir": str(reference)})
    say("load without the last month", load_before)
    shutil.move(held_back, month_file)
    load_month = phase("load", {"data_dir": str(incr), "reference_dir": str(reference)})
    say("one more month", load_month)
    result = {
        "generated": gen,
        "baseline": base,
        "full_load": load_full,
        "load_without_month": load_before,
        "one_more_month": load_month,
        "month_file": MONTH_FILE,
        "month_file_rows": sum(1 for _ in month_file.open("rb")) - 1,
        "full_load_to_baseline": round(load_full["seconds"] / base["seconds"], 2),
        "month_to_full": round(load_month["seconds"] / load_full["seconds"], 3),
        "peak_rss_mb": max(load_full["peak_rss_mb"], load_month["peak_rss_mb"]),
    }
    say(
        "load ratios",
        {k: result[k] for k in ("full_load_to_baseline", "month_to_full", "peak_rss_mb")},
    )
    return result


def bench_dashboard(scale: Scale, data_dir: Path, workers: int) -> dict[str, Any]:
    from bench.dashboard_bench import callback_times, sizes
    from bench.page_load import page_loads, table
    from bench.server import serving

    published = data_dir / "warehouse" / "published.duckdb"
    with serving(data_dir, workers, OUT_DIR / f"{scale.name}-serve.log") as (base, _pid):
        calls = callback_times(base, published, scale.callback_repeats)
        say("first renders", calls["first_render"])
        say("callbacks", calls["per_callback"])
        page = page_loads(base, scale.first_page_trials)
        print(table(page), flush=True)
        say("first pages, load average", page["load_average"])
    files = sizes(data_dir / "warehouse" / "observatory.duckdb", published)
    say("sizes", files)
    return {"callbacks": calls, "first_page": page, "sizes": files}


def bench_users(scale: Scale, data_dir: Path, workers: int, users: int) -> dict[str, Any]:
    from bench.loadtest import run_users
    from bench.server import serving

    published = data_dir / "warehouse" / "published.duckdb"
    with serving(data_dir, workers, OUT_DIR / f"{scale.name}-serve-users.log") as (base, pid):
        result = run_users(base, pid, published, users=users, seconds=scale.user_seconds)
    say("users", result)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--only", default="load,dashboard,users", help="comma-separated parts")
    parser.add_argument("--work", type=Path, help="data directories (default bench/out/<scale>)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--users", type=int, default=50)
    args = parser.parse_args(argv)
    scale = SCALES[args.scale]
    parts = set(args.only.split(","))
    work = args.work or OUT_DIR / scale.name
    work.mkdir(parents=True, exist_ok=True)
    reference = Path(__file__).resolve().parent.parent / "data" / "reference"
    common = {"scale": asdict(scale), "machine": machine(), "load_average_start": load_average()}
    say("machine", common)
    started = time.perf_counter()
    if "load" in parts:
        write_result(f"{scale.name}-load", {**common, **bench_load(scale, work, reference)})
    data_dir = work / "full"
    if "dashboard" in parts:
        write_result(
            f"{scale.name}-dashboard", {**common, **bench_dashboard(scale, data_dir, args.workers)}
        )
    if "users" in parts:
        write_result(
            f"{scale.name}-users",
            {**common, **bench_users(scale, data_dir, args.workers, args.users)},
        )
    say("total seconds", round(time.perf_counter() - started, 1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
