"""The load end to end on small fixture files: counts, quarantine, idempotency, re-delivery,
personal data, interrupted builds and concurrent loads."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

import pipelines.load as load_module
from pipelines.load import LoadBusy, exclusive_lock, run_load
from pipelines.paths import DataPaths
from pipelines.publish import publish
from pipelines.publishing import publish_protected
from pipelines.settings import PublishSettings
from tests.hostile.state import fingerprint

FIXTURES = Path(__file__).parent / "fixtures_load" / "inbox"
KEY_ENV = {"OBSERVATORY_PSEUDONYM_KEY": "0123456789abcdef0123456789abcdef"}
RAW_INSZ = [
    "85073003328",
    "90010204546",
    "01030410144",
    "78121121299",
    "95060600707",
    "88040405057",
    "99090906165",
]
PROTECT = PublishSettings(suppression_threshold=10, min_rate_denominator=20, keep_builds=0)
NAMES = ["Dupont", "Janssens", "Peeters", "Vandermeulen", "Claes"]


@pytest.fixture()
def paths(tmp_path: Path) -> DataPaths:
    p = DataPaths.under(tmp_path / "data")
    shutil.copytree(FIXTURES, p.inbox)
    return p


def _load(paths: DataPaths, env: dict[str, str] | None = None) -> load_module.LoadReport:
    return run_load(paths, env=env if env is not None else KEY_ENV, publish_fn=publish)


def _count(db: Path, sql: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(sql).fetchone()
        assert row is not None
        return int(row[0])
    finally:
        con.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_first_load_counts_and_quarantine(paths: DataPaths) -> None:
    report = _load(paths)
    by_file = {f.file_name: f for f in report.files}
    assert by_file["enrolments_2024.csv"].rows_read == 6
    assert by_file["enrolments_2024.csv"].rows_loaded == 5
    assert by_file["enrolments_2024.csv"].reasons == {"bad_insz": 1}
    assert by_file["inscriptions_construcity_2024.csv"].rows_loaded == 1
    assert by_file["vacancies_2024.csv"].reasons == {"end_before_start": 1}
    assert report.exit_code == 2
    wh = paths.warehouse
    assert _count(wh, "SELECT count(*) FROM core.fct_enrolment") == 6
    assert _count(wh, "SELECT count(*) FROM core.fct_vacancy") == 5
    assert _count(wh, "SELECT count(*) FROM core.fct_jobseeker_month") == 3
    assert _count(wh, "SELECT sum(row_count) FROM meta.quarantine_summary") == 2
    # the cp1252 / ';' / FR-header file is read right: accent and Belgian date intact
    assert (
        _count(
            wh,
            "SELECT count(*) FROM core.fct_enrolment WHERE programme_name = 'Maçon' "
            "AND start_date = DATE '2024-01-15' AND status = 'completed' AND has_certificate",
        )
        == 1
    )
    quarantined = list((paths.quarantine / "enrolments").glob("*.csv"))
    assert len(quarantined) == 1
    assert _count(paths.published, "SELECT count(*) FROM meta.quarantine_summary") == 2
    assert not list(paths.warehouse_dir.glob("*.wal"))
    assert not list(paths.warehouse_dir.glob(".*building*"))


def test_loading_again_changes_nothing(paths: DataPaths) -> None:
    _load(paths)
    before = _count(paths.warehouse, "SELECT count(*) FROM raw.enrolments")
    manifest = _count(paths.warehouse, "SELECT count(*) FROM meta.load_manifest")
    report = _load(paths)
    assert {f.status for f in report.files} == {"unchanged"}
    assert report.exit_code == 0
    assert _count(paths.warehouse, "SELECT count(*) FROM raw.enrolments") == before
    assert _count(paths.warehouse, "SELECT count(*) FROM meta.load_manifest") == manifest


def test_same_content_under_another_name_is_not_counted_twice(paths: DataPaths) -> None:
    _load(paths)
    src = paths.source_inbox("vacancies") / "vacancies_2024.csv"
    shutil.copyfile(src, src.with_name("vacancies_2024_copy.csv"))
    report = _load(paths)
    copy = next(f for f in report.files if f.file_name == "vacancies_2024_copy.csv")
    assert copy.status == "unchanged"
    assert _count(paths.warehouse, "SELECT count(*) FROM core.fct_vacancy") == 5


def test_redelivery_replaces_that_files_rows(paths: DataPaths) -> None:
    _load(paths)
    vac = paths.source_inbox("vacancies") / "vacancies_2024.csv"
    lines = vac.read_text().splitlines()
    # corrected file: V3's dates fixed, V6 withdrawn, V7 added
    fixed = [ln.replace("2024-03-01,2024-02-01", "2024-03-01,2024-04-01") for ln in lines]
    fixed = [ln for ln in fixed if not ln.startswith("V6,")] + [
        "V7,2024-04-02,,7412,,43.21,21001,1,open"
    ]
    vac.write_text("\n".join(fixed) + "\n")
    report = _load(paths)
    outcome = next(f for f in report.files if f.file_name == "vacancies_2024.csv")
    assert outcome.status == "replaced"
    assert outcome.rows_quarantined == 0
    ids = (
        duckdb.connect(str(paths.warehouse), read_only=True)
        .execute("SELECT list(vacancy_id ORDER BY vacancy_id) FROM core.fct_vacancy")
        .fetchone()
    )
    assert ids == (["V1", "V2", "V3", "V4", "V5", "V7"],)


def test_no_raw_insz_or_name_in_either_file(paths: DataPaths) -> None:
    _load(paths)
    for db in (paths.warehouse, paths.published):
        data = db.read_bytes()
        for secret in RAW_INSZ + NAMES:
            assert secret.encode() not in data, f"{secret} found in {db.name}"
        con = duckdb.connect(str(db), read_only=True)
        cols = con.execute(
            "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
            "WHERE data_type = 'VARCHAR'"
        ).fetchall()
        for schema, table, col in cols:
            hits = con.execute(
                f'SELECT count(*) FROM {schema}.{table} WHERE "{col}" IN '
                f"(SELECT unnest(?::VARCHAR[]))",
                [RAW_INSZ + NAMES],
            ).fetchone()
            assert hits == (0,), f"{schema}.{table}.{col}"
        con.close()
    assert (
        _count(paths.warehouse, "SELECT count(*) FROM raw.enrolments WHERE birth_year = 1985") == 1
    )


def test_person_level_files_are_refused_without_a_key(paths: DataPaths) -> None:
    report = _load(paths, env={})
    refused = [f for f in report.files if f.status == "rejected"]
    assert {f.source for f in refused} == {"enrolments", "placements"}
    assert all("OBSERVATORY_PSEUDONYM_KEY" in (f.message or "") for f in refused)
    assert _count(paths.warehouse, "SELECT count(*) FROM core.fct_vacancy") == 5
    # once the key is there, the same files load
    report = _load(paths)
    assert _count(paths.warehouse, "SELECT count(*) FROM core.fct_enrolment") == 6


def test_interrupted_build_leaves_both_files_whole(
    paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load(paths)
    wh, pub = _digest(paths.warehouse), _digest(paths.published)
    extra = paths.source_inbox("vacancies") / "vacancies_2024_late.csv"
    extra.write_text(
        "vacancy_id,received_date,closed_date,occupation_isco,occupation_rome,nace,commune_nis,"
        "position_count,outcome\nV9,2024-05-01,,7412,,43.21,21001,1,open\n"
    )

    def crash(*args: object, **kwargs: object) -> list[str]:
        raise RuntimeError("simulated crash during build")

    monkeypatch.setattr(load_module, "build", crash)
    with pytest.raises(RuntimeError, match="simulated crash"):
        _load(paths)
    assert _digest(paths.warehouse) == wh
    assert _digest(paths.published) == pub
    assert not list(paths.warehouse_dir.glob(".*building*"))
    monkeypatch.undo()
    report = _load(paths)
    assert (
        next(f for f in report.files if f.file_name == "vacancies_2024_late.csv").status == "loaded"
    )
    assert _count(paths.warehouse, "SELECT count(*) FROM core.fct_vacancy") == 6


def test_a_second_load_is_refused_while_one_runs(paths: DataPaths) -> None:
    paths.ensure()
    with exclusive_lock(paths), pytest.raises(LoadBusy, match="another load"):
        _load(paths)


def test_every_table_and_column_is_commented(paths: DataPaths) -> None:
    _load(paths)
    for db in (paths.warehouse, paths.published):
        con = duckdb.connect(str(db), read_only=True)
        tables = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() "
            "WHERE NOT internal AND (comment IS NULL OR comment = '')"
        ).fetchall()
        cols = con.execute(
            "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
            "WHERE NOT internal AND (comment IS NULL OR comment = '')"
        ).fetchall()
        con.close()
        assert tables == [], f"{db.name}: tables without comment {tables}"
        assert cols == [], f"{db.name}: columns without comment {cols[:10]}"


def _protected_publish(warehouse: Path, published: Path) -> Path:
    return publish_protected(warehouse, published, PROTECT)


def test_a_new_vacancy_file_rebuilds_and_reprotects_only_what_it_touches(
    paths: DataPaths, tmp_path: Path
) -> None:
    """One more month of vacancies: the vacancy chain is rebuilt, the enrolment chain is not,
    and both files end up exactly as a load of the whole inbox from nothing leaves them."""
    first = run_load(paths, env=KEY_ENV, publish_fn=_protected_publish)
    assert "marts.mart_pool_participation" in first.relations_built
    extra = paths.source_inbox("vacancies") / "vacancies_2024_q4.csv"
    extra.write_text(
        "vacancy_id,received_date,closed_date,occupation_isco,occupation_rome,nace,"
        "commune_nis,position_count,outcome\n"
        "V8,2024-10-03,,7412,,43.21,21001,1,open\n"
        "V9,2024-10-17,2024-10-30,2512,M1805,62.01,21004,2,filled\n"
    )
    second = run_load(paths, env=KEY_ENV, publish_fn=_protected_publish)
    built = set(second.relations_built)
    assert {"staging.stg_vacancies", "core.fct_vacancy"} <= built
    assert "marts.mart_labour_market_occupation" in built
    assert not built & {
        "staging.stg_enrolments",
        "core.fct_enrolment",
        "marts.mart_pool_participation",
        "marts.mart_pool_placement",
        "core.dim_pool",
    }
    assert run_load(paths, env=KEY_ENV, publish_fn=_protected_publish).relations_built == []
    scratch = DataPaths.under(tmp_path / "scratch")
    shutil.copytree(paths.inbox, scratch.inbox)
    run_load(scratch, env=KEY_ENV, publish_fn=_protected_publish)
    # (staging and core carry load ids, which depend on the order files were loaded in)
    schemas = ("marts", "context")
    assert fingerprint(paths.warehouse, schemas) == fingerprint(scratch.warehouse, schemas)
    published = ("core", "marts", "context")
    assert fingerprint(paths.published, published) == fingerprint(scratch.published, published)
    assert fingerprint(paths.restricted, ("main",)) == fingerprint(scratch.restricted, ("main",))
