"""One look at the keyring before the UI starts, in a child process with a deadline.

Over SSH there is often no D-Bus session (``keyring`` then falls back to its ``fail``
backend), and a desktop keyring whose collection is locked may wait forever for an
unlock prompt nobody sees. So the probe runs ``keyring`` in a separate Python process
that reads one (absent) entry and reports which backend answered; if it does not finish
within the timeout it is killed and the keyring is reported as not answering. The
child inherits the environment, so ``PYTHON_KEYRING_BACKEND`` and keyring's own config
file are honoured exactly as they would be in b24tui itself.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from b24tui.auth.store import ENV_WEBHOOK, KEYRING_SERVICE

__all__ = [
    "CRYPTFILE_BACKEND",
    "KeyringProbe",
    "KeyringStatus",
    "Verdict",
    "cryptfile_installed",
    "is_plaintext_backend",
    "keyring_guidance",
    "probe_keyring",
]

log = logging.getLogger(__name__)

Verdict = Literal["ok", "none", "plaintext", "locked", "timeout", "error"]
"""``ok``: usable; ``none``: no real backend (``fail``/``null``); ``plaintext``: stores
secrets unencrypted and the config does not allow it; ``locked``: the collection is
locked; ``timeout``: no answer in time; ``error``: anything else."""

CRYPTFILE_BACKEND = "keyrings.cryptfile.cryptfile.CryptFileKeyring"
"""The encrypted-file backend offered where no Secret Service runs (if installed)."""

_NO_BACKEND = frozenset(
    {
        "keyring.backends.fail.Keyring",
        "keyring.backends.null.Keyring",
    }
)
_PLAINTEXT = frozenset(
    {
        "keyrings.alt.file.PlaintextKeyring",
        "keyrings.alt.pyfs.PlaintextKeyring",
        "keyrings.alt.multi.MultipartKeyringWrapper",
    }
)
_PROBE_USER = "__b24tui_probe__"

# Runs in the child: report the backend keyring chose and whether one read works. The
# read is of an entry nobody has, or of the profile named on the command line, whose
# entry the report then carries (through the pipe to the parent, nowhere else).
_CHILD = f"""
import json, sys
report = {{}}
profile = sys.argv[1] if len(sys.argv) > 1 else None
try:
    import keyring
    from keyring.backends.chainer import ChainerBackend
    def name(backend):
        return type(backend).__module__ + "." + type(backend).__qualname__
    chosen = keyring.get_keyring()
    report["backend"] = name(chosen)
    if isinstance(chosen, ChainerBackend):
        report["chain"] = [name(member) for member in chosen.backends]
    entry = chosen.get_password({KEYRING_SERVICE!r}, profile or {_PROBE_USER!r})
    report["ok"] = True
    if profile is not None:
        report["entry"] = entry
except BaseException as error:
    report["error_type"] = type(error).__name__
    report["error"] = str(error).splitlines()[0][:200] if str(error) else ""
sys.stdout.write(json.dumps(report))
"""


@dataclass(frozen=True)
class KeyringStatus:
    """What the probe found."""

    verdict: Verdict
    backend: str | None
    """The backend that would keep the secret (for a chain: its first member)."""
    detail: str
    """One line for people: what was found and why it is (not) usable."""
    seconds: float = 0.0
    """How long the probe took."""

    @property
    def usable(self) -> bool:
        """Whether secrets may be stored in and read from this backend."""
        return self.verdict == "ok"

    @property
    def backend_label(self) -> str:
        """A short backend name for people (``SecretService``, ``fail``)."""
        if not self.backend:
            return "none"
        parts = [p for p in self.backend.split(".") if p not in ("keyring", "backends", "Keyring")]
        return ".".join(parts[-2:]) if parts else self.backend


def is_plaintext_backend(name: str) -> bool:
    """Whether the backend class ``name`` keeps secrets unencrypted on disk."""
    return name in _PLAINTEXT or "plaintext" in name.rsplit(".", 1)[-1].lower()


def cryptfile_installed() -> bool:
    """Whether the ``keyrings.cryptfile`` encrypted-file backend can be imported."""
    try:
        return importlib.util.find_spec("keyrings.cryptfile") is not None
    except (ImportError, ValueError):
        return False


def probe_keyring(
    *,
    allow_plaintext: bool = False,
    timeout: float = 5.0,
    environ: Mapping[str, str] | None = None,
) -> KeyringStatus:
    """Ask a child Python which keyring backend it gets and whether a read works.

    Args:
        allow_plaintext: accept a backend that stores secrets unencrypted (config opt-in).
        timeout: seconds before the child is killed and the keyring called not answering.
        environ: the child's environment (default: this process's).
    """
    probe = KeyringProbe(environ)
    try:
        return probe(allow_plaintext=allow_plaintext, timeout=timeout)
    finally:
        probe.close()


class KeyringProbe:
    """The probe's child, started before its answer is needed.

    The child takes some 200 ms (a Python, keyring, a D-Bus round trip); started before
    the dashboard's imports, it runs on another core meanwhile. Called like
    :func:`probe_keyring` (it is a :data:`~b24tui.auth.resolve.Prober`), it waits for the
    answer, the deadline counting from the start. :meth:`close` stops a child that is
    still running.

    Args:
        environ: the child's environment (default: this process's).
        profile: the profile whose entry the child reads (see :meth:`entry`), so that
            this process need not load keyring to start; default: an entry nobody has.
    """

    def __init__(
        self, environ: Mapping[str, str] | None = None, *, profile: str | None = None
    ) -> None:
        self._env = dict(os.environ if environ is None else environ)
        self.profile = profile
        """The profile whose entry the child reads, if any."""
        self._started = time.monotonic()
        self._child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, *([profile] if profile is not None else [])],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=self._env,
            # No controlling terminal: a backend that asks for a password gets EOF, not the tty.
            start_new_session=True,
        )
        self._answer: tuple[dict[str, Any], float] | None = None
        """The child's report and the seconds it took, once read."""
        self._gave_up: KeyringStatus | None = None
        """The finding once the deadline passed with no answer."""

    def __call__(
        self,
        *,
        allow_plaintext: bool = False,
        timeout: float = 5.0,
        environ: Mapping[str, str] | None = None,
    ) -> KeyringStatus:
        """The probe's finding (``environ`` is the one the child was started with)."""
        if self._gave_up is not None:
            return self._gave_up
        if self._answer is None:
            try:
                output, _ = self._child.communicate(
                    timeout=max(0.0, self._started + timeout - time.monotonic())
                )
            except subprocess.TimeoutExpired:
                self.close()
                self._gave_up = status = KeyringStatus(
                    "timeout",
                    self._env.get("PYTHON_KEYRING_BACKEND") or None,
                    f"the keyring did not answer within {timeout:g} s (a locked collection "
                    "waiting for an unlock prompt, or a stuck D-Bus service)",
                    time.monotonic() - self._started,
                )
                log.warning("keyring probe: %s", status.detail)
                return status
            self._answer = (
                _report(output, self._child.returncode),
                time.monotonic() - self._started,
            )
        report, seconds = self._answer
        status = _classify(report, allow_plaintext, seconds, self._env)
        log.info("keyring probe (%.2f s): %s: %s", seconds, status.verdict, status.detail)
        return status

    def entry(self) -> str | None:
        """The text stored for :attr:`profile` (``None``: no entry), as the child read it.

        Raises:
            RuntimeError: the probe has not found the keyring usable, or read no profile.
        """
        if self._answer is None or self.profile is None or "entry" not in self._answer[0]:
            raise RuntimeError("the probe read no entry")
        entry = self._answer[0]["entry"]
        return entry if isinstance(entry, str) else None

    @property
    def running(self) -> bool:
        """Whether the child still runs."""
        return self._child.poll() is None

    def close(self) -> None:
        """Stop the child if it still runs (its answer was not needed, or came too late)."""
        if self.running:
            self._child.kill()
            self._child.communicate()


def _report(output: bytes, returncode: int) -> dict[str, Any]:
    try:
        report = json.loads(output.decode("utf-8", "replace") or "null")
    except ValueError:
        report = None
    if not isinstance(report, dict):
        return {"error_type": "ProbeFailed", "error": f"exit status {returncode}"}
    return report


def _classify(
    report: Mapping[str, Any], allow_plaintext: bool, seconds: float, env: Mapping[str, str]
) -> KeyringStatus:
    backend = report.get("backend")
    error_type = str(report.get("error_type") or "")
    error = str(report.get("error") or "")
    if not isinstance(backend, str):
        requested = env.get("PYTHON_KEYRING_BACKEND")
        if requested:
            detail = f"PYTHON_KEYRING_BACKEND={requested} cannot be loaded ({error_type})"
        else:
            detail = f"the keyring library failed to start ({error_type}: {error})"
        return KeyringStatus("error", requested, detail, seconds)
    chain = report.get("chain")
    if isinstance(chain, list):
        if not chain:
            return KeyringStatus("none", backend, "no keyring backend is available", seconds)
        backend = str(chain[0])
    short = KeyringStatus("ok", backend, "", seconds).backend_label
    if backend in _NO_BACKEND:
        return KeyringStatus(
            "none",
            backend,
            f"no keyring is available (keyring chose its '{short}' backend: "
            "no Secret Service, KWallet or other store answers)",
            seconds,
        )
    if is_plaintext_backend(backend) and not allow_plaintext:
        return KeyringStatus(
            "plaintext",
            backend,
            f"the keyring backend '{short}' stores secrets unencrypted; b24tui refuses it "
            "unless the config sets allow_plaintext_keyring = true",
            seconds,
        )
    if error_type == "KeyringLocked":
        return KeyringStatus("locked", backend, f"the keyring ({short}) is locked", seconds)
    if error_type:
        return KeyringStatus(
            "error", backend, f"the keyring ({short}) failed: {error_type}: {error}", seconds
        )
    return KeyringStatus("ok", backend, f"the keyring ({short}) answers", seconds)


def keyring_guidance(status: KeyringStatus, *, config_path: Path | None = None) -> str:
    """What to do when the keyring cannot be used: the problem, then the choices.

    The choices: put the URL in ``B24TUI_WEBHOOK_URL``; start a Secret Service for the
    session; or, if ``keyrings.cryptfile`` is installed, use its encrypted file.
    """
    lines = [f"cannot keep the webhook safely: {status.detail}.", "Choose one:"]
    if status.verdict == "locked":
        lines.append(
            "  - unlock the keyring (log in to the desktop session), then run b24tui again"
        )
    lines.append(
        f"  - export {ENV_WEBHOOK}='https://<portal>/rest/<user id>/<code>/' "
        "(nothing is stored; e.g. read it from a password manager)"
    )
    lines.append(
        "  - start a Secret Service for this shell: dbus-run-session -- $SHELL, then "
        "'gnome-keyring-daemon --unlock --components=secrets' (type a password, then ctrl-d), "
        "then 'b24tui login'"
    )
    if cryptfile_installed():
        lines.append(
            f"  - use an encrypted file: export PYTHON_KEYRING_BACKEND={CRYPTFILE_BACKEND} "
            "(it asks for its password), then 'b24tui login'"
        )
    if status.verdict == "plaintext":
        where = str(config_path) if config_path else "the config file"
        lines.append(f"  - accept the unencrypted store: allow_plaintext_keyring = true in {where}")
    lines.append("Or try 'b24tui --demo' without an account.")
    return "\n".join(lines)
