"""Portal text is data: make it safe to put on a terminal.

Titles, names and descriptions come from other people. They may contain terminal escape
sequences (which could move the cursor, retitle the window or worse) and text that looks
like Rich/Textual markup (``[bold]x[/]``). Everything shown from the portal goes through
:func:`clean` first and is then rendered as plain text, never parsed as markup.
"""

from __future__ import annotations

import re

_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]                  # CSI: ESC [ params intermediates final
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?     # OSC: ESC ] ... BEL or ST
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?          # DCS, SOS, PM, APC ... ST
    | \x1b[ -/]*[0-~]                        # two- and three-byte escapes
    | \x9b[0-?]*[ -/]*[@-~]                  # 8-bit CSI
    """,
    re.VERBOSE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str, *, single_line: bool = False) -> str:
    """Remove terminal control sequences and characters from portal text.

    Tabs and newlines survive (unless ``single_line``, which turns any run of
    whitespace with a line break into one space); every other C0/C1 control
    character and every escape sequence goes.
    """
    text = _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))
    if single_line:
        text = " ".join(text.split())
    return text
