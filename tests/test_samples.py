"""sample_outputs/ never goes stale: the text samples are regenerated and compared, to the
last digits that one CPU's NumPy may print differently from another's."""

from __future__ import annotations

import math
import os
import re
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import make_samples  # noqa: E402

# A number as the samples print it: shortest round-trip, fixed or scientific.
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
# What may differ in width with the numbers: runs of spaces, and a table's rules.
_WIDTH = re.compile(r" +|━+|─+")
# Values differ between CPUs in their last bits (NumPy runs different exp, tanh, ... code
# on AVX-512, AVX2 and ARM): printed numbers are compared to this many ulps; and where
# one of them has the digits of a rounded display (tables print 7 or 10 significant
# digits, terminal plots' labels 4), which may round the other way, to one unit in the
# finer of their last digits too. Shorter numbers ('1.0', '3', '0.2') must agree.
SAMPLE_ULPS = 8
ROUNDED_DIGITS = 4


def _significant(token: str) -> int:
    """How many significant digits a printed number has: 3 for '-0.00123', 2 for '1.0'."""
    mantissa = token.lower().partition("e")[0].lstrip("+-").replace(".", "")
    return len(mantissa.lstrip("0")) or 1


def _last_digit(token: str) -> float:
    """One unit in the last digit of a printed number: 1e-3 for '1.234', 1e-9 for '5e-9'."""
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (int(exponent or 0) - decimals)


def same_up_to_last_bits(a: str, b: str) -> bool:
    """Whether two runs' texts agree: the same words and layout, spaces and rules of any
    width, numbers to SAMPLE_ULPS ulps (plus a last digit where they may be rounded)."""
    words_a, words_b = _NUMBER.split(_WIDTH.sub(" ", a)), _NUMBER.split(_WIDTH.sub(" ", b))
    if words_a != words_b:
        return False
    for x, y in zip(_NUMBER.findall(a), _NUMBER.findall(b)):
        fx, fy = float(x), float(y)
        slack = SAMPLE_ULPS * math.ulp(max(abs(fx), abs(fy)))
        if max(_significant(x), _significant(y)) >= ROUNDED_DIGITS:  # may be a rounded display
            slack += min(_last_digit(x), _last_digit(y))
        if abs(fx - fy) > slack:
            return False
    return True


def test_text_samples_match_a_fresh_run() -> None:
    fresh = make_samples.text_samples()
    committed = {p.name: p.read_text() for p in (ROOT / "sample_outputs" / "text").glob("*.txt")}
    assert sorted(committed) == sorted(fresh), "run: python tools/make_samples.py"
    stale = [name for name in fresh if not same_up_to_last_bits(fresh[name], committed[name])]
    assert stale == [], f"stale samples {stale}: run python tools/make_samples.py"


@pytest.mark.parametrize(("a", "b", "same"), [
    ("x 0.419974341614026\n", "x 0.41997434161402605\n", True),  # one ulp: 15 and 17 digits
    ("1.0 2", "1.0000000000000002 2", True),
    ("-1.433258e-06", "-1.433259e-06", True),  # 7 digits, the last one rounded the other way
    ("-1.433258e-06", "-1.433260e-06", False),
    ("at -1.435", "at 1.435", False),  # the tie this test once missed
    ("  x   y\n ━━━━ \n 1.5  2", " x y\n ━━━━━━━ \n 1.5 2", True),  # wider columns
    ("x 1", "y 1", False),
    ("1 2 3", "1 2", False),
    ("0", "0.9", False),  # short tokens are not loose ones
    ("1 2 3", "1 2 4", False),
    ("1.0", "1.1", False),
    ("-5", "-4", False),
    ("1e-7", "2e-7", False),
    ("leaky_relu(0.2)", "leaky_relu(0.3)", False),
    ("0.123456789", "0.1234567891", True),  # %.10g drops a trailing zero on one side
    ("0.9999", "1", True),  # a 4-digit label rounding up
    ("0.9998", "1", False),
])
def test_sample_comparison(a: str, b: str, same: bool) -> None:
    assert same_up_to_last_bits(a, b) is same


def _pixels_of(image: np.ndarray, colour: str) -> int:
    rgb = np.round(image[..., :3] * 255).astype(int)
    target = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return int(np.all(np.abs(rgb - target) <= 2, axis=-1).sum())


def test_the_sample_pictures_are_all_there_and_drawn() -> None:
    """Exactly the pictures make_samples.py makes, each 11 x 4.2 in at 150 dpi, with a
    curve in the colour of each function drawn (hundreds of pixels of it, not a blank or
    a legend swatch)."""
    from matplotlib.image import imread

    from actcli.drawing.figure import COLOURS

    plots = ROOT / "sample_outputs" / "plots"
    expected = {f"{name}_grad.png": [name] for name in make_samples.SEED_FUNCTIONS} | make_samples.COMPARISONS
    assert sorted(p.name for p in plots.iterdir()) == sorted(expected | make_samples.CRITICAL), \
        "run: python tools/make_samples.py"
    for name, specs in (expected | make_samples.CRITICAL).items():
        image = imread(plots / name)
        assert image.shape[:2] == ((630, 960) if name in make_samples.CRITICAL else (630, 1650)), name
        drawn = [_pixels_of(image, colour) for colour in COLOURS[: len(specs)]]
        assert min(drawn) >= 300, f"{name}: pixels per curve colour {drawn}"


def test_readme_shows_the_samples_verbatim() -> None:
    readme = (ROOT / "README.md").read_text()
    samples = {p.name: p.read_text() for p in (ROOT / "sample_outputs" / "text").glob("*.txt")}
    assert make_samples.readme_with_samples(readme, samples) == readme, "run: python tools/make_samples.py"
    assert readme.count("<!-- sample ") >= 10


def test_catalogue_doc_is_current() -> None:
    import make_docs

    assert (ROOT / "docs" / "catalogue.md").read_text() == make_docs.render(), "run: python tools/make_docs.py"


@pytest.mark.slow
def test_the_samples_do_not_lean_on_this_cpus_last_bits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regenerated with NumPy's exp, tanh, log... one ulp off for a quarter of their inputs
    (tools/perturb: what another CPU's NumPy may return), the samples still match: the
    runs do differ in the last digits, and the comparison and compare's tie rule absorb it."""
    monkeypatch.setenv("ACTCLI_PERTURB", "3")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT / "tools" / "perturb"),
                                                                     os.environ.get("PYTHONPATH")])))
    fresh = make_samples.text_samples()
    committed = {p.name: p.read_text() for p in (ROOT / "sample_outputs" / "text").glob("*.txt")}
    assert [name for name in fresh if fresh[name] != committed[name]], "the perturbation changed nothing"
    assert [name for name in fresh if not same_up_to_last_bits(fresh[name], committed[name])] == []


def test_the_readmes_python_examples_run() -> None:
    """The README's ```pycon blocks, run as doctests."""
    import doctest

    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```pycon\n(.*?)```", readme, re.DOTALL)
    assert blocks, "no Python example in the README"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for i, block in enumerate(blocks):
        runner.run(doctest.DocTestParser().get_doctest(block, {}, f"README block {i}", "README.md", 0))
    assert runner.summarize(verbose=False).failed == 0
