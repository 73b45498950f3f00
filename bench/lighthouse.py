"""Lighthouse against a running dashboard (optional, not part of `make test` nor `make bench`).

`make lighthouse` installs Lighthouse from the npm registry into bench/out/node (git-ignored),
starts `observatory serve` over the small bench's data (bench/out/small/full: run `make bench`
once first) and audits the three pages of issue 14 with Debian's Chromium, offline:
desktop preset, performance / accessibility / best practices / SEO. Scores and the metrics
behind the performance score go to bench/out/lighthouse.json and are printed as a table.

Or against a server already up: `python -m bench.lighthouse --base http://127.0.0.1:8066`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.common import OUT_DIR, load_average, write_result
from bench.dashboard_bench import CHROMIUM, CHROMIUM_FLAGS

VERSION = "12.8.2"
LIGHTHOUSE = f"lighthouse@{VERSION}"
NODE_DIR = OUT_DIR / "node"
PAGES = ("/?lang=fr", "/pool/technicity?lang=fr", "/labour-market?lang=fr")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
)


def lighthouse_bin() -> Path:
    """Lighthouse's CLI, installed from the npm registry on first use."""
    cli = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
    if not cli.exists():
        if shutil.which("npm") is None:
            raise SystemExit("npm is needed to install Lighthouse")
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(NODE_DIR), LIGHTHOUSE],
            check=True,
        )
    return cli


def audit(cli: Path, url: str, preset: str = "desktop") -> dict[str, Any]:
    """One Lighthouse run: category scores (0-100) and the performance metrics."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = [
            str(cli),
            url,
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
            "--max-wait-for-load=90000",
        ]
        if preset == "desktop":
            cmd.append("--preset=desktop")
        for attempt in (1, 2):  # on a loaded machine the DevTools protocol can time out once
            done = subprocess.run(cmd, check=False, env={**os.environ, "CHROME_PATH": CHROMIUM})
            if done.returncode == 0:
                break
            if attempt == 2:
                return {"url": url, "preset": preset, "error": done.returncode}
        data = json.loads(report.read_text(encoding="utf-8"))
    audits = data["audits"]
    return {
        "url": url,
        "preset": preset,
        "scores": {k: round(100 * (v["score"] or 0)) for k, v in data["categories"].items()},
        "metrics": {m: audits[m]["numericValue"] for m in METRICS},
        "failed_audits": sorted(
            k
            for k, v in audits.items()
            if v.get("score") is not None
            and v["score"] < 0.9
            and v.get("scoreDisplayMode") in ("binary", "metricSavings", "numeric")
        ),
        "load_average": load_average(),
    }


def _page(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def table(runs: list[dict[str, Any]]) -> str:
    lines = [
        "| page | preset | perf | a11y | best practices | SEO | FCP | LCP | TBT | CLS | SI |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        if "error" in r:
            lines.append(f"| `{r['url']}` | {r['preset']} | failed (exit {r['error']}) |")
            continue
        s, m = r["scores"], r["metrics"]
        lines.append(
            f"| `{_page(r['url'])}` | {r['preset']} "
            f"| {s['performance']} | {s['accessibility']} | {s['best-practices']} | {s['seo']} "
            f"| {m['first-contentful-paint'] / 1000:.2f} s "
            f"| {m['largest-contentful-paint'] / 1000:.2f} s "
            f"| {m['total-blocking-time']:.0f} ms | {m['cumulative-layout-shift']:.3f} "
            f"| {m['speed-index'] / 1000:.2f} s |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="a running dashboard (default: serve bench/out/small)")
    parser.add_argument("--presets", default="desktop", help="desktop,mobile")
    parser.add_argument("--name", default="lighthouse", help="bench/out/<name>.json")
    args = parser.parse_args(argv)
    cli = lighthouse_bin()
    presets = args.presets.split(",")

    def run_all(base: str) -> list[dict[str, Any]]:
        return [audit(cli, base + page, preset) for preset in presets for page in PAGES]

    if args.base:
        runs = run_all(args.base)
    else:
        from bench.server import serving

        data_dir = OUT_DIR / "small" / "full"
        if not (data_dir / "warehouse" / "published.duckdb").exists():
            raise SystemExit("no bench data: run `make bench` first")
        with serving(data_dir, 2, OUT_DIR / "lighthouse-serve.log") as (base, _pid):
            runs = run_all(base)
    write_result(args.name, {"version": VERSION, "runs": runs})
    print(table(runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
