"""Fixtures shared by the dashboard tests: a small published file built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dashboard.published_fixture import make_published

__all__ = ["make_published"]


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A read-only published.duckdb shared by the tests that do not modify it."""
    return make_published(tmp_path_factory.mktemp("published") / "published.duckdb")
