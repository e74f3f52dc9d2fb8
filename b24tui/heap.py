"""The process's heap, kept out of the dashboard's way.

A whole read of a large portal (every tenth refresh) builds tens of thousands of objects:
the answers' rows, the tasks parsed from them. None of them is garbage held in a cycle,
so the collector's passes over them in the middle of the read are wasted, and each one
stalled the event loop (60 to 70 ms on 2 cores): :func:`collector_paused`. Once the read
is kept, its answers and rows are freed, but the C allocator holds the freed blocks (they
sit between live ones), and the resident size stayed some 30 MB up after every whole
read: :func:`release_free_memory` gives them back. And Textual keeps the style caches of
closed widgets, with the lines they drew: :func:`forget_drawn_lines`.

What is garbage held in cycles comes mostly from screens: a closed task screen leaves
some 10,000 objects (its widgets and what they drew). The collector's own full passes
over them came in the middle of composing the next screen, and the two together stalled
the loop for 50 to 70 ms. So the app makes those passes itself, once a closed screen is
off the terminal (:func:`tidy`), and leaves the collector's own ones rare
(:func:`make_full_passes_rare`).
"""

from __future__ import annotations

import functools
import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = [
    "RARE_FULL_PASSES",
    "collect",
    "collector_paused",
    "forget_drawn_lines",
    "make_full_passes_rare",
    "release_free_memory",
    "tidy",
]

RARE_FULL_PASSES = 100
"""Passes of the middle generation between two of the collector's own full passes
(Python's default: 10, some 70,000 objects made and kept; opening a task is more)."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """The garbage collector off meanwhile, on again after (unless it was off already:
    whoever paused it first resumes it)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def make_full_passes_rare() -> None:
    """Let the collector make a full pass of its own only after :data:`RARE_FULL_PASSES`
    passes of the middle generation: the app makes them (:func:`tidy`) at moments of its
    choosing. Still a bound on what can pile up between two of them."""
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, RARE_FULL_PASSES)


def collect() -> None:
    """One full pass of the collector. Textual's style caches of closed widgets go first
    (:func:`forget_drawn_lines`), or the widgets would not be garbage."""
    forget_drawn_lines()
    gc.collect()


def tidy() -> None:
    """One full pass of the collector (:func:`collect`), then what survived it frozen:
    the collector's later passes walk only what is made after (see :func:`gc.freeze`).
    Objects frozen are still freed as soon as nothing refers to them; only those that
    end up garbage in a cycle wait for a :func:`gc.unfreeze`."""
    collect()
    gc.freeze()


def forget_drawn_lines() -> None:
    """Let go of the style caches Textual keeps for widgets that are gone.

    Textual's ``StylesCache.get_inner_outer`` is an ``lru_cache`` on a method
    (Textualize/textual#6665): its keys keep up to 1,024 widgets' style caches alive, with
    every line they drew, after the widgets are gone. Each task opened and closed left
    some 2,400 objects there, which every full pass of the collector walked. Emptying it
    costs one recomputation of two styles per widget on its next paint.
    """
    from textual._styles_cache import StylesCache

    clear = getattr(getattr(StylesCache, "get_inner_outer", None), "cache_clear", None)
    if callable(clear):  # a Textual that no longer caches it there has nothing to clear
        clear()


def release_free_memory() -> None:
    """Hand the memory the C allocator holds free back to the system (glibc's
    ``malloc_trim``: 5 to 60 ms after a whole read, as much as the C allocator's free
    lists take to walk; it lets go of Python's lock meanwhile, so the app runs it in a
    thread); nothing where there is no glibc."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, from the C library the process has loaded, if it has it."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here: a few ms that only a whole read needs

    try:
        libc = ctypes.CDLL(None)
    except OSError:
        return None
    trim = getattr(libc, "malloc_trim", None)
    if trim is None:  # musl and other C libraries
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim  # type: ignore[no-any-return]
