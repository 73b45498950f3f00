"""Fixtures shared across test packages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.demo_published import build_demo


@pytest.fixture(scope="session")
def demo_published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """published.duckdb of a small demo built by the real pipeline (read it, do not edit)."""
    return build_demo(tmp_path_factory.mktemp("demo") / "data")
