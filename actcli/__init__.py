"""actcli: values, derivatives and pictures of neural-network activation functions.

Python API::

    import actcli
    act = actcli.get("leaky_relu(negative_slope=0.2)")
    act([1, -2, 3])          # values
    act.grad([1, -2, 3])     # derivatives (a Jacobian for softmax-like functions)
    act.info                 # formula, range, properties, framework equivalents
    actcli.catalogue()       # every definition
"""

from __future__ import annotations

TYPE_CHECKING = False  # (not typing's: the console script imports this first, and fast)

__version__ = "0.1.0"

__all__ = ["Activation", "ActivationError", "DTYPES", "Definition", "catalogue", "get", "__version__"]

if TYPE_CHECKING:
    from .activation import DTYPES, Activation
    from .model import ActivationError, Definition, Value

# NumPy loads on first use, not on `import actcli`, so that the command line can set up
# the process (OpenBLAS's threads, actcli/cli/main.py) before NumPy starts.
_LAZY = {"Activation": ".activation", "DTYPES": ".activation", "ActivationError": ".model", "Definition": ".model"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'actcli' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


def get(spec: str, dtype: str | None = None, **params: Value) -> Activation:
    """The activation named by ``spec`` (``"gelu"``, ``"gelu(approximate='tanh')"``, an alias...).

    Keyword ``params`` add to those in the spec. Raises :class:`ActivationError` with a
    helpful message for unknown names (suggesting close ones) or bad parameters.
    """
    from .activation import Activation
    from .definitions import resolve

    definition, bound = resolve(spec, params)
    return Activation(definition, bound, dtype)


def catalogue() -> tuple[Definition, ...]:
    """All definitions, in catalogue order (rectifiers, squashing, gates, vector-valued)."""
    from .definitions import DEFINITIONS

    return DEFINITIONS
