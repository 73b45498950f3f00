"""The {mart: protector} registry against the catalogue: every public mart is declared once."""

from __future__ import annotations

import pytest

from pipelines.catalogue import mart_specs
from pipelines.protection import PROTECTION_INPUTS, PROTECTIONS, PROTECTORS, UndeclaredMart
from pipelines.protection.finish import tiers
from pipelines.protection.registry import check_declared


def public_marts() -> list[str]:
    tier = tiers()
    return [name for name in mart_specs() if tier.get(name, "public") == "public"]


def test_every_public_mart_of_the_catalogue_has_one_protector() -> None:
    check_declared(public_marts())
    assert sorted(PROTECTORS) == sorted(public_marts())
    declared = [mart for protection in PROTECTIONS for mart in protection.marts]
    assert len(declared) == len(set(declared))


def test_an_undeclared_public_mart_is_refused_not_published_unprotected() -> None:
    with pytest.raises(UndeclaredMart, match="mart_new_thing"):
        check_declared(["mart_pool_function", "mart_new_thing"])


def test_a_protector_runs_after_the_protectors_of_what_it_reads() -> None:
    seen: set[str] = set()
    for protection in PROTECTIONS:
        assert set(protection.reads) <= seen, protection.marts
        seen |= set(protection.marts)


def test_protection_inputs_are_the_family_and_what_it_reads() -> None:
    assert PROTECTION_INPUTS["mart_pool_placement"] == (
        "mart_pool_participation",
        "mart_pool_placement",
        "mart_pool_placement_sector",
    )
    assert PROTECTION_INPUTS["mart_shortage_occupation"] == (
        "mart_shortage_occupation",
        "mart_labour_market_occupation",
        "mart_labour_market_pool",
    )
    assert PROTECTION_INPUTS["mart_commune"] == ("mart_commune",)
