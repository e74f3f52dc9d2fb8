"""The client on the wire, over ``httpx.MockTransport``: request form, and the faults the
emulator cannot make (HTML pages, truncated JSON, dropped connections, timeouts,
redirects), plus the retry and token-refresh seams."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from b24tui import __version__
from b24tui.api import (
    B24Client,
    B24Error,
    BadResponse,
    CallTime,
    ConnectError,
    ConnectionDropped,
    NotFound,
    OAuthToken,
    PortalMoved,
    RateLimited,
    RequestTimeout,
    TokenExpired,
    ValidationError,
    Webhook,
)

CODE = "w3bh00kc0de12345"
URL = f"https://acme.bitrix24.com/rest/5/{CODE}/"

Handler = Callable[[httpx.Request], httpx.Response]


def ok(result: Any, **extra: Any) -> httpx.Response:
    return httpx.Response(200, json={"result": result, **extra})


class Recorder:
    """A MockTransport handler that answers from a list and keeps the requests."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def client(self, endpoint: Webhook | OAuthToken | None = None, **kwargs: Any) -> B24Client:
        return B24Client(
            endpoint or Webhook.parse(URL), transport=httpx.MockTransport(self), **kwargs
        )

    def body(self, index: int = -1) -> Any:
        return json.loads(self.requests[index].content)


async def test_a_call_is_a_json_post_with_the_documented_headers() -> None:
    wire = Recorder(ok({"tasks": []}, total=0, time={"operating": 1.5, "operating_reset_at": 99}))
    async with wire.client() as client:
        response = await client.call("tasks.task.list", {"filter": {">ID": 5}, "start": -1})
    request = wire.requests[0]
    assert request.method == "POST"
    assert str(request.url) == URL + "tasks.task.list"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"] == f"b24tui/{__version__}"
    assert wire.body() == {"filter": {">ID": 5}, "start": -1}
    assert response.result == {"tasks": []}
    assert response.total == 0
    assert response.next is None
    assert response.time == CallTime(operating=1.5, operating_reset_at=99.0)
    assert response.api == "v1"


async def test_positional_params_go_as_a_root_json_array() -> None:
    wire = Recorder(ok(True))
    async with wire.client() as client:
        await client.call("task.checklistitem.complete", [13, 475])
    assert wire.body() == [13, 475]


async def test_no_params_send_an_empty_object() -> None:
    wire = Recorder(ok({"ID": "5"}))
    async with wire.client() as client:
        await client.call("user.current")
    assert wire.body() == {}


async def test_v3_calls_go_under_rest_api() -> None:
    wire = Recorder(ok({"result": True}))
    async with wire.client() as client:
        response = await client.call("tasks.task.update", {"id": 1, "fields": {}}, api="v3")
    assert (
        str(wire.requests[0].url)
        == f"https://acme.bitrix24.com/rest/api/5/{CODE}/tasks.task.update"
    )
    assert response.api == "v3"


async def test_oauth_sends_auth_in_the_body_or_in_the_query_for_positional_calls() -> None:
    wire = Recorder(ok(True))
    token = OAuthToken("acme.bitrix24.com", "access-tok-1")
    async with wire.client(token) as client:
        await client.call("tasks.task.get", {"taskId": 1})
        await client.call("task.checklistitem.complete", [1, 2])
    assert str(wire.requests[0].url) == "https://acme.bitrix24.com/rest/tasks.task.get"
    assert wire.body(0) == {"taskId": 1, "auth": "access-tok-1"}
    assert wire.body(1) == [1, 2]
    assert wire.requests[1].url.params["auth"] == "access-tok-1"


async def test_html_error_page() -> None:
    wire = Recorder(httpx.Response(502, html="<html><body><h1>502 Bad Gateway</h1></body></html>"))
    async with wire.client() as client:
        with pytest.raises(BadResponse) as caught:
            await client.call("profile")
    assert caught.value.title == "The portal answered with an HTML page (HTTP 502)"
    assert caught.value.retryable


async def test_truncated_json() -> None:
    wire = Recorder(
        httpx.Response(
            200,
            content=b'{"result":{"tasks":[{"id":"1"',
            headers={"content-type": "application/json"},
        )
    )
    async with wire.client() as client:
        with pytest.raises(BadResponse, match="cut short"):
            await client.call("tasks.task.list")


async def test_dropped_connection() -> None:
    wire = Recorder(httpx.RemoteProtocolError("Server disconnected without sending a response."))
    async with wire.client() as client:
        with pytest.raises(ConnectionDropped) as caught:
            await client.call("tasks.task.list")
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


async def test_timeout() -> None:
    wire = Recorder(httpx.ReadTimeout("timed out"))
    async with wire.client() as client:
        with pytest.raises(RequestTimeout):
            await client.call("tasks.task.list")


async def test_connect_failure() -> None:
    wire = Recorder(httpx.ConnectError("[Errno -2] Name or service not known"))
    async with wire.client() as client:
        with pytest.raises(ConnectError):
            await client.call("profile")


async def test_redirect_is_not_followed_and_names_the_new_host() -> None:
    wire = Recorder(
        httpx.Response(
            302, headers={"location": f"https://renamed.bitrix24.com/rest/5/{CODE}/profile"}
        )
    )
    async with wire.client() as client:
        with pytest.raises(PortalMoved) as caught:
            await client.call("profile")
    assert len(wire.requests) == 1
    assert caught.value.new_host == "renamed.bitrix24.com"


class RetryOnce:
    """A policy that repeats a rate-limited call once after 0.25 s."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, int]] = []
        self.times: list[CallTime | None] = []

    async def before_call(self, method: str) -> None:
        self.seen.append((method, len(self.seen)))

    def after_call(self, method: str, time: CallTime | None) -> None:
        self.times.append(time)

    def retry_delay(self, error: B24Error, *, method: str, attempt: int) -> float | None:
        return 0.25 if isinstance(error, RateLimited) and attempt == 1 else None

    def waiting(self) -> str | None:
        return None


async def test_the_policy_decides_retries_and_the_client_waits_as_told() -> None:
    limited = httpx.Response(
        503, json={"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}
    )
    wire = Recorder(limited, ok({"ID": "5"}, time={"operating": 0.1}))
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    policy = RetryOnce()
    async with wire.client(policy=policy, sleep=fake_sleep) as client:
        response = await client.call("user.current")
    assert response.result == {"ID": "5"}
    assert waits == [0.25]
    assert len(wire.requests) == 2
    assert len(policy.seen) == 2
    assert policy.times == [CallTime(operating=0.1)]


async def test_without_a_policy_nothing_is_retried() -> None:
    wire = Recorder(
        httpx.Response(503, json={"error": "QUERY_LIMIT_EXCEEDED", "error_description": "x"})
    )
    async with wire.client() as client:
        with pytest.raises(RateLimited):
            await client.call("user.current")
    assert len(wire.requests) == 1


async def test_an_expired_token_is_refreshed_once_and_the_call_repeated() -> None:
    expired = httpx.Response(
        401,
        json={
            "error": "expired_token",
            "error_description": "The access token provided has expired",
        },
    )
    wire = Recorder(expired, ok({"ID": "5"}))
    refreshed: list[OAuthToken] = []

    async def refresher(old: OAuthToken) -> OAuthToken:
        refreshed.append(old)
        return OAuthToken(old.portal, "fresh-token", refresh_token="fresh-refresh")

    async with wire.client(
        OAuthToken("acme.bitrix24.com", "old-token"), token_refresher=refresher
    ) as client:
        await client.call("user.current")
        assert isinstance(client.endpoint, OAuthToken)
        assert client.endpoint.access_token == "fresh-token"
    assert [wire.body(i)["auth"] for i in range(2)] == ["old-token", "fresh-token"]
    assert len(refreshed) == 1


async def test_an_expired_token_without_a_refresher_is_raised() -> None:
    wire = Recorder(httpx.Response(401, json={"error": "expired_token", "error_description": ""}))
    async with wire.client(OAuthToken("acme.bitrix24.com", "old")) as client:
        with pytest.raises(TokenExpired):
            await client.call("user.current")


async def test_closing_the_client_closes_the_pool() -> None:
    wire = Recorder(ok(True))
    client = wire.client()
    async with client:
        assert not client.closed
    assert client.closed


async def test_models_the_portal_cannot_fill_are_bad_responses() -> None:
    wire = Recorder(ok({"task": {"title": "no id"}}))
    async with wire.client() as client:
        with pytest.raises(BadResponse, match="could not be read"):
            await client.tasks.get(1)


async def test_empty_result_of_get_is_not_found() -> None:
    wire = Recorder(ok([]))
    async with wire.client() as client:
        with pytest.raises(NotFound, match="Task not found or you have no access"):
            await client.tasks.get(404)


def routed(v3_answer: httpx.Response) -> Recorder:
    """A portal whose REST 3.0 path gives ``v3_answer`` and whose v1 path succeeds."""

    class Router(Recorder):
        def __call__(self, request: httpx.Request) -> httpx.Response:
            self.requests.append(request)
            if "/rest/api/" in request.url.path:
                return v3_answer
            return ok({"task": True})

    return Router(ok(None))


@pytest.mark.parametrize(
    "v3_answer",
    [
        httpx.Response(
            403,
            json={
                "error": {
                    "code": "BITRIX_REST_V3_EXCEPTION_INSUFFICIENTSCOPEEXCEPTION",
                    "message": "Insufficient scope",
                }
            },
        ),
        httpx.Response(
            404, json={"error": "ERROR_METHOD_NOT_FOUND", "error_description": "Method not found!"}
        ),
        httpx.Response(404, html="<html><body>Not Found</body></html>"),
    ],
    ids=["scope", "method-not-found", "html-404"],
)
async def test_auto_falls_back_to_v1_and_remembers_the_portal(v3_answer: httpx.Response) -> None:
    wire = routed(v3_answer)
    async with wire.client() as client:
        first = await client.call("tasks.task.delete", {"taskId": 5}, api="auto")
        second = await client.call("tasks.task.delete", {"taskId": 6}, api="auto")
        assert client.generations.known("acme.bitrix24.com") == "v1"
    assert (first.api, second.api) == ("v1", "v1")
    paths = ["/rest/api/" in request.url.path for request in wire.requests]
    assert paths == [True, False, False]


async def test_auto_does_not_fall_back_on_a_real_refusal() -> None:
    wire = routed(
        httpx.Response(
            400,
            json={
                "error": {
                    "code": "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION",
                    "message": "Error during request object validation",
                    "validation": [{"field": "id", "message": "Required field `id`"}],
                }
            },
        )
    )
    async with wire.client() as client:
        with pytest.raises(ValidationError) as caught:
            await client.call("tasks.task.delete", {}, api="auto")
        assert client.generations.known("acme.bitrix24.com") is None
    assert caught.value.fields == (("id", "Required field `id`"),)
    assert len(wire.requests) == 1
