"""Secret hygiene: after a login, a session, a failed call and ``doctor``, the webhook code
is nowhere in HOME (config, cache, state, logs) and nowhere in anything printed or logged."""

from __future__ import annotations

import io
import logging
import traceback

import pytest
from rich.console import Console
from rich.traceback import Traceback

from b24tui.api import B24Client, B24Error
from b24tui.app import B24App
from b24tui.auth import LoginError, WebhookCredential, verify_webhook
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID
from b24tui.services import Services
from b24tui.startup import endpoint_for_run
from tests.auth.conftest import CliRunner, Home
from tests.conftest import ServedEmulator


def _render_with_locals(error: BaseException) -> str:
    """The traceback as Textual shows a crash: rich, with every frame's locals (from the
    called code down; the test's own frame, holding the code it made up, is left out)."""
    assert error.__traceback__ is not None
    frames = error.__traceback__.tb_next
    console = Console(record=True, width=200, file=io.StringIO())
    console.print(Traceback.from_exception(type(error), error, frames, show_locals=True))
    return console.export_text()


async def test_the_code_leaks_nowhere(
    keyring_home: Home,
    emulator: ServedEmulator,
    run_cli: CliRunner,
    clock: FrozenClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    code = emulator.webhook.code
    seen: list[str] = []

    login = run_cli(["login"], input=emulator.webhook_url)
    assert login.returncode == 0, login.stderr
    seen.append(login.output)

    endpoint = endpoint_for_run(None, interactive=False)
    async with B24Client(endpoint) as client:
        app = B24App(Services(client=client, clock=clock))
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            seen.append(app.export_screenshot())
        with pytest.raises(B24Error) as failed:
            await client.tasks.get(987654321)
        error = failed.value
        seen += [str(error), repr(error), error.description, repr(endpoint), repr(client)]
        seen.append("".join(traceback.format_exception(error)))

    wrong = f"{emulator.base_url}/rest/{DEMO_USER_ID}/{code}x/"
    with pytest.raises(LoginError) as refused:
        await verify_webhook(WebhookCredential(wrong))
    seen.append(_render_with_locals(refused.value))
    seen.append("".join(traceback.format_exception(refused.value)))

    doctor = run_cli(["doctor"])
    assert doctor.returncode == 0, doctor.output
    seen.append(doctor.output)
    seen.append(caplog.text)

    files = keyring_home.files()
    assert keyring_home.config_file in files, "the scan covers what b24tui wrote"
    assert f"user_id = {DEMO_USER_ID}" in keyring_home.config_file.read_text()
    for path in files:
        assert code.encode() not in path.read_bytes(), path
    assert "/rest/1/***/" in caplog.text, "the client's request log was captured"
    rendered = _render_with_locals(refused.value)
    assert "verify_webhook" in rendered
    assert "credential" in rendered, "the frame locals are shown"
    for text in seen:
        assert code not in text
