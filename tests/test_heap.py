"""The malloc settings for long inputs: applied once, where glibc is, and harmless elsewhere."""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

import numpy as np
import pytest

import actcli
from actcli import heap


@pytest.fixture
def fresh_heap(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, Callable[[object], object]], None]:
    """Untuned, on the given platform, with ctypes.CDLL replaced."""

    def setup(platform: str, cdll: Callable[[object], object]) -> None:
        monkeypatch.setattr(heap, "_tuned", False)
        monkeypatch.setattr(sys, "platform", platform)
        monkeypatch.setattr(ctypes, "CDLL", cdll)

    return setup


def test_a_long_input_tunes_the_heap_once(fresh_heap: Callable[..., None]) -> None:
    calls: list[tuple[int, int]] = []

    class FakeLibc:
        def mallopt(self, option: int, value: int) -> int:
            calls.append((option, value))
            return 1

    fresh_heap("linux", lambda name: FakeLibc())
    actcli.get("relu")(np.zeros(10))  # short: evaluated in one piece, nothing to tune
    assert calls == []
    x = np.linspace(-5, 5, 100_000)
    assert np.array_equal(actcli.get("relu")(x), np.maximum(x, 0.0))
    actcli.get("relu")(x)
    assert sorted(calls) == [(-3, 32 << 20), (-2, 16 << 20), (-1, 64 << 20)]  # all three, once


def test_elsewhere_nothing_is_called(fresh_heap: Callable[..., None]) -> None:
    loaded: list[object] = []
    fresh_heap("darwin", loaded.append)
    heap.keep_freed_memory()
    assert loaded == [] and heap._tuned


def test_no_c_library_is_no_error(fresh_heap: Callable[..., None]) -> None:
    def missing(name: object) -> object:
        raise OSError("no libc here")

    fresh_heap("linux", missing)
    heap.keep_freed_memory()  # must not raise
    assert heap._tuned
