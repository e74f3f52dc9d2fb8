"""Secret hygiene: no error, log line or repr of the client ever shows the webhook code or
a token, even when the portal or the network layer echoes them back.

Every error class is raised through the real client (over ``httpx.MockTransport``) from a
known answer whose text contains the secret; ``str``, ``repr``, ``args``, ``title``,
``hint``, ``description`` and the formatted traceback are scanned.
"""

from __future__ import annotations

import json
import logging
import traceback
from typing import Any

import httpx
import pytest

from b24tui.api import B24Client, B24Error, OAuthToken, Webhook
from b24tui.api import errors as errors_module

CODE = "zq9secretcode77x"
TOKEN = "tok0secret0access0token"
URL = f"https://acme.bitrix24.com/rest/3/{CODE}/"
ECHO = (
    f"while calling {URL}tasks.task.get?auth={TOKEN} "
    f"with code {CODE} and token {TOKEN} (refresh0secret)"
)
"""An error text echoing every secret, bare and inside a URL."""


def v1(status: int, code: str) -> httpx.Response:
    return httpx.Response(status, json={"error": code, "error_description": ECHO})


def v3(status: int, code: str) -> httpx.Response:
    return httpx.Response(
        status,
        json={
            "error": {
                "code": code,
                "message": ECHO,
                "validation": [{"field": CODE, "message": ECHO}],
            }
        },
    )


V3 = "BITRIX_REST_V3_EXCEPTION_"
ANSWERS: list[tuple[str, httpx.Response | Exception]] = [
    ("v1", v1(500, "INTERNAL_SERVER_ERROR")),
    ("v1", v1(503, "QUERY_LIMIT_EXCEEDED")),
    ("v1", v1(429, "OPERATION_TIME_LIMIT")),
    ("v1", v1(503, "OVERLOAD_LIMIT")),
    ("v1", v1(401, "NO_AUTH_FOUND")),
    ("v1", v1(401, "expired_token")),
    ("v1", v1(403, "ACCESS_DENIED")),
    ("v1", v1(403, "insufficient_scope")),
    ("v1", v1(400, "1048584")),
    ("v1", v1(400, "1048582")),
    ("v1", v1(400, "100")),
    ("v1", v1(400, "ERROR_CORE")),
    ("v1", v1(404, "ERROR_METHOD_NOT_FOUND")),
    ("v1", v1(400, "ERROR_BATCH_LENGTH_EXCEEDED")),
    ("v1", v1(400, "INVALID_REQUEST")),
    ("v1", v1(400, "SOMETHING_UNDOCUMENTED")),
    ("v1", v1(400, CODE)),
    ("v3", v3(400, V3 + "VALIDATION_REQUESTVALIDATIONEXCEPTION")),
    ("v3", v3(403, V3 + "ACCESSDENIEDEXCEPTION")),
    ("v3", v3(403, V3 + "INSUFFICIENTSCOPEEXCEPTION")),
    ("v1", httpx.Response(502, html=f"<html>{ECHO}</html>")),
    ("v1", httpx.Response(200, content=f'{{"result": "{ECHO}'.encode())),
    ("v1", httpx.Response(302, headers={"location": f"https://moved.bitrix24.com/rest/3/{CODE}/"})),
    ("v1", httpx.ConnectError(ECHO)),
    ("v1", httpx.ConnectTimeout(ECHO)),
    ("v1", httpx.ReadTimeout(ECHO)),
    ("v1", httpx.RemoteProtocolError(ECHO)),
    ("v1", httpx.ReadError(ECHO)),
    ("v1", httpx.UnsupportedProtocol(ECHO)),
    ("v1 write", httpx.ReadTimeout(ECHO)),
]
"""(api, answer); a "write" is sent as ``tasks.task.start``, whose lost answer is an
``OutcomeUnknown``."""


def all_error_classes() -> set[type[B24Error]]:
    found: set[type[B24Error]] = set()
    pending: list[type[B24Error]] = [B24Error]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            if sub.__module__ == errors_module.__name__ and sub not in found:
                found.add(sub)
                pending.append(sub)
    return found


def texts_of(error: BaseException) -> list[str]:
    assert isinstance(error, B24Error)
    return [
        str(error),
        repr(error),
        repr(error.args),
        error.title,
        error.hint,
        error.description,
        "".join(traceback.format_exception(error)),
    ]


async def raised_by(
    endpoint: Webhook | OAuthToken, api: str, answer: httpx.Response | Exception
) -> B24Error:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(answer, Exception):
            raise answer
        return answer

    async with B24Client(endpoint, transport=httpx.MockTransport(handler)) as client:
        try:
            method = "tasks.task.start" if api.endswith("write") else "tasks.task.get"
            await client.call(method, {"taskId": 1}, api="v3" if api == "v3" else "v1")
        except B24Error as error:
            return error
    raise AssertionError("the call did not fail")


@pytest.mark.parametrize(
    ("endpoint", "secret"),
    [
        (Webhook.parse(URL), CODE),
        (OAuthToken("acme.bitrix24.com", TOKEN, refresh_token="refresh0secret"), TOKEN),
    ],
    ids=["webhook", "oauth"],
)
async def test_no_error_ever_shows_the_secret(
    endpoint: Webhook | OAuthToken, secret: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    seen: set[type[B24Error]] = set()
    for api, answer in ANSWERS:
        error = await raised_by(endpoint, api, answer)
        seen.add(type(error))
        for text in texts_of(error):
            assert secret not in text, (type(error).__name__, text)
            assert f"/rest/3/{CODE}" not in text, (type(error).__name__, text)
            assert f"auth={TOKEN}" not in text, (type(error).__name__, text)
    for record in caplog.records:
        assert secret not in record.getMessage()
    assert seen == all_error_classes()


def test_every_error_class_constructed_from_secret_text_hides_it() -> None:
    secrets = (CODE, TOKEN)
    body = json.dumps({"error": "x", "error_description": ECHO}).encode()
    for cls in all_error_classes() | {B24Error}:
        error = errors_module.translate(400, body, None, "m", "v1", secrets=secrets)
        assert CODE not in error.description
        kwargs: dict[str, Any] = {"description": error.description, "method": "m"}
        made = cls(**kwargs) if cls is not errors_module.PortalMoved else cls(None, **kwargs)
        for text in texts_of(made):
            assert CODE not in text
            assert TOKEN not in text


async def test_httpx_request_log_lines_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"result": True}))
    async with B24Client(Webhook.parse(URL), transport=transport) as client:
        await client.call("profile")
    messages = [record.getMessage() for record in caplog.records]
    assert any("/rest/3/***/profile" in message for message in messages)
    assert all(CODE not in message for message in messages)


def test_client_repr_hides_the_secret() -> None:
    client = B24Client(Webhook.parse(URL))
    assert CODE not in repr(client)
    assert CODE not in repr(client.tasks)
    token_client = B24Client(OAuthToken("acme.bitrix24.com", TOKEN))
    assert TOKEN not in repr(token_client)
