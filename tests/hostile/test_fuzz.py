"""Readers and validation fuzzed with hypothesis, beyond tests/pipelines/test_readers.py:

- any table of cells, written as a correct CSV in any accepted encoding, separator and line end,
  reads back cell for cell, with the editor's line numbers;
- any corpus file with bytes flipped, cut or inserted is either read or refused with a one-line
  file-level reason — never another exception, never a raw INSZ in a message;
- any text in any column validates into typed rows or quarantined rows with a known reason.
"""

from __future__ import annotations

import codecs
import random
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipelines.contracts import CONTRACTS, ENROLMENTS, VACANCIES
from pipelines.readers import ROW_NUMBER, FileRejected, read_source_file
from pipelines.reference import ReferenceCodes
from pipelines.validation import REASON_CODES, validate
from tests.hostile.cases import CASES, TODAY
from tests.hostile.make_corpus import PEOPLE, line

FILE_REASONS = {
    "missing_column", "empty_file", "undecodable", "too_many_bad_rows", "unreadable",
    "duplicate_column", "too_large",
}  # fmt: skip
_fuzz = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Cell text: printable characters of both alphabets Belgian files use, plus the CSV specials.
_CELL_CHARS = st.sampled_from(list("abcXYZ019 ,;\t\"\n'éèçàùÉ€’«»-./"))
_CELL = st.text(alphabet=_CELL_CHARS, max_size=12)


def _also_utf8(text: str) -> bool:
    """Whether a line's Windows-1252 bytes are non-ASCII valid UTF-8 too."""
    data = text.encode("cp1252")
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _cleaned(cell: str) -> str | None:
    return cell if cell != "" else None


@_fuzz
@given(
    rows=st.lists(st.lists(_CELL, min_size=9, max_size=9), min_size=1, max_size=6),
    sep=st.sampled_from([",", ";", "\t"]),
    eol=st.sampled_from(["\n", "\r\n"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_a_correct_csv_reads_back_cell_for_cell(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[list[str]],
    sep: str,
    eol: str,
    encoding: str,
) -> None:
    # a row of blanks only is not a row (readers drop `;;;;` lines), so keep one visible cell
    rows = [[f"id{i}", *r[1:]] for i, r in enumerate(rows)]
    header = list(VACANCIES.names)
    text = eol.join([line(header, sep), *(line(r, sep) for r in rows)]) + eol
    # Undecidable, so not asked: a Windows-1252 line whose bytes also form valid UTF-8 (É« is
    # C9 AB = U+026B) is read as UTF-8, by the reader as by any detector; the file is then
    # whole UTF-8 (read so) or mixed (refused). Found by this test in CI, same since session 1.
    assume(encoding != "cp1252" or not any(_also_utf8(part) for part in text.split("\n")))
    path = tmp_path_factory.mktemp("roundtrip") / "vacancies.csv"
    data = text.encode("utf-16") if encoding == "utf-16" else text.encode(encoding)
    path.write_bytes(data)
    raw = read_source_file(path, VACANCIES)
    got = raw.frame.select(VACANCIES.names).rows()
    assert got == [tuple(_cleaned(c) for c in r) for r in rows]
    # row numbers: the line each record starts on, counting newlines inside quoted cells
    expected, current = [], 2
    for r in rows:
        expected.append(current)
        current += 1 + sum(c.count("\n") for c in r)
    assert raw.frame.get_column(ROW_NUMBER).to_list() == expected


def _mutate(data: bytes, seed: int, edits: int) -> bytes:
    rng = random.Random(seed)
    buf = bytearray(data)
    for _ in range(edits):
        if not buf:
            break
        at = rng.randrange(len(buf))
        action = rng.choice(("flip", "cut", "insert", "truncate", "special"))
        if action == "flip":
            buf[at] = rng.randrange(256)
        elif action == "cut":
            del buf[at : at + rng.randrange(1, 40)]
        elif action == "insert":
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
        elif action == "truncate":
            del buf[at:]
        else:
            buf[at:at] = rng.choice([b'"', b";", b",", b"\n", b"\r", b"\xef\xbb\xbf", b"\t"])
    return bytes(buf)


_CSV_CASES = [c for c in CASES if c.path.suffix == ".csv" and c.path.stat().st_size]
_XLSX_CASES = [c for c in CASES if c.path.suffix == ".xlsx" and c.path.stat().st_size > 100]


def _read_and_validate(path: Path, source: str, refs: ReferenceCodes) -> None:
    contract = CONTRACTS[source]
    try:
        raw = read_source_file(path, contract)
        checked = validate(raw.frame, contract, refs, TODAY, file_name=path.name)
    except FileRejected as error:
        assert error.reason_code in FILE_REASONS
        assert "\n" not in error.message and "\r" not in error.message
        for number in PEOPLE:
            assert number not in error.message
        return
    assert checked.good.height + checked.bad.height == raw.rows_read
    assert set(checked.bad.get_column("reason_code").to_list()) <= set(REASON_CODES)
    for detail in checked.bad.get_column("reason_detail").to_list():
        for number in PEOPLE:
            assert number not in detail


@_fuzz
@given(
    case=st.sampled_from(_CSV_CASES),
    seed=st.integers(0, 2**32 - 1),
    edits=st.integers(1, 6),
)
def test_a_damaged_csv_is_read_or_refused_cleanly(
    tmp_path_factory: pytest.TempPathFactory, refs: ReferenceCodes, case, seed: int, edits: int
) -> None:
    path = tmp_path_factory.mktemp("damaged") / case.path.name
    path.write_bytes(_mutate(case.path.read_bytes(), seed, edits))
    _read_and_validate(path, case.source, refs)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    case=st.sampled_from(_XLSX_CASES),
    seed=st.integers(0, 2**32 - 1),
    edits=st.integers(1, 3),
)
def test_a_damaged_workbook_is_read_or_refused_cleanly(
    tmp_path_factory: pytest.TempPathFactory, refs: ReferenceCodes, case, seed: int, edits: int
) -> None:
    path = tmp_path_factory.mktemp("damaged") / case.path.name
    path.write_bytes(_mutate(case.path.read_bytes(), seed, edits))
    _read_and_validate(path, case.source, refs)


_ANY_TEXT = st.one_of(
    st.none(),
    st.text(max_size=15),
    st.sampled_from(["2024-02-30", "31/12/2024", "45306", "-1", "1.234", "1,5", "0", "21001"]),
    st.sampled_from([*PEOPLE[:3], "85073003329", "ja", "nee", "technicity", "F", "Terminé"]),
)


@_fuzz
@given(data=st.data(), height=st.integers(1, 12))
def test_any_text_validates_into_typed_or_quarantined_rows(
    refs: ReferenceCodes, data: st.DataObject, height: int
) -> None:
    contract = data.draw(st.sampled_from([ENROLMENTS, *CONTRACTS.values()]))
    columns = {
        name: data.draw(st.lists(_ANY_TEXT, min_size=height, max_size=height))
        for name in contract.names
    }
    frame = pl.DataFrame(columns, schema=dict.fromkeys(contract.names, pl.String))
    try:
        checked = validate(frame, contract, refs, date(2025, 6, 30), max_bad_share=1.0)
    except FileRejected:
        pytest.fail("with max_bad_share=1.0 no file-level refusal is expected")
    assert checked.good.height + checked.bad.height == height
    assert set(checked.bad.get_column("reason_code").to_list()) <= set(REASON_CODES)
    for name in contract.names:
        f = contract.field(name)
        if not f.nullable:
            assert checked.good.get_column(name).null_count() == 0, name
    if "insz" in contract.names:
        for value in checked.good.get_column("insz").to_list():
            assert value is not None and len(value) == 11 and value.isdigit()


def test_utf16_roundtrip_helper_uses_a_bom() -> None:
    """The round-trip test relies on Python's utf-16 codec writing a BOM (the reader needs it)."""
    assert "a".encode("utf-16")[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
