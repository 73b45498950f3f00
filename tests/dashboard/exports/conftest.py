"""Fixtures of the export tests: the shared published fixture, and a copy whose labels try a
formula injection and whose tables carry COMMENT ON texts."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.dashboard.published_fixture import make_published

HOSTILE_POOL = '=HYPERLINK("http://evil.example","click")'
HOSTILE_FUNCTION = "@SUM(1+1)"
HOSTILE_OCCUPATION = "-2+3"
HOSTILE_CODE_LABEL = "+cmd|' /C calc'!A0"


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A published file with formula-looking labels and documented columns."""
    path = make_published(tmp_path_factory.mktemp("hostile") / "published.duckdb")
    con = duckdb.connect(str(path))
    try:
        con.execute(
            "UPDATE core.dim_pool SET name_fr = ?, name_nl = ?, name_en = ?"
            " WHERE pool_id = 'technicity'",
            [HOSTILE_POOL] * 3,
        )
        con.execute(
            "UPDATE core.dim_pool_function SET name_fr = ? WHERE function_id = 'job_matching'",
            [HOSTILE_FUNCTION],
        )
        con.execute(
            "UPDATE core.dim_occupation SET label_fr = ? WHERE occupation_code = '7212'",
            [HOSTILE_OCCUPATION],
        )
        con.execute(
            "UPDATE core.dim_code SET label_fr = ? WHERE code_list = 'sex' AND code = 'F'",
            [HOSTILE_CODE_LABEL],
        )
        con.execute(
            "COMMENT ON TABLE marts.mart_pool_placement IS 'Follow-up of leavers per cohort.'"
        )
        con.execute(
            "COMMENT ON COLUMN marts.mart_pool_placement.leaver_count IS 'Exits in the cohort.'"
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path
