"""actcli: values, derivatives and pictures of neural-network activation functions.

Python API::

    import actcli
    act = actcli.get("leaky_relu(negative_slope=0.2)")
    act([1, -2, 3])          # values
    act.grad([1, -2, 3])     # derivatives (a Jacobian for softmax-like functions)
    act.info                 # formula, range, properties, framework equivalents
    actcli.catalogue()       # every definition
    actcli.nn.gelu(x)        # plain functions, one per entry (actcli.nn.gelu.grad: f')
    actcli.plot("tanh", grad=True)   # a matplotlib Figure, for notebooks
"""

from __future__ import annotations

TYPE_CHECKING = False  # (not typing's: the console script imports this first, and fast)

__version__ = "0.1.0"

__all__ = ["Activation", "ActivationError", "DTYPES", "Definition", "catalogue", "get", "nn", "plot", "register",
           "__version__"]

if TYPE_CHECKING:
    from typing import Any

    from .activation import DTYPES, Activation
    from .model import ActivationError, Definition, Value

# NumPy loads on first use, not on `import actcli`, so that the command line can set up
# the process (OpenBLAS's threads, actcli/cli/main.py) before NumPy starts.
_LAZY = {"Activation": ".activation", "DTYPES": ".activation", "ActivationError": ".model", "Definition": ".model"}


def __getattr__(name: str) -> object:
    if name == "nn":
        from importlib import import_module

        return import_module(".nn", __name__)
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'actcli' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


def register(name: str, formula: str | None = None, **kwargs: Any) -> Definition:
    """Name an activation for every command and :func:`get`: a formula in x
    (``actcli.register("swish_b", "x*sigmoid(b*x)", params={"b": 1.0})``) or Python
    callables (``value=f, derivative=df``). The command line reads such names from
    ``~/.config/actcli/activations.toml`` (or ``$ACTCLI_CONFIG``): docs/formulas.md."""
    from .definitions import register as _register

    return _register(name, formula, **kwargs)


def get(spec: str, dtype: str | None = None, exact: bool = False, **params: Value) -> Activation:
    """The activation named by ``spec`` (``"gelu"``, ``"gelu(approximate='tanh')"``, an alias...).

    Keyword ``params`` add to those in the spec. ``dtype`` ("float32", "bf16", ...) rounds
    inputs, parameters and results to that type, correctly; ``exact=True`` correctly
    rounds every result, float64 included (see :class:`Activation`). Raises :class:`ActivationError` with a
    helpful message for unknown names (suggesting close ones) or bad parameters.
    """
    from .activation import Activation
    from .definitions import resolve

    definition, bound = resolve(spec, params)
    return Activation(definition, bound, dtype, exact)


def catalogue() -> tuple[Definition, ...]:
    """All definitions, in catalogue order (rectifiers, squashing, gates, vector-valued)."""
    from .definitions import DEFINITIONS

    return DEFINITIONS


def plot(*specs: str | Activation, grad: bool = False, xmin: float = -5.0, xmax: float = 5.0, points: int = 1001,
         title: str | None = None, theme: str = "light", size: tuple[float | None, float | None] = (None, None),
         dpi: float = 100.0, yscale: str = "linear", ylim: tuple[float | None, float | None] = (None, None)) -> Any:
    """A matplotlib ``Figure`` of the functions (with their derivatives in a second panel
    if ``grad``), as `actcli plot` draws them: for a notebook, where it shows itself, or
    ``fig.savefig(...)``. ``specs`` are spec strings or :class:`Activation` objects.

    >>> fig = plot("tanh", "gelu", grad=True, xmin=-3, xmax=3)
    >>> type(fig).__name__, len(fig.axes)
    ('Figure', 2)
    """
    from .activation import Activation
    from .drawing import MAX_CURVES, data
    from .drawing.figure import THEMES, draw
    from .model import ActivationError

    if not specs or len(specs) > MAX_CURVES:
        raise ActivationError(f"plot takes 1 to {MAX_CURVES} functions, got {len(specs)}")
    if not (isinstance(points, int) and 2 <= points <= 1_000_000):
        raise ActivationError(f"points must be a whole number from 2 to 1,000,000, got {points!r}")
    if not (-1e300 <= xmin < xmax <= 1e300):
        raise ActivationError(f"xmin < xmax within ±1e300, got {xmin!r} and {xmax!r}")
    if theme not in THEMES:
        raise ActivationError(f"theme is one of {', '.join(THEMES)}, got {theme!r}")
    if yscale not in ("linear", "log", "symlog"):
        raise ActivationError(f"yscale is linear, log or symlog, got {yscale!r}")
    acts = [s if isinstance(s, Activation) else get(s) for s in specs]
    curves = [data.curves(a, float(xmin), float(xmax), points, grad) for a in acts]
    try:
        return draw(curves, grad, (float(xmin), float(xmax)), size, title, theme, dpi, yscale, ylim)
    except ValueError as e:  # nothing finite to draw
        raise ActivationError(str(e)) from None
