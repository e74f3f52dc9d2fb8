"""The headless core never imports Textual (checked in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys


def test_core_packages_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import b24tui.api, b24tui.models, b24tui.emulator, b24tui.clock\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
        "assert 'b24tui.api.client' in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"Textual imported by the core: {done.stdout.strip()}"
