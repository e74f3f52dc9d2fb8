"""The process's heap: the collector paused for a whole read, freed memory given back."""

from __future__ import annotations

import gc
import sys

import pytest

from b24tui.heap import collector_paused, release_free_memory
from tests.fresh import printed_by


def test_the_collector_is_paused_meanwhile_and_resumes_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_resumes_after_a_failure_and_a_pause_already_in_place_stays() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("the read failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # whoever paused it first resumes it
    finally:
        gc.enable()


@pytest.mark.skipif(sys.platform != "linux", reason="glibc's malloc_trim")
def test_memory_freed_in_the_middle_of_the_heap_goes_back_to_the_system() -> None:
    """Freed blocks between live ones stay the process's until they are given back: a
    whole read's answers and rows kept the resident size 30 MB up after every read."""
    code = (
        "from b24tui.heap import release_free_memory\n"
        "def rss():\n"
        "    status = open('/proc/self/status').read()\n"
        "    return int(status.split('VmRSS:')[1].split()[0]) // 1024\n"
        "blocks = [bytearray(4000) for _ in range(25_000)]  # 100 MB, each from malloc\n"
        "kept = blocks[::50]  # a few stay alive, spread over the heap\n"
        "del blocks\n"
        "before = rss()\n"
        "release_free_memory()\n"
        "print(before, rss())\n"
    )
    printed = printed_by(code)
    before, after = map(int, printed.split())
    assert before > 90, printed
    assert after < before - 60, printed


def test_giving_memory_back_is_safe_to_call_anywhere() -> None:
    release_free_memory()
    release_free_memory()
