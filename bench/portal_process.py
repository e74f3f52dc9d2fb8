"""A benchmark's portal served from a process of its own, as a real portal answers from
another machine: its work and its objects stay out of the measured app's process."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any


@contextmanager
def portal_process(serve: Callable[..., None], *args: object) -> Iterator[tuple[Any, Connection]]:
    """Run ``serve(*args, conn)`` in a spawned process; yield the first thing it sends on
    ``conn`` (where its portal answers) and the connection. On leaving, ``"done"`` is sent
    and the process is waited for."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    server = context.Process(target=serve, args=(*args, theirs), daemon=True)
    server.start()
    try:
        yield ours.recv(), ours
    finally:
        ours.send("done")
        server.join(timeout=10)
