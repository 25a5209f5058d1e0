"""Formulas: a user's own activation, written as an expression in ``x``.

``x*sigmoid(1.702*x)``, ``x*tanh(softplus(x))``, ``gelu(2*x, approximate='tanh')``,
``where(x > 0, x, a*expm1(x))`` with ``-p a=1``. The text is parsed by Python's ``ast``
module and every node is checked against a short list of allowed ones: no name outside
the grammar, no attribute, subscript, lambda, comprehension, string outside a catalogue
function's parameters; nothing of the text is ever executed. What is left is a small
tree, evaluated three ways: in float64 with NumPy (values, and first derivatives by
forward-mode automatic differentiation, "dual numbers"), and in mpmath (the reference:
``--exact`` and ``actcli check`` work for formulas too).

Grammar::

    expr := number | x | NAME | pi | e | -expr | +expr | expr (+ - * / ** ^) expr | (expr)
          | f(expr)                 f in exp log log1p expm1 sqrt sin cos tan tanh sinh cosh atan erf erfc abs sign
          | min(expr, expr) | max(expr, expr) | clip(expr, lo, hi)
          | where(expr CMP expr, expr, expr)        CMP in < <= > >=
          | ACTIVATION(expr, param, ..., key=param) any catalogue function (elementwise) by any name

NAME is a parameter, given with ``-p NAME=value`` (or as a keyword in the Python API).
Formulas are evaluated in float64 as written: ``log(1+exp(x))`` overflows where
``softplus(x)`` does not. At kinks the derivative follows PyTorch: abs'(0) = 0, sign' = 0,
min/max split a tie half and half, clip's derivative is 1 at its bounds, where() takes the
branch its condition picks.
"""

from __future__ import annotations

import ast
import functools
import math
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import numpy as np

from .literals import NUMBER, shorten
from .model import ActivationError

MAX_LENGTH = 2000
MAX_DEPTH = 60
MAX_NODES = 500

UNARY = ("exp", "log", "log1p", "expm1", "sqrt", "sin", "cos", "tan", "tanh", "sinh", "cosh", "atan", "erf",
         "erfc", "abs", "sign")
SPECIAL = {"min": 2, "max": 2, "clip": 3, "where": 3}
CONSTANTS = {"pi": math.pi, "e": math.e, "inf": math.inf, "nan": math.nan}
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.BitXor: "**"}


class Node(NamedTuple):
    """One node of a formula: ``op`` and its operands (nodes, or for leaves a value)."""

    op: str  # "num" "x" "param" "neg" "+" "-" "*" "/" "**" "call" "cmp" "act"
    args: tuple[Any, ...]
    at: int = 0  # position in the text (for messages)


class Formula(NamedTuple):
    """A parsed formula: its text, tree, and the names of its parameters."""

    text: str
    tree: Node
    params: tuple[str, ...]


def _fail(text: str, at: int, what: str) -> ActivationError:
    return ActivationError(f"formula {shorten(text, 60)}: {what} at position {at + 1}")


def mentions_x(text: str) -> bool:
    """Whether ``text`` names x: then it is a formula, not a spec."""
    import re

    return re.search(r"(?<![A-Za-z0-9_.'\"])x(?![A-Za-z0-9_])", text) is not None


def parse(text: str, catalogue: Any) -> Formula:
    """The formula in ``text``, checked node by node; :class:`ActivationError` naming the
    position and token of the first thing outside the grammar. ``catalogue`` is
    :mod:`actcli.definitions` (given, not imported: the catalogue imports this module)."""
    if not isinstance(text, str):
        raise ActivationError(f"a formula is a string, got {text!r:.60}")
    if len(text) > MAX_LENGTH:
        raise ActivationError(f"formula {shorten(text, 60)}: longer than {MAX_LENGTH:,} characters")
    if "\x00" in text:
        raise ActivationError("formula: a NUL character")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as e:
        at = max(0, (e.offset or 1) - 1)
        near = text.strip()[at : at + 12]
        raise _fail(text, at, f"malformed ({e.msg}) near {near!r}" if near else f"malformed ({e.msg}): it ends early")
    except (RecursionError, MemoryError, ValueError) as e:
        raise ActivationError(f"formula {shorten(text, 60)}: too deeply nested or too large ({type(e).__name__})") from None
    params: list[str] = []
    builder = _Builder(text.strip(), params, catalogue)
    node = builder.build(tree.body, 0)
    if not builder.has_x:
        raise ActivationError(f"formula {shorten(text, 60)}: does not use x")
    return Formula(text.strip(), node, tuple(params))


class _Builder:
    def __init__(self, text: str, params: list[str], catalogue: Any) -> None:
        self.catalogue = catalogue
        self.text = text
        self.params = params
        self.count = 0
        self.has_x = False

    def token(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.text, node) or type(node).__name__

    def build(self, node: ast.AST, depth: int) -> Node:
        self.count += 1
        at = getattr(node, "col_offset", 0)
        if depth > MAX_DEPTH:
            raise _fail(self.text, at, f"nested deeper than {MAX_DEPTH} levels")
        if self.count > MAX_NODES:
            raise _fail(self.text, at, f"more than {MAX_NODES} terms")
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise _fail(self.text, at, f"{self.token(node)!r} is no number")
            if NUMBER.fullmatch(self.token(node)) is None:  # 1_000, 0x10, 1j: not numbers as actcli reads them
                raise _fail(self.text, at, f"{self.token(node)!r} is no number as actcli reads them")
            return Node("num", (float(self.token(node)),), at)
        if isinstance(node, ast.Name):
            return self.name(node.id, at)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self.build(node.operand, depth + 1)
            return Node("neg", (inner,), at) if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return Node(_BINARY[type(node.op)], (self.build(node.left, depth + 1), self.build(node.right, depth + 1)), at)
        if isinstance(node, ast.Call):
            return self.call(node, depth, at)
        if isinstance(node, ast.Compare):
            raise _fail(self.text, at, f"a comparison ({self.token(node)!r}) outside where(...)")
        raise _fail(self.text, at, f"{self.token(node)!r} is not allowed in a formula")

    def name(self, name: str, at: int) -> Node:
        if name == "x":
            self.has_x = True
            return Node("x", (), at)
        if name in CONSTANTS:
            return Node("num", (CONSTANTS[name],), at)
        if name in UNARY or name in SPECIAL or self.catalogue.INDEX.get(self.catalogue.normalise(name)) is not None:
            raise _fail(self.text, at, f"{name} is a function: write {name}(...)")
        if name.startswith("_"):
            raise _fail(self.text, at, f"{name!r} is not allowed in a formula")
        if name not in self.params:
            self.params.append(name)
        return Node("param", (name,), at)

    def call(self, node: ast.Call, depth: int, at: int) -> Node:
        if not isinstance(node.func, ast.Name):
            raise _fail(self.text, at, f"{self.token(node.func)!r} is not a function of formulas")
        name = node.func.id
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            raise _fail(self.text, at, f"{name}: no * or ** arguments")
        if name in UNARY or name in SPECIAL:
            want = 1 if name in UNARY else SPECIAL[name]
            if node.keywords or len(node.args) != want:
                raise _fail(self.text, at, f"{name} takes {want} argument{'s' * (want > 1)}, got "
                                           f"{len(node.args) + len(node.keywords)}")
            if name == "where":
                cond = node.args[0]
                if not (isinstance(cond, ast.Compare) and len(cond.ops) == 1 and type(cond.ops[0]) in _COMPARE):
                    raise _fail(self.text, getattr(cond, "col_offset", at),
                                "where's first argument is one comparison (< <= > >=)")
                test = Node("cmp", (_COMPARE[type(cond.ops[0])], self.build(cond.left, depth + 1),
                                    self.build(cond.comparators[0], depth + 1)), cond.col_offset)
                return Node("call", ("where", test, *(self.build(a, depth + 1) for a in node.args[1:])), at)
            return Node("call", (name, *(self.build(a, depth + 1) for a in node.args)), at)
        found = self.catalogue.INDEX.get(self.catalogue.normalise(name))
        if found is None:
            raise _fail(self.text, at, f"unknown function {name!r}{_suggest(name, self.catalogue.all_names())}")
        d, preset = found
        if d.vector:
            raise _fail(self.text, at, f"{name} is a vector function: it has no place inside a formula")
        if not node.args:
            raise _fail(self.text, at, f"{name} needs its input first: {name}(x, ...)")
        inner = self.build(node.args[0], depth + 1)
        args = [self.value(a) for a in node.args[1:]]
        kwargs = {k.arg: self.value(k.value) for k in node.keywords}
        return Node("act", (d, dict(preset), tuple(args), tuple(kwargs.items()), inner, self.catalogue), at)

    def value(self, node: ast.AST) -> Any:
        """A catalogue function's parameter: a number, a string, true/false, or a formula parameter."""
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, bool)):
            return node.value
        if isinstance(node, ast.Name) and node.id in ("true", "false", "none", "tanh"):
            return {"true": True, "false": False}.get(node.id, node.id)
        built = self.build(node, 1)
        if built.op == "num":
            return built.args[0]
        if built.op == "neg" and built.args[0].op == "num":
            return -built.args[0].args[0]
        if built.op == "param":
            return built
        raise _fail(self.text, getattr(node, "col_offset", 0),
                    f"a parameter of a catalogue function is a number or a name, not {self.token(node)!r}")


def _suggest(name: str, catalogue_names: list[str]) -> str:
    import difflib

    names = [*UNARY, *SPECIAL, *CONSTANTS, *catalogue_names]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    return f"; did you mean {', '.join(close)}?" if close else ""


# ---------------------------------------------------------------- float64
Array = np.ndarray


def _erf(z: Array) -> Array:
    """erf in float64: a Taylor series below 0.5 (no cancellation), 1 - erfc above."""
    from .numerics import ndtr

    a = np.abs(z)
    small = np.zeros_like(z)
    term = z.copy()
    zz = z * z
    for n in range(14):
        small = small + term / (2 * n + 1)
        term = term * (-zz) / (n + 1)
    big = np.sign(z) * (1.0 - 2.0 * ndtr(-a * math.sqrt(2.0)))
    return np.where(a < 0.5, small * (2.0 / math.sqrt(math.pi)), big)


def _erfc(z: Array) -> Array:
    from .numerics import ndtr

    return np.where(z < 0.5, 1.0 - _erf(np.minimum(z, 0.5)), 2.0 * ndtr(-z * math.sqrt(2.0)))


_F64: dict[str, Callable[[Array], Array]] = {
    "exp": np.exp, "log": np.log, "log1p": np.log1p, "expm1": np.expm1, "sqrt": np.sqrt, "sin": np.sin,
    "cos": np.cos, "tan": np.tan, "tanh": np.tanh, "sinh": np.sinh, "cosh": np.cosh, "atan": np.arctan,
    "erf": _erf, "erfc": _erfc, "abs": np.abs, "sign": np.sign,
}


def _slope_of(name: str, a: Array, v: Array) -> Array:
    """d name(a) / da, given v = name(a)."""
    if name == "exp":
        return v
    if name == "log":
        return 1.0 / a
    if name == "log1p":
        return 1.0 / (1.0 + a)
    if name == "expm1":
        return v + 1.0
    if name == "sqrt":
        return 0.5 / v
    if name == "sin":
        return np.cos(a)
    if name == "cos":
        return -np.sin(a)
    if name == "tan":
        return 1.0 + v * v
    if name == "tanh":
        return 1.0 - v * v
    if name == "sinh":
        return np.cosh(a)
    if name == "cosh":
        return np.sinh(a)
    if name == "atan":
        return 1.0 / (1.0 + a * a)
    if name in ("erf", "erfc"):
        return (2.0 / math.sqrt(math.pi)) * np.exp(-a * a) * (1.0 if name == "erf" else -1.0)
    if name == "abs":
        return np.sign(a)  # (0 at 0, as PyTorch)
    return np.zeros_like(a)  # sign


class Bound(NamedTuple):
    """A formula with its parameters' values: what evaluates."""

    formula: Formula
    params: Mapping[str, float]

    def value(self, x: Array) -> Array:
        return _eval(self.formula.tree, x, self.params, False)[0]

    def slope(self, x: Array) -> Array:
        return _eval(self.formula.tree, x, self.params, True)[1]


def _activation(node: Node, params: Mapping[str, float]) -> Any:
    from .activation import Activation

    d, preset, args, kwargs, _, catalogue = node.args
    bind = catalogue.bind
    resolved_args = [params[a.args[0]] if isinstance(a, Node) else a for a in args]
    resolved_kwargs = {k: (params[v.args[0]] if isinstance(v, Node) else v) for k, v in kwargs}
    positional = {p.name for p in d.params[: len(resolved_args)]}
    merged = {k: v for k, v in preset.items() if k not in resolved_kwargs and k not in positional}
    return Activation(d, bind(d, resolved_args, {**merged, **resolved_kwargs}))


def _eval(node: Node, x: Array, params: Mapping[str, float], grad: bool) -> tuple[Array, Array]:
    """(value, derivative) of the tree at x; the derivative is zeros unless ``grad``."""
    op, args = node.op, node.args
    zero = np.zeros_like(x)
    if op == "num":
        return np.full_like(x, args[0]), zero
    if op == "x":
        return x, np.ones_like(x)
    if op == "param":
        return np.full_like(x, params[args[0]]), zero
    if op == "neg":
        v, d = _eval(args[0], x, params, grad)
        return -v, -d
    if op in ("+", "-", "*", "/", "**"):
        (a, da), (b, db) = _eval(args[0], x, params, grad), _eval(args[1], x, params, grad)
        if op == "+":
            return a + b, da + db
        if op == "-":
            return a - b, da - db
        if op == "*":
            return a * b, (a * db + b * da) if grad else zero
        if op == "/":
            q = a / b
            return q, ((da - q * db) / b) if grad else zero
        v = a**b
        if not grad:
            return v, zero
        if args[1].op == "num" or not np.any(db):  # a constant power: no log of a negative base
            return v, np.where(db == 0, b * a ** (b - 1) * da, v * (db * np.log(a) + b * da / a))
        return v, v * (db * np.log(a) + b * da / a)
    if op == "call":
        name = args[0]
        if name == "where":
            cmp, (l, _), (r, _) = args[1].args[0], _eval(args[1].args[1], x, params, False), _eval(args[1].args[2], x, params, False)
            test = {"<": l < r, "<=": l <= r, ">": l > r, ">=": l >= r}[cmp]
            (a, da), (b, db) = _eval(args[2], x, params, grad), _eval(args[3], x, params, grad)
            return np.where(test, a, b), np.where(test, da, db)
        if name in ("min", "max"):
            (a, da), (b, db) = _eval(args[1], x, params, grad), _eval(args[2], x, params, grad)
            first = a < b if name == "min" else a > b
            v = np.where(first, a, b)
            v = np.where(np.isnan(a) | np.isnan(b), np.nan, v)
            return v, np.where(a == b, (da + db) / 2, np.where(first, da, db))  # (a tie: half each, as PyTorch)
        if name == "clip":
            (a, da), (lo, _), (hi, _) = (_eval(n, x, params, grad) for n in args[1:])
            v = np.minimum(np.maximum(a, lo), hi)
            return v, np.where((a >= lo) & (a <= hi), da, 0.0)  # (1 at the bounds, as torch.clamp)
        a, da = _eval(args[1], x, params, grad)
        v = _F64[name](a)
        return v, (_slope_of(name, a, v) * da) if grad else zero
    if op == "act":
        act = _activation(node, params)
        a, da = _eval(args[4], x, params, grad)
        return np.asarray(act(a), dtype=np.float64), (np.asarray(act.grad(a), dtype=np.float64) * da) if grad else zero
    raise AssertionError(op)


# ------------------------------------------------------------------ mpmath
def reference(mp: Any, x: Any, formula: Formula, params: Mapping[str, float]) -> Any:
    """The formula in mpmath at the current precision (catalogue functions by their references)."""
    return _ref(mp, formula.tree, x, params)


def _ref(mp: Any, node: Node, x: Any, params: Mapping[str, float]) -> Any:
    op, args = node.op, node.args
    if op == "num":
        return mp.mpf(args[0])
    if op == "x":
        return x
    if op == "param":
        return mp.mpf(params[args[0]])
    if op == "neg":
        return -_ref(mp, args[0], x, params)
    if op in ("+", "-", "*", "/", "**"):
        a, b = _ref(mp, args[0], x, params), _ref(mp, args[1], x, params)
        if op == "/" and b == 0:
            return mp.nan if a == 0 or mp.isnan(a) else mp.inf * mp.sign(a)  # (IEEE, as float64 gives)
        return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b,
                "**": lambda: mp.power(a, b)}[op]()
    if op == "call":
        name = args[0]
        if name == "where":
            cmp, l, r = args[1].args[0], _ref(mp, args[1].args[1], x, params), _ref(mp, args[1].args[2], x, params)
            test = {"<": l < r, "<=": l <= r, ">": l > r, ">=": l >= r}[cmp]
            return _ref(mp, args[2] if test else args[3], x, params)
        values = [_ref(mp, a, x, params) for a in args[1:]]
        if name == "min":
            return min(values)
        if name == "max":
            return max(values)
        if name == "clip":
            return min(max(values[0], values[1]), values[2])
        fn = {"abs": abs, "sign": mp.sign, "atan": mp.atan}.get(name) or getattr(mp, name)
        return fn(values[0])
    if op == "act":
        act = _activation(node, params)
        return act.definition.reference(mp, _ref(mp, args[4], x, params), **act.params)
    raise AssertionError(op)


# ------------------------------------------------------------------- text
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "**": 4}


def latex(node: Node) -> str:
    """The formula typeset (for plot titles and `info`)."""
    op, args = node.op, node.args
    if op == "num":
        v = args[0]
        return {math.pi: r"\pi", math.e: "e"}.get(v, f"{v:.12g}")
    if op == "x":
        return "x"
    if op == "param":
        return args[0] if len(args[0]) == 1 else rf"\mathrm{{{args[0]}}}"
    if op == "neg":
        return "-" + _wrap(args[0], 3)
    if op == "/":
        return rf"\frac{{{latex(args[0])}}}{{{latex(args[1])}}}"
    if op == "**":
        return f"{_wrap(args[0], 5)}^{{{latex(args[1])}}}"
    if op in ("+", "-", "*"):
        p = _PRECEDENCE[op]
        sign = {"+": " + ", "-": " - ", "*": r" \cdot "}[op]
        return _wrap(args[0], p) + sign + _wrap(args[1], p + (op == "-"))
    if op == "cmp":
        relation = {"<": "<", "<=": r"\le", ">": ">", ">=": r"\ge"}[args[0]]
        return f"{latex(args[1])} {relation} {latex(args[2])}"
    if op == "call":
        name, inner = args[0], [latex(a) for a in args[1:]]
        if name == "abs":
            return rf"\left|{inner[0]}\right|"
        if name == "sqrt":
            return rf"\sqrt{{{inner[0]}}}"
        if name == "where":
            return rf"\begin{{cases}} {inner[1]} & {inner[0]} \\ {inner[2]} & \text{{otherwise}} \end{{cases}}"
        return rf"\operatorname{{{name}}}\left({', '.join(inner)}\right)"
    if op == "act":
        d, _, a, kw, inner, _ = args
        extra = [str(v.args[0] if isinstance(v, Node) else v) for v in a] + [f"{k}={v.args[0] if isinstance(v, Node) else v}" for k, v in kw]
        name = d.name.replace("_", r"\_")
        return rf"\operatorname{{{name}}}\left({', '.join([latex(inner), *extra])}\right)"
    raise AssertionError(op)


def _wrap(node: Node, level: int) -> str:
    p = _PRECEDENCE.get(node.op, 9)
    text = latex(node)
    return rf"\left({text}\right)" if p < level else text


def kinks_of(formula: Formula) -> list[str]:
    """The functions in the formula that make kinks or jumps (abs, sign, min, max, clip,
    where, and catalogue functions with kinks): where its derivative may jump."""
    found: list[str] = []

    def walk(n: Any) -> None:
        if not isinstance(n, Node):
            return
        if n.op == "call" and n.args[0] in ("abs", "sign", "min", "max", "clip", "where"):
            found.append(n.args[0])
        if n.op == "act":
            if n.args[0].breaks(n.args[5].examples(n.args[0])[0]):
                found.append(n.args[0].name)
        for a in n.args[:5] if n.op == "act" else n.args:
            walk(a)

    walk(formula.tree)
    return list(dict.fromkeys(found))


# --------------------------------------------------------------- catalogue
def definition(text: str, catalogue: Any) -> Any:
    """A catalogue :class:`~actcli.model.Definition` for the formula in ``text``, so that
    every command and the API take it as they take a catalogue entry."""
    return _definition(text.strip(), catalogue)


@functools.lru_cache(maxsize=64)  # (commands resolve the same text several times)
def _definition(text: str, catalogue: Any) -> Any:
    from .model import Definition, Interval, Param

    f = parse(text, catalogue)
    sample = np.concatenate([np.linspace(-10.0, 10.0, 4001), [-1e3, -100.0, 100.0, 1e3]])

    def measured(p: Mapping[str, Any]) -> tuple[Array, Array]:
        with np.errstate(all="ignore"):
            b = Bound(f, p)
            return b.value(sample), b.slope(sample)

    def output_range(p: Mapping[str, Any]) -> Interval:
        """An estimate: the extremes of the sample, or ±inf where they lie at its far ends."""
        y, _ = measured(p)
        ok = np.isfinite(y)
        if not ok.any():
            return Interval(math.nan, math.nan)
        lo, hi = float(y[ok].min()), float(y[ok].max())
        far = y[-4:]  # at -1000, -100, 100, 1000: growing tenfold out there (by a fifth or more): no bound
        with np.errstate(all="ignore"):
            grows = [bool(abs(far[i]) > 1.2 * abs(far[j]) and abs(far[i]) > 1) for i, j in ((0, 1), (3, 2))]
        ends = [v for v, g in zip((far[0], far[3]), grows) if g]
        lo = -math.inf if any(v < 0 for v in ends) else lo
        hi = math.inf if any(v > 0 for v in ends) else hi
        return Interval(lo, hi, math.isfinite(lo), math.isfinite(hi))

    def monotonic(p: Mapping[str, Any]) -> bool:
        _, dy = measured(p)
        return bool(np.all(dy[np.isfinite(dy)] >= 0))

    def zero_centred(p: Mapping[str, Any]) -> bool:
        y, _ = measured(p)
        with np.errstate(all="ignore"):
            odd = Bound(f, p).value(-sample)
        return bool(np.allclose(odd, -y, rtol=1e-12, atol=0, equal_nan=True))

    params = tuple(Param(name, None, "a parameter of the formula", example=1.0) for name in f.params)
    kinky = kinks_of(f)
    return Definition(
        name=f.text,
        family="formula",
        summary="a formula, evaluated in float64 as written",
        forward=lambda x, **p: Bound(f, p).value(x),
        derivative=lambda x, **p: Bound(f, p).slope(x),
        formula=f.text,
        latex=latex(f.tree),
        dformula=as_text(slope_tree(f.tree)),
        dlatex=latex(slope_tree(f.tree)),
        output_range=output_range,
        monotonic=monotonic,
        zero_centred=zero_centred,
        params=params,
        description=("Evaluated in float64 as written, node by node; measured properties come from 4,005 "
                     "points on [-10, 10] and at ±100, ±1000."),
        notes=((f"kinks or jumps may come from: {', '.join(kinky)} (where the derivative follows PyTorch)",)
               if kinky else ()),
        reference=lambda mp, x, **p: reference(mp, x, f, p),
        symbols={name: name for name in f.params},
    )


# --------------------------------------------------------- symbolic slope
def _num(v: float) -> Node:
    return Node("num", (float(v),))


def _is(node: Node, v: float) -> bool:
    return node.op == "num" and node.args[0] == v


def _both(a: Node, b: Node) -> bool:
    return a.op == "num" and b.op == "num"


def _add(a: Node, b: Node) -> Node:
    if _both(a, b):
        return _num(a.args[0] + b.args[0])
    return b if _is(a, 0) else a if _is(b, 0) else Node("+", (a, b))


def _sub(a: Node, b: Node) -> Node:
    if _both(a, b):
        return _num(a.args[0] - b.args[0])
    return a if _is(b, 0) else Node("neg", (b,)) if _is(a, 0) else Node("-", (a, b))


def _mul(a: Node, b: Node) -> Node:
    if _both(a, b):
        return _num(a.args[0] * b.args[0])
    if _is(a, 0) or _is(b, 0):
        return _num(0)
    if _is(a, -1) or _is(b, -1):
        return Node("neg", (b if _is(a, -1) else a,))
    return b if _is(a, 1) else a if _is(b, 1) else Node("*", (a, b))


def _div(a: Node, b: Node) -> Node:
    return _num(0) if _is(a, 0) else a if _is(b, 1) else Node("/", (a, b))


def _pow(a: Node, b: Node) -> Node:
    if _both(a, b):
        return _num(a.args[0] ** b.args[0])
    return a if _is(b, 1) else Node("**", (a, b))


def _call(name: str, *args: Node) -> Node:
    return Node("call", (name, *args))


def _elementary_slope(name: str, a: Node) -> Node:
    """d name(a) / da as a tree."""
    table = {
        "exp": lambda: _call("exp", a), "log": lambda: _div(_num(1), a), "log1p": lambda: _div(_num(1), _add(_num(1), a)),
        "expm1": lambda: _call("exp", a), "sqrt": lambda: _div(_num(1), _mul(_num(2), _call("sqrt", a))),
        "sin": lambda: _call("cos", a), "cos": lambda: Node("neg", (_call("sin", a),)),
        "tan": lambda: _add(_num(1), Node("**", (_call("tan", a), _num(2)))),
        "tanh": lambda: _sub(_num(1), Node("**", (_call("tanh", a), _num(2)))),
        "sinh": lambda: _call("cosh", a), "cosh": lambda: _call("sinh", a),
        "atan": lambda: _div(_num(1), _add(_num(1), Node("**", (a, _num(2))))),
        "erf": lambda: _mul(_div(_num(2), _call("sqrt", Node("num", (math.pi,)))), _call("exp", Node("neg", (Node("**", (a, _num(2))),)))),
        "abs": lambda: _call("sign", a), "sign": lambda: _num(0),
    }
    if name == "erfc":
        return Node("neg", (table["erf"](),))
    return table[name]()


def slope_tree(node: Node) -> Node:
    """d/dx of a formula as a formula (for `info`; kinks as the numeric derivative takes them,
    catalogue functions as their derivative, written ``name'(...)``)."""
    op, args = node.op, node.args
    if op in ("num", "param"):
        return _num(0)
    if op == "x":
        return _num(1)
    if op == "neg":
        inner = slope_tree(args[0])
        if inner.op == "num":
            return _num(-inner.args[0])
        return inner.args[0] if inner.op == "neg" else Node("neg", (inner,))
    if op in ("+", "-"):
        return (_add if op == "+" else _sub)(slope_tree(args[0]), slope_tree(args[1]))
    if op == "*":
        return _add(_mul(slope_tree(args[0]), args[1]), _mul(args[0], slope_tree(args[1])))
    if op == "/":
        top = _sub(_mul(slope_tree(args[0]), args[1]), _mul(args[0], slope_tree(args[1])))
        return _div(top, _pow(args[1], _num(2)))
    if op == "**":
        a, b = args
        da, db = slope_tree(a), slope_tree(b)
        if _is(db, 0):
            return _mul(_mul(b, _pow(a, _sub(b, _num(1)))), da)
        return _mul(node, _add(_mul(db, _call("log", a)), _div(_mul(b, da), a)))
    if op == "call":
        name = args[0]
        if name == "where":
            return Node("call", ("where", args[1], slope_tree(args[2]), slope_tree(args[3])))
        if name in ("min", "max"):
            a, b = args[1], args[2]
            test = Node("cmp", ("<" if name == "min" else ">", a, b))
            return Node("call", ("where", test, slope_tree(a), slope_tree(b)))
        if name == "clip":
            a = args[1]
            inside = Node("call", ("where", Node("cmp", ("<", a, args[2])), _num(0),
                                   Node("call", ("where", Node("cmp", (">", a, args[3])), _num(0), slope_tree(a)))))
            return inside
        return _mul(_elementary_slope(name, args[1]), slope_tree(args[1]))
    if op == "act":
        d, preset, a, kw, inner, catalogue = args
        prime = Node("act", (d._replace(name=d.name + "'"), preset, a, kw, inner, catalogue))
        return _mul(prime, slope_tree(inner))
    raise AssertionError(op)


def as_text(node: Node) -> str:
    """A tree as a formula again (plain text)."""
    op, args = node.op, node.args
    if op == "num":
        v = args[0]
        return {math.pi: "pi", math.e: "e"}.get(v, repr(v).removesuffix(".0"))
    if op == "x":
        return "x"
    if op == "param":
        return args[0]
    if op == "neg":
        return "-" + _text_wrap(args[0], 3)
    if op in ("+", "-", "*", "/", "**"):
        p = _PRECEDENCE[op]
        right = p + (op in ("-", "/")) if op != "**" else p
        return _text_wrap(args[0], p + (op == "**")) + f" {op} " + _text_wrap(args[1], right)
    if op == "cmp":
        return f"{as_text(args[1])} {args[0]} {as_text(args[2])}"
    if op == "call":
        return f"{args[0]}({', '.join(as_text(a) for a in args[1:])})"
    if op == "act":
        d, _, a, kw, inner, _ = args
        extra = [str(v.args[0] if isinstance(v, Node) else v) for v in a]
        extra += [f"{k}={v.args[0] if isinstance(v, Node) else repr(v)}" for k, v in kw]
        return f"{d.name}({', '.join([as_text(inner), *extra])})"
    raise AssertionError(op)


def _text_wrap(node: Node, level: int) -> str:
    return f"({as_text(node)})" if _PRECEDENCE.get(node.op, 9) < level else as_text(node)
