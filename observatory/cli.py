"""The `observatory` command: one entry point wiring pipelines and dashboard.

It holds no logic of its own: it reads settings, calls the packages and turns their outcomes into
messages and exit codes (0 everything done, 2 done with rows or files refused, 1 failure with
nothing changed).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from observatory.settings import DEFAULT_HOST, DEFAULT_PORT, Settings, load_settings

console = Console(stderr=True)
# A load report is read in terminals and in logs: keep its lines whole in both.
out = Console(width=None if sys.stdout.isatty() else 160)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="observatory",
        description="Observatory of the Brussels training and employment pools.",
    )
    p.add_argument("--data-dir", help="data directory (default: $OBSERVATORY_DATA_DIR or ./data)")
    sub = p.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="generate demo files, load, publish and serve")
    demo.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    demo.add_argument("--no-serve", action="store_true", help="stop after publishing")
    demo.add_argument("--host", default=DEFAULT_HOST)
    demo.add_argument("--port", type=int, default=DEFAULT_PORT)
    demo.add_argument("--workers", type=int, default=2)

    sub.add_parser("load", help="load new inbox files, rebuild and publish")

    serve = sub.add_parser("serve", help="serve the dashboard (production server)")
    serve.add_argument("--host", default=DEFAULT_HOST)
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--workers", type=int, default=2)

    rb = sub.add_parser("rollback", help="put an earlier published build back in place")
    rb.add_argument("--steps", type=int, default=1, help="how many builds back (default 1)")
    sub.add_parser("publish", help="rebuild published.duckdb from the warehouse")

    user = sub.add_parser("user", help="add a pool manager, or change their pool or password")
    user.add_argument("name")
    user.add_argument("--pool", required=True, help="the pool whose detail they may see")
    sub.add_parser("docs", help="regenerate docs/data-dictionary.md and docs/indicators.md")

    q = sub.add_parser("query", help="run a named analyst query read-only")
    q.add_argument("name", nargs="?", help="query name (omit to list them)")
    q.add_argument("--param", action="append", default=[], metavar="K=V")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table")
    q.add_argument("--warehouse", action="store_true", help="query the warehouse, not published")
    _limits_arguments(q)

    s = sub.add_parser("sql", help="run one read-only SQL statement")
    s.add_argument("statement")
    s.add_argument("--format", choices=("table", "csv", "json"), default="table")
    s.add_argument("--warehouse", action="store_true", help="query the warehouse, not published")
    _limits_arguments(s)

    e = sub.add_parser("export", help="export a pool's or the region's indicators")
    e.add_argument("--pool", default="region", help="pool id or 'region' (default)")
    e.add_argument("--from", dest="period_from", help="first month, YYYY-MM")
    e.add_argument("--to", dest="period_to", help="last month, YYYY-MM")
    e.add_argument(
        "--format",
        choices=("xlsx", "csv", "csv-plain", "pdf", "png", "parquet", "csv-package", "sdmx-csv"),
        default="xlsx",
    )
    e.add_argument("--lang", choices=("fr", "nl", "en"), default="fr")
    e.add_argument(
        "--out", required=True, help="output file (or folder for parquet, csv-package, png)"
    )
    return p


def _limits_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--timeout",
        type=float,
        help="seconds before the statement is stopped (default $OBSERVATORY_SQL_TIMEOUT_SECONDS "
        "or 60)",
    )
    p.add_argument(
        "--max-rows",
        type=int,
        help="rows shown in table format (default $OBSERVATORY_SQL_MAX_ROWS or 1000; csv and "
        "json give every row)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = load_settings(args.data_dir)
    handler = {
        "demo": cmd_demo,
        "load": cmd_load,
        "serve": cmd_serve,
        "rollback": cmd_rollback,
        "publish": cmd_publish,
        "docs": cmd_docs,
        "query": cmd_query,
        "sql": cmd_sql,
        "export": cmd_export,
        "user": cmd_user,
    }[args.command]
    try:
        return handler(args, settings)
    except KeyboardInterrupt:
        console.print("[red]interrupted: nothing was changed[/red]")
        return 1


def do_load(settings: Settings) -> int:
    from pipelines.load import LoadBusy, run_load
    from pipelines.publishing import publisher

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("loading", total=None)

        def progress(label: str, i: int, n: int) -> None:
            if n:
                bar.update(task, description=f"reading {label}", completed=i, total=n)
            else:
                bar.update(task, description=label)

        try:
            report = run_load(
                settings.paths, progress=progress, publish_fn=publisher(settings.publishing)
            )
        except LoadBusy as exc:
            console.print(f"[red]load refused:[/red] {exc}")
            return 1
        except Exception as exc:
            console.print(f"[red]load failed, nothing was changed:[/red] {exc}")
            return 1
    _print_report(report)
    return report.exit_code


def _print_report(report) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=f"Load report {report.run_id}", show_lines=False)
    for col in ("source", "file", "status", "read", "loaded", "quarantined", "reasons / message"):
        table.add_column(
            col, justify="right" if col in ("read", "loaded", "quarantined") else "left"
        )
    for f in report.files:
        why = ", ".join(f"{k} {v:,}" for k, v in f.reasons.items()) or (f.message or "")
        style = "red" if f.status == "rejected" else ("yellow" if f.rows_quarantined else "")
        table.add_row(
            f.source,
            f.file_name,
            f.status,
            f"{f.rows_read:,}",
            f"{f.rows_loaded:,}",
            f"{f.rows_quarantined:,}",
            why,
            style=style,
        )
    out.print(table)
    loaded = sum(f.rows_loaded for f in report.files)
    quarantined = sum(f.rows_quarantined for f in report.files)
    rejected = sum(1 for f in report.files if f.status == "rejected")
    out.print(
        f"{len(report.files)} files: {loaded:,} rows loaded, {quarantined:,} quarantined, "
        f"{rejected} files rejected; {len(report.relations_built)} relations built; "
        + ("published." if report.published else "not published.")
    )


def cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    return do_load(settings)


def cmd_publish(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines.load import LoadBusy, exclusive_lock
    from pipelines.publishing import publish_protected

    if not settings.paths.warehouse.exists():
        console.print(
            f"[red]no warehouse at {settings.paths.warehouse}: run observatory load[/red]"
        )
        return 1
    try:
        with exclusive_lock(settings.paths):  # never beside a running load
            publish_protected(
                settings.paths.warehouse, settings.paths.published, settings.publishing
            )
    except LoadBusy as exc:
        console.print(f"[red]publish refused:[/red] {exc}")
        return 1
    out.print(f"published {settings.paths.published}")
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    import time

    from pipelines.demo import copy_official_statistics, generate_demo
    from pipelines.pseudonymise import create_key

    paths = settings.paths
    paths.ensure()
    started = time.perf_counter()
    if not paths.key_file.exists() and "OBSERVATORY_PSEUDONYM_KEY" not in os.environ:
        create_key(paths)
        out.print(
            f"created a pseudonymisation key in {paths.key_file} (keep it secret, back it up)"
        )
    summary = generate_demo(paths.inbox, seed=args.seed, reference_dir=paths.reference_dir)
    out.print(f"demo files written to {paths.inbox}: {summary}")
    official = copy_official_statistics(paths.inbox, paths.reference_dir)
    out.print(f"{len(official)} official statistics files copied to {paths.inbox / 'context'}")
    code = do_load(settings)
    out.print(f"demo built in {time.perf_counter() - started:.1f} s")
    if code == 1:
        return 1
    if args.no_serve:
        return 0
    if "OBSERVATORY_SECURE_COOKIES" not in os.environ:
        # the demo is served over plain HTTP: its cookies cannot be Secure (honoured on
        # loopback only, see dashboard.auth; `observatory serve` keeps them Secure)
        os.environ["OBSERVATORY_SECURE_COOKIES"] = "0"
        out.print("demo: plain HTTP, so session cookies are not Secure (loopback only)")
    return _serve(settings, args.host, args.port, args.workers)


def _serve(settings: Settings, host: str, port: int, workers: int) -> int:
    from dashboard.server import run

    out.print(f"serving the dashboard on http://{host}:{port}  (Ctrl+C to stop)")
    run(
        settings.paths.published,
        host=host,
        port=port,
        workers=workers,
    )
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    return _serve(settings, args.host, args.port, args.workers)


def cmd_user(args: argparse.Namespace, settings: Settings) -> int:
    import getpass

    from dashboard.auth import USERS_FILE_ENV, UsersFileError, set_user
    from pipelines.contracts import POOL_IDS

    if args.pool not in POOL_IDS:
        console.print(f"[red]unknown pool {args.pool!r}; pools: {', '.join(POOL_IDS)}[/red]")
        return 1
    env_file = os.environ.get(USERS_FILE_ENV)
    users_file = Path(env_file) if env_file else settings.paths.secrets / "users.toml"
    password = getpass.getpass(f"password for {args.name}: ")
    if password != getpass.getpass("again: "):
        console.print("[red]the two passwords differ; nothing changed[/red]")
        return 1
    try:
        set_user(users_file, args.name, args.pool, password)
    except UsersFileError as exc:
        console.print(f"[red]{exc}; nothing changed[/red]")
        return 1
    out.print(f"{args.name} may now see {args.pool}'s detail ({users_file})")
    return 0


def cmd_rollback(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines.load import LoadBusy, exclusive_lock
    from pipelines.publish import rollback

    try:
        with exclusive_lock(settings.paths):  # a load publishing meanwhile would undo it
            chosen = rollback(settings.paths.published, args.steps)
    except (FileNotFoundError, LoadBusy) as exc:
        console.print(f"[red]{exc}[/red]")
        return 1
    out.print(f"published.duckdb restored from {chosen.name}")
    return 0


def cmd_docs(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines.docs import write_docs

    for path in write_docs(Path("docs"), settings.paths):
        out.print(f"wrote {path}")
    return 0


def _target(args: argparse.Namespace, settings: Settings) -> Path:
    return settings.paths.warehouse if args.warehouse else settings.paths.published


def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines.analyst import QueryError, list_queries, run_named

    if not args.name:
        for q in list_queries():
            out.print(f"[bold]{q.name}[/bold]  {q.title}")
            for prm in q.params:
                out.print(f"    --param {prm.name}=…  {prm.description} (default {prm.default})")
        return 0
    params = {}
    for item in args.param:
        if "=" not in item:
            console.print(f"[red]--param needs K=V, got {item!r}[/red]")
            return 1
        k, v = item.split("=", 1)
        params[k] = v
    timeout, max_rows = _bounds(args, settings)
    try:
        frame = run_named(
            _target(args, settings), args.name, params, timeout=timeout, max_rows=max_rows
        )
    except QueryError as exc:
        console.print(f"[red]{exc}[/red]")
        return 1
    _print_frame(frame, args.format, max_rows)
    return 0


def cmd_sql(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines.analyst import QueryError, run_sql

    timeout, max_rows = _bounds(args, settings)
    try:
        frame = run_sql(_target(args, settings), args.statement, timeout=timeout, max_rows=max_rows)
    except QueryError as exc:
        console.print(f"[red]{exc}[/red]")
        return 1
    _print_frame(frame, args.format, max_rows)
    return 0


def _bounds(args: argparse.Namespace, settings: Settings) -> tuple[float, int | None]:
    """(time limit, row limit of the table format; None for csv and json)."""
    timeout = args.timeout if args.timeout is not None else settings.sql_timeout
    max_rows = args.max_rows if args.max_rows is not None else settings.sql_max_rows
    return max(0.001, timeout), (max(1, max_rows) if args.format == "table" else None)


def _print_frame(frame, fmt: str, max_rows: int | None = None) -> None:  # type: ignore[no-untyped-def]
    if fmt == "csv":
        sys.stdout.write(frame.write_csv())
    elif fmt == "json":
        sys.stdout.write(frame.write_json() + "\n")
    else:
        more = max_rows is not None and frame.height > max_rows
        shown = frame.head(max_rows) if more else frame
        table = Table(show_lines=False)
        for col in shown.columns:
            table.add_column(col)
        for row in shown.iter_rows():
            table.add_row(*["" if v is None else str(v) for v in row])
        out.print(table)
        if more:
            out.print(
                f"first {max_rows} rows shown, there are more (--max-rows, or --format csv "
                "for every row)"
            )
        else:
            out.print(f"{frame.height} rows")


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.exports import ExportError, export

    try:
        path = export(
            settings.paths.published,
            pool=args.pool,
            period_from=args.period_from,
            period_to=args.period_to,
            fmt=args.format,
            lang=args.lang,
            out=Path(args.out),
        )
    except ExportError as exc:
        console.print(f"[red]{exc}[/red]")
        return 1
    out.print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
