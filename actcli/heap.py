"""Keep freed heap memory in the process while long inputs are evaluated block by block.

Each block of a long input makes dozens of 128 KiB temporaries. With glibc's default
settings those sit right at its mmap threshold, and memory freed at the top of the heap
goes back to the OS at once, so every block page-faults its temporaries in afresh:
measured here, gelu's tail took 38 ns per value that way against 14 ns with the
settings below (benchmarks/run.py shows the effect on whole functions). The settings
only let the process keep up to 64 MiB it has freed for reuse; nothing else changes.
"""

from __future__ import annotations

import sys

_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3
_tuned = False


def keep_freed_memory() -> None:
    """Tune glibc's malloc once per process (elsewhere, or without mallopt, do nothing)."""
    global _tuned
    if _tuned:
        return
    _tuned = True
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc, or no C library to load
        return
    # All three together: a trim threshold alone switches off glibc's adaptive mmap
    # threshold, and every temporary would then be a fresh mmap (slower still).
    mallopt(_M_MMAP_THRESHOLD, 32 << 20)
    mallopt(_M_TRIM_THRESHOLD, 64 << 20)
    mallopt(_M_TOP_PAD, 16 << 20)
