"""published.duckdb opens in the DuckDB command line an analyst installs (`duckdb-cli` 1.5.x from
PyPI, a dev dependency), and the README's example queries run there (issue 18)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.load import run_load
from pipelines.paths import DataPaths
from pipelines.protection import protect_all
from pipelines.publish import PUBLISHED_STORAGE_VERSION, PublishSettings, publish

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures_load" / "inbox"
KEY_ENV = {"OBSERVATORY_PSEUDONYM_KEY": "0123456789abcdef0123456789abcdef"}
PROTECT = PublishSettings(suppression_threshold=10, min_rate_denominator=20, keep_builds=0)
# The `duckdb` executable of the duckdb-cli wheel, installed beside this interpreter.
CLI = Path(sys.executable).with_name("duckdb")
MARKER = "<!-- duckdb-cli examples"


def readme_statements() -> list[str]:
    """The SQL statements of the README's DuckDB command-line example block."""
    text = (ROOT / "README.md").read_text("utf-8")
    block = text[text.index(MARKER) :]
    found = re.search(r"```sql\n(.*?)```", block, re.S)
    assert found, "README: the duckdb-cli example block has no ```sql fence"
    return [s.strip() for s in found.group(1).split(";") if s.strip()]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    paths = DataPaths.under(tmp_path_factory.mktemp("storage") / "data")
    shutil.copytree(FIXTURES, paths.inbox)
    run_load(
        paths,
        env=KEY_ENV,
        publish_fn=lambda wh, pub: publish(
            wh, pub, PROTECT, protect_marts=lambda d: protect_all(d, PROTECT)
        ),
    )
    return paths.published


def _cli(database: Path, sql: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), "-readonly", "-csv", str(database), "-c", sql],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_is_a_1_5_release() -> None:
    done = subprocess.run([str(CLI), "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("v1.5."), done.stdout


def test_published_file_is_written_in_the_declared_storage_version(published: Path) -> None:
    con = duckdb.connect(str(published), read_only=True)
    try:
        tags = con.execute(
            "SELECT tags FROM duckdb_databases() WHERE database_name = current_database()"
        ).fetchone()
    finally:
        con.close()
    assert tags is not None
    assert tags[0]["storage_version"].startswith(PUBLISHED_STORAGE_VERSION)


def test_readme_queries_run_in_duckdb_cli_1_5(published: Path) -> None:
    statements = readme_statements()
    assert len(statements) >= 3
    for sql in statements:
        done = _cli(published, sql)
        assert done.returncode == 0, f"{sql}\n{done.stderr}"
        assert "Error" not in done.stderr, done.stderr
        assert done.stdout.strip(), sql
    rows = _cli(
        published,
        "SELECT count(*) FROM marts.mart_pool_participation WHERE trainee_count_flag = 'c'",
    )
    assert rows.returncode == 0 and int(rows.stdout.splitlines()[-1]) >= 0
