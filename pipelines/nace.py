"""NACE-BEL 2008 codes: as delivered (`6201`, `62.01`, `1110`) to the dotted form stored everywhere.

NACE-BEL 2008 is parsed from Statbel's raw export (latin-1, `;`, codes without dots and with
their leading zeros lost) rather than from the cleaned copy: the cleaned copy is used only by a
test to check the parser, so the warehouse never depends on a hand-made derivative when the
official file can be read directly. `normalise_nace` is what validation applies to delivered
codes; `parse_statbel_nace` what pipelines/reference.py loads into ``ref.nace``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

_SECTION = re.compile(r"^[A-U]$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,3})$")
_DIGITS = re.compile(r"^\d{1,5}$")
_FLOAT_ARTIFACT = re.compile(r"^(\d{3,5})\.0+$")

# Digits of a NACE code at each level (1 is the section letter).
NACE_DIGITS = {2: 2, 3: 3, 4: 4, 5: 5}


def dotted_nace(digits: str) -> str:
    """`62` → `62`, `620` → `62.0`, `6201` → `62.01`, `62010` → `62.010`."""
    return digits if len(digits) <= 2 else f"{digits[:2]}.{digits[2:]}"


def normalise_nace(text: object, known: Collection[str] | None = None) -> str | None:
    """The dotted NACE code (`62.01`) of a code as delivered, or None if it is not one.

    Rules, in order:
    - blanks are removed and letters upper-cased; empty → None;
    - a single section letter A–U is returned as is (`j` → `J`);
    - a decimal comma counts as a dot (`62,01` → `62.01`, a Belgian Excel rendering);
    - a whole number written as a float loses its zero decimals (`6201.0` → `6201`);
    - dotted codes keep their structure and get the division's leading zero back
      (`1.11` → `01.11`, `62.010` → `62.010`, `6.2` → `06.2`);
    - digits only are read by length: 1–2 digits a division (`2` → `02`), 3 a group
      (`620` → `62.0`), 4 a class (`6201` → `62.01`), 5 a sub-class (`62010` → `62.010`).
      A code whose leading zero was lost is ambiguous (`1110` is class 11.10 or sub-class
      01.110); when `known` codes are given and the literal reading is not known but the reading
      with a leading zero is, that one wins (`1110` → `01.110`, `111` → `01.11`). `known` only
      breaks ties: an unknown code is still returned normalised, for validation to report.
    - anything else (letters with digits, too many digits, several dots) → None.
    """
    if text is None:
        return None
    value = "".join(str(text).split()).upper()
    if not value:
        return None
    if _SECTION.match(value):
        return value
    if value.count(",") == 1 and "." not in value:
        value = value.replace(",", ".")
    artifact = _FLOAT_ARTIFACT.match(value)
    if artifact:
        value = artifact.group(1)
    dotted = _DOTTED.match(value)
    if dotted:
        division, rest = dotted.groups()
        return f"{division.zfill(2)}.{rest}"
    if not _DIGITS.match(value):
        return None
    literal = dotted_nace(value.zfill(2))
    if known is not None and literal not in known and 2 <= len(value) <= 4:
        padded = dotted_nace("0" + value)
        if padded in known:
            return padded
    return literal


@dataclass(frozen=True)
class NaceRow:
    level: int
    section: str
    nace_code: str
    code_compact: str
    parent_code: str | None
    label_fr: str
    label_nl: str
    label_en: str | None
    label_de: str | None


@dataclass(frozen=True)
class NaceParse:
    rows: tuple[NaceRow, ...]
    dropped: tuple[tuple[str, ...], ...]  # raw rows left out: level titles and the stray row


def _clean_label(text: str) -> str:
    """Statbel labels carry stray newlines and trailing blanks; one space between words."""
    return " ".join(text.split())


def _restore_digits(raw: str, level: int) -> str | None:
    """Digits of a level-2..5 code with its lost leading zero put back, or None when the raw
    code cannot be a code of that level (only one leading zero can be lost: divisions 01–09)."""
    if not raw.isdigit():
        return None
    width = NACE_DIGITS[level]
    if len(raw) not in (width, width - 1):
        return None
    return raw.zfill(width)


def parse_statbel_nace(path: Path) -> NaceParse:
    """Parse Statbel's raw NACE-BEL 2008 export (`Level nr;Code;Parent code;Label NL;Label FR;
    Label DE;Label EN`, latin-1).

    Codes are written without dots and lost their leading zeros (group 06.2 appears as `62`,
    the same text as division 62): the level says how many digits the code has, so the zeros
    are restored from it. Rows with an empty code are level titles ("Sections", "Divisions"…)
    and one level-4 row `1;Classes` is a title too: rows whose code cannot be a code of their
    level are dropped and returned in `dropped`. The parent code is restored the same way one
    level up; the section of a row is its division's section.
    """
    with path.open(encoding="latin-1", newline="") as handle:
        records = list(csv.reader(handle, delimiter=";"))
    header, body = records[0], records[1:]
    if [h.strip() for h in header[:3]] != ["Level nr", "Code", "Parent code"]:
        raise ValueError(f"{path.name}: unexpected header {header}")
    rows: list[NaceRow] = []
    dropped: list[tuple[str, ...]] = []
    division_section: dict[str, str] = {}
    for record in body:
        if len(record) < 7 or not record[0].strip().isdigit():
            dropped.append(tuple(record))
            continue
        level = int(record[0])
        raw_code, raw_parent = record[1].strip(), record[2].strip()
        label_nl, label_fr, label_de, label_en = (_clean_label(x) for x in record[3:7])
        if level == 1:
            if not _SECTION.match(raw_code):
                dropped.append(tuple(record))
                continue
            code, compact, parent, section = raw_code, raw_code, None, raw_code
        else:
            digits = _restore_digits(raw_code, level)
            if digits is None:
                dropped.append(tuple(record))
                continue
            code, compact = dotted_nace(digits), digits
            if level == 2:
                parent = raw_parent
                section = raw_parent
                division_section[digits] = section
            else:
                parent_digits = _restore_digits(raw_parent, level - 1)
                if parent_digits is None:
                    raise ValueError(f"{path.name}: bad parent {raw_parent!r} of {raw_code!r}")
                parent = dotted_nace(parent_digits)
                section = division_section[digits[:2]]
        rows.append(
            NaceRow(
                level=level,
                section=section,
                nace_code=code,
                code_compact=compact,
                parent_code=parent,
                label_fr=label_fr,
                label_nl=label_nl,
                label_en=label_en or None,
                label_de=label_de or None,
            )
        )
    codes_seen = [r.nace_code for r in rows]
    if len(codes_seen) != len(set(codes_seen)):
        raise ValueError(f"{path.name}: duplicate codes after restoring leading zeros")
    return NaceParse(rows=tuple(rows), dropped=tuple(dropped))
