"""``b24tui task ID --checklist``: the flag is read, and the help names it."""

from __future__ import annotations

import pytest

from b24tui.cli import build_parser, main


@pytest.mark.parametrize(
    ("argv", "checklist"),
    [
        (["task", "12"], False),
        (["task", "12", "--checklist"], True),
        (["--demo", "task", "--checklist", "12"], True),
    ],
)
def test_task_command_reads_checklist(argv: list[str], checklist: bool) -> None:
    options = build_parser().parse_args(argv)
    assert options.task_id == 12
    assert options.checklist is checklist


def test_task_help_names_checklist(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["task", "--help"])
    assert "--checklist" in capsys.readouterr().out
