"""Compressed responses: brotli (or gzip, for a client without it) for pages, JSON and scripts.

Why flask-compress (a dependency since issue 14): Dash's own `compress=True` is the same
library with its defaults; configured here, the order and levels are ours. A first page was 6 MB
of uncompressed scripts; compressed, the scripts are a quarter of their size.

Why a cache for the static files only: the scripts (plotly's bundle is 1.4 MB) never change
while a worker lives, so each worker compresses each of them once per algorithm, instead of at
every first visit; a callback's or a page's answer is compressed at each request (its body
differs from one request to the next under the same URL, so it is never cached).
"""

from __future__ import annotations

import flask
from flask_compress import Compress

# Brotli first (smaller than gzip by ~10 % on our scripts and JSON, in every current browser);
# gzip for the others. zstd is left out: its default level is larger than brotli's here.
ALGORITHMS = ["br", "gzip"]
STREAMING_ALGORITHMS = ["br", "deflate"]  # flask-compress cannot stream gzip
BROTLI_LEVEL = 5  # plotly's bundle: 500 KB at 4, 457 KB at 5, 447 KB at 9 (3× the time)
MIMETYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/geo+json",
    "image/svg+xml",
    "image/x-icon",
    "image/vnd.microsoft.icon",
]
STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/", "/_favicon.ico")
_NOT_KEPT = ";"  # flask-compress prefixes keys with "<algorithm>;": an empty key is not kept


def is_static(path: str) -> bool:
    """A file served as it is on disk (the same bytes for every request of that URL)."""
    return path.startswith(STATIC_PREFIXES)


def cache_key(request: flask.Request) -> str:
    """The URL (query included: Dash's `?m=` / `?v=` fingerprints) of a static file, else ""."""
    return request.full_path if is_static(request.path) else ""


class StaticCache:
    """What flask-compress asks of a cache (get, set), keeping only static files' bytes.

    Bounded by the files a worker serves (a few dozen scripts and stylesheets)."""

    def __init__(self) -> None:
        self._kept: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return None if key.endswith(_NOT_KEPT) else self._kept.get(key)

    def set(self, key: str, value: bytes) -> None:
        if not key.endswith(_NOT_KEPT):
            self._kept[key] = value


def install(server: flask.Flask) -> Compress:
    """Compress the server's responses, as the very last step of every response.

    Why last whatever the order of installation: other after_request hooks read the body
    (dashboard.render_cache keeps a render's JSON to answer it again, to any client): they
    must see it uncompressed. Flask runs after_request hooks last-registered first, so the
    compressor is put at the head of the list instead of being registered by flask-compress."""
    server.config.update(
        COMPRESS_ALGORITHM=ALGORITHMS,
        COMPRESS_ALGORITHM_STREAMING=STREAMING_ALGORITHMS,
        COMPRESS_BR_LEVEL=BROTLI_LEVEL,
        COMPRESS_LEVEL=6,
        COMPRESS_MIMETYPES=MIMETYPES,
        COMPRESS_MIN_SIZE=500,
        COMPRESS_CACHE_KEY=cache_key,
        COMPRESS_CACHE_BACKEND=StaticCache,
        COMPRESS_REGISTER=False,
    )
    compress = Compress(server)
    hooks = server.after_request_funcs.setdefault(None, [])
    hooks.insert(0, compress.after_request)
    hooks.insert(1, _whole_static_files)  # runs just before the compressor
    return compress


def _whole_static_files(response: flask.Response) -> flask.Response:
    """Flask serves /assets as a streamed file: read it into memory (a few MB at most, static
    files only) so that it is compressed once per worker through StaticCache instead of being
    streamed through the compressor at every request."""
    if is_static(flask.request.path) and response.is_streamed and response.status_code == 200:
        response.direct_passthrough = False
        response.set_data(response.get_data())
    return response
