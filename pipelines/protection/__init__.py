"""Disclosure control of every mart while publishing: which published values become NULL + ``c``.

Why: the marts are exact counts of people; `pipelines.disclosure` knows how to protect one
system of additive tables, and this package knows the marts — which columns are person counts,
which relations tie their cells (``'_T'`` totals, commune → region ``04000``, month → quarter →
year, one column as the sum of others) and which cells are the same figure in two marts. It cuts
each mart into systems that share no relation, protects them, and writes ``marts.<name>`` into
published.duckdb with a ``<column>_flag`` after each protected column.

Modules: `systems` (tables of a system, the call into the engine), one module per family of
marts (`participation`, `labour`, `marts`), `registry` (the `{mart: protector}` registry),
`run` (what protectors share), `versions` (reuse of the previous publish), `finish` (flags,
reading and writing a mart, the pool-manager tier). A new mart is protected by declaring a
`MartProtection` in `registry`.

Decisions (see also docs/marts.md and the package docstring of `pipelines.disclosure`):

- Kinds come from the catalogue (`pipelines.catalogue.mart_specs`). Person counts from 1 to
  ``threshold - 1`` are suppressed. Counts of vacancies, activities and hours (kind ``count``)
  are not about persons and get no primary suppression; they are still hidden where they would
  give a hidden person count away (``gap_count``).
- Secondary suppression runs to a fixpoint on every declared relation: a relation may not have a
  single unknown member, and when its total is published the hidden members together must be at
  least ``threshold`` (else an attacker bounds each of them below it). Systems small enough are
  then audited by the LP attacker of `pipelines.disclosure` (``AUDIT_MAX_CELLS``), which adds
  suppressions until every hidden cell's interval is at least ``threshold`` wide; bigger systems
  (months x communes x pools) rely on the two rules, which is what keeps publishing within
  seconds. The relations declared are those that hold exactly: a period relation that does not
  add up on the data (``enrolment_count`` is a stock over the period) is dropped and each period
  is protected on its own.
- Systems: participation per year (all pools x all breakdowns x months/quarters/year), its
  leaver/completed/dropped-out columns as one system (leavers = completed + dropped out), jointly
  with mart_pool_placement's leaver_count (the same exits by pool and sex: one cell, one status).
  Placement per year (pool x sex x periods), its in_work_12m/own_sector/other_sector columns as
  one system (in work = own sector + other sector), jointly with mart_pool_placement_sector
  (first jobs by NACE section, whose ``_T`` is the placement's in_work_12m of the year).
  Supply-demand completers are participation's completed_count of the year: same status.
- Non-additive columns (distinct persons: trainee_count) get primary suppression only and are
  used in no equation. Averages of monthly job-seeker stocks are hidden when small or when any
  month they average is hidden (else stock = 12 x average difference gives it back).
- Rates: hidden when the denominator is under ``min_rate_denominator`` (their numerator then is
  a must-suppress cell of its system, so its totals are protected too) or when numerator or
  denominator is hidden. Medians: hidden when the count they are taken over is under the
  threshold or hidden. Ratios (tension, per-1000): hidden when numerator or denominator is
  hidden; a zero denominator gives ``:``.
- ``p`` marks every protected value of a row whose ``is_provisional`` is true (``c`` wins).
"""

from __future__ import annotations

import logging

import duckdb

from pipelines.catalogue import MartSpec, mart_specs
from pipelines.duck import transaction
from pipelines.protection.finish import finish, publish_restricted, read_mart, tiers, write_mart
from pipelines.protection.registry import (
    PROTECTION_INPUTS,
    PROTECTIONS,
    PROTECTORS,
    MartProtection,
    UndeclaredMart,
    check_declared,
)
from pipelines.protection.run import Run
from pipelines.protection.systems import Hidden, Settings
from pipelines.protection.versions import (
    VERSION_DOC,
    Versions,
    code_version,
    copy_previous,
    mart_versions,
    previous_hidden,
    previous_versions,
    write_versions,
)
from pipelines.settings import PublishSettings

__all__ = [
    "PROTECTIONS",
    "PROTECTION_INPUTS",
    "PROTECTORS",
    "VERSION_DOC",
    "MartProtection",
    "UndeclaredMart",
    "Versions",
    "code_version",
    "mart_versions",
    "protect_all",
    "protect_restricted",
    "publish_restricted",
]

log = logging.getLogger(__name__)


def protect_all(dst: duckdb.DuckDBPyConnection, settings: PublishSettings) -> list[str]:
    """Protect every mart of the attached warehouse ``wh`` into ``marts.*`` of ``dst``.

    Returns the names of the marts written. Marts missing from the warehouse are skipped. When
    the previous published file is attached as ``prev`` (publish does it), a mart whose version
    is the one recorded there is copied from it as it is; one whose hidden_version only is the
    same gets the previous hidden cells and is finished again (new vacancy counts, rates); the
    others are protected, a family always as a whole (its members share one hidden_version),
    reading the hidden cells of a reused family back from its flags.
    """
    cfg = Settings(float(settings.suppression_threshold), float(settings.min_rate_denominator))
    specs = mart_specs()
    present = _present(dst)
    tier = tiers()
    names = [name for name in specs if name in present and tier.get(name, "public") == "public"]
    check_declared(names)
    versions = mart_versions(dst, names, specs, settings, PROTECTION_INPUTS)
    run = _plan(dst, names, specs, cfg, versions)
    for protection in PROTECTIONS:
        if any(mart in run.fresh for mart in protection.marts):
            protection.protect(run)
    _write(run, names, versions)
    refinished = len(names) - len(run.fresh) - len(run.reused)
    log.info(
        "protected %d marts, finished %d again with their previous hidden cells, copied %d: %s",
        len(run.fresh),
        refinished,
        len(run.reused),
        cfg.stats,
    )
    return names


def protect_restricted(dst: duckdb.DuckDBPyConnection, settings: PublishSettings) -> list[str]:
    """Write the pool-manager tier (catalogue ``tier = "restricted"``) into ``dst``, the
    restricted file being built, reading the warehouse attached as ``wh``; return the marts.

    Why a file of its own (restricted.duckdb, not a schema of published.duckdb): the published
    file is the one analysts are given, so anything in it is public. The managers' programme
    detail is opened only by the dashboard's manager pages."""
    specs = mart_specs()
    present = _present(dst)
    tier = tiers()
    restricted = [n for n in specs if n in present and tier.get(n) == "restricted"]
    with transaction(dst):
        for name in restricted:
            publish_restricted(dst, name, specs[name], settings.suppression_threshold)
    return restricted


def _present(dst: duckdb.DuckDBPyConnection) -> set[str]:
    rows = dst.sql(
        "SELECT table_name FROM duckdb_tables() "
        "WHERE database_name = 'wh' AND schema_name = 'marts'"
    ).fetchall()
    return {row[0] for row in rows}


def _plan(
    dst: duckdb.DuckDBPyConnection,
    names: list[str],
    specs: dict[str, MartSpec],
    cfg: Settings,
    versions: dict[str, Versions],
) -> Run:
    """Which marts are copied (same version), finished again (same hidden_version: previous
    hidden cells) or protected afresh; the frames of all but the copied ones."""
    previous = previous_versions(dst)
    reused = {n for n in names if n in previous and previous[n].full == versions[n].full}
    refinished = {
        n
        for n in names
        if n not in reused and n in previous and previous[n].hidden == versions[n].hidden
    }
    fresh = {n for n in names if n not in reused and n not in refinished}
    frames = {
        name: read_mart(dst, name, 10**8 * i, specs[name].dimensions)
        for i, name in enumerate(names)
        if name not in reused
    }
    hidden: dict[str, Hidden] = {name: {} for name in frames}
    for name in refinished:
        hidden[name] = previous_hidden(dst, frames[name], name, specs[name])
    return Run(dst, specs, cfg, frames, hidden, fresh, reused)


def _write(run: Run, names: list[str], versions: dict[str, Versions]) -> None:
    """Every mart and the versions in one transaction: all or nothing,
    and one commit instead of one per statement (a COMMENT ON each is most of the writing time
    otherwise)."""
    dst = run.dst
    with transaction(dst):
        for name in names:
            if name in run.reused:
                copy_previous(dst, name)
            else:
                finished = finish(run.frames[name], run.specs[name], run.hidden[name], run.cfg)
                write_mart(dst, name, finished, run.specs[name])
        write_versions(dst, versions)
