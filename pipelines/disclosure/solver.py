"""`Solver`: the status of every cell and the attacker's audit (secondary, audited).

The heuristic misses combinations (two suppressed 1s whose sum is pinned by other equations).
The audit solves, for each suppressed cell, min and max of that cell under all published
equations and non-negativity (`pipelines.disclosure.lp`) — what an attacker can compute. A
cell whose interval is narrower than ``min_width`` gets one more suppression: the cheapest
published cell (same cost order, cells sharing a relation with it first) that alone widens its
interval enough, else the one that widens it most (at most ``max_trials`` tried); then the
heuristic again, until it is wide. Hiding a cell only widens intervals, so one pass over the
suppressed cells (new ones queued) suffices, and each round adds a suppression, so it ends.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np

from pipelines.disclosure.lp import System, build_system, lp_extreme
from pipelines.disclosure.model import EPS, PUBLISHED, SUPPRESSED, ProtectionError
from pipelines.disclosure.problem import Problem
from pipelines.disclosure.secondary import complement, cost_order


class Solver:
    """Status of every cell (published, suppressed, not available) and the attacker's LPs.

    Two facts keep the audit cheap. Hiding one more cell only widens every interval (a published
    constant becomes a non-negative unknown; every solution stays a solution), so a cell found
    wide stays wide and one pass over the hidden cells suffices. And every LP solution is a
    feasible table: its values widen the known range of every other cell of the block, which
    often proves them wide without an LP of their own.
    """

    def __init__(self, problem: Problem, status: list[int], min_width: float) -> None:
        self.problem = problem
        self.status = status
        self.min_width = min_width
        self.known_lo = [value if value is not None else math.inf for value in problem.values]
        self.known_hi = [value if value is not None else -math.inf for value in problem.values]
        self._last_system: tuple[tuple[int, ...], System] | None = None
        self.cost = cost_order(problem)

    def system(self, block: list[int]) -> System:
        """Equations of a block, cached for the last block (max and min, then its neighbours).

        The block (sorted unknown cells of a component) determines the system: every unknown
        member of a relation touching it belongs to it, the others are published constants.
        """
        key = tuple(block)
        if self._last_system is None or self._last_system[0] != key:
            self._last_system = (key, build_system(self.problem, self.status, block))
        return self._last_system[1]

    def heuristic(self) -> list[int]:
        """Complementary suppression until no relation has a single unknown, suppressed member
        (the singleton rule of `complement`, in full passes over the relations in order).

        Returns the cells it hid.
        """
        added = []
        relations, status, values = self.problem.relations, self.status, self.problem.values
        changed = True
        while changed:
            changed = False
            for number in range(len(relations)):
                relation = relations.members(number)
                states = [status[i] for i in relation]
                chosen = complement(relation, states, values, self.cost, None)
                if chosen is None:
                    continue
                status[chosen] = SUPPRESSED
                added.append(chosen)
                changed = True
        return added

    def component(self, start: int) -> list[int]:
        """Unknown cells linked to ``start`` through relations (the LP's independent block)."""
        seen = {start}
        stack = [start]
        while stack:
            cell = stack.pop()
            for number in self.problem.cell_relations[cell]:
                for member in self.problem.relations[number]:
                    if member not in seen and self.status[member] != PUBLISHED:
                        seen.add(member)
                        stack.append(member)
        return sorted(seen)

    def interval(self, target: int) -> tuple[float, float]:
        """Exact attacker interval of ``target`` under the current status."""
        system = self.system(self.component(target))
        low, _ = lp_extreme(system, target, maximise=False)
        high, _ = lp_extreme(system, target, maximise=True)
        return low, high

    def _learn(self, block: list[int], solution: np.ndarray | None) -> None:
        if solution is None:
            return
        for position, cell in enumerate(block):
            value = float(solution[position])
            self.known_lo[cell] = min(self.known_lo[cell], value)
            self.known_hi[cell] = max(self.known_hi[cell], value)

    def _known_width(self, cell: int) -> float:
        return self.known_hi[cell] - self.known_lo[cell]

    def probe(self, target: int, *, learn: bool) -> float:
        """A width of ``target`` good enough to decide: exact unless already ``>= min_width``.

        With ``learn`` the LP solutions widen the known ranges (only valid when the current
        status is kept, hence off during trials).
        """
        if learn and self._known_width(target) >= self.min_width - EPS:
            return self._known_width(target)
        block = self.component(target)
        lo = hi = self.problem.values[target] or 0.0
        if learn:
            lo, hi = self.known_lo[target], self.known_hi[target]
        system = self.system(block)
        for maximise in (True, False):
            bound, solution = lp_extreme(system, target, maximise)
            if learn:
                self._learn(block, solution)
            hi, lo = (max(hi, bound), lo) if maximise else (hi, min(lo, bound))
            if hi - lo >= self.min_width - EPS:
                break
        return hi - lo

    def candidates(self, target: int) -> list[int]:
        near = {m for n in self.problem.cell_relations[target] for m in self.problem.relations[n]}
        around = {
            m
            for cell in self.component(target)
            for n in self.problem.cell_relations[cell]
            for m in self.problem.relations[n]
        }
        first = sorted((m for m in near if self.status[m] == PUBLISHED), key=self.cost)
        second = sorted((m for m in around - near if self.status[m] == PUBLISHED), key=self.cost)
        return first + second

    def widen(self, target: int, max_trials: int) -> list[int]:
        """Hide one more cell so that ``target`` gets wider; returns the cells hidden."""
        best, best_width = None, -math.inf
        for candidate in self.candidates(target)[:max_trials]:
            self.status[candidate] = SUPPRESSED
            width = self.probe(target, learn=False)
            self.status[candidate] = PUBLISHED
            if width >= self.min_width - EPS:
                best = candidate
                break
            if width > best_width:
                best, best_width = candidate, width
        if best is None:
            raise ProtectionError(
                "no published cell left to protect cell"
                f" {sorted(self.problem.keys[target], key=str)}"
            )
        self.status[best] = SUPPRESSED
        return [best, *self.heuristic()]

    def repair(self, max_trials: int, max_rounds: int) -> None:
        """Add suppressions until every suppressed cell's attacker interval is wide enough."""
        queue = deque(cell for cell, state in enumerate(self.status) if state == SUPPRESSED)
        rounds = 0
        while queue:
            target = queue.popleft()
            while self.probe(target, learn=True) < self.min_width - EPS:
                rounds += 1
                if rounds > max_rounds:
                    raise ProtectionError(f"protection not reached after {max_rounds} rounds")
                queue.extend(self.widen(target, max_trials))
