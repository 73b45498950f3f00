"""Reusable pieces of the pages (frame, filters, figure blocks, download hook)."""

from __future__ import annotations

from typing import Any


def attrs(values: dict[str, Any]) -> dict[str, Any]:
    """HTML attributes Dash's typed signatures do not list (aria-*), passed as `**attrs({...}))`."""
    return values
