"""Reading delivered files: every quirk the publishers produce, and every file-level refusal."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.contracts import ENROLMENTS, PLACEMENTS, VACANCIES, Contract
from pipelines.readers import (
    ROW_NUMBER,
    FileRejected,
    RawFrame,
    read_source_file,
    sniff_separator,
)

FIXTURES = Path(__file__).parent / "fixtures_readers"
INSZ_LIKE = re.compile(r"\d{2}\D?\d{2}\D?\d{2}\D?\d{3}\D?\d{2}")

# The two rows every encoding/separator fixture holds, as text after reading.
EXPECTED = {
    "enrolment_id": ["E1", "E2"],
    "insz": ["85073003328", "90011512363"],
    "pool_id": ["technicity", "digitalcity"],
    "programme_name": ["Électromécanicien", "Développeur web"],
    "end_date": ["2024-06-28", None],
    "commune_nis": ["21001", "21004"],
}


def read(name: str, contract: Contract = ENROLMENTS) -> RawFrame:
    return read_source_file(FIXTURES / name, contract)


@pytest.mark.parametrize(
    ("name", "encoding", "separator"),
    [
        ("enrolments_utf8_comma.csv", "utf-8", ","),
        ("enrolments_utf8_bom_semicolon.csv", "utf-8-sig", ";"),
        ("enrolments_tab.tsv", "utf-8", "\t"),
        ("enrolments_crlf.csv", "utf-8", ","),
        ("enrolments_utf16.csv", "utf-16", "\t"),
    ],
)
def test_encodings_and_separators_give_the_same_rows(name: str, encoding: str, separator: str):
    raw = read(name)
    assert (raw.encoding, raw.separator) == (encoding, separator)
    assert raw.rows_read == 2
    for column, values in EXPECTED.items():
        assert raw.frame[column].to_list() == values, column
    assert raw.frame[ROW_NUMBER].to_list() == [2, 3]


def test_frame_has_contract_columns_in_order_all_text():
    raw = read("enrolments_utf8_comma.csv")
    assert raw.frame.columns == [*ENROLMENTS.names, ROW_NUMBER]
    assert all(raw.frame[c].dtype == pl.String for c in ENROLMENTS.names)
    assert raw.frame[ROW_NUMBER].dtype == pl.Int64


def test_no_trailing_carriage_return_with_crlf():
    raw = read("enrolments_crlf.csv")
    assert raw.frame["education_level"].to_list() == ["medium", "high"]


def test_windows_1252_with_accented_french_headers_and_values():
    raw = read("enrolments_cp1252_semicolon.csv")
    assert (raw.encoding, raw.separator) == ("cp1252", ";")
    frame = raw.frame
    assert frame["pool_id"].to_list() == ["Technicity", "Digitalcity"]
    assert frame["programme_name"].to_list() == ["Électromécanicien", "Développeur web"]
    assert frame["start_date"].to_list() == ["08/01/2024", "05/02/2024"]
    assert frame["status"].to_list() == ["terminé", "en cours"]
    assert frame["education_level"].to_list() == ["moyen", "élevé"]
    assert frame["birth_date"].to_list() == ["30/07/1985", "15/01/1990"]


def test_dutch_header_aliases():
    frame = read("enrolments_dutch_headers.csv").frame
    assert frame["insz"].to_list() == EXPECTED["insz"]
    assert frame["has_certificate"].to_list() == ["ja", "nee"]
    assert frame["programme_id"].to_list() == ["P01", "P02"]
    assert frame["programme_name"].to_list() == ["Elektromecanicien", "Webontwikkelaar"]


def test_quoted_fields_with_newlines_separators_and_doubled_quotes():
    raw = read("enrolments_quoted_newlines.csv")
    assert raw.frame["programme_name"].to_list() == [
        'Électromécanicien\n"module A" et B',
        "Développeur; web\r\nfull stack",
    ]
    # the first record spans lines 2-3, so the second starts on line 4
    assert raw.frame[ROW_NUMBER].to_list() == [2, 4]
    assert raw.frame["education_level"].to_list() == ["medium", "high"]


def test_personal_columns_dropped_and_unknown_columns_ignored():
    raw = read("enrolments_personal_columns.csv")
    assert raw.dropped_columns == ("Nom", "Prénom", "Adresse", "Téléphone", "E-mail")
    assert raw.ignored_columns == ("Remarque",)
    text = raw.frame.drop(ROW_NUMBER).write_csv()
    for value in ("Dupont", "Marie", "Rue Haute", "0470000000", "m@x.be"):
        assert value not in text
    assert raw.frame["insz"].to_list() == EXPECTED["insz"]


def test_blank_lines_and_empty_separator_rows_are_not_rows():
    raw = read("enrolments_blank_rows.csv")
    assert raw.rows_read == 2
    # line 2 is blank, so the data rows are on lines 3 and 4
    assert raw.frame[ROW_NUMBER].to_list() == [3, 4]


def test_optional_column_absent_is_added_as_null(tmp_path: Path):
    header = [n for n in ENROLMENTS.names if n not in ("programme_name", "birth_date")]
    path = tmp_path / "no_optional.csv"
    path.write_text(",".join(header) + "\n" + ",".join(f"v{i}" for i in range(len(header))))
    frame = read_source_file(path, ENROLMENTS).frame
    assert frame["programme_name"].to_list() == [None]
    assert frame["birth_date"].dtype == pl.String


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.csv", "empty_file"),
        ("blank_only.csv", "empty_file"),
        ("header_only.csv", "empty_file"),
        ("header_only_blank_rows.csv", "empty_file"),
        ("missing_column.csv", "missing_column"),
        ("headerless.csv", "missing_column"),
        ("duplicate_column.csv", "duplicate_column"),
        ("binary_nul.csv", "undecodable"),
        ("undecodable.csv", "undecodable"),
        ("bom_then_invalid.csv", "undecodable"),
        ("unbalanced_quote.csv", "unreadable"),
        ("ragged.csv", "unreadable"),
        ("not_a_workbook.xlsx", "unreadable"),
        ("broken_zip.xlsx", "unreadable"),
    ],
)
def test_file_level_rejections(name: str, reason: str):
    with pytest.raises(FileRejected) as caught:
        read(name)
    error = caught.value
    assert error.reason_code == reason
    assert error.message.startswith(name)
    assert "\n" not in error.message
    assert not INSZ_LIKE.search(error.message), error.message


def test_missing_column_names_the_column_and_its_aliases():
    with pytest.raises(FileRejected) as caught:
        read("missing_column.csv")
    assert "insz" in caught.value.message
    assert "niss" in caught.value.message
    assert "enrolment_id" not in caught.value.message


def test_duplicate_column_names_both_headers():
    with pytest.raises(FileRejected) as caught:
        read("duplicate_column.csv")
    assert "'insz'" in caught.value.message and "'NISS'" in caught.value.message


def test_missing_file_is_unreadable(tmp_path: Path):
    with pytest.raises(FileRejected) as caught:
        read_source_file(tmp_path / "gone.csv", ENROLMENTS)
    assert caught.value.reason_code == "unreadable"


def test_too_large(tmp_path: Path):
    with pytest.raises(FileRejected) as caught:
        read_source_file(FIXTURES / "enrolments_utf8_comma.csv", ENROLMENTS, max_bytes=100)
    assert caught.value.reason_code == "too_large"


def test_str_of_rejection_carries_the_code():
    error = FileRejected("empty_file", "x.csv: the file is empty")
    assert str(error) == "[empty_file] x.csv: the file is empty"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("a;b;c", ";"),
        ("a,b,c", ","),
        ("a\tb\tc", "\t"),
        ('"x,y";b;c', ";"),  # commas inside quotes do not count
        ("a,b;c", ";"),  # a tie goes to the semicolon
        ("single", None),
    ],
)
def test_sniff_separator(line: str, expected: str | None):
    assert sniff_separator(line) == expected


def test_single_column_file_reads(tmp_path: Path):
    from pipelines.contracts import Contract, Field

    one = Contract("one", "g", "d", "p", (Field("code", "text", "c"),), ("code",), False)
    path = tmp_path / "one.csv"
    path.write_text("code\nA\nB\n")
    raw = read_source_file(path, one)
    assert raw.frame["code"].to_list() == ["A", "B"]


# ---------------------------------------------------------------------------------------------
# Excel


def _workbook(path: Path, sheets: dict[str, list[list[object]]], start_row: int = 0) -> Path:
    book = xlsxwriter.Workbook(path)
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for sheet_name, rows in sheets.items():
        sheet = book.add_worksheet(sheet_name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    sheet.write_datetime(start_row + r, c, value, date_format)
                elif value is not None:
                    sheet.write(start_row + r, c, value)
    book.close()
    return path


def _vacancy_rows() -> list[list[object]]:
    return [
        ["vacancy_id", "received_date", "closed_date", "isco", "rome", "nace",
         "commune_nis", "positions", "outcome"],
        ["V1", dt.datetime(2024, 1, 10), None, 2512, None, 6201, 21004, 3, "open"],
        ["V2", "10/01/2024", dt.datetime(2024, 2, 1), "2512", "H2901", "62.01", 21004.0, 1.5,
         "filled"],
    ]  # fmt: skip


def test_excel_numbers_become_their_digits_and_dates_iso(tmp_path: Path):
    path = _workbook(tmp_path / "vacancies.xlsx", {"Vacatures": _vacancy_rows()})
    raw = read_source_file(path, VACANCIES)
    frame = raw.frame
    assert (raw.encoding, raw.separator, raw.sheet) == ("xlsx", None, "Vacatures")
    assert frame["received_date"].to_list() == ["2024-01-10", "10/01/2024"]
    assert frame["closed_date"].to_list() == [None, "2024-02-01"]
    assert frame["occupation_isco"].to_list() == ["2512", "2512"]
    assert frame["nace"].to_list() == ["6201", "62.01"]
    assert frame["commune_nis"].to_list() == ["21004", "21004"]  # not 21004.0
    assert frame["position_count"].to_list() == ["3", "1.5"]
    assert frame[ROW_NUMBER].to_list() == [2, 3]
    assert all(frame[c].dtype == pl.String for c in VACANCIES.names)


def test_excel_insz_stored_as_number_keeps_all_digits(tmp_path: Path):
    rows: list[list[object]] = [
        ["enrolment_id", "niss", "pool_id", "programme_id", "target_group", "start_date",
         "end_date", "status", "has_certificate", "sex", "commune_nis", "education_level"],
        ["E1", 85073003328, "technicity", "P1", "job_seekers", dt.datetime(2024, 1, 8), None,
         "ongoing", True, "F", 21001, "low"],
        ["E2", 5010112385, "technicity", "P1", "job_seekers", 45292, None, "ongoing", False,
         "M", 21001, "low"],
    ]  # fmt: skip
    path = _workbook(tmp_path / "enrolments.xlsx", {"Sheet1": rows})
    frame = read_source_file(path, ENROLMENTS).frame
    assert frame["insz"].to_list() == ["85073003328", "5010112385"]  # not 8.5073003328e10
    assert frame["start_date"].to_list() == ["2024-01-08", "45292"]
    assert frame["has_certificate"].to_list() == ["true", "false"]


def test_excel_first_sheet_with_the_columns_and_title_rows(tmp_path: Path):
    notes: list[list[object]] = [["Export Actiris"], ["généré le 2024-02-01"]]
    data: list[list[object]] = [["Vacatures januari 2024"], [], *_vacancy_rows()]
    path = _workbook(tmp_path / "two_sheets.xlsx", {"Notes": notes, "Data": data})
    raw = read_source_file(path, VACANCIES)
    assert raw.sheet == "Data"
    assert raw.frame["vacancy_id"].to_list() == ["V1", "V2"]
    assert raw.frame[ROW_NUMBER].to_list() == [4, 5]


def test_excel_without_the_columns_is_missing_column(tmp_path: Path):
    rows = [r[:-1] for r in _vacancy_rows()]  # no outcome column
    path = _workbook(tmp_path / "no_outcome.xlsx", {"A": [["x"]], "B": rows})
    with pytest.raises(FileRejected) as caught:
        read_source_file(path, VACANCIES)
    assert caught.value.reason_code == "missing_column"
    assert "sheet 'B'" in caught.value.message and "outcome" in caught.value.message


def test_excel_empty_workbook(tmp_path: Path):
    path = _workbook(tmp_path / "empty.xlsx", {"Sheet1": []})
    with pytest.raises(FileRejected) as caught:
        read_source_file(path, VACANCIES)
    assert caught.value.reason_code == "empty_file"


def test_excel_header_only(tmp_path: Path):
    path = _workbook(tmp_path / "header.xlsx", {"Sheet1": _vacancy_rows()[:1]})
    with pytest.raises(FileRejected) as caught:
        read_source_file(path, VACANCIES)
    assert caught.value.reason_code == "empty_file"


def test_excel_duplicate_column(tmp_path: Path):
    rows = [[*r, r[0]] for r in _vacancy_rows()]
    path = _workbook(tmp_path / "dup.xlsx", {"Sheet1": rows})
    with pytest.raises(FileRejected) as caught:
        read_source_file(path, VACANCIES)
    assert caught.value.reason_code == "duplicate_column"


def test_excel_personal_columns_dropped(tmp_path: Path):
    rows = [[*r, n] for r, n in zip(_vacancy_rows(), ["Naam contact", "Jan", "Piet"], strict=True)]
    path = _workbook(tmp_path / "names.xlsx", {"Sheet1": rows})
    raw = read_source_file(path, VACANCIES)
    assert raw.dropped_columns == ("Naam contact",)
    assert "Jan" not in raw.frame.write_csv()


# ---------------------------------------------------------------------------------------------
# Fuzzing: whatever the bytes, the reader returns a RawFrame or raises FileRejected.

_HEADER = ",".join(PLACEMENTS.names).encode()
_fuzz = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_contract(path: Path, contract: Contract) -> None:
    try:
        raw = read_source_file(path, contract)
    except FileRejected as error:
        assert error.reason_code in {
            "missing_column", "empty_file", "undecodable", "unreadable", "duplicate_column",
        }  # fmt: skip
        assert "\n" not in error.message
        return
    assert raw.frame.columns == [*contract.names, ROW_NUMBER]
    assert raw.rows_read == raw.frame.height


@_fuzz
@given(data=st.binary(max_size=400))
def test_fuzz_random_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes):
    path = tmp_path_factory.mktemp("fuzz") / "random.csv"
    path.write_bytes(data)
    _check_contract(path, PLACEMENTS)


@_fuzz
@given(
    body=st.lists(
        st.text(alphabet=st.sampled_from(list(',;\t"\r\n ab1é\x00\x1a€')), max_size=30),
        max_size=8,
    ),
    sep=st.sampled_from([",", ";", "\t"]),
)
def test_fuzz_text_after_a_valid_header(
    tmp_path_factory: pytest.TempPathFactory, body: list[str], sep: str
):
    path = tmp_path_factory.mktemp("fuzz") / "text.csv"
    header = _HEADER.replace(b",", sep.encode())
    path.write_bytes(header + b"\n" + "\n".join(body).encode("utf-8"))
    _check_contract(path, PLACEMENTS)


@_fuzz
@given(tail=st.binary(max_size=200))
def test_fuzz_bytes_that_look_like_a_workbook(tmp_path_factory: pytest.TempPathFactory, tail):
    path = tmp_path_factory.mktemp("fuzz") / "book.xlsx"
    path.write_bytes(b"PK\x03\x04" + tail)
    _check_contract(path, PLACEMENTS)


def test_excel_row_numbers_are_sheet_rows_when_data_starts_lower(tmp_path: Path):
    path = _workbook(tmp_path / "low.xlsx", {"Sheet1": _vacancy_rows()}, start_row=4)
    raw = read_source_file(path, VACANCIES)
    assert raw.frame[ROW_NUMBER].to_list() == [6, 7]  # header on sheet row 5


def test_excel_formatted_blank_cells_above_do_not_shift_rows(tmp_path: Path):
    book = xlsxwriter.Workbook(tmp_path / "styled.xlsx")
    sheet = book.add_worksheet()
    sheet.write_blank(0, 0, None, book.add_format({"bold": True}))  # a styled empty A1
    for r, row in enumerate(_vacancy_rows(), start=2):
        for c, value in enumerate(row):
            if isinstance(value, dt.datetime):
                sheet.write_datetime(r, c, value, book.add_format({"num_format": "dd/mm/yyyy"}))
            elif value is not None:
                sheet.write(r, c, value)
    book.close()
    raw = read_source_file(tmp_path / "styled.xlsx", VACANCIES)
    assert raw.frame[ROW_NUMBER].to_list() == [4, 5]
