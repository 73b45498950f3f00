"""One benchmark phase in its own process: `python -m bench.phase <action> '<json args>'`.

Why a process per phase: the peak resident set (ru_maxrss) of a process only grows, so the
memory of the load can only be told apart from the generator's or the yardstick's when each
runs alone. The last line printed is the phase's JSON result.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import load_average, peak_rss_mb


def generate(args: dict[str, Any]) -> dict[str, Any]:
    """Demo files at the requested volumes into <data_dir>/inbox, plus a pseudonymisation key."""
    from pipelines.demo import copy_official_statistics, generate_demo
    from pipelines.paths import DataPaths
    from pipelines.pseudonymise import create_key

    paths = DataPaths.under(Path(args["data_dir"]), Path(args["reference_dir"]))
    paths.ensure()
    if not paths.key_file.exists():
        create_key(paths)
    started = time.perf_counter()
    summary = generate_demo(
        paths.inbox,
        seed=int(args.get("seed", 2026)),
        end_month=dt.date.fromisoformat(args["end_month"]),
        scale=float(args["scale"]),
        reference_dir=paths.reference_dir,
        vacancies_total=args.get("vacancies"),
        enrolments_total=args.get("enrolments"),
    )
    copy_official_statistics(paths.inbox, paths.reference_dir)
    size = sum(p.stat().st_size for p in paths.inbox.rglob("*") if p.is_file())
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "rows": summary.rows,
        "files": len(summary.files),
        "inbox_bytes": size,
    }


def baseline(args: dict[str, Any]) -> dict[str, Any]:
    from bench.baseline import run_baseline

    return run_baseline(Path(args["inbox"]), Path(args["database"]))


def load(args: dict[str, Any]) -> dict[str, Any]:
    """`observatory load` as the command runs it (same publish function), with its parts timed."""
    from observatory.settings import Settings
    from pipelines.load import run_load
    from pipelines.paths import DataPaths
    from pipelines.publishing import publisher

    settings = Settings(paths=DataPaths.under(Path(args["data_dir"]), Path(args["reference_dir"])))
    publish = publisher(settings.publishing)
    marks: dict[str, float] = {}
    last: dict[str, str] = {"label": "start"}
    at = [time.perf_counter()]

    def progress(label: str, i: int, n: int) -> None:
        """Time spent per stage: reading files, official statistics, build, publish."""
        now = time.perf_counter()
        stage = last["label"]
        key = stage.split("/")[0] if not stage.startswith("build ") else "build"
        marks[key] = marks.get(key, 0.0) + now - at[0]
        last["label"], at[0] = label, now

    def timed_publish(warehouse: Path, published: Path) -> None:
        t = time.perf_counter()
        publish(warehouse, published)
        marks["publish_fn"] = time.perf_counter() - t

    started = time.perf_counter()
    report = run_load(settings.paths, progress=progress, publish_fn=timed_publish)
    total = time.perf_counter() - started
    progress("end", 0, 0)
    marks.pop("start", None)
    return {
        "seconds": round(total, 2),
        "stages": {k: round(v, 2) for k, v in marks.items()},
        "files": {
            f.status: sum(1 for g in report.files if g.status == f.status) for f in report.files
        },
        "rows_loaded": sum(f.rows_loaded for f in report.files),
        "warehouse_bytes": settings.paths.warehouse.stat().st_size,
        "published_bytes": settings.paths.published.stat().st_size,
    }


ACTIONS = {"generate": generate, "baseline": baseline, "load": load}


def main(argv: list[str]) -> int:
    action, raw = argv[0], argv[1] if len(argv) > 1 else "{}"
    load_before = load_average()
    result = ACTIONS[action](json.loads(raw))
    result["peak_rss_mb"] = peak_rss_mb()
    result["load_average_before"] = load_before
    result["load_average_after"] = load_average()
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
