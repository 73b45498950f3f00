"""The indicator catalogue agrees with the mart SQL files, the built marts and itself."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.catalogue import (
    CATALOGUE_PATH,
    INDICATOR_COLUMNS,
    LANGUAGES,
    catalogue_rows,
    load_catalogue,
    mart_specs,
    parse_catalogue,
    parse_sql_doc,
    render_indicator_docs,
    validate,
)
from tests.queries.conftest import MARTS_DIR, ROOT, mart_files


def test_catalogue_is_valid() -> None:
    catalogue = load_catalogue()
    assert len(catalogue.indicators) >= 30
    assert set(catalogue.marts) == set(mart_files())


def test_every_built_column_is_documented_and_classified(
    empty_warehouse: duckdb.DuckDBPyConnection,
) -> None:
    """What the SQL really outputs = what its header documents = what the spec classifies."""
    specs = mart_specs()
    for name, path in mart_files().items():
        built = [r[0] for r in empty_warehouse.execute(f"DESCRIBE marts.{name}").fetchall()]
        documented = list(parse_sql_doc(path).columns)
        assert built == documented, name
        spec = specs[name]
        assert sorted(built) == sorted([*spec.dimensions, *spec.measures]), name


def test_a_missing_translation_and_a_wrong_column_are_caught() -> None:
    text = CATALOGUE_PATH.read_text(encoding="utf-8")
    broken = text.replace('name_nl = "Inschrijvingen"', 'name_nl = ""', 1)
    broken = broken.replace('column = "start_count"', 'column = "start_total"', 1)
    problems = validate(parse_catalogue(broken), MARTS_DIR)
    assert any("enrolments: name_nl is missing" in p for p in problems)
    assert any("start_total is not documented" in p for p in problems)


def test_a_kind_that_disagrees_with_the_mart_spec_is_caught() -> None:
    text = CATALOGUE_PATH.read_text(encoding="utf-8")
    broken = text.replace(
        'column = "trainee_count"\nversion = "1.0"\nkind = "person_count"',
        'column = "trainee_count"\nversion = "1.0"\nkind = "count"',
        1,
    )
    problems = validate(parse_catalogue(broken), MARTS_DIR)
    assert any("trainee_count is not a count" in p for p in problems)


def test_rates_name_their_numerator_and_denominator() -> None:
    spec = mart_specs()["mart_pool_placement"]
    assert spec.rates["in_work_12m_rate"] == ("in_work_12m_count", "leaver_count")
    assert spec.period is not None and spec.period.levels == ("month", "quarter", "year")
    assert "leaver_count" in spec.person_counts
    participation = mart_specs()["mart_pool_participation"]
    assert participation.commune is not None and participation.commune.region == "04000"


def test_meta_indicator_rows_load_into_duckdb() -> None:
    rows = catalogue_rows()
    con = duckdb.connect()
    columns = ", ".join(f"{n} {t}" for n, t in INDICATOR_COLUMNS)
    con.execute(f"CREATE TABLE indicator ({columns})")
    names = [n for n, _ in INDICATOR_COLUMNS]
    con.executemany(
        f"INSERT INTO indicator VALUES ({', '.join('?' for _ in names)})",
        [[r[n] for n in names] for r in rows],
    )
    durable = con.execute(
        "SELECT definition_en, version, relation, column_name FROM indicator "
        "WHERE indicator_id = 'durable_job'"
    ).fetchone()
    assert durable is not None
    assert "at least one month" in durable[0]
    assert durable[1:] == ("1.0", "mart_pool_placement", "durable_job_count")
    completed = con.execute(
        "SELECT definition_fr, definition_nl, definition_en FROM indicator "
        "WHERE indicator_id = 'completed'"
    ).fetchone()
    assert completed is not None and all(completed)
    assert "not a single module" in completed[2]


def test_generated_docs_are_up_to_date() -> None:
    committed = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    assert committed == render_indicator_docs(), "run write_indicator_docs(docs/indicators.md)"
    for lang in LANGUAGES:
        assert f"**{lang}**" in committed


@pytest.mark.parametrize("name", sorted(mart_files()))
def test_every_mart_has_indicators(name: str) -> None:
    relations = {r for ind in load_catalogue().indicators for r in ind.relations}
    assert name in relations
