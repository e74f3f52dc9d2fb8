"""Code run in a fresh interpreter: what a start loads, what a process gives back."""

from __future__ import annotations

import subprocess
import sys


def printed_by(code: str, *args: str) -> str:
    """What ``code`` prints (given ``args`` as ``sys.argv[1:]``), run in a fresh
    interpreter, which must not fail."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()
