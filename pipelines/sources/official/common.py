"""What every official-statistics connector shares: the output schema, code lists, periods, cells.

Publishers shape their files, not us, so each connector only has to turn its format into one
intermediate frame (one column per dimension, a period label, a value text, a flag) and hand it to
`finish`, which builds the long form every connector returns. Keeping the typing, the canonical
dimension key and the period parsing here means the five formats cannot drift apart: the same
series read from a bulk TSV and from a Data Explorer CSV gets the same `dimension_key`.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import polars as pl

CODELIST_DIR = Path(__file__).parent / "codelists"

EUROSTAT = "Eurostat"

# The long form every connector returns; the order is the order of the columns.
OBSERVATION_SCHEMA = pl.Schema(
    {
        "dataset": pl.String(),
        "dimension_key": pl.String(),
        "geo": pl.String(),
        "sex": pl.String(),
        "age": pl.String(),
        "unit": pl.String(),
        "nace": pl.String(),
        "s_adj": pl.String(),
        "education": pl.String(),
        "period": pl.String(),
        "period_start": pl.Date(),
        "freq": pl.String(),
        "value": pl.Float64(),
        "flag": pl.String(),
        "source": pl.String(),
        "last_update": pl.Date(),
        "file_name": pl.String(),
    }
)

# Rows that could not become observations: kept with the file's own text and a reason.
REJECTED_SCHEMA = pl.Schema(
    {
        "dataset": pl.String(),
        "file_name": pl.String(),
        "location": pl.String(),
        "raw": pl.String(),
        "reason": pl.String(),
        "detail": pl.String(),
    }
)

# Dimension name in the file -> the frequently used column it also fills.
SHORTCUT_COLUMNS: dict[str, str] = {
    "geo": "geo",
    "sex": "sex",
    "age": "age",
    "unit": "unit",
    "nace_r2": "nace",
    "nace": "nace",
    "s_adj": "s_adj",
    "education": "education",
}

# Dimensions never put in the dimension key: the frequency has its own column and is implied by
# the period; the time dimension is the period.
NOT_IN_KEY = frozenset({"freq", "time", "time_period"})

# Units a dataset's files leave implicit (the old TSV and Data Explorer exports of these datasets
# have no unit dimension; Eurostat's metadata gives the unit). Filled in so that the same series
# has the same key whichever format it came in.
IMPLIED_UNITS: dict[str, str] = {
    "lfst_r_lfu3rt": "PC",
    "ei_lmjv_q_r2": "PC",
}


class UnrecognisedFile(Exception):
    """A file no connector recognises, or one whose layout changed: refused whole, one line."""

    def __init__(self, file_name: str, reason: str) -> None:
        self.file_name = file_name
        self.reason = " ".join(reason.split())  # one line, whatever a library put in it
        super().__init__(f"{file_name}: {self.reason}")


@dataclass(frozen=True)
class ContextRead:
    """What a connector returns for one file."""

    file_name: str
    file_format: str  # eurostat_tsv, eurostat_sdmx_csv, eurostat_xlsx, eurostat_explorer_csv, ...
    observations: pl.DataFrame  # OBSERVATION_SCHEMA
    rejected: pl.DataFrame  # REJECTED_SCHEMA
    rows_read: int  # data rows (lines, sheet rows) read from the file
    last_update: date | None  # the publisher's, where the file (or its sidecar) states it
    sidecar: str | None = None  # file name of the metadata sidecar used, if any

    @property
    def datasets(self) -> tuple[str, ...]:
        return tuple(sorted(self.observations["dataset"].unique().to_list()))


def empty_rejected() -> pl.DataFrame:
    return pl.DataFrame(schema=REJECTED_SCHEMA)


def rejected_frame(rows: Iterable[Mapping[str, str | None]]) -> pl.DataFrame:
    """Build the rejected frame from dicts with the REJECTED_SCHEMA keys."""
    return pl.DataFrame(list(rows), schema=REJECTED_SCHEMA)


# ---------------------------------------------------------------------------------- text helpers


def normalise_label(text: str) -> str:
    """Fold a label for matching: accents, case, apostrophes, dashes, spaces and hyphens.

    Publishers write the same label with `'` or `’`, with an en dash or a hyphen, with or without
    accents (ISO-8859-1 exports lose some), so matching is done on this folded form only.
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold()
    text = re.sub(r"[’‘`´']", "", text)
    text = re.sub(r"[‐‑‒–—-]", " ", text)
    text = re.sub(r"[\s_]+", " ", text)
    return text.strip()


CODE_LIKE = re.compile(r"^(?:[A-Z0-9][A-Z0-9_\-]*|_[A-Z])$")


def looks_like_code(text: str) -> bool:
    """Eurostat codes are upper case with digits, `_` and `-` (`BE10`, `Y_GE15`, `PC_ACT`);
    SDMX's cross-domain codes `_T` (total), `_Z` (not applicable), `_U`, `_X` are codes too."""
    return bool(CODE_LIKE.match(text))


@cache
def codelist(dimension: str) -> dict[str, str]:
    """Committed code list of a dimension as folded label -> code (empty if none is committed)."""
    path = CODELIST_DIR / f"{dimension}.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {normalise_label(row["label"]): row["code"] for row in csv.DictReader(handle)}


@cache
def codelist_codes(dimension: str) -> frozenset[str]:
    return frozenset(codelist(dimension).values())


def label_to_code(dimension: str, text: str, extra: Mapping[str, str] | None = None) -> str | None:
    """Map a cell of a dimension to its code, or None when it maps to nothing.

    A code-like cell is taken as a code; `CODE: label` / `CODE - label` (Eurostat's "both" layout)
    gives its code; otherwise the label is looked up first in `extra` (the file's own metadata,
    folded labels) and then in the committed code list.
    """
    text = text.strip()
    if not text:
        return None
    if looks_like_code(text):
        return text
    both = re.match(r"^([A-Z0-9][A-Z0-9_\-]*)\s*(?::|\s-\s)\s*\S", text)
    if both:
        return both.group(1)
    folded = normalise_label(text)
    if extra and folded in extra:
        return extra[folded]
    return codelist(dimension).get(folded)


def dataset_from_name(file_name: str) -> str:
    """Eurostat names its downloads after the dataset: `tgs00010.tsv.gz`, `estat_une_rt_a.tsv`."""
    stem = file_name.lower()
    for suffix in (".gz", ".tsv", ".csv", ".xlsx"):
        stem = stem.removesuffix(suffix)
    stem = stem.removeprefix("estat_")
    stem = re.sub(r"(_filtered)?(_(en|fr|de))?$", "", stem)
    return stem


# ------------------------------------------------------------------------------------- dates


def parse_day_month_year(text: str) -> date | None:
    """`15.04.14 02:02:08`, `06/06/25 23:00:00`, `19/11/2025 11:00` -> the day (day first)."""
    match = re.search(r"(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})", text)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        return None


# ------------------------------------------------------------------------------------- periods

_PERIOD_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\d{4})$"), "A"),
    (re.compile(r"^(\d{4})-?S([12])$"), "S"),
    (re.compile(r"^(\d{4})-?Q([1-4])$"), "Q"),
    (re.compile(r"^(\d{4})(?:-|M)(\d{2})$"), "M"),
)


@dataclass(frozen=True)
class Period:
    label: str  # canonical: 2013, 2013-S1, 2023-Q2, 2019-01
    start: date
    freq: str  # A, S, Q, M


def parse_period(text: str) -> Period | None:
    """Eurostat period labels, old (`2013M01`, `2013Q1`) and new (`2013-01`, `2013-Q1`)."""
    text = text.strip()
    for pattern, freq in _PERIOD_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match.group(1))
        if freq == "A":
            return Period(f"{year}", date(year, 1, 1), "A")
        part = int(match.group(2))
        if freq == "S":
            return Period(f"{year}-S{part}", date(year, 6 * (part - 1) + 1, 1), "S")
        if freq == "Q":
            return Period(f"{year}-Q{part}", date(year, 3 * (part - 1) + 1, 1), "Q")
        if 1 <= part <= 12:
            return Period(f"{year}-{part:02d}", date(year, part, 1), "M")
    return None


# --------------------------------------------------------------------------------------- cells

NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$")


def clean_flag(text: str | None) -> str | None:
    """Flags lower case (`C` confidentiality status -> `c`), letters only, NULL when empty."""
    if text is None:
        return None
    letters = "".join(ch for ch in text.strip().lower() if ch.isalpha())
    return letters or None


# ------------------------------------------------------------------------------------- finish


def finish(
    frame: pl.DataFrame,
    *,
    dimensions: list[str],
    source: str,
    file_name: str,
    last_update: date | None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Turn a connector's intermediate frame into (observations, rejected).

    `frame` has `dataset`, `location`, `raw`, one String column per dimension (codes, already
    mapped), `period_raw`, `value_raw` (text: a number, `:` or empty) and `flag_raw`. Rows whose
    period or value cannot be read go to the rejected frame with `bad_period` / `bad_value`.
    """
    dims = [d for d in dimensions if d not in NOT_IN_KEY]
    frame = _fill_implied_units(frame, dims)
    if "unit" not in dims and "unit" in frame.columns:
        dims.append("unit")

    frame = _read_values(_read_periods(frame))
    bad_period = frame.filter(pl.col("period").is_null())
    bad_value = frame.filter(pl.col("period").is_not_null() & pl.col("_bad_value"))
    good = frame.filter(pl.col("period").is_not_null() & ~pl.col("_bad_value"))

    rejected = pl.concat(
        [
            _rejections(bad_period, file_name, "bad_period", "period_raw"),
            _rejections(bad_value, file_name, "bad_value", "value_raw"),
        ]
    )

    dimension_key, shortcut_exprs = _key_columns(dims)
    observations = good.select(
        pl.col("dataset"),
        dimension_key.alias("dimension_key"),
        *[
            shortcut_exprs.get(name, pl.lit(None, dtype=pl.String)).alias(name)
            for name in ("geo", "sex", "age", "unit", "nace", "s_adj", "education")
        ],
        pl.col("period"),
        pl.col("period_start"),
        pl.col("freq"),
        pl.col("value"),
        pl.col("flag"),
        pl.lit(source).alias("source"),
        pl.lit(last_update, dtype=pl.Date).alias("last_update"),
        pl.lit(file_name).alias("file_name"),
    ).cast(OBSERVATION_SCHEMA)
    return observations, rejected


def _read_periods(frame: pl.DataFrame) -> pl.DataFrame:
    """`period`, `period_start` and `freq` from `period_raw` (NULL where it cannot be read)."""
    periods = {p: parse_period(p) for p in frame["period_raw"].unique().to_list() if p is not None}
    period_map = pl.DataFrame(
        {
            "period_raw": list(periods),
            "period": [p.label if p else None for p in periods.values()],
            "period_start": [p.start if p else None for p in periods.values()],
            "freq": [p.freq if p else None for p in periods.values()],
        },
        schema={
            "period_raw": pl.String,
            "period": pl.String,
            "period_start": pl.Date,
            "freq": pl.String,
        },
    )
    return frame.join(period_map, on="period_raw", how="left")


def _read_values(frame: pl.DataFrame) -> pl.DataFrame:
    """`value` from `value_raw` (`:` or empty: not available), `_bad_value` where it is no
    number, and the cleaned `flag`."""
    value_text = pl.col("value_raw").str.strip_chars().fill_null("")
    return frame.with_columns(
        pl.when(value_text.is_in([":", ""]))
        .then(pl.lit(None, dtype=pl.Float64))
        .when(value_text.str.contains(NUMBER.pattern))
        .then(value_text.cast(pl.Float64, strict=False))
        .otherwise(pl.lit(None, dtype=pl.Float64))
        .alias("value"),
        (~value_text.is_in([":", ""]) & ~value_text.str.contains(NUMBER.pattern)).alias(
            "_bad_value"
        ),
        pl.col("flag_raw").map_elements(clean_flag, return_dtype=pl.String).alias("flag"),
    )


def _key_columns(dims: list[str]) -> tuple[pl.Expr, dict[str, pl.Expr]]:
    """The `dimension_key` expression (every dimension as name=code, sorted) and the
    shortcut columns (geo, sex, ...) the dimensions fill."""
    key_parts: list[pl.Expr] = []
    for dim in sorted(dims):
        key_parts.append(pl.lit(f"{dim}=") + pl.col(dim).fill_null(""))
    dimension_key = pl.concat_str(key_parts, separator=";") if key_parts else pl.lit("")

    shortcut_exprs: dict[str, pl.Expr] = {}
    for dim in dims:
        column = SHORTCUT_COLUMNS.get(dim)
        if column and column not in shortcut_exprs:
            shortcut_exprs[column] = pl.col(dim)
    return dimension_key, shortcut_exprs


def _fill_implied_units(frame: pl.DataFrame, dims: list[str]) -> pl.DataFrame:
    if "unit" in dims:
        return frame
    implied = pl.col("dataset").replace_strict(IMPLIED_UNITS, default=None, return_dtype=pl.String)
    if frame.is_empty() or frame.select(implied.is_null().all()).item():
        return frame
    return frame.with_columns(implied.alias("unit"))


def _rejections(frame: pl.DataFrame, file_name: str, reason: str, column: str) -> pl.DataFrame:
    return (
        frame.select(
            pl.col("dataset"),
            pl.lit(file_name).alias("file_name"),
            pl.col("location"),
            pl.col("raw"),
            pl.lit(reason).alias("reason"),
            (
                pl.lit(f"{column.removesuffix('_raw')} '")
                + pl.col(column).fill_null("")
                + pl.lit("'")
            ).alias("detail"),
        )
        .cast(REJECTED_SCHEMA)
        .unique(maintain_order=True)
    )


def decode_text(data: bytes, file_name: str, encodings: tuple[str, ...]) -> tuple[str, str]:
    """Decode with the first encoding that works; strip a BOM. Returns (text, encoding)."""
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.removeprefix("\ufeff"), encoding
    raise UnrecognisedFile(file_name, f"cannot be decoded as {' or '.join(encodings)}")
