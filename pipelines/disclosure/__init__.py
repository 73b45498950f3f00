"""Statistical disclosure control of the published tables (primary + secondary suppression, flags).

Why: the marts are exact counts of people. Published as they are, a cell of 1 to 9 people (a
commune, a sex, a month) can point at somebody, and a cell hidden in one place can often be
recomputed from the totals around it. This package decides, at publish time, which cells are
replaced by NULL with the Eurostat flag ``c``, so that no hidden cell can be recomputed from what
is published. It is a pure library: polars frames and numbers in, statuses and frames out;
`pipelines.protection` drives it for the marts.

Modules, each rule in one place
-------------------------------
- `model`: dimensions (`DimSpec`, `Hierarchy`), tables (`TableSpec`), cells (`CellKey`), the
  cell statuses and the errors.
- `flags`: flags, and the rules on single values: primary (`is_small`), rates (small
  denominators), medians and ratios (`flag_rate`, `flag_median`, `flag_ratio`).
- `relations`, `problem`: `Problem`, every cell of linked tables and every relation.
- `secondary`: which member a relation needs hidden (`complement`: singleton rule, hidden-sum
  rule) and the fixpoint over all relations (`secondary`).
- `lp`, `solver`: the attacker's LPs and the audit (`Solver`).
- `api`: `primary`, `solve`, `hidden_rows` — the one path — and `protect_consistently` /
  `protect` / `audit_intervals` on polars tables.

Rules
-----
1. Primary: a count ``0 < v < threshold`` (default 10, i.e. 1 to 9 persons) is suppressed. Zeros
   are published. Cells named as must-suppress (suppressed in another table, the numerator of a
   small-denominator rate) too.
2. Secondary: a relation with exactly one unknown member (suppressed or not available) which is
   suppressed would give it away by subtraction; and a published total whose hidden children
   add up to less than the protection width bounds each of them below it. A complementary
   suppression is added among its published members: the smallest non-zero value (least
   information lost), ties broken by the least aggregated cell (margins are the most read
   figures), then table order. Repeat until no relation needs one (fixpoint).
3. Audited: the rules miss combinations (two suppressed 1s whose sum is pinned by other
   equations). The audit solves, for each suppressed cell, min and max of that cell under all
   published equations and non-negativity — what an attacker can compute — and adds
   suppressions until every interval is at least ``min_width`` (default = threshold) wide.
   `audit_intervals` runs the same attacker on a published frame, to report or to test.

Limits
------
The LP is solved per connected component of unknown cells (cells linked through equations), so
independent parts of a big table are small problems. Every LP solution is a feasible table, which
widens the known range of the other cells of its component: most cells are proved wide without
an LP of their own. Cost: at most two LPs per suppressed cell, plus up to ``max_trials`` x 2 LPs
per repair; an LP takes a few ms on small components, tens of ms on components of hundreds of
cells. Measured on a loaded 2-CPU machine: 19 communes + region x F/M/T x month/quarter/year
(1,020 cells) takes ~5 s with 5 % small leaf cells and ~20 s with 40 %; small 2-D tables take a
fraction of a second. Beyond ~10,000 cells with many small values the cost grows roughly
quadratically (one huge component): such systems are protected by the rules alone
(`Rules.audit` off; `pipelines.protection` audits systems of up to 150 cells). The modelled
attacker knows the published values, the declared relations and that counts are non-negative;
undeclared links (other tables not protected together, sub-additive distinct counts, integer
reasoning) are not modelled. Declared relations must be exactly additive: `Problem` raises
`NotAdditiveError` otherwise.

Across tables
-------------
``commune=21004, sex=T`` in a commune x sex table and ``commune=21004, age_band=_T`` in a
commune x age table are the same cell (`cell_key`). `protect_consistently` protects several
tables as one system (shared cells get one status and the audit sees all the equations);
``must_suppress`` takes keys and `cells_where` gives them (e.g. the cells flagged ``c``), so a
caller can also iterate table by table. Tables protected together must count the same thing.

Rates
-----
A rate is suppressed (NULL, ``c``) when its denominator is under ``min_denominator`` (default 20)
or when its numerator or denominator is suppressed (either one recovers the other through the
rate): `flag_rate`. The numerator of a small-denominator rate must be hidden too, or
numerator/denominator give the rate back: it is a must-suppress cell of the numerator's system,
so that the numerator's totals get secondary suppression like any other hidden cell.
"""

from pipelines.disclosure.api import (
    Rules,
    audit_intervals,
    hidden_rows,
    primary,
    protect,
    protect_consistently,
    solve,
    write_back,
)
from pipelines.disclosure.flags import (
    FLAG_BREAK,
    FLAG_CONFIDENTIAL,
    FLAG_ESTIMATED,
    FLAG_NOT_AVAILABLE,
    FLAG_PRECEDENCE,
    FLAG_PROVISIONAL,
    flag_column,
    flag_median,
    flag_rate,
    flag_ratio,
    is_confidential,
    is_small,
    mark_provisional,
    set_flag,
)
from pipelines.disclosure.model import (
    NOT_AVAILABLE,
    PUBLISHED,
    SUPPRESSED,
    CellInterval,
    CellKey,
    DimSpec,
    Hierarchy,
    NotAdditiveError,
    ProtectionError,
    TableSpec,
    cell_key,
    cells_where,
    period_codes,
    period_hierarchy,
)
from pipelines.disclosure.problem import Problem, resolve_dims

__all__ = [
    "FLAG_BREAK",
    "FLAG_CONFIDENTIAL",
    "FLAG_ESTIMATED",
    "FLAG_NOT_AVAILABLE",
    "FLAG_PRECEDENCE",
    "FLAG_PROVISIONAL",
    "NOT_AVAILABLE",
    "PUBLISHED",
    "SUPPRESSED",
    "CellInterval",
    "CellKey",
    "DimSpec",
    "Hierarchy",
    "NotAdditiveError",
    "Problem",
    "ProtectionError",
    "Rules",
    "TableSpec",
    "audit_intervals",
    "cell_key",
    "cells_where",
    "flag_column",
    "flag_median",
    "flag_rate",
    "flag_ratio",
    "hidden_rows",
    "is_confidential",
    "is_small",
    "mark_provisional",
    "period_codes",
    "period_hierarchy",
    "primary",
    "protect",
    "protect_consistently",
    "resolve_dims",
    "set_flag",
    "solve",
    "write_back",
]
