"""Publishing as one library call: build published.duckdb with every mart protected.

Why: protection (`pipelines.protection.protect_all`) and the published file
(`pipelines.publish.publish`) are two floors; this is the one place that puts them together,
for the `observatory` command, `run_load`'s ``publish_fn``, the benchmarks and the tests.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from pipelines.protection import protect_all, protect_restricted
from pipelines.publish import publish
from pipelines.settings import PublishSettings


def publish_protected(
    warehouse: Path, published: Path, settings: PublishSettings | None = None
) -> Path:
    """Build published.duckdb from `warehouse` aside, every public mart protected with
    `settings`, and restricted.duckdb beside it (the pool-manager tier), and swap them in;
    return the published file's path."""
    chosen = settings or PublishSettings()
    return publish(
        warehouse,
        published,
        chosen,
        protect_marts=lambda dst: protect_all(dst, chosen),
        protect_restricted=lambda dst: protect_restricted(dst, chosen),
    )


def publisher(settings: PublishSettings) -> Callable[[Path, Path], Path]:
    """`publish_protected` with its settings bound: ``publish_fn(warehouse, published)`` as
    `pipelines.load.run_load` takes it."""
    return partial(publish_protected, settings=settings)
