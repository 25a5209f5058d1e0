"""A catalogue entry bound to parameters and a dtype: the object users call."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .model import ActivationError, Definition, Value
from .numerics import horner

BLOCK = 1 << 14  # elements per block for long elementwise inputs (128 KiB of float64)
DTYPES: dict[str, type] = {"float64": np.float64, "float32": np.float32, "float16": np.float16}


def format_value(v: Value) -> str:
    """A parameter value as it would be typed in a spec."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        text = repr(v)
        return text.removesuffix(".0")
    return str(v)


def _patches_for(spec: str) -> dict[str, tuple]:
    from .definitions.patch_data import (
        PATCHES,  # a few kB of coefficients: load only when used
    )

    return {kind: PATCHES.get(f"{spec}:{kind}", ()) for kind in ("value", "grad")}


class Activation:
    """An activation function with its parameters fixed.

    >>> import actcli
    >>> act = actcli.get("leaky_relu(negative_slope=0.2)")
    >>> act([1.0, -2.0]).tolist()
    [1.0, -0.4]
    >>> act.grad([1.0, -2.0]).tolist()
    [1.0, 0.2]

    Elementwise functions map arrays to arrays of the same shape; vector-valued ones
    (``act.definition.vector``) work along the last axis, and :meth:`grad` returns the
    Jacobian with shape ``(..., n_out, n_in)``.

    ``dtype`` ("float64", "float32", "float16") rounds inputs and outputs to that type,
    to show what lower precision does; the computation itself is always float64.
    """

    def __init__(self, definition: Definition, params: dict[str, Value], dtype: str | None = None) -> None:
        if dtype is not None and dtype not in DTYPES:
            raise ActivationError(f"unknown dtype {dtype!r}; choose from {', '.join(DTYPES)}")
        self.definition = definition
        self.params = params
        self.dtype = dtype
        self._np_dtype = DTYPES[dtype] if dtype is not None else None
        self._patches = _patches_for(self.spec) if definition.patches else {"value": (), "grad": ()}

    # ------------------------------------------------------------- identity
    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def spec(self) -> str:
        """Canonical spec: the name, plus the parameters that differ from their defaults,
        e.g. ``leaky_relu(negative_slope=0.2)``; ``leaky_relu`` for the default slope."""
        defaults = {p.name: p.default for p in self.definition.params}
        changed = [(k, v) for k, v in self.params.items() if v != defaults[k]]
        if not changed:
            return self.name
        return f"{self.name}({', '.join(f'{k}={format_value(v)}' for k, v in changed)})"

    def __repr__(self) -> str:
        return f"<Activation {self.spec} dtype={self.dtype}>"

    # ----------------------------------------------------------- evaluation
    def _prepare(self, x: Any) -> tuple[np.ndarray, Any, bool]:
        """x as a C-contiguous float64 array (rounded to ``dtype`` first if one is set),
        the dtype of the result (``dtype``, or NumPy's rule: the input's float type, else
        float64), and whether x was a scalar."""
        try:
            a = np.asarray(x)
            if a.dtype.kind == "c":
                raise ActivationError(f"{self.name}: complex input; activation functions here are real")
            if a.dtype.kind not in "biufO":  # as NumPy's ufuncs, no numbers from strings or dates
                raise ActivationError(f"{self.name}: input of {a.dtype} is not an array of real numbers")
            if a.dtype.kind == "O":  # Python objects: real numbers only (None would become nan)
                for v in a.flat:
                    if not isinstance(v, numbers.Real):
                        raise ActivationError(f"{self.name}: input holds {v!r:.60}, not a real number")
            target = self._np_dtype or (a.dtype.type if a.dtype.kind == "f" and a.dtype.itemsize <= 8 else np.float64)
            scalar = a.ndim == 0
            # Contiguous: NumPy may compute exp, tanh... of a strided array with other code
            # (other last bits) than of a contiguous one; the layout must not change a value.
            a = np.asarray(a, dtype=np.float64, order="C")
        except (TypeError, ValueError, OverflowError) as e:  # OverflowError: an int past float64 (10**400)
            if isinstance(e, ActivationError):
                raise
            raise ActivationError(f"{self.name}: input is not an array of real numbers ({e})") from None
        if self._np_dtype not in (None, np.float64):
            with np.errstate(all="ignore"):
                a = a.astype(self._np_dtype).astype(np.float64)
        if self.definition.vector and a.ndim == 0:
            raise ActivationError(f"{self.name}: needs a vector, got a single number")
        return a, target, scalar

    @staticmethod
    def _finish(y: np.ndarray, target: Any = np.float64, scalar: bool = False) -> Any:
        """The float64 result rounded once to ``target``; a NumPy scalar for a scalar input."""
        if target is not np.float64:
            with np.errstate(all="ignore"):
                y = y.astype(target)
        return y[()] if scalar else y

    def _compute(self, f: Any, a: np.ndarray, kind: str) -> np.ndarray:
        """f on a 1-D array of an elementwise function's inputs; NaN in gives NaN out."""
        y = np.asarray(f(a, **self.params), dtype=np.float64)
        if self._patches[kind]:
            y = y.copy()  # the patches write into it, and f may have returned a view
        for lo, hi, centre, coeffs in self._patches[kind]:
            inside = np.flatnonzero((a >= lo) & (a <= hi))  # (indices: cheaper than a boolean mask)
            if inside.size:
                y.put(inside, horner(coeffs, a.take(inside) - centre))
        return np.where(np.isnan(a), a, y)

    def _vector(self, f: Any, a: np.ndarray, kind: str) -> np.ndarray:
        """A vector-valued function along its axis ``dim``: values, or the Jacobian (last
        axis only). An empty vector gives an empty result; a NaN anywhere in a vector
        makes its whole result NaN."""
        axis = int(self.params.get("dim", -1))
        if not -a.ndim <= axis < a.ndim:
            raise ActivationError(f"{self.name}: dim={axis:g} is out of range for an input with {a.ndim} axis(es)")
        if kind == "grad" and axis % a.ndim != a.ndim - 1:
            raise ActivationError(f"{self.name}: Jacobians are computed along the last axis only (dim=-1)")
        if a.shape[axis] == 0:
            return np.empty(a.shape if kind == "value" else a.shape + (0,))
        y = np.asarray(f(a, **self.params), dtype=np.float64)
        bad = np.any(np.isnan(a), axis=axis, keepdims=True)
        return np.where(bad[..., None] if kind == "grad" else bad, np.nan, y)

    def _run(self, f: Any, x: Any, kind: str) -> Any:
        a, target, scalar = self._prepare(x)
        with np.errstate(all="ignore"):
            if self.definition.vector:
                return self._finish(self._vector(f, a, kind), target)
            # Every formula sees a 1-D array (a scalar too: 0-d arrays do not take item
            # assignment), and long inputs go through in blocks: the formulas make dozens
            # of temporaries, which then stay in cache instead of streaming through memory.
            flat = a.reshape(-1)
            if flat.size <= 2 * BLOCK:
                return self._finish(self._compute(f, flat, kind).reshape(a.shape), target, scalar)
            out = np.empty_like(flat)
            for i in range(0, flat.size, BLOCK):
                out[i : i + BLOCK] = self._compute(f, flat[i : i + BLOCK], kind)
            return self._finish(out.reshape(a.shape), target, scalar)

    def __call__(self, x: Any) -> np.ndarray:
        """Values: f(x)."""
        return self._run(self.definition.forward, x, "value")

    def grad(self, x: Any) -> np.ndarray:
        """Derivative f'(x) elementwise, or the Jacobian for vector-valued functions."""
        return self._run(self.definition.derivative, x, "grad")

    # ------------------------------------------------------ scalar sections
    def _section_rows(self, x: Any) -> tuple[np.ndarray, np.ndarray]:
        sec = self.definition.section
        assert sec is not None, "vector functions define a section"
        a = np.asarray(x, dtype=np.float64)
        direction = np.asarray(sec.direction)
        with np.errstate(invalid="ignore"):  # (0 * inf, replaced just below)
            moved = a[..., None] * direction
        # A zero direction leaves its entry at the base, even for x = ±inf (0 * inf is nan).
        return np.asarray(sec.base) + np.where(direction == 0, 0.0, moved), direction

    def _along_rows(self) -> Activation:
        """This function along the last axis: each section row is one vector, whatever dim
        says of the arrays given to the function itself."""
        if self.params.get("dim", -1) == -1:
            return self
        return Activation(self.definition, {**self.params, "dim": -1}, self.dtype)

    def curve(self, x: Any) -> np.ndarray:
        """f as a function of one real x: itself, or its section for vector functions."""
        if not self.definition.vector:
            return self(x)
        rows, _ = self._section_rows(x)
        y = self._along_rows()(rows)[..., 0]
        at = np.asarray(x, dtype=np.float64)
        gap = np.isinf(at) & np.isnan(y)
        if np.any(gap):  # the curve's limit at ±inf where the vector has none (glu: x sigmoid(x) at -inf)
            y = np.array(y)
            y[gap] = self.curve(np.copysign(np.finfo(np.float64).max, at[gap]))
        return y

    def curve_grad(self, x: Any) -> np.ndarray:
        """d/dx of :meth:`curve`."""
        if not self.definition.vector:
            return self.grad(x)
        rows, direction = self._section_rows(x)
        jac = self._along_rows().grad(rows).astype(np.float64)
        with np.errstate(all="ignore"):
            return self._finish(jac[..., 0, :] @ direction, self._np_dtype or np.float64)

    # ----------------------------------------------------------------- info
    @property
    def info(self) -> dict[str, Any]:
        """Everything about this function, as plain data (what `actcli info --format json` prints)."""
        d = self.definition
        r = d.range_for(self.params)
        return {
            "name": d.name,
            "spec": self.spec,
            "family": d.family,
            "aliases": list(d.aliases),
            "summary": d.summary,
            "description": d.description,
            "params": [
                {"name": p.name, "default": p.default, "value": self.params.get(p.name), "doc": p.doc,
                 **({"choices": list(p.choices)} if p.choices else {})}
                for p in d.params
            ],
            "formula": d.formula,
            "latex": d.latex,
            "derivative": d.dformula,
            "derivative_latex": d.dlatex,
            "vector": d.vector,
            "section": d.section.text if d.section else None,
            "properties": {
                "range": str(r),
                "bounded": r.bounded,
                "monotonic": d.is_monotonic(self.params),
                "smooth": not d.breaks(self.params),
                "kinks": list(d.kinks(self.params)),
                "discontinuities": list(d.jumps(self.params)),
                "zero_centred": d.is_zero_centred(self.params),
            },
            "conventions": [c.line() for c in d.conventions],
            "equivalents": {"torch": d.torch, "jax": d.jax, "keras": d.keras},
            "pros": list(d.pros),
            "cons": list(d.cons),
            "uses": list(d.uses),
            "notes": list(d.notes),
        }
