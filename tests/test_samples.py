"""sample_outputs/ never goes stale: the text samples are regenerated and compared."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import make_samples  # noqa: E402


def test_text_samples_match_a_fresh_run() -> None:
    fresh = make_samples.text_samples()
    committed = {p.name: p.read_text() for p in (ROOT / "sample_outputs" / "text").glob("*.txt")}
    assert sorted(committed) == sorted(fresh), "run: python tools/make_samples.py"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert stale == [], f"stale samples {stale}: run python tools/make_samples.py"


def test_every_seed_function_has_a_picture() -> None:
    plots = ROOT / "sample_outputs" / "plots"
    for name in make_samples.SEED_FUNCTIONS:
        assert (plots / f"{name}_grad.png").stat().st_size > 10_000, name
    for name in make_samples.COMPARISONS:
        assert (plots / name).exists(), name


def test_readme_shows_the_samples_verbatim() -> None:
    readme = (ROOT / "README.md").read_text()
    samples = {p.name: p.read_text() for p in (ROOT / "sample_outputs" / "text").glob("*.txt")}
    assert make_samples.readme_with_samples(readme, samples) == readme, "run: python tools/make_samples.py"
    assert readme.count("<!-- sample ") >= 10


def test_catalogue_doc_is_current() -> None:
    import make_docs

    assert (ROOT / "docs" / "catalogue.md").read_text() == make_docs.render(), "run: python tools/make_docs.py"
