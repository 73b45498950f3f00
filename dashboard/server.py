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
face of the dashboard): OBSERVATORY_USERS_FILE, OBSERVATORY_TRUSTED_USER_HEADER with
OBSERVATORY_TRUSTED_PROXIES, OBSERVATORY_SESSION_SECRET (else `<data dir>/secrets/session.key`),
OBSERVATORY_SECURE_COOKIES (on unless 0 on loopback), the session and login limits
(dashboard.auth); the mode is written to the log at start. Debug switches (DASH_DEBUG,
FLASK_DEBUG, …) are removed from the environment: the debugger would show tracebacks and source
to any visitor.

Gunicorn's own answers (a request line or headers too long, a malformed request) come from a
worker class of ours that sends them with the same security headers as the application and
without echoing the request; gunicorn's control socket is off (two servers on one machine would
otherwise share `~/.gunicorn/gunicorn.ctl`, and nothing here uses it).
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.http import errors as http_errors
from gunicorn.workers.sync import SyncWorker

from dashboard.auth import AuthSettings, startup_notes
from dashboard.limits import ServerLimits

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


# Gunicorn's refusals: (status, reason) by exception, 400 for any other malformed request.
_GUNICORN_STATUS: tuple[tuple[type[BaseException], int, str], ...] = (
    (http_errors.LimitRequestLine, 414, "URI Too Long"),
    (http_errors.LimitRequestHeaders, 431, "Request Header Fields Too Large"),
    (http_errors.ForbiddenProxyRequest, 403, "Forbidden"),
    (http_errors.UnsupportedTransferCoding, 501, "Not Implemented"),
    (http_errors.ExpectationFailed, 417, "Expectation Failed"),
)


def error_response(status: int, reason: str) -> bytes:
    """A complete HTTP response for a request gunicorn refuses before the application sees
    it: the reason only (the request is not echoed), the application's security headers."""
    from dashboard.app import SECURITY_HEADERS

    body = f"{status} {reason}\n".encode("ascii")
    headers = {
        **SECURITY_HEADERS,
        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Length": str(len(body)),
        "Cache-Control": "no-store",
        "Connection": "close",
    }
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return (head + "\r\n").encode("latin-1") + body


class HardenedSyncWorker(SyncWorker):
    """Gunicorn's sync worker whose own error answers carry the security headers."""

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        status, reason = 500, "Internal Server Error"
        if isinstance(exc, http_errors.ParseException):
            status, reason = 400, "Bad Request"
            for kind, code, text in _GUNICORN_STATUS:
                if isinstance(exc, kind):
                    status, reason = code, text
            self.log.warning("refused a malformed request: %s", type(exc).__name__)
        else:
            self.log.error("error handling a request: %s", type(exc).__name__)
        try:
            client.sendall(error_response(status, reason))
        except OSError:
            self.log.debug("could not send the error response")


class _Application(BaseApplication):
    def __init__(self, published_path: Path, options: dict[str, Any], host: str = "") -> None:
        self._published_path = published_path
        self._options = options
        self._host = host or str(options.get("bind", "127.0.0.1")).rsplit(":", 1)[0]
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from dashboard.app import create_app, warm_up

        no_debug(os.environ)
        settings = AuthSettings.from_env(
            os.environ, secrets_dir(self._published_path), host=self._host
        )
        limits = ServerLimits.from_env(os.environ, workers=int(self.cfg.workers))
        log = logging.getLogger("gunicorn.error")
        notes = startup_notes(settings, self._host, os.environ)
        for note in notes + limits.notes(int(self.cfg.workers)):
            log.warning("%s", note)
        shared = os.environ.get(RENDER_DIR_ENV)
        app = create_app(
            self._published_path,
            auth_settings=settings,
            render_dir=Path(shared) if shared else None,
            limits=limits,
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
        "worker_class": "dashboard.server.HardenedSyncWorker",
        "timeout": 60,
        "graceful_timeout": 20,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "info",
        "preload_app": True,
        "reload": False,
        "limit_request_line": 4094,
        "limit_request_fields": 100,
        "control_socket_disable": True,
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
    _Application(published_path, gunicorn_options(host, port, workers), host).run()
