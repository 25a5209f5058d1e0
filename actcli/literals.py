"""Number literals: the one grammar for numbers in specs, arguments, options and stdin.

Accepted: optional sign, decimal digits with an optional point, optional exponent
(``1``, ``-2.5``, ``.5``, ``5.``, ``1e-3``, ``-1E+300``), and ``nan``, ``inf``,
``infinity`` in any case with an optional sign. Rejected, unlike Python's ``float()``:
digit separators (``1_000``), non-ASCII digits, hexadecimal, surrounding junk.
Magnitudes beyond float64 round as IEEE 754 does: ``1e400`` is ``inf``, ``1e-400`` is ``0``.

The patterns use possessive quantifiers, so that no input makes them backtrack: a long
run of digits followed by a bad character fails in linear time.
"""

from __future__ import annotations

import re

#: A finite decimal number without its sign.
FINITE = r"(?:[0-9]++(?:\.[0-9]*+)?+|\.[0-9]++)(?:[eE][+-]?+[0-9]++)?+"
#: Any number without its sign.
MAGNITUDE = rf"(?:{FINITE}|(?i:inf(?:inity)?+|nan))"
#: Any number.
PATTERN = rf"[+-]?+{MAGNITUDE}"

NUMBER = re.compile(PATTERN, re.ASCII)
NEGATIVE_NUMBER = re.compile(rf"-{MAGNITUDE}", re.ASCII)


def shorten(text: str, limit: int = 40) -> str:
    """repr(text), cut in the middle past ``limit`` characters: error messages name the
    culprit without echoing megabytes of it."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[: limit * 2 // 3]!r}...{text[-(limit // 3):]!r} ({len(text):,} characters)"


class NumberError(ValueError):
    """A token that is not a number in actcli's grammar."""

    def __init__(self, token: str, where: str = "") -> None:
        self.token = token
        super().__init__(f"not a number: {shorten(token)}{where}")


def parse_number(token: str, where: str = "") -> float:
    """The float that ``token`` stands for; :class:`NumberError` naming it (and ``where``) if none."""
    if NUMBER.fullmatch(token) is None:
        raise NumberError(token, where)
    return float(token)


def is_negative_number(token: str) -> bool:
    """True for '-1', '-1e-3', '-.5', '-inf': arguments, not options."""
    return NEGATIVE_NUMBER.fullmatch(token) is not None
