"""Write docs/catalogue.md from the catalogue (a test fails when it is stale).

    python tools/make_docs.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import actcli  # noqa: E402
from actcli.definitions import FAMILIES, examples  # noqa: E402
from generated import write_or_check  # noqa: E402

TARGET = ROOT / "docs" / "catalogue.md"
TITLES = {"rectifier": "Rectifiers", "squashing": "Squashing and shrinking", "gate": "Smooth gates",
          "vector": "Vector-valued (along the last axis)"}


def render() -> str:
    out = ["# The catalogue", "",
           "Generated from `actcli/definitions/` by `python tools/make_docs.py`. Ranges, kinks and",
           "conventions are for the default parameters (a required one at the example value given);",
           "`actcli info 'NAME(k=v)'` shows them for others.",
           ""]
    for family in FAMILIES:
        out += [f"## {TITLES[family]}", "",
                "| name | aliases | parameters | range | monotonic | kinks | derivative at kinks | PyTorch / JAX / Keras |",
                "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for d in actcli.catalogue():
            if d.family != family:
                continue
            params = examples(d)[0]  # defaults; required parameters at their example values
            info = actcli.Activation(d, params).info
            props = info["properties"]
            plist = "<br>".join(f"`{p.name}={p.default}`" if p.default is not None
                                else f"`{p.name}` (required; e.g. {p.example:g})"
                                for p in d.params) or "—"
            kinks = ", ".join(f"{k:g}" for k in props["kinks"]) or "—"
            eq = "<br>".join(f"`{v}`" for v in (d.torch, d.jax, d.keras) if v) or "—"
            conv = "<br>".join(info["conventions"]) or "—"
            aliases = ", ".join(f"`{a}`" for a in d.aliases) or "—"
            out.append(f"| **{d.name}** | {aliases} | {plist} | {props['range']} | "
                       f"{'yes' if props['monotonic'] else 'no'} | {kinks} | {conv} | {eq} |")
        out.append("")
        for d in actcli.catalogue():
            if d.family == family:
                out.append(f"- **{d.name}**: {d.description}")
        out.append("")
    return "\n".join(out)


def main() -> int:
    return write_or_check(TARGET, render(), "docs/catalogue.md", "python tools/make_docs.py")


if __name__ == "__main__":
    raise SystemExit(main())
