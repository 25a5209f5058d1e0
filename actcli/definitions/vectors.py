"""Functions of a whole vector (along the last axis): softmax and friends.

Their derivative is a Jacobian, shape (..., n_out, n_in).
"""

from __future__ import annotations

import numpy as np

from .. import numerics as nx
from ..model import ActivationError, Definition, Interval, Param, Section

INF = float("inf")
_DIM = Param("dim", -1, "axis to work along (PyTorch's dim)", kind=int)
_PAIR = Section(base=(0.0, 0.0), direction=(1.0, 0.0), text="first output for the input [x, 0]")


def _along(dim: int):  # noqa: ANN202
    """Move axis `dim` to the last place, apply f, and move it back."""

    def apply(f, x: np.ndarray, *, jac: bool = False) -> np.ndarray:  # noqa: ANN001
        if not -x.ndim <= dim < x.ndim:
            raise ActivationError(f"dim={dim} is out of range for an input with {x.ndim} axis(es)")
        if dim in (-1, x.ndim - 1):
            return f(x)
        if jac:
            raise ActivationError("Jacobians are computed along the last axis only (dim=-1)")
        return np.moveaxis(f(np.moveaxis(x, dim, -1)), -1, dim)

    return apply


def _exp_shifted(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(e, total): e_i = exp(x_i - max), and their sum along the last axis.

    x_i - max is taken exactly (two_sum). A row containing +inf is replaced by its limit:
    the +inf entries share the mass. Memory O(size of x): no n x n temporaries.
    """
    m = np.max(x, axis=-1, keepdims=True)
    d, dl = nx.two_sum(x, -m)
    e = nx.exp_dd(d, dl)
    pos_inf = np.any(x == INF, axis=-1, keepdims=True)
    e = np.where(pos_inf, np.where(x == INF, 1.0, 0.0), e)
    return e, np.sum(e, axis=-1, keepdims=True)


def _others(e: np.ndarray, total: np.ndarray) -> np.ndarray:
    """sum over j != i of e_j, i.e. total - e_i, without the cancellation where e_i holds
    nearly all the mass: that can only be the largest entry (e = 1), whose sum of the
    others is added up directly. For every other entry total - e_i >= total / 2."""
    first = np.argmax(e, axis=-1)[..., None]
    others = total - e
    rest = total - 1.0 if e.shape[-1] == 1 else np.sum(e, axis=-1, keepdims=True, where=_not_at(e, first))
    np.put_along_axis(others, first, rest, axis=-1)
    return others


def _not_at(x: np.ndarray, index: np.ndarray) -> np.ndarray:
    mask = np.ones(x.shape, dtype=bool)
    np.put_along_axis(mask, index, False, axis=-1)
    return mask


def _softmax(x: np.ndarray) -> np.ndarray:
    e, total = _exp_shifted(x)
    return e / total


def _softmax_jac(x: np.ndarray) -> np.ndarray:
    e, total = _exp_shifted(x)
    y = e / total
    jac = -y[..., :, None] * y[..., None, :]
    idx = np.arange(x.shape[-1])
    jac[..., idx, idx] = y * (_others(e, total) / total)  # y_i (1 - y_i), 1 - y_i summed from the others
    return jac


def _log_softmax(x: np.ndarray) -> np.ndarray:
    """(x_i - max) - log1p(sum of the others at the max): both terms <= 0, no cancellation."""
    m = np.max(x, axis=-1, keepdims=True)
    d, dl = nx.two_sum(x, -m)
    e = nx.exp_dd(d, dl)
    first = np.argmax(x, axis=-1)[..., None]
    rest = np.sum(e, axis=-1, keepdims=True, where=_not_at(e, first))
    y = (d - np.log1p(rest)) + dl
    pos_inf = np.any(x == INF, axis=-1, keepdims=True)
    k = np.sum(x == INF, axis=-1, keepdims=True)
    return np.where(pos_inf, np.where(x == INF, -np.log(np.maximum(k, 1)), -INF), y)


def _log_softmax_jac(x: np.ndarray) -> np.ndarray:
    e, total = _exp_shifted(x)
    others = _others(e, total)
    y = e / total
    n = x.shape[-1]
    jac = np.broadcast_to(-y[..., None, :], x.shape[:-1] + (n, n)).copy()
    idx = np.arange(n)
    jac[..., idx, idx] = others / total  # 1 - y_i
    return jac


def _glu_halves(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = x.shape[-1]
    if n % 2:
        raise ActivationError(f"glu: input length must be even (it is split in halves), got {n}")
    return x[..., : n // 2], x[..., n // 2 :]


def _glu(x: np.ndarray) -> np.ndarray:
    a, b = _glu_halves(x)
    return a * nx.sigmoid(b)


def _glu_jac(x: np.ndarray) -> np.ndarray:
    a, b = _glu_halves(x)
    h = a.shape[-1]
    jac = np.zeros(x.shape[:-1] + (h, 2 * h))
    idx = np.arange(h)
    jac[..., idx, idx] = nx.sigmoid(b)
    jac[..., idx, idx + h] = a * nx.sigmoid_slope(b)
    return jac


def _sparsemax_parts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(support, size, below, d): the support S of the Euclidean projection of x onto the
    simplex, |S|, and the projection as (1 + below) / |S| - d on S, where d = max - x.

    With d sorted ascending, entry k (1-based) is in the support when
    1 > sum_{j<=k} (d_k - d_j) = k d_k - sum_{j<=k} d_j. Working from the differences to
    the maximum keeps this exact for large logits; memory is O(n log n) time, O(n) space.
    """
    n = x.shape[-1]
    # A row with +inf entries has the limit 1/k on its k infinite entries, 0 elsewhere: the
    # projection of (0 there, -inf elsewhere).
    pos_inf = np.any(x == INF, axis=-1, keepdims=True)
    x = np.where(pos_inf, np.where(x == INF, 0.0, -INF), x)
    d = np.max(x, axis=-1, keepdims=True) - x
    ds = np.sort(d, axis=-1)
    csum = np.cumsum(ds, axis=-1)
    gaps = np.arange(1, n + 1) * ds - csum
    size = np.sum(gaps < 1.0, axis=-1, keepdims=True)
    kth = np.take_along_axis(ds, size - 1, axis=-1)
    below = np.take_along_axis(csum, size - 1, axis=-1)
    inside = d < kth
    # Ties at the k-th value: keep as many as the support has room for, in order.
    ties = (d == kth) & (np.cumsum(d == kth, axis=-1) <= size - np.sum(inside, axis=-1, keepdims=True))
    return inside | ties, size, below, d


def _sparsemax(x: np.ndarray) -> np.ndarray:
    """p_i = (1 + sum_{j in S} d_j) / |S| - d_i on the support S, 0 elsewhere (d = max - x)."""
    support, size, below, d = _sparsemax_parts(x)
    return np.where(support, (1.0 + below) / size - d, 0.0)


def _sparsemax_jac(x: np.ndarray) -> np.ndarray:
    s = _sparsemax_parts(x)[0].astype(float)
    n = x.shape[-1]
    jac = -s[..., :, None] * s[..., None, :] / np.sum(s, axis=-1)[..., None, None]
    idx = np.arange(n)
    jac[..., idx, idx] += s
    return jac


def _softmax_ref(mp, row):  # noqa: ANN001
    e = [mp.exp(v) for v in row]
    t = mp.fsum(e)
    return [v / t for v in e]


def _log_softmax_ref(mp, row):  # noqa: ANN001
    t = mp.log(mp.fsum(mp.exp(v) for v in row))
    return [v - t for v in row]


def _glu_ref(mp, row):  # noqa: ANN001
    h = len(row) // 2
    return [row[i] / (1 + mp.exp(-row[h + i])) for i in range(h)]


def _wrap(f):  # noqa: ANN001, ANN202
    return lambda x, dim: _along(dim)(f, x)


def _wrap_jac(f):  # noqa: ANN001, ANN202
    return lambda x, dim: _along(dim)(f, x, jac=True)


VECTORS = [
    Definition(
        name="softmax",
        ulps=(3.0, 4.0),  # a sum of exponentials, rounded: see docs/accuracy.md
        family="vector",
        summary="exp(x_i) / sum_j exp(x_j): a probability vector.",
        params=(_DIM,),
        forward=_wrap(_softmax),
        derivative=_wrap_jac(_softmax_jac),
        formula="softmax(x)_i = exp(x_i) / sum_j exp(x_j)   (computed as exp(x_i - max x) / ...)",
        latex=r"\frac{e^{x_i}}{\sum_j e^{x_j}}",
        dformula="d softmax_i / d x_j = s_i (delta_ij - s_j)",
        dlatex=r"s_i(\delta_{ij} - s_j)",
        output_range=Interval(0, 1, True, True),
        vector=True,
        section=_PAIR,
        torch="torch.nn.functional.softmax / torch.nn.Softmax(dim)",
        jax="jax.nn.softmax",
        keras="keras.activations.softmax",
        description="Turns a vector of scores (logits) into probabilities that sum to 1. Shifting "
        "by the maximum keeps exp from overflowing: [1000, 1000] gives [0.5, 0.5], where the "
        "textbook exp(x)/sum(exp(x)) gives nan. -inf entries get probability 0; a row with +inf "
        "entries gets its limit (the +inf entries share the mass equally; PyTorch gives nan); "
        "an all -inf row has no limit and gives nan, as in PyTorch.",
        pros=(
            "Outputs are a probability distribution over classes (each in (0, 1), sum 1).",
            "Smooth, with a simple Jacobian; pairs with cross-entropy loss for a clean gradient.",
        ),
        cons=(
            "Saturates: very confident outputs have vanishing gradients.",
            "Costs an exponential per entry and a reduction over the vector.",
            "The naive formula overflows for large logits (use the max-shifted one).",
        ),
        uses=("Output layer of multi-class classifiers.", "Attention weights in transformers."),
        reference=_softmax_ref,
    ),
    Definition(
        name="log_softmax",
        family="vector",
        summary="log(softmax(x)) = x_i - logsumexp(x), computed without forming softmax.",
        params=(_DIM,),
        forward=_wrap(_log_softmax),
        derivative=_wrap_jac(_log_softmax_jac),
        formula="log_softmax(x)_i = x_i - log(sum_j exp(x_j))",
        latex=r"x_i - \log\sum_j e^{x_j}",
        dformula="d log_softmax_i / d x_j = delta_ij - softmax_j",
        dlatex=r"\delta_{ij} - s_j",
        output_range=Interval(-INF, 0, hi_closed=True),
        vector=True,
        section=_PAIR,
        torch="torch.nn.functional.log_softmax / torch.nn.LogSoftmax(dim)",
        jax="jax.nn.log_softmax",
        keras="keras.activations.log_softmax",
        description="Log-probabilities; what cross-entropy losses consume. Stable for huge and "
        "tiny logits, where log(softmax(x)) would take the log of 0.",
        reference=_log_softmax_ref,
    ),
    Definition(
        name="softmin",
        ulps=(3.0, 4.0),  # a sum of exponentials, rounded: see docs/accuracy.md
        family="vector",
        summary="softmax(-x): most mass on the smallest entry.",
        params=(_DIM,),
        forward=_wrap(lambda x: _softmax(-x)),
        derivative=_wrap_jac(lambda x: -_softmax_jac(-x)),
        formula="softmin(x)_i = exp(-x_i) / sum_j exp(-x_j)",
        latex=r"\frac{e^{-x_i}}{\sum_j e^{-x_j}}",
        dformula="d softmin_i / d x_j = -s_i (delta_ij - s_j), s = softmin(x)",
        dlatex=r"-s_i(\delta_{ij} - s_j)",
        output_range=Interval(0, 1, True, True),
        monotonic=False,
        vector=True,
        section=_PAIR,
        torch="torch.nn.functional.softmin / torch.nn.Softmin(dim)",
        description="softmax of the negated input.",
        reference=lambda mp, row: _softmax_ref(mp, [-v for v in row]),
    ),
    Definition(
        name="glu",
        family="vector",
        summary="Gated linear unit: a * sigmoid(b) for the halves [a, b] of x.",
        params=(_DIM,),
        forward=_wrap(_glu),
        derivative=_wrap_jac(_glu_jac),
        formula="glu([a, b]) = a * sigmoid(b)   (x split in two halves along dim)",
        latex=r"a \otimes \sigma(b)",
        dformula="d glu_i / d a_i = sigmoid(b_i); d glu_i / d b_i = a_i sigmoid'(b_i)",
        dlatex=r"\left[\,\mathrm{diag}\,\sigma(b)\ \middle|\ \mathrm{diag}\,a\,\sigma'(b)\,\right]",
        symbols={"a": "first half of x", "b": "second half"},
        monotonic=False,
        vector=True,
        section=Section(base=(0.0, 0.0), direction=(1.0, 1.0), text="glu([x, x]) = x sigmoid(x)"),
        torch="torch.nn.functional.glu / torch.nn.GLU(dim)",
        jax="jax.nn.glu",
        keras="keras.activations.glu",
        description="Dauphin et al. (2017): half of the vector gates the other half. The input "
        "length must be even; the output is half as long.",
        reference=_glu_ref,
    ),
    Definition(
        name="sparsemax",
        family="vector",
        summary="Euclidean projection onto the simplex: a softmax with exact zeros.",
        params=(_DIM,),
        forward=_wrap(_sparsemax),
        derivative=_wrap_jac(_sparsemax_jac),
        formula="sparsemax(x) = argmin over the simplex p of |p - x|^2 = max(x - tau, 0)",
        latex=r"\max(x_i - \tau(x),\ 0)",
        dformula="d sparsemax / dx = diag(s) - s s^T / |S|, s the support indicator",
        dlatex=r"\mathrm{diag}(s) - \frac{s s^\top}{|S|}",
        symbols={r"\tau(x)": "the threshold that makes the sum 1"},
        output_range=Interval(0, 1, True, True),
        kinks=lambda p: (-1.0, 1.0),
        vector=True,
        section=_PAIR,
        jax="jax.nn.sparsemax (jax.nn.sparse_*)",
        keras="keras.activations.sparsemax",
        description="Martins & Astudillo (2016): like softmax, a probability vector, but small "
        "scores get exactly 0. Its two-class section is sparse_sigmoid.",
        reference=None,  # piecewise linear: checked exactly against hand-made cases in the tests
    ),
]
