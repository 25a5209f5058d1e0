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

__version__ = "0.1.0"

from .activation import DTYPES, Activation
from .catalogue import DEFINITIONS, resolve
from .model import ActivationError, Definition, Value

__all__ = ["Activation", "ActivationError", "DTYPES", "Definition", "catalogue", "get", "__version__"]


def get(spec: str, dtype: str = "float64", **params: Value) -> Activation:
    """The activation named by ``spec`` (``"gelu"``, ``"gelu(approximate='tanh')"``, an alias...).

    Keyword ``params`` add to those in the spec. Raises :class:`ActivationError` with a
    helpful message for unknown names (suggesting close ones) or bad parameters.
    """
    definition, bound = resolve(spec, params)
    return Activation(definition, bound, dtype)


def catalogue() -> tuple[Definition, ...]:
    """All definitions, in catalogue order (rectifiers, squashing, gates, vector-valued)."""
    return DEFINITIONS
