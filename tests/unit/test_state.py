"""The remembered-choices file: round trip, and a bad file that never stops the app."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from b24tui.paths import demo_state_file, profile_state_file, state_dir
from b24tui.state import STATE_VERSION, Remembered, StateFile
from b24tui.views import SortOrder

CHOICES = Remembered(theme="nord", view="overdue", sort=SortOrder("deadline", descending=True))


def test_what_is_saved_is_what_the_next_run_reads(tmp_path: Path) -> None:
    path = tmp_path / "state" / "profiles" / "work.json"
    StateFile(path).save(CHOICES)
    assert StateFile(path).load() == CHOICES
    assert json.loads(path.read_text(encoding="utf-8")).keys() == {
        "version",
        "theme",
        "view",
        "sort",
    }, "a theme, a view and a sort: nothing else (and nothing secret) is kept"
    assert [p.name for p in path.parent.iterdir()] == ["work.json"], "no temporary file left"


def test_nothing_is_written_until_something_is_chosen(tmp_path: Path) -> None:
    state = StateFile(tmp_path / "state" / "work.json")
    assert state.load() == Remembered()
    state.save(Remembered())
    assert not (tmp_path / "state").exists()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"\xff\xfe",
        b"[1, 2]",
        json.dumps({"version": STATE_VERSION + 1, "theme": "nord"}).encode(),
    ],
    ids=["empty", "broken", "not-utf8", "not-a-table", "other-version"],
)
def test_a_corrupt_file_reads_as_nothing_and_the_next_save_replaces_it(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "work.json"
    path.write_bytes(content)
    assert StateFile(path).load() == Remembered()
    StateFile(path).save(CHOICES)
    assert StateFile(path).load() == CHOICES


def test_values_of_the_wrong_kind_are_left_out(tmp_path: Path) -> None:
    path = tmp_path / "work.json"
    data = {"version": STATE_VERSION, "theme": 7, "view": "overdue", "sort": {"column": "x"}}
    path.write_text(json.dumps(data), encoding="utf-8")
    assert StateFile(path).load() == Remembered(view="overdue")


def test_a_file_that_cannot_be_read_or_written_is_logged_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    unreadable = tmp_path / "work.json"
    unreadable.mkdir()  # a directory where the file should be
    blocked = tmp_path / "a-file" / "work.json"
    blocked.parent.write_text("", encoding="utf-8")  # a file where the directory should be
    with caplog.at_level(logging.WARNING, logger="b24tui.state"):
        assert StateFile(unreadable).load() == Remembered()
        StateFile(unreadable).save(CHOICES)
        state = StateFile(blocked)
        state.save(CHOICES)
    assert state.load() == CHOICES, "this run still goes by the choice"
    unsaved = [r for r in caplog.records if r.getMessage().startswith("cannot remember")]
    assert len(unsaved) == 2


def test_each_profile_and_the_demo_have_their_own_file_in_the_state_dir() -> None:
    work, home = profile_state_file("work"), profile_state_file("home")
    assert work != home != demo_state_file() != work
    for path in (work, home, demo_state_file()):
        assert path.is_relative_to(state_dir())
