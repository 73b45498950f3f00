"""The hostile corpus and the outcome each file must get, in one table.

A file is either refused as a whole (`Rejected`: a file-level reason code and words its one-line
message must contain) or loaded (`Loaded`: rows loaded and rows quarantined per row-level reason).
Files live in `corpus/<source>/`, written by `make_corpus.py`; the tests that generate big files
at run time (10 MB field, a million rows, archive bomb) are in `test_big_files.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
BASELINE = HERE / "baseline"
SCENARIOS = HERE / "scenarios"
TODAY = date(2025, 6, 30)  # the delivery date every case is validated against
KEY_ENV = {"OBSERVATORY_PSEUDONYM_KEY": "hostile-corpus-test-key-0123456789abcdef"}


@dataclass(frozen=True)
class Rejected:
    reason: str  # file-level reason code
    says: str  # words the one-line message must contain


@dataclass(frozen=True)
class Loaded:
    rows: int  # rows loaded
    quarantined: dict[str, int] = field(default_factory=dict)  # row-level reason -> rows


Outcome = Rejected | Loaded


@dataclass(frozen=True)
class Case:
    file: str  # "<source>/<name>" under corpus/
    covers: str  # what hostile situation it stands for
    outcome: Outcome

    @property
    def source(self) -> str:
        return self.file.split("/", 1)[0]

    @property
    def path(self) -> Path:
        return CORPUS / self.file

    @property
    def id(self) -> str:
        return self.file


def _case(file: str, covers: str, outcome: Outcome) -> Case:
    return Case(file, covers, outcome)


CASES: tuple[Case, ...] = (
    # -- encodings -------------------------------------------------------------------------------
    _case("enrolments/utf8_bom_comma.csv", "UTF-8 with BOM", Loaded(6)),
    _case("enrolments/bom_semicolon_crlf.csv", "BOM, `;`, CRLF", Loaded(6)),
    _case("enrolments/cp1252_semicolon.csv", "Windows-1252 accents", Loaded(6)),
    _case("enrolments/utf16_bom_tab.csv", "Excel 'Unicode text' (UTF-16 BOM, tab)", Loaded(6)),
    _case(
        "enrolments/utf16_no_bom.csv",
        "UTF-16 without BOM (wrong encoding)",
        Rejected("undecodable", "binary control characters"),
    ),
    _case(
        "enrolments/mixed_utf8_cp1252.csv",
        "mixed encodings in one file",
        Rejected("undecodable", "mixes encodings (line 2 is UTF-8, line 6 is not)"),
    ),
    _case(
        "enrolments/not_utf8_nor_cp1252.csv",
        "bytes meaningless in UTF-8 and Windows-1252",
        Rejected("undecodable", "neither UTF-8 nor Windows-1252"),
    ),
    _case("enrolments/nul_bytes.csv", "NUL bytes", Rejected("undecodable", "NUL")),
    _case("enrolments/cr_only_line_ends.csv", "CR-only line ends (classic Mac)", Loaded(6)),
    _case("vacancies/dos_eof_marker.csv", "DOS end-of-file byte (0x1A)", Loaded(6)),
    # -- separators and columns ----------------------------------------------------------------
    _case(
        "enrolments/pipe_separator.csv",
        "wrong separator (`|`)",
        Rejected("missing_column", "no column of enrolments recognised"),
    ),
    _case(
        "enrolments/header_and_data_separators_differ.csv",
        "header with `;`, data with `,`",
        Rejected("too_many_bad_rows", "6 of 6 rows"),
    ),
    _case(
        "enrolments/missing_column.csv",
        "missing required column",
        Rejected("missing_column", "required column missing for enrolments: pool_id"),
    ),
    _case("enrolments/extra_columns.csv", "extra columns (ignored)", Loaded(6)),
    _case(
        "enrolments/duplicated_column.csv",
        "duplicated column",
        Rejected("duplicate_column", "both give start_date"),
    ),
    _case(
        "enrolments/duplicated_by_alias.csv",
        "duplicated column under an alias (sex / Sexe)",
        Rejected("duplicate_column", "both give sex"),
    ),
    _case("enrolments/renamed_dutch_headers.csv", "renamed columns (Dutch aliases)", Loaded(6)),
    _case(
        "enrolments/renamed_unknown_header.csv",
        "renamed column under an unknown name",
        Rejected("missing_column", "start_date (or date_debut"),
    ),
    _case("enrolments/reordered_columns.csv", "reordered columns", Loaded(6)),
    _case("enrolments/personal_columns.csv", "name/address/phone columns (dropped)", Loaded(6)),
    _case(
        "enrolments/headerless.csv",
        "no header line (data on line 1)",
        Rejected("missing_column", "does the file start with its header line"),
    ),
    _case(
        "enrolments/wrong_source.csv",
        "a vacancies file in the enrolments folder",
        Rejected("missing_column", "required columns missing for enrolments"),
    ),
    _case(
        "enrolments/shifted_columns.csv",
        "columns shifted by one",
        Rejected("too_many_bad_rows", "columns are not shifted"),
    ),
    _case(
        "enrolments/ragged_more_fields.csv",
        "a line with more fields than the header",
        Rejected("unreadable", "more fields than the header"),
    ),
    # -- empty and truncated --------------------------------------------------------------------
    _case("enrolments/empty.csv", "empty file (0 bytes)", Rejected("empty_file", "is empty")),
    _case("enrolments/whitespace_only.csv", "blank lines only", Rejected("empty_file", "no text")),
    _case("enrolments/header_only.csv", "header only", Rejected("empty_file", "no data rows")),
    _case(
        "vacancies/header_only_blank_rows.csv",
        "header then `;;;;` rows (Excel export)",
        Rejected("empty_file", "no data rows"),
    ),
    _case(
        "enrolments/truncated_last_line.csv",
        "truncated last line",
        Loaded(7, {"missing_value": 1}),
    ),
    _case(
        "enrolments/truncated_inside_quotes.csv",
        "file cut inside a quoted field",
        Loaded(5, {"missing_value": 1}),
    ),
    # -- quoting --------------------------------------------------------------------------------
    _case("enrolments/embedded_newlines_quotes.csv", "embedded newlines and quotes", Loaded(6)),
    _case("enrolments/inch_mark_unquoted.csv", 'a bare `"` inside a field (5" pouces)', Loaded(6)),
    # -- values ---------------------------------------------------------------------------------
    _case("enrolments/dates_dd_mm_yyyy.csv", "dates as DD/MM/YYYY", Loaded(6)),
    _case("enrolments/dates_excel_serial.csv", "dates as Excel serial numbers", Loaded(6)),
    _case(
        "enrolments/dates_mixed_one_impossible.csv",
        "mixed date formats, one 31/02",
        Loaded(9, {"bad_date": 1}),
    ),
    _case("enrolments/future_start_date.csv", "future date", Loaded(9, {"future_date": 1})),
    _case(
        "enrolments/end_before_start.csv", "end before start", Loaded(9, {"end_before_start": 1})
    ),
    _case(
        "enrolments/unknown_codes.csv",
        "unknown pool and sex codes",
        Loaded(10, {"unknown_code": 2}),
    ),
    _case(
        "enrolments/insz_bad_checksum.csv", "INSZ with a bad checksum", Loaded(9, {"bad_insz": 1})
    ),
    _case("enrolments/insz_formats.csv", "INSZ dotted, float '.0', lost leading 0", Loaded(6)),
    _case(
        "enrolments/insz_scientific_notation.csv",
        "INSZ mangled by Excel (8.50730E+10)",
        Loaded(9, {"bad_insz": 1}),
    ),
    _case(
        "enrolments/duplicate_key_in_file.csv",
        "duplicate key within a file",
        Loaded(9, {"duplicate_key": 1}),
    ),
    _case("enrolments/padded_blanks_nbsp.csv", "cells padded with blanks and NBSP", Loaded(6)),
    _case(
        "enrolments/bad_boolean.csv", "yes/no field with 'peut-être'", Loaded(9, {"bad_type": 1})
    ),
    _case("pool_activities/negative_count.csv", "negative count", Loaded(9, {"negative_value": 1})),
    _case("pool_activities/belgian_numbers.csv", "1.234 and 1.234,5", Loaded(6)),
    _case(
        "pool_activities/not_whole_number.csv",
        "2,5 in a count column",
        Loaded(9, {"bad_type": 1}),
    ),
    _case(
        "jobseekers/negative_count.csv",
        "negative job-seeker count",
        Loaded(9, {"negative_value": 1}),
    ),
    _case("jobseekers/codes_through_floats.csv", "codes as 21001.0, months as 03/2024", Loaded(6)),
    _case(
        "jobseekers/bad_and_unknown_commune.csv",
        "4-digit NIS and a non-Brussels commune",
        Loaded(8, {"bad_type": 1, "unknown_code": 1}),
    ),
    _case(
        "vacancies/missing_occupation.csv",
        "neither ISCO nor ROME",
        Loaded(9, {"missing_occupation": 1}),
    ),
    _case(
        "vacancies/zero_positions.csv",
        "0 positions (below the minimum of 1)",
        Loaded(9, {"negative_value": 1}),
    ),
    # -- across files (see also the scenario tests) --------------------------------------------
    _case("vacancies/dup_across_a.csv", "duplicate keys across files (first)", Loaded(6)),
    _case("vacancies/dup_across_b.csv", "duplicate keys across files (second)", Loaded(6)),
    # -- workbooks ------------------------------------------------------------------------------
    _case("enrolments/merged_title_cells.xlsx", "merged title cells above the header", Loaded(6)),
    _case(
        "enrolments/merged_data_cells.xlsx",
        "merged cells in the data (value only in the first)",
        Loaded(10, {"missing_value": 2}),
    ),
    _case("enrolments/several_sheets.xlsx", "several sheets, data on the third", Loaded(6)),
    _case(
        "enrolments/no_sheet_has_columns.xlsx",
        "several sheets, none with the columns",
        Rejected("missing_column", "no sheet has them all"),
    ),
    _case("enrolments/numbers_as_numbers.xlsx", "INSZ/NIS as numbers, date cells", Loaded(6)),
    _case(
        "pool_activities/formulas.xlsx",
        "formulas (cached values), one #DIV/0!",
        Loaded(9, {"missing_value": 1}),
    ),
    _case(
        "vacancies/csv_named_xlsx.xlsx",
        "a CSV named .xlsx",
        Rejected("unreadable", "not a valid Excel workbook"),
    ),
    _case(
        "vacancies/truncated_workbook.xlsx",
        "a truncated workbook",
        Rejected("unreadable", "not a readable Excel workbook"),
    ),
)

REJECTED: tuple[Case, ...] = tuple(c for c in CASES if isinstance(c.outcome, Rejected))
LOADED: tuple[Case, ...] = tuple(c for c in CASES if isinstance(c.outcome, Loaded))


# -- official statistics (inbox/context/): each file refused or loaded on its own ----------------
# `Rejected.reason` is "empty" or "refused" here (the context report has no reason codes); the
# load must leave the other files loaded and the exit code 2.
OFFICIAL_CASES: tuple[Case, ...] = (
    _case("context/une_rt_m_sdmx.csv", "a clean SDMX-CSV", Loaded(6)),
    _case(
        "context/une_rt_m_bad_rows.csv",
        "a month 13 and a value `n/a` among good rows",
        Loaded(3, {"bad_period": 1, "bad_value": 1}),
    ),
    _case(
        "context/une_rt_m_header_only.csv",
        "SDMX-CSV header without rows",
        Rejected("empty", "empty: a header but no data rows"),
    ),
    _case(
        "context/tgs00010_header_only.tsv",
        "bulk TSV header without rows",
        Rejected("empty", "empty: a header but no data rows"),
    ),
    _case(
        "context/actiris_header_only.csv",
        "opendata.brussels header without rows",
        Rejected("empty", "empty: a header but no data rows"),
    ),
    _case("context/empty.tsv", "0 bytes", Rejected("empty", "empty file")),
    _case(
        "context/une_rt_m_no_obs_value.csv",
        "SDMX-CSV without its value column",
        Rejected("refused", "header lacks OBS_VALUE"),
    ),
    _case("context/notes.csv", "not a statistics file", Rejected("refused", "unknown layout")),
    _case("context/damaged.tsv.gz", "a broken gzip", Rejected("refused", "damaged gzip file")),
    _case("context/binary.csv", "binary bytes", Rejected("refused", "binary content")),
)
