"""Where two functions differ most: ties broken by a rule, not by one CPU's last bits."""

from __future__ import annotations

import numpy as np
import pytest

import actcli
from actcli.compare import TIE_ULPS, _largest_gap, compare


def _nudged(values: np.ndarray, where: np.ndarray, ulps: int) -> np.ndarray:
    out = values.copy()
    for _ in range(abs(ulps)):
        out[where] = np.nextafter(out[where], np.inf if ulps > 0 else -np.inf)
    return out


@pytest.mark.parametrize("ulps", [-3, -1, 1, 3])
@pytest.mark.parametrize("side", ["positive", "negative"])
def test_mirror_image_gaps_go_to_the_negative_x_whatever_the_last_bits(ulps: int, side: str) -> None:
    """tanh against softsign differ most at ±x*, by the same amount: whichever side one
    CPU's tanh rounds a little further out, the answer is -x*."""
    x = np.linspace(-5.0, 5.0, 4001)
    a, b = np.tanh(x), x / (1 + np.abs(x))
    moved = _nudged(a, x > 0 if side == "positive" else x < 0, ulps)
    gap, at = _largest_gap(moved, b, x)
    assert at is not None and at < 0 and gap == pytest.approx(np.max(np.abs(a - b)), rel=1e-12)
    assert _largest_gap(moved, b, x)[1] == _largest_gap(a, b, x)[1]


def test_a_clear_maximum_is_not_a_tie() -> None:
    """Ties are gaps within TIE_ULPS ulps: a maximum larger by more wins wherever it is."""
    x = np.array([-2.0, -1.0, 1.0, 2.0])
    b = np.zeros(4)
    a = np.array([0.5, 0.5, 0.5 + 4 * TIE_ULPS * np.spacing(0.5), 0.5])
    assert _largest_gap(a, b, x) == (a[2], 1.0)


def test_equal_gaps_everywhere_go_to_the_smallest_x() -> None:
    x = np.linspace(-1.0, 1.0, 9)
    assert _largest_gap(np.ones(9), np.zeros(9), x) == (1.0, 0.0)
    assert _largest_gap(np.ones(2), np.zeros(2), np.array([0.5, -0.5])) == (1.0, -0.5)


def test_huge_values_do_not_swallow_a_real_difference() -> None:
    """identity and softshrink differ by 0.5 out at ±1e15, where 8 ulps of the values are
    2: the tie window is capped at a billionth of the largest gap, so x = 0 (gap 0) is
    no tie."""
    x = np.array([-1e15, 0.0, 1e15])
    a, b = x, actcli.get("softshrink")(x)
    assert _largest_gap(a, b, x) == (0.5, -1e15)
    assert _largest_gap(np.array([1e16, np.nan]), np.array([1e16, 0.0]), np.array([1.0, -0.5])) == (0.0, 1.0)


def test_nothing_finite_to_compare() -> None:
    assert _largest_gap(np.array([np.nan, np.inf]), np.array([0.0, np.inf]), np.array([0.0, 1.0])) == (None, None)


def test_compare_reports_every_pair_and_kind() -> None:
    acts = [actcli.get(s) for s in ("gelu", "gelu(tanh)", "quick_gelu")]
    doc = compare(acts, np.linspace(-5.0, 5.0, 11), grad=True)
    pairs = [(d["a"], d["b"], d["of"]) for d in doc["differences"]]
    assert len(pairs) == 6 and len(set(pairs)) == 6
    tanh_vs_quick = next(d for d in doc["differences"]
                         if (d["a"], d["b"], d["of"]) == ("gelu(approximate=tanh)", "quick_gelu", "derivative"))
    assert tanh_vs_quick["at"] == pytest.approx(-1.435) and 0.0291 < tanh_vs_quick["max_abs_diff"] < 0.0292
