"""Dash's polyfill and dash_table's bundle are left out of the pages, and nothing needs them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from dashboard import data, lean_scripts
from dashboard.app import create_app

ROOT = Path(__file__).resolve().parents[2]


def test_a_page_has_regenerator_runtime_and_neither_the_polyfill_nor_dash_table(
    published: Path,
) -> None:
    client = create_app(published).server.test_client()
    try:
        page_html = client.get("/?lang=fr").get_data(as_text=True)
        scripts = re.findall(r'<script src="([^"]+)"', page_html)
        assert not [s for s in scripts if "polyfill" in s or "dash_table" in s]
        runtime = [s for s in scripts if lean_scripts.RUNTIME in s]
        assert len(runtime) == 1
        # before Dash's renderer and components, after React
        names = [s.split("/")[-1] for s in scripts]
        at = names.index(runtime[0].split("/")[-1])
        assert any(n.startswith("react-dom") for n in names[:at])
        assert any(n.startswith("dash_renderer") for n in names[at:])
        r = client.get(runtime[0])
        assert r.status_code == 200
        assert b"regeneratorRuntime" in r.get_data()
    finally:
        data.close_all()


def test_the_dashboard_never_uses_a_datatable() -> None:
    """dash_table's bundle is left out of every page: a DataTable would not render."""
    for path in (ROOT / "dashboard").rglob("*.py"):
        if path.name == "lean_scripts.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = {node.module or ""} | {a.name for a in node.names}
            elif isinstance(node, ast.Import):
                names = {a.name for a in node.names}
            elif isinstance(node, ast.Attribute):
                names = {node.attr}
            elif isinstance(node, ast.Name):
                names = {node.id}
            else:
                continue
            assert not {"dash_table", "dash.dash_table", "DataTable"} & names, path
