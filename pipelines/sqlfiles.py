"""The SQL files under queries/: one relation per file, documented in its own header.

A file's leading comment block carries the relation's description (first line) and one
`-- column: description` line per output column. Reading it here gives the build its `COMMENT ON`
statements and the data dictionary its text, so the documentation cannot drift from the SQL.

A header may also declare ``-- incremental: <key> from <schema.table>``: each output row for a key
value depends only on that input's rows with the same key (plus inputs that did not change), so
a load that only appends rows to the input can rebuild just the keys it touched
(`pipelines.build`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_COLUMN_LINE = re.compile(r"^--\s*([a-z_][a-z0-9_]*)\s*:\s*(.+)$")
_KEY_LINE = re.compile(r"^--\s*(title|description|param|incremental)\s*:\s*(.+)$", re.IGNORECASE)
_INCREMENTAL = re.compile(r"^([a-z_][a-z0-9_]*)\s+from\s+([a-z_]+\.[a-z0-9_]+)$")


@dataclass(frozen=True)
class Incremental:
    """``-- incremental: key from source``: rows per `key` depend only on `source`'s rows with
    that key, so appending to `source` rebuilds only the keys appended."""

    key: str
    source: str


@dataclass(frozen=True)
class SqlFile:
    """One relation: where it lives, its SQL body and its documentation."""

    layer: str
    name: str
    path: Path
    sql: str
    description: str
    columns: dict[str, str] = field(default_factory=dict)
    incremental: Incremental | None = None

    @property
    def qualified(self) -> str:
        return f"{self.layer}.{self.name}"


def parse_sql_file(path: Path, layer: str | None = None) -> SqlFile:
    """Split a queries/ file into its header documentation and its SQL body."""
    text = path.read_text(encoding="utf-8")
    description = ""
    columns: dict[str, str] = {}
    incremental: Incremental | None = None
    body_lines: list[str] = []
    in_header = True
    for line in text.splitlines():
        stripped = line.strip()
        if in_header and (stripped.startswith("--") or not stripped):
            if not stripped:
                continue
            col = _COLUMN_LINE.match(stripped)
            key = _KEY_LINE.match(stripped)
            if key and key.group(1).lower() == "incremental":
                found = _INCREMENTAL.match(key.group(2).strip())
                if found is None:
                    raise ValueError(
                        f"{path}: write the incremental line as '-- incremental: <key> from "
                        f"<schema.table>', not {key.group(2).strip()!r}"
                    )
                incremental = Incremental(found.group(1), found.group(2))
            elif col and not key:
                columns[col.group(1)] = col.group(2).strip()
            elif not description:
                description = stripped.lstrip("-").strip()
            continue
        in_header = False
        body_lines.append(line)
    sql = "\n".join(body_lines).strip().rstrip(";").strip()
    if not sql:
        raise ValueError(f"{path}: no SQL statement after the header")
    if not description:
        raise ValueError(f"{path}: the header's first line must describe the relation")
    return SqlFile(
        layer=layer or path.parent.name,
        name=path.stem,
        path=path,
        sql=sql,
        description=description,
        columns=columns,
        incremental=incremental,
    )


def discover(queries_dir: Path, layers: tuple[str, ...]) -> list[SqlFile]:
    """All relation files of the given layers, in dependency order.

    Order is the layers' order, then within (and across) layers a topological sort on the
    `layer.name` references each file makes, so a mart that reads another mart is built after it.
    """
    files = [
        parse_sql_file(p, layer)
        for layer in layers
        for p in sorted((queries_dir / layer).glob("*.sql"))
    ]
    by_name = {f.qualified: f for f in files}
    deps: dict[str, set[str]] = {}
    for f in files:
        refs = set(re.findall(r"\b([a-z_]+)\.([a-z0-9_]+)\b", _strip_comments(f.sql)))
        deps[f.qualified] = {f"{s}.{n}" for s, n in refs if f"{s}.{n}" in by_name} - {f.qualified}
    ordered: list[SqlFile] = []
    done: set[str] = set()
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in done:
            return
        if name in visiting:
            raise ValueError(f"circular reference between SQL files involving {name}")
        visiting.add(name)
        for dep in sorted(deps[name]):
            visit(dep)
        visiting.discard(name)
        done.add(name)
        ordered.append(by_name[name])

    for f in files:
        visit(f.qualified)
    return ordered


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)
