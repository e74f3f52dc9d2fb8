"""``b24tui task ID``: the id is checked before anything starts; bad ones are usage errors."""

from __future__ import annotations

import pytest

from b24tui.cli import build_parser, main


@pytest.mark.parametrize(
    ("argv", "demo"),
    [
        (["task", "12"], False),
        (["--demo", "task", "12"], True),
        (["task", "12", "--demo"], True),
        (["task", " 12 "], False),
    ],
)
def test_task_command_reads_the_id(argv: list[str], demo: bool) -> None:
    options = build_parser().parse_args(argv)
    assert options.command == "task"
    assert options.task_id == 12
    assert options.demo is demo


def test_task_command_takes_a_profile() -> None:
    options = build_parser().parse_args(["task", "7", "--profile", "work"])
    assert options.task_id == 7
    assert options.profile == "work"


@pytest.mark.parametrize("bad", ["abc", "0", "-3", "1.5", "12abc", "١٢", "", "1e3"])
def test_a_bad_task_id_is_a_usage_error(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["task", bad])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert "usage: b24tui task" in error
    assert "task id" in error


def test_a_missing_task_id_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--demo", "task"])
    assert stopped.value.code == 2
    assert "ID" in capsys.readouterr().err


def test_help_names_the_task_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--help"])
    assert stopped.value.code == 0
    assert "open straight on a task's detail screen" in capsys.readouterr().out
