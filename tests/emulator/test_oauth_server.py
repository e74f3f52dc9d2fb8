"""The emulator's OAuth token endpoint: rotation, lifetimes on the portal clock, errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID, EmulatorApp, build_portal
from b24tui.emulator.credentials import OAuthApp
from b24tui.emulator.oauth_server import OAuthServer, register_demo_app, with_oauth
from tests.conftest import demo_webhook_of

BASE = "http://127.0.0.1:8080"


@pytest.fixture
def server(emulator_app: EmulatorApp) -> OAuthServer:
    return with_oauth(emulator_app)


@pytest.fixture
def demo_app(server: OAuthServer) -> OAuthApp:
    return next(iter(server.app.portal.credentials.oauth.apps.values()))


@pytest.fixture
async def http(server: OAuthServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(server), base_url=BASE) as client:
        yield client


def first_refresh_token(server: OAuthServer, app: OAuthApp, user_id: int = DEMO_USER_ID) -> str:
    portal = server.app.portal
    return portal.credentials.issue_refresh_token(app.client_id, user_id, portal.now()).value


def refresh_params(app: OAuthApp, refresh_token: str, **extra: str) -> dict[str, str]:
    return {
        "grant_type": "refresh_token",
        "client_id": app.client_id,
        "client_secret": app.client_secret,
        "refresh_token": refresh_token,
        **extra,
    }


async def token(http: httpx.AsyncClient, params: dict[str, str]) -> httpx.Response:
    return await http.get("/oauth/token/", params=params)


async def test_a_refresh_answers_the_documented_fields_and_the_token_calls_the_portal(
    server: OAuthServer, demo_app: OAuthApp, http: httpx.AsyncClient
) -> None:
    answer = await token(http, refresh_params(demo_app, first_refresh_token(server, demo_app)))
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    assert set(body) == {
        "access_token",
        "refresh_token",
        "expires",
        "expires_in",
        "client_endpoint",
        "server_endpoint",
        "domain",
        "member_id",
        "scope",
        "status",
        "user_id",
    }
    assert body["client_endpoint"] == f"{BASE}/rest/"
    assert body["expires_in"] == 3600
    now = server.app.portal.now()
    assert body["expires"] == int(now.timestamp()) + 3600
    assert body["user_id"] == DEMO_USER_ID
    assert set(body["scope"].split(",")) == set(demo_app.scopes)
    assert len(body["member_id"]) == 32
    profile = await http.post("/rest/profile", json={"auth": body["access_token"]})
    assert profile.json()["result"]["ID"] == str(DEMO_USER_ID)


async def test_each_refresh_token_works_once_and_is_replaced(
    server: OAuthServer, demo_app: OAuthApp, http: httpx.AsyncClient
) -> None:
    first = first_refresh_token(server, demo_app)
    renewed = (await token(http, refresh_params(demo_app, first))).json()
    assert renewed["refresh_token"] != first
    again = await token(http, refresh_params(demo_app, first))
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert again.json()["error_description"]
    assert (await token(http, refresh_params(demo_app, renewed["refresh_token"]))).is_success
    assert server.stats() == {"requests": 3, "refresh": 2, "authorization_code": 0, "errors": 1}


async def test_access_tokens_expire_after_an_hour_of_portal_time(
    server: OAuthServer, demo_app: OAuthApp, http: httpx.AsyncClient, clock: FrozenClock
) -> None:
    body = (
        await token(http, refresh_params(demo_app, first_refresh_token(server, demo_app)))
    ).json()
    clock.advance(3599)
    assert (await http.post("/rest/profile", json={"auth": body["access_token"]})).is_success
    clock.advance(1)
    expired = await http.post("/rest/profile", json={"auth": body["access_token"]})
    assert expired.status_code == 401
    assert expired.json()["error"] == "expired_token"
    renewed = await token(http, refresh_params(demo_app, body["refresh_token"]))
    assert renewed.is_success


async def test_a_refresh_token_lapses_after_180_days(
    server: OAuthServer, demo_app: OAuthApp, http: httpx.AsyncClient, clock: FrozenClock
) -> None:
    young = first_refresh_token(server, demo_app)
    old = first_refresh_token(server, demo_app)
    clock.advance(180 * 86400 - 1)
    assert (await token(http, refresh_params(demo_app, young))).is_success
    clock.advance(1)
    assert (await token(http, refresh_params(demo_app, old))).json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        ({"client_secret": "wrong"}, 401, "invalid_client"),
        ({"client_id": "local.unknown"}, 401, "invalid_client"),
        ({"refresh_token": "made-up"}, 400, "invalid_grant"),
        ({"refresh_token": ""}, 400, "invalid_request"),
        ({"grant_type": "password"}, 400, "invalid_request"),
    ],
)
async def test_refusals(
    server: OAuthServer,
    demo_app: OAuthApp,
    http: httpx.AsyncClient,
    change: dict[str, str],
    status: int,
    error: str,
) -> None:
    refresh_token = first_refresh_token(server, demo_app)
    params = {**refresh_params(demo_app, refresh_token), **change}
    answer = await token(http, params)
    assert (answer.status_code, answer.json()["error"]) == (status, error)
    assert answer.json()["error_description"]
    assert demo_app.client_secret not in answer.text
    assert server.stats()["errors"] == 1


async def test_a_refresh_token_of_another_app_is_refused(
    server: OAuthServer, demo_app: OAuthApp, http: httpx.AsyncClient
) -> None:
    other = server.app.portal.credentials.add_app()
    stolen = first_refresh_token(server, other)
    answer = await token(http, refresh_params(demo_app, stolen))
    assert answer.json()["error"] == "invalid_grant"


async def test_a_form_post_and_a_path_without_slash_work_like_get(
    server: OAuthServer, demo_app: OAuthApp, http: httpx.AsyncClient
) -> None:
    params = refresh_params(demo_app, first_refresh_token(server, demo_app))
    answer = await http.post("/oauth/token", data=params)
    assert answer.status_code == 200
    assert answer.json()["user_id"] == DEMO_USER_ID


async def test_an_authorization_code_works_once_within_30_seconds(
    server: OAuthServer, demo_app: OAuthApp, http: httpx.AsyncClient, clock: FrozenClock
) -> None:
    portal = server.app.portal
    code = portal.credentials.issue_code(demo_app.client_id, DEMO_USER_ID, portal.now()).value
    late = portal.credentials.issue_code(demo_app.client_id, DEMO_USER_ID, portal.now()).value
    params = {
        "grant_type": "authorization_code",
        "client_id": demo_app.client_id,
        "client_secret": demo_app.client_secret,
    }
    assert (await token(http, {**params, "code": code})).is_success
    assert (await token(http, {**params, "code": code})).json()["error"] == "invalid_grant"
    clock.advance(30)
    assert (await token(http, {**params, "code": late})).json()["error"] == "invalid_grant"
    assert server.stats()["authorization_code"] == 1


async def test_the_grant_helper_hands_out_a_working_first_refresh_token(
    server: OAuthServer, demo_app: OAuthApp, http: httpx.AsyncClient
) -> None:
    grant = (await http.post("/_emulator/oauth/grant", json={"user_id": 2})).json()
    assert grant["client_id"] == demo_app.client_id
    assert grant["client_secret"] == demo_app.client_secret
    answer = await token(http, refresh_params(demo_app, grant["refresh_token"]))
    assert answer.json()["user_id"] == 2
    missing = await http.post("/_emulator/oauth/grant", json={"user_id": 99999})
    assert missing.status_code == 404


async def test_everything_else_reaches_the_portal(
    server: OAuthServer, http: httpx.AsyncClient
) -> None:
    webhook = demo_webhook_of(server.app.portal)
    answer = await http.get(f"/rest/{webhook.user_id}/{webhook.code}/scope")
    assert answer.json()["result"] == sorted(webhook.scopes)
    assert server.journal.last().method == "scope"
    assert server.stats()["requests"] == 0


def test_the_demo_app_is_the_same_for_the_same_seed(clock: FrozenClock) -> None:
    first = register_demo_app(build_portal("empty", clock=clock), seed=4)
    second = register_demo_app(build_portal("empty", clock=clock), seed=4)
    other = register_demo_app(build_portal("empty", clock=clock), seed=5)
    assert (first.client_id, first.client_secret) == (second.client_id, second.client_secret)
    assert first.client_id != other.client_id
    assert first.client_secret not in repr(first)
