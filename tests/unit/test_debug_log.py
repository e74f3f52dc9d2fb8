"""The debug log: private, rotated, and never a secret, whatever way a record carries it."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from b24tui.debug_log import RedactingFilter, active_log_file, debug_logging, mask_secrets

CODE = "s3cr3tc0de9x"
"""A webhook code; never to appear in the file."""
TOKEN = "tok-5f1e2d3c4b"
"""An OAuth token value; never to appear in the file."""

log = logging.getLogger("b24tui.tests.debug_log")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_records_go_to_a_private_file_with_their_secrets_masked(tmp_path: Path) -> None:
    path = tmp_path / "log" / "b24tui.log"
    with debug_logging(path):
        assert active_log_file() == path
        log.debug("POST %s -> 200", f"https://acme.bitrix24.com/rest/7/{CODE}/tasks.task.list")
        log.info(f"asked https://acme.bitrix24.com/rest/api/7/{CODE}/tasks.task.get")
        log.info("token answer %r", {"access_token": TOKEN, "refresh_token": TOKEN})
        log.warning("GET %s", f"https://acme.bitrix24.com/rest/user.current?auth={TOKEN}&x=1")
        log.info("form body access_token=%s&refresh_token=%s", TOKEN, TOKEN)
        try:
            raise RuntimeError(f"lost https://acme.bitrix24.com/rest/7/{CODE}/profile")
        except RuntimeError:
            log.exception("the call failed")
    assert active_log_file() is None
    text = path.read_text(encoding="utf-8")
    assert CODE not in text
    assert TOKEN not in text
    assert "/rest/7/***/tasks.task.list" in text
    assert "tasks.task.get" in text
    assert "user.current?auth=***" in text
    assert "Traceback" in text
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700


def test_the_filter_masks_message_and_arguments_before_any_handler(tmp_path: Path) -> None:
    record = logging.LogRecord(
        "b24tui.api.client",
        logging.DEBUG,
        __file__,
        1,
        "POST %s with %s",
        (f"http://127.0.0.1:8080/rest/1/{CODE}/scope", f"auth={TOKEN}"),
        None,
    )
    assert RedactingFilter().filter(record)
    assert record.args is None
    assert record.getMessage() == "POST http://127.0.0.1:8080/rest/1/***/scope with auth=***"


@pytest.mark.parametrize(
    "text",
    [
        f'{{"access_token": "{TOKEN}", "expires": 3600}}',
        f"{{'refresh_token': '{TOKEN}'}}",
        f"https://oauth.bitrix.info/oauth/token/?client_secret={TOKEN}&grant_type=refresh",
        f"auth={TOKEN}",
    ],
)
def test_tokens_are_masked_however_they_are_written(text: str) -> None:
    assert TOKEN not in mask_secrets(text)


def test_the_file_is_rotated_and_every_copy_is_private(tmp_path: Path) -> None:
    path = tmp_path / "b24tui.log"
    with debug_logging(path, max_bytes=2_000, backups=2):
        for number in range(200):
            log.debug("call %d of many, each about sixty characters long", number)
    copies = sorted(tmp_path.glob("b24tui.log*"))
    assert [copy.name for copy in copies] == ["b24tui.log", "b24tui.log.1", "b24tui.log.2"]
    assert all(copy.stat().st_size <= 2_000 for copy in copies)
    assert all(_mode(copy) == 0o600 for copy in copies)


def test_an_older_wider_file_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "b24tui.log"
    path.write_text("", encoding="utf-8")
    path.chmod(0o644)
    with debug_logging(path):
        log.info("hello")
    assert _mode(path) == 0o600


def test_after_the_run_the_handler_is_gone(tmp_path: Path) -> None:
    path = tmp_path / "b24tui.log"
    before = list(logging.getLogger().handlers)
    with debug_logging(path):
        pass
    log.warning("after the run")
    assert logging.getLogger().handlers == before
    assert "after the run" not in path.read_text(encoding="utf-8")
