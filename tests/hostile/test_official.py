"""Official statistics through the real load, one hostile file at a time and all at once: each
file is refused or loaded on its own, a header-only file is reported empty (never "loaded" with
0 rows), and a file too odd for its reader (a 10 MB field in an SDMX-CSV) refuses only itself,
so the month's enrolments never wait for a Eurostat file (issue 15, item 15)."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import duckdb
import pytest

from pipelines.load import LoadReport, run_load
from pipelines.paths import DataPaths
from pipelines.publish import publish
from tests.hostile.cases import KEY_ENV, OFFICIAL_CASES, TODAY, Case, Loaded, Rejected
from tests.hostile.make_corpus import ENROLMENT_HEADER, SDMX_HEADER, csv, enrolments, sdmx_line

OFFICIAL = Path(__file__).resolve().parents[2] / "data" / "reference" / "official"
TEN_MB = 10 * 1024 * 1024


def _load(paths: DataPaths) -> LoadReport:
    return run_load(paths, env=KEY_ENV, today=TODAY, publish_fn=publish)


def _context_rows(db: Path, name: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = con.execute(
            "SELECT count(*) FROM context.observation WHERE file_name = ?", [name]
        ).fetchone()
    finally:
        con.close()
    return int(found[0]) if found else 0


def test_each_official_file_gets_its_declared_outcome_beside_the_others(
    loaded: DataPaths,
) -> None:
    inbox = loaded.source_inbox("context")
    shutil.copytree(OFFICIAL, inbox)
    for case in OFFICIAL_CASES:
        shutil.copyfile(case.path, inbox / case.path.name)
    new_enrolments = loaded.source_inbox("enrolments") / "enrolments_next_month.csv"
    new_enrolments.write_text(csv(enrolments("NEXT", 6), ENROLMENT_HEADER))
    report = _load(loaded)
    by_name = {f.file_name: f for f in report.files if f.source == "context"}
    for case in OFFICIAL_CASES:
        _check(case, by_name[case.path.name], loaded)
    for shipped in OFFICIAL.iterdir():  # the publisher's good files load whatever the others
        assert by_name[shipped.name].status == "loaded", shipped.name
    enrolled = next(f for f in report.files if f.file_name == new_enrolments.name)
    assert (enrolled.status, enrolled.rows_loaded) == ("loaded", 6)
    assert report.exit_code == 2 and report.published
    # the quarantined official rows are private to the operator
    folder = loaded.quarantine / "context"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(loaded.quarantine.stat().st_mode) == 0o700
    kept = list(folder.iterdir())
    assert kept and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in kept)


def _check(case: Case, got: object, loaded: DataPaths) -> None:
    status = getattr(got, "status", None)
    message = getattr(got, "message", None) or ""
    if isinstance(case.outcome, Rejected):
        assert status == "rejected", (case.file, status, message)
        assert case.outcome.says in message and "\n" not in message, (case.file, message)
        assert message.startswith(case.path.name)
        assert _context_rows(loaded.warehouse, case.path.name) == 0
        return
    assert isinstance(case.outcome, Loaded)
    assert status == "loaded", (case.file, message)
    assert getattr(got, "rows_loaded", None) == case.outcome.rows, case.file
    assert getattr(got, "reasons", None) == case.outcome.quarantined, case.file
    assert _context_rows(loaded.warehouse, case.path.name) == case.outcome.rows


@pytest.mark.parametrize("case", OFFICIAL_CASES, ids=lambda c: c.id)
def test_the_official_corpus_file_exists(case: Case) -> None:
    assert case.path.is_file() and case.source == "context"


def test_a_10_mb_field_in_an_sdmx_file_refuses_that_file_only(loaded: DataPaths) -> None:
    """Attack: `field larger than field limit (131072)` made the whole load fail (exit 1)."""
    inbox = loaded.source_inbox("context")
    shutil.copytree(OFFICIAL, inbox)
    huge = sdmx_line("2024-01", "11.2", flag="x" * TEN_MB)
    (inbox / "une_rt_m_10mb_field.csv").write_text(f"{SDMX_HEADER}\r\n{huge}\r\n")
    new_enrolments = loaded.source_inbox("enrolments") / "enrolments_next_month.csv"
    new_enrolments.write_text(csv(enrolments("NEXT", 6), ENROLMENT_HEADER))
    report = _load(loaded)
    by_name = {f.file_name: f for f in report.files}
    refused = by_name["une_rt_m_10mb_field.csv"]
    assert refused.status == "rejected" and refused.message
    assert "field larger than field limit" in refused.message and len(refused.message) < 400
    assert by_name[new_enrolments.name].status == "loaded"
    assert all(by_name[p.name].status == "loaded" for p in OFFICIAL.iterdir())
    assert report.exit_code == 2 and report.published
