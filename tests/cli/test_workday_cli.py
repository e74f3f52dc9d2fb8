"""``b24tui workday``: the status line, ``--json``, each action, exit codes, and the
transitions refused without calling the portal."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

import pytest

from b24tui.cli import main
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID
from b24tui.emulator.registry import REGISTRY, Registry
from b24tui.emulator.state import Pause
from b24tui.workday_actions import WORKDAY_ACTIONS_BY_ID
from b24tui.workday_cli import ACTION_WORDS
from tests.cli.conftest import Runner
from tests.conftest import FIXED_NOW, ServedEmulator

OPEN_LINE = "open · started 07:30 · worked 01:42:07 · breaks 00:17:53"
"""The demo day at 09:30: opened two hours ago, one break of 17:53."""


def timeman_calls(emulator: ServedEmulator) -> list[tuple[str, object]]:
    """The ``timeman.*`` calls the portal answered, with their parameters, in order."""
    return [(e.method, e.params) for e in emulator.app.journal if e.method.startswith("timeman.")]


def close_the_day(emulator: ServedEmulator, clock: FrozenClock) -> None:
    day = emulator.portal.workdays[DEMO_USER_ID]
    day.time_finish = clock.now() - timedelta(minutes=5)


def test_the_words_are_the_actions_ids() -> None:
    assert tuple(WORKDAY_ACTIONS_BY_ID) == ACTION_WORDS


def test_status_is_one_line_read_with_one_call_and_no_user_id(
    workday_cli: Runner, emulator: ServedEmulator
) -> None:
    ran = workday_cli([])
    assert (ran.code, ran.out, ran.err) == (0, OPEN_LINE + "\n", "")
    assert timeman_calls(emulator) == [("timeman.status", {})]


def test_json_shape(workday_cli: Runner) -> None:
    ran = workday_cli(["--json"])
    assert ran.code == 0
    assert json.loads(ran.out) == {
        "status": "OPENED",
        "label": "open",
        "time_start": "2026-03-16T07:30:00+02:00",
        "time_finish": None,
        "worked": "01:42:07",
        "worked_seconds": 6127,
        "breaks": "00:17:53",
        "breaks_seconds": 1073,
        "tz_offset": 7200,
        "time_finish_default": None,
        "active": True,
    }


def test_pause_sends_timeman_pause_and_prints_the_figure_as_of_the_pause(
    workday_cli: Runner, emulator: ServedEmulator
) -> None:
    ran = workday_cli(["pause"])
    assert ran.code == 0, ran.err
    assert ran.out == "paused · started 07:30 · worked 01:42:07 · breaks 00:17:53\n"
    assert timeman_calls(emulator) == [("timeman.status", {}), ("timeman.pause", {})]
    assert emulator.portal.workdays[DEMO_USER_ID].paused


def test_a_paused_day_read_alone_shows_no_invented_worked_time(
    workday_cli: Runner, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    emulator.portal.workdays[DEMO_USER_ID].pauses.append(Pause(clock.now()))
    clock.advance(600)
    ran = workday_cli([])
    assert ran.out == "paused · started 07:30 · breaks 00:27:53\n"
    assert json.loads(workday_cli(["--json"]).out)["worked"] is None


def test_resume_sends_timeman_open_on_a_paused_day(
    workday_cli: Runner, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    emulator.portal.workdays[DEMO_USER_ID].pauses.append(Pause(clock.now()))
    clock.advance(600)
    ran = workday_cli(["resume"])
    assert ran.code == 0, ran.err
    assert ran.out == "open · started 07:30 · worked 01:42:07 · breaks 00:27:53\n"
    assert timeman_calls(emulator)[-1] == ("timeman.open", {})


def test_finish_now_closes_the_day(workday_cli: Runner, emulator: ServedEmulator) -> None:
    ran = workday_cli(["finish"])
    assert ran.code == 0, ran.err
    assert ran.out == (
        "closed · started 07:30 · finished 09:30 · worked 01:42:07 · breaks 00:17:53\n"
    )
    assert timeman_calls(emulator)[-1] == ("timeman.close", {})


def test_finish_at_a_time_needs_a_report_on_this_schedule_and_sends_nothing_without(
    workday_cli: Runner, emulator: ServedEmulator
) -> None:
    ran = workday_cli(["finish", "--at", "09:00"])
    assert ran.code == 1
    assert "a report is needed" in ran.err
    assert "--report" in ran.err
    assert [method for method, _ in timeman_calls(emulator)] == [
        "timeman.status",
        "timeman.settings",
    ]
    ran = workday_cli(["finish", "--at", "09:00", "--report", "Left for the dentist"])
    assert ran.code == 0, ran.err
    assert "closed · started 07:30 · finished 09:00 · worked 01:12:07" in ran.out
    assert timeman_calls(emulator)[-1] == (
        "timeman.close",
        {"TIME": "2026-03-16T09:00:00+02:00", "REPORT": "Left for the dentist"},
    )


def test_start_on_a_closed_day_and_at_a_time_with_a_report(
    workday_cli: Runner, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    del emulator.portal.workdays[DEMO_USER_ID]
    assert workday_cli([]).out == "closed · no workday started\n"
    ran = workday_cli(["start", "--at", "08:00", "--report", "Forgot to start"])
    assert ran.code == 0, ran.err
    # 90 minutes from now is past the schedule's allowed delta: a supervisor confirms it
    assert ran.out == (
        "open · started 08:00 · worked 01:30:00 · breaks 00:00:00 · awaiting confirmation\n"
    )
    assert timeman_calls(emulator)[-1] == (
        "timeman.open",
        {"TIME": "2026-03-16T08:00:00+02:00", "REPORT": "Forgot to start"},
    )


def test_an_expired_day_finishes_at_its_suggested_time_with_the_report(
    workday_cli: Runner, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    clock.advance(24 * 3600)
    status = workday_cli([]).out
    assert status.startswith("expired · started 2026-03-16 07:30 · breaks 00:17:53")
    assert "never finished: suggested finish 2026-03-16 17:45" in status
    assert workday_cli(["finish"]).code == 1  # no report on a non-flexible schedule
    ran = workday_cli(["finish", "--report", "Forgot to close"])
    assert ran.code == 0, ran.err
    assert ran.out.startswith("closed · started 2026-03-16 07:30 · finished 2026-03-16 17:45")
    assert timeman_calls(emulator)[-1] == (
        "timeman.close",
        {"TIME": "2026-03-16T17:45:00+02:00", "REPORT": "Forgot to close"},
    )


@pytest.mark.parametrize(
    ("setup", "action", "reason"),
    [
        ("closed", "pause", "The workday is closed: there is nothing to pause."),
        ("closed", "resume", "The workday is closed: start it instead."),
        ("closed", "finish", "The workday is closed already."),
        ("open", "start", "The workday is open already."),
        ("open", "resume", "The workday is open: there is nothing to resume."),
        ("paused", "start", "The workday is paused: resume it instead."),
        ("paused", "pause", "The workday is paused already."),
        ("expired", "start", "The workday opened on 2026-03-16 was never finished"),
        ("expired", "pause", "The workday opened on 2026-03-16 was never finished"),
    ],
)
def test_a_transition_the_status_does_not_allow_exits_1_and_sends_nothing(
    workday_cli: Runner,
    emulator: ServedEmulator,
    clock: FrozenClock,
    setup: str,
    action: str,
    reason: str,
) -> None:
    if setup == "closed":
        close_the_day(emulator, clock)
    elif setup == "paused":
        emulator.portal.workdays[DEMO_USER_ID].pauses.append(Pause(clock.now()))
    elif setup == "expired":
        clock.advance(24 * 3600)
    ran = workday_cli([action])
    assert ran.code == 1
    assert ran.out == ""
    assert ran.err.startswith(f"b24tui: {reason}")
    assert ran.err.rstrip().endswith("Nothing was sent.")
    assert [method for method, _ in timeman_calls(emulator)] == ["timeman.status"]
    if setup == "closed":  # a pause would have resumed it (the documented quirk)
        assert emulator.portal.workdays[DEMO_USER_ID].closed


def test_read_only_refuses_every_action_before_calling_the_portal(
    workday_cli: Runner, emulator: ServedEmulator
) -> None:
    for action in ACTION_WORDS:
        ran = workday_cli([action, "--read-only"])
        assert ran.code == 1
        assert ran.err.startswith("b24tui: read-only: nothing is changed on the portal")
    assert list(emulator.app.journal) == []
    assert workday_cli(["--read-only"]).out == OPEN_LINE + "\n"


@pytest.mark.parametrize(
    "args",
    [
        ["workday", "pause", "--report", "x"],
        ["workday", "resume", "--at", "09:00"],
        ["workday", "--at", "09:00"],
    ],
)
def test_options_that_mean_nothing_there_are_usage_errors(
    private_home: object,
    args: list[str],
    emulator: ServedEmulator,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(args) == 2
    assert "b24tui: " in capsys.readouterr().err
    assert list(emulator.app.journal) == []


@pytest.mark.parametrize(
    "args", [["workday", "lunch"], ["workday", "finish", "--at", "25:00"], ["workday", "--at"]]
)
def test_a_bad_word_or_time_is_a_usage_error(
    private_home: object, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    assert "usage: b24tui workday" in capsys.readouterr().err


def test_main_runs_the_command_with_the_environment_s_webhook(
    private_home: object,
    emulator: ServedEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("B24TUI_WEBHOOK_URL", emulator.webhook_url)
    assert main(["workday", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "OPENED"


def test_without_credentials_it_says_so_and_exits_1(
    private_home: object, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["workday"]) == 1
    assert capsys.readouterr().err.startswith("b24tui: ")


def test_an_unreachable_portal_exits_1_with_one_line(
    private_home: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("B24TUI_WEBHOOK_URL", "http://127.0.0.1:9/rest/1/unreachable1code/")
    assert main(["workday", "pause"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("b24tui: Cannot connect to the portal")
    assert "unreachable1code" not in err


def _without_timeman() -> Registry:
    methods = {key: m for key, m in REGISTRY.methods.items() if not key[1].startswith("timeman.")}
    return Registry(methods=methods)


def test_a_portal_without_the_module_is_said_plainly(
    workday_cli: Runner, emulator: ServedEmulator
) -> None:
    emulator.app.dispatcher.registry = _without_timeman()
    ran = workday_cli([])
    assert ran.code == 1
    assert (
        ran.err
        == "b24tui: This portal has no workday tracking (its timeman module is not there).\n"
    )


def test_a_webhook_without_the_timeman_scope_is_said_plainly(
    workday_cli: Runner, emulator: ServedEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    hook = emulator.portal.credentials.add_webhook(DEMO_USER_ID, scopes=frozenset({"task", "user"}))
    monkeypatch.setenv(
        "B24TUI_WEBHOOK_URL", f"{emulator.base_url}/rest/{DEMO_USER_ID}/{hook.code}/"
    )
    ran = workday_cli(["pause"])
    assert ran.code == 1
    assert "lacks the timeman scope" in ran.err
    assert not emulator.portal.workdays[DEMO_USER_ID].paused


def test_user_not_found_with_an_empty_code_is_said_plainly(
    workday_cli: Runner, emulator: ServedEmulator
) -> None:
    emulator.app.dispatcher.registry = _failing_status()
    ran = workday_cli([])
    assert ran.code == 1
    assert ran.err == "b24tui: The portal did not find your user for the workday.\n"


def _failing_status() -> Registry:
    from b24tui.emulator.errors import RestError
    from b24tui.emulator.registry import Call

    methods = dict(REGISTRY.methods)
    del methods["v1", "timeman.status"]
    registry = Registry(methods=methods)

    @registry.method("timeman.status", scope="timeman")
    def status(call: Call) -> object:
        raise RestError(400, "", "User not found")

    return registry


def test_a_time_on_another_date_is_the_portal_s_refusal_in_plain_words(
    workday_cli: Runner, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    day = emulator.portal.workdays[DEMO_USER_ID]
    day.time_start = datetime.combine(FIXED_NOW.date(), time(0, 30), tzinfo=FIXED_NOW.tzinfo)
    del day.pauses[:]
    clock.advance(23 * 3600)  # 08:30 the next day: expired
    emulator.portal.timeman_settings[DEMO_USER_ID].flexible = True
    ran = workday_cli(["finish", "--at", "00:10"])  # before the day's start
    assert ran.code == 1
    assert ran.err == (
        "b24tui: finish not done: The time must be on the workday's own date "
        "(today's, to start one).\n"
    )


def test_in_a_terminal_in_another_zone_the_line_names_the_day_s(
    workday_cli: Runner, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    """In a UTC terminal the day opened in UTC+2 says so beside its times, as the strip
    does: a bare 07:30 read as a start two hours ahead."""
    clock.local_zone = UTC
    ran = workday_cli([])
    assert ran.out == "open · started 07:30 UTC+2 · worked 01:42:07 · breaks 00:17:53\n"
    close_the_day(emulator, clock)
    ran = workday_cli([])
    assert ran.out.startswith("closed · started 07:30 UTC+2 · finished 09:25 UTC+2 · ")
