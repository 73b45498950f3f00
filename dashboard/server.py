"""Serve the dashboard under gunicorn (several workers, never Dash's debug server).

Why gunicorn's programmatic API: `observatory serve` passes the published path and the socket
options directly, without a config file. The app is built once in the arbiter (preload: the
workers share its imported code and the map's GeoJSON) but no DuckDB connection is opened
before the fork; each worker keeps its own, checked against the published file's identity at
every request, so a publish (os.replace) is seen by every worker at its next request.

Why sync workers and no threads: a worker's requests take turns on its one DuckDB connection
(and the GIL) anyway; with rendered pages kept and shared by the workers (dashboard.render_cache,
through a private temporary directory) a worker answers a kept page in ~3 ms. Measured with 50
users on 2 cores, gthread × 4 threads gave the same p95 as sync (181 vs 163 ms, within noise),
and letting kept pages bypass the connection lock made it worse (0.6-1.3 s: CPU-bound renders
and I/O threads convoy on the GIL). More throughput comes from workers (`--workers`).

The pool-manager tier is configured here from the environment (the serving process is the
face of the dashboard): OBSERVATORY_USERS_FILE, OBSERVATORY_TRUSTED_USER_HEADER,
OBSERVATORY_SESSION_SECRET (else `<data dir>/secrets/session.key`), OBSERVATORY_SECURE_COOKIES.
Debug switches (DASH_DEBUG, FLASK_DEBUG, …) are removed from the environment: the debugger
would show tracebacks and source to any visitor.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from dashboard.auth import AuthSettings

DEBUG_SWITCHES = (
    "DASH_DEBUG",
    "DASH_DEV_TOOLS_UI",
    "DASH_DEV_TOOLS_PROPS_CHECK",
    "DASH_DEV_TOOLS_HOT_RELOAD",
    "DASH_DEV_TOOLS_SERVE_DEV_BUNDLES",
    "DASH_PRUNE_ERRORS",
    "FLASK_DEBUG",
    "FLASK_ENV",
)


def no_debug(environ: MutableMapping[str, str]) -> None:
    """Drop every switch that could turn a debugger or dev tools on."""
    for name in DEBUG_SWITCHES:
        environ.pop(name, None)


def secrets_dir(published_path: Path) -> Path:
    """`<data dir>/secrets` for `<data dir>/warehouse/published.duckdb` (pipelines.paths)."""
    return published_path.resolve().parent.parent / "secrets"


class _Application(BaseApplication):
    def __init__(self, published_path: Path, options: dict[str, Any]) -> None:
        self._published_path = published_path
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from dashboard.app import create_app, warm_up

        no_debug(os.environ)
        settings = AuthSettings.from_env(os.environ, secrets_dir(self._published_path))
        shared = os.environ.get(RENDER_DIR_ENV)
        app = create_app(
            self._published_path,
            auth_settings=settings,
            render_dir=Path(shared) if shared else None,
        )
        if self.cfg.preload_app:
            warm_up(app, self._published_path)  # in the arbiter, before the fork
        return app.server


RENDER_DIR_ENV = "OBSERVATORY_RENDER_CACHE_DIR"


def gunicorn_options(host: str, port: int, workers: int) -> dict[str, Any]:
    """The settings used in production (kept apart so a test can check them)."""
    return {
        "bind": f"{host}:{port}",
        "workers": max(1, workers),
        "worker_class": "sync",
        "timeout": 60,
        "graceful_timeout": 20,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "info",
        "preload_app": True,
        "reload": False,
        "limit_request_line": 4094,
        "limit_request_fields": 100,
    }


def run(published_path: Path, host: str = "127.0.0.1", port: int = 8050, workers: int = 2) -> None:
    """Block serving the dashboard at http://host:port with `workers` processes."""
    no_debug(os.environ)
    shared = tempfile.mkdtemp(prefix="observatory-render-")  # mode 0700, this server's only
    arbiter = os.getpid()

    def _remove() -> None:  # the workers inherit atexit handlers: only the arbiter removes it
        if os.getpid() == arbiter:
            shutil.rmtree(shared, ignore_errors=True)

    atexit.register(_remove)
    os.environ[RENDER_DIR_ENV] = shared
    _Application(published_path, gunicorn_options(host, port, workers)).run()
