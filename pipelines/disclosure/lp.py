"""The attacker's linear programmes: how far a suppressed cell can be pinned down.

For a block of unknown cells (suppressed or not available, linked through relations) the
published equations ``A x = b`` with ``x >= 0`` are what an attacker knows; min and max of one
cell over them is its interval. Solved by HiGHS, straight through scipy's binding when it is
there (the audit solves hundreds of small LPs), else through `scipy.optimize.linprog`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_array, csc_array, csr_array

from pipelines.disclosure.model import PUBLISHED, ProtectionError
from pipelines.disclosure.problem import Problem

try:  # scipy's own HiGHS binding, as linprog(method="highs") drives it
    from scipy.optimize._highspy import _core as _highs_core

    _HIGHS: tuple[Any, float] | None = (_highs_core, float(_highs_core.kHighsInf))
except (ImportError, AttributeError):  # pragma: no cover - another scipy: linprog only
    _HIGHS = None
_DENSE_LIMIT = 200


System = tuple[dict[int, int], "np.ndarray | csr_array | None", np.ndarray]


def build_system(problem: Problem, status: list[int], block: list[int]) -> System:
    """The equations ``A x = b`` over the unknowns of ``block``, with their column numbers."""
    column = {cell: position for position, cell in enumerate(block)}
    numbers = sorted({n for cell in block for n in problem.cell_relations[cell]})
    if not numbers:
        return column, None, np.zeros(0)
    rows, cols, data = [], [], []
    b_eq = np.zeros(len(numbers))
    for row, number in enumerate(numbers):
        for position, member in enumerate(problem.relations[number]):
            sign = 1.0 if position == 0 else -1.0
            if status[member] == PUBLISHED:
                b_eq[row] -= sign * (problem.values[member] or 0.0)
            else:
                rows.append(row)
                cols.append(column[member])
                data.append(sign)
    shape = (len(numbers), len(block))
    a_eq: np.ndarray | csr_array
    if len(block) <= _DENSE_LIMIT:  # small blocks: dense is cheaper to hand over
        a_eq = np.zeros(shape)
        np.add.at(a_eq, (rows, cols), data)
    else:
        a_eq = coo_array((data, (rows, cols)), shape=shape).tocsr()
    return column, a_eq, b_eq


def csc_parts(a_eq: np.ndarray | csr_array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column starts, row numbers and values of ``A``, as ``csc_array(A)`` has them (columns
    in order, rows ascending in each, no zeros); a dense ``A`` without going through scipy."""
    if not isinstance(a_eq, np.ndarray):
        matrix = csc_array(a_eq)
        return matrix.indptr, matrix.indices, matrix.data
    columns, rows = np.nonzero(a_eq.T)
    start = np.zeros(a_eq.shape[1] + 1, dtype=np.int64)
    np.cumsum(np.bincount(columns, minlength=a_eq.shape[1]), out=start[1:])
    return start, rows, a_eq[rows, columns]


def highs_optimum(
    objective: np.ndarray, a_eq: np.ndarray | csr_array, b_eq: np.ndarray
) -> np.ndarray | None:
    """The optimal ``x`` of min ``objective @ x``, ``A x = b``, x >= 0, straight from HiGHS.

    Why: the audit solves hundreds of small LPs, and `linprog`'s checks and option handling
    cost several times the solve. This passes HiGHS the very model and options
    ``linprog(method="highs")`` passes (``_highs_wrapper``: rows ``b <= A x <= b``, bounds
    [0, kHighsInf], presolve on, dual simplex, no output) on a fresh solver, so the optimum is
    the same. Returns None (the caller then asks `linprog`) unless HiGHS reports optimal and
    the solution passes `linprog`'s own feasibility check; also when scipy's HiGHS module is
    not there.
    """
    if _HIGHS is None:
        return None
    core, infinite = _HIGHS
    count, rows = len(objective), len(b_eq)
    start, index, value = csc_parts(a_eq)
    bound = np.ascontiguousarray(b_eq, dtype=np.float64)
    lp = core.HighsLp()
    lp.num_col_ = count
    lp.num_row_ = rows
    lp.a_matrix_.num_col_ = count
    lp.a_matrix_.num_row_ = rows
    lp.a_matrix_.format_ = core.MatrixFormat.kColwise
    lp.col_cost_ = objective
    lp.col_lower_ = np.zeros(count)
    lp.col_upper_ = np.full(count, infinite)
    lp.row_lower_ = bound
    lp.row_upper_ = bound
    lp.a_matrix_.start_ = start
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    highs = core._Highs()
    options = core.HighsOptions()
    options.presolve = "on"
    options.highs_debug_level = core.HighsDebugLevel.kHighsDebugLevelNone
    options.log_to_console = False
    options.output_flag = False
    options.simplex_strategy = core.simplex_constants.SimplexStrategy.kSimplexStrategyDual
    if highs.passOptions(options) == core.HighsStatus.kError:
        return None
    if highs.passModel(lp) == core.HighsStatus.kError:
        return None
    if highs.run() == core.HighsStatus.kError:
        return None
    if highs.getModelStatus() != core.HighsModelStatus.kOptimal:
        return None
    fun = highs.getInfo().objective_function_value
    solved = highs.getSolution()
    x = np.array(solved.col_value)
    residual = bound - np.asarray(solved.row_value)
    tol = math.sqrt(1e-9) * 10  # linprog's _check_result
    if np.isnan(x).any() or math.isnan(fun) or np.isnan(residual).any():
        return None
    if not ((x >= -tol).all() and (np.abs(residual) <= tol).all()):
        return None
    return x


def lp_extreme(system: System, target: int, maximise: bool) -> tuple[float, np.ndarray | None]:
    """Min or max of ``target`` subject to ``A x = b``, x >= 0: the attacker's bound.

    Returns the bound and the solution (None when unbounded).
    """
    column, a_eq, b_eq = system
    if a_eq is None:
        return (math.inf if maximise else 0.0), None
    objective = np.zeros(len(column))
    objective[column[target]] = -1.0 if maximise else 1.0
    try:
        solution = highs_optimum(objective, a_eq, b_eq)
    except AttributeError:  # scipy's private HiGHS binding changed shape: linprog answers
        solution = None
    if solution is not None:
        return float(solution[column[target]]), solution
    result = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if result.status == 3 and maximise:
        return math.inf, None
    if result.status != 0:
        raise ProtectionError(f"attacker LP failed: {result.message}")
    return float(result.x[column[target]]), result.x
