"""Secondary suppression: which published cell a relation needs hidden, and the fixpoint.

Why: a relation (total = sum of its children) with a single unknown member gives that member
away by subtraction; and when its total is published, hidden members that add up to less than
the protection width are each bounded below it. The rule that decides, for one relation, which
member to hide is `complement`; `secondary` applies it to every relation until none needs more
(the solver's `Solver.heuristic` applies the first half of it after each repair).

The member chosen is the cheapest published one (`cost_order`): the smallest non-zero value
(least information lost), ties broken by the least aggregated cell (margins are the most read
figures), then table order; for the sum rule a child, or the total when no non-zero child is
left.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Sequence

import numpy as np

from pipelines.disclosure.model import PUBLISHED, SUPPRESSED
from pipelines.disclosure.problem import Problem

Cost = Callable[[int], tuple[bool, float, int, int]]


def cost_order(problem: Problem) -> Cost:
    """Sort key of a cell as a complement: zeros last, then smallest value, least aggregated,
    first in table order."""
    values, level = problem.values, problem.level

    def cost(index: int) -> tuple[bool, float, int, int]:
        value = values[index] or 0.0
        return (value == 0, value, level[index], index)

    return cost


def complement(
    relation: Sequence[int],
    states: Sequence[int],
    values: Sequence[float | None],
    cost: Cost,
    min_width: float | None,
) -> int | None:
    """The published member ``relation`` (parent first) needs hidden, or None.

    Singleton rule: a relation with a suppressed member and a single unknown one. Hidden-sum
    rule (only with ``min_width``): a published total whose hidden children add up to less
    than ``min_width``.
    """
    if SUPPRESSED not in states or PUBLISHED not in states:
        return None  # no suppressed member, or nothing left to hide
    if len(states) - states.count(PUBLISHED) == 1:
        return min((i for i, s in zip(relation, states, strict=True) if s == PUBLISHED), key=cost)
    if min_width is None or states[0] != PUBLISHED:
        return None
    hidden_sum = sum(
        [values[i] or 0.0 for i, s in zip(relation[1:], states[1:], strict=True) if s != PUBLISHED]
    )
    if hidden_sum >= min_width - 1e-9:
        return None
    open_children = [
        i for i, s in zip(relation[1:], states[1:], strict=True) if s == PUBLISHED and values[i]
    ]
    return min(open_children, key=cost) if open_children else relation[0]


def secondary(problem: Problem, status: list[int], min_width: float) -> None:
    """Complementary suppression to a fixpoint over every relation (worklist, linear passes):
    both rules of `complement`, in place on ``status``.

    The worklist is every relation in order, then the relations of each newly hidden cell.
    A relation without a suppressed member is skipped, so the first pass only visits the
    relations of hidden cells, in order (a heap); those a newly hidden cell gets further on
    join it, those behind go to the tail, as they would in the full in-order pass.
    """
    values = problem.values
    cost = cost_order(problem)
    relations, links = problem.relations, problem.cell_relations
    ahead = links.union(np.flatnonzero(np.array(status) == SUPPRESSED))
    waiting = set(ahead)
    tail: deque[int] = deque()
    in_tail = [False] * len(relations)
    first_pass = True
    while ahead or tail:
        if ahead:
            number = heapq.heappop(ahead)
            waiting.discard(number)
        else:
            first_pass = False
            number = tail.popleft()
            in_tail[number] = False
        relation = relations.members(number)
        chosen = complement(relation, [status[i] for i in relation], values, cost, min_width)
        if chosen is None:
            continue
        status[chosen] = SUPPRESSED
        for other in [*links[chosen], number]:
            if first_pass and other > number:
                if other not in waiting:
                    waiting.add(other)
                    heapq.heappush(ahead, other)
            elif not in_tail[other]:
                in_tail[other] = True
                tail.append(other)
