"""Serve the dashboard under gunicorn (several workers, never Dash's debug server).

Why gunicorn's programmatic API: `observatory serve` passes the published path and the socket
options directly, without a config file; each worker builds its own app and opens the published
file per request, so a publish (os.replace) is seen by every worker at its next request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication


class _Application(BaseApplication):
    def __init__(self, published_path: Path, options: dict[str, Any]) -> None:
        self._published_path = published_path
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from dashboard.app import create_app

        return create_app(self._published_path).server


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
        "preload_app": False,
    }


def run(published_path: Path, host: str = "127.0.0.1", port: int = 8050, workers: int = 2) -> None:
    """Block serving the dashboard at http://host:port with `workers` processes."""
    _Application(published_path, gunicorn_options(host, port, workers)).run()
