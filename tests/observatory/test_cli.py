"""The `observatory` command as a user types it: settings, listing, refusals and exit codes."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from observatory.cli import main
from observatory.settings import DATA_DIR_ENV, data_dir_from, load_settings


def test_data_dir_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    assert data_dir_from(None) == Path("data")
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "env"))
    assert data_dir_from(None) == tmp_path / "env"
    assert data_dir_from(str(tmp_path / "cli")) == tmp_path / "cli"
    settings = load_settings(str(tmp_path / "cli"))
    assert settings.paths.published == tmp_path / "cli" / "warehouse" / "published.duckdb"
    assert settings.suppression_threshold == 10


def _published(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    path = data / "warehouse" / "published.duckdb"
    path.parent.mkdir(parents=True)
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA core")
    con.execute("CREATE TABLE core.dim_pool AS SELECT 'technicity' AS pool_id")
    con.close()
    return data


def test_sql_reads_and_refuses_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _published(tmp_path)
    assert (
        main(
            ["--data-dir", str(data), "sql", "SELECT pool_id FROM core.dim_pool", "--format", "csv"]
        )
        == 0
    )
    assert capsys.readouterr().out.splitlines() == ["pool_id", "technicity"]
    assert main(["--data-dir", str(data), "sql", "DROP TABLE core.dim_pool"]) == 1
    assert "read-only" in capsys.readouterr().err


def test_query_lists_named_queries(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query"]) == 0
    listing = capsys.readouterr().out
    assert "placement_by_pool_sex" in listing and "--param year=" in listing


def test_unknown_query_and_missing_warehouse_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _published(tmp_path)
    assert main(["--data-dir", str(data), "query", "no_such_query"]) == 1
    assert "no query named" in capsys.readouterr().err
    assert main(["--data-dir", str(tmp_path / "empty"), "sql", "SELECT 1"]) == 1
    assert "observatory load" in capsys.readouterr().err
    assert main(["--data-dir", str(tmp_path / "empty"), "publish"]) == 1
    assert "no warehouse" in capsys.readouterr().err


def test_user_refuses_an_unknown_pool(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path), "user", "anna", "--pool", "nowhere"]) == 1
    assert "unknown pool" in capsys.readouterr().err


def test_sql_stops_a_runaway_statement_at_the_time_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attack: `SELECT count(*) FROM range(1e12)` ran until killed."""
    data = _published(tmp_path)
    endless = "SELECT count(*) FROM range(1000000000000)"
    args = ["--data-dir", str(data), "sql", endless]
    assert main([*args, "--timeout", "0.3"]) == 1
    assert "stopped after 0.3 s" in capsys.readouterr().err
    monkeypatch.setenv("OBSERVATORY_SQL_TIMEOUT_SECONDS", "0.2")
    assert main(args) == 1  # the setting, without --timeout
    assert "stopped after 0.2 s" in capsys.readouterr().err
    monkeypatch.setenv("OBSERVATORY_SQL_TIMEOUT_SECONDS", "30")
    assert main(["--data-dir", str(data), "sql", "SELECT pool_id FROM core.dim_pool"]) == 0


def test_sql_table_output_shows_a_bounded_number_of_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _published(tmp_path)
    many = "SELECT range AS n FROM range(100000000000)"  # far too many to fetch
    assert main(["--data-dir", str(data), "sql", many, "--max-rows", "5"]) == 0
    shown = capsys.readouterr().out
    assert "first 5 rows shown, there are more" in shown
    assert "│ 4 │" in shown and "│ 5 │" not in shown
    assert main(["--data-dir", str(data), "sql", "SELECT range AS n FROM range(3)"]) == 0
    assert "3 rows" in capsys.readouterr().out
    csv_rows = "SELECT range AS n FROM range(2000)"
    assert main(["--data-dir", str(data), "sql", csv_rows, "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2001  # csv: every row


def test_the_analysts_sql_cannot_reach_the_managers_tier(
    demo_published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Attack (issue 15.12): `observatory sql "SELECT * FROM restricted.mart_programme_month"`
    returned every pool's programme detail. The analysts' file now holds none of it, and the
    SQL cannot open the managers' file beside it (no file access from the analysts' SQL)."""
    data = demo_published.parent.parent
    steal = "SELECT * FROM restricted.mart_programme_month"
    assert main(["--data-dir", str(data), "sql", steal]) == 1
    capsys.readouterr()
    tier = demo_published.with_name("restricted.duckdb")
    assert tier.is_file()  # the managers' tier was published, beside the analysts' file
    for attempt in (
        f"ATTACH '{tier}' AS r (READ_ONLY)",
        f"SELECT * FROM '{tier}'",
    ):
        assert main(["--data-dir", str(data), "sql", attempt]) == 1, attempt
    capsys.readouterr()
    assert main(["--data-dir", str(data), "sql", "SELECT count(*) FROM marts.mart_commune"]) == 0
