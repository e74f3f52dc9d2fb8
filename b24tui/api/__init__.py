"""The typed async Bitrix24 REST client: endpoints, errors, batch, paging, resources."""

from __future__ import annotations

from b24tui.api.batch import MAX_BATCH_COMMANDS, Batch, BatchCommand, BatchResult, Params
from b24tui.api.caller import Caller
from b24tui.api.client import DEFAULT_TIMEOUT, B24Client
from b24tui.api.endpoint import (
    ApiGeneration,
    Endpoint,
    EndpointError,
    OAuthToken,
    TokenRefresher,
    Webhook,
    is_loopback_host,
    redact,
)
from b24tui.api.errors import (
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
    OutcomeUnknown,
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
from b24tui.api.generations import ApiGenerations
from b24tui.api.oauth import OAuthApp, OAuthGrantError, TokenServerRefresher
from b24tui.api.pacing import PacingPolicy, PacingState
from b24tui.api.paging import TASKS, USERS, ListShape, fetch_all, fetch_all_many, fetch_page
from b24tui.api.policy import NoPolicy, RequestPolicy, is_read_method
from b24tui.api.query import Ref, encode_query
from b24tui.api.resources import MethodInfo
from b24tui.api.response import CallTime, Response

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_BATCH_COMMANDS",
    "TASKS",
    "USERS",
    "AccessDenied",
    "ActionNotAllowed",
    "ApiError",
    "ApiGeneration",
    "ApiGenerations",
    "AuthError",
    "B24Client",
    "B24Error",
    "BadResponse",
    "Batch",
    "BatchCommand",
    "BatchError",
    "BatchResult",
    "CallTime",
    "Caller",
    "ConnectError",
    "ConnectionDropped",
    "Endpoint",
    "EndpointError",
    "HttpsRequired",
    "ListShape",
    "MethodInfo",
    "MethodNotFound",
    "NoPolicy",
    "NotFound",
    "OAuthApp",
    "OAuthGrantError",
    "OAuthToken",
    "OperationTimeLimit",
    "OutcomeUnknown",
    "Overloaded",
    "PacingPolicy",
    "PacingState",
    "Params",
    "PortalMoved",
    "RateLimited",
    "Ref",
    "RequestPolicy",
    "RequestTimeout",
    "Response",
    "ScopeError",
    "ServerError",
    "TokenExpired",
    "TokenRefresher",
    "TokenServerRefresher",
    "TransportError",
    "ValidationError",
    "Webhook",
    "encode_query",
    "fetch_all",
    "fetch_all_many",
    "fetch_page",
    "is_loopback_host",
    "is_read_method",
    "redact",
    "translate",
]
