"""The malloc settings for long inputs: applied once, where glibc is, and harmless elsewhere."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import actcli
from actcli import heap


def test_a_long_input_tunes_the_heap_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, int]] = []
    monkeypatch.setattr(heap, "_tuned", False)
    monkeypatch.setattr(sys, "platform", "linux")

    class FakeLibc:
        def mallopt(self, option: int, value: int) -> int:
            calls.append((option, value))
            return 1

    import ctypes

    monkeypatch.setattr(ctypes, "CDLL", lambda name: FakeLibc())
    actcli.get("relu")(np.zeros(10))  # short: evaluated in one piece, nothing to tune
    assert calls == []
    x = np.linspace(-5, 5, 100_000)
    assert np.array_equal(actcli.get("relu")(x), np.maximum(x, 0.0))
    actcli.get("relu")(x)
    assert sorted(calls) == [(-3, 32 << 20), (-2, 16 << 20), (-1, 64 << 20)]  # all three, once


def test_elsewhere_nothing_is_called(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(heap, "_tuned", False)
    monkeypatch.setattr(sys, "platform", "darwin")
    import ctypes

    def no_loading(name: object) -> None:
        raise AssertionError("ctypes must not be used off Linux")

    monkeypatch.setattr(ctypes, "CDLL", no_loading)
    heap.keep_freed_memory()
    assert heap._tuned


def test_no_c_library_is_no_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(heap, "_tuned", False)
    monkeypatch.setattr(sys, "platform", "linux")
    import ctypes

    def missing(name: object) -> None:
        raise OSError("no libc here")

    monkeypatch.setattr(ctypes, "CDLL", missing)
    heap.keep_freed_memory()  # must not raise
