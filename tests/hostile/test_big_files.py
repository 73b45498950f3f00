"""Hostile files too big to commit, generated in a temporary folder: a 10 MB field, a
million-row CSV with one bad row at the very end, an oversized CSV, and workbook archives that
unpack beyond the limit (an honest one and a bomb)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

from pipelines.contracts import ENROLMENTS, VACANCIES
from pipelines.load import run_load
from pipelines.paths import DataPaths
from pipelines.publish import publish
from pipelines.readers import DEFAULT_MAX_BYTES, FileRejected, read_source_file
from pipelines.reference import ReferenceCodes
from pipelines.validation import MAX_TEXT_CHARS, validate
from tests.hostile.cases import CORPUS, KEY_ENV, TODAY
from tests.hostile.make_corpus import ENROLMENT_HEADER, VACANCY_HEADER, csv, enrolments, line
from tests.hostile.state import fingerprint

TEN_MB = 10 * 1024 * 1024


def _ten_mb_field_file(folder: Path) -> Path:
    rows = enrolments("BIG", 8)
    rows[4][4] = "Formation " + "x" * TEN_MB  # programme_name
    path = folder / "enrolments_10mb_field.csv"
    path.write_text(csv(rows, ENROLMENT_HEADER))
    return path


def test_a_10_mb_field_quarantines_its_row_only(
    tmp_path: Path, refs: ReferenceCodes, loaded: DataPaths
) -> None:
    path = _ten_mb_field_file(tmp_path)
    raw = read_source_file(path, ENROLMENTS)
    checked = validate(raw.frame, ENROLMENTS, refs, TODAY, file_name=path.name)
    assert checked.good.height == 7
    assert checked.bad.select("_row_number", "reason_code", "reason_detail").rows() == [
        (6, "bad_type", f"programme_name: longer than {MAX_TEXT_CHARS:,} characters")
    ]
    # through the load: the warehouse gets the 7 good rows and never the 10 MB text
    shutil.copyfile(path, loaded.source_inbox("enrolments") / path.name)
    report = run_load(loaded, env=KEY_ENV, today=TODAY, publish_fn=publish)
    got = next(f for f in report.files if f.file_name == path.name)
    assert (got.status, got.rows_loaded, got.reasons) == ("loaded", 7, {"bad_type": 1})
    con = duckdb.connect(str(loaded.warehouse), read_only=True)
    try:
        longest = con.execute(
            "SELECT max(length(programme_name)), count(*) FROM raw.enrolments "
            "WHERE source_file = ?",
            [path.name],
        ).fetchone()
    finally:
        con.close()
    assert longest is not None and longest[0] < MAX_TEXT_CHARS and longest[1] == 7


@pytest.mark.slow
def test_a_million_rows_with_one_bad_row_at_the_end(tmp_path: Path, refs: ReferenceCodes) -> None:
    path = tmp_path / "vacancies_1m.csv"
    good = "\n".join(
        f"V{i},2024-03-{1 + i % 28:02d},,7412,,43.21,210{10 + i % 9:02d},{1 + i % 3},open"
        for i in range(999_999)
    )
    bad = line(["VBAD", "2024-13-45", "", "7412", "", "43.21", "21001", "1", "open"])
    path.write_text(line(VACANCY_HEADER) + "\n" + good + "\n" + bad + "\n")
    raw = read_source_file(path, VACANCIES)
    assert raw.rows_read == 1_000_000
    checked = validate(raw.frame, VACANCIES, refs, TODAY, file_name=path.name)
    assert checked.good.height == 999_999
    assert checked.bad.select("vacancy_id", "_row_number", "reason_code").rows() == [
        ("VBAD", 1_000_001, "bad_date")
    ]


def test_a_csv_above_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "vacancies_big.csv"
    shutil.copyfile(CORPUS / "vacancies" / "dup_across_a.csv", path)
    with pytest.raises(FileRejected) as caught:
        read_source_file(path, VACANCIES, max_bytes=100)
    assert caught.value.reason_code == "too_large"
    assert "above the 0 MB limit" in caught.value.message


def _workbook_with_member(path: Path, member_bytes: int, level: int) -> Path:
    """A real workbook plus one extra sheet part that unpacks to `member_bytes`."""
    shutil.copyfile(CORPUS / "enrolments" / "several_sheets.xlsx", path)
    chunk = b'<row r="1"><c r="A1"><v>1</v></c></row>' * 25_000
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as zf,
        zf.open("xl/worksheets/sheet99.xml", "w", force_zip64=True) as member,
    ):
        written = 0
        while written < member_bytes:
            member.write(chunk)
            written += len(chunk)
    return path


def test_a_workbook_unpacking_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    path = _workbook_with_member(tmp_path / "oversized.xlsx", DEFAULT_MAX_BYTES + (1 << 20), 1)
    assert path.stat().st_size < 20_000_000  # small on disk, over 1 GiB unpacked
    with pytest.raises(FileRejected) as caught:
        read_source_file(path, ENROLMENTS)
    assert caught.value.reason_code == "too_large"
    assert "unpacks to" in caught.value.message and "MB limit" in caught.value.message


def test_an_archive_bomb_is_refused_and_changes_nothing(loaded: DataPaths) -> None:
    inbox = loaded.source_inbox("enrolments")
    path = _workbook_with_member(inbox / "bomb.xlsx", 200 * (1 << 20), 9)
    with pytest.raises(FileRejected) as caught:
        read_source_file(path, ENROLMENTS)
    assert caught.value.reason_code == "too_large"
    assert "archive bomb" in caught.value.message
    before = fingerprint(loaded.warehouse, ("raw", "core", "marts"))
    report = run_load(loaded, env=KEY_ENV, today=TODAY, publish_fn=publish)
    got = next(f for f in report.files if f.file_name == "bomb.xlsx")
    assert got.status == "rejected" and (got.message or "").startswith("[too_large]")
    assert fingerprint(loaded.warehouse, ("raw", "core", "marts")) == before
