"""Error translation: every documented code and body becomes the right exception.

Bodies are the docs' own (error-codes.md, the system-errors table, REFERENCE §1.6 and the
task, checklist, timeman and REST 3.0 pages).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from b24tui.api import (
    AccessDenied,
    ActionNotAllowed,
    ApiError,
    AuthError,
    B24Error,
    BadResponse,
    BatchError,
    ConnectError,
    ConnectionDropped,
    HttpsRequired,
    MethodNotFound,
    NotFound,
    OperationTimeLimit,
    Overloaded,
    PortalMoved,
    RateLimited,
    RequestTimeout,
    ScopeError,
    ServerError,
    TokenExpired,
    TransportError,
    ValidationError,
    translate,
)
from b24tui.api.errors import clean_description, decode_answer, translate_transport


def v1(code: str, description: str) -> bytes:
    return json.dumps({"error": code, "error_description": description}).encode()


def v3(code: str, message: str, validation: list[dict[str, str]] | None = None) -> bytes:
    error: dict[str, Any] = {"code": code, "message": message}
    if validation is not None:
        error["validation"] = validation
    return json.dumps({"error": error}).encode()


V3 = "BITRIX_REST_V3_EXCEPTION_"

# (HTTP status, body, method, expected class, a phrase the title must contain)
SYSTEM_ERRORS: list[tuple[int, bytes, type[B24Error], str]] = [
    (500, v1("INTERNAL_SERVER_ERROR", "Internal server error"), ServerError, "internal error"),
    (500, v1("ERROR_UNEXPECTED_ANSWER", "Server returned an unexpected response"), ServerError, ""),
    (503, v1("QUERY_LIMIT_EXCEEDED", "Too many requests"), RateLimited, "slow down"),
    (429, v1("OPERATION_TIME_LIMIT", "Method is blocked"), OperationTimeLimit, "time limit"),
    (
        405,
        v1("ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage"),
        BatchError,
        "inside a batch",
    ),
    (
        400,
        v1("ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded"),
        BatchError,
        "Too many commands",
    ),
    (401, v1("NO_AUTH_FOUND", "Wrong authorization data"), AuthError, "did not accept"),
    (400, v1("INVALID_REQUEST", "Https required"), HttpsRequired, "https://"),
    (503, v1("OVERLOAD_LIMIT", "REST API is blocked due to overload"), Overloaded, "overload"),
    (
        403,
        v1("ACCESS_DENIED", "REST API is available only on commercial plans"),
        AccessDenied,
        "plan",
    ),
    (403, v1("INVALID_CREDENTIALS", "Invalid request credentials"), AuthError, "rights"),
    (
        404,
        v1("ERROR_MANIFEST_IS_NOT_AVAILABLE", "Manifest is not available"),
        MethodNotFound,
        "manifest",
    ),
    (
        403,
        v1(
            "insufficient_scope",
            "The request requires higher privileges than provided by the webhook token",
        ),
        ScopeError,
        "permission",
    ),
    (401, v1("expired_token", "The access token provided has expired"), TokenExpired, "expired"),
    (
        403,
        v1("user_access_error", "The user does not have access to the application"),
        AccessDenied,
        "application",
    ),
    (500, v1("PORTAL_DELETED", "Portal was deleted"), ServerError, "closed or deleted"),
    (404, v1("ERROR_METHOD_NOT_FOUND", "Method not found!"), MethodNotFound, "method"),
    (402, v1("PAYMENT_REQUIRED", "Payment required"), AccessDenied, "subscription"),
]


@pytest.mark.parametrize(("status", "body", "expected", "phrase"), SYSTEM_ERRORS)
def test_system_errors(status: int, body: bytes, expected: type[B24Error], phrase: str) -> None:
    error = translate(status, body, "application/json", "tasks.task.list", "v1")
    assert type(error) is expected
    assert isinstance(error, ApiError)
    assert phrase.lower() in error.title.lower()
    assert error.http_status == status
    assert error.method == "tasks.task.list"
    assert error.code == json.loads(body)["error"]
    assert error.description == json.loads(body)["error_description"]
    assert error.title != error.description


# Task, checklist, time record, user and timeman errors as their pages give them.
METHOD_ERRORS: list[tuple[str, bytes, type[B24Error], str]] = [
    ("tasks.task.stopwatch", v1("1048584", "a:0:{}"), NotFound, "Task not found or you have no"),
    ("tasks.task.startwatch", v1("1048584", "a:0:{}"), NotFound, "Task not found"),
    ("tasks.task.pause", v1("1048582", "Action on the task is not allowed"), ActionNotAllowed, ""),
    (
        "tasks.task.disapprove",
        v1("1048582", "Action on the task is not allowed"),
        ActionNotAllowed,
        "",
    ),
    ("tasks.task.delete", v1("1048582", "No access to delete the task"), ActionNotAllowed, ""),
    ("tasks.task.start", v1("0", "Action on the task is not allowed"), ActionNotAllowed, ""),
    (
        "tasks.task.update",
        v1("0", "Action on the task is not allowed (internal error)"),
        ActionNotAllowed,
        "not allowed",
    ),
    ("tasks.task.get", v1("0", "wrong task id"), ValidationError, "Wrong task id"),
    ("tasks.task.mute", v1("0", "wrong task id"), ValidationError, "Wrong task id"),
    (
        "tasks.task.favorite.add",
        v1("1", "Task not found or not accessible"),
        NotFound,
        "Task not found",
    ),
    (
        "tasks.task.history.list",
        v1("0", "Access denied. (internal error)"),
        NotFound,
        "Task not found or you have no access",
    ),
    (
        "tasks.task.counters.get",
        v1("0", "Group not found or access denied. (internal error)"),
        NotFound,
        "Group not found",
    ),
    (
        "tasks.task.list",
        v1("0", "Invalid sorting key (internal error)"),
        ValidationError,
        "sorting",
    ),
    (
        "tasks.task.get",
        v1(
            "100",
            "CTaskItem All parameters in the constructor must have real class type "
            "(internal error)",
        ),
        ValidationError,
        "",
    ),
    (
        "tasks.task.delegate",
        v1("100", "Could not find value for parameter {userId}"),
        ValidationError,
        "userId",
    ),
    (
        "tasks.task.get",
        v1(
            "100",
            "Invalid value {} to match with parameter {select}. Should be value of type array. "
            "(internal error)",
        ),
        ValidationError,
        "select",
    ),
    (
        "tasks.task.update",
        v1("ERROR_CORE", "Cannot bind the node to itself<br>"),
        ValidationError,
        "Cannot bind the node to itself",
    ),
    (
        "tasks.task.add",
        v1("ERROR_CORE", "Task title is not specified<br>"),
        ValidationError,
        "title",
    ),
    (
        "task.checklistitem.get",
        v1(
            "ERROR_CODE",
            "TASKS_ERROR_EXCEPTION_#512; Check listitem not found or not accessible; "
            "512/TE/ITEM_NOT_FOUND_OR_NOT_ACCESSIBLE.<br>",
        ),
        NotFound,
        "Checklist item not found",
    ),
    (
        "task.checklistitem.update",
        v1(
            "ERROR_CORE",
            "TASKS_ERROR_EXCEPTION_#4; No access to edit the task; 4/TE/ACTION_NOT_ALLOWED<br>",
        ),
        ActionNotAllowed,
        "checklist",
    ),
    (
        "task.checklistitem.delete",
        v1(
            "ERROR_CORE",
            "TASKS_ERROR_EXCEPTION_#8; Deleting item: action not allowed; "
            "8/TE/ACTION_FAILED_TO_BE_PROCESSED<br>",
        ),
        ActionNotAllowed,
        "",
    ),
    (
        "task.checklistitem.getlist",
        v1(
            "ERROR_CORE",
            "TASKS_ERROR_EXCEPTION_#8; Action failed; 8/TE/ACTION_FAILED_TO_BE_PROCESSED<br>",
        ),
        AccessDenied,
        "permission",
    ),
    (
        "task.checklistitem.complete",
        v1(
            "ERROR_CORE",
            "TASKS_ERROR_EXCEPTION_#256; Param #1 (itemId) expected by method "
            "ctaskchecklistitem::complete(), but not given.; 256/TE/WRONG_ARGUMENTS<br>",
        ),
        ValidationError,
        "parameters",
    ),
    (
        "task.checklistitem.complete",
        v1("ERROR_CORE", "TASKS_ERROR_ASSERT_EXCEPTION<br>"),
        ValidationError,
        "id",
    ),
    (
        "task.checklistitem.add",
        v1(
            "ERROR_CORE",
            "TASKS_ERROR_EXCEPTION_#8; Item name not specified; "
            "8/TE/ACTION_FAILED_TO_BE_PROCESSED<br>",
        ),
        ValidationError,
        "Item name not specified",
    ),
    ("task.elapseditem.add", v1("ERROR_CORE", "ACTION_NOT_ALLOWED"), ActionNotAllowed, ""),
    ("task.elapseditem.get", v1("ERROR_CORE", "Task not found"), NotFound, "Task not found"),
    (
        "task.commentitem.add",
        v1("ERROR_CODE", "Insufficient permissions to add a comment.<br>"),
        AccessDenied,
        "",
    ),
    ("timeman.status", v1("", "User not found"), NotFound, "User not found"),
    ("timeman.settings", v1("", "User not found"), NotFound, "User not found"),
    (
        "timeman.open",
        v1("WRONG_DATETIME", "Day open date should correspond to the current date"),
        ValidationError,
        "Day open date",
    ),
    (
        "timeman.open",
        v1("TIME", "Unable to set time, work day is paused"),
        ValidationError,
        "paused",
    ),
    (
        "app.info",
        v1("ACCESS_DENIED", "Access denied! Application context required"),
        AccessDenied,
        "",
    ),
]


@pytest.mark.parametrize(("method", "body", "expected", "phrase"), METHOD_ERRORS)
def test_method_errors(method: str, body: bytes, expected: type[B24Error], phrase: str) -> None:
    error = translate(400, body, "application/json", method, "v1")
    assert type(error) is expected
    assert phrase.lower() in error.title.lower()
    assert "<br>" not in error.title
    assert "internal error" not in error.title
    assert "TASKS_ERROR" not in error.title
    assert error.code == json.loads(body)["error"]


def test_missing_parameter_errors_name_the_parameter() -> None:
    error = translate(
        400, v1("100", "Could not find value for parameter {userId}"), None, "x", "v1"
    )
    assert isinstance(error, ValidationError)
    assert error.fields == (("userId", "Could not find value for parameter {userId}"),)


def test_empty_timeman_code_is_kept_as_an_empty_code() -> None:
    error = translate(400, v1("", "User not found"), None, "timeman.status", "v1")
    assert error.code == ""
    assert "code ''" in str(error)


V3_ERRORS: list[tuple[int, str, str, type[B24Error], str]] = [
    (400, V3 + "ENTITYNOTFOUNDEXCEPTION", "Record with ID = `2` not found", NotFound, "Task not"),
    (403, V3 + "ACCESSDENIEDEXCEPTION", "Access denied", NotFound, "Task not found"),
    (400, V3 + "ACCESSDENIEDEXCEPTION", "Access denied", NotFound, "no access"),
    (403, V3 + "INSUFFICIENTSCOPEEXCEPTION", "Insufficient scope", ScopeError, "tasks"),
    (400, V3 + "INVALIDJSONEXCEPTION", "Invalid JSON", ValidationError, "could not read"),
    (400, V3 + "UNKNOWNDTOPROPERTYEXCEPTION", "Unknown property", ValidationError, "field"),
    (400, V3 + "UNKNOWNFILTEROPERATOREXCEPTION", "Unknown operator", ValidationError, "filter"),
    (
        400,
        V3 + "INVALIDPAGINATIONEXCEPTION",
        'Unable to recognize the pagination parameter `{"limit":"abc"}`',
        ValidationError,
        "pagination",
    ),
    (400, V3 + "INVALIDORDEREXCEPTION", "Invalid order", ValidationError, "order"),
    (400, V3 + "INVALIDSELECTEXCEPTION", "Invalid select", ValidationError, "select"),
    (422, V3 + "IDEMPOTENCYKEYREUSEDEXCEPTION", "Key reused", ValidationError, "already sent"),
    (400, V3 + "INVALIDIDEMPOTENCYKEYEXCEPTION", "Bad key", ValidationError, "idempotency"),
    (404, "ERROR_METHOD_NOT_FOUND", "Method not found", MethodNotFound, "tasks.task.update"),
]


@pytest.mark.parametrize(("status", "code", "message", "expected", "phrase"), V3_ERRORS)
def test_v3_errors(
    status: int, code: str, message: str, expected: type[B24Error], phrase: str
) -> None:
    error = translate(status, v3(code, message), "application/json", "tasks.task.update", "v3")
    assert type(error) is expected
    assert phrase.lower() in error.title.lower()
    assert error.code == code
    assert error.api == "v3"


def test_v3_validation_keeps_every_field() -> None:
    body = v3(
        V3 + "VALIDATION_REQUESTVALIDATIONEXCEPTION",
        "Error during request object validation",
        [
            {
                "message": "In DTO `TaskDto`, the field `creatorId` requires the presence of "
                "the `Editable` attribute for such a request",
                "field": "creatorId",
            }
        ],
    )
    error = translate(400, body, "application/json", "tasks.task.update", "v3")
    assert isinstance(error, ValidationError)
    assert error.fields[0][0] == "creatorId"
    assert "Editable" in error.fields[0][1]
    assert "creatorId" in error.title


def test_v3_validation_with_several_fields_has_a_general_title() -> None:
    body = v3(
        V3 + "VALIDATION_REQUESTVALIDATIONEXCEPTION",
        "Error validating request object",
        [{"field": "id", "message": "Required"}, {"field": "fields", "message": "Required"}],
    )
    error = translate(400, body, None, "tasks.task.update", "v3")
    assert isinstance(error, ValidationError)
    assert [name for name, _ in error.fields] == ["id", "fields"]
    assert error.title == "The portal rejected the request's data"


def test_operation_time_limit_carries_reset_time_when_present() -> None:
    body = json.dumps(
        {
            "error": "OPERATION_TIME_LIMIT",
            "error_description": "Method is blocked due to operation time limit.",
            "time": {"operating": 481.2, "operating_reset_at": 1778747792},
        }
    ).encode()
    error = translate(429, body, "application/json", "tasks.task.list", "v1")
    assert isinstance(error, OperationTimeLimit)
    assert isinstance(error, RateLimited)
    assert error.operating_reset_at == 1778747792.0
    assert error.retryable


def test_operation_time_limit_without_reset_time() -> None:
    error = translate(429, v1("OPERATION_TIME_LIMIT", "x"), None, "m", "v1")
    assert isinstance(error, OperationTimeLimit)
    assert error.operating_reset_at is None


def test_scope_error_names_the_scope_by_method_family() -> None:
    for method, scope in (
        ("timeman.status", "timeman"),
        ("user.get", "user"),
        ("task.checklistitem.getlist", "task"),
    ):
        error = translate(403, v1("insufficient_scope", ""), None, method, "v1")
        assert isinstance(error, ScopeError)
        assert error.scope == scope
        assert f"“{scope}”" in error.title


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (401, AuthError),
        (403, AccessDenied),
        (429, OperationTimeLimit),
        (500, ServerError),
        (502, ServerError),
        (400, ApiError),
    ],
)
def test_undocumented_codes_are_judged_by_status(status: int, expected: type[B24Error]) -> None:
    error = translate(status, v1("SOMETHING_NEW", "Whatever"), None, "m", "v1")
    assert type(error) is expected


def test_json_error_status_without_a_code() -> None:
    error = translate(503, b'{"message": "maintenance"}', "application/json", "m", "v1")
    assert isinstance(error, ServerError)
    assert error.retryable


@pytest.mark.parametrize(
    ("status", "body", "content_type", "phrase", "retryable"),
    [
        (
            502,
            b"<html><body>Bad gateway</body></html>",
            "text/html",
            "an HTML page (HTTP 502)",
            True,
        ),
        (200, b"<!DOCTYPE html><html>", None, "HTML page (HTTP 200)", False),
        (200, b'{"result": {"tasks": [', "application/json", "cut short", True),
        (200, b"", "application/json", "empty answer", False),
        (200, b"Fatal error: out of memory", "text/plain", "not JSON", False),
        (200, b"[1, 2]", "application/json", "unexpected shape", False),
        (200, b'{"total": 3}', "application/json", "no result", False),
    ],
)
def test_unreadable_bodies_are_bad_responses(
    status: int, body: bytes, content_type: str | None, phrase: str, retryable: bool
) -> None:
    error = translate(status, body, content_type, "tasks.task.list", "v1")
    assert isinstance(error, BadResponse)
    assert isinstance(error, TransportError)
    assert phrase in error.title
    assert error.retryable is retryable


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirect_names_the_new_host_only(status: int) -> None:
    error = translate(
        status,
        b"",
        None,
        "profile",
        "v1",
        location="https://new-name.bitrix24.com/rest/1/s3cr3t/profile",
    )
    assert isinstance(error, PortalMoved)
    assert error.new_host == "new-name.bitrix24.com"
    assert "new-name.bitrix24.com" in error.title
    assert "s3cr3t" not in str(error) + repr(error) + error.title + error.hint


def test_redirect_without_location() -> None:
    error = translate(302, b"", None, "profile", "v1")
    assert isinstance(error, PortalMoved)
    assert error.new_host is None


def test_decode_answer_returns_the_envelope_of_a_success() -> None:
    envelope = decode_answer(
        200, b'{"result": {"task": true}, "time": {}}', "application/json", "m", "v1"
    )
    assert envelope["result"] == {"task": True}


def test_decode_answer_raises_an_error_sent_with_status_200() -> None:
    with pytest.raises(RateLimited):
        decode_answer(200, v1("QUERY_LIMIT_EXCEEDED", "Too many"), None, "m", "v1")


@pytest.mark.parametrize(
    ("exc", "expected", "retryable"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), ConnectError, True),
        (httpx.ConnectTimeout("timed out"), ConnectError, True),
        (httpx.ReadTimeout("timed out"), RequestTimeout, True),
        (httpx.WriteTimeout("timed out"), RequestTimeout, True),
        (httpx.PoolTimeout("timed out"), RequestTimeout, True),
        (httpx.RemoteProtocolError("Server disconnected"), ConnectionDropped, True),
        (httpx.ReadError("reset by peer"), ConnectionDropped, True),
        (httpx.WriteError("broken pipe"), ConnectionDropped, True),
        (httpx.UnsupportedProtocol("ftp"), TransportError, False),
    ],
)
def test_httpx_exceptions_become_transport_errors(
    exc: httpx.HTTPError, expected: type[B24Error], retryable: bool
) -> None:
    error = translate_transport(exc, "tasks.task.list", "v1")
    assert type(error) is expected
    assert error.retryable is retryable
    assert type(exc).__name__ in error.description


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Cannot bind the node to itself<br>", "Cannot bind the node to itself"),
        ("Access denied. (internal error)", "Access denied."),
        (
            "TASKS_ERROR_EXCEPTION_#8; Moving item: action not allowed; "
            "8/TE/ACTION_FAILED_TO_BE_PROCESSED<br>",
            "Moving item: action not allowed",
        ),
        ("Line one<br/>line two<BR>", "Line one line two"),
    ],
)
def test_clean_description(raw: str, clean: str) -> None:
    assert clean_description(raw) == clean


def test_str_and_repr_are_short_and_structured() -> None:
    error = translate(
        400, v1("1048582", "Action on the task is not allowed"), None, "tasks.task.pause", "v1"
    )
    assert str(error) == (
        "This action is not allowed on the task (tasks.task.pause, 1048582, HTTP 400)"
    )
    assert repr(error).startswith("ActionNotAllowed(title=")
