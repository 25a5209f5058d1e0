"""The one number grammar, shared by function specs, arguments and stdin.

Accepted: optional sign, decimal digits with an optional point, optional exponent
(``1``, ``-2.5``, ``.5``, ``5.``, ``1e-3``, ``-1E+300``), and ``nan``, ``inf``,
``infinity`` in any case with an optional sign. Rejected, unlike Python's ``float()``:
digit separators (``1_000``), non-ASCII digits, hexadecimal, surrounding junk.
Magnitudes beyond float64 round as IEEE 754 does: ``1e400`` is ``inf``, ``1e-400`` is ``0``.
"""

from __future__ import annotations

import re

NUMBER = re.compile(r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|(?i:infinity|inf|nan))", re.ASCII)
NEGATIVE_NUMBER = re.compile(r"-(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|(?i:infinity|inf|nan))", re.ASCII)


class NumberError(ValueError):
    """A token that is not a number in actcli's grammar."""

    def __init__(self, token: str, where: str = "") -> None:
        self.token = token
        super().__init__(f"not a number: {token!r}{where}")


def parse_number(token: str, where: str = "") -> float:
    if NUMBER.fullmatch(token) is None:
        raise NumberError(token, where)
    return float(token)


def is_negative_number(token: str) -> bool:
    """True for '-1', '-1e-3', '-.5', '-inf': arguments, not options."""
    return NEGATIVE_NUMBER.fullmatch(token) is not None
