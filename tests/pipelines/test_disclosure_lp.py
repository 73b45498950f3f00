"""The attacker's LP solved straight through HiGHS gives linprog's answer, bit for bit.

`disclosure.lp.highs_optimum` skips `linprog`'s input checks and option handling (most of the
cost of the audit's hundreds of small LPs) and hands HiGHS the model linprog would. Protection
decisions follow from these optima, so they must be exactly linprog's: random equation systems
of the audit's shape (rows of +1/-1 over non-negative unknowns), dense and sparse, feasible,
unbounded and infeasible, are solved both ways and compared.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from scipy.sparse import csc_array, csr_array

from pipelines.disclosure.lp import csc_parts, highs_optimum


@st.composite
def systems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    columns = draw(st.integers(1, 8))
    rows = draw(st.integers(1, 6))
    signs = st.sampled_from([0.0, 0.0, 1.0, -1.0])
    matrix = np.array(
        [[draw(signs) for _ in range(columns)] for _ in range(rows)], dtype=np.float64
    )
    bound = np.array([draw(st.integers(-5, 40)) for _ in range(rows)], dtype=np.float64)
    objective = np.zeros(columns)
    objective[draw(st.integers(0, columns - 1))] = draw(st.sampled_from([1.0, -1.0]))
    return objective, matrix, bound


@settings(max_examples=300, deadline=None)
@given(systems(), st.booleans())
def test_highs_optimum_is_linprogs(
    system: tuple[np.ndarray, np.ndarray, np.ndarray], sparse: bool
) -> None:
    objective, matrix, bound = system
    a_eq = csr_array(matrix) if sparse else matrix
    expected = linprog(objective, A_eq=a_eq, b_eq=bound, bounds=(0, None), method="highs")
    found = highs_optimum(objective, a_eq, bound)
    if expected.status != 0:
        assert found is None  # the caller then asks linprog, which reports the failure
    else:
        assert found is not None
        assert np.array_equal(found, expected.x)


@pytest.mark.parametrize("maximise", [True, False])
def test_unbounded_and_bounded_cell(maximise: bool) -> None:
    """x0 - x1 = 3: x0 has no upper bound (None: linprog says unbounded), its minimum is 3."""
    objective = np.array([-1.0 if maximise else 1.0, 0.0])
    matrix, bound = np.array([[1.0, -1.0]]), np.array([3.0])
    found = highs_optimum(objective, matrix, bound)
    if maximise:
        assert found is None
    else:
        assert found is not None and found[0] == pytest.approx(3.0)


@settings(max_examples=200, deadline=None)
@given(systems(), st.booleans())
def test_csc_arrays_are_scipys(
    system: tuple[np.ndarray, np.ndarray, np.ndarray], sparse: bool
) -> None:
    """The matrix handed to HiGHS is csc_array's: same column starts, row order and values."""
    _, matrix, _ = system
    expected = csc_array(matrix)
    start, index, value = csc_parts(csr_array(matrix) if sparse else matrix)
    assert np.array_equal(start, expected.indptr)
    assert np.array_equal(index, expected.indices)
    assert np.array_equal(value, expected.data)
