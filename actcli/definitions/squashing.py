"""Squashing functions (sigmoid, tanh and kin) and the shrink family."""

from __future__ import annotations

import numpy as np

from .. import numerics as nx
from ..model import Convention, Definition, Interval, Param, finite, non_negative

INF = float("inf")
_VANISHING = "Saturates at both ends, so gradients vanish for large |x| (vanishing-gradient problem)."


def _tanh_slope(x: np.ndarray) -> np.ndarray:
    """sech(x)^2 = 4e/(1+e)^2 with e = exp(-2|x|); 1 - tanh^2 would round to 0 in the tails."""
    e = np.exp(-2.0 * np.abs(x))
    return 4.0 * e / ((1.0 + e) * (1.0 + e))


def _softsign(x: np.ndarray) -> np.ndarray:
    return np.where(np.isinf(x), np.sign(x), x / (1.0 + np.abs(x)))


def _arctan_slope(x: np.ndarray) -> np.ndarray:
    # 1/(1+x^2) overflows x^2 past 1e154 although the answer is still normal.
    r = 1.0 / x
    return np.where(np.abs(x) > 1.0, r * r / (1.0 + r * r), 1.0 / (1.0 + x * x))


def _tanhshrink(x: np.ndarray) -> np.ndarray:
    small = np.abs(x) < 3.0
    return np.where(small, nx.tanhshrink_small(np.where(small, x, 0.0)), x - np.tanh(x))


def _softshrink(x: np.ndarray, lambd: float) -> np.ndarray:
    return np.where(x > lambd, x - lambd, np.where(x < -lambd, x + lambd, 0.0))


def _outside(x: np.ndarray, lambd: float) -> np.ndarray:
    return np.where(np.abs(x) > lambd, 1.0, 0.0)


def _hard_bounds(p: dict) -> str | None:
    return None if p["min_val"] <= p["max_val"] else "min_val must be <= max_val"


SQUASHING = [
    Definition(
        name="sigmoid",
        family="squashing",
        summary="Logistic sigmoid: 1/(1+exp(-x)), range (0, 1).",
        aliases={"logistic": {}, "expit": {}},
        forward=nx.sigmoid,
        derivative=nx.sigmoid_slope,
        formula="sigmoid(x) = 1 / (1 + exp(-x))",
        latex=r"\frac{1}{1 + e^{-x}}",
        dformula="sigmoid'(x) = sigmoid(x) * (1 - sigmoid(x))",
        dlatex=r"\sigma(x)\,(1 - \sigma(x))",
        output_range=Interval(0, 1),
        torch="torch.sigmoid / torch.nn.Sigmoid",
        torch_gain=lambda p: 1.0,
        jax="jax.nn.sigmoid",
        keras="keras.activations.sigmoid",
        description="Squashes any real number into (0, 1), so the output reads as a probability. "
        "Its derivative peaks at 1/4, so deep stacks of sigmoids shrink gradients.",
        pros=(
            "Output in (0, 1): reads as a probability.",
            "Smooth and monotonic, with a simple derivative.",
            "Bounded, which keeps activations from exploding.",
        ),
        cons=(
            _VANISHING,
            "Not zero-centred (outputs always positive), which slows gradient descent.",
            "Costs an exponential.",
        ),
        uses=(
            "Output layer of binary classifiers and logistic regression.",
            "Gates of LSTM and GRU cells.",
        ),
        reference=lambda mp, x: 1 / (1 + mp.exp(-x)),
    ),
    Definition(
        name="hardsigmoid",
        family="squashing",
        summary="Piecewise-linear sigmoid: relu6(x + 3)/6.",
        forward=lambda x: np.where(x <= -3, 0.0, np.where(x >= 3, 1.0, (x + 3.0) / 6.0)),
        derivative=lambda x: np.where((x > -3) & (x < 3), 1.0 / 6.0, 0.0),
        formula="hardsigmoid(x) = 0 if x <= -3, 1 if x >= 3, else x/6 + 1/2",
        latex=r"\frac{\mathrm{relu6}(x + 3)}{6}",
        dformula="hardsigmoid'(x) = 1/6 if -3 < x < 3 else 0",
        dlatex=r"\tfrac{1}{6}\,\mathbb{1}[-3 < x < 3]",
        output_range=Interval(0, 1, True, True),
        kinks=lambda p: (-3.0, 3.0),
        conventions=(Convention("x = ±3", "0", "0 (same)"),),
        torch="torch.nn.functional.hardsigmoid / torch.nn.Hardsigmoid",
        jax="jax.nn.hard_sigmoid",
        keras="keras.activations.hard_sigmoid",
        description="A cheap piecewise-linear stand-in for the sigmoid (MobileNetV3). Keras 2 and "
        "old TensorFlow used slope 0.2 (clip(0.2x + 0.5, 0, 1)); PyTorch, JAX and Keras 3 use 1/6, "
        "and so does actcli.",
        notes=("Keras < 3 hard_sigmoid is clip(0.2 x + 0.5, 0, 1): slope 0.2, kinks at ±2.5.",),
        reference=lambda mp, x: min(max(x + 3, mp.mpf(0)), mp.mpf(6)) / 6,
    ),
    Definition(
        name="logsigmoid",
        family="squashing",
        summary="Log of the sigmoid: -softplus(-x), range (-inf, 0).",
        forward=nx.log_sigmoid,
        derivative=lambda x: nx.sigmoid(-x),
        formula="logsigmoid(x) = log(1 / (1 + exp(-x))) = -softplus(-x)",
        latex=r"\log \frac{1}{1 + e^{-x}}",
        dformula="logsigmoid'(x) = 1 - sigmoid(x) = sigmoid(-x)",
        dlatex=r"\sigma(-x)",
        output_range=Interval(-INF, 0),
        torch="torch.nn.functional.logsigmoid / torch.nn.LogSigmoid",
        jax="jax.nn.log_sigmoid",
        keras="keras.activations.log_sigmoid",
        description="The log-probability of a sigmoid output, computed without forming the "
        "sigmoid (which would round to 0 or 1 and lose everything).",
        reference=lambda mp, x: -mp.log1p(mp.exp(-x)),
    ),
    Definition(
        name="tanh",
        family="squashing",
        summary="Hyperbolic tangent, range (-1, 1).",
        forward=np.tanh,
        derivative=_tanh_slope,
        formula="tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))",
        latex=r"\frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
        dformula="tanh'(x) = 1 - tanh(x)^2",
        dlatex=r"1 - \tanh^2 x",
        output_range=Interval(-1, 1),
        zero_centred=True,
        torch="torch.tanh / torch.nn.Tanh",
        torch_gain=lambda p: 5.0 / 3.0,
        jax="jax.nn.tanh (jnp.tanh)",
        keras="keras.activations.tanh",
        description="A rescaled sigmoid (tanh x = 2 sigmoid(2x) - 1) with zero-centred output in "
        "(-1, 1) and a steeper slope (1 at 0).",
        pros=(
            "Zero-centred output in (-1, 1), which normalises activations.",
            "Stable convergence; bounded, which mitigates exploding gradients.",
            "Steeper than the sigmoid: derivative 1 at 0.",
        ),
        cons=(_VANISHING, "Costs exponentials."),
        uses=("RNN, LSTM and GRU cells.", "GAN generators' output layer (images scaled to [-1, 1])."),
        reference=lambda mp, x: mp.tanh(x),
    ),
    Definition(
        name="hardtanh",
        variants=({"min_val": -2.0, "max_val": 3.0},),
        family="squashing",
        summary="tanh's piecewise-linear cousin: clip(x, min_val, max_val).",
        params=(
            Param("min_val", -1.0, "lower clip", check=finite),
            Param("max_val", 1.0, "upper clip", check=finite),
        ),
        validate=_hard_bounds,
        forward=lambda x, min_val, max_val: np.minimum(np.maximum(x, min_val), max_val),
        derivative=lambda x, min_val, max_val: np.where((x > min_val) & (x < max_val), 1.0, 0.0),
        formula="hardtanh(x) = min(max(x, min_val), max_val)",
        latex=r"\min(\max(x,\ a),\ b)",
        dformula="hardtanh'(x) = 1 if min_val < x < max_val else 0",
        dlatex=r"\mathbb{1}[a < x < b]",
        symbols={"a": "min_val", "b": "max_val"},
        output_range=lambda p: Interval(p["min_val"], p["max_val"], True, True),
        kinks=lambda p: (p["min_val"], p["max_val"]),
        zero_centred=lambda p: p["min_val"] == -p["max_val"],
        conventions=(Convention("x = min_val and x = max_val", "0", "1 (jnp.where(x > 1, ...) keeps the middle branch)"),),
        torch="torch.nn.functional.hardtanh / torch.nn.Hardtanh",
        jax="jax.nn.hard_tanh",
        keras="keras.activations.hard_tanh",
        description="Clips its input to [min_val, max_val]; with the defaults, a cheap tanh.",
        notes=("jax.nn.hard_tanh has no min/max parameters (fixed at ±1), and its derivative at ±1 is 1.",),
        reference=lambda mp, x, min_val, max_val: min(max(x, mp.mpf(min_val)), mp.mpf(max_val)),
    ),
    Definition(
        name="softsign",
        family="squashing",
        summary="x / (1 + |x|), range (-1, 1), with polynomial tails.",
        forward=_softsign,
        derivative=lambda x: np.square(1.0 / (1.0 + np.abs(x))),
        formula="softsign(x) = x / (1 + |x|)",
        latex=r"\frac{x}{1 + |x|}",
        dformula="softsign'(x) = 1 / (1 + |x|)^2",
        dlatex=r"\frac{1}{(1 + |x|)^2}",
        output_range=Interval(-1, 1),
        zero_centred=True,
        torch="torch.nn.functional.softsign / torch.nn.Softsign",
        jax="jax.nn.soft_sign",
        keras="keras.activations.softsign",
        description="A tanh-like squashing function that approaches ±1 polynomially rather than "
        "exponentially, so it saturates more gently. softsign(±inf) = ±1 here; PyTorch and JAX "
        "return nan (inf/inf).",
        pros=(
            "Zero-centred output in (-1, 1); stable convergence.",
            "Saturates more slowly than tanh, so gradients vanish later.",
            "No exponential.",
        ),
        cons=("Still saturates: gradients vanish for large |x|.",),
        uses=("Occasionally in place of tanh in RNNs and regression heads.",),
        reference=lambda mp, x: x / (1 + abs(x)),
    ),
    Definition(
        name="tanhshrink",
        family="squashing",
        summary="x - tanh(x).",
        forward=_tanhshrink,
        derivative=lambda x: np.square(np.tanh(x)),
        formula="tanhshrink(x) = x - tanh(x)",
        latex=r"x - \tanh x",
        dformula="tanhshrink'(x) = tanh(x)^2",
        dlatex=r"\tanh^2 x",
        zero_centred=True,
        torch="torch.nn.functional.tanhshrink / torch.nn.Tanhshrink",
        keras="keras.activations.tanh_shrink",
        description="What tanh takes away: close to x^3/3 near 0 and to x - sign(x) far out. "
        "Computed without cancellation near 0 (PyTorch's x - tanh(x) loses every digit there).",
        reference=lambda mp, x: x - mp.tanh(x),
        # x - tanh x = (x - sign x) + sign(x) (1 - tanh|x|), and 1 - tanh|x| = 2 e^(-2|x|) / (1 + e^(-2|x|)).
        offset=lambda mp, x, m: (x - mp.sign(x) - m) + mp.sign(x) * 2 * mp.exp(-2 * abs(x)) / (1 + mp.exp(-2 * abs(x))),
    ),
    Definition(
        name="softshrink",
        variants=({"lambd": 1.0},),
        family="squashing",
        summary="Soft thresholding: shrink x towards 0 by lambd.",
        params=(Param("lambd", 0.5, "the dead-zone half-width", check=lambda v: finite(v) or non_negative(v)),),
        forward=_softshrink,
        derivative=_outside,
        formula="softshrink(x) = x - lambd if x > lambd, x + lambd if x < -lambd, else 0",
        latex=r"\begin{cases} x - \lambda & x > \lambda \\ x + \lambda & x < -\lambda \\ 0 & \text{otherwise} \end{cases}",
        dformula="softshrink'(x) = 1 if |x| > lambd else 0",
        dlatex=r"\mathbb{1}[|x| > \lambda]",
        symbols={r"\lambda": "lambd"},
        kinks=lambda p: (-p["lambd"], p["lambd"]) if p["lambd"] > 0 else (0.0,),  # (lambd = 0: f'(0) = 0 still)
        zero_centred=True,
        conventions=(Convention("x = ±lambd", "0"),),
        torch="torch.nn.functional.softshrink / torch.nn.Softshrink",
        keras="keras.activations.soft_shrink",
        description="The proximal operator of the L1 norm (soft thresholding), used in sparse "
        "coding and denoising.",
        reference=lambda mp, x, lambd: x - lambd if x > lambd else (x + lambd if x < -lambd else mp.mpf(0)),
    ),
    Definition(
        name="hardshrink",
        variants=({"lambd": 1.5},),
        family="squashing",
        summary="Hard thresholding: 0 for |x| <= lambd, else x.",
        params=(Param("lambd", 0.5, "the dead-zone half-width", check=lambda v: finite(v) or non_negative(v)),),
        forward=lambda x, lambd: np.where(np.abs(x) > lambd, x, 0.0),
        derivative=_outside,
        formula="hardshrink(x) = x if |x| > lambd else 0",
        latex=r"\begin{cases} x & |x| > \lambda \\ 0 & \text{otherwise} \end{cases}",
        dformula="hardshrink'(x) = 1 if |x| > lambd else 0",
        dlatex=r"\mathbb{1}[|x| > \lambda]",
        symbols={r"\lambda": "lambd"},
        kinks=lambda p: (-p["lambd"], p["lambd"]) if p["lambd"] > 0 else (0.0,),  # (lambd = 0: f'(0) = 0 still)
        jumps=lambda p: (-p["lambd"], p["lambd"]) if p["lambd"] > 0 else (),
        zero_centred=True,
        conventions=(Convention("x = ±lambd", "0"),),
        torch="torch.nn.functional.hardshrink / torch.nn.Hardshrink",
        keras="keras.activations.hard_shrink",
        description="Zeroes small inputs and keeps the rest unchanged; discontinuous at ±lambd.",
        reference=lambda mp, x, lambd: x if abs(x) > lambd else mp.mpf(0),
    ),
    Definition(
        name="arctan",
        family="squashing",
        summary="Inverse tangent, range (-pi/2, pi/2).",
        aliases={"atan": {}},
        forward=np.arctan,
        derivative=_arctan_slope,
        formula="arctan(x)",
        latex=r"\arctan x",
        dformula="arctan'(x) = 1 / (1 + x^2)",
        dlatex=r"\frac{1}{1 + x^2}",
        output_range=Interval(-np.pi / 2, np.pi / 2),
        zero_centred=True,
        torch="torch.atan",
        jax="jnp.arctan",
        description="A sigmoid-shaped squashing function with polynomially decaying slope, like "
        "softsign but smooth in every derivative.",
        reference=lambda mp, x: mp.atan(x),
    ),
    Definition(
        name="exponential",
        family="squashing",
        summary="exp(x), range (0, inf).",
        aliases={"exp": {}},
        forward=np.exp,
        derivative=np.exp,
        formula="exponential(x) = exp(x)",
        latex=r"e^{x}",
        dformula="exponential'(x) = exp(x)",
        dlatex=r"e^{x}",
        output_range=Interval(0, INF),
        torch="torch.exp",
        jax="jnp.exp",
        keras="keras.activations.exponential",
        description="The exponential, as Keras offers it: positive outputs, e.g. for rates or "
        "scale parameters. Overflows to inf past x = 709.78.",
        reference=lambda mp, x: mp.exp(x),
    ),
]
