"""SDMX-CSV 2.0: the selection as statistical tools read Eurostat's files (issue 18).

Why this layout: R's `rsdmx`/`readsdmx`, .Stat Suite, Eurostat's own tools and our connector
(pipelines/sources/official/eurostat_sdmx_csv.py) read SDMX-CSV. One observation per line:

    STRUCTURE,STRUCTURE_ID,ACTION,freq,pool,breakdown,breakdown_value,indicator,unit,
    TIME_PERIOD,OBS_VALUE,OBS_FLAG

- `STRUCTURE_ID` names the mart as a dataflow, `BXLOBS:MART_POOL_PARTICIPATION(1.0)`;
- dimensions are codes, upper case as SDMX codes are (`TECHNICITY`, `JOB_SEEKERS`, `21001`),
  with SDMX's cross-domain codes `_T` (total) and `_Z` (not applicable: a mart without pools);
  `indicator` is the mart's column (`TRAINEE_COUNT`), `unit` the catalogue's unit (`COUNT`,
  `RATE`…);
- `TIME_PERIOD` in SDMX's forms (`2024`, `2024-Q1`, `2024-01`), `freq` A, Q or M;
- `OBS_VALUE` the exact published value, always written as a decimal number (`12.0`: counts
  and rates share this column, and a reader guessing its type must not meet `12` first and
  `0.91` later), empty when suppressed or not available; `OBS_FLAG` the
  published flag (c, p, b, e; our ":" is an empty value, which SDMX-CSV says with an empty
  `OBS_VALUE`).
Yes/no attributes (`is_shortage`) are not observations and are left out; they are in every
other format. Plain RFC 4180 (UTF-8, `,`, `.`) whatever the language: SDMX files are for tools.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO, Final

from dashboard.exports.csv import number_text
from dashboard.exports.selection import KEY_COLUMNS, Group, Selection

AGENCY: Final = "BXLOBS"
VERSION: Final = "1.0"
DIMENSIONS: Final = ("freq", "pool", "breakdown", "breakdown_value", "indicator", "unit")
HEADER: Final = (
    "STRUCTURE",
    "STRUCTURE_ID",
    "ACTION",
    *DIMENSIONS,
    "TIME_PERIOD",
    "OBS_VALUE",
    "OBS_FLAG",
)
FREQ: Final = {"year": "A", "quarter": "Q", "month": "M"}
NOT_APPLICABLE: Final = "_Z"
TIME_ORDER: Final = {"month": 0, "quarter": 1, "year": 2}


def structure_id(mart: str) -> str:
    return f"{AGENCY}:{mart.upper()}({VERSION})"


def code(value: object) -> str:
    """A dimension value as an SDMX code: upper case, `_Z` when the mart has no such value."""
    text = "" if value is None or value != value else str(value)
    return text.upper() if text else NOT_APPLICABLE


def lines(sel: Selection) -> Iterator[list[str]]:
    """Every numeric published cell of the selection as an SDMX-CSV line."""
    for group in sel.groups:
        yield from group_lines(group)


def group_lines(group: Group) -> Iterator[list[str]]:
    """The SDMX-CSV lines of one group (one mart): the exports and the API write the same."""
    flow = structure_id(group.mart)
    keys = group.frame[list(KEY_COLUMNS)].to_numpy().tolist()
    measures = [m for m in group.measures if m.kind != "boolean"]
    columns = [
        (m, group.frame[m.column].tolist(), group.frame[m.flag].tolist() if m.flag else None)
        for m in measures
    ]
    # Months, then quarters, then years: a reader that guesses TIME_PERIOD's type from the
    # first lines (polars reads 100) must see `2024-01` before a year that looks numeric.
    order = sorted(range(len(keys)), key=lambda k: TIME_ORDER.get(str(keys[k][2]), 3))
    for i in order:
        pool_id, _pool, ptype, period, dim, value_code, _label = keys[i]
        if not period:
            continue
        head = [
            FREQ.get(str(ptype), NOT_APPLICABLE),
            code(pool_id),
            code(dim),
            code(value_code),
        ]
        for m, values, flags in columns:
            flag = flags[i] if flags else None
            flag_text = "" if flag is None or flag != flag or flag == ":" else str(flag)
            yield [
                "dataflow",
                flow,
                "I",
                *head,
                code(m.column),
                code(m.unit),
                str(period),
                number_text(values[i], False, "number"),
                flag_text,
            ]


def write(sel: Selection, stream: IO[str]) -> int:
    """Write the SDMX-CSV to a text stream opened with newline=''; returns the data lines."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(HEADER)
    n = 0
    for line in lines(sel):
        writer.writerow(line)
        n += 1
    return n


def render(sel: Selection) -> bytes:
    buffer = io.BytesIO()
    with io.TextIOWrapper(buffer, encoding="utf-8", newline="") as text:
        write(sel, text)
        text.flush()
        return buffer.getvalue()
