"""The client with PacingPolicy over ``httpx.MockTransport``: what is retried, what is not,
and that a write whose answer was lost is never sent twice."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from b24tui.api import (
    B24Client,
    BadResponse,
    Batch,
    NotFound,
    OAuthToken,
    OperationTimeLimit,
    Overloaded,
    RateLimited,
    ServerError,
    Webhook,
)
from b24tui.api.errors import OutcomeUnknown
from b24tui.api.pacing import PacingPolicy
from tests.api.test_pacing import START, FakeTime

CODE = "r3trysecretcode9"
URL = f"https://acme.bitrix24.com/rest/5/{CODE}/"

Answer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def ok(result: Any, **extra: Any) -> httpx.Response:
    return httpx.Response(200, json={"result": result, **extra})


def v1_error(status: int, code: str, description: str = "", **extra: Any) -> httpx.Response:
    return httpx.Response(status, json={"error": code, "error_description": description, **extra})


class Portal:
    """A MockTransport handler answering from a script, counting requests per method."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(request)
        return answer

    def methods(self) -> list[str]:
        return [request.url.path.rsplit("/", 1)[-1] for request in self.requests]


def client_for(portal: Portal, fake: FakeTime, endpoint: Any = None, **kwargs: Any) -> B24Client:
    policy = PacingPolicy(clock=fake, wall=fake, sleep=fake.sleep, seed=3)
    return B24Client(
        endpoint or Webhook.parse(URL),
        transport=httpx.MockTransport(portal),
        policy=policy,
        sleep=fake.sleep,
        **kwargs,
    )


def pacing_of(client: B24Client) -> PacingPolicy:
    assert isinstance(client.policy, PacingPolicy)
    return client.policy


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


# --- rate limits -----------------------------------------------------------------------


async def test_query_limit_exceeded_is_retried_with_backoff_for_reads_and_writes(
    fake: FakeTime,
) -> None:
    limited = v1_error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests")
    portal = Portal(limited, limited, ok({"task": {"id": "9"}}), ok({"ID": "1"}))
    async with client_for(portal, fake) as client:
        # The portal refused before running anything: even a write may go again.
        added = await client.call("tasks.task.add", {"fields": {"TITLE": "x"}})
        assert added.result == {"task": {"id": "9"}}
        assert len(portal.requests) == 3
        assert len(fake.slept) >= 2  # a backoff per refusal, plus the bucket's spacing
        assert fake.now > START
        assert client.policy.state().last_backoff is not None  # type: ignore[attr-defined]


async def test_query_limit_exceeded_gives_up_after_a_few_tries(fake: FakeTime) -> None:
    portal = Portal(v1_error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests"))
    async with client_for(portal, fake) as client:
        with pytest.raises(RateLimited):
            await client.call("tasks.task.list")
    assert len(portal.requests) == 7  # the first try and six retries


async def test_overload_limit_is_never_retried(fake: FakeTime) -> None:
    portal = Portal(v1_error(503, "OVERLOAD_LIMIT", "REST API is blocked due to overload."))
    async with client_for(portal, fake) as client:
        with pytest.raises(Overloaded) as caught:
            await client.call("tasks.task.list")
    assert len(portal.requests) == 1
    assert "support" in caught.value.hint.lower()


async def test_operation_time_limit_waits_for_the_reset_and_other_methods_go_on(
    fake: FakeTime,
) -> None:
    refused = v1_error(
        429,
        "OPERATION_TIME_LIMIT",
        "Method is blocked due to operation time limit.",
        time={"operating_reset_at": START + 75},
    )

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("tasks.task.list") and fake.now < START + 75:
            return refused
        return ok({"tasks": []} if "list" in request.url.path else {"ID": "1"})

    portal = Portal(answer)
    async with client_for(portal, fake) as client:
        listing = asyncio.create_task(client.call("tasks.task.list"))
        for _ in range(3):
            await asyncio.sleep(0)
        assert "tasks.task.list" in client.policy.state().parked  # type: ignore[attr-defined]
        clock_then = fake.now
        await client.call("user.current")  # not parked: goes at once
        assert fake.now == clock_then
        response = await listing
    assert response.result == {"tasks": []}
    assert fake.now >= START + 75
    assert portal.methods().count("tasks.task.list") == 2


async def test_operation_time_limit_far_away_is_reported(fake: FakeTime) -> None:
    refused = v1_error(429, "OPERATION_TIME_LIMIT", "blocked")
    portal = Portal(refused)
    async with client_for(portal, fake) as client:
        with pytest.raises(OperationTimeLimit):
            await client.call("tasks.task.list")
    assert len(portal.requests) == 3  # the first try and two waits for a reset


# --- faults on reads and writes --------------------------------------------------------


async def test_a_server_error_on_a_read_is_retried_and_succeeds(fake: FakeTime) -> None:
    portal = Portal(
        v1_error(500, "INTERNAL_SERVER_ERROR", "Internal server error"),
        httpx.Response(502, html="<html><body>Bad Gateway</body></html>"),
        ok({"task": {"id": "5"}}),
    )
    async with client_for(portal, fake) as client:
        response = await client.call("tasks.task.get", {"taskId": 5})
    assert response.result == {"task": {"id": "5"}}
    assert len(portal.requests) == 3


async def test_a_server_error_on_a_write_is_not_retried(fake: FakeTime) -> None:
    portal = Portal(v1_error(500, "INTERNAL_SERVER_ERROR", "Internal server error"))
    async with client_for(portal, fake) as client:
        with pytest.raises(ServerError):
            await client.call("tasks.task.update", {"taskId": 5, "fields": {"TITLE": "y"}})
    assert len(portal.requests) == 1


@pytest.mark.parametrize(
    "lost",
    [
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.Response(
            200,
            content=b'{"result":{"task":{"id":"1"',
            headers={"content-type": "application/json"},
        ),
    ],
    ids=["timeout", "dropped", "truncated"],
)
async def test_a_write_whose_answer_was_lost_is_never_sent_again(
    fake: FakeTime, lost: Answer
) -> None:
    portal = Portal(lost, ok({"task": {"id": "1"}}))
    async with client_for(portal, fake) as client:
        with pytest.raises(OutcomeUnknown) as caught:
            await client.call("tasks.task.complete", {"taskId": 1})
    assert len(portal.requests) == 1
    error = caught.value
    assert error.title == "The portal may or may not have done it"
    assert "refresh" in error.hint.lower()
    assert error.method == "tasks.task.complete"
    assert CODE not in str(error)
    assert CODE not in repr(error)
    assert CODE not in error.description


@pytest.mark.parametrize(
    "lost",
    [
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.Response(
            200,
            content=b'{"result":{"tasks":[{"id":"1"',
            headers={"content-type": "application/json"},
        ),
    ],
    ids=["timeout", "dropped", "truncated"],
)
async def test_a_read_whose_answer_was_lost_is_retried(fake: FakeTime, lost: Answer) -> None:
    portal = Portal(lost, ok({"tasks": []}))
    async with client_for(portal, fake) as client:
        response = await client.call("tasks.task.list")
    assert response.result == {"tasks": []}
    assert len(portal.requests) == 2


async def test_an_idempotent_action_is_retried_after_a_timeout(fake: FakeTime) -> None:
    portal = Portal(httpx.ReadTimeout("timed out"), ok({"task": {"id": "3", "isMuted": "Y"}}))
    async with client_for(portal, fake) as client:
        response = await client.call("tasks.task.mute", {"id": 3})
    assert response.result["task"]["isMuted"] == "Y"
    assert len(portal.requests) == 2


async def test_a_write_is_retried_when_no_connection_was_made(fake: FakeTime) -> None:
    portal = Portal(httpx.ConnectError("connection refused"), ok({"task": {"id": "8"}}))
    async with client_for(portal, fake) as client:
        response = await client.call("tasks.task.add", {"fields": {"TITLE": "z"}})
    assert response.result == {"task": {"id": "8"}}
    assert len(portal.requests) == 2


async def test_an_html_page_on_success_status_is_a_clear_error_at_once(fake: FakeTime) -> None:
    portal = Portal(httpx.Response(200, html="<html><body>Sign in</body></html>"))
    async with client_for(portal, fake) as client:
        with pytest.raises(BadResponse) as caught:
            await client.call("tasks.task.list")
    assert caught.value.title == "The portal answered with an HTML page (HTTP 200)"
    assert len(portal.requests) == 1


async def test_a_gateway_page_on_a_read_ends_in_the_clear_error_after_a_few_tries(
    fake: FakeTime,
) -> None:
    portal = Portal(httpx.Response(502, html="<html><body>Bad Gateway</body></html>"))
    async with client_for(portal, fake) as client:
        with pytest.raises(BadResponse, match="HTML page"):
            await client.call("tasks.task.list")
    assert len(portal.requests) == 4  # the first try and three retries


async def test_other_client_errors_are_not_retried(fake: FakeTime) -> None:
    portal = Portal(v1_error(400, "1048584", "a:0:{}"))
    async with client_for(portal, fake) as client:
        with pytest.raises(NotFound):
            await client.call("tasks.task.startwatch", {"taskId": 404})
    assert len(portal.requests) == 1


# --- batches ---------------------------------------------------------------------------


def batch_answer(request: httpx.Request) -> httpx.Response:
    commands = json.loads(request.content)["cmd"]
    return ok(
        {
            "result": {key: {"tasks": []} for key in commands},
            "result_time": {
                key: {"finish": START, "operating": 430.0, "operating_reset_at": START + 300}
                for key in commands
            },
        },
        time={"finish": START, "operating": 0.5},
    )


async def test_a_batch_of_reads_is_retried_and_feeds_each_command_s_time(
    fake: FakeTime,
) -> None:
    portal = Portal(v1_error(500, "INTERNAL_SERVER_ERROR", "oops"), batch_answer)
    batch = Batch()
    batch.add("tasks.task.list", {"start": -1})
    batch.add("tasks.task.list", {"start": -1})
    async with client_for(portal, fake) as client:
        result = await client.batch(batch)
        state = pacing_of(client).state()
    assert result.ok("c0")
    assert len(portal.requests) == 2
    assert set(state.near_budget) == {"tasks.task.list"}  # not "batch"


async def test_a_batch_with_a_write_is_not_retried(fake: FakeTime) -> None:
    portal = Portal(httpx.ReadTimeout("timed out"), batch_answer)
    batch = Batch()
    batch.add("tasks.task.get", {"taskId": 1})
    batch.add("tasks.task.complete", {"taskId": 1})
    async with client_for(portal, fake) as client:
        with pytest.raises(OutcomeUnknown):
            await client.batch(batch)
    assert len(portal.requests) == 1


# --- token refresh ---------------------------------------------------------------------


async def test_concurrent_callers_share_one_token_refresh(fake: FakeTime) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if json.loads(request.content).get("auth") == "old-token":
            return v1_error(401, "expired_token", "The access token provided has expired.")
        return ok({"ID": "5"})

    refreshes: list[str] = []

    async def refresher(old: OAuthToken) -> OAuthToken:
        refreshes.append(old.access_token)
        await asyncio.sleep(0)
        return OAuthToken(old.portal, "new-token", refresh_token="next-refresh")

    portal = Portal(answer)
    token = OAuthToken("acme.bitrix24.com", "old-token", refresh_token="first-refresh")
    async with client_for(portal, fake, token, token_refresher=refresher) as client:
        results = await asyncio.gather(*(client.call("user.current") for _ in range(4)))
    assert all(r.result == {"ID": "5"} for r in results)
    assert refreshes == ["old-token"]
