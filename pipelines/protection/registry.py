"""The `{mart: protector}` registry: which function decides the hidden cells of each mart.

Why a registry: a mart is protected by declaring it here, beside its ``[marts.<name>]`` entry in
the catalogue (queries/indicators.toml), not by editing `protect_all`. A `MartProtection` names
the marts it decides (a family: marts whose cells are the same figures, protected as one), the
function that does it, and the marts whose hidden cells it reads; `protect_all` calls each one,
in this order, when one of its marts has to be protected afresh. A public mart of the catalogue
without a protector is refused (`UndeclaredMart`), never published unprotected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pipelines.protection.labour import LABOUR_FAMILY, SHORTAGE, protect_labour, protect_shortage
from pipelines.protection.marts import (
    COMMUNE,
    POOL_FUNCTION,
    SUPPLY_DEMAND,
    protect_commune,
    protect_pool_function,
    protect_supply_demand,
)
from pipelines.protection.participation import PARTICIPATION_FAMILY, protect_participation
from pipelines.protection.run import Run


class UndeclaredMart(LookupError):
    """A public mart has no protector: it would be published without disclosure control."""


@dataclass(frozen=True)
class MartProtection:
    """``protect(run)`` writes the hidden cells of ``marts`` into ``run.hidden``; ``reads``:
    other marts whose hidden cells it copies (their change changes its protection)."""

    marts: tuple[str, ...]
    protect: Callable[[Run], None]
    reads: tuple[str, ...] = ()


# In the order they run: a protector comes after those of the marts it reads.
PROTECTIONS: tuple[MartProtection, ...] = (
    MartProtection(PARTICIPATION_FAMILY, protect_participation),
    MartProtection((POOL_FUNCTION,), protect_pool_function),
    MartProtection(LABOUR_FAMILY, protect_labour),
    MartProtection((SHORTAGE,), protect_shortage, reads=LABOUR_FAMILY),
    MartProtection(
        (SUPPLY_DEMAND,), protect_supply_demand, reads=(*PARTICIPATION_FAMILY, *LABOUR_FAMILY)
    ),
    MartProtection((COMMUNE,), protect_commune),
)

PROTECTORS: dict[str, MartProtection] = {
    mart: protection for protection in PROTECTIONS for mart in protection.marts
}

# mart -> the marts whose protection decides its own (its family and what it reads).
PROTECTION_INPUTS: dict[str, tuple[str, ...]] = {
    mart: (*protection.marts, *protection.reads)
    for protection in PROTECTIONS
    for mart in protection.marts
}


def check_declared(marts: Iterable[str]) -> None:
    """Refuse public marts without a protector."""
    missing = [mart for mart in marts if mart not in PROTECTORS]
    if missing:
        raise UndeclaredMart(
            f"no protector declared for {', '.join(missing)}: add a MartProtection to "
            'pipelines/protection/registry.py (or give the mart tier = "restricted" in '
            "queries/indicators.toml)"
        )
