"""``b24tui doctor``: what b24tui finds, one line per check, never a secret.

Config file, profile (and whether it is read-only), where the debug log is and whether
it is being written, keyring backend, whether a credential is found (shown with its code
masked), whether the portal answers and as whom, the scopes, REST 3.0 and the rate-limit
state.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from b24tui.api import (
    ApiError,
    B24Client,
    B24Error,
    BadResponse,
    Endpoint,
    EndpointError,
    MethodNotFound,
    RateLimited,
    ScopeError,
    Webhook,
    redact,
)
from b24tui.auth.login import LOGIN_TIMEOUT, missing_scopes
from b24tui.auth.probe import KeyringStatus, probe_keyring
from b24tui.auth.resolve import Prober, missing_credential_message
from b24tui.auth.store import ENV_WEBHOOK, Credential, EnvStore, KeyringStore, StoreError
from b24tui.config import ConfigError, Settings, load_settings
from b24tui.debug_log import active_log_file
from b24tui.paths import config_file, log_file

if TYPE_CHECKING:
    import httpx

__all__ = ["Finding", "diagnose", "run_doctor"]

Outcome = Literal["ok", "fail", "info"]


@dataclass(frozen=True)
class Finding:
    """One line of the report."""

    check: str
    outcome: Outcome
    text: str


async def diagnose(
    profile: str | None,
    *,
    environ: Mapping[str, str] | None = None,
    settings_path: Path | None = None,
    probe: Prober = probe_keyring,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[Finding]:
    """Run every check and return the findings (network calls only if a secret is found)."""
    env = os.environ if environ is None else environ
    findings: list[Finding] = []
    path = settings_path or config_file(env)
    try:
        settings = load_settings(path, env)
        state = "found" if settings.exists else "not present: defaults in use"
        findings.append(Finding("config", "ok", f"{path} ({state})"))
    except ConfigError as error:
        settings = Settings(path=path)
        findings.append(Finding("config", "fail", f"{error} (defaults used below)"))
    name = profile or settings.default_profile
    entry = settings.profile(name)
    where = f"portal {entry.portal}, user {entry.user_id}" if entry.portal else "no portal noted"
    if entry.read_only:
        where += "; read-only"
    findings.append(Finding("profile", "ok", f"{name} ({where})"))
    findings.append(_debug_log_finding())

    status = await asyncio.to_thread(
        probe,
        allow_plaintext=settings.allow_plaintext_keyring,
        timeout=settings.keyring_timeout,
        environ=env,
    )
    findings.append(_keyring_finding(status, env_set=EnvStore(env).present))
    credential, secret_finding = await asyncio.to_thread(_find_secret, name, settings, status, env)
    findings.append(secret_finding)
    if credential is None:
        return findings
    try:
        endpoint = credential.endpoint()
    except EndpointError as error:
        findings.append(Finding("portal", "fail", f"not checked: {error}"))
        return findings
    findings.extend(await _portal_findings(endpoint, transport))
    return findings


def _debug_log_finding() -> Finding:
    active = active_log_file()
    if active is not None:
        return Finding("debug log", "info", f"on, writing {active}")
    return Finding("debug log", "info", f"off (--debug or debug = true writes {log_file()})")


def _keyring_finding(status: KeyringStatus, *, env_set: bool) -> Finding:
    text = f"{status.backend_label}: {status.detail}"
    if status.usable:
        return Finding("keyring", "ok", text)
    if env_set:
        return Finding("keyring", "info", f"{text} (not needed: {ENV_WEBHOOK} is set)")
    return Finding("keyring", "fail", text)


def _find_secret(
    name: str, settings: Settings, status: KeyringStatus, env: Mapping[str, str]
) -> tuple[Credential | None, Finding]:
    from_env = EnvStore(env).load(name)
    if from_env is not None:
        return from_env, Finding(
            "secret", "ok", f"found in {ENV_WEBHOOK} (it overrides the keyring): {_shown(from_env)}"
        )
    if not status.usable:
        return None, Finding("secret", "fail", "not looked for: the keyring cannot be used")
    store = KeyringStore(status.backend, timeout=settings.keyring_timeout)
    try:
        stored = store.load(name)
    except StoreError as error:
        return None, Finding("secret", "fail", str(error))
    if stored is None:
        message = missing_credential_message(name, default_profile=settings.default_profile)
        return None, Finding("secret", "fail", message)
    return stored, Finding("secret", "ok", f"found in {store.description}: {_shown(stored)}")


def _shown(credential: Credential) -> str:
    """The credential with every secret masked: its kind and portal."""
    try:
        endpoint = credential.endpoint()
    except EndpointError:
        return "a value that is not a webhook URL"
    if isinstance(endpoint, Webhook):
        return endpoint.redacted_url
    return f"OAuth token for {endpoint.host}"


async def _portal_findings(
    endpoint: Endpoint, transport: httpx.AsyncBaseTransport | None
) -> list[Finding]:
    findings: list[Finding] = []
    async with B24Client(endpoint, transport=transport, timeout=LOGIN_TIMEOUT) as client:
        try:
            profile = await client.system.profile()
        except B24Error as error:
            findings.append(Finding("portal", "fail", f"{endpoint.host}: {_error_text(error)}"))
            return findings
        findings.append(
            Finding(
                "portal", "ok", f"{endpoint.host} answers: {profile.full_name} (user {profile.id})"
            )
        )
        try:
            response = await client.call("scope", {})
        except B24Error as error:
            findings.append(Finding("scopes", "fail", _error_text(error)))
        else:
            granted = frozenset(str(s) for s in response.result or ())
            missing = missing_scopes(granted)
            listed = ", ".join(sorted(granted)) or "none"
            if missing:
                findings.append(
                    Finding("scopes", "fail", f"{listed}; missing: {', '.join(missing)}")
                )
            else:
                findings.append(Finding("scopes", "ok", listed))
            operating = response.time.operating if response.time else None
            budget = f"; 'scope' used {operating:.2f} s of its time budget" if operating else ""
            findings.append(Finding("rate limit", "ok", f"not limited{budget}"))
        findings.append(await _v3_finding(client))
    return [Finding(f.check, f.outcome, redact(f.text, endpoint.secrets())) for f in findings]


async def _v3_finding(client: B24Client) -> Finding:
    try:
        await client.call("tasks.task.get", {"id": 1, "select": ["id"]}, api="v3")
    except MethodNotFound:
        return Finding("REST 3.0", "info", "not available: b24tui uses the classic API")
    except ScopeError:
        return Finding(
            "REST 3.0",
            "info",
            "available, but the webhook lacks the 'tasks' scope: b24tui uses the classic API",
        )
    except RateLimited as error:
        return Finding("REST 3.0", "fail", f"not checked: {error.title}")
    except BadResponse as error:
        if error.http_status == 404:
            return Finding("REST 3.0", "info", "not available: b24tui uses the classic API")
        return Finding("REST 3.0", "fail", f"not checked: {error.title}")
    except ApiError:
        # The method exists and refused this task id (not found, no access): REST 3.0 is there.
        return Finding("REST 3.0", "ok", "available")
    except B24Error as error:
        return Finding("REST 3.0", "fail", f"not checked: {error.title}")
    return Finding("REST 3.0", "ok", "available")


def _error_text(error: B24Error) -> str:
    if isinstance(error, RateLimited):
        return f"rate limited: {error.title}"
    return f"{error.title}. {error.hint}".strip()


def run_doctor(
    profile: str | None,
    *,
    stdout: TextIO,
    environ: Mapping[str, str] | None = None,
    settings_path: Path | None = None,
    probe: Prober = probe_keyring,
    transport: httpx.AsyncBaseTransport | None = None,
) -> int:
    """``b24tui doctor``: print the findings; exit 1 if any check failed."""
    findings = asyncio.run(
        diagnose(
            profile,
            environ=environ,
            settings_path=settings_path,
            probe=probe,
            transport=transport,
        )
    )
    marks = {"ok": "ok", "fail": "FAIL", "info": "--"}
    width = max(len(f.check) for f in findings)
    for finding in findings:
        stdout.write(f"{finding.check:<{width}}  {marks[finding.outcome]:<4}  {finding.text}\n")
    return 1 if any(f.outcome == "fail" for f in findings) else 0
