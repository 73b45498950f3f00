"""opendata.brussels CSV export of Actiris' job seekers per commune, sex and study level.

Dataset `evolution-moyenne-annuelle-demandeurs-d-emploi-inoccupes-par-commune-genre-niveau-
etudes-rbc`: annual average of the monthly number of unemployed job seekers (DEI) per commune.
The portal writes `;`, UTF-8 with a BOM, CRLF, headers in French with doubled quotes and both
`'` and `’`, the commune total as a float (`6363.0`), and names the commune in French and Dutch
without a NIS code. Columns are found by their folded header (so `'`/`’` and quoting do not
matter), and names are mapped to NIS codes through the commune list the caller passes (built
from `dim_commune`, FR and NL names). Percent columns are derived and not kept.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

import polars as pl

from pipelines.sources.official.common import (
    ContextRead,
    UnrecognisedFile,
    decode_text,
    finish,
    normalise_label,
    rejected_frame,
)

FORMAT = "opendata_brussels_csv"
DATASET = "actiris_dei_commune_sex_education"
SOURCE = "Actiris via opendata.brussels"
UNIT = "PER"  # persons (annual average of monthly counts)

YEAR = "Année"
COMMUNE_FR = "Commune"
COMMUNE_NL = "Gemeente"

# (sex, education) -> the header as published (folded before matching).
COUNT_COLUMNS: dict[tuple[str, str], str] = {
    ("T", "total"): "Total commune",
    ("M", "total"): "Total hommes",
    ("F", "total"): "Total femmes",
    ("T", "low"): 'Total niveau d\'étude "faible"',
    ("M", "low"): 'Hommes - Niveau d’études "faible"',
    ("F", "low"): 'Femmes - Niveau d’études "faible"',
    ("T", "medium"): 'Total niveau d\'étude "moyen"',
    ("M", "medium"): 'Hommes - Niveau d’études "moyen"',
    ("F", "medium"): 'Femmes - Niveau d’études "moyen"',
    ("T", "high"): 'Total niveau d\'étude "élevé"',
    ("M", "high"): 'Hommes - Niveau d’études "élevé"',
    ("F", "high"): 'Femmes - Niveau d’études "élevé"',
    ("T", "other"): "Total étrangers sans équivalence",
    ("M", "other"): "Hommes étrangers sans équivalence",
    ("F", "other"): "Femmes étrangères sans équivalence",
}


def _fold_header(text: str) -> str:
    return normalise_label(text.replace('"', ""))


def looks_like(first_line: str) -> bool:
    cells = [_fold_header(c) for c in first_line.lstrip("\ufeff").strip().split(";")[:3]]
    return cells == [_fold_header(YEAR), _fold_header(COMMUNE_FR), _fold_header(COMMUNE_NL)]


def commune_lookup(rows: Mapping[str, str]) -> dict[str, str]:
    """Folded commune name -> NIS code, from any name -> NIS mapping (FR and NL names)."""
    return {normalise_label(name): nis for name, nis in rows.items()}


def read_opendata_brussels(data: bytes, file_name: str, communes: Mapping[str, str]) -> ContextRead:
    """Read the export; `communes` maps commune names (FR and NL) to 5-digit NIS codes."""
    if not communes:
        raise ValueError("the commune list (name -> NIS code) is empty")
    lookup = commune_lookup(communes)
    text, _ = decode_text(data, file_name, ("utf-8",))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    try:
        header = next(reader)
    except StopIteration:
        raise UnrecognisedFile(file_name, "empty file") from None
    position = _positions(header, file_name)

    records: list[dict[str, str | None]] = []
    rejected: list[dict[str, str | None]] = []
    rows_read = 0
    for number, cells in enumerate(reader, start=2):
        if not cells or all(not c.strip() for c in cells):
            continue
        rows_read += 1
        raw = ";".join(cells)
        location = f"line {number}"
        if len(cells) != len(header):
            raise UnrecognisedFile(
                file_name, f"line {number} has {len(cells)} fields, the header {len(header)}"
            )
        name_fr, name_nl = cells[position["fr"]], cells[position["nl"]]
        nis, problem = _commune_nis(lookup, name_fr, name_nl)
        if nis is None:
            rejected.append(
                {
                    "dataset": DATASET,
                    "file_name": file_name,
                    "location": location,
                    "raw": raw,
                    "reason": "unknown_label",
                    "detail": problem,
                }
            )
            continue
        for sex, education in COUNT_COLUMNS:
            records.append(
                {
                    "dataset": DATASET,
                    "location": location,
                    "raw": raw,
                    "geo": nis,
                    "sex": sex,
                    "education": education,
                    "unit": UNIT,
                    "period_raw": cells[position["year"]],
                    "value_raw": cells[position[f"{sex}|{education}"]],
                    "flag_raw": None,
                }
            )

    return _read_result(file_name, records, rejected, rows_read)


def _positions(header: list[str], file_name: str) -> dict[str, int]:
    """Column of the year, the commune names and each count (``sex|education``); an export
    without one of them is refused."""
    folded = {_fold_header(name): i for i, name in enumerate(header)}
    wanted = {"year": YEAR, "fr": COMMUNE_FR, "nl": COMMUNE_NL}
    position: dict[str, int] = {}
    for key, name in [*wanted.items(), *((f"{s}|{e}", n) for (s, e), n in COUNT_COLUMNS.items())]:
        at = folded.get(_fold_header(name))
        if at is None:
            raise UnrecognisedFile(file_name, f"opendata.brussels export lacks column '{name}'")
        position[key] = at
    return position


def _commune_nis(
    lookup: Mapping[str, str], name_fr: str, name_nl: str
) -> tuple[str | None, str | None]:
    """The NIS code of a row's commune from its two names, or why there is none."""
    nis_fr, nis_nl = lookup.get(normalise_label(name_fr)), lookup.get(normalise_label(name_nl))
    if nis_fr and nis_nl and nis_fr != nis_nl:
        return None, f"commune '{name_fr}' and '{name_nl}' disagree"
    nis = nis_fr or nis_nl
    if nis is None:
        return None, f"commune '{name_fr}' / '{name_nl}'"
    return nis, None


def _read_result(
    file_name: str,
    records: list[dict[str, str | None]],
    rejected: list[dict[str, str | None]],
    rows_read: int,
) -> ContextRead:
    """The records read, finished into yearly observations (and the rows `finish` refuses)."""
    dims = ["geo", "sex", "education", "unit"]
    schema = {
        n: pl.String
        for n in ("dataset", "location", "raw", *dims, "period_raw", "value_raw", "flag_raw")
    }
    observations, bad = finish(
        pl.DataFrame(records, schema=schema),
        dimensions=dims,
        source=SOURCE,
        file_name=file_name,
        last_update=None,
    )
    # Only whole years are published here; anything else in the year column is a bad period.
    not_year = observations.filter(pl.col("freq") != "A")
    if not not_year.is_empty():
        raise UnrecognisedFile(file_name, f"year column holds '{not_year['period'][0]}'")
    return ContextRead(
        file_name=file_name,
        file_format=FORMAT,
        observations=observations,
        rejected=pl.concat([rejected_frame(rejected), bad]),
        rows_read=rows_read,
        last_update=None,
    )
