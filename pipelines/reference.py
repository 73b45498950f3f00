"""Load the committed reference data (`data/reference/`) into the `ref` schema.

Everything the warehouse knows about pools, communes and classifications comes from files in the
repository, so a rebuild from an empty warehouse gives the same dimensions, and a change to a
label is a reviewed commit. Every file is read as text and typed explicitly here: codes keep
their leading zeros and nothing depends on type guessing.

NACE-BEL 2008 is parsed from Statbel's raw export (latin-1, `;`, codes without dots and with
their leading zeros lost) rather than from the cleaned copy: the cleaned copy is used only by a
test to check the parser, so the warehouse never depends on a hand-made derivative when the
official file can be read directly.

`reference_codes(con)` returns the sets of known codes that validation checks delivered values
against; `normalise_nace(text)` turns a NACE code as delivered (`6201`, `62.01`, `1110`) into
the dotted form stored everywhere.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines import codes, contracts

NACE_VERSION = "NACE-BEL 2008"
ROME_VERSION = "v4.60"
COMMUNE_POPULATION_DATE = "2020-01-01"

POOLS_FILE = Path("pools/brussels_training_employment_pools.csv")
POOL_DETAILS_FILE = Path("pools/pool_details.csv")
POOL_NACE_FILE = Path("pools/pool_nace_map.csv")
POOL_ISCO_FILE = Path("pools/pool_isco_map.csv")
POOL_ROME_FILE = Path("pools/pool_rome_map.csv")
COMMUNES_FILE = Path("geo/brussels_communes.csv")
NACE_RAW_FILE = Path("classifications/nace/nacebel_2008_statbel_latin1.csv")
NACE_CLEAN_FILE = Path("classifications/nace/nacebel_2008_clean.csv")
ISCO_FILE = Path("classifications/isco_esco/isco08_labels_en_fr.csv")
ISCO_NL_FILE = Path("classifications/isco_esco/isco08_labels_nl.csv")
ROME_CODES_FILE = Path("classifications/rome/unix_referentiel_code_rome_v460_utf8.csv")
ROME_HIERARCHY_FILE = Path("classifications/rome/unix_cr_gd_dp_v458_utf8.csv")


@dataclass(frozen=True)
class ReferenceCodes:
    """Known codes, for validating delivered values against the reference dimensions."""

    pool_ids: frozenset[str]
    commune_nis: frozenset[str]  # the 19 Brussels communes, 5-digit NIS codes
    nace_codes: frozenset[str]  # dotted NACE-BEL 2008 codes of every level, sections included
    isco_codes: frozenset[str]  # ISCO-08 codes of every level (1 to 4 digits)
    rome_codes: frozenset[str]  # ROME v4.60 codes (a letter and four digits)


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    description: str


# ---------------------------------------------------------------------------------------------
# NACE codes


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


# ---------------------------------------------------------------------------------------------
# Table definitions: name, type and description of every column of every ref table.

TABLES: dict[str, tuple[str, tuple[Column, ...]]] = {
    "pool": (
        "The twelve Brussels training and employment pools (pôles formation-emploi), compiled "
        "from public sources (pools CSV + pool_details.csv).",
        (
            Column("pool_id", "VARCHAR", "Pool code used in every source."),
            Column("short_name", "VARCHAR", "Short public name (brand)."),
            Column("name_fr", "VARCHAR", "Name in French, as compiled."),
            Column("name_nl", "VARCHAR", "Name in Dutch, as compiled."),
            Column("name_en", "VARCHAR", "Name in English."),
            Column("sector_fr", "VARCHAR", "Sector covered, French."),
            Column("sector_nl", "VARCHAR", "Sector covered, Dutch."),
            Column("sector_en", "VARCHAR", "Sector covered, English."),
            Column("status", "VARCHAR", "operational or planned."),
            Column("operational_since", "VARCHAR", "Start as stated by the sources (free text)."),
            Column("opening_month", "DATE", "First month of operation; NULL for planned pools."),
            Column(
                "opening_precision", "VARCHAR", "month, year (month set to January) or planned."
            ),
            Column("predecessor_or_related", "VARCHAR", "Reference centre it grew out of."),
            Column("commune_fr", "VARCHAR", "Commune of the main site, French name."),
            Column("commune_nis", "VARCHAR", "NIS code of the main site's commune."),
            Column("site_note", "VARCHAR", "What is known of the site."),
            Column("sector_partners", "VARCHAR", "Sector federations and unions involved."),
            Column("public_partners", "VARCHAR", "Public employment and training services."),
            Column("key_facts", "VARCHAR", "Facts found in public sources."),
            Column("sources", "VARCHAR", "Where the facts come from."),
            Column("competitiveness_pole_fr", "VARCHAR", "Territorial pole, French."),
            Column("competitiveness_pole_nl", "VARCHAR", "Territorial pole, Dutch."),
            Column("competitiveness_pole_en", "VARCHAR", "Territorial pole, English."),
            Column("sort_order", "INTEGER", "Display order (founding-text order)."),
        ),
    ),
    "pool_function": (
        "The six functions every pool takes on, with names and descriptions (pipelines/codes.py).",
        (
            Column("function_id", "VARCHAR", "Function code used in pool activity records."),
            Column("name_fr", "VARCHAR", "Name, French."),
            Column("name_nl", "VARCHAR", "Name, Dutch."),
            Column("name_en", "VARCHAR", "Name, English."),
            Column("description_fr", "VARCHAR", "One-line description, French."),
            Column("description_nl", "VARCHAR", "One-line description, Dutch."),
            Column("description_en", "VARCHAR", "One-line description, English."),
            Column("sort_order", "INTEGER", "Display order."),
        ),
    ),
    "commune": (
        "The 19 communes of the Brussels-Capital Region (Statbel REFNIS, population 2020-01-01).",
        (
            Column("commune_nis", "VARCHAR", "NIS code, 5 digits."),
            Column("name_fr", "VARCHAR", "Name, French."),
            Column("name_nl", "VARCHAR", "Name, Dutch."),
            Column("main_postcode", "VARCHAR", "Main postcode."),
            Column("other_postcodes", "VARCHAR", "Other postcodes, `;`-separated."),
            Column("population", "INTEGER", "Population on population_date (Statbel)."),
            Column("population_date", "DATE", "Reference day of the population."),
            Column("area_km2", "DOUBLE", "Approximate area from the simplified boundary."),
            Column("nuts3", "VARCHAR", "NUTS 3 code (BE100)."),
            Column("region_nis", "VARCHAR", "NIS code of the region (04000)."),
        ),
    ),
    "nace": (
        "NACE-BEL 2008 (levels 1–4 = NACE Rev. 2, level 5 Belgian sub-classes), parsed from "
        "Statbel's raw export.",
        (
            Column("nace_code", "VARCHAR", "Dotted code: A, 62, 62.0, 62.01, 62.010."),
            Column("code_compact", "VARCHAR", "Code without dots, leading zeros kept."),
            Column("level", "INTEGER", "1 section, 2 division, 3 group, 4 class, 5 sub-class."),
            Column("parent_code", "VARCHAR", "Dotted code one level up; NULL for sections."),
            Column("section", "VARCHAR", "Section letter."),
            Column("label_fr", "VARCHAR", "Label, French."),
            Column("label_nl", "VARCHAR", "Label, Dutch."),
            Column("label_en", "VARCHAR", "Label, English (none for sub-classes)."),
            Column("label_de", "VARCHAR", "Label, German."),
            Column("nace_version", "VARCHAR", "Classification version."),
        ),
    ),
    "isco": (
        "ISCO-08 groups, levels 1–4, English, French and Dutch labels from ESCO.",
        (
            Column("isco_code", "VARCHAR", "ISCO-08 code, 1 to 4 digits, as text."),
            Column("level", "INTEGER", "1 major, 2 sub-major, 3 minor, 4 unit group."),
            Column("parent_code", "VARCHAR", "Code one level up; NULL at level 1."),
            Column("label_fr", "VARCHAR", "Label, French (ESCO)."),
            Column("label_nl", "VARCHAR", "Label, Dutch (ESCO preferred label, nl)."),
            Column("label_en", "VARCHAR", "Label, English (ESCO)."),
        ),
    ),
    "rome_grand_domaine": (
        "ROME grands domaines (v4.58 hierarchy).",
        (
            Column("grand_domaine_code", "VARCHAR", "Letter A–N."),
            Column("label_fr", "VARCHAR", "Label, French."),
        ),
    ),
    "rome_domaine": (
        "ROME professional domains (v4.58 hierarchy).",
        (
            Column("domaine_code", "VARCHAR", "Letter and two digits (N11)."),
            Column("label_fr", "VARCHAR", "Label, French."),
            Column("grand_domaine_code", "VARCHAR", "Grand domaine letter."),
        ),
    ),
    "rome": (
        "ROME v4.60 codes with French labels; domain from the v4.58 hierarchy.",
        (
            Column("rome_code", "VARCHAR", "ROME code, a letter and four digits."),
            Column("label_fr", "VARCHAR", "Label, French."),
            Column("parent_fiche_code", "VARCHAR", "Classic ROME fiche the code belongs to."),
            Column("domaine_code", "VARCHAR", "Professional domain (first three characters)."),
            Column("grand_domaine_code", "VARCHAR", "Grand domaine (first letter)."),
            Column("code_ogr", "VARCHAR", "France Travail OGR identifier."),
            Column("transition_eco", "VARCHAR", "Ecological-transition flag, as published."),
            Column(
                "is_digital_transition",
                "BOOLEAN",
                "Key to the digital transition (NULL when not stated).",
            ),
            Column(
                "is_demographic_transition",
                "BOOLEAN",
                "Key to the demographic transition (NULL when not stated).",
            ),
            Column("is_regulated", "BOOLEAN", "Regulated occupation (NULL when not stated)."),
            Column("is_manager", "BOOLEAN", "Managerial occupation (NULL when not stated)."),
            Column("in_v458", "BOOLEAN", "Code already present in ROME v4.58."),
            Column("rome_version", "VARCHAR", "ROME version of the code list."),
        ),
    ),
    "pool_nace": (
        "Proposed mapping of each pool to NACE codes (not an official mapping).",
        (
            Column("pool_id", "VARCHAR", "Pool."),
            Column("nace_code", "VARCHAR", "Dotted NACE-BEL 2008 code."),
            Column("nace_level", "INTEGER", "Level of the code (2–4)."),
            Column("nace_section", "VARCHAR", "Section letter."),
            Column("mapping", "VARCHAR", "core or secondary."),
        ),
    ),
    "pool_isco": (
        "Proposed mapping of each pool to ISCO-08 unit groups (not an official mapping).",
        (
            Column("pool_id", "VARCHAR", "Pool."),
            Column("isco_code", "VARCHAR", "ISCO-08 code."),
        ),
    ),
    "pool_rome": (
        "Proposed mapping of each pool to ROME codes (not an official mapping).",
        (
            Column("pool_id", "VARCHAR", "Pool."),
            Column("rome_code", "VARCHAR", "ROME code."),
        ),
    ),
    "code": (
        "Labels of the contract code lists in French, Dutch and English (pipelines/codes.py).",
        (
            Column("code_list", "VARCHAR", "Code list, named after the contract field."),
            Column("code", "VARCHAR", "Code as stored in the warehouse."),
            Column("label_fr", "VARCHAR", "Label, French."),
            Column("label_nl", "VARCHAR", "Label, Dutch."),
            Column("label_en", "VARCHAR", "Label, English."),
            Column("sort_order", "INTEGER", "Display order within the list."),
        ),
    ),
}


def _polars_type(sql_type: str) -> type[pl.DataType]:
    return {
        "VARCHAR": pl.String,
        "INTEGER": pl.Int32,
        "DOUBLE": pl.Float64,
        "DATE": pl.Date,
        "BOOLEAN": pl.Boolean,
    }[sql_type]


def _read_text_csv(path: Path, columns: Sequence[str]) -> pl.DataFrame:
    """A UTF-8 CSV with every column as text, after checking the expected columns are there."""
    frame = pl.read_csv(path, infer_schema=False, encoding="utf8")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{path.name}: missing columns {missing}")
    stripped = [pl.col(c).str.strip_chars() for c in columns]
    # A quoted empty field ("") is an empty string, not a null: blank means absent everywhere.
    return frame.select(
        pl.when(e.str.len_chars() > 0).then(e).otherwise(None).alias(c)
        for e, c in zip(stripped, columns, strict=True)
    )


def _typed(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    """Frame reduced to the table's columns, in order, each cast to its declared type."""
    columns = TABLES[table][1]
    return frame.select(pl.col(c.name).cast(_polars_type(c.sql_type)) for c in columns)


def _check_subset(what: str, values: Iterable[str], known: Collection[str]) -> None:
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ValueError(f"{what}: unknown codes {unknown[:10]}")


# ---------------------------------------------------------------------------------------------
# Frames, one per table


def pool_frame(reference_dir: Path) -> pl.DataFrame:
    pools = _read_text_csv(
        reference_dir / POOLS_FILE,
        (
            "pool_id",
            "short_name",
            "name_fr",
            "name_nl",
            "status",
            "operational_since",
            "predecessor_or_related",
            "commune_fr",
            "nis_code",
            "site_note",
            "sector_partners",
            "public_partners",
            "key_facts",
            "sources",
        ),
    )
    details = _read_text_csv(
        reference_dir / POOL_DETAILS_FILE,
        (
            "pool_id",
            "name_en",
            "sector_fr",
            "sector_nl",
            "sector_en",
            "opening_month",
            "opening_precision",
            "competitiveness_pole_fr",
            "competitiveness_pole_nl",
            "competitiveness_pole_en",
        ),
    )
    if tuple(pools["pool_id"]) != contracts.POOL_IDS:
        raise ValueError(f"pools file lists {tuple(pools['pool_id'])}, expected POOL_IDS")
    if set(details["pool_id"]) != set(contracts.POOL_IDS) or details.height != len(
        contracts.POOL_IDS
    ):
        raise ValueError("pool_details.csv must hold exactly one row per pool")
    frame = pools.join(details, on="pool_id", how="left").with_columns(
        pl.col("nis_code").alias("commune_nis"),
        (pl.col("opening_month") + "-01").str.to_date("%Y-%m-%d").alias("opening_month"),
        pl.int_range(1, pools.height + 1).alias("sort_order"),
    )
    bad = frame.filter((pl.col("status") == "operational") != pl.col("opening_month").is_not_null())
    if bad.height:
        raise ValueError(f"opening_month must be set exactly for operational pools: {bad}")
    return _typed(frame, "pool")


def pool_function_frame() -> pl.DataFrame:
    names = [c.name for c in TABLES["pool_function"][1]]
    return _typed(
        pl.DataFrame(list(codes.function_rows()), schema=names, orient="row"), "pool_function"
    )


def code_frame() -> pl.DataFrame:
    codes.check_code_labels()
    names = [c.name for c in TABLES["code"][1]]
    return _typed(pl.DataFrame(list(codes.code_rows()), schema=names, orient="row"), "code")


def commune_frame(reference_dir: Path) -> pl.DataFrame:
    frame = _read_text_csv(
        reference_dir / COMMUNES_FILE,
        (
            "nis_code",
            "name_fr",
            "name_nl",
            "main_postcode",
            "other_postcodes",
            "population_2020_01_01",
            "area_km2_approx",
            "nuts3",
            "region_nis",
        ),
    )
    frame = frame.rename(
        {
            "nis_code": "commune_nis",
            "population_2020_01_01": "population",
            "area_km2_approx": "area_km2",
        }
    ).with_columns(
        pl.col("commune_nis").str.zfill(5),
        pl.lit(COMMUNE_POPULATION_DATE).str.to_date().alias("population_date"),
    )
    if frame.height != 19 or not frame["commune_nis"].str.starts_with("21").all():
        raise ValueError("brussels_communes.csv must hold the 19 Brussels communes (NIS 21xxx)")
    return _typed(frame, "commune")


def nace_frame(reference_dir: Path) -> pl.DataFrame:
    parsed = parse_statbel_nace(reference_dir / NACE_RAW_FILE)
    names = [c.name for c in TABLES["nace"][1]]
    records = [
        (
            r.nace_code,
            r.code_compact,
            r.level,
            r.parent_code,
            r.section,
            r.label_fr,
            r.label_nl,
            r.label_en,
            r.label_de,
            NACE_VERSION,
        )
        for r in parsed.rows
    ]
    schema = {c.name: _polars_type(c.sql_type) for c in TABLES["nace"][1]}
    return pl.DataFrame(records, schema=schema, orient="row").select(names)


def isco_frame(reference_dir: Path) -> pl.DataFrame:
    frame = _read_text_csv(
        reference_dir / ISCO_FILE, ("isco08_code", "level", "parent_code", "label_en", "label_fr")
    )
    dutch = _read_text_csv(reference_dir / ISCO_NL_FILE, ("isco08_code", "label_nl"))
    unknown = set(dutch["isco08_code"]) - set(frame["isco08_code"])
    if unknown:
        raise ValueError(f"{ISCO_NL_FILE.name}: codes not in {ISCO_FILE.name}: {sorted(unknown)}")
    frame = frame.join(dutch, on="isco08_code", how="left").rename({"isco08_code": "isco_code"})
    return _typed(frame, "isco")


def rome_frames(reference_dir: Path) -> dict[str, pl.DataFrame]:
    """ROME v4.60 codes, placed in the v4.58 hierarchy.

    In v4.58 a code's professional domain is always its first three characters; the codes new
    in v4.60 follow the same pattern and every such prefix is a v4.58 domain, so the domain is
    taken from the code (its `code_rome_parent` fiche can sit in another domain)."""
    hierarchy = _read_text_csv(
        reference_dir / ROME_HIERARCHY_FILE,
        (
            "code_rome",
            "code_grand_domaine",
            "libelle_grand_domaine",
            "code_domaine_professionel",
            "libelle_domaine_professionel",
        ),
    )
    grand = (
        hierarchy.select(
            pl.col("code_grand_domaine").alias("grand_domaine_code"),
            pl.col("libelle_grand_domaine").alias("label_fr"),
        )
        .unique()
        .sort("grand_domaine_code")
    )
    domaine = (
        hierarchy.select(
            pl.col("code_domaine_professionel").alias("domaine_code"),
            pl.col("libelle_domaine_professionel").alias("label_fr"),
            pl.col("code_grand_domaine").alias("grand_domaine_code"),
        )
        .unique()
        .sort("domaine_code")
    )
    for name, frame, key in (
        ("grand domaines", grand, "grand_domaine_code"),
        ("domains", domaine, "domaine_code"),
    ):
        if frame[key].n_unique() != frame.height:
            raise ValueError(f"ROME {name}: one code with several labels")
    codes_v460 = _read_text_csv(
        reference_dir / ROME_CODES_FILE,
        (
            "code_rome",
            "libelle_rome",
            "code_rome_parent",
            "code_ogr",
            "transition_eco",
            "transition_num",
            "transition_demo",
            "emploi_reglemente",
            "emploi_cadre",
        ),
    )
    flag = {"O": True, "N": False}
    rome = codes_v460.select(
        pl.col("code_rome").alias("rome_code"),
        pl.col("libelle_rome").alias("label_fr"),
        pl.col("code_rome_parent").alias("parent_fiche_code"),
        pl.col("code_rome").str.slice(0, 3).alias("domaine_code"),
        pl.col("code_rome").str.slice(0, 1).alias("grand_domaine_code"),
        "code_ogr",
        "transition_eco",
        pl.col("transition_num").replace_strict(flag, default=None).alias("is_digital_transition"),
        pl.col("transition_demo")
        .replace_strict(flag, default=None)
        .alias("is_demographic_transition"),
        pl.col("emploi_reglemente").replace_strict(flag, default=None).alias("is_regulated"),
        pl.col("emploi_cadre").replace_strict(flag, default=None).alias("is_manager"),
        pl.col("code_rome").is_in(hierarchy["code_rome"].implode()).alias("in_v458"),
        pl.lit(ROME_VERSION).alias("rome_version"),
    )
    _check_subset("ROME domains of v4.60 codes", rome["domaine_code"], set(domaine["domaine_code"]))
    _check_subset("ROME parent fiches", rome["parent_fiche_code"], set(rome["rome_code"]))
    return {
        "rome_grand_domaine": _typed(grand, "rome_grand_domaine"),
        "rome_domaine": _typed(domaine, "rome_domaine"),
        "rome": _typed(rome, "rome"),
    }


def pool_map_frames(
    reference_dir: Path, nace: pl.DataFrame, isco: pl.DataFrame, rome: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """The three proposed pool maps, checked against the pools and the classifications so that
    a typo in a map fails the load rather than producing an empty bridge row."""
    pool_nace = _read_text_csv(
        reference_dir / POOL_NACE_FILE,
        ("pool_id", "nace_code", "nace_level", "nace_section", "mapping"),
    )
    pool_nace = pool_nace.with_columns(
        pl.col("nace_code").map_elements(normalise_nace, return_dtype=pl.String)
    )
    pool_isco = _read_text_csv(reference_dir / POOL_ISCO_FILE, ("pool_id", "isco08_code")).rename(
        {"isco08_code": "isco_code"}
    )
    pool_rome = _read_text_csv(reference_dir / POOL_ROME_FILE, ("pool_id", "rome_code"))
    for name, frame, column, known in (
        ("pool_nace_map", pool_nace, "nace_code", nace["nace_code"]),
        ("pool_isco_map", pool_isco, "isco_code", isco["isco_code"]),
        ("pool_rome_map", pool_rome, "rome_code", rome["rome_code"]),
    ):
        _check_subset(f"{name} pools", frame["pool_id"], contracts.POOL_IDS)
        _check_subset(f"{name} codes", frame[column], set(known))
        if frame.select("pool_id", column).is_duplicated().any():
            raise ValueError(f"{name}: duplicate (pool, code) rows")
    _check_subset("pool_nace_map mapping", pool_nace["mapping"], {"core", "secondary"})
    levels = dict(zip(nace["nace_code"], nace["level"], strict=True))
    wrong = [
        code
        for code, level in zip(pool_nace["nace_code"], pool_nace["nace_level"], strict=True)
        if str(levels[code]) != level
    ]
    if wrong:
        raise ValueError(f"pool_nace_map: nace_level disagrees with the code for {wrong}")
    return {
        "pool_nace": _typed(pool_nace, "pool_nace"),
        "pool_isco": _typed(pool_isco, "pool_isco"),
        "pool_rome": _typed(pool_rome, "pool_rome"),
    }


def reference_frames(reference_dir: Path) -> dict[str, pl.DataFrame]:
    """Every ref table as a typed frame, in TABLES order; raises ValueError on any file that
    does not hold what the rest of the pipeline relies on."""
    frames: dict[str, pl.DataFrame] = {
        "pool": pool_frame(reference_dir),
        "pool_function": pool_function_frame(),
        "commune": commune_frame(reference_dir),
        "nace": nace_frame(reference_dir),
        "isco": isco_frame(reference_dir),
        **rome_frames(reference_dir),
        "code": code_frame(),
    }
    frames.update(pool_map_frames(reference_dir, frames["nace"], frames["isco"], frames["rome"]))
    return {name: frames[name] for name in TABLES}


# ---------------------------------------------------------------------------------------------
# Loading


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def load_reference(con: duckdb.DuckDBPyConnection, reference_dir: Path) -> dict[str, int]:
    """(Re)create schema `ref` with every reference table; returns rows per table (`ref.<name>`
    keys without the schema). Everything is read and checked before the first statement, and
    the tables are replaced in one transaction, so a bad reference file leaves the previous
    tables untouched. Call it outside an open transaction."""
    frames = reference_frames(Path(reference_dir))
    counts: dict[str, int] = {}
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("CREATE SCHEMA IF NOT EXISTS ref")
        for name, (description, columns) in TABLES.items():
            frame = frames[name]
            ddl = ", ".join(f"{c.name} {c.sql_type}" for c in columns)
            con.execute(f"CREATE OR REPLACE TABLE ref.{name} ({ddl})")
            view = f"_ref_frame_{name}"
            con.register(view, frame)
            try:
                names = ", ".join(c.name for c in columns)
                con.execute(f"INSERT INTO ref.{name} ({names}) SELECT {names} FROM {view}")
            finally:
                con.unregister(view)
            con.execute(f"COMMENT ON TABLE ref.{name} IS {_quote(description)}")
            for column in columns:
                con.execute(
                    f"COMMENT ON COLUMN ref.{name}.{column.name} IS {_quote(column.description)}"
                )
            counts[name] = frame.height
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return counts


def reference_codes(con: duckdb.DuckDBPyConnection) -> ReferenceCodes:
    """The known codes of the loaded `ref` tables (run `load_reference` first)."""

    def column(sql: str) -> frozenset[str]:
        return frozenset(str(row[0]) for row in con.execute(sql).fetchall())

    return ReferenceCodes(
        pool_ids=column("SELECT pool_id FROM ref.pool"),
        commune_nis=column("SELECT commune_nis FROM ref.commune"),
        nace_codes=column("SELECT nace_code FROM ref.nace"),
        isco_codes=column("SELECT isco_code FROM ref.isco"),
        rome_codes=column("SELECT rome_code FROM ref.rome"),
    )
