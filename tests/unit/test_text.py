"""Portal text is cleaned of terminal control sequences before it reaches the screen."""

from __future__ import annotations

import pytest

from b24tui.text import clean


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b[31mred\x1b[0m title", "red title"),
        ("bell\x07 and\x00 nul", "bell and nul"),
        ("\x1b]0;pwned\x07Title", "Title"),
        ("\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("\x9b2Jclear", "clear"),
        ("\x1bcReset", "Reset"),
        ("[bold]x[/] stays as typed", "[bold]x[/] stays as typed"),
        ("Привет, задача №5", "Привет, задача №5"),
    ],
)
def test_clean_strips_control_sequences_and_keeps_text(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def test_clean_keeps_line_breaks_unless_single_line() -> None:
    assert clean("a\nb\tc") == "a\nb\tc"
    assert clean("a\n  b\r\n c", single_line=True) == "a b c"
