"""Shared ending of the generators: write the file, or with --check say whether it is current."""

from __future__ import annotations

import sys
from pathlib import Path


def write_or_check(target: Path, text: str, what: str, command: str) -> int:
    """Exit status: with --check, 1 if ``target`` differs from ``text``; else write it."""
    if "--check" in sys.argv:
        stale = not target.exists() or target.read_text() != text
        print(f"{what} is stale: run {command}" if stale else f"{what} is current")
        return 1 if stale else 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    print(f"wrote {target.relative_to(Path(__file__).resolve().parent.parent)}")
    return 0
