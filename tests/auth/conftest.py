"""Fixtures for the credential tests: a private HOME, a real Secret Service, the CLI.

The Secret Service is Debian's ``gnome-keyring-daemon`` on a private D-Bus session bus,
unlocked with a password on stdin; tests reach it through ``DBUS_SESSION_BUS_ADDRESS``
exactly as ``keyring`` would on a desktop. Its own files live outside the test's HOME,
so scans of HOME see only what b24tui wrote.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from b24tui.auth import ENV_WEBHOOK

REPO_ROOT = Path(__file__).resolve().parents[2]
SECRET_SERVICE_PACKAGES = "gnome-keyring dbus-x11"
"""The Debian packages these tests need (dbus-x11 brings dbus-daemon without systemd)."""
READY_DEADLINE = 10.0
"""Seconds to wait for the daemons to come up before failing the test run."""

_ISOLATED_VARIABLES = (
    ENV_WEBHOOK,
    "B24TUI_CONFIG",
    "PYTHON_KEYRING_BACKEND",
    "DBUS_SESSION_BUS_ADDRESS",
    "KEYRING_CRYPTFILE_PASSWORD",
    "DISPLAY",
    "WAYLAND_DISPLAY",
)


@dataclass(frozen=True)
class SecretService:
    """A running Secret Service on its own session bus."""

    bus_address: str
    bus_process: subprocess.Popen[bytes]
    keyring_process: subprocess.Popen[bytes]


_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <!-- A session bus with no service activation: only the daemon started here answers. -->
  <type>session</type>
  <listen>unix:tmpdir={socket_dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def _tools_missing() -> list[str]:
    return [tool for tool in ("dbus-daemon", "gnome-keyring-daemon") if not shutil.which(tool)]


@contextmanager
def running_secret_service(state_dir: Path) -> Iterator[SecretService]:
    """Start a session bus and an unlocked ``gnome-keyring-daemon`` for it; stop both after."""
    missing = _tools_missing()
    if missing:
        message = (
            f"{', '.join(missing)} not found: install the Debian packages "
            f"{SECRET_SERVICE_PACKAGES} to run the Secret Service tests"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    state_dir.mkdir(parents=True, exist_ok=True)
    state_dir.chmod(0o700)
    bus_config = state_dir / "session-bus.conf"
    bus_config.write_text(_BUS_CONFIG.format(socket_dir=state_dir), encoding="utf-8")
    bus = subprocess.Popen(
        ["dbus-daemon", f"--config-file={bus_config}", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    keyring_daemon: subprocess.Popen[bytes] | None = None
    try:
        assert bus.stdout is not None
        address = bus.stdout.readline().decode().strip()
        assert address, "dbus-daemon printed no address"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(state_dir),
            "XDG_RUNTIME_DIR": str(state_dir),
            "XDG_DATA_HOME": str(state_dir / "data"),
            "XDG_CONFIG_HOME": str(state_dir / "config"),
            "DBUS_SESSION_BUS_ADDRESS": address,
        }
        keyring_daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert keyring_daemon.stdin is not None
        keyring_daemon.stdin.write(b"test keyring password")
        keyring_daemon.stdin.close()
        _wait_for_default_collection(address)
        yield SecretService(address, bus, keyring_daemon)
    finally:
        for process in (keyring_daemon, bus):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if bus.stdout is not None:
            bus.stdout.close()


def _wait_for_default_collection(address: str) -> None:
    """Poll the bus until the daemon owns the Secret Service name and its default
    collection is unlocked (never asking for a collection to be created)."""
    from jeepney.bus_messages import message_bus  # type: ignore[import-untyped]
    from jeepney.io.blocking import open_dbus_connection  # type: ignore[import-untyped]
    from secretstorage.collection import Collection
    from secretstorage.exceptions import SecretStorageException

    deadline = time.monotonic() + READY_DEADLINE
    last_error: Exception | None = None
    with open_dbus_connection(bus=address) as connection:
        while time.monotonic() < deadline:
            has_owner = message_bus.NameHasOwner("org.freedesktop.secrets")
            if connection.send_and_get_reply(has_owner).body[0]:
                try:
                    default = Collection(connection, "/org/freedesktop/secrets/aliases/default")
                    if not default.is_locked():
                        return
                except SecretStorageException as error:
                    last_error = error
            time.sleep(0.01)  # readiness polling, bounded by READY_DEADLINE
    raise RuntimeError(f"the Secret Service did not come up: {last_error!r}")


@pytest.fixture(scope="session")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecretService]:
    """One Secret Service for the whole run (tests use their own profile names)."""
    with running_secret_service(tmp_path_factory.mktemp("secret-service")) as service:
        yield service


@dataclass(frozen=True)
class Home:
    """A private HOME with the XDG directories inside it."""

    path: Path
    config_file: Path

    def files(self) -> list[Path]:
        """Every file under HOME."""
        return sorted(p for p in self.path.rglob("*") if p.is_file())


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    """Point HOME and the XDG directories at a fresh tmp dir; no keyring, no env secret."""
    root = tmp_path / "home"
    root.mkdir()
    monkeypatch.setenv("HOME", str(root))
    for variable, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_DATA_HOME", ".local/share"),
    ):
        monkeypatch.setenv(variable, str(root / sub))
    for variable in _ISOLATED_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PYTHONPATH", str(REPO_ROOT))
    return Home(root, root / ".config" / "b24tui" / "config.toml")


@pytest.fixture
def keyring_home(
    home: Home, secret_service: SecretService, monkeypatch: pytest.MonkeyPatch
) -> Home:
    """:func:`home` with the session's Secret Service reachable, as on a desktop."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", secret_service.bus_address)
    return home


@dataclass(frozen=True)
class CliResult:
    """A finished ``b24tui`` process."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        """stdout and stderr together."""
        return self.stdout + self.stderr


CliRunner = Callable[..., CliResult]


@pytest.fixture
def run_cli() -> CliRunner:
    """Run ``python -m b24tui ARGS`` with this test's environment; stdin piped from ``input``."""

    def run(args: Sequence[str], input: str = "", timeout: float = 30.0) -> CliResult:
        started = time.monotonic()
        finished = subprocess.run(
            [sys.executable, "-m", "b24tui", *args],
            input=input,
            capture_output=True,
            text=True,
            env=dict(os.environ),
            cwd=REPO_ROOT,
            timeout=timeout,
            check=False,
        )
        return CliResult(
            finished.returncode, finished.stdout, finished.stderr, time.monotonic() - started
        )

    return run


InProcessRunner = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> InProcessRunner:
    """Run ``b24tui.cli.main(ARGS)`` in this process with stdin from ``input``;
    returns the exit code, stdout and stderr."""
    import io

    from b24tui.cli import main

    def run(args: Sequence[str], input: str = "") -> tuple[int, str, str]:
        capsys.readouterr()
        monkeypatch.setattr(sys, "stdin", io.StringIO(input))
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
