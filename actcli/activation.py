"""A catalogue entry bound to parameters and a dtype: the object users call."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .dtypes import FORMATS, Format, as_array, lookup, round_to, spacing
from .model import ActivationError, Definition, Value
from .numerics import horner

BLOCK = 1 << 14  # elements per block for long elementwise inputs (128 KiB of float64)
# The dtypes results can be rounded to, by name (see actcli.dtypes for the short names).
DTYPES: dict[str, Format] = FORMATS
# How far (in float64 ulps) a float64 result may be from the true value and still decide
# its rounding to a narrower format: the promise is 2 (values) and 4 (derivatives); the
# rest is headroom. Closer to a midpoint than this, the mpmath reference decides.
MARGIN = 4096.0


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

    ``dtype`` ("float64", "float32", "float16", "bfloat16", "float8_e4m3fn",
    "float8_e5m2", or a short name such as "bf16") rounds inputs, floating-point
    parameters and results to that type, as a kernel of that type sees them: the result
    is the true f of the rounded input and parameters, correctly rounded (the float64
    formula, and the mpmath reference where that cannot decide the rounding). Without a
    dtype, a float32 or float16 input gives a result correctly rounded to its type.
    ``exact=True`` takes every result from the reference, so that float64 results too
    are correctly rounded (slow: about a millisecond per point). ``light=True`` holds
    bfloat16 and float8 results in float32 arrays (exactly) rather than ml_dtypes' types.
    """

    def __init__(self, definition: Definition, params: dict[str, Value], dtype: str | None = None,
                 exact: bool = False, light: bool = False) -> None:
        self.format = lookup(dtype) if dtype is not None else None
        self.definition = definition
        self.params = params
        self.dtype = self.format.name if self.format is not None else None
        self.exact = bool(exact)
        self.light = bool(light)
        self._patches = _patches_for(self.spec) if definition.patches else {"value": (), "grad": ()}
        self._args: dict[str, dict[str, Value]] = {}
        if self.format is not None:
            self._arguments(self.format)  # a parameter that rounds to an invalid value fails here

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
        if self.definition.family == "formula":  # 'x*sigmoid(b*x) [b=1.702]'
            return f"{self.name} [{', '.join(f'{k}={format_value(v)}' for k, v in changed)}]"
        return f"{self.name}({', '.join(f'{k}={format_value(v)}' for k, v in changed)})"

    def __repr__(self) -> str:
        return f"<Activation {self.spec} dtype={self.dtype}{' exact' if self.exact else ''}>"

    def _arguments(self, fmt: Format) -> dict[str, Value]:
        """The parameters as a kernel of ``fmt`` holds them: floating-point ones rounded to
        it (PyTorch converts such scalars to the tensor's type: hardshrink(lambd=0.3) in
        float32 leaves 0.3f unchanged, 0.30000001192092896)."""
        if fmt.name not in self._args:
            args = dict(self.params)
            for p in self.definition.params:
                v = args.get(p.name)
                if p.kind is float and isinstance(v, float):
                    r = float(round_to(np.array([v]), fmt)[0])
                    if r != v and not (r != r and v != v):
                        problem = p.check(r) if p.check is not None else None
                        if r != r or problem:
                            raise ActivationError(f"{self.name}: parameter '{p.name}' = {v!r} becomes {r!r} in "
                                                  f"{fmt.name}{', which ' + problem if problem else ''}")
                        args[p.name] = r
            if self.definition.validate is not None and (problem := self.definition.validate(args)):
                raise ActivationError(f"{self.name}: in {fmt.name}, {problem}")
            self._args[fmt.name] = args
        return self._args[fmt.name]

    # ----------------------------------------------------------- evaluation
    def _prepare(self, x: Any) -> tuple[np.ndarray, Format, bool]:
        """x as a C-contiguous float64 array rounded once to the format of the result
        (``dtype``, or NumPy's rule: the input's float type, else float64), that format,
        and whether x was a scalar."""
        try:
            a = np.asarray(x)
            held = FORMATS.get(a.dtype.name) if a.dtype.kind in "fV" else None  # (ml_dtypes' types are kind V)
            if a.dtype.kind == "c":
                raise ActivationError(f"{self.name}: complex input; activation functions here are real")
            if a.dtype.kind not in "biufO" and held is None:  # as NumPy's ufuncs, no numbers from strings or dates
                raise ActivationError(f"{self.name}: input of {a.dtype} is not an array of real numbers")
            if a.dtype.kind == "O":  # Python objects: real numbers only (None would become nan)
                for v in a.flat:
                    if not isinstance(v, numbers.Real):
                        raise ActivationError(f"{self.name}: input holds {v!r:.60}, not a real number")
            fmt = self.format or held or FORMATS["float64"]
            scalar = a.ndim == 0
            # Contiguous: NumPy may compute exp, tanh... of a strided array with other code
            # (other last bits) than of a contiguous one; the layout must not change a value.
            a = np.asarray(a, dtype=np.float64, order="C")
        except (TypeError, ValueError, OverflowError) as e:  # OverflowError: an int past float64 (10**400)
            if isinstance(e, ActivationError):
                raise
            raise ActivationError(f"{self.name}: input is not an array of real numbers ({e})") from None
        if fmt.name != "float64":
            a = np.asarray(round_to(a, fmt), order="C")
        if self.definition.vector and a.ndim == 0:
            raise ActivationError(f"{self.name}: needs a vector, got a single number")
        return a, fmt, scalar

    def _compute(self, f: Any, a: np.ndarray, kind: str, args: dict[str, Value], fmt: Format) -> np.ndarray:
        """f on a 1-D array of an elementwise function's inputs, rounded to ``fmt``; NaN in gives NaN out."""
        y = np.asarray(f(a, **args), dtype=np.float64)
        patches = self._patches[kind] if args == self.params else ()  # (made for these parameters only)
        if patches:
            y = y.copy()  # the patches write into it, and f may have returned a view
        for lo, hi, centre, coeffs in patches:
            inside = np.flatnonzero((a >= lo) & (a <= hi))  # (indices: cheaper than a boolean mask)
            if inside.size:
                y.put(inside, horner(coeffs, a.take(inside) - centre))
        y = np.where(np.isnan(a), a, y)
        if self.exact:
            from . import exact

            return exact.elementwise(self.definition, args, kind, a, y, fmt)
        if fmt.name == "float64":
            return y
        r = round_to(y, fmt)
        todo = self._undecided(y, fmt) & np.isfinite(a)
        if todo.any():
            from . import exact

            i = np.flatnonzero(todo)
            r[i] = exact.elementwise(self.definition, args, kind, a[i], y[i], fmt)
        return r

    @staticmethod
    def _undecided(y: np.ndarray, fmt: Format) -> np.ndarray:
        """Where a float64 result, trusted to MARGIN ulps, does not decide its rounding to fmt."""
        err = MARGIN * spacing(y, FORMATS["float64"])
        return (round_to(y - err, fmt) != round_to(y + err, fmt)) & np.isfinite(y)

    def _vector(self, f: Any, a: np.ndarray, kind: str, args: dict[str, Value], fmt: Format) -> np.ndarray:
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
        y = np.asarray(f(a, **args), dtype=np.float64)
        bad = np.any(np.isnan(a), axis=axis, keepdims=True)
        y = np.where(bad[..., None] if kind == "grad" else bad, np.nan, y)
        if fmt.name == "float64" and not self.exact:
            return y
        # One vector per row: its inputs, and its outputs (or Jacobian entries) flattened.
        rows = np.moveaxis(a, axis, -1).reshape(-1, a.shape[axis])
        out = np.moveaxis(y, axis, -1) if kind == "value" else y
        shape = out.shape
        out = out.reshape(len(rows), -1)
        fixed = round_to(out, fmt)
        todo = np.arange(len(rows)) if self.exact else np.flatnonzero(self._undecided(out, fmt).any(axis=1))
        if todo.size:
            from . import exact

            for i in todo.tolist():
                fixed[i] = exact.vector_row(self.definition, kind, rows[i], out[i], fmt)
        fixed = fixed.reshape(shape)
        return np.moveaxis(fixed, -1, axis) if kind == "value" else fixed

    def _run(self, f: Any, x: Any, kind: str) -> Any:
        a, fmt, scalar = self._prepare(x)
        args = self._arguments(fmt)
        with np.errstate(all="ignore"):
            if self.definition.vector:
                return as_array(self._vector(f, a, kind, args, fmt), fmt, self.light)
            # Every formula sees a 1-D array (a scalar too: 0-d arrays do not take item
            # assignment), and long inputs go through in blocks: the formulas make dozens
            # of temporaries, which then stay in cache instead of streaming through memory.
            flat = a.reshape(-1)
            if flat.size <= 2 * BLOCK:
                out = self._compute(f, flat, kind, args, fmt)
            else:
                out = np.empty_like(flat)
                for i in range(0, flat.size, BLOCK):
                    out[i : i + BLOCK] = self._compute(f, flat[i : i + BLOCK], kind, args, fmt)
            y = as_array(out.reshape(a.shape), fmt, self.light)
            return y[()] if scalar else y

    def __call__(self, x: Any) -> np.ndarray:
        """Values: f(x)."""
        return self._run(self.definition.forward, x, "value")

    def grad(self, x: Any, order: int = 1) -> np.ndarray:
        """Derivative f'(x) elementwise, or the Jacobian for vector-valued functions.

        ``order`` n >= 2 gives the n-th derivative of an elementwise function, from the
        mpmath reference (one-sided differences at rising precision, away from kinks; at a
        kink on the branch of the first derivative's convention), correctly rounded: about
        1-5 ms a point."""
        if isinstance(order, bool) or not isinstance(order, (int, np.integer)) or order < 1:
            raise ActivationError(f"{self.name}: the derivative's order is a whole number >= 1, got {order!r}")
        if order == 1:
            return self._run(self.definition.derivative, x, "grad")
        if self.definition.vector:
            raise ActivationError(f"{self.name}: a vector function has its Jacobian (order 1) only")
        from . import exact

        first = np.asarray(self._run(self.definition.derivative, x, "grad"), dtype=np.float64)
        a, fmt, scalar = self._prepare(x)
        args = self._arguments(fmt)
        with np.errstate(all="ignore"):
            y = exact.nth_derivative(self.definition, args, a.reshape(-1), int(order), first.reshape(-1), fmt)
        y = as_array(y.reshape(a.shape), fmt, self.light)
        return y[()] if scalar else y

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
        return Activation(self.definition, {**self.params, "dim": -1}, self.dtype, self.exact, self.light)

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
            slope = jac[..., 0, :] @ direction
        # (A sum of rounded Jacobian entries: rounded once more, not correctly rounded.)
        return as_array(round_to(slope, self.format), self.format, self.light) if self.format is not None else slope

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
