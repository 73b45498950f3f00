"""Official statistics through the load: every shipped file lands in context.*, a file no
connector recognises is refused with one line and leaves the context layer as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.load import run_load
from pipelines.paths import DataPaths
from pipelines.publish import publish

OFFICIAL = Path(__file__).resolve().parents[2] / "data" / "reference" / "official"


@pytest.fixture()
def paths(tmp_path: Path) -> DataPaths:
    p = DataPaths.under(tmp_path / "data")
    shutil.copytree(OFFICIAL, p.inbox / "context")
    return p


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_official_files_load_and_are_published(paths: DataPaths) -> None:
    report = run_load(paths, env={}, publish_fn=publish)
    outcomes = {f.file_name: f for f in report.files if f.source == "context"}
    assert len(outcomes) == 5 and all(f.status == "loaded" for f in outcomes.values())
    assert report.exit_code == 0
    # tgs00010.tsv: "PC,Y_GE15,T,BE10 ... 14.8 b" for 2017, in both files
    for db in (paths.warehouse, paths.published):
        assert _rows(
            db,
            "SELECT unemployment_rate, flag FROM context.brussels_unemployment_rate "
            "WHERE year = 2017 AND sex = 'T'",
        ) == [(14.8, "b")]
    # every commune of the opendata.brussels file maps to a NIS code: 19 x 15 years
    assert _rows(
        paths.published,
        "SELECT count(DISTINCT commune_nis), count(DISTINCT year) "
        "FROM context.actiris_jobseekers_commune",
    ) == [(19, 15)]


def test_an_unrecognised_file_is_refused_and_changes_nothing(paths: DataPaths) -> None:
    run_load(paths, env={}, publish_fn=publish)
    before = _rows(paths.warehouse, "SELECT count(*), sum(hash(value)) FROM context.observation")
    (paths.inbox / "context" / "lfst_r_lfu3rt_renamed.tsv").write_text(
        "unit,age,sex,region\\year\t2013 \nPC,Y_GE15,T,BE10\t19.2 \n"
    )
    (paths.inbox / "context" / "notes.csv").write_text("this is not a statistics file\n")
    report = run_load(paths, env={}, publish_fn=publish)
    refused = {f.file_name: f for f in report.files if f.status == "rejected"}
    assert set(refused) == {"lfst_r_lfu3rt_renamed.tsv", "notes.csv"}
    for outcome in refused.values():
        assert outcome.message and "\n" not in outcome.message
        assert outcome.message.startswith(outcome.file_name)
    assert report.exit_code == 2
    after = _rows(paths.warehouse, "SELECT count(*), sum(hash(value)) FROM context.observation")
    assert after == before
