"""A transport lent to a short-lived ``httpx.AsyncClient``, which must not close it.

A module of its own so that httpx, which it subclasses, loads with the first token
exchange, not when the api package is imported.
"""

from __future__ import annotations

import httpx

__all__ = ["Borrowed"]


class Borrowed(httpx.AsyncBaseTransport):
    """A transport the caller owns: the client it is lent to must not close it."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        return None
