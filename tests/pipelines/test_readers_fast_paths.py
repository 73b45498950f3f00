"""The shortcuts the CSV reader takes on big files give the same answers as the slow paths.

Control bytes are looked for byte by byte instead of with a regex, the mixed-encoding check is
skipped when no UTF-8 character can be in the file, and line numbers skip the per-cell newline
scan when the file has no quote. Each test builds the case the shortcut could get wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.contracts import ENROLMENTS
from pipelines.readers import ROW_NUMBER, FileRejected, read_source_file

HEADER = (
    "enrolment_id;insz;pool_id;programme_id;target_group;start_date;end_date;status;"
    "has_certificate;sex;commune_nis;education_level\r\n"
)
ROW = "E{n};85073003328;technicity;P1;job_seekers;2024-01-{d:02d};;{status};no;F;21001;medium\r\n"


def _rows(count: int, status: str = "en cours") -> str:
    return "".join(ROW.format(n=i, d=i % 28 + 1, status=status) for i in range(1, count + 1))


def _write(tmp_path: Path, data: bytes, name: str = "e.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


CONTROL = [*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1A), *range(0x1B, 0x20), 0x7F]


@pytest.mark.parametrize("byte", CONTROL)
def test_every_control_byte_is_refused_wherever_it_is(tmp_path: Path, byte: int):
    body = (HEADER + _rows(50)).encode("cp1252")
    data = body[:-30] + bytes([byte]) + body[-30:]  # deep in the file, not at its start
    with pytest.raises(FileRejected) as caught:
        read_source_file(_write(tmp_path, data), ENROLMENTS)
    assert caught.value.reason_code == "undecodable"


@pytest.mark.parametrize("byte", [0x09, 0x0A, 0x0C, 0x0D, 0x1A])
def test_tab_newlines_form_feed_and_dos_eof_are_not_control_bytes(tmp_path: Path, byte: int):
    data = (HEADER + _rows(3)).encode() + (b"" if byte != 0x1A else b"\x1a")
    if byte == 0x0C:
        data = data.replace(b"P1", b"P\x0c1", 1)
    elif byte == 0x09:
        data = data.replace(b"P1", b"P\t1", 1)
    raw = read_source_file(_write(tmp_path, data), ENROLMENTS)
    assert raw.rows_read == 3


def test_mixed_file_with_a_late_utf8_line_is_refused_with_both_line_numbers(tmp_path: Path):
    cp1252 = (HEADER + _rows(200, "terminé")).encode("cp1252")
    utf8_line = ROW.format(n=999, d=1, status="terminé").encode("utf-8")
    data = cp1252 + utf8_line
    with pytest.raises(FileRejected) as caught:
        read_source_file(_write(tmp_path, data), ENROLMENTS)
    assert caught.value.reason_code == "undecodable"
    assert "line 202 is UTF-8, line 2 is not" in caught.value.message


def test_windows_1252_with_continuation_range_bytes_but_no_utf8_line_is_read(tmp_path: Path):
    # ’ (0x92) and « » (0xAB 0xBB) are UTF-8 continuation bytes: the quick exit cannot be taken,
    # and the line-by-line check must still find no UTF-8 line.
    text = HEADER + _rows(5, "terminé").replace("P1", "l’atelier «A»")
    raw = read_source_file(_write(tmp_path, text.encode("cp1252")), ENROLMENTS)
    assert raw.encoding == "cp1252"
    assert raw.frame["programme_id"].to_list() == ["l’atelier «A»"] * 5


def test_windows_1252_accents_only_is_read_as_windows_1252(tmp_path: Path):
    raw = read_source_file(
        _write(tmp_path, (HEADER + _rows(4, "à suivre")).encode("cp1252")), ENROLMENTS
    )
    assert raw.encoding == "cp1252"
    assert raw.frame["status"].to_list() == ["à suivre"] * 4


def test_ascii_file_is_utf8_and_rows_are_numbered_by_line(tmp_path: Path):
    raw = read_source_file(_write(tmp_path, (HEADER + _rows(6)).encode()), ENROLMENTS)
    assert raw.encoding == "utf-8"
    assert raw.frame[ROW_NUMBER].to_list() == [2, 3, 4, 5, 6, 7]


def test_quoted_newline_late_in_a_big_file_shifts_the_following_line_numbers(tmp_path: Path):
    rows = _rows(300).splitlines(keepends=True)
    rows[250] = rows[250].replace("P1", '"P1\nsuite"')
    raw = read_source_file(_write(tmp_path, (HEADER + "".join(rows)).encode()), ENROLMENTS)
    numbers = raw.frame[ROW_NUMBER].to_list()
    assert numbers[250] == 252 and numbers[251] == 254 and numbers[-1] == 302


def test_quote_without_newline_keeps_one_line_per_record(tmp_path: Path):
    data = (HEADER + _rows(3).replace("P1", '"P;1"')).encode()
    raw = read_source_file(_write(tmp_path, data), ENROLMENTS)
    assert raw.frame["programme_id"].to_list() == ["P;1"] * 3
    assert raw.frame[ROW_NUMBER].to_list() == [2, 3, 4]


@pytest.mark.parametrize("data", [b" \r\n\t \n", b"\xef\xbb\xbf\r\n", b"\n"])
def test_whitespace_only_file_is_empty(tmp_path: Path, data: bytes):
    with pytest.raises(FileRejected) as caught:
        read_source_file(_write(tmp_path, data), ENROLMENTS)
    assert caught.value.reason_code == "empty_file"
