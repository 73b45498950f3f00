"""The catalogue says what the SQL computes (issue 13): an independent recomputation found two
written definitions that differed from the computed ones. Each rule below ties a catalogue entry
to a fact of its relation's SQL, so the text cannot drift from the computation again."""

from __future__ import annotations

import re

from pipelines.catalogue import load_catalogue
from pipelines.sqlfiles import parse_sql_file
from tests.queries.conftest import MARTS_DIR, ROOT

INTERMEDIATE = MARTS_DIR.parent / "intermediate"


def _sql_of(relation: str) -> str:
    """The relation's SQL with the SQL of every intermediate relation it reads."""
    text = (MARTS_DIR / f"{relation}.sql").read_text(encoding="utf-8")
    for name in re.findall(r"intermediate\.(\w+)", text):
        text += (INTERMEDIATE / f"{name}.sql").read_text(encoding="utf-8")
    return text


def test_judged_at_the_end_of_the_month_covered_is_in_the_numerator() -> None:
    """A column whose header says it is judged at the end of as_of_month (an open job counts
    once held a month by then) has a numerator that says so."""
    cat = load_catalogue()
    checked = 0
    for ind in cat.indicators:
        doc = parse_sql_file(MARTS_DIR / f"{ind.relation}.sql").columns.get(ind.column, "")
        if "judged at the end of as_of_month" in doc and ind.numerator:
            assert "end of the last month covered" in ind.numerator, ind.id
            checked += 1
    assert checked >= 1  # durable_job


def test_a_scope_by_rome_codes_is_written_in_the_grain() -> None:
    """An indicator computed over pools whose SQL matches ROME codes names ROME in its grain,
    and docs/marts.md says ISCO-08 **or** ROME for the pool labour market."""
    cat = load_catalogue()
    checked = 0
    for ind in cat.indicators:
        relations = [ind.relation, *ind.also_in]
        if any("'rome'" in _sql_of(r) and r == "mart_labour_market_pool" for r in relations):
            assert "ROME" in ind.grain, ind.id
            checked += 1
    assert checked >= 8
    marts_doc = (ROOT / "docs" / "marts.md").read_text(encoding="utf-8")
    section = marts_doc.split("## mart_labour_market_pool", 1)[1].split("\n## ", 1)[0]
    assert "ISCO-08 code starts with one of the pool's ISCO codes **or** its ROME code" in section
