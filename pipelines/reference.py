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
against; NACE codes are read and normalised by pipelines/nace.py.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines import code_lists, codes
from pipelines.duck import quote_literal, transaction
from pipelines.nace import normalise_nace, parse_statbel_nace

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
    if tuple(pools["pool_id"]) != code_lists.POOL_IDS:
        raise ValueError(f"pools file lists {tuple(pools['pool_id'])}, expected POOL_IDS")
    if set(details["pool_id"]) != set(code_lists.POOL_IDS) or details.height != len(
        code_lists.POOL_IDS
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
        _check_subset(f"{name} pools", frame["pool_id"], code_lists.POOL_IDS)
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


def load_reference(con: duckdb.DuckDBPyConnection, reference_dir: Path) -> dict[str, int]:
    """(Re)create schema `ref` with every reference table; returns rows per table (`ref.<name>`
    keys without the schema). Everything is read and checked before the first statement, and
    the tables are replaced in one transaction, so a bad reference file leaves the previous
    tables untouched. Call it outside an open transaction."""
    frames = reference_frames(Path(reference_dir))
    counts: dict[str, int] = {}
    with transaction(con):
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
            con.execute(f"COMMENT ON TABLE ref.{name} IS {quote_literal(description)}")
            for column in columns:
                text = quote_literal(column.description)
                con.execute(f"COMMENT ON COLUMN ref.{name}.{column.name} IS {text}")
            counts[name] = frame.height
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
