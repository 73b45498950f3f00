"""Reference data: the ref schema, the core dimensions over it, NACE parsing and normalisation."""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines import codes, contracts
from pipelines.nace import normalise_nace, parse_statbel_nace
from pipelines.reference import (
    ISCO_NL_FILE,
    NACE_CLEAN_FILE,
    NACE_RAW_FILE,
    POOL_DETAILS_FILE,
    POOL_NACE_FILE,
    TABLES,
    ReferenceCodes,
    load_reference,
    reference_codes,
)

ROOT = Path(__file__).resolve().parents[2]
REFERENCE_DIR = ROOT / "data" / "reference"
CORE_DIR = ROOT / "queries" / "core"
CORE_FILES = (
    "dim_pool",
    "dim_pool_function",
    "dim_commune",
    "dim_nace",
    "dim_occupation",
    "dim_code",
    "bridge_pool_nace",
    "bridge_pool_occupation",
)

# Columns of each relation as fixed in docs/architecture.md.
ARCHITECTURE_COLUMNS = {
    "dim_pool": (
        "pool_id",
        "short_name",
        "name_fr",
        "name_nl",
        "name_en",
        "sector_fr",
        "sector_nl",
        "sector_en",
        "status",
        "opening_month",
        "commune_nis",
        "competitiveness_pole_fr",
        "competitiveness_pole_nl",
        "competitiveness_pole_en",
        "site_note",
    ),
    "dim_pool_function": (
        "function_id",
        "name_fr",
        "name_nl",
        "name_en",
        "description_fr",
        "description_nl",
        "description_en",
        "sort_order",
    ),
    "dim_commune": ("commune_nis", "name_fr", "name_nl", "population", "area_km2", "nuts3"),
    "dim_nace": (
        "nace_code",
        "code_compact",
        "level",
        "parent_code",
        "section",
        "label_fr",
        "label_nl",
        "label_en",
        "nace_version",
    ),
    "dim_occupation": (
        "occupation_code",
        "classification",
        "level",
        "parent_code",
        "label_fr",
        "label_nl",
        "label_en",
    ),
    "dim_code": ("code_list", "code", "label_fr", "label_nl", "label_en", "sort_order"),
    "bridge_pool_nace": ("pool_id", "nace_code", "nace_level", "mapping"),
    "bridge_pool_occupation": ("pool_id", "classification", "occupation_code"),
}

_COLUMN_LINE = re.compile(r"^--\s*([a-z_][a-z0-9_]*)\s*:\s*(.+)$")


def _header(path: Path) -> tuple[str, dict[str, str], str]:
    """(description, documented columns, SQL body) of a queries/ file, read independently of
    the build's parser so that this test checks the files, not the parser."""
    description = ""
    columns: dict[str, str] = {}
    body: list[str] = []
    in_header = True
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if in_header and stripped.startswith("--"):
            match = _COLUMN_LINE.match(stripped)
            if match and description:
                columns[match.group(1)] = match.group(2).strip()
            elif not description:
                description = stripped.lstrip("-").strip()
            continue
        in_header = False
        body.append(line)
    return description, columns, "\n".join(body).strip().rstrip(";")


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall()


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    return _rows(con, sql)[0][0]


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    load_reference(connection, REFERENCE_DIR)
    connection.execute("CREATE SCHEMA core")
    for name in CORE_FILES:
        _, _, sql = _header(CORE_DIR / f"{name}.sql")
        connection.execute(f"CREATE TABLE core.{name} AS {sql}")
    yield connection
    connection.close()


# --- loading --------------------------------------------------------------------------------


def test_load_returns_row_count_of_every_table() -> None:
    connection = duckdb.connect()
    counts = load_reference(connection, REFERENCE_DIR)
    assert set(counts) == set(TABLES)
    for name, count in counts.items():
        assert _scalar(connection, f"SELECT count(*) FROM ref.{name}") == count
    assert counts["pool"] == 12
    assert counts["commune"] == 19


def test_load_is_repeatable(con: duckdb.DuckDBPyConnection) -> None:
    counts = load_reference(con, REFERENCE_DIR)
    assert _scalar(con, "SELECT count(*) FROM ref.nace") == counts["nace"]


def test_bad_reference_file_leaves_previous_tables(tmp_path: Path) -> None:
    connection = duckdb.connect()
    load_reference(connection, REFERENCE_DIR)
    broken = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, broken)
    nace_map = broken / POOL_NACE_FILE
    with nace_map.open("a", encoding="utf-8") as handle:
        handle.write("technicity,99.99,4,C,core,x,y,z\n")
    with pytest.raises(ValueError, match="unknown codes"):
        load_reference(connection, broken)
    assert _scalar(connection, "SELECT count(*) FROM ref.pool_nace") == 92


def test_pool_details_must_cover_every_pool(tmp_path: Path) -> None:
    broken = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, broken)
    details = broken / POOL_DETAILS_FILE
    lines = details.read_text(encoding="utf-8").splitlines()
    details.write_text("\n".join(line for line in lines if not line.startswith("media,")) + "\n")
    with pytest.raises(ValueError, match="one row per pool"):
        load_reference(duckdb.connect(), broken)


def test_codes_keep_their_text_type(con: duckdb.DuckDBPyConnection) -> None:
    types = dict(
        _rows(
            con,
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'ref' AND table_name = 'isco'",
        )
    )
    assert types["isco_code"] == "VARCHAR"
    assert _scalar(con, "SELECT label_fr FROM ref.isco WHERE isco_code = '0'") is not None
    assert _scalar(con, "SELECT count(*) FROM ref.isco WHERE isco_code = '01'") == 1
    assert _scalar(con, "SELECT count(*) FROM ref.isco WHERE label_nl IS NOT NULL") == 619


def test_ref_tables_are_commented(con: duckdb.DuckDBPyConnection) -> None:
    missing = _rows(
        con,
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE schema_name = 'ref' AND (comment IS NULL OR comment = '')",
    )
    assert missing == []


# --- pools and communes ---------------------------------------------------------------------


def test_twelve_pools_named_in_three_languages(con: duckdb.DuckDBPyConnection) -> None:
    rows = _rows(
        con,
        "SELECT pool_id, name_fr, name_nl, name_en, sector_fr, sector_nl, "
        "sector_en FROM core.dim_pool",
    )
    assert tuple(r[0] for r in rows) == contracts.POOL_IDS
    for row in rows:
        assert all(isinstance(v, str) and v.strip() for v in row), row
        assert "(planned)" not in str(row[1]) and "(gepland)" not in str(row[2])


def test_four_operational_pools_with_opening_month(con: duckdb.DuckDBPyConnection) -> None:
    rows = _rows(
        con,
        "SELECT pool_id, opening_month FROM core.dim_pool "
        "WHERE status = 'operational' ORDER BY pool_id",
    )
    assert [r[0] for r in rows] == ["construcity", "digitalcity", "logisticity", "technicity"]
    assert all(r[1] is not None and r[1].day == 1 for r in rows)
    assert (
        _scalar(
            con,
            "SELECT strftime(opening_month, '%Y-%m') FROM core.dim_pool "
            "WHERE pool_id = 'technicity'",
        )
        == "2019-01"
    )
    assert (
        _scalar(
            con,
            "SELECT count(*) FROM core.dim_pool WHERE status = 'planned' AND opening_month IS NULL",
        )
        == 8
    )


def test_competitiveness_poles(con: duckdb.DuckDBPyConnection) -> None:
    poles = dict(
        _rows(
            con,
            "SELECT pool_id, competitiveness_pole_en FROM core.dim_pool "
            "WHERE competitiveness_pole_en IS NOT NULL",
        )
    )
    assert set(poles) == {"technicity", "digitalcity", "logisticity", "horeca", "media"}
    assert "Erasmus" in poles["technicity"]
    assert "ULB-VUB" in poles["digitalcity"] and "Reyers" in poles["digitalcity"]
    assert "Mabru" in poles["logisticity"] and "Schaerbeek-Formation" in poles["logisticity"]
    assert "Abattoir" in poles["horeca"] and "Ceria" in poles["horeca"]
    assert "Reyers" in poles["media"]
    complete = _scalar(
        con,
        "SELECT bool_and((competitiveness_pole_fr IS NULL) = "
        "(competitiveness_pole_nl IS NULL) AND (competitiveness_pole_nl IS "
        "NULL) = (competitiveness_pole_en IS NULL)) FROM core.dim_pool",
    )
    assert complete is True


def test_pool_commune_is_brussels(con: duckdb.DuckDBPyConnection) -> None:
    assert (
        _rows(
            con,
            "SELECT pool_id FROM core.dim_pool WHERE commune_nis IS NOT NULL AND "
            "commune_nis NOT IN (SELECT commune_nis FROM core.dim_commune)",
        )
        == []
    )


def test_nineteen_communes(con: duckdb.DuckDBPyConnection) -> None:
    assert _scalar(con, "SELECT count(*) FROM core.dim_commune") == 19
    assert _scalar(con, "SELECT sum(population) FROM core.dim_commune") == 1_218_255
    nis = [r[0] for r in _rows(con, "SELECT commune_nis FROM core.dim_commune ORDER BY 1")]
    assert nis == [f"210{i:02d}" for i in range(1, 20)]
    assert _scalar(con, "SELECT name_nl FROM core.dim_commune WHERE commune_nis = '21004'") == (
        "Brussel"
    )


# --- NACE -----------------------------------------------------------------------------------


def test_nace_counts_by_level(con: duckdb.DuckDBPyConnection) -> None:
    counts = dict(_rows(con, "SELECT level, count(*) FROM core.dim_nace GROUP BY level"))
    assert counts == {1: 21, 2: 88, 3: 272, 4: 615, 5: 943}


def test_raw_statbel_parse_matches_clean_file() -> None:
    parsed = parse_statbel_nace(REFERENCE_DIR / NACE_RAW_FILE)
    with (REFERENCE_DIR / NACE_CLEAN_FILE).open(encoding="utf-8", newline="") as handle:
        clean = list(csv.DictReader(handle))
    assert [r.nace_code for r in parsed.rows] == [r["code"] for r in clean]
    by_code = {r["code"]: r for r in clean}
    for row in parsed.rows:
        expected = by_code[row.nace_code]
        assert row.code_compact == expected["code_compact"]
        assert (row.parent_code or "") == expected["parent_code"]
        assert row.section == expected["section"]
        assert str(row.level) == expected["level"]
        assert row.label_fr == " ".join(expected["label_fr"].split())
        assert row.label_nl == " ".join(expected["label_nl"].split())
    # four level-title rows with an empty code and the stray `4;1;…;Classes` row
    assert len(parsed.dropped) == 5
    assert all(r[1] == "" for r in parsed.dropped if r[0] != "4")


def test_leading_zeros_restored(con: duckdb.DuckDBPyConnection) -> None:
    rows = dict(
        _rows(
            con,
            "SELECT nace_code, level FROM core.dim_nace WHERE nace_code IN "
            "('01.11', '06.2', '62', '06', '01.110', '62.010')",
        )
    )
    assert rows == {"01.11": 4, "06.2": 3, "62": 2, "06": 2, "01.110": 5, "62.010": 5}
    assert _rows(
        con, "SELECT parent_code, section FROM core.dim_nace WHERE nace_code = '06.2'"
    ) == [("06", "B")]
    assert _rows(con, "SELECT parent_code, section FROM core.dim_nace WHERE nace_code = '62'") == [
        ("J", "J")
    ]
    assert _scalar(con, "SELECT code_compact FROM core.dim_nace WHERE nace_code = '01.11'") == (
        "0111"
    )


def test_nace_labels_have_no_stray_whitespace(con: duckdb.DuckDBPyConnection) -> None:
    assert (
        _scalar(
            con,
            "SELECT count(*) FROM core.dim_nace WHERE label_fr LIKE '%' || "
            "chr(10) || '%' OR label_fr <> trim(label_fr)",
        )
        == 0
    )
    assert _scalar(con, "SELECT label_en FROM core.dim_nace WHERE nace_code = 'F'") == (
        "Construction"
    )


def test_every_nace_parent_exists(con: duckdb.DuckDBPyConnection) -> None:
    assert (
        _rows(
            con,
            "SELECT nace_code FROM core.dim_nace c WHERE parent_code IS NOT NULL AND "
            "NOT EXISTS (SELECT 1 FROM core.dim_nace p WHERE p.nace_code = "
            "c.parent_code AND p.level = c.level - 1)",
        )
        == []
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6201", "62.01"),
        ("62.01", "62.01"),
        (" 62 . 01 ", "62.01"),
        ("62,01", "62.01"),
        ("62010", "62.010"),
        ("62.010", "62.010"),
        ("620", "62.0"),
        ("62", "62"),
        ("2", "02"),
        ("1.11", "01.11"),
        ("6.2", "06.2"),
        ("0111", "01.11"),
        ("6201.0", "62.01"),
        ("j", "J"),
        (6201, "62.01"),
        ("", None),
        (None, None),
        ("62.01.0", None),
        ("620100", None),
        ("X1", None),
        ("V", None),
    ],
)
def test_normalise_nace(text: object, expected: str | None) -> None:
    assert normalise_nace(text) == expected


def test_normalise_nace_uses_known_codes_for_lost_zeros(con: duckdb.DuckDBPyConnection) -> None:
    known = reference_codes(con).nace_codes
    assert normalise_nace("1110") == "11.10"  # literal reading without help
    assert normalise_nace("1110", known) == "01.110"  # 11.10 does not exist, 01.110 does
    assert normalise_nace("111", known) == "01.11"
    assert normalise_nace("6201", known) == "62.01"  # the literal reading wins when it exists
    assert normalise_nace("62", known) == "62"
    # 20.0 and 02.00 both unknown: the literal reading is returned, for validation to refuse
    assert normalise_nace("200", known) == "20.0"
    assert "20.0" not in known and "02.00" not in known


def test_every_dotted_nace_code_normalises_to_itself(con: duckdb.DuckDBPyConnection) -> None:
    known = reference_codes(con).nace_codes
    rows = _rows(con, "SELECT nace_code, code_compact, level FROM core.dim_nace")
    for code, compact, level in rows:
        assert normalise_nace(code) == code
        assert normalise_nace(compact) == code
        if level >= 2 and str(compact).startswith("0"):
            assert normalise_nace(str(compact).lstrip("0") or "0", known) in known


# --- occupations, codes, bridges ------------------------------------------------------------


def test_occupation_dimension(con: duckdb.DuckDBPyConnection) -> None:
    counts = dict(
        _rows(
            con,
            "SELECT classification || '-' || level, count(*) FROM core.dim_occupation GROUP BY ALL",
        )
    )
    assert counts == {
        "isco08-1": 10,
        "isco08-2": 43,
        "isco08-3": 130,
        "isco08-4": 436,
        "rome-1": 14,
        "rome-2": 110,
        "rome-3": 1584,
    }
    assert (
        _rows(
            con,
            "SELECT o.occupation_code FROM core.dim_occupation o WHERE parent_code "
            "IS NOT NULL AND NOT EXISTS (SELECT 1 FROM core.dim_occupation p WHERE "
            "p.classification = o.classification AND p.occupation_code = "
            "o.parent_code AND p.level = o.level - 1)",
        )
        == []
    )
    assert _rows(
        con, "SELECT parent_code, label_fr FROM core.dim_occupation WHERE occupation_code = 'H2901'"
    ) == [("H29", "Ajusteur-monteur / Ajusteuse-monteuse")]


def test_reference_codes(con: duckdb.DuckDBPyConnection) -> None:
    refs = reference_codes(con)
    assert isinstance(refs, ReferenceCodes)
    assert refs.pool_ids == frozenset(contracts.POOL_IDS)
    assert len(refs.commune_nis) == 19 and "21001" in refs.commune_nis
    assert {"J", "62", "62.0", "62.01", "62.010", "06.2"} <= refs.nace_codes
    assert len(refs.nace_codes) == 1939
    assert {"0", "01", "2512", "7212"} <= refs.isco_codes and len(refs.isco_codes) == 619
    assert "H2901" in refs.rome_codes and len(refs.rome_codes) == 1584
    assert all(re.fullmatch(r"[A-N]\d{4}", code) for code in refs.rome_codes)


def test_code_labels_cover_every_contract_code_list() -> None:
    codes.check_code_labels()
    for contract in contracts.CONTRACTS.values():
        for field in contract.fields:
            if field.kind == "code" and field.name != "pool_id":  # pool labels: dim_pool
                assert tuple(codes.CODE_LABELS[field.name]) == field.codes, field.name


def test_dim_code_and_functions(con: duckdb.DuckDBPyConnection) -> None:
    lists = {r[0] for r in _rows(con, "SELECT DISTINCT code_list FROM core.dim_code")}
    assert set(codes.CONTRACT_CODE_LISTS) <= lists
    assert _rows(
        con,
        "SELECT code, sort_order FROM core.dim_code WHERE code_list = 'age_band' "
        "ORDER BY sort_order",
    ) == [("lt25", 1), ("25_49", 2), ("ge50", 3)]
    assert (
        _scalar(
            con,
            "SELECT count(*) FROM core.dim_code WHERE label_fr IS NULL OR "
            "label_nl IS NULL OR label_en IS NULL",
        )
        == 0
    )
    functions = _rows(
        con, "SELECT function_id, description_nl FROM core.dim_pool_function ORDER BY sort_order"
    )
    assert tuple(f[0] for f in functions) == contracts.POOL_FUNCTIONS
    assert all(f[1] for f in functions)


def test_every_pool_has_bridges_to_existing_codes(con: duckdb.DuckDBPyConnection) -> None:
    for table, extra in (
        ("bridge_pool_nace", ""),
        ("bridge_pool_occupation", "AND classification = 'isco08'"),
        ("bridge_pool_occupation", "AND classification = 'rome'"),
    ):
        pools = {
            r[0]
            for r in _rows(con, f"SELECT DISTINCT pool_id FROM core.{table} WHERE true {extra}")
        }
        assert pools == set(contracts.POOL_IDS), (table, extra)
    assert (
        _rows(
            con,
            "SELECT b.nace_code FROM core.bridge_pool_nace b LEFT JOIN core.dim_nace "
            "n ON n.nace_code = b.nace_code AND n.level = b.nace_level "
            "WHERE n.nace_code IS NULL",
        )
        == []
    )
    assert (
        _rows(
            con,
            "SELECT b.occupation_code FROM core.bridge_pool_occupation b LEFT JOIN "
            "core.dim_occupation o USING (classification, occupation_code) "
            "WHERE o.occupation_code IS NULL",
        )
        == []
    )
    assert (
        _rows(
            con,
            "SELECT pool_id FROM core.bridge_pool_nace WHERE pool_id NOT IN "
            "(SELECT pool_id FROM core.dim_pool)",
        )
        == []
    )
    assert {r[0] for r in _rows(con, "SELECT DISTINCT mapping FROM core.bridge_pool_nace")} == {
        "core",
        "secondary",
    }


# --- SQL file documentation -----------------------------------------------------------------


@pytest.mark.parametrize("name", CORE_FILES)
def test_sql_file_columns_match_architecture_and_are_documented(
    con: duckdb.DuckDBPyConnection, name: str
) -> None:
    description, documented, sql = _header(CORE_DIR / f"{name}.sql")
    assert description and not _COLUMN_LINE.match(f"-- {description}")
    assert sql.lstrip().upper().startswith(("SELECT", "WITH"))
    columns = tuple(r[0] for r in _rows(con, f"DESCRIBE core.{name}"))
    assert columns == ARCHITECTURE_COLUMNS[name]
    assert tuple(documented) == columns
    assert all(text.strip() for text in documented.values())


def test_build_parser_reads_the_same_documentation() -> None:
    sqlfiles = pytest.importorskip("pipelines.sqlfiles")
    for name in CORE_FILES:
        parsed = sqlfiles.parse_sql_file(CORE_DIR / f"{name}.sql", "core")
        description, documented, _ = _header(CORE_DIR / f"{name}.sql")
        assert parsed.description == description
        assert parsed.columns == documented


@given(st.text(alphabet="0123456789.,ABJUVXj -", max_size=8))
def test_normalise_nace_is_idempotent_and_well_formed(text: str) -> None:
    result = normalise_nace(text)
    if result is not None:
        assert re.fullmatch(r"[A-U]|\d{2}(\.\d{1,3})?", result), result
        assert normalise_nace(result) == result


def test_every_isco_group_has_a_dutch_label(con: duckdb.DuckDBPyConnection) -> None:
    """Issue 13: without Dutch labels every Dutch page read "3113 None"."""
    assert _scalar(con, "SELECT count(*) FROM ref.isco WHERE label_nl IS NULL") == 0
    assert _scalar(con, "SELECT label_nl FROM ref.isco WHERE isco_code = '3113'") == (
        "Technici op het gebied van de elektrotechniek"
    )


def test_a_dutch_label_of_an_unknown_isco_code_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, broken)
    with (broken / ISCO_NL_FILE).open("a", encoding="utf-8") as handle:
        handle.write("9999,Onbekend\n")
    with pytest.raises(ValueError, match="codes not in"):
        load_reference(duckdb.connect(), broken)
