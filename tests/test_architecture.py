"""The package rules of docs/architecture.md, checked on the source tree (ast, no import).

- `dashboard/` and `pipelines/` never import each other (nor `observatory/`, which wires them);
- in `dashboard/`, only the modules of `dashboard/data/` import duckdb;
- no module uses another module's private (underscore) names;
- no import loop within `dashboard/` nor within `pipelines/` (imports inside functions count:
  a loop hidden in a function body is still a loop);
- no file under `pipelines/` or `dashboard/` over 700 lines, no function over 80 lines.

Why per file: a failing rule names the file that breaks it, so a refactoring in progress shows
what is left (the pipelines cases are ids `pipelines/...`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("dashboard", "pipelines", "observatory", "bench")
MAX_FILE_LINES = 700
MAX_FUNCTION_LINES = 80


@dataclass(frozen=True)
class Source:
    """One module of ours: its dotted name, path and syntax tree."""

    name: str
    path: Path
    tree: ast.Module
    lines: int
    is_package: bool

    @property
    def rel(self) -> str:
        return self.path.relative_to(ROOT).as_posix()


@dataclass
class Imports:
    """What one module imports: modules (dotted, ours or not) and names taken from them."""

    modules: set[str] = field(default_factory=set)
    names: list[tuple[str, str]] = field(default_factory=list)  # (module, name)
    bound: dict[str, str] = field(default_factory=dict)  # local name -> module of ours


@cache
def sources() -> dict[str, Source]:
    found: dict[str, Source] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            text = path.read_text(encoding="utf-8")
            tree = ast.parse(text, filename=str(path))
            name = ".".join(parts)
            found[name] = Source(name, path, tree, len(text.splitlines()), is_package)
    return found


def _absolute(src: Source, node: ast.ImportFrom) -> str:
    """The module an ImportFrom reads from, relative imports resolved."""
    if not node.level:
        return node.module or ""
    base = src.name.split(".")
    if not src.is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


@cache
def imports(name: str) -> Imports:
    src = sources()[name]
    ours = sources()
    out = Imports()
    for node in ast.walk(src.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                out.modules.add(alias.name)
                if alias.name in ours:
                    out.bound[alias.asname or alias.name.split(".")[0]] = (
                        alias.name if alias.asname else alias.name.split(".")[0]
                    )
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(src, node)
            if module == "__future__":
                continue
            for alias in node.names:
                full = f"{module}.{alias.name}"
                if full in ours:  # `from dashboard import data`: the module itself
                    out.modules.add(full)
                    out.bound[alias.asname or alias.name] = full
                else:
                    out.modules.add(module)
                    out.names.append((module, alias.name))
    return out


def _ours(prefix: str) -> list[str]:
    return [n for n in sources() if n == prefix or n.startswith(prefix + ".")]


def _ids(names: list[str]) -> list[str]:
    return [sources()[n].rel for n in names]


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


FORBIDDEN = {
    "dashboard": ("pipelines", "observatory"),
    "pipelines": ("dashboard", "observatory"),
}
LAYERED = _ours("dashboard") + _ours("pipelines")


@pytest.mark.parametrize("name", LAYERED, ids=_ids(LAYERED))
def test_dashboard_and_pipelines_never_import_each_other(name: str) -> None:
    package = name.split(".")[0]
    bad = sorted(m for m in imports(name).modules if any(_in(m, f) for f in FORBIDDEN[package]))
    assert not bad, f"{sources()[name].rel} imports {bad}: they meet at published.duckdb"


DASHBOARD = _ours("dashboard")


@pytest.mark.parametrize("name", DASHBOARD, ids=_ids(DASHBOARD))
def test_only_the_data_package_imports_duckdb(name: str) -> None:
    if _in(name, "dashboard.data"):
        return
    assert not any(_in(m, "duckdb") for m in imports(name).modules), (
        f"{sources()[name].rel} imports duckdb: every query goes through dashboard/data/"
    )


def _private_uses(name: str) -> Iterator[str]:
    """`from ours import _x` and `module_of_ours._x` in module `name`."""
    found = imports(name)
    for module, imported in found.names:
        if module in sources() and module != name and _private(imported):
            yield f"{module}.{imported}"
    for node in ast.walk(sources()[name].tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in found.bound
            and found.bound[node.value.id] != name
            and _private(node.attr)
        ):
            yield f"{found.bound[node.value.id]}.{node.attr}"


ALL = list(sources())


@pytest.mark.parametrize("name", ALL, ids=_ids(ALL))
def test_no_module_uses_another_modules_private_names(name: str) -> None:
    uses = sorted(set(_private_uses(name)))
    assert not uses, f"{sources()[name].rel} uses private names of other modules: {uses}"


def _cycles(package: str) -> list[list[str]]:
    """Strongly connected components of more than one module (or a module importing itself)."""
    members = set(_ours(package))
    graph = {n: sorted(m for m in imports(n).modules if m in members and m != n) for n in members}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in sorted(members):
        if node not in index:
            visit(node)
    return out


@pytest.mark.parametrize("package", ["dashboard", "pipelines"])
def test_no_import_loop(package: str) -> None:
    assert not _cycles(package), f"import loops in {package}/: {_cycles(package)}"


def test_the_loop_finder_finds_a_loop() -> None:
    """The rule can fail: a made-up pair of modules importing each other is a loop."""
    a = Source("dashboard.zz_a", ROOT / "dashboard" / "zz_a.py", ast.parse(""), 1, False)
    b = Source("dashboard.zz_b", ROOT / "dashboard" / "zz_b.py", ast.parse(""), 1, False)
    saved = dict(sources())
    try:
        sources()["dashboard.zz_a"] = a
        sources()["dashboard.zz_b"] = b
        imports.cache_clear()
        a.tree.body = ast.parse("from dashboard import zz_b").body
        b.tree.body = ast.parse("def f():\n    from dashboard.zz_a import g").body
        assert ["dashboard.zz_a", "dashboard.zz_b"] in _cycles("dashboard")
    finally:
        sources().clear()
        sources().update(saved)
        imports.cache_clear()


SIZED = _ours("dashboard") + _ours("pipelines")


@pytest.mark.parametrize("name", SIZED, ids=_ids(SIZED))
def test_file_length(name: str) -> None:
    src = sources()[name]
    assert src.lines <= MAX_FILE_LINES, f"{src.rel}: {src.lines} lines (> {MAX_FILE_LINES})"


def _long_functions(src: Source) -> list[str]:
    out = []
    for node in ast.walk(src.tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                out.append(f"{node.name} ({length} lines, line {node.lineno})")
    return out


@pytest.mark.parametrize("name", SIZED, ids=_ids(SIZED))
def test_function_length(name: str) -> None:
    long = _long_functions(sources()[name])
    assert not long, f"{sources()[name].rel}: functions over {MAX_FUNCTION_LINES} lines: {long}"
