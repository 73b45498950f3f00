"""Row validation: type the text a reader delivered, and quarantine the rows that do not pass.

Everything is polars expressions over whole columns (files reach millions of rows); the only
Python loops run over the contract's fields or over the distinct values of a NACE column.

Each bad row gets ONE reason, the first that fails in this fixed order, so counts by reason are
stable and a reader of the quarantine file sees the leftmost problem first:

1. field by field, in contract order, and for each field:
   `missing_value` (empty and not nullable) → its format (`bad_type` for text longer than
   MAX_TEXT_CHARS, `bad_insz` for INSZ, `bad_date` for dates and months, `unknown_code` for
   values outside a code list, `bad_type` otherwise) → its reference dimension
   (`unknown_code`) → its range (`negative_value` below `min_value`; above `max_value` is
   `bad_type`);
2. the row rules: `end_before_start` (contract.date_order), `future_date` (contract.no_future,
   after the delivery date), `missing_occupation` (contract.one_of: none of the group given);
3. `duplicate_key`: among rows that passed everything, later rows with an already seen key
   (the first one is kept).

`reason_detail` names the field and what was expected. It shows the offending value only for
non-personal fields, shortened, with long digit runs hidden, so that an INSZ typed into the wrong
column never ends up in a reason.

Choices for Belgian files, on purpose:
- integers accept `.` thousands separators in exact groups of three (`1.234` → 1234, as Belgian
  Excel shows them) and zero decimals (`12.0`, `12,00` from float columns); `1,234` and `1.5`
  are refused (not whole numbers in a Belgian reading);
- decimals accept `1,5`, `1.5`, `1.234,5`, `1,234.5`; a lone `1.234` is read as 1234 only when
  the same column uses a decimal comma elsewhere, otherwise as 1.234;
- NIS codes have five digits, and every Belgian NIS code is ≥ 11001, so a four-digit value is
  refused rather than "restored" (there is no lost leading zero to put back);
- NACE codes go through `pipelines.nace.normalise_nace` (dots optional, lost leading zero
  restored when the reference knows only the padded reading); ISCO codes get a lost leading
  zero back only when the literal code is unknown and the padded one is known;
- INSZ: separators removed, 9-10 digits left-padded (Excel drops the 0 of people born 2000-09),
  then the mod-97 check.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import polars as pl

from pipelines.contracts import Contract, Field
from pipelines.nace import normalise_nace
from pipelines.pseudonymise import insz_valid_expr, normalised_insz_expr
from pipelines.readers import ROW_NUMBER, FileRejected
from pipelines.reference import ReferenceCodes

MAX_BAD_SHARE = 0.20  # above this share of bad rows the file is refused as a whole
# Longest text a field may hold. Identifiers and programme names are far shorter; a megabyte in a
# cell is a broken export (or an attempt to bloat the warehouse), and is quarantined as bad_type.
MAX_TEXT_CHARS = 1_000
REASON_CODES: tuple[str, ...] = (
    "missing_value", "bad_insz", "bad_date", "bad_type", "unknown_code", "negative_value",
    "end_before_start", "future_date", "missing_occupation", "duplicate_key",
)  # fmt: skip
REASON_CODE = "reason_code"
REASON_DETAIL = "reason_detail"

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO_DATE = rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_TIME}$"
_DMY_DATE = rf"^(\d{{1,2}})[/.\-](\d{{1,2}})[/.\-](\d{{4}}){_TIME}$"
_EXCEL_SERIAL = r"^(\d{5})(?:\.\d+)?$"
EXCEL_SERIAL_MIN, EXCEL_SERIAL_MAX = 20_000, 80_000  # 1954-10-03 … 2119-01-10
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (it counts a 29 Feb 1900 that never was)
MIN_YEAR, MAX_YEAR = 1900, 2100
_BLANKS = r"[\s\u00a0\u202f]"
_ZERO_DECIMALS = r"\.0+$"  # "21001.0": a code that went through a float column
_DIGIT_RUN = r"\d[\d .\-/]{4,}\d"

BOOL_VALUES: dict[str, bool] = {
    **dict.fromkeys(("1", "true", "t", "yes", "y", "oui", "o", "vrai", "ja", "j", "waar"), True),
    **dict.fromkeys(("0", "false", "f", "no", "n", "non", "faux", "nee", "onwaar"), False),
}


@dataclass(frozen=True)
class Validated:
    """`good`: typed rows, contract field names plus `_row_number`. `bad`: the rows as delivered
    (text), plus `_row_number`, `reason_code` and `reason_detail`, for the quarantine file."""

    good: pl.DataFrame
    bad: pl.DataFrame


@dataclass(frozen=True)
class _Check:
    condition: pl.Expr
    code: str
    detail: pl.Expr


def normalise_code_text(text: str) -> str:
    """Key used to match a delivered code value: lower case, no accents, runs of blanks,
    `_` and `-` made one `_` (`Terminé` → `termine`, `Dropped out` → `dropped_out`)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\s_\-]+", "_", plain.lower().strip())


def _normalise_code_expr(expr: pl.Expr) -> pl.Expr:
    return (
        expr.str.normalize("NFKD")
        .str.replace_all(r"\p{M}", "")
        .str.to_lowercase()
        .str.strip_chars()
        .str.replace_all(r"[\s_\-]+", "_")
    )


def code_lookup(f: Field) -> dict[str, str]:
    """Normalised delivered value → code, from the codes themselves and the value aliases."""
    lookup = {normalise_code_text(code): code for code in f.codes}
    for alias, code in f.value_aliases.items():
        lookup.setdefault(normalise_code_text(alias), code)
    return lookup


# ---------------------------------------------------------------------------------------------
# Parsers: String expression (trimmed, null when empty) → typed expression, null when unparsable


def _ymd(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    text = pl.concat_str(
        [year, month.str.pad_start(2, "0"), day.str.pad_start(2, "0")], separator="-"
    )
    return text.str.to_date("%Y-%m-%d", strict=False)


def parse_date(t: pl.Expr) -> pl.Expr:
    """ISO (optionally with a time), DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY, or an Excel serial
    number between 20000 and 80000; impossible days (30 Feb) and years outside 1900-2100 → null."""
    iso = _ymd(
        t.str.extract(_ISO_DATE, 1), t.str.extract(_ISO_DATE, 2), t.str.extract(_ISO_DATE, 3)
    )
    dmy = _ymd(
        t.str.extract(_DMY_DATE, 3), t.str.extract(_DMY_DATE, 2), t.str.extract(_DMY_DATE, 1)
    )
    serial = t.str.extract(_EXCEL_SERIAL, 1).cast(pl.Int64, strict=False)
    from_serial = (
        pl.when(serial.is_between(EXCEL_SERIAL_MIN, EXCEL_SERIAL_MAX))
        .then(pl.lit(_EXCEL_EPOCH) + pl.duration(days=serial))
        .otherwise(None)
        .cast(pl.Date)
    )
    parsed = pl.coalesce(iso, dmy, from_serial)
    return pl.when(parsed.dt.year().is_between(MIN_YEAR, MAX_YEAR)).then(parsed).otherwise(None)


def parse_month(t: pl.Expr) -> pl.Expr:
    """YYYY-MM (or `/` `.`), MM/YYYY (or `-` `.`), YYYYMM, or any date: the first of its month."""
    ym = r"^(\d{4})[-/.](\d{1,2})$"
    my = r"^(\d{1,2})[-/.](\d{4})$"
    compact = r"^(\d{4})(\d{2})$"
    one = pl.lit("1")
    parsed = pl.coalesce(
        _ymd(t.str.extract(ym, 1), t.str.extract(ym, 2), one),
        _ymd(t.str.extract(my, 2), t.str.extract(my, 1), one),
        _ymd(t.str.extract(compact, 1), t.str.extract(compact, 2), one),
        parse_date(t).dt.truncate("1mo"),
    )
    return pl.when(parsed.dt.year().is_between(MIN_YEAR, MAX_YEAR)).then(parsed).otherwise(None)


def parse_int(t: pl.Expr) -> pl.Expr:
    """Whole numbers; `.` thousands groups and zero decimals accepted (see module doc)."""
    s = t.str.replace_all(_BLANKS, "")
    cleaned = (
        pl.when(s.str.contains(r"^[+-]?\d+$"))
        .then(s)
        .when(s.str.contains(r"^[+-]?\d{1,3}(?:\.\d{3})+$"))
        .then(s.str.replace_all(".", "", literal=True))
        .when(s.str.contains(r"^[+-]?\d+[.,]0{1,2}$"))
        .then(s.str.replace(r"[.,]0+$", ""))
        .otherwise(None)
    )
    return cleaned.cast(pl.Int64, strict=False)


def parse_float(t: pl.Expr) -> pl.Expr:
    """Decimals with `,` or `.` as decimal mark and the other as thousands separator."""
    s = t.str.replace_all(_BLANKS, "")
    comma_decimal = r"^[+-]?\d+,\d+$"
    be_grouped = r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$"
    column_uses_comma = s.str.contains(rf"{comma_decimal}|^[+-]?\d{{1,3}}(?:\.\d{{3}})+,\d+$")
    cleaned = (
        pl.when(s.str.contains(r"^[+-]?\d+$"))
        .then(s)
        .when(s.str.contains(comma_decimal))
        .then(s.str.replace(",", ".", literal=True))
        .when(s.str.contains(r"^[+-]?\d{1,3}\.\d{3}$") & column_uses_comma.any())
        .then(s.str.replace(".", "", literal=True))
        .when(s.str.contains(r"^[+-]?\d+\.\d+$"))
        .then(s)
        .when(s.str.contains(be_grouped))
        .then(s.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .when(s.str.contains(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"))
        .then(s.str.replace_all(",", "", literal=True))
        .when(s.str.contains(r"^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$"))
        .then(s)
        .when(s.str.contains(r"^[+-]?[.,]\d+$"))
        .then(s.str.replace(r"[.,]", "0."))
        .otherwise(None)
    )
    value = cleaned.cast(pl.Float64, strict=False)
    return pl.when(value.is_finite()).then(value).otherwise(None)


def parse_bool(t: pl.Expr) -> pl.Expr:
    """yes/no in French, Dutch and English, 1/0, true/false (any case, accents ignored)."""
    return _normalise_code_expr(t).replace_strict(
        BOOL_VALUES, default=None, return_dtype=pl.Boolean
    )


def parse_year(t: pl.Expr) -> pl.Expr:
    year = t.str.replace(_ZERO_DECIMALS, "")
    value = pl.when(year.str.contains(r"^\d{4}$")).then(year).cast(pl.Int32, strict=False)
    return pl.when(value.is_between(MIN_YEAR, MAX_YEAR)).then(value).otherwise(None)


def parse_nis(t: pl.Expr) -> pl.Expr:
    """Five digits, not starting with 0 (Belgian NIS codes run from 11001 to 93090)."""
    digits = t.str.replace(_ZERO_DECIMALS, "")
    return pl.when(digits.str.contains(r"^[1-9]\d{4}$")).then(digits).otherwise(None)


def parse_isco(t: pl.Expr, known: frozenset[str] | None) -> pl.Expr:
    """One to four digits, kept as text; a lost leading zero is put back when only the padded
    code is known (`110` → `0110`, armed forces occupations)."""
    digits = t.str.replace(_ZERO_DECIMALS, "")
    code = pl.when(digits.str.contains(r"^\d{1,4}$")).then(digits).otherwise(None)
    if not known:
        return code
    padded = pl.lit("0") + code
    known_list = sorted(known)
    return (
        pl.when(
            code.is_in(known_list).not_() & padded.is_in(known_list) & (code.str.len_chars() < 4)
        )
        .then(padded)
        .otherwise(code)
    )


def parse_rome(t: pl.Expr) -> pl.Expr:
    """A letter and four digits, upper-cased (`h2901` → `H2901`)."""
    code = t.str.replace_all(_BLANKS, "").str.to_uppercase()
    return pl.when(code.str.contains(r"^[A-Z]\d{4}$")).then(code).otherwise(None)


def parse_insz(t: pl.Expr) -> pl.Expr:
    normalised = normalised_insz_expr(t)
    return pl.when(insz_valid_expr(normalised)).then(normalised).otherwise(None)


# ---------------------------------------------------------------------------------------------


def _shown(t: pl.Expr) -> pl.Expr:
    """A delivered value as it may appear in a reason: short, digit runs hidden."""
    return t.str.replace_all(_DIGIT_RUN, "…").str.slice(0, 40)


def _detail(f: Field, t: pl.Expr, text: str) -> pl.Expr:
    if f.personal is not None:
        return pl.lit(f"{f.name}: {text}")
    return pl.concat_str([pl.lit(f"{f.name}: {text} ("), _shown(t), pl.lit(")")])


_FORMAT_TEXT = {
    "int": "not a whole number",
    "float": "not a number",
    "date": "not a date (YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY or Excel day number)",
    "month": "not a month (YYYY-MM, MM/YYYY or a date)",
    "year": "not a four-digit year",
    "insz": "not a valid national register number (11 digits with mod-97 check)",
    "nis": "not a 5-digit NIS commune code",
    "nace": "not a NACE code",
    "isco": "not an ISCO-08 code (1 to 4 digits)",
    "rome": "not a ROME code (a letter and four digits)",
    "bool": "not yes/no, true/false or 1/0",
}
_FORMAT_CODE = {"insz": "bad_insz", "date": "bad_date", "month": "bad_date", "code": "unknown_code"}


def _reference_set(f: Field, refs: ReferenceCodes) -> frozenset[str] | None:
    return {
        "pool": refs.pool_ids,
        "commune": refs.commune_nis,
        "nace": refs.nace_codes,
        "isco": refs.isco_codes,
        "rome": refs.rome_codes,
    }.get(f.reference or "")


def _nace_mapping(column: pl.Series, known: frozenset[str]) -> dict[str, str | None]:
    """normalise_nace over the distinct delivered values (a few hundred, however long the file)."""
    distinct = column.str.strip_chars().drop_nulls().unique().to_list()
    return {value: normalise_nace(value, known) for value in distinct}


def _parse(f: Field, t: pl.Expr, values: pl.Series, refs: ReferenceCodes) -> pl.Expr:
    kind = f.kind
    if kind == "text":
        return t
    if kind == "code":
        return _normalise_code_expr(t).replace_strict(
            code_lookup(f), default=None, return_dtype=pl.String
        )
    if kind == "int":
        return parse_int(t)
    if kind == "float":
        return parse_float(t)
    if kind == "date":
        return parse_date(t)
    if kind == "month":
        return parse_month(t)
    if kind == "year":
        return parse_year(t)
    if kind == "insz":
        return parse_insz(t)
    if kind == "nis":
        return parse_nis(t)
    if kind == "nace":
        mapping = _nace_mapping(values, refs.nace_codes)
        if not mapping:
            return pl.lit(None, pl.String)
        return t.replace_strict(mapping, default=None, return_dtype=pl.String)
    if kind == "isco":
        return parse_isco(t, refs.isco_codes if f.reference == "isco" else None)
    if kind == "rome":
        return parse_rome(t)
    if kind == "bool":
        return parse_bool(t)
    raise ValueError(f"field {f.name}: unknown kind {kind!r}")


def _with_parsed(frame: pl.DataFrame, f: Field, refs: ReferenceCodes) -> pl.DataFrame:
    """Add `__t_<field>` (the text trimmed, null when empty) and `__v_<field>` (the field typed).

    Trimming and parsing run on the distinct delivered values only (dates, codes and amounts
    repeat a lot; regex-heavy parsing of 2 M rows would take a minute, and even trimming every
    cell costs more than the join), then one join puts both results back on every row.
    Identifiers and INSZ, nearly one value per row, are trimmed and parsed in place."""
    t, v = _t(f.name), _v(f.name)
    if f.kind == "text":
        trimmed = frame.select(_trimmed(pl.col(f.name)).alias(t)).to_series()
        return frame.with_columns(trimmed, trimmed.alias(v))
    if f.kind == "insz":  # parsed in place, in two stages
        staged = frame.select(_trimmed(pl.col(f.name)).alias(t)).with_columns(
            normalised_insz_expr(pl.col(t)).alias("__n")
        )
        return frame.with_columns(
            staged.select(
                pl.col(t), pl.when(insz_valid_expr(pl.col("__n"))).then(pl.col("__n")).alias(v)
            )
        )
    delivered = frame.select(pl.col(f.name).drop_nulls().unique())
    lookup = delivered.with_columns(_trimmed(pl.col(f.name)).alias(t))
    distinct = lookup.select(pl.col(t).drop_nulls().unique())
    parsed = _parse(f, pl.col(t), distinct.get_column(t), refs)
    lookup = lookup.join(distinct.with_columns(parsed.alias(v)), on=t, how="left")
    typed = frame.select(f.name).join(lookup, on=f.name, how="left", maintain_order="left")
    return frame.with_columns(typed.get_column(t), typed.get_column(v))


def _field_checks(f: Field, t: pl.Expr, v: pl.Expr, refs: ReferenceCodes) -> list[_Check]:
    checks: list[_Check] = []
    if not f.nullable:
        checks.append(_Check(t.is_null(), "missing_value", pl.lit(f"{f.name}: empty")))
    if f.kind == "text":
        too_long = t.str.len_chars() > MAX_TEXT_CHARS
        detail = pl.lit(f"{f.name}: longer than {MAX_TEXT_CHARS:,} characters")
        checks.append(_Check(too_long, "bad_type", detail))
    text = _FORMAT_TEXT.get(f.kind)
    if f.kind == "code":
        text = "not one of " + ", ".join(f.codes)
    if text is not None:
        code = _FORMAT_CODE.get(f.kind, "bad_type")
        checks.append(_Check(t.is_not_null() & v.is_null(), code, _detail(f, t, text)))
    known = _reference_set(f, refs)
    if known is not None:
        unknown = v.is_not_null() & v.is_in(sorted(known)).not_()
        checks.append(_Check(unknown, "unknown_code", _detail(f, t, f"not a known {f.reference}")))
    if f.kind in ("int", "float"):
        low = 0.0 if f.min_value is None else f.min_value
        below = _detail(f, t, f"below {low:g}")
        checks.append(_Check(v < low, "negative_value", below))
        if f.max_value is not None:
            above = _detail(f, t, f"above {f.max_value:g}")
            checks.append(_Check(v > f.max_value, "bad_type", above))
    return checks


def _row_checks(contract: Contract, delivered_on: date) -> list[_Check]:
    checks: list[_Check] = []
    for start, end in contract.date_order:
        vs, ve = pl.col(_v(start)), pl.col(_v(end))
        checks.append(_Check(ve < vs, "end_before_start", pl.lit(f"{end} before {start}")))
    for name in contract.no_future:
        detail = f"{name} after the delivery date {delivered_on.isoformat()}"
        checks.append(
            _Check(pl.col(_v(name)) > pl.lit(delivered_on), "future_date", pl.lit(detail))
        )
    for group in contract.one_of:
        none = pl.all_horizontal([pl.col(_v(n)).is_null() for n in group])
        checks.append(_Check(none, "missing_occupation", pl.lit(f"none of {', '.join(group)}")))
    return checks


def _trimmed(expr: pl.Expr) -> pl.Expr:
    """Text without surrounding blanks (NBSP included); empty becomes null."""
    text = expr.str.strip_chars()
    return pl.when(text.str.len_chars() > 0).then(text).otherwise(None)


def _v(name: str) -> str:
    return f"__v_{name}"


def _t(name: str) -> str:
    return f"__t_{name}"


def validate(
    raw: pl.DataFrame,
    contract: Contract,
    refs: ReferenceCodes,
    delivered_on: date,
    *,
    file_name: str | None = None,
    max_bad_share: float = MAX_BAD_SHARE,
) -> Validated:
    """Type `raw` (text columns named by the contract, from `read_source_file`) and split it.

    Raises `FileRejected('too_many_bad_rows')` when more than `max_bad_share` of the rows fail:
    such a file is more likely mis-delivered (wrong source, shifted columns) than dirty, and
    loading its remaining rows would give a misleading partial picture.
    """
    frame = raw
    missing = [n for n in contract.names if n not in frame.columns]
    if missing:
        frame = frame.with_columns(pl.lit(None, pl.String).alias(n) for n in missing)
    if ROW_NUMBER not in frame.columns:
        frame = frame.with_row_index(ROW_NUMBER, offset=1).with_columns(
            pl.col(ROW_NUMBER).cast(pl.Int64)
        )
    frame = frame.with_columns(pl.col(n).cast(pl.String) for n in contract.names)

    for f in contract.fields:
        frame = _with_parsed(frame, f, refs)
    checks: list[_Check] = []
    for f in contract.fields:
        checks += _field_checks(f, pl.col(_t(f.name)), pl.col(_v(f.name)), refs)
    checks += _row_checks(contract, delivered_on)

    # Which check fails first, as a small integer: cheap over millions of rows. The reason's
    # text is then built for the failing rows only.
    failures: list[pl.Expr] = [
        pl.when(c.condition.fill_null(False)).then(pl.lit(i, pl.Int32))
        for i, c in enumerate(checks)
    ]
    first_failing = pl.coalesce([*failures, pl.lit(None, pl.Int32)])
    frame = frame.with_columns(first_failing.alias("__check"))
    failing = frame.filter(pl.col("__check").is_not_null())
    codes = {i: c.code for i, c in enumerate(checks)}
    failing = failing.with_columns(
        pl.col("__check").replace_strict(codes, return_dtype=pl.String).alias(REASON_CODE),
        pl.coalesce(
            [pl.when(pl.col("__check") == i).then(c.detail) for i, c in enumerate(checks)]
            + [pl.lit(None, pl.String)]
        ).alias(REASON_DETAIL),
    )
    # Duplicates are looked for among the rows that passed every check: the passed flag leads
    # the key, so a failing row never hides a later good one. The wide frame (text, trimmed and
    # typed columns) is filtered only for the few bad rows; the good rows take the typed ones.
    passed = pl.col("__check").is_null()
    key = pl.struct(passed.alias("__passed"), *[pl.col(_v(k)) for k in contract.key])
    frame = frame.with_columns(key.is_first_distinct().alias("__first"))
    duplicates = frame.filter(passed & ~pl.col("__first")).with_columns(
        pl.lit("duplicate_key").alias(REASON_CODE),
        pl.lit("key " + ", ".join(contract.key) + " already seen in an earlier row").alias(
            REASON_DETAIL
        ),
    )
    good = (
        frame.select(
            *[pl.col(_v(n)).alias(n) for n in contract.names],
            pl.col(ROW_NUMBER),
            (passed & pl.col("__first")).alias("__good"),
        )
        .filter(pl.col("__good"))
        .drop("__good")
    )
    bad_columns = [*contract.names, ROW_NUMBER, REASON_CODE, REASON_DETAIL]
    bad = pl.concat([failing.select(bad_columns), duplicates.select(bad_columns)]).sort(ROW_NUMBER)

    total = frame.height
    if total and bad.height > max_bad_share * total:
        raise _too_many(bad, total, file_name, max_bad_share)
    return Validated(good=good, bad=bad)


def _too_many(bad: pl.DataFrame, total: int, file_name: str | None, share: float) -> FileRejected:
    counts = bad.group_by(REASON_CODE).len().sort(["len", REASON_CODE], descending=[True, False])
    top = ", ".join(f"{r} {n}" for r, n in counts.head(3).iter_rows())
    return FileRejected(
        "too_many_bad_rows",
        f"{file_name or 'file'}: {bad.height} of {total} rows ({bad.height / total:.0%}) fail "
        f"validation, above the {share:.0%} limit ({top}); the whole file is refused — "
        "check that it is the right source and its columns are not shifted",
    )
