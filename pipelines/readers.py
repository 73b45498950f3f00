"""Reading delivered files (CSV or Excel) into text columns named by a source's contract.

Files arrive as their publishers make them: UTF-8 with or without BOM, Windows-1252, `,` `;` or
tab separators, CRLF line ends, quoted fields with newlines, Excel workbooks where codes became
numbers. The reader takes all of that on purpose and guesses no types: every column comes out as
text, named by the contract's field names, and typing is left to `pipelines.validation`, which can
say row by row what is wrong. What makes a whole file unusable (undecodable bytes, a required
column missing, a duplicated column, nothing but a header) is raised as `FileRejected`, whose
message is one line naming the file and the reason — and never a cell's content, since cells may
hold national register numbers.
"""

from __future__ import annotations

import codecs
import contextlib
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import fastexcel
import polars as pl

from pipelines.contracts import DROPPED_COLUMNS, Contract, normalise_header

ROW_NUMBER = "_row_number"
DEFAULT_MAX_BYTES = 1 << 30  # 1 GiB: far above any real delivery, below what would swap the host
# A workbook is a zip archive: what counts against the limit is what it unpacks to, as declared by
# the archive; and a big part (over 64 MiB unpacked) that unpacks more than 200 times its packed
# size is a bomb (real sheets pack 5 to 50 times; deflate cannot exceed about 1,000).
MAX_PACKING_RATIO = 200
BOMB_MIN_BYTES = 64 << 20
MAX_ARCHIVE_MEMBERS = 10_000
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls
SEPARATORS = (";", ",", "\t")  # ties broken in this order: `;` first, as `,` is the decimal mark
# ASCII control characters never found in a text export (tab, LF, CR, form feed are fine).
# In UTF-8 and Windows-1252 alike these bytes mean the same characters, so the check runs on bytes.
# One `in` per byte (a memchr each) scans a 10 MB file in about 8 ms, a regex class in about 70.
_CONTROL_BYTES = tuple(
    bytes([b]) for b in (*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1A), *range(0x1B, 0x20), 0x7F)
)
# UTF-8 continuation bytes: every non-ASCII character written in UTF-8 holds at least one.
_CONTINUATION_BYTES = tuple(bytes([b]) for b in range(0x80, 0xC0))
_HEADER_SEARCH_ROWS = 10  # Excel sheets often carry a title above the header


class FileRejected(Exception):
    """A delivered file the pipeline refuses as a whole.

    `reason_code` is one of the file-level codes of docs/architecture.md (missing_column,
    empty_file, undecodable, too_many_bad_rows, unreadable, duplicate_column, too_large);
    `message` is one line for the load report, naming the file and why, without cell content.
    """

    def __init__(self, reason_code: str, message: str) -> None:
        super().__init__(message)
        self.reason_code = reason_code
        self.message = message

    def __str__(self) -> str:
        return f"[{self.reason_code}] {self.message}"


@dataclass(frozen=True)
class RawFrame:
    """A delivered file as text, before validation.

    `frame` has one String column per contract field (in contract order; absent optional columns
    are null) plus `_row_number` (Int64): the 1-based line of the row in the file, or its row
    in the Excel sheet.
    `dropped_columns` are personal columns thrown away on reading (names, addresses, phones,
    e-mails), `ignored_columns` are other columns the contract does not know; both are listed so
    the load report can say what was not taken.
    """

    frame: pl.DataFrame
    rows_read: int
    encoding: str
    separator: str | None
    dropped_columns: tuple[str, ...]
    ignored_columns: tuple[str, ...] = ()
    sheet: str | None = None


def read_source_file(
    path: Path, contract: Contract, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> RawFrame:
    """Read a delivered CSV or Excel file for `contract`; raise `FileRejected` if unusable."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            magic = handle.read(8)
    except OSError as exc:
        raise FileRejected("unreadable", f"{name}: cannot be opened ({exc.strerror})") from None
    if size > max_bytes:
        raise FileRejected(
            "too_large",
            f"{name}: {size / 1e6:,.0f} MB is above the {max_bytes / 1e6:,.0f} MB limit; "
            "split the file or raise the limit",
        )
    if size == 0:
        raise FileRejected("empty_file", f"{name}: the file is empty")
    if magic.startswith(_ZIP_MAGIC):
        _check_archive(path, max_bytes)
    if magic.startswith(_ZIP_MAGIC) or magic.startswith(_OLE_MAGIC):
        return _read_excel(path, contract)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        raise FileRejected("unreadable", f"{name}: not a valid Excel workbook")
    return _read_csv(path, contract)


# ---------------------------------------------------------------------------------------------
# CSV


def _decode(data: bytes, name: str) -> tuple[bytes, str]:
    """UTF-8 bytes without BOM, and the encoding the file was in.

    UTF-8 is tried strictly first (a Windows-1252 file with accents is almost never valid UTF-8),
    then Windows-1252. Control bytes (NUL and friends) mean a binary or UTF-16-without-BOM file:
    refused rather than read as mojibake. UTF-16 with a BOM (Excel's "Unicode text") is accepted.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise FileRejected("undecodable", f"{name}: invalid UTF-16 text") from None
        if _has_control_bytes(text.encode("utf-8")):
            raise FileRejected("undecodable", f"{name}: contains binary control characters")
        return text.lstrip("\ufeff").encode("utf-8"), "utf-16"
    body = data.rstrip(b"\x1a")  # DOS end-of-file marker
    if _has_control_bytes(body):
        raise FileRejected(
            "undecodable",
            f"{name}: contains binary control characters (NUL…); not a text export "
            "(save it as CSV UTF-8 or Excel)",
        )
    if body.startswith(codecs.BOM_UTF8):
        try:
            body[3:].decode("utf-8")
        except UnicodeDecodeError:
            raise FileRejected(
                "undecodable", f"{name}: starts with a UTF-8 BOM but is not valid UTF-8"
            ) from None
        return body[3:], "utf-8-sig"
    if body.isascii():  # the usual export: no decoding needed to know it is UTF-8
        return body, "utf-8"
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return body, "utf-8"
    try:
        text = body.decode("cp1252")
    except UnicodeDecodeError:
        raise FileRejected("undecodable", f"{name}: neither UTF-8 nor Windows-1252 text") from None
    mixed = _mixed_lines(body)
    if mixed is not None:
        raise FileRejected(
            "undecodable",
            f"{name}: mixes encodings (line {mixed[0]} is UTF-8, line {mixed[1]} is not); "
            "re-export the whole file in one encoding (CSV UTF-8)",
        )
    return text.encode("utf-8"), "cp1252"


def _has_control_bytes(data: bytes) -> bool:
    return any(b in data for b in _CONTROL_BYTES)


def _mixed_lines(body: bytes) -> tuple[int, int] | None:
    """(a line that is UTF-8 with accents, a line that is not UTF-8), when a file has both.

    Two exports glued together, or a file edited in two tools: decoding it all as Windows-1252
    would turn the UTF-8 accents into mojibake (`Ã©`) that nothing downstream could detect, so the
    file is refused. Judged line by line: a whole Windows-1252 line with accents is practically
    never valid UTF-8 by accident.
    """
    if not any(b in body for b in _CONTINUATION_BYTES):
        return None  # no UTF-8 character anywhere (Windows-1252 accents are lead bytes alone)
    utf8_line = other_line = 0
    for number, line in enumerate(body.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other_line = other_line or number
        else:
            utf8_line = utf8_line or number
        if utf8_line and other_line:
            return utf8_line, other_line
    return None


def sniff_separator(header_line: str) -> str | None:
    """The separator of a CSV from its header line: the most frequent of `;` `,` tab outside
    quotes (ties: `;`, then `,`, then tab), or None for a one-column file."""
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(SEPARATORS, key=lambda s: counts[s])  # max keeps the first of equal counts
    return best if counts[best] else None


def _header_line(utf8: bytes) -> str:
    """The first line of the file (up to the first newline outside quotes)."""
    end = 0
    quoted = False
    limit = min(len(utf8), 1 << 20)
    while end < limit:
        byte = utf8[end]
        if byte == 0x22:
            quoted = not quoted
        elif byte == 0x0A and not quoted:
            break
        end += 1
    return utf8[:end].decode("utf-8", errors="replace").rstrip("\r")


def _read_csv(path: Path, contract: Contract) -> RawFrame:
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileRejected("unreadable", f"{name}: cannot be read ({exc.strerror})") from None
    utf8, encoding = _decode(data, name)
    del data
    if not utf8 or utf8.isspace():  # what `not utf8.strip()` says, without copying the file
        raise FileRejected("empty_file", f"{name}: the file holds no text")
    if b"\n" not in utf8:  # classic Mac OS line ends: CR alone
        utf8 = utf8.replace(b"\r", b"\n")
    separator = sniff_separator(_header_line(utf8))
    table: pl.DataFrame | None = None
    # A field can only hold a newline when a quote opens it: without any `"` in the file (or
    # when read without quoting) every record is one line.
    multiline = False
    try:
        table = _parse_csv(utf8, separator or ",", '"')
        multiline = b'"' in utf8
    except (pl.exceptions.PolarsError, ValueError, OverflowError):
        if not _some_field_is_quoted(utf8, separator or ","):
            # `5" pouces`: quote characters inside fields, none opening one; read them as text
            with contextlib.suppress(pl.exceptions.PolarsError, ValueError, OverflowError):
                table = _parse_csv(utf8, separator or ",", None)
    if table is None:
        # polars' own message quotes cell content (possibly an INSZ): not passed on, nor chained.
        raise FileRejected(
            "unreadable",
            f"{name}: not a well-formed CSV file (unbalanced quotes, or a line with more "
            f"fields than the header, with separator {_separator_label(separator)})",
        )
    del utf8
    if table.height == 0:
        raise FileRejected("empty_file", f"{name}: the file holds no text")
    line_numbers = _csv_line_numbers(table, multiline=multiline)
    table = table.with_columns(line_numbers.alias(ROW_NUMBER))
    header = [_cell_text(v) for v in table.row(0)[:-1]]
    body = table.slice(1)
    frame, dropped, ignored = _shape(body, header, contract, name, where="")
    return RawFrame(frame, frame.height, encoding, separator or ",", dropped, ignored, None)


def _parse_csv(utf8: bytes, separator: str, quote_char: str | None) -> pl.DataFrame:
    return pl.read_csv(
        utf8,
        has_header=False,
        separator=separator,
        quote_char=quote_char,
        infer_schema=False,
        truncate_ragged_lines=False,
        raise_if_empty=False,
    )


def _some_field_is_quoted(utf8: bytes, separator: str) -> bool:
    """Whether a field starts with `"` (at a line start or after the separator)."""
    sep = re.escape(separator.encode())
    return re.search(rb"(?:^|" + sep + rb')[ \t]*"', utf8, re.MULTILINE) is not None


def _separator_label(separator: str | None) -> str:
    return {"\t": "tab", None: "none found"}.get(separator, repr(separator))


def _csv_line_numbers(table: pl.DataFrame, *, multiline: bool = True) -> pl.Series:
    """The 1-based line where each record starts: a record spans one line plus the newlines
    inside its quoted fields, so line numbers stay those an editor shows. `multiline=False`
    says no field can hold a newline (the file has no quote), which spares scanning every cell."""
    with_newlines = (
        [c for c in table.columns if table.get_column(c).str.contains("\n", literal=True).any()]
        if multiline
        else []
    )
    if not with_newlines:  # the usual case: one record per line
        return pl.int_range(1, table.height + 1, dtype=pl.Int64, eager=True).alias(ROW_NUMBER)
    newlines = pl.sum_horizontal(
        [pl.col(c).str.count_matches("\n", literal=True).fill_null(0) for c in with_newlines]
    )
    spans = table.select((newlines + 1).cast(pl.Int64).alias("span")).to_series()
    return (spans.cum_sum() - spans + 1).alias(ROW_NUMBER)


def _cell_text(value: object) -> str:
    return "" if value is None else str(value)


# ---------------------------------------------------------------------------------------------
# Excel


def _read_excel(path: Path, contract: Contract) -> RawFrame:
    """The first sheet with every required column (its header may sit below a few title rows).

    Cells are read as text by calamine: numbers come as their shortest text ("85073003328",
    "21001", "1.5"), so codes stored as numbers keep their digits; date cells come as ISO text.
    """
    name = path.name
    try:
        workbook = fastexcel.read_excel(path)
        sheet_names = list(workbook.sheet_names)
    except (fastexcel.FastExcelError, OSError, ValueError):
        raise FileRejected("unreadable", f"{name}: not a readable Excel workbook") from None
    best: tuple[int, FileRejected] | None = None  # fewest missing columns, its error
    any_rows = False
    for index, sheet_name in enumerate(sheet_names):
        try:
            table = workbook.load_sheet(index, header_row=None, dtypes="string").to_polars()
        except (fastexcel.FastExcelError, pl.exceptions.PolarsError, ValueError, OSError):
            continue  # chart sheets and the like: try the next sheet
        if table.width == 0 or table.height == 0:
            continue
        any_rows = True
        table = table.with_columns(
            pl.all().str.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", "${1}"),
        ).with_row_index(ROW_NUMBER, offset=first_used_row(path, index))
        table = table.select([*table.columns[1:], ROW_NUMBER]).with_columns(
            pl.col(ROW_NUMBER).cast(pl.Int64)
        )
        where = f" (sheet {sheet_name!r})"
        for header_index in range(min(_HEADER_SEARCH_ROWS, table.height)):
            header = [_cell_text(v) for v in table.row(header_index)[:-1]]
            missing = _missing_required(header, contract)
            if not missing:
                body = table.slice(header_index + 1)
                frame, dropped, ignored = _shape(body, header, contract, name, where)
                return RawFrame(frame, frame.height, "xlsx", None, dropped, ignored, sheet_name)
            if best is None or len(missing) < best[0]:
                best = (len(missing), _missing_column_error(missing, contract, name, where))
    if best is not None:
        error = best[1]
        if len(sheet_names) > 1:
            error = FileRejected(error.reason_code, f"{error.message} (no sheet has them all)")
        raise error
    if not any_rows:
        raise FileRejected("empty_file", f"{name}: every sheet of the workbook is empty")
    raise FileRejected("unreadable", f"{name}: no sheet could be read")


def _check_archive(path: Path, max_bytes: int) -> None:
    """Refuse a workbook whose archive would unpack beyond `max_bytes` or that packs like a bomb,
    before the Excel reader inflates it in memory. Sizes are those the archive declares."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRejected("unreadable", f"{name}: not a readable Excel workbook") from None
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise FileRejected(
            "too_large", f"{name}: the workbook archive holds {len(members):,} parts; refused"
        )
    unpacked = sum(m.file_size for m in members)
    if unpacked > max_bytes:
        raise FileRejected(
            "too_large",
            f"{name}: the workbook unpacks to {unpacked / 1e6:,.0f} MB, above the "
            f"{max_bytes / 1e6:,.0f} MB limit; split it or deliver CSV",
        )
    for m in members:
        ratio = m.file_size // max(m.compress_size, 1)
        if m.file_size > BOMB_MIN_BYTES and ratio > MAX_PACKING_RATIO:
            raise FileRejected(
                "too_large",
                f"{name}: a part of the workbook unpacks to {ratio:,} times its packed size "
                "(an archive bomb?); refused",
            )


_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def first_used_row(path: Path, sheet_index: int) -> int:
    """The sheet row (1-based) of the first cell holding a value in an .xlsx sheet.

    calamine starts a sheet at its first non-empty cell, so without this offset `_row_number`
    would be wrong for sheets whose data does not start on row 1. Read by streaming the sheet's
    XML up to that cell (no shared strings needed). 1 when it cannot be told (.xls, odd files).
    The XML is from a delivered file, but ElementTree never fetches external entities and the
    bundled expat (>= 2.4) bounds entity expansion, hence the S314 waivers (no defusedxml here).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314
            sheets = workbook.findall(f"{_SHEET_NS}sheets/{_SHEET_NS}sheet")
            rel_id = sheets[sheet_index].get(_REL_ID)
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
            target = next(r.get("Target", "") for r in rels if r.get("Id") == rel_id)
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            with archive.open(member) as stream:
                for _, element in ElementTree.iterparse(stream, events=("end",)):  # noqa: S314
                    if element.tag == f"{_SHEET_NS}c" and (
                        element.find(f"{_SHEET_NS}v") is not None
                        or element.find(f"{_SHEET_NS}is") is not None
                    ):
                        match = re.match(r"[A-Z]+(\d+)$", element.get("r", ""))
                        return int(match.group(1)) if match else 1
                    if element.tag == f"{_SHEET_NS}row":
                        element.clear()
    except (KeyError, IndexError, StopIteration, OSError, ValueError, zipfile.BadZipFile):
        return 1
    except ElementTree.ParseError:
        return 1
    return 1


# ---------------------------------------------------------------------------------------------
# Header resolution, shared by CSV and Excel


def _field_lookup(contract: Contract) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for f in contract.fields:
        for header in (f.name, *f.aliases):
            lookup.setdefault(normalise_header(header), f.name)
    return lookup


def _is_personal_header(key: str) -> bool:
    """Names, addresses, phones, e-mails: the header or one of its words is a dropped name
    ("nom", "first_name", "adresse_rue", "email_prive")."""
    return key in DROPPED_COLUMNS or any(part in DROPPED_COLUMNS for part in key.split("_"))


def _missing_required(header: Sequence[str], contract: Contract) -> list[str]:
    lookup = _field_lookup(contract)
    present = {lookup.get(normalise_header(h)) for h in header}
    return [f for f in contract.required if f not in present]


def _missing_column_error(
    missing: Sequence[str], contract: Contract, name: str, where: str
) -> FileRejected:
    if len(missing) == len(contract.required):
        return FileRejected(
            "missing_column",
            f"{name}{where}: no column of {contract.source} recognised in the first line "
            f"(expected {', '.join(contract.required)}); is it the right source, and does the "
            "file start with its header line?",
        )
    parts = []
    for field_name in missing:
        aliases = contract.field(field_name).aliases
        also = f" (or {', '.join(aliases)})" if aliases else ""
        parts.append(f"{field_name}{also}")
    plural = "s" if len(missing) > 1 else ""
    return FileRejected(
        "missing_column",
        f"{name}{where}: required column{plural} missing for {contract.source}: "
        + "; ".join(parts),
    )


_DIGIT_RUN = re.compile(r"\d[\d .\-/]{4,}\d")


def _safe_header(header: str) -> str:
    """A header as shown in messages: a header-less file has data in its first line, so long
    digit runs (possible INSZ) are hidden."""
    return _DIGIT_RUN.sub("…", header.strip())[:60]


def _shape(
    body: pl.DataFrame, header: Sequence[str], contract: Contract, name: str, where: str
) -> tuple[pl.DataFrame, tuple[str, ...], tuple[str, ...]]:
    """Rename the file's columns to the contract's fields; drop personal and unknown columns."""
    lookup = _field_lookup(contract)
    columns = body.columns[:-1]  # last one is _row_number
    chosen: dict[str, str] = {}  # field -> source column
    shown: dict[str, str] = {}  # field -> header as delivered
    dropped: list[str] = []
    ignored: list[str] = []
    for column, delivered in zip(columns, header, strict=True):
        key = normalise_header(delivered)
        if not key:
            if body.get_column(column).is_not_null().any():
                ignored.append(f"(unnamed column {columns.index(column) + 1})")
            continue
        field_name = lookup.get(key)
        if field_name is not None:
            if field_name in chosen:
                raise FileRejected(
                    "duplicate_column",
                    f"{name}{where}: columns {_safe_header(shown[field_name])!r} and "
                    f"{_safe_header(delivered)!r} both give {field_name}; keep only one",
                )
            chosen[field_name] = column
            shown[field_name] = delivered
        elif _is_personal_header(key):
            dropped.append(_safe_header(delivered))
        else:
            ignored.append(_safe_header(delivered))
    missing = [f for f in contract.required if f not in chosen]
    if missing:
        raise _missing_column_error(missing, contract, name, where)
    data_columns = [chosen[f] for f in contract.names if f in chosen]
    # Blank lines and rows of empty cells (";;;;" at the end of Excel exports) are not rows.
    if data_columns:
        body = body.filter(pl.any_horizontal(pl.col(c).is_not_null() for c in data_columns))
    if body.height == 0:
        raise FileRejected("empty_file", f"{name}{where}: a header but no data rows")
    frame = body.select(
        *[
            pl.col(chosen[f]).alias(f) if f in chosen else pl.lit(None, pl.String).alias(f)
            for f in contract.names
        ],
        pl.col(ROW_NUMBER),
    )
    return frame, tuple(dropped), tuple(ignored)
