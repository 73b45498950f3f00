"""What the dashboard may read exists in what the pipeline publishes: every relation and column
of the allowlists of dashboard/data/ is in a demo-built published.duckdb (and in the
dashboard tests' fixture, so those tests exercise the same shape).

Why: the allowlists are the dashboard's half of the contract at published.duckdb; a column
renamed in a mart without the allowlist following would show as a maintenance page in
production, not as a failing test.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard import data
from tests.dashboard.published_fixture import make_published


def _columns(path: Path) -> dict[tuple[str, str], set[str]]:
    """Read through the dashboard's own read-only connection (one configuration per file in a
    process: the other tests of the session have it open already). The pool-manager tier's
    file beside it (restricted.duckdb, tables in `main`) is listed as schema `restricted`."""
    out: dict[tuple[str, str], set[str]] = {}
    tier = path.with_name("restricted.duckdb")
    for file, label in ((path, None), (tier, "restricted")):
        if not file.is_file():
            continue
        frame = data.query(
            file,
            "SELECT schema_name, table_name, column_name FROM duckdb_columns()"
            " WHERE database_name = current_database()",
        )
        for schema, table, column in frame.itertuples(index=False):
            out.setdefault((label or schema, table), set()).add(column)
    return out


def expected() -> dict[tuple[str, str], set[str]]:
    """(schema, relation) → the columns the dashboard's allowlists may name."""
    out: dict[tuple[str, str], set[str]] = {}
    for mart, (dims, measures) in data.MARTS.items():
        out[("marts", mart)] = {
            *dims,
            *measures,
            *(f"{m}_flag" for m in measures),
            *data.EXTRA_COLUMNS.get(mart, ()),
        }
    for mart, (dims, measures) in data.RESTRICTED.items():
        out[("restricted", mart)] = {*dims, *measures, *(f"{m}_flag" for m in measures)}
    for relation, columns in data.CONTEXT.items():
        out[("context", relation)] = set(columns)
    return out


def missing(path: Path) -> list[str]:
    found = _columns(path)
    gaps = []
    for key, columns in expected().items():
        have = found.get(key)
        if have is None:
            gaps.append(f"{key[0]}.{key[1]} (relation)")
            continue
        gaps += [f"{key[0]}.{key[1]}.{c}" for c in sorted(columns - have)]
    return gaps


def test_demo_build_publishes_every_allowlisted_column(demo_published: Path) -> None:
    assert not missing(demo_published)


def test_fixture_has_every_allowlisted_column(tmp_path: Path) -> None:
    assert not missing(make_published(tmp_path / "published.duckdb"))


def test_a_missing_column_is_found(tmp_path: Path) -> None:
    path = make_published(tmp_path / "published.duckdb")
    con = duckdb.connect(str(path))
    con.execute("ALTER TABLE marts.mart_commune DROP COLUMN population")
    con.close()
    data.close_all()
    assert missing(path) == ["marts.mart_commune.population"]


def test_the_published_file_holds_no_restricted_relation(demo_published: Path) -> None:
    """The analysts' file is public: the managers' tier lives in restricted.duckdb only."""
    frame = data.query(
        demo_published,
        "SELECT schema_name, table_name FROM duckdb_tables()"
        " WHERE database_name = current_database()",
    )
    assert "restricted" not in set(frame["schema_name"])
    assert not set(frame["table_name"]) & set(data.RESTRICTED)
    assert (demo_published.with_name("restricted.duckdb").stat().st_mode & 0o777) == 0o600


@pytest.mark.parametrize("mart", sorted(data.MARTS))
def test_every_public_mart_is_published(demo_published: Path, mart: str) -> None:
    assert ("marts", mart) in _columns(demo_published)
