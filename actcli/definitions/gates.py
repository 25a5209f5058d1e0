"""Smooth gates: x times a soft switch (gelu, silu, mish, ...) and smooth rectifiers."""

from __future__ import annotations

import numpy as np

from .. import numerics as nx
from ..model import (
    Convention,
    Definition,
    Interval,
    Param,
    Params,
    Patch,
    finite,
    finite_nonzero,
    finite_positive,
)

INF = float("inf")
_SELF_GATED_PROS = (
    "Smooth everywhere, which helps optimisation of deep models.",
    "Non-monotonic dip for negative x keeps a small, informative negative output and gradient.",
    "Mitigates the vanishing-gradient and dying-ReLU problems.",
)


def same_sign(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """For x * (positive gate): keep the sign of x on results that underflow to zero."""
    return np.copysign(y, x)


def at_infinity(x: np.ndarray, y: np.ndarray, neg: float, pos: float) -> np.ndarray:
    """Put the mathematical limits at x = ±inf, where the formula meets inf*0 or inf/inf."""
    return np.where(x == -INF, neg, np.where(x == INF, pos, y))


# ------------------------------------------------------------------------- gelu
def _gelu_tanh_arg(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """2u = 2 sqrt(2/pi) (x + 0.044715 x^3) as an exact double-double.

    sigmoid(2u) multiplies any error in 2u by |2u| (up to ~745), so it is built from
    exact products. |x| is clipped at 100, where sigmoid(2u) is already exactly 0 or 1,
    so x^3 never overflows.
    """
    x = np.clip(x, -100.0, 100.0)
    p, q = nx.two_prod(x, x)
    t, tl = nx.dd_mul(p, q, *nx.GELU_TANH_A)
    s, sl = nx.two_sum(1.0, t)
    w, wl = nx.dd_mul(s, sl + tl, x, 0.0)
    return nx.dd_mul(w, wl, 2.0 * nx.SQRT_2_OVER_PI[0], 2.0 * nx.SQRT_2_OVER_PI[1])


def _gelu(x: np.ndarray, approximate: str) -> np.ndarray:
    if approximate == "tanh":
        # 0.5 x (1 + tanh u) = x sigmoid(2u): the same function, minus the cancellation.
        y = nx.sigmoid_dd_times(x, *_gelu_tanh_arg(x))
        return at_infinity(x, same_sign(x, y), -0.0, INF)
    return nx.x_ndtr(x)


GELU_MIN_AT = -0.7517915246935645  # where exact gelu has its minimum, -0.16997120747990367


def _gelu_level(v: float, lo: float, hi: float) -> float:
    """The x in [lo, hi] where exact gelu(x) = v, gelu monotonic there (bisection to the last bit)."""
    rising = _gelu(np.array([hi]), "none")[0] > _gelu(np.array([lo]), "none")[0]
    while True:
        mid = lo + (hi - lo) / 2.0  # (lo + hi overflows near the top of the range)
        if mid in (lo, hi):
            return mid
        above = _gelu(np.array([mid]), "none")[0] > v
        lo, hi = (lo, mid) if above == rising else (mid, hi)


def _clipped_gelu_kinks(p: Params) -> tuple[float, ...]:
    """Where gelu crosses min_val or max_val: once on the rising branch (x > -0.7518), and
    once more on the falling one for a level between gelu's minimum and 0."""
    kinks = []
    for v in {p["min_val"], p["max_val"]}:
        if v == 0:
            kinks.append(0.0)
        elif v > -0.16997120747990367:
            kinks.append(_gelu_level(v, GELU_MIN_AT, v + 10.0 if v > 0 else 0.0))
        if -0.16997120747990367 < v < 0:
            kinks.append(_gelu_level(v, -40.0, GELU_MIN_AT))
    return tuple(sorted(kinks))


def _gelu_grad(x: np.ndarray, approximate: str) -> np.ndarray:
    if approximate == "tanh":
        z, zl = _gelu_tanh_arg(x)
        xc = np.clip(x, -100.0, 100.0)
        du = 2.0 * nx.SQRT_2_OVER_PI[0] * (1.0 + 3.0 * nx.GELU_TANH_A[0] * xc * xc)
        slope = nx.sigmoid_dd_times(xc * du * nx.sigmoid_dd(-z, -zl), z, zl)
        g = nx.sigmoid_dd(z, zl) + slope
    else:
        g = nx.ndtr(x) + nx.normal_pdf_times(x, x)
    return at_infinity(x, g, 0.0, 1.0)


def _gelu_ref(mp, x, approximate):  # noqa: ANN001
    if approximate == "tanh":
        u = mp.sqrt(2 / mp.pi) * (x + mp.mpf("0.044715") * x**3)
        return x / (1 + mp.exp(-2 * u))  # = x/2 (1 + tanh u), without its cancellation
    return x / 2 * (1 + mp.erf(x / mp.sqrt(2)))


_GELU_PARAM = Param("approximate", "none", "'none' (exact, erf) or 'tanh'", kind=str, choices=("none", "tanh"))


# ------------------------------------------------------------------ silu & co
def _gate_arg(x: np.ndarray, k_hi: float, k_lo: float) -> tuple[np.ndarray, np.ndarray]:
    """kx exactly as hi + lo; |x| clipped at 1e4, where sigmoid(kx) is already 0 or 1."""
    xc = np.clip(x, -1e4, 1e4)
    z, zl = nx.two_prod(xc, k_hi)
    return z, zl + xc * k_lo


def _scaled_silu(x: np.ndarray, k_hi: float, k_lo: float) -> np.ndarray:
    return at_infinity(x, same_sign(x, nx.sigmoid_dd_times(x, *_gate_arg(x, k_hi, k_lo))), -0.0, INF)


def _scaled_silu_grad(x: np.ndarray, k_hi: float, k_lo: float) -> np.ndarray:
    """d/dx x sigmoid(kx) = sigmoid(kx) + kx sigmoid(kx) sigmoid(-kx)."""
    z, zl = _gate_arg(x, k_hi, k_lo)
    g = nx.sigmoid_dd(z, zl) + nx.sigmoid_dd_times(z * nx.sigmoid_dd(-z, -zl), z, zl)
    return at_infinity(x, g, 0.0, 1.0)


def _direct_above(x: np.ndarray, cutoff: float, direct, exact) -> np.ndarray:  # noqa: ANN001
    """direct(x), with the few x below cutoff recomputed by exact()."""
    y = direct(x)
    low = x < cutoff
    if low.any():
        y[low] = exact(x[low])
    return y


# silu's kx = x is exact, so the plain formulas are within 1.7 ulp (value) and 3 ulp
# (derivative, whose root neighbourhood is patched) down to x = -700; below, where the
# answer heads for the subnormals, quick_gelu's double-double path takes over with k = 1.
def _silu(x: np.ndarray) -> np.ndarray:
    y = _direct_above(x, -700.0, lambda t: t / (1.0 + np.exp(-t)), lambda t: _scaled_silu(t, 1.0, 0.0))
    return at_infinity(x, same_sign(x, y), -0.0, INF)


def _silu_grad(x: np.ndarray) -> np.ndarray:
    g = _direct_above(x, -700.0, lambda t: (1.0 + t / (1.0 + np.exp(t))) / (1.0 + np.exp(-t)),
                      lambda t: _scaled_silu_grad(t, 1.0, 0.0))
    return at_infinity(x, g, 0.0, 1.0)


# ------------------------------------------------------------------------ mish
def _mish_parts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """tanh(softplus x), sech^2(softplus x), sigmoid x — the first and last scaled by 2**k.

    With e = exp(x) (x <= 0) or exp(-x) (x > 0) no step subtracts nearly equal numbers:
    tanh(log(1+e^x)) = w / (1 + w) with w = e + e^2/2, or (1+2e) / (1+2e+2e^2).
    """
    neg = x <= 0
    m, k = nx.exp_dd_scaled(-np.abs(x), np.zeros_like(x))
    e = nx.scale_down(m, k)
    k = np.where(neg, k, 0.0)
    w = m + m * (0.5 * e)  # (e + e^2/2) * 2**k: tanh(softplus) = w / (1 + w) for x <= 0
    t = np.where(neg, w / (1.0 + nx.scale_down(w, k)), (1.0 + 2.0 * e) / (1.0 + 2.0 * e + 2.0 * e * e))
    a = (1.0 + e) * (1.0 + e)
    sech2 = np.where(neg, 4.0 * a / ((a + 1.0) * (a + 1.0)), 4.0 * e * e * a / ((a + e * e) * (a + e * e)))
    sig = np.where(neg, m / (1.0 + e), 1.0 / (1.0 + e))
    return t, sech2, sig, k


def _mish_dd(x: np.ndarray) -> np.ndarray:
    """mish as x w / (1 + w), w = e + e^2/2, e = exp(x): one double-double quotient rounded once."""
    m, k = nx.exp_dd_scaled(x, np.zeros_like(x))
    e = nx.scale_down(m, k)
    w, wl = nx.dd_mul(m, np.zeros_like(m), *nx.two_sum(1.0, 0.5 * e))
    num, num_lo = nx.dd_mul(w, wl, x, np.zeros_like(x))
    q, ql = nx.dd_div(num, num_lo, *nx.two_sum(1.0, nx.scale_down(w, k)))
    return nx.scale_down(np.where(ql == 0, q, q + ql), k)


def _mish(x: np.ndarray) -> np.ndarray:
    """One e = exp(-|x|) serves both sides; elsewhere, a fit or double-doubles.

    x >= 0.25: x - x s with s = 2e^2 / (1 + 2e + 2e^2) <= 0.37, whose error is damped: 1.3 ulp.
    x <= -0.75: (x e)(1 - r) with r = e (1 + e) / (2 + 2e + e^2) and x e exact: 1.3 ulp.
    Nearer 0 the errors of s and r are not damped enough (2.4 ulp): a fitted polynomial
    takes over (10% of randn * 4); below -700 the answer heads for the subnormals: _mish_dd.
    """
    from ..fits_data import MISH_HI, MISH_LO

    e = np.exp(-np.abs(x))
    ee = e * e
    pos = x - x * ((2.0 * ee) / (1.0 + 2.0 * e + 2.0 * ee))
    hi, lo = nx.two_prod(x, e)
    r = (e + ee) / (2.0 + 2.0 * e + ee)
    y = np.where(x > 0, pos, hi + (lo - (hi + lo) * r))
    special = np.flatnonzero(((x >= MISH_LO) & (x <= MISH_HI)) | (x < -700.0) | (x == INF))
    if special.size:  # (indices and take/put: boolean indexing costs twice as much)
        xs = x.take(special)
        ys = nx.mish_centre(xs)
        far = (xs < -700.0) | (xs == INF)
        if far.any():
            xf = xs[far]
            ys[far] = at_infinity(xf, same_sign(xf, _mish_dd(xf)), -0.0, INF)
        y.put(special, ys)
    return y


def _mish_grad(x: np.ndarray) -> np.ndarray:
    t, sech2, sig, k = _mish_parts(x)
    return at_infinity(x, nx.scale_down(t + x * sech2 * sig, k), 0.0, 1.0)


# ------------------------------------------------------------------ hardswish
def _hardswish(x: np.ndarray) -> np.ndarray:
    return np.where(x <= -3, -0.0, np.where(x >= 3, x, x * (x + 3.0) / 6.0))


def _hardswish_grad(x: np.ndarray) -> np.ndarray:
    # (2x + 3)/6 rather than x/3 + 1/2: exact near the root at -1.5.
    return np.where(x <= -3, 0.0, np.where(x >= 3, 1.0, (2.0 * x + 3.0) / 6.0))


# ----------------------------------------------------------------- squareplus
def _squareplus(x: np.ndarray, b: float) -> np.ndarray:
    h = np.hypot(x, np.sqrt(b))
    # x + sqrt(x^2+b) cancels for x << 0; b / (sqrt(x^2+b) - x) does not.
    # Halves first, so that x + h cannot overflow near the top of the float range.
    return np.where(x >= 0, x / 2.0 + h / 2.0, (b / 4.0) / (h / 2.0 - x / 2.0))


def _squareplus_grad(x: np.ndarray, b: float) -> np.ndarray:
    h = np.hypot(x, np.sqrt(b))
    g = np.where(x >= 0, (1.0 + x / h) / 2.0, (b / 4.0) / (h / 2.0 - x / 2.0) / h)
    return at_infinity(x, g, 0.0, 1.0)


# ---------------------------------------------------------------------- snake
def _snake(x: np.ndarray, alpha: float) -> np.ndarray:
    t, tl = nx.two_prod(x, alpha)
    s = nx.sin_dd(t, tl)
    return at_infinity(x, x + s * s / alpha, -INF, INF)


def _snake_grad(x: np.ndarray, alpha: float) -> np.ndarray:
    """1 + sin(2t) = (sin t + cos t)^2 with t = alpha x as a double-double.

    Where sin t + cos t nearly cancels, it equals -cos(2t) / (sin t - cos t): libm reduces
    2t exactly, while adding pi/4 to t would round away the answer for large x.
    """
    t, tl = nx.two_prod(x, alpha)
    s, c = nx.sin_dd(t, tl), nx.cos_dd(t, tl)
    plus, minus = s + c, s - c
    near_root = (np.abs(plus) < np.abs(minus)) & (np.abs(t) < 8e307)  # 2t must not overflow
    plus = np.where(near_root, -nx.cos_dd(2.0 * t, 2.0 * tl) / minus, plus)
    return plus * plus


# --------------------------------------------------------------- bent identity
def _bent(x: np.ndarray) -> np.ndarray:
    h = np.hypot(x, 1.0)
    right = x + x * (x / (h + 1.0) / 2.0)  # (h - 1)/2 = x^2 / (2(h + 1))
    left = (1.0 / (h - x) + x - 1.0) / 2.0  # h + x = 1/(h - x) for x < 0
    return at_infinity(x, np.where(x > -1, right, left), -INF, INF)


def _bent_grad(x: np.ndarray) -> np.ndarray:
    return at_infinity(x, x / np.hypot(x, 1.0) / 2.0 + 1.0, 0.5, 1.5)


GATES = [
    Definition(
        name="softplus",
        variants=({"beta": 2.0},),
        family="gate",
        summary="Smooth ReLU: log(1 + exp(beta x)) / beta.",
        params=(
            Param("beta", 1.0, "sharpness; larger is closer to relu", check=finite_positive),
            Param("threshold", 20.0, "PyTorch's switch to the identity (accepted, not needed here)", check=finite),
        ),
        # max(x, 0) + log1p(exp(-|beta x|)) / beta: beta * x may overflow, x itself may not.
        forward=lambda x, beta, threshold: np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(beta * x))) / beta,
        derivative=lambda x, beta, threshold: nx.sigmoid(beta * x),
        formula="softplus(x) = log(1 + exp(beta * x)) / beta",
        latex=r"\frac{1}{\beta}\log\left(1 + e^{\beta x}\right)",
        dformula="softplus'(x) = sigmoid(beta * x)",
        dlatex=r"\sigma(\beta x)",
        symbols={r"\beta": "beta"},
        output_range=Interval(0, INF),
        torch="torch.nn.functional.softplus / torch.nn.Softplus",
        jax="jax.nn.softplus",
        keras="keras.activations.softplus",
        description="A smooth approximation of relu whose derivative is the sigmoid. PyTorch "
        "returns x itself once beta*x > threshold (an error of up to exp(-20) relative); actcli "
        "computes the exact value everywhere, so threshold changes nothing.",
        pros=(
            "Smooth everywhere with a strictly positive gradient: no dead units.",
            "Output is always positive, e.g. for variances and rates.",
        ),
        cons=("Costs an exponential and a logarithm.", "Not zero-centred; unbounded above."),
        uses=("Parameterising positive quantities (standard deviations, rates).", "A smooth relu stand-in."),
        notes=("PyTorch: x when beta*x > threshold, a linearisation; actcli's value is exact there.",),
        reference=lambda mp, x, beta, threshold: mp.log1p(mp.exp(beta * x)) / beta,
    ),
    Definition(
        name="gelu",
        variants=({"approximate": "tanh"},),
        family="gate",
        summary="Gaussian error linear unit: x * Phi(x) (approximate='none' or 'tanh').",
        params=(_GELU_PARAM,),
        aliases={
            "gelu_new": {"approximate": "tanh"},
            "gelu_pytorch_tanh": {"approximate": "tanh"},
            "gelu_fast": {"approximate": "tanh"},
            "gelu_accurate": {"approximate": "tanh"},
            "approximate_gelu": {"approximate": "tanh"},
            "gelu_python": {},
        },
        forward=_gelu,
        derivative=_gelu_grad,
        patches=(Patch("grad", -2.0, -0.33), Patch("grad", -2.0, -0.38, {"approximate": "tanh"})),
        formula="gelu(x) = x * Phi(x) = x/2 * (1 + erf(x / sqrt 2));"
        " tanh: x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))",
        latex=r"x\,\Phi(x) = \frac{x}{2}\left(1 + \mathrm{erf}\frac{x}{\sqrt{2}}\right)",
        dformula="gelu'(x) = Phi(x) + x * phi(x), phi the standard normal density",
        dlatex=r"\Phi(x) + x\,\varphi(x)",
        # Minima (mpmath): -0.16997120747990366 at x = -0.75179 (exact), -0.17004075057125406 (tanh).
        output_range=lambda p: Interval(-0.16997120747990367 if p["approximate"] == "none" else -0.17004075057125407,
                                        INF, lo_closed=True),
        monotonic=False,
        torch="torch.nn.functional.gelu / torch.nn.GELU",
        jax="jax.nn.gelu (approximate=True by default!)",
        keras="keras.activations.gelu (approximate=False by default; keras.ops.gelu defaults to True)",
        description="Weights its input by the probability that a standard normal variable is "
        "below it. The activation of BERT and GPT-style transformers. Computed from the normal "
        "tail directly (W. J. Cody's rational approximations), so it keeps full precision for "
        "x < -8 where PyTorch's 1 + erf(x/sqrt 2) cancels to 0.",
        pros=_SELF_GATED_PROS,
        cons=(
            "Costs erf (or tanh) per element: slower than relu.",
            "Frameworks disagree on the default (exact vs tanh approximation).",
        ),
        uses=("Transformers: BERT, GPT-2/3, ViT.",),
        notes=(
            "PyTorch's default is exact (approximate='none'); JAX and Keras default to the tanh"
            " approximation. They differ by at most 4.7e-4 (see `actcli compare gelu 'gelu(tanh)'`).",
            "Hugging Face: gelu_new, gelu_fast, gelu_pytorch_tanh, gelu_accurate are the tanh form.",
        ),
        reference=_gelu_ref,
    ),
    Definition(
        name="clipped_gelu",
        variants=({"min_val": -0.1, "max_val": 2.0},),
        family="gate",
        summary="gelu clipped to [min_val, max_val] (Hugging Face gelu_10: -10, 10).",
        params=(
            Param("min_val", -10.0, "lower clip", check=finite),
            Param("max_val", 10.0, "upper clip", check=finite),
        ),
        aliases={"gelu_10": {}},
        validate=lambda p: None if p["min_val"] <= p["max_val"] else "min_val must be <= max_val",
        forward=lambda x, min_val, max_val: np.minimum(np.maximum(_gelu(x, "none"), min_val), max_val),
        patches=(Patch("grad", -2.0, -0.33),),
        derivative=lambda x, min_val, max_val: np.where(
            (_gelu(x, "none") > min_val) & (_gelu(x, "none") < max_val), _gelu_grad(x, "none"), 0.0
        ),
        formula="clipped_gelu(x) = min(max(gelu(x), min_val), max_val)",
        latex=r"\min(\max(x\,\Phi(x),\ a),\ b)",
        dformula="clipped_gelu'(x) = gelu'(x) if min_val < gelu(x) < max_val else 0",
        dlatex=r"\Phi(x) + x\,\varphi(x)\ \text{inside the clip, else } 0",
        symbols={"a": "min_val", "b": "max_val"},
        # (max_val below gelu's minimum clips everything: the range is that one value)
        output_range=lambda p: Interval(min(max(p["min_val"], -0.16997120747990367), p["max_val"]), p["max_val"],
                                        True, True),
        monotonic=False,
        kinks=_clipped_gelu_kinks,
        conventions=(Convention("gelu(x) = min_val or max_val", "0 (as hardtanh)"),),
        torch="transformers.activations.ClippedGELUActivation(-10, 10)",
        description="Hugging Face's ClippedGELUActivation: exact gelu clipped to a range, to help "
        "int8 quantisation. The kinks sit where gelu(x) reaches max_val (x = max_val to double precision "
        "from about 6 up) or min_val: twice if min_val lies between gelu's minimum, -0.16997, and 0.",
        reference=lambda mp, x, min_val, max_val: min(max(_gelu_ref(mp, x, "none"), mp.mpf(min_val)), mp.mpf(max_val)),
    ),
    Definition(
        name="quick_gelu",
        family="gate",
        summary="x * sigmoid(1.702 x), the sigmoid approximation of gelu.",
        forward=lambda x: _scaled_silu(x, *nx.QUICK_GELU_K),
        derivative=lambda x: _scaled_silu_grad(x, *nx.QUICK_GELU_K),
        patches=(Patch("grad", -1.85, -0.33),),
        formula="quick_gelu(x) = x * sigmoid(1.702 x)",
        latex=r"x\,\sigma(1.702\,x)",
        dformula="quick_gelu'(x) = s + 1.702 x s (1 - s), s = sigmoid(1.702 x)",
        dlatex=r"\sigma(1.702x)\left(1 + 1.702x\,\sigma(-1.702x)\right)",
        output_range=Interval(-0.16361018963635358, INF, lo_closed=True),  # min at x = -0.75115
        monotonic=False,
        torch="transformers.activations.QuickGELUActivation",
        description="Hendrycks & Gimpel's sigmoid approximation of gelu, used by OpenAI's CLIP.",
        reference=lambda mp, x: x / (1 + mp.exp(-mp.mpf("1.702") * x)),
    ),
    Definition(
        name="silu",
        family="gate",
        summary="Sigmoid-weighted linear unit (swish): x * sigmoid(x).",
        aliases={"swish": {}, "sigmoid_linear_unit": {}},
        forward=_silu,
        derivative=_silu_grad,
        patches=(Patch("grad", -3.0, -0.78),),
        formula="silu(x) = x * sigmoid(x)",
        latex=r"x\,\sigma(x)",
        dformula="silu'(x) = sigmoid(x) * (1 + x * (1 - sigmoid(x)))",
        dlatex=r"\sigma(x)\left(1 + x\,(1 - \sigma(x))\right)",
        output_range=Interval(-0.27846454276107380, INF, lo_closed=True),  # min at x = -1.27846
        monotonic=False,
        torch="torch.nn.functional.silu / torch.nn.SiLU",
        jax="jax.nn.silu (jax.nn.swish)",
        keras="keras.activations.silu (swish)",
        description="The input times its own sigmoid; found by automated search (Swish, "
        "Ramachandran et al. 2017) and used in EfficientNet and LLaMA-style SwiGLU blocks.",
        pros=_SELF_GATED_PROS,
        cons=("Costs an exponential: slower than relu.", "Unbounded above."),
        uses=("EfficientNet, MobileNetV3 (as hardswish), LLaMA's SwiGLU feed-forward blocks.",),
        reference=lambda mp, x: x / (1 + mp.exp(-x)),
    ),
    Definition(
        name="mish",
        family="gate",
        summary="x * tanh(softplus(x)).",
        forward=_mish,
        derivative=_mish_grad,
        patches=(Patch("grad", -8.0, -0.2),),
        formula="mish(x) = x * tanh(log(1 + exp(x)))",
        latex=r"x\,\tanh\left(\log(1 + e^{x})\right)",
        dformula="mish'(x) = tanh(sp) + x * sech(sp)^2 * sigmoid(x), sp = softplus(x)",
        dlatex=r"\tanh(\mathrm{sp}) + x\,\mathrm{sech}^2(\mathrm{sp})\,\sigma(x)",
        symbols={r"\mathrm{sp}": "softplus(x)"},
        output_range=Interval(-0.30884341301725044, INF, lo_closed=True),  # min at x = -1.19243
        monotonic=False,
        torch="torch.nn.functional.mish / torch.nn.Mish",
        jax="jax.nn.mish",
        keras="keras.activations.mish",
        description="A self-gated activation (Misra 2019) similar to silu with a slightly deeper "
        "negative dip; used in YOLOv4.",
        pros=_SELF_GATED_PROS,
        cons=("Costs an exponential, a log and a tanh: among the slowest here.",),
        uses=("Object detection (YOLOv4) and image classification CNNs.",),
        reference=lambda mp, x: x * mp.tanh(mp.log1p(mp.exp(x))),
    ),
    Definition(
        name="hardswish",
        family="gate",
        summary="x * relu6(x + 3)/6, the piecewise-polynomial silu of MobileNetV3.",
        aliases={"hard_silu": {}},
        forward=_hardswish,
        derivative=_hardswish_grad,
        formula="hardswish(x) = 0 if x <= -3, x if x >= 3, else x (x + 3) / 6",
        latex=r"x\,\frac{\mathrm{relu6}(x + 3)}{6}",
        dformula="hardswish'(x) = 0 if x <= -3, 1 if x >= 3, else (2x + 3) / 6",
        dlatex=r"\begin{cases} 0 & x \le -3 \\ \frac{2x + 3}{6} & -3 < x < 3 \\ 1 & x \ge 3 \end{cases}",
        output_range=Interval(-0.375, INF, lo_closed=True),
        monotonic=False,
        kinks=lambda p: (-3.0, 3.0),
        conventions=(Convention("x = -3", "0"), Convention("x = 3", "1")),
        torch="torch.nn.functional.hardswish / torch.nn.Hardswish",
        jax="jax.nn.hard_silu (jax.nn.hard_swish)",
        keras="keras.activations.hard_silu (hard_swish)",
        description="A cheap silu for mobile networks (MobileNetV3). Here hardswish(1e308) is 1e308; "
        "PyTorch overflows x (x + 3) to inf.",
        reference=lambda mp, x: x * min(max(x + 3, mp.mpf(0)), mp.mpf(6)) / 6,
    ),
    Definition(
        name="squareplus",
        variants=({"b": 1.0},),
        family="gate",
        summary="(x + sqrt(x^2 + b)) / 2, an algebraic softplus.",
        params=(Param("b", 4.0, "curvature at 0; b -> 0 gives relu", check=finite_positive),),
        forward=_squareplus,
        derivative=_squareplus_grad,
        formula="squareplus(x) = (x + sqrt(x^2 + b)) / 2",
        latex=r"\frac{x + \sqrt{x^2 + b}}{2}",
        dformula="squareplus'(x) = (1 + x / sqrt(x^2 + b)) / 2",
        dlatex=r"\frac{1}{2}\left(1 + \frac{x}{\sqrt{x^2 + b}}\right)",
        symbols={"b": "b"},
        output_range=Interval(0, INF),
        torch=None,
        jax="jax.nn.squareplus",
        keras="keras.activations.squareplus",
        description="Barron's (2021) softplus look-alike built from a square root instead of exp "
        "and log. b must be > 0 (b = 0 is relu, whose derivative at 0 would be 0/0).",
        reference=lambda mp, x, b: (x + mp.sqrt(x * x + b)) / 2,
    ),
    Definition(
        name="sparse_plus",
        family="gate",
        summary="0 for x <= -1, (x+1)^2/4 in between, x for x >= 1.",
        forward=lambda x: np.where(x <= -1, 0.0, np.where(x >= 1, x, np.square(x + 1.0) / 4.0)),
        derivative=lambda x: np.where(x <= -1, 0.0, np.where(x >= 1, 1.0, (x + 1.0) / 2.0)),
        seams=lambda p: (-1.0, 1.0),
        formula="sparse_plus(x) = 0 if x <= -1, (x + 1)^2 / 4 if -1 < x < 1, x if x >= 1",
        latex=r"\begin{cases} 0 & x \le -1 \\ \frac{(x+1)^2}{4} & -1 < x < 1 \\ x & x \ge 1 \end{cases}",
        dformula="sparse_plus'(x) = 0 if x <= -1, (x + 1)/2 if -1 < x < 1, 1 if x >= 1",
        dlatex=r"\mathrm{clip}\left(\frac{x + 1}{2},\ 0,\ 1\right)",
        output_range=Interval(0, INF, lo_closed=True),
        torch=None,
        jax="jax.nn.sparse_plus",
        keras="keras.activations.sparse_plus",
        description="A piecewise-quadratic softplus with exact zeros (sparse outputs) below -1; "
        "its derivative is sparse_sigmoid.",
        reference=lambda mp, x: mp.mpf(0) if x <= -1 else (x if x >= 1 else (x + 1) ** 2 / 4),
    ),
    Definition(
        name="sparse_sigmoid",
        family="gate",
        summary="clip((x + 1)/2, 0, 1), the derivative of sparse_plus.",
        forward=lambda x: np.where(x <= -1, 0.0, np.where(x >= 1, 1.0, (x + 1.0) / 2.0)),
        derivative=lambda x: np.where((x > -1) & (x < 1), 0.5, 0.0),
        formula="sparse_sigmoid(x) = 0 if x <= -1, (x + 1)/2 if -1 < x < 1, 1 if x >= 1",
        latex=r"\mathrm{clip}\left(\frac{x + 1}{2},\ 0,\ 1\right)",
        dformula="sparse_sigmoid'(x) = 1/2 if -1 < x < 1 else 0",
        dlatex=r"\tfrac{1}{2}\,\mathbb{1}[-1 < x < 1]",
        output_range=Interval(0, 1, True, True),
        kinks=lambda p: (-1.0, 1.0),
        conventions=(Convention("x = ±1", "0 (as hardtanh)"),),
        jax="jax.nn.sparse_sigmoid",
        keras="keras.activations.sparse_sigmoid",
        description="A sigmoid that reaches exactly 0 and 1 (sparse), as in sparsemax's binary case.",
        reference=lambda mp, x: mp.mpf(0) if x <= -1 else (mp.mpf(1) if x >= 1 else (x + 1) / 2),
    ),
    Definition(
        name="snake",
        family="gate",
        summary="x + sin^2(alpha x) / alpha, a periodic activation.",
        params=(Param("alpha", 1.0, "frequency", check=finite_nonzero),),
        forward=_snake,
        derivative=_snake_grad,
        patches=(Patch("value", -1.55, -0.78),),
        formula="snake(x) = x + sin(alpha x)^2 / alpha",
        latex=r"x + \frac{\sin^2(\alpha x)}{\alpha}",
        dformula="snake'(x) = 1 + sin(2 alpha x)",
        dlatex=r"1 + \sin(2\alpha x)",
        symbols={r"\alpha": "alpha"},
        torch=None,
        description="Liu Ziyin et al. (2020): a monotonic activation with a periodic ripple, "
        "for extrapolating periodic signals; used in neural audio vocoders (BigVGAN).",
        reference=lambda mp, x, alpha: x + mp.sin(alpha * x) ** 2 / alpha,
    ),
    Definition(
        name="gaussian",
        family="gate",
        summary="exp(-x^2), a bump with range (0, 1].",
        forward=lambda x: nx.gauss_times(np.ones_like(x), x, half=False),
        derivative=lambda x: at_infinity(x, nx.gauss_times(-2.0 * x, x, half=False), 0.0, -0.0),
        formula="gaussian(x) = exp(-x^2)",
        latex=r"e^{-x^2}",
        dformula="gaussian'(x) = -2x exp(-x^2)",
        dlatex=r"-2x\,e^{-x^2}",
        output_range=Interval(0, 1, hi_closed=True),
        monotonic=False,
        description="A radial-basis bump, used in RBF networks and some implicit neural "
        "representations. Not monotonic; gradient vanishes in both tails.",
        reference=lambda mp, x: mp.exp(-x * x),
    ),
    Definition(
        name="bent_identity",
        family="gate",
        summary="(sqrt(x^2 + 1) - 1)/2 + x.",
        forward=_bent,
        derivative=_bent_grad,
        formula="bent_identity(x) = (sqrt(x^2 + 1) - 1) / 2 + x",
        latex=r"\frac{\sqrt{x^2 + 1} - 1}{2} + x",
        dformula="bent_identity'(x) = x / (2 sqrt(x^2 + 1)) + 1",
        dlatex=r"\frac{x}{2\sqrt{x^2 + 1}} + 1",
        description="A smooth, unbounded, monotonic function whose slope runs from 1/2 to 3/2: "
        "never saturates, never dies.",
        reference=lambda mp, x: (mp.sqrt(x * x + 1) - 1) / 2 + x,
    ),
]
