"""Another CPU's last bits, simulated: run Python with this folder on PYTHONPATH and
ACTCLI_PERTURB=<seed> set, and NumPy's transcendental functions (exp, log, tanh, ...) return
results one ulp away from this machine's for about a quarter of their inputs, chosen by
a hash of the input and the seed.

NumPy computes these functions with different code on different CPUs (AVX-512, AVX2 and
ARM kernels, SVML, the C library), which differ in the last bit. A test, a sample or a
generated document that only passes with this machine's bits breaks here too:

    ACTCLI_PERTURB=1 PYTHONPATH=tools/perturb python -m pytest -q -m "not slow"

Tests that bound an error in ulps (the mpmath sweeps, marked slow) are the exception by
nature: one more ulp from exp is one more ulp in the result. Left alone, as every real
implementation gets them right: results that are whole numbers (exp(0) = 1, tanh(x) = ±1
once it saturates, log10(1000) = 3, 0), equal to the input (tanh(x) = x for tiny x), or
not finite, and results for non-finite inputs. NumPy is patched when it is first
imported, so a process that never imports it is not changed. Not part of actcli: a
development tool only.
"""

from __future__ import annotations

import os
import sys

_SEED = os.environ.get("ACTCLI_PERTURB", "")
_NAMES = ("exp", "expm1", "exp2", "log", "log1p", "log2", "log10", "tanh", "sinh", "cosh", "sin", "cos", "tan",
          "arctan", "arcsinh", "hypot", "cbrt", "power")


def _patch(np: object) -> None:
    import functools

    import numpy

    mix = numpy.uint64(0x9E3779B97F4A7C15)
    salt = numpy.uint64((int(_SEED) * 0xBF58476D1CE4E5B9) % 2**64)

    def nudge(y: object, x: object) -> object:
        out = numpy.asarray(y)
        if out.dtype != numpy.float64:
            return y
        inputs = numpy.broadcast_to(numpy.asarray(x, dtype=numpy.float64), out.shape)
        with numpy.errstate(all="ignore"):
            h = ((inputs.view(numpy.uint64) ^ salt) * mix) >> numpy.uint64(61)
            exact = ~numpy.isfinite(out) | ~numpy.isfinite(inputs) | (out == numpy.round(out)) | (out == inputs)
            up = (h == 0) & ~exact
            down = (h == 1) & ~exact
            moved = numpy.where(up, numpy.nextafter(out, numpy.inf),
                                numpy.where(down, numpy.nextafter(out, -numpy.inf), out))
        return moved[()] if moved.ndim == 0 else moved

    def perturbed(ufunc: object) -> object:
        @functools.wraps(ufunc)  # type: ignore[arg-type]
        def call(*args: object, **kwargs: object) -> object:
            if "out" in kwargs:  # actcli does not pass out=: leave such calls alone
                return ufunc(*args, **kwargs)  # type: ignore[operator]
            return nudge(ufunc(*args, **kwargs), args[0])  # type: ignore[operator]

        return call

    for name in _NAMES:
        setattr(np, name, perturbed(getattr(np, name)))


class _PatchNumpyOnImport:
    """A meta-path finder that lets NumPy load as usual, then patches it."""

    def find_spec(self, name: str, path: object, target: object = None) -> object:
        if name != "numpy":
            return None
        sys.meta_path.remove(self)
        from importlib.util import find_spec

        spec = find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        load = spec.loader.exec_module

        def exec_module(module: object) -> None:
            load(module)
            _patch(module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


if _SEED not in ("", "0"):
    sys.meta_path.insert(0, _PatchNumpyOnImport())
