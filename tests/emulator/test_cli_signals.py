"""``b24tui emulator --tls`` removes its throwaway CA and private key however it is
stopped: Ctrl+C, ``kill`` (SIGTERM, as service managers and CI stop it) or a closed
terminal (SIGHUP). A real subprocess, stopped as soon as it printed its first line."""

from __future__ import annotations

import os
import selectors
import signal
import ssl
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

import b24tui

REPO_ROOT = Path(b24tui.__file__).resolve().parents[1]
FIRST_LINE_TIMEOUT = 30.0


def ssl_context(ca_file: str) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=ca_file)


@pytest.mark.parametrize(
    "stop_with", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name
)
def test_the_tls_files_go_with_the_emulator(stop_with: signal.Signals) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "b24tui.emulator.cli", "--tls", "--limits", "off"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
        env=env,
    )
    try:
        assert process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout=FIRST_LINE_TIMEOUT):
                pytest.fail("the emulator printed nothing")
        url, ca_file = process.stdout.readline().split()
        directory = Path(ca_file).parent
        # Stopped while it serves, as a person stops it: a signal in the instant between
        # the printed line and uvicorn taking its signals over is another matter.
        answer = httpx.post(url + "server.time.json", verify=ssl_context(ca_file), timeout=30)
        assert answer.status_code == 200
        assert sorted(path.name for path in directory.iterdir()) == [
            "ca.pem",
            "server.key",
            "server.pem",
        ]
        process.send_signal(stop_with)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr
    assert not directory.exists()
    assert "Traceback" not in stderr
