"""Piecewise-linear and exponential-linear units: relu and its relatives."""

from __future__ import annotations

import math

import numpy as np

from .. import numerics as nx
from ..model import (
    REAL,
    Convention,
    Definition,
    Interval,
    Param,
    finite,
    finite_nonzero,
)

INF = float("inf")


def _relu(x: np.ndarray) -> np.ndarray:
    """max(0, x) as PyTorch's clamp: -0.0 and nan pass through unchanged."""
    return np.where(x < 0, 0.0, x)


def _ones(x: np.ndarray) -> np.ndarray:
    return np.ones_like(x)


def _step_up(x: np.ndarray, at: float = 0.0) -> np.ndarray:
    """1 where x > at, else 0: PyTorch's `threshold_backward` convention at the kink."""
    return np.where(x > at, 1.0, 0.0)


def _leaky(x: np.ndarray, slope: float) -> np.ndarray:
    return np.where(x > 0, x, x * slope)


def _leaky_grad(x: np.ndarray, slope: float) -> np.ndarray:
    return np.where(x > 0, 1.0, slope)


def _slope_monotonic(key: str) -> object:
    return lambda p: p[key] >= 0


def _leaky_ref(mp, x, slope):  # noqa: ANN001
    return x if x > 0 else slope * x


_RELU_PROS = (
    "Cheap: a comparison, no exponential.",
    "Does not saturate for x > 0, which mitigates the vanishing-gradient problem.",
    "Sparse activations: every negative input gives exactly 0.",
)

RECTIFIERS = [
    Definition(
        name="relu",
        family="rectifier",
        summary="Rectified linear unit: max(0, x).",
        forward=_relu,
        derivative=lambda x: _step_up(x),
        formula="relu(x) = max(0, x)",
        latex=r"\max(0,\ x)",
        dformula="relu'(x) = 1 if x > 0 else 0",
        dlatex=r"\mathbb{1}[x > 0]",
        output_range=Interval(0, INF, lo_closed=True),
        kinks=lambda p: (0.0,),
        conventions=(Convention("x = 0", "0", "0 (same)"),),
        torch_gain=lambda p: math.sqrt(2.0),
        torch="torch.nn.functional.relu / torch.nn.ReLU",
        jax="jax.nn.relu",
        keras="keras.activations.relu",
        description="The default hidden-layer activation of modern deep networks: passes positive "
        "inputs unchanged and zeroes the rest.",
        pros=_RELU_PROS,
        cons=(
            "Dying ReLU: a unit whose input stays negative gets zero gradient and stops learning.",
            "Not zero-centred; unbounded above, so activations can grow (exploding gradients).",
            "Not differentiable at 0 (frameworks use 0 there).",
        ),
        uses=("Hidden layers of CNNs and MLPs.", "The baseline every other activation is compared to."),
        reference=lambda mp, x: max(x, mp.mpf(0)),
    ),
    Definition(
        name="relu6",
        family="rectifier",
        summary="ReLU capped at 6: min(max(0, x), 6).",
        forward=lambda x: np.minimum(_relu(x), 6.0),
        derivative=lambda x: np.where((x > 0) & (x < 6), 1.0, 0.0),
        formula="relu6(x) = min(max(0, x), 6)",
        latex=r"\min(\max(0,\ x),\ 6)",
        dformula="relu6'(x) = 1 if 0 < x < 6 else 0",
        dlatex=r"\mathbb{1}[0 < x < 6]",
        output_range=Interval(0, 6, True, True),
        kinks=lambda p: (0.0, 6.0),
        conventions=(Convention("x = 0 and x = 6", "0", "0 (same)"),),
        torch="torch.nn.functional.relu6 / torch.nn.ReLU6",
        jax="jax.nn.relu6",
        keras="keras.activations.relu6",
        description="ReLU clipped at 6, introduced for low-precision (fixed-point) mobile networks "
        "such as MobileNet, where a bounded range keeps quantisation coarse-grained.",
        reference=lambda mp, x: min(max(x, mp.mpf(0)), mp.mpf(6)),
    ),
    Definition(
        name="leaky_relu",
        variants=({"negative_slope": 0.2},),
        family="rectifier",
        summary="ReLU with a small slope for x <= 0.",
        params=(Param("negative_slope", 0.01, "slope for x <= 0", check=finite),),
        forward=lambda x, negative_slope: _leaky(x, negative_slope),
        derivative=lambda x, negative_slope: _leaky_grad(x, negative_slope),
        formula="leaky_relu(x) = x if x > 0 else negative_slope * x",
        latex=r"\begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}",
        dformula="leaky_relu'(x) = 1 if x > 0 else negative_slope",
        dlatex=r"\begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}",
        symbols={r"\alpha": "negative_slope"},
        monotonic=_slope_monotonic("negative_slope"),
        kinks=lambda p: (0.0,) if p["negative_slope"] != 1 else (),
        conventions=(Convention("x = 0", "negative_slope", "1 (jnp.where(x >= 0, ...))"),),
        torch="torch.nn.functional.leaky_relu / torch.nn.LeakyReLU",
        torch_gain=lambda p: math.sqrt(2.0 / (1.0 + p["negative_slope"] ** 2)),
        jax="jax.nn.leaky_relu",
        keras="keras.activations.leaky_relu",
        description="Keeps a small gradient for negative inputs so that units cannot die. "
        "Keras's default negative_slope is 0.2 and JAX's 0.01, like PyTorch's.",
        pros=(
            "Mitigates the dying-ReLU problem: negative inputs still get gradient.",
            "As cheap as ReLU.",
        ),
        cons=(
            "The slope is one more hyperparameter, fixed by hand.",
            "Unbounded above; not differentiable at 0.",
        ),
        uses=("Hidden layers where ReLU units die, e.g. GAN discriminators.",),
        notes=("JAX uses x >= 0 in its where(), so its derivative at 0 is 1, not negative_slope.",),
        reference=lambda mp, x, negative_slope: _leaky_ref(mp, x, negative_slope),
    ),
    Definition(
        name="prelu",
        variants=({"weight": -0.5},),
        family="rectifier",
        summary="Parametric ReLU: leaky ReLU with a learned slope.",
        params=(Param("weight", 0.25, "slope for x <= 0 (learned in training)", check=finite),),
        forward=lambda x, weight: _leaky(x, weight),
        derivative=lambda x, weight: _leaky_grad(x, weight),
        formula="prelu(x) = x if x > 0 else weight * x",
        latex=r"\begin{cases} x & x > 0 \\ a x & x \le 0 \end{cases}",
        dformula="prelu'(x) = 1 if x > 0 else weight",
        dlatex=r"\begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}",
        symbols={"a": "weight"},
        monotonic=_slope_monotonic("weight"),
        kinks=lambda p: (0.0,) if p["weight"] != 1 else (),
        conventions=(Convention("x = 0", "weight"),),
        torch="torch.nn.functional.prelu / torch.nn.PReLU (init 0.25)",
        keras="keras.layers.PReLU",
        description="Leaky ReLU whose negative slope is a parameter learned with the weights "
        "(one per channel or one shared). Shown here at a fixed weight; PyTorch initialises it to 0.25.",
        pros=(
            "The network picks the negative slope itself.",
            "Mitigates the dying-ReLU problem.",
        ),
        cons=(
            "Adds parameters, so it can overfit on small data.",
            "Not differentiable at 0.",
        ),
        uses=("Image classification CNNs (introduced with ImageNet-winning ResNet-era models).",),
        reference=lambda mp, x, weight: _leaky_ref(mp, x, weight),
    ),
    Definition(
        name="rrelu",
        variants=({"lower": 0.1, "upper": 0.3},),
        family="rectifier",
        summary="Randomised leaky ReLU, evaluation mode: slope (lower+upper)/2.",
        params=(
            Param("lower", 0.125, "lower bound of the random slope", check=finite),
            Param("upper", 1 / 3, "upper bound of the random slope", check=finite),
        ),
        validate=lambda p: None if p["lower"] <= p["upper"] else "lower must be <= upper",
        forward=lambda x, lower, upper: _leaky(x, (lower + upper) / 2),
        derivative=lambda x, lower, upper: _leaky_grad(x, (lower + upper) / 2),
        formula="rrelu(x) = x if x > 0 else (lower + upper)/2 * x   (evaluation mode)",
        latex=r"\begin{cases} x & x > 0 \\ \frac{l+u}{2} x & x \le 0 \end{cases}",
        dformula="rrelu'(x) = 1 if x > 0 else (lower + upper)/2",
        dlatex=r"\begin{cases} 1 & x > 0 \\ \frac{l+u}{2} & x \le 0 \end{cases}",
        symbols={"l": "lower", "u": "upper"},
        monotonic=lambda p: p["lower"] + p["upper"] >= 0,
        kinks=lambda p: (0.0,),
        conventions=(Convention("x = 0", "(lower + upper)/2"),),
        torch="torch.nn.functional.rrelu(training=False) / torch.nn.RReLU",
        description="In training the negative slope is drawn uniformly from [lower, upper] for every "
        "element; in evaluation it is fixed at the mean (lower + upper)/2, which is what actcli "
        "computes, since a random function has no single value or derivative.",
        reference=lambda mp, x, lower, upper: _leaky_ref(mp, x, (mp.mpf(lower) + upper) / 2),
    ),
    Definition(
        name="elu",
        variants=({"alpha": 2.0},),
        family="rectifier",
        summary="Exponential linear unit: x, or alpha*(exp(x)-1) for x <= 0.",
        params=(Param("alpha", 1.0, "scale of the negative part (its limit is -alpha)", check=finite),),
        forward=lambda x, alpha: np.where(x > 0, x, alpha * np.expm1(x)),
        derivative=lambda x, alpha: np.where(x > 0, 1.0, alpha * np.exp(x)),
        formula="elu(x) = x if x > 0 else alpha * (exp(x) - 1)",
        latex=r"\begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}",
        dformula="elu'(x) = 1 if x > 0 else alpha * exp(x)",
        dlatex=r"\begin{cases} 1 & x > 0 \\ \alpha e^{x} & x \le 0 \end{cases}",
        symbols={r"\alpha": "alpha"},
        output_range=lambda p: Interval(-p["alpha"], INF) if p["alpha"] >= 0 else Interval(-INF, INF),
        monotonic=lambda p: p["alpha"] >= 0,
        kinks=lambda p: (0.0,) if p["alpha"] != 1 else (),
        seams=lambda p: (0.0,),
        conventions=(Convention("x = 0", "alpha (the x <= 0 branch)", "alpha (same)"),),
        torch="torch.nn.functional.elu / torch.nn.ELU",
        jax="jax.nn.elu",
        keras="keras.activations.elu",
        description="Smoothly saturates to -alpha for negative inputs, pushing mean activations "
        "towards zero; with alpha = 1 its derivative is continuous.",
        pros=(
            "Negative outputs push mean activations towards 0, which speeds up learning.",
            "Mitigates the vanishing-gradient and dying-ReLU problems.",
            "Saturates smoothly for large negative inputs, which is robust to noise.",
        ),
        cons=(
            "Computationally more expensive than ReLU (an exponential).",
            "Not differentiable at 0 unless alpha = 1.",
        ),
        uses=("Hidden layers of deep feed-forward and convolutional networks.",),
        reference=lambda mp, x, alpha: x if x > 0 else alpha * mp.expm1(x),
    ),
    Definition(
        name="selu",
        family="rectifier",
        summary="Scaled ELU with the self-normalising constants (scale 1.0507, alpha 1.6733).",
        forward=lambda x: np.where(x > 0, nx.SELU_SCALE * x, nx.SELU_SCALE_ALPHA * np.expm1(x)),
        derivative=lambda x: np.where(x > 0, nx.SELU_SCALE, nx.SELU_SCALE_ALPHA * np.exp(x)),
        formula="selu(x) = scale * (x if x > 0 else alpha * (exp(x) - 1))",
        latex=r"\lambda \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}",
        dformula="selu'(x) = scale if x > 0 else scale * alpha * exp(x)",
        dlatex=r"\lambda \begin{cases} 1 & x > 0 \\ \alpha e^{x} & x \le 0 \end{cases}",
        symbols={r"\lambda": "1.0507", r"\alpha": "1.6733"},
        output_range=Interval(-nx.SELU_SCALE_ALPHA, INF),
        kinks=lambda p: (0.0,),
        conventions=(Convention("x = 0", "scale * alpha = 1.7581 (the x <= 0 branch)", "scale * alpha (same)"),),
        torch="torch.nn.functional.selu / torch.nn.SELU",
        torch_gain=lambda p: 0.75,
        jax="jax.nn.selu",
        keras="keras.activations.selu",
        description="ELU scaled so that, with LeCun-normal initialisation, activations keep zero "
        "mean and unit variance through many layers (self-normalising networks). "
        "scale = 1.0507009873554804934, alpha = 1.6732632423543772848 (Klambauer et al. 2017).",
        pros=(
            "Self-normalising: keeps activations near zero mean and unit variance without batch norm.",
            "Mitigates the vanishing-gradient and dying-ReLU problems.",
        ),
        cons=(
            "scale > 1 amplifies positive inputs, which can cause exploding gradients.",
            "Needs LeCun-normal initialisation (and alpha-dropout) for its guarantee.",
            "Not differentiable at 0 (the slope jumps from 1.7581 to 1.0507).",
        ),
        uses=("Deep fully-connected networks without normalisation layers.",),
        reference=lambda mp, x: mp.mpf("1.0507009873554804934193349852946")
        * (x if x > 0 else mp.mpf("1.6732632423543772848170429916717") * mp.expm1(x)),
    ),
    Definition(
        name="celu",
        variants=({"alpha": 0.5},),
        family="rectifier",
        summary="Continuously differentiable ELU: max(0,x) + min(0, alpha*(exp(x/alpha)-1)).",
        params=(Param("alpha", 1.0, "scale of the negative part", check=finite_nonzero),),
        forward=lambda x, alpha: np.where(x > 0, x, alpha * np.expm1(x / alpha)),
        derivative=lambda x, alpha: np.where(x > 0, 1.0, np.exp(x / alpha)),
        seams=lambda p: (0.0,),
        formula="celu(x) = max(0, x) + min(0, alpha * (exp(x/alpha) - 1))",
        latex=r"\max(0,x) + \min\!\left(0,\ \alpha\left(e^{x/\alpha} - 1\right)\right)",
        dformula="celu'(x) = 1 if x > 0 else exp(x/alpha)",
        dlatex=r"\begin{cases} 1 & x > 0 \\ e^{x/\alpha} & x \le 0 \end{cases}",
        symbols={r"\alpha": "alpha"},
        output_range=lambda p: Interval(-p["alpha"], INF) if p["alpha"] > 0 else REAL,
        monotonic=lambda p: p["alpha"] > 0,
        conventions=(Convention("x = 0", "1 (both sides agree)", "1 (same)"),),
        torch="torch.nn.functional.celu / torch.nn.CELU",
        jax="jax.nn.celu",
        keras="keras.activations.celu",
        description="ELU reparametrised so that its derivative is continuous at 0 for every alpha "
        "(Barron 2017). alpha = 0 is rejected: the formula divides by alpha.",
        pros=(
            "Continuously differentiable at 0 for every alpha, unlike ELU.",
            "Mitigates the vanishing-gradient and dying-ReLU problems.",
        ),
        cons=("Computationally more expensive than ReLU (an exponential).",),
        uses=("Drop-in replacement for ELU where a smooth derivative matters.",),
        reference=lambda mp, x, alpha: max(x, mp.mpf(0)) + min(mp.mpf(0), alpha * mp.expm1(x / alpha)),
    ),
    Definition(
        name="threshold",
        variants=({"threshold": -1.0, "value": 2.0},),
        family="rectifier",
        summary="x where x > threshold, else a fixed value (both required).",
        params=(
            Param("threshold", None, "inputs at or below this are replaced", check=finite, example=1.0),
            Param("value", None, "the replacement value", check=finite, example=0.5),
        ),
        forward=lambda x, threshold, value: np.where(x > threshold, x, value),
        derivative=lambda x, threshold, value: _step_up(x, threshold),
        formula="threshold(x) = x if x > threshold else value",
        latex=r"\begin{cases} x & x > t \\ v & x \le t \end{cases}",
        dformula="threshold'(x) = 1 if x > threshold else 0",
        dlatex=r"\mathbb{1}[x > t]",
        symbols={"t": "threshold", "v": "value"},
        output_range=lambda p: Interval(min(p["value"], p["threshold"]), INF,
                                        lo_closed=p["value"] <= p["threshold"]),
        monotonic=lambda p: p["value"] <= p["threshold"],
        kinks=lambda p: (p["threshold"],),
        jumps=lambda p: (p["threshold"],) if p["value"] != p["threshold"] else (),
        conventions=(Convention("x = threshold", "0"),),
        torch="torch.nn.functional.threshold / torch.nn.Threshold",
        keras="keras.activations.threshold",
        description="Replaces every input at or below a threshold by a constant; relu is "
        "threshold(0, 0). Discontinuous when value != threshold.",
        reference=lambda mp, x, threshold, value: x if x > threshold else mp.mpf(value),
    ),
    Definition(
        name="frelu",
        variants=({"b": -0.5},),
        family="rectifier",
        summary="Flexible ReLU: relu(x) + b, a learned bias on the output.",
        params=(Param("b", 0.0, "output shift (learned in training)", check=finite),),
        forward=lambda x, b: _relu(x) + b,
        derivative=lambda x, b: _step_up(x),
        formula="frelu(x) = max(0, x) + b",
        latex=r"\max(0,\ x) + b",
        dformula="frelu'(x) = 1 if x > 0 else 0",
        dlatex=r"\mathbb{1}[x > 0]",
        symbols={"b": "b"},
        output_range=lambda p: Interval(p["b"], INF, lo_closed=True),
        kinks=lambda p: (0.0,),
        conventions=(Convention("x = 0", "0 (as relu)"),),
        description="ReLU shifted by a learnable bias b (Qiu et al. 2018), so the unit can output "
        "negative values and its mean can move towards 0. No framework ships it as a function; "
        "it is relu(x) + b.",
        pros=(
            "Lets outputs go negative (b < 0), pushing mean activations towards 0.",
            "As cheap as ReLU.",
        ),
        cons=(
            "Gradient is still 0 for x <= 0: units can still die.",
            "One more learned parameter per channel.",
        ),
        uses=("CNNs for image classification, as a ReLU replacement.",),
        reference=lambda mp, x, b: max(x, mp.mpf(0)) + b,
    ),
    Definition(
        name="relu2",
        family="rectifier",
        summary="Squared ReLU: max(0, x)^2.",
        aliases={"squared_relu": {}, "relu_squared": {}},
        forward=lambda x: np.square(_relu(x)),
        seams=lambda p: (0.0,),
        derivative=lambda x: 2.0 * _relu(x),
        formula="relu2(x) = max(0, x)^2",
        latex=r"\max(0,\ x)^2",
        dformula="relu2'(x) = 2 max(0, x)",
        dlatex=r"2\max(0,\ x)",
        output_range=Interval(0, INF, lo_closed=True),
        torch="torch.square(torch.relu(x))",
        description="ReLU squared (So et al. 2021, 'Primer'); Hugging Face's ACT2FN['relu2']. Its "
        "derivative is continuous, so it has no kink.",
        reference=lambda mp, x: max(x, mp.mpf(0)) ** 2,
    ),
    Definition(
        name="step",
        variants=({"at_zero": 0.5},),
        family="rectifier",
        summary="Binary step (Heaviside): 0 for x < 0, 1 for x > 0, at_zero at 0.",
        aliases={"heaviside": {}, "binary_step": {}},
        params=(Param("at_zero", 1.0, "the value at x = 0", check=finite),),
        forward=lambda x, at_zero: np.heaviside(x, at_zero),
        derivative=lambda x, at_zero: np.zeros_like(x),
        formula="step(x) = 0 if x < 0, at_zero if x == 0, 1 if x > 0",
        latex=r"\begin{cases} 0 & x < 0 \\ 1 & x > 0 \end{cases}",
        dformula="step'(x) = 0 (the Dirac delta at 0 is not a number)",
        dlatex=r"0\quad (x \neq 0)",
        output_range=lambda p: Interval(min(0.0, p["at_zero"]), max(1.0, p["at_zero"]), True, True),
        monotonic=lambda p: 0 <= p["at_zero"] <= 1,
        jumps=lambda p: (0.0,),
        zero_centred=False,
        conventions=(Convention("x = 0", "0 (torch.heaviside has no derivative; we use 0)"),),
        torch="torch.heaviside(x, torch.tensor(at_zero))",
        jax="jnp.heaviside",
        description="The perceptron's original activation: fires 1 for positive input. Useless "
        "for gradient descent, since its derivative is 0 wherever it exists.",
        pros=("Simple, and gives a clear binary output.",),
        cons=(
            "Gradient is 0 everywhere (undefined at 0), so backpropagation cannot train it.",
            "Cannot express graded outputs (no multi-class use).",
        ),
        uses=("The classic perceptron; binary classification with hand-set or non-gradient training.",),
        reference=lambda mp, x, at_zero: mp.mpf(1) if x > 0 else (mp.mpf(0) if x < 0 else mp.mpf(at_zero)),
    ),
    Definition(
        name="identity",
        family="rectifier",
        summary="Identity / linear activation: x.",
        aliases={"linear": {}, "none": {}},
        forward=lambda x: x.copy(),
        derivative=_ones,
        formula="identity(x) = x",
        latex=r"x",
        dformula="identity'(x) = 1",
        dlatex=r"1",
        zero_centred=True,
        torch="torch.nn.Identity",
        torch_gain=lambda p: 1.0,  # calculate_gain("linear")
        keras="keras.activations.linear",
        description="Passes its input through: the 'no activation' of regression outputs. A "
        "network of identity-activated layers collapses to one linear map.",
        pros=("Unbounded output, as regression targets need.", "Gradient is 1: it never vanishes."),
        cons=("Adds no non-linearity: stacked linear layers stay linear.",),
        uses=("Output layer of regression models.", "Placeholder where a layer needs an activation."),
        reference=lambda mp, x: x,
    ),
]
