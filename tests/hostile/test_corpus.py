"""Every file of the hostile corpus gets the outcome `cases.py` declares: through the reader and
validation (one case at a time), then through the real load (all at once), where a refused file
must leave the warehouse and the published aggregates exactly as they were."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.contracts import CONTRACTS
from pipelines.load import LoadReport, run_load
from pipelines.paths import DataPaths
from pipelines.publish import publish
from pipelines.readers import FileRejected, read_source_file
from pipelines.reference import ReferenceCodes
from pipelines.validation import validate
from tests.hostile.cases import (
    CASES,
    CORPUS,
    KEY_ENV,
    LOADED,
    OFFICIAL_CASES,
    REJECTED,
    SCENARIOS,
    TODAY,
    Case,
    Loaded,
    Rejected,
)
from tests.hostile.make_corpus import PEOPLE
from tests.hostile.state import fingerprint


def test_the_table_lists_every_corpus_file_once() -> None:
    on_disk = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file()}
    listed = [c.file for c in CASES + OFFICIAL_CASES]  # official ones: tests/hostile/test_official
    assert len(listed) == len(set(listed))
    assert set(listed) == on_disk
    assert len(on_disk) >= 40
    assert all(c.source in CONTRACTS for c in CASES)


def _no_raw_insz(text: str) -> None:
    for number in PEOPLE:
        assert number not in text, "a raw INSZ leaked into a message"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_reader_and_validation_give_the_declared_outcome(case: Case, refs: ReferenceCodes) -> None:
    contract = CONTRACTS[case.source]
    outcome = case.outcome
    if isinstance(outcome, Rejected):
        with pytest.raises(FileRejected) as caught:
            raw = read_source_file(case.path, contract)
            validate(raw.frame, contract, refs, TODAY, file_name=case.path.name)
        error = caught.value
        assert error.reason_code == outcome.reason
        assert outcome.says in error.message
        assert "\n" not in error.message and "\r" not in error.message
        assert error.message.startswith(case.path.name)
        _no_raw_insz(error.message)
        return
    assert isinstance(outcome, Loaded)
    raw = read_source_file(case.path, contract)
    checked = validate(raw.frame, contract, refs, TODAY, file_name=case.path.name)
    reasons = dict(checked.bad.group_by("reason_code").len().iter_rows())
    assert (checked.good.height, reasons) == (outcome.rows, outcome.quarantined)
    assert checked.good.height + checked.bad.height == raw.rows_read
    for detail in checked.bad.get_column("reason_detail").to_list():
        assert detail and "\n" not in detail
        _no_raw_insz(detail)
    for name in contract.required:
        if not contract.field(name).nullable:
            assert checked.good.get_column(name).null_count() == 0, name


def _add_to_inbox(paths: DataPaths, cases: tuple[Case, ...]) -> None:
    for case in cases:
        target = paths.source_inbox(case.source) / case.path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(case.path, target)


def _load(paths: DataPaths) -> LoadReport:
    return run_load(paths, env=KEY_ENV, today=TODAY, publish_fn=publish)


def test_refused_files_change_nothing_in_either_file(loaded: DataPaths) -> None:
    warehouse_before = fingerprint(loaded.warehouse, ("raw", "staging", "core", "marts"))
    published_before = fingerprint(loaded.published, ("core", "marts", "context"))
    _add_to_inbox(loaded, REJECTED)
    report = _load(loaded)
    by_file = {(f.source, f.file_name): f for f in report.files}
    for case in REJECTED:
        assert isinstance(case.outcome, Rejected)
        got = by_file[(case.source, case.path.name)]
        assert got.status == "rejected", case.file
        assert got.message and got.message.startswith(f"[{case.outcome.reason}]"), got.message
        assert got.rows_loaded == 0
    assert report.exit_code == 2
    assert report.published
    assert fingerprint(loaded.warehouse, ("raw", "staging", "core", "marts")) == warehouse_before
    assert fingerprint(loaded.published, ("core", "marts", "context")) == published_before
    # the refusals are recorded, with their one-line reason, for the operator
    con = duckdb.connect(str(loaded.published), read_only=True)
    try:
        rows = con.execute(
            "SELECT count(*) FROM meta.load_summary WHERE status = 'rejected' "
            "AND reason IS NOT NULL AND position(chr(10) IN reason) = 0"
        ).fetchone()
    finally:
        con.close()
    assert rows == (len(REJECTED),)
    # and loading again changes nothing more
    again = _load(loaded)
    assert {f.status for f in again.files} == {"unchanged"}


def test_accepted_files_load_and_quarantine_as_declared(loaded: DataPaths) -> None:
    _add_to_inbox(loaded, LOADED)
    report = _load(loaded)
    by_file = {(f.source, f.file_name): f for f in report.files}
    con = duckdb.connect(str(loaded.warehouse), read_only=True)
    try:
        for case in LOADED:
            assert isinstance(case.outcome, Loaded)
            name = case.path.name
            got = by_file[(case.source, name)]
            assert got.status == "loaded", (case.file, got.message)
            assert (got.rows_loaded, got.reasons) == (case.outcome.rows, case.outcome.quarantined)
            in_raw = con.execute(
                f"SELECT count(*) FROM raw.{case.source} WHERE source_file = ?", [name]
            ).fetchone()
            assert in_raw == (case.outcome.rows,), case.file
            summary = dict(
                con.execute(
                    "SELECT reason_code, row_count FROM meta.quarantine_summary "
                    "WHERE source = ? AND file_name = ?",
                    [case.source, name],
                ).fetchall()
            )
            assert summary == case.outcome.quarantined, case.file
            quarantine_files = list((loaded.quarantine / case.source).glob(f"{Path(name).stem}.*"))
            assert len(quarantine_files) == (1 if case.outcome.quarantined else 0), case.file
    finally:
        con.close()


def test_duplicate_keys_across_files_keep_the_latest(loaded: DataPaths) -> None:
    pair = tuple(c for c in LOADED if c.path.name.startswith("dup_across_"))
    _add_to_inbox(loaded, pair)
    _load(loaded)
    con = duckdb.connect(str(loaded.warehouse), read_only=True)
    try:
        rows = con.execute(
            "SELECT count(*), count(DISTINCT vacancy_id), bool_and(outcome = 'filled') "
            "FROM core.fct_vacancy WHERE vacancy_id LIKE 'DX%'"
        ).fetchone()
        raw = con.execute("SELECT count(*) FROM raw.vacancies WHERE vacancy_id LIKE 'DX%'")
        assert raw.fetchone() == (12,)
    finally:
        con.close()
    assert rows == (6, 6, True)


def test_a_corrected_redelivery_replaces_the_files_rows(loaded: DataPaths) -> None:
    inbox = loaded.source_inbox("vacancies") / "vacancies_2024.csv"
    shutil.copyfile(SCENARIOS / "redelivery" / "v1" / "vacancies_2024.csv", inbox)
    first = next(f for f in _load(loaded).files if f.file_name == inbox.name)
    assert (first.status, first.rows_loaded, first.reasons) == (
        "loaded",
        5,
        {"end_before_start": 1},
    )
    shutil.copyfile(SCENARIOS / "redelivery" / "v2" / "vacancies_2024.csv", inbox)
    second = next(f for f in _load(loaded).files if f.file_name == inbox.name)
    assert (second.status, second.rows_loaded, second.reasons) == ("replaced", 6, {})
    for db in (loaded.warehouse,):
        con = duckdb.connect(str(db), read_only=True)
        try:
            ids = con.execute(
                "SELECT list(vacancy_id ORDER BY vacancy_id) FROM core.fct_vacancy "
                "WHERE vacancy_id LIKE 'RD%'"
            ).fetchone()
            raw = con.execute(
                "SELECT count(*) FROM raw.vacancies WHERE source_file = ?", [inbox.name]
            ).fetchone()
        finally:
            con.close()
        assert ids == (["RD1", "RD2", "RD3", "RD4", "RD5", "RD7"],)
        assert raw == (6,)
    con = duckdb.connect(str(loaded.published), read_only=True)
    try:
        left = con.execute(
            "SELECT count(*) FROM meta.quarantine_summary WHERE file_name = ?", [inbox.name]
        ).fetchone()
        status = con.execute(
            "SELECT status FROM meta.load_summary WHERE file_name = ?", [inbox.name]
        ).fetchone()
    finally:
        con.close()
    assert left == (0,)  # the first delivery's quarantine no longer counts
    assert status == ("replaced",)
