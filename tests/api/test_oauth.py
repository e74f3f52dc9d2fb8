"""The client with an OAuth access token against the emulated portal: ``auth`` in the body
(or in the query for positional calls), and one refresh when the token has expired."""

from __future__ import annotations

import asyncio
import logging
import socket
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest

from b24tui.api import (
    AccessDenied,
    AuthError,
    B24Client,
    B24Error,
    BadResponse,
    ConnectError,
    EndpointError,
    OAuthToken,
    ScopeError,
    TokenExpired,
)
from b24tui.api.oauth import OAuthApp, OAuthGrantError, TokenServerRefresher
from b24tui.auth import Credential, MemoryStore, OAuthCredential, SavingTokenRefresher
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID, Journal, Portal, RunningEmulator
from b24tui.emulator.credentials import DEFAULT_SCOPES
from b24tui.emulator.oauth_server import OAuthServer, with_oauth
from b24tui.emulator.server import AppSlot
from b24tui.models import TaskChanges
from tests.conftest import ServedEmulator


def issue(emulator: ServedEmulator, lifetime: timedelta = timedelta(hours=1)) -> str:
    portal = emulator.portal
    return portal.credentials.issue_token(
        DEMO_USER_ID, DEFAULT_SCOPES, portal.now(), lifetime
    ).token


async def test_oauth_calls_on_both_generations_and_positional(emulator: ServedEmulator) -> None:
    token = OAuthToken(emulator.base_url, issue(emulator))
    task_id = next(
        t.id
        for t in sorted(emulator.portal.tasks.values(), key=lambda t: t.id)
        if t.created_by == DEMO_USER_ID and emulator.portal.checklist_of(t.id)
    )
    async with B24Client(token) as client:
        assert (await client.system.profile()).id == DEMO_USER_ID
        assert await client.checklist.items(task_id)
        updated = await client.tasks.update(task_id, TaskChanges(title="Over OAuth"))
    assert updated.title == "Over OAuth"
    journal = emulator.app.journal
    assert journal.last("task.checklistitem.getlist").params == [
        task_id,
        {"PARENT_ID": "asc", "SORT_INDEX": "asc"},
    ]
    assert journal.last("tasks.task.update").api == "v3"
    assert all(entry.user_id == DEMO_USER_ID for entry in journal)


async def test_an_expired_token_is_refreshed_once(
    emulator: ServedEmulator, clock: FrozenClock
) -> None:
    expiring = OAuthToken(emulator.base_url, issue(emulator, timedelta(minutes=1)))
    clock.advance(120)
    refreshed: list[str] = []

    async def refresh(old: OAuthToken) -> OAuthToken:
        refreshed.append(old.host)
        return OAuthToken(old.portal, issue(emulator))

    async with B24Client(expiring, token_refresher=refresh) as client:
        me = await client.users.current()
        assert me.id == DEMO_USER_ID
        assert client.endpoint is not expiring
    assert len(refreshed) == 1
    assert [entry.error for entry in emulator.app.journal.entries("user.current")] == [
        "expired_token",
        None,
    ]


async def test_an_expired_token_without_a_refresher(
    emulator: ServedEmulator, clock: FrozenClock
) -> None:
    expiring = OAuthToken(emulator.base_url, issue(emulator, timedelta(minutes=1)))
    clock.advance(120)
    async with B24Client(expiring) as client:
        with pytest.raises(TokenExpired):
            await client.users.current()


# --- renewing at the token server -------------------------------------------------------


@dataclass(frozen=True)
class TokenServer:
    """The emulator served with its OAuth token endpoint, and the demo app's keys."""

    served: ServedEmulator
    server: OAuthServer
    app: OAuthApp

    @property
    def portal(self) -> Portal:
        return self.served.portal

    def first_refresh_token(self) -> str:
        portal = self.portal
        return portal.credentials.issue_refresh_token(
            self.app.client_id, DEMO_USER_ID, portal.now()
        ).value

    def expired_token(self, clock: FrozenClock) -> OAuthToken:
        """An access token that expired a minute ago, with a live refresh token."""
        access = issue(self.served, timedelta(minutes=1))
        clock.advance(120)
        return OAuthToken(self.served.base_url, access, self.first_refresh_token())


@pytest.fixture
def token_server(
    emulator: ServedEmulator, _emulator_server: tuple[AppSlot, RunningEmulator]
) -> TokenServer:
    slot, _running = _emulator_server
    server = with_oauth(emulator.app)
    slot.app = server
    registered = next(iter(emulator.portal.credentials.oauth.apps.values()))
    app = OAuthApp(
        registered.client_id, registered.client_secret, f"{emulator.base_url}/oauth/token/"
    )
    return TokenServer(emulator, server, app)


class RecordingStore(MemoryStore):
    """Remembers how many task reads had succeeded each time a credential was saved."""

    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal = journal
        self.reads_done_at_save: list[int] = []

    def save(self, profile: str, credential: Credential) -> None:
        done = [e for e in self.journal.entries("tasks.task.get") if e.error is None]
        self.reads_done_at_save.append(len(done))
        super().save(profile, credential)


async def test_ten_concurrent_calls_share_one_refresh_and_the_pair_is_saved_first(
    token_server: TokenServer, clock: FrozenClock
) -> None:
    expired = token_server.expired_token(clock)
    store = RecordingStore(token_server.served.app.journal)
    app = token_server.app
    stored = OAuthCredential(
        expired.portal,
        expired.access_token,
        expired.refresh_token,
        client_id=app.client_id,
        client_secret=app.client_secret,
    )
    saving = SavingTokenRefresher(TokenServerRefresher(app), store, "work", stored)
    task_ids = sorted(
        t.id for t in token_server.portal.tasks.values() if t.responsible_id == DEMO_USER_ID
    )[:10]
    assert len(task_ids) == 10
    async with B24Client(expired, token_refresher=saving) as client:
        tasks = await asyncio.gather(*(client.tasks.get(task_id) for task_id in task_ids))
        renewed = client.endpoint
    assert [task.id for task in tasks] == task_ids
    assert token_server.server.stats()["refresh"] == 1
    assert store.reads_done_at_save == [0]
    saved = store.load("work")
    assert isinstance(saved, OAuthCredential)
    assert isinstance(renewed, OAuthToken)
    assert (saved.access_token, saved.refresh_token) == (
        renewed.access_token,
        renewed.refresh_token,
    )
    assert saved.refresh_token != expired.refresh_token
    assert (saved.client_id, saved.client_secret) == (app.client_id, app.client_secret)
    assert saved.expires_at == token_server.portal.now() + timedelta(hours=1)


async def test_a_used_refresh_token_is_refused_and_the_call_fails_with_sign_in_again(
    token_server: TokenServer, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    expired = token_server.expired_token(clock)
    refresher = TokenServerRefresher(token_server.app)
    assert expired.refresh_token is not None
    await refresher.refresh(expired.refresh_token)  # someone else used it first
    caplog.set_level(logging.DEBUG)
    async with B24Client(expired, token_refresher=refresher) as client:
        with pytest.raises(OAuthGrantError) as caught:
            await client.users.current()
    error = caught.value
    assert isinstance(error, AuthError)
    assert error.code == "invalid_grant"
    assert "login --oauth" in error.hint
    shown = f"{error} {error!r} {error.description} {caplog.text}"
    for secret in (token_server.app.client_secret, expired.refresh_token, expired.access_token):
        assert secret not in shown
    assert "/oauth/token/" in caplog.text  # the request was logged, with its secrets masked


async def test_wrong_app_keys_are_an_invalid_client_error(token_server: TokenServer) -> None:
    app = token_server.app
    wrong = OAuthApp(app.client_id, "not-the-secret", app.token_url)
    with pytest.raises(OAuthGrantError) as caught:
        await TokenServerRefresher(wrong).refresh(token_server.first_refresh_token())
    assert caught.value.code == "invalid_client"
    assert caught.value.http_status == 401
    assert "client_secret" in caught.value.title


async def test_a_token_without_a_refresh_token_cannot_be_renewed(
    token_server: TokenServer,
) -> None:
    bare = OAuthToken(token_server.served.base_url, "expired-access")
    with pytest.raises(OAuthGrantError):
        await TokenServerRefresher(token_server.app)(bare)
    assert token_server.server.stats()["requests"] == 0


async def test_an_authorization_code_is_exchanged_for_a_working_pair(
    token_server: TokenServer,
) -> None:
    portal = token_server.portal
    code = portal.credentials.issue_code(token_server.app.client_id, 2, portal.now()).value
    grant = await TokenServerRefresher(token_server.app).exchange_code(code)
    assert grant.user_id == 2
    assert grant.scopes == DEFAULT_SCOPES
    async with B24Client(grant.token()) as client:
        assert (await client.system.profile()).id == 2


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (503, b"<html>busy</html>", BadResponse),
        (200, b'{"access_token": "a"}', BadResponse),
        (
            200,
            b'{"access_token":"a","refresh_token":"r","client_endpoint":"http://x.example/rest/",'
            b'"expires_in":3600}',
            BadResponse,
        ),
        (402, b'{"error":"PAYMENT_REQUIRED","error_description":"Payment required"}', AccessDenied),
        (400, b'{"error":"invalid_scope","error_description":"x"}', ScopeError),
    ],
    ids=["html", "no-refresh-token", "plain-http-portal", "payment", "scope"],
)
async def test_odd_token_server_answers(status: int, body: bytes, expected: type[B24Error]) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, content=body)

    app = OAuthApp("local.app", "s3cret-value")
    refresher = TokenServerRefresher(app, transport=httpx.MockTransport(answer))
    with pytest.raises(expected) as caught:
        await refresher.refresh("r3fresh-value")
    assert "s3cret-value" not in f"{caught.value} {caught.value!r} {caught.value.description}"
    (request,) = seen
    assert request.method == "GET"
    assert request.url.host == "oauth.bitrix.info"
    assert request.url.params["grant_type"] == "refresh_token"
    assert request.url.params["client_secret"] == "s3cret-value"


async def test_an_unreachable_token_server_is_a_connect_error(
    token_server: TokenServer,
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = OAuthApp("local.app", "s3cret-value", f"http://127.0.0.1:{port}/oauth/token/")
    with pytest.raises(ConnectError) as caught:
        await TokenServerRefresher(app).refresh("r3fresh-value")
    assert "s3cret-value" not in caught.value.description
    assert "r3fresh-value" not in caught.value.description


@pytest.mark.parametrize(
    "url",
    ["http://oauth.example/oauth/token/", "ftp://127.0.0.1/", "https://h/t/?client_secret=x"],
)
def test_an_app_refuses_a_token_url_that_would_leak_the_secret(url: str) -> None:
    with pytest.raises(EndpointError) as caught:
        OAuthApp("local.app", "s3cret-value", url)
    assert "s3cret-value" not in str(caught.value)


def test_an_app_never_shows_its_secret() -> None:
    app = OAuthApp("local.app", "s3cret-value", "http://127.0.0.1:9/oauth/token/")
    assert "s3cret-value" not in f"{app!r} {app} {TokenServerRefresher(app)!r}"


async def test_a_failed_refresh_is_not_repeated_for_each_waiting_call(
    token_server: TokenServer, clock: FrozenClock
) -> None:
    expired = token_server.expired_token(clock)
    refresher = TokenServerRefresher(token_server.app)
    assert expired.refresh_token is not None
    await refresher.refresh(expired.refresh_token)  # spent elsewhere: the next use fails
    before = token_server.server.stats()["requests"]
    async with B24Client(expired, token_refresher=refresher) as client:
        outcomes = await asyncio.gather(
            *(client.users.current() for _ in range(10)), return_exceptions=True
        )
    assert all(isinstance(outcome, OAuthGrantError) for outcome in outcomes)
    assert token_server.server.stats()["requests"] - before == 1
