"""One hierarchy of errors, and the one place answers and wire faults are translated into it.

Every failure the client can meet becomes a :class:`B24Error` here: HTTP answers through
:func:`translate` (and :func:`error_from_payload` for the error objects inside a batch),
httpx exceptions through :func:`translate_transport`. Each error carries a short ``title``
and a ``hint`` written for people, plus ``code``, ``http_status``, ``method`` and the raw
``description`` for logs. None of them ever contains a webhook code or a token: the texts
are built from fixed phrases and from portal descriptions that pass through
:func:`~b24tui.api.endpoint.redact`.
"""

from __future__ import annotations

import json
import os
import re
import ssl
import urllib.parse
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from b24tui.api.endpoint import ApiGeneration, redact

if TYPE_CHECKING:
    import httpx

__all__ = [
    "AccessDenied",
    "ActionNotAllowed",
    "ApiError",
    "AuthError",
    "B24Error",
    "BadResponse",
    "BatchError",
    "ConnectError",
    "ConnectionDropped",
    "HttpsRequired",
    "MethodNotFound",
    "NotFound",
    "OperationTimeLimit",
    "OutcomeUnknown",
    "Overloaded",
    "PortalMoved",
    "RateLimited",
    "RequestTimeout",
    "ScopeError",
    "ServerError",
    "TokenExpired",
    "TransportError",
    "ValidationError",
    "clean_description",
    "decode_answer",
    "error_from_payload",
    "translate",
    "translate_transport",
]

V3_PREFIX = "BITRIX_REST_V3_EXCEPTION_"


class B24Error(Exception):
    """Anything that went wrong talking to a Bitrix24 portal."""

    default_title: ClassVar[str] = "The request to the portal failed"
    default_hint: ClassVar[str] = ""
    default_retryable: ClassVar[bool] = False

    title: str
    """A short sentence for people (a status bar, a dialog heading)."""
    hint: str
    """What the person can do about it; may be empty."""
    code: str | None
    """The portal's error code (``"1048582"``, ``"QUERY_LIMIT_EXCEEDED"``…), if any."""
    http_status: int | None
    method: str | None
    """The REST method that failed."""
    api: ApiGeneration | None
    description: str
    """The portal's raw description (secrets masked): for logs, not for people."""
    retryable: bool
    """Whether the same call may succeed later unchanged (a retry policy still decides)."""

    def __init__(
        self,
        title: str | None = None,
        *,
        hint: str | None = None,
        code: str | None = None,
        http_status: int | None = None,
        method: str | None = None,
        api: ApiGeneration | None = None,
        description: str = "",
        retryable: bool | None = None,
    ) -> None:
        self.title = title or self.default_title
        self.hint = self.default_hint if hint is None else hint
        self.code = code
        self.http_status = http_status
        self.method = method
        self.api = api
        self.description = description
        self.retryable = self.default_retryable if retryable is None else retryable
        super().__init__(self.title)

    def __str__(self) -> str:
        details = [d for d in (self.method, self._code_text(), self._status_text()) if d]
        return f"{self.title} ({', '.join(details)})" if details else self.title

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(title={self.title!r}, code={self.code!r}, "
            f"http_status={self.http_status!r}, method={self.method!r})"
        )

    def _code_text(self) -> str:
        if self.code is None:
            return ""
        return f"code {self.code!r}" if self.code == "" else self.code

    def _status_text(self) -> str:
        return f"HTTP {self.http_status}" if self.http_status is not None else ""


# --- transport -------------------------------------------------------------------------


class TransportError(B24Error):
    """The call did not produce a usable answer: network trouble or a malformed body."""

    default_title = "The portal could not be reached"
    default_hint = "Check the network connection; b24tui will try again."
    default_retryable = True


class ConnectError(TransportError):
    """No connection could be made (DNS, refused, TLS handshake)."""

    default_title = "Cannot connect to the portal"
    default_hint = "Check the network connection and the portal address."


class RequestTimeout(TransportError):
    """The portal did not answer in time."""

    default_title = "The portal did not answer in time"
    default_hint = "The portal or the network is slow; try again in a moment."


class ConnectionDropped(TransportError):
    """The connection broke while the request or the answer was under way."""

    default_title = "The connection to the portal dropped"
    default_hint = "Try again; if it was a change, check whether it was saved before repeating it."


class BadResponse(TransportError):
    """An answer that is not the JSON the API sends: HTML, empty, truncated or odd JSON."""

    default_title = "The portal sent an answer b24tui cannot read"
    default_hint = "The portal or a proxy in between may be having trouble; try again later."
    default_retryable = False


class PortalMoved(B24Error):
    """The portal answered with a redirect: its address has changed."""

    default_title = "The portal has moved to a new address"
    default_hint = "Log in again with the webhook URL at the new address."

    new_host: str | None
    """The host the portal now lives at, from the ``Location`` header (never its path)."""

    def __init__(self, new_host: str | None, **kwargs: Any) -> None:
        self.new_host = new_host
        title = f"The portal has moved to {new_host}" if new_host else None
        super().__init__(title, **kwargs)


# --- answers with an error code --------------------------------------------------------


class ApiError(B24Error):
    """The portal understood the call and refused it with an error code."""

    default_title = "The portal refused the request"


class RateLimited(ApiError):
    """Too many requests: the portal's request bucket is full (``QUERY_LIMIT_EXCEEDED``)."""

    default_title = "Too many requests: the portal asks to slow down"
    default_hint = "b24tui waits a little and tries again."
    default_retryable = True


class OperationTimeLimit(RateLimited):
    """This method used up its execution-time budget (``OPERATION_TIME_LIMIT``, HTTP 429)."""

    default_title = "The portal's time limit for this method is used up"
    default_hint = "Other actions still work; this one becomes available again in a few minutes."

    operating_reset_at: float | None
    """Unix time when the oldest minute of the budget drops out (if the portal said)."""

    def __init__(self, title: str | None = None, **kwargs: Any) -> None:
        self.operating_reset_at = kwargs.pop("operating_reset_at", None)
        super().__init__(title, **kwargs)


class Overloaded(ApiError):
    """REST is blocked on the portal by hand for overload (``OVERLOAD_LIMIT``)."""

    default_title = "The portal has blocked REST calls because of overload"
    default_hint = "Only Bitrix24 support can lift this block."


class AuthError(ApiError):
    """The credential was not accepted (``NO_AUTH_FOUND``, ``INVALID_CREDENTIALS``)."""

    default_title = "The portal did not accept the webhook"
    default_hint = (
        "The webhook may have been deleted, expired or regenerated; "
        "create a new one and log in again."
    )


class TokenExpired(AuthError):
    """The OAuth access token expired (``expired_token``): refresh it and repeat the call."""

    default_title = "The access token has expired"
    default_hint = "Sign in again to get a new token."


class AccessDenied(ApiError):
    """The portal or the user's role forbids this (``ACCESS_DENIED``, ``user_access_error``)."""

    default_title = "Access denied"
    default_hint = "Ask the portal's administrator for access."


class ScopeError(ApiError):
    """The webhook or app lacks a scope the method needs (``insufficient_scope``)."""

    default_title = "The webhook lacks a permission this needs"
    default_hint = "Edit the webhook in Bitrix24 and tick the scopes task, user and timeman."

    scope: str | None
    """The missing scope, when known (``task``, ``user``, ``timeman``…)."""

    def __init__(self, title: str | None = None, **kwargs: Any) -> None:
        self.scope = kwargs.pop("scope", None)
        if title is None and self.scope:
            title = f"The webhook lacks the “{self.scope}” permission"
        super().__init__(title, **kwargs)


class NotFound(ApiError):
    """The object does not exist or the user cannot see it (the portal does not say which)."""

    default_title = "Task not found or you have no access"
    default_hint = "It may have been deleted, or you may have lost access to it."


class ActionNotAllowed(ApiError):
    """The action is not allowed in the object's current state or for this user."""

    default_title = "This action is not allowed on the task"
    default_hint = "The task's status or your role does not permit it; refresh to see what is."


class ValidationError(ApiError):
    """The portal rejected the parameters; ``fields`` names the offending ones when known."""

    default_title = "The portal rejected the request's data"
    default_hint = "Correct the values and try again."

    fields: tuple[tuple[str, str], ...]
    """``(field, message)`` pairs, from REST 3.0 validation or a named missing parameter."""

    def __init__(self, title: str | None = None, **kwargs: Any) -> None:
        self.fields = tuple(kwargs.pop("fields", ()))
        super().__init__(title, **kwargs)


class MethodNotFound(ApiError):
    """The portal has no such method at this path (``ERROR_METHOD_NOT_FOUND``)."""

    default_title = "The portal does not have this method"
    default_hint = "The portal may run an older version of Bitrix24."


class ServerError(ApiError):
    """The portal failed internally (``INTERNAL_SERVER_ERROR``, HTTP 5xx, ``PORTAL_DELETED``)."""

    default_title = "The portal had an internal error"
    default_hint = "Try again later; if it persists, the portal's administrator should look."
    default_retryable = True


class BatchError(ApiError):
    """A batch as a whole was refused, or a command in it did not run."""

    default_title = "The batch request was refused"


class OutcomeUnknown(B24Error):
    """A change was sent but its answer was lost (a timeout, a dropped connection, a
    cut-short body): the portal may have applied it or not.

    The client never re-sends such a write; the caller should read the object again
    before repeating it. ``description`` names the transport failure behind it.
    """

    default_title = "The portal may or may not have done it"
    default_hint = "Refresh to see whether the change was saved before making it again."


class HttpsRequired(ApiError):
    """The portal refuses plain HTTP (``INVALID_REQUEST`` "Https required")."""

    default_title = "The portal requires https://"
    default_hint = "Use the https:// address of the portal."


# --- translation -----------------------------------------------------------------------

_BR = re.compile(r"\s*<br\s*/?>\s*", re.IGNORECASE)
_INTERNAL = re.compile(r"\s*\(internal error\)\s*$", re.IGNORECASE)
_TASKS_EXCEPTION = re.compile(
    r"^TASKS_ERROR_EXCEPTION_#(?P<num>\d+);\s*(?P<text>.*?);\s*\d+/TE/(?P<tag>[A-Z_]+)\.?$",
    re.DOTALL,
)
_PARAM_NAME = re.compile(r"parameter \{(?P<name>[A-Za-z_][A-Za-z0-9_]*)\}")
_POSITIONAL_PARAM = re.compile(r"Param #\d+ \((?P<name>[A-Za-z_][A-Za-z0-9_]*)\)")

_FAMILY_NOT_FOUND: tuple[tuple[str, str], ...] = (
    ("task.checklistitem.", "Checklist item not found or you have no access"),
    ("task.elapseditem.", "Time record not found or you have no access"),
    ("task.commentitem.", "Comment not found or you have no access"),
    ("tasks.", "Task not found or you have no access"),
    ("timeman.", "User not found"),
    ("user.", "User not found"),
)

_FAMILY_SCOPE: tuple[tuple[str, str], ...] = (
    ("tasks.", "task"),
    ("task.", "task"),
    ("timeman.", "timeman"),
    ("user.", "user"),
    ("profile", "basic"),
    ("batch", "basic"),
)


def clean_description(text: str) -> str:
    """A portal description fit for people: ``<br>`` and ``(internal error)`` removed,
    the message taken out of ``TASKS_ERROR_EXCEPTION_#n; message; n/TE/TAG``."""
    text = _BR.sub(" ", text).strip()
    text = _INTERNAL.sub("", text).strip()
    match = _TASKS_EXCEPTION.match(text)
    if match:
        text = match.group("text").strip()
    if text == "TASKS_ERROR_ASSERT_EXCEPTION":
        return "Invalid task or item id"
    return text


def _not_found_title(method: str | None) -> str | None:
    for prefix, title in _FAMILY_NOT_FOUND:
        if method and method.lower().startswith(prefix):
            return title
    return "Not found or you have no access"


def _scope_of(method: str | None, api: ApiGeneration | None) -> str | None:
    if not method:
        return None
    name = method.lower()
    if api == "v3" and name.startswith("tasks."):
        return "tasks"
    for prefix, scope in _FAMILY_SCOPE:
        if name.startswith(prefix):
            return scope
    return None


def _sentence(text: str) -> str:
    """``text`` with a capital first letter and no trailing full stop, for a title."""
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:] if text else text


def _missing_parameter_fields(description: str) -> tuple[tuple[str, str], ...]:
    match = _PARAM_NAME.search(description) or _POSITIONAL_PARAM.search(description)
    if match:
        return ((match.group("name"), clean_description(description)),)
    return ()


def _tasks_core_error(description: str, common: dict[str, Any]) -> ApiError:
    """``ERROR_CORE``: the tasks module's own exceptions, told apart by tag or text."""
    text = clean_description(description)
    match = _TASKS_EXCEPTION.match(_INTERNAL.sub("", _BR.sub(" ", description).strip()))
    tag = match.group("tag") if match else ""
    lowered = text.lower()
    method = common.get("method")
    if tag == "ITEM_NOT_FOUND_OR_NOT_ACCESSIBLE" or "not found" in lowered:
        if "task not found" in lowered:
            return NotFound("Task not found or you have no access", **common)
        return NotFound(_not_found_title(method), **common)
    if tag == "ACTION_NOT_ALLOWED" or "not allowed" in lowered or text == "ACTION_NOT_ALLOWED":
        title = ActionNotAllowed.default_title
        if method and method.lower().startswith("task.checklistitem."):
            title = "This change to the checklist is not allowed"
        return ActionNotAllowed(title, **common)
    if "insufficient permissions" in lowered or lowered == "action failed":
        return AccessDenied("You have no permission for this", **common)
    fields = _missing_parameter_fields(text) if tag == "WRONG_ARGUMENTS" else ()
    if tag == "WRONG_ARGUMENTS":
        return ValidationError("The request's parameters are wrong", fields=fields, **common)
    return ValidationError(_sentence(text) or None, **common)


def _v1_error(code: str, description: str, common: dict[str, Any]) -> ApiError:
    text = clean_description(description)
    lowered = text.lower()
    method: str | None = common.get("method")
    upper = code.upper()
    if upper == "ERROR_METHOD_NOT_FOUND":
        title = f"The portal does not have the method {method}" if method else None
        return MethodNotFound(title, **common)
    if upper == "QUERY_LIMIT_EXCEEDED":
        return RateLimited(**common)
    if upper == "OPERATION_TIME_LIMIT":
        return OperationTimeLimit(**common)
    if upper == "OVERLOAD_LIMIT":
        return Overloaded(**common)
    if code == "expired_token":
        return TokenExpired(**common)
    if upper in ("NO_AUTH_FOUND", "INVALID_TOKEN", "WRONG_AUTH_TYPE"):
        return AuthError(**common)
    if upper == "INVALID_CREDENTIALS":
        return AuthError(
            "The webhook's user lacks the rights for this",
            hint="Ask the portal's administrator, or use a webhook of a user who has the rights.",
            **common,
        )
    if upper == "ACCESS_DENIED":
        if "commercial" in lowered:
            return AccessDenied(
                "The portal's plan does not include the REST API",
                hint="REST is available on commercial Bitrix24 plans and during a trial.",
                **common,
            )
        return AccessDenied(**common)
    if code == "user_access_error":
        return AccessDenied(
            "Your user has no access to this application",
            hint="Ask the portal's administrator to grant it.",
            **common,
        )
    if upper == "PAYMENT_REQUIRED":
        return AccessDenied(
            "The application's subscription has run out",
            hint="Renew the Bitrix24 Market subscription.",
            **common,
        )
    if code in ("insufficient_scope", "invalid_scope"):
        return ScopeError(scope=_scope_of(method, common.get("api")), **common)
    if upper == "INVALID_REQUEST" and ("https" in lowered or not text):
        return HttpsRequired(**common)
    if upper in ("INTERNAL_SERVER_ERROR", "ERROR_UNEXPECTED_ANSWER"):
        return ServerError(**common)
    if upper == "PORTAL_DELETED":
        return ServerError(
            "The portal is closed or deleted",
            hint="Check the portal address; its public part may be closed.",
            retryable=False,
            **common,
        )
    if upper == "ERROR_BATCH_LENGTH_EXCEEDED":
        return BatchError("Too many commands in one batch", **common)
    if upper == "ERROR_BATCH_METHOD_NOT_ALLOWED":
        return BatchError("This method cannot run inside a batch", **common)
    if upper == "ERROR_MANIFEST_IS_NOT_AVAILABLE":
        return MethodNotFound("The method's manifest is not available", **common)
    if code == "1048584":
        return NotFound(_not_found_title(method), **common)
    if code == "1048582":
        return ActionNotAllowed(**common)
    if code == "1" and "not found" in lowered:
        return NotFound(_not_found_title(method), **common)
    if code == "0":
        if "wrong task id" in lowered:
            return ValidationError("Wrong task id", fields=(("taskId", text),), **common)
        if "not allowed" in lowered:
            return ActionNotAllowed(**common)
        if "not found" in lowered or "access denied" in lowered:
            title = _sentence(text) if "group" in lowered else _not_found_title(method)
            return NotFound(title, **common)
        return ValidationError(_sentence(text) or None, **common)
    if code == "100":
        fields = _missing_parameter_fields(text)
        title = f"Missing or wrong parameter {fields[0][0]}" if fields else None
        return ValidationError(title, fields=fields, **common)
    if upper in ("ERROR_CORE", "ERROR_CODE"):
        return _tasks_core_error(description, common)
    if code == "":
        if "not found" in lowered:
            return NotFound(_sentence(text), **common)
        return ApiError(_sentence(text) or None, **common)
    if upper in ("WRONG_DATETIME", "TIME"):
        return ValidationError(_sentence(text) or None, **common)
    return _by_status(common)


def _v3_error(code: str, message: str, validation: Any, common: dict[str, Any]) -> ApiError:
    kind = code.upper().removeprefix(V3_PREFIX)
    method: str | None = common.get("method")
    text = clean_description(message)
    if kind.startswith("VALIDATION"):
        fields: list[tuple[str, str]] = []
        if isinstance(validation, list):
            for entry in validation:
                if isinstance(entry, Mapping):
                    fields.append((str(entry.get("field", "")), str(entry.get("message", ""))))
        title = "The portal rejected the request's data"
        if len(fields) == 1 and fields[0][1]:
            title = _sentence(fields[0][1])
        return ValidationError(title, fields=tuple(fields), **common)
    if kind in ("ACCESSDENIEDEXCEPTION", "ENTITYNOTFOUNDEXCEPTION"):
        return NotFound(_not_found_title(method), **common)
    if kind == "INSUFFICIENTSCOPEEXCEPTION":
        return ScopeError(scope=_scope_of(method, common.get("api")), **common)
    if kind == "INVALIDJSONEXCEPTION":
        return ValidationError("The portal could not read the request", **common)
    if kind == "UNKNOWNDTOPROPERTYEXCEPTION":
        return ValidationError("The request names a field the portal does not know", **common)
    if kind == "UNKNOWNFILTEROPERATOREXCEPTION":
        return ValidationError("The request uses a filter the portal does not know", **common)
    if kind in ("INVALIDPAGINATIONEXCEPTION", "INVALIDORDEREXCEPTION", "INVALIDSELECTEXCEPTION"):
        return ValidationError(_sentence(text) or None, **common)
    if kind == "IDEMPOTENCYKEYREUSEDEXCEPTION":
        return ValidationError(
            "This change was already sent with different content",
            hint="Refresh and make the change again.",
            **common,
        )
    if kind == "INVALIDIDEMPOTENCYKEYEXCEPTION":
        return ValidationError("The request's idempotency key is invalid", **common)
    if code.upper() == "ERROR_METHOD_NOT_FOUND":
        return MethodNotFound(
            f"The portal does not have the method {method}" if method else None, **common
        )
    return _v1_error(code, message, common)


def _by_status(common: dict[str, Any]) -> ApiError:
    """An error with a code nobody documented: judge by the HTTP status."""
    status = common.get("http_status")
    if status == 401:
        return AuthError(**common)
    if status == 403:
        return AccessDenied(**common)
    if status == 429:
        return OperationTimeLimit(**common)
    if status is not None and status >= 500:
        return ServerError(**common)
    return ApiError(**common)


def _reset_at(payload: Mapping[str, Any]) -> float | None:
    time_block = payload.get("time")
    if isinstance(time_block, Mapping):
        value = time_block.get("operating_reset_at")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def error_from_payload(
    payload: Mapping[str, Any],
    *,
    http_status: int | None,
    method: str | None,
    api: ApiGeneration | None,
    secrets: tuple[str, ...] = (),
) -> ApiError:
    """The exception for a decoded error body (v1 flat or v3 object shape).

    Also used for the per-command ``result_error`` entries of a batch.
    """
    raw = payload.get("error")
    if isinstance(raw, Mapping):
        code = redact(str(raw.get("code", "")), secrets)
        message = redact(str(raw.get("message", "")), secrets)
        common: dict[str, Any] = {
            "code": code,
            "http_status": http_status,
            "method": method,
            "api": api,
            "description": message,
        }
        validation = raw.get("validation")
        if isinstance(validation, list):
            validation = [
                {
                    "field": redact(str(entry.get("field", "")), secrets),
                    "message": redact(str(entry.get("message", "")), secrets),
                }
                for entry in validation
                if isinstance(entry, Mapping)
            ]
        error = _v3_error(code, message, validation, common)
    else:
        code = redact("" if raw is None else str(raw), secrets)
        description = redact(str(payload.get("error_description") or ""), secrets)
        common = {
            "code": code,
            "http_status": http_status,
            "method": method,
            "api": api,
            "description": description,
        }
        error = _v1_error(code, description, common)
    if isinstance(error, OperationTimeLimit):
        error.operating_reset_at = _reset_at(payload)
    return error


def _looks_like_html(body: bytes, content_type: str | None) -> bool:
    if content_type and "html" in content_type.lower():
        return True
    head = body.lstrip()[:64].lower()
    return head.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<"))


def _bad_body(
    http_status: int, body: bytes, content_type: str | None, common: dict[str, Any]
) -> BadResponse:
    retry = http_status >= 500
    if not body.strip():
        return BadResponse(
            f"The portal sent an empty answer (HTTP {http_status})", retryable=retry, **common
        )
    if _looks_like_html(body, content_type):
        return BadResponse(
            f"The portal answered with an HTML page (HTTP {http_status})",
            retryable=retry,
            **common,
        )
    if body.lstrip()[:1] in (b"{", b"["):
        return BadResponse(
            f"The portal's answer was cut short (HTTP {http_status})", retryable=True, **common
        )
    return BadResponse(
        f"The portal's answer is not JSON (HTTP {http_status})", retryable=retry, **common
    )


def _location_host(location: str | None) -> str | None:
    if not location:
        return None
    try:
        parts = urllib.parse.urlsplit(location)
    except ValueError:
        return None
    return parts.netloc.rpartition("@")[2] or None


def translate(
    http_status: int,
    body: bytes,
    content_type: str | None,
    method: str,
    api: ApiGeneration,
    *,
    location: str | None = None,
    secrets: tuple[str, ...] = (),
) -> B24Error:
    """The exception for an HTTP answer that is not a successful call.

    Handles redirects (:class:`PortalMoved`, naming only the new host), bodies that are
    not JSON (:class:`BadResponse`), v1 and v3 error bodies (:func:`error_from_payload`)
    and error statuses without a code. ``secrets`` are masked in every text kept.
    """
    common: dict[str, Any] = {"http_status": http_status, "method": method, "api": api}
    if 300 <= http_status < 400:
        return PortalMoved(_location_host(location), **common)
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _bad_body(http_status, body, content_type, common)
    if not isinstance(payload, dict):
        return BadResponse(
            f"The portal's answer has an unexpected shape (HTTP {http_status})", **common
        )
    if "error" in payload:
        return error_from_payload(
            payload, http_status=http_status, method=method, api=api, secrets=secrets
        )
    if http_status >= 400:
        return _by_status({**common, "code": None})
    return BadResponse(f"The portal's answer has no result (HTTP {http_status})", **common)


def decode_answer(
    http_status: int,
    body: bytes,
    content_type: str | None,
    method: str,
    api: ApiGeneration,
    *,
    location: str | None = None,
    secrets: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The JSON envelope of a successful call, or raise what :func:`translate` makes of it."""
    if 200 <= http_status < 300:
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            payload = None
        if isinstance(payload, dict) and "result" in payload and "error" not in payload:
            return payload
    raise translate(
        http_status, body, content_type, method, api, location=location, secrets=secrets
    )


def translate_transport(
    exc: httpx.HTTPError, method: str, api: ApiGeneration, *, secrets: tuple[str, ...] = ()
) -> TransportError:
    """The :class:`TransportError` for an httpx exception (raise it ``from None``)."""
    import httpx  # loaded by then: ``exc`` is one of its exceptions

    common: dict[str, Any] = {
        "method": method,
        "api": api,
        "description": redact(f"{type(exc).__name__}: {exc}", secrets),
    }
    if isinstance(exc, httpx.TimeoutException):
        if isinstance(exc, httpx.ConnectTimeout):
            return ConnectError("Connecting to the portal timed out", **common)
        return RequestTimeout(**common)
    if isinstance(exc, httpx.ConnectError):
        tls_failure = _tls_cause(exc)
        if tls_failure is not None:
            return _tls_error(tls_failure, _request_host(exc), common)
        return ConnectError(**common)
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return ConnectionDropped(**common)
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL | httpx.LocalProtocolError):
        return TransportError(
            "The portal address cannot be used",
            hint="Check the portal address.",
            retryable=False,
            **common,
        )
    return TransportError(**common)


_CERT_EXPIRED = 10
_CERT_HOSTNAME_MISMATCH = 62
"""OpenSSL's ``X509_V_ERR_*`` codes that need advice other than "trust the CA"."""


def _tls_cause(exc: BaseException) -> ssl.SSLError | None:
    """The :class:`ssl.SSLError` behind an httpx exception (httpx and httpcore wrap it)."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, ssl.SSLError):
            return cause
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return None


def _request_host(exc: httpx.HTTPError) -> str:
    """``host[:port]`` of the request that failed, or "the portal" when httpx kept none."""
    try:
        url = exc.request.url
    except RuntimeError:
        return "the portal"
    return f"{url.host}:{url.port}" if url.port is not None else url.host


def _tls_error(failure: ssl.SSLError, host: str, common: dict[str, Any]) -> ConnectError:
    """The error for a failed TLS handshake with ``host``, with what to do about it; not
    retryable: it fails the same way until the trusted CAs or the address change."""
    if not isinstance(failure, ssl.SSLCertVerificationError):
        return ConnectError(
            "The secure (TLS) connection to the portal failed",
            hint=f"Check that {host} serves https://; a proxy in between may interfere.",
            retryable=False,
            **common,
        )
    reason = str(failure.verify_message or "").strip().rstrip(".")
    title = "The portal's TLS certificate is not trusted" + (f" ({reason})" if reason else "")
    if failure.verify_code == _CERT_HOSTNAME_MISMATCH:
        hint = f"The certificate is for another name than {host}: check the portal address."
    elif failure.verify_code == _CERT_EXPIRED:
        hint = (
            f"The certificate of {host} has expired, or this computer's clock is wrong: check "
            "the clock, else the portal's administrator must renew the certificate."
        )
    elif cert_file := os.environ.get("SSL_CERT_FILE", "").strip():
        hint = (
            f"SSL_CERT_FILE is set, but {cert_file} does not hold the CA that signed the "
            f"certificate of {host}: add that CA (PEM) to the file, then try again."
        )
    else:
        hint = (
            "b24tui trusts the public CAs it ships with, not the system's store. If the "
            f"certificate of {host} is signed by a company CA, set SSL_CERT_FILE to a PEM file "
            "that holds that CA (such as the system bundle, /etc/ssl/certs/ca-certificates.crt "
            "on Debian and Ubuntu, once the CA is added to it), then try again."
        )
    return ConnectError(title, hint=hint, retryable=False, **common)
