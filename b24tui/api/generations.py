"""Which API generation a portal answers task writes on: REST 3.0 or the classic API."""

from __future__ import annotations

import logging

from b24tui.api.endpoint import ApiGeneration

log = logging.getLogger(__name__)


class ApiGenerations:
    """What the client has learned about each portal host, for its lifetime.

    A portal either has REST 3.0 for tasks (and the webhook its ``tasks`` scope) or not;
    the first ``api="auto"`` call finds out and the answer holds for every later one.
    """

    def __init__(self) -> None:
        self._by_host: dict[str, ApiGeneration] = {}

    def known(self, host: str) -> ApiGeneration | None:
        """The generation learned for ``host``, or ``None`` before the first auto call."""
        return self._by_host.get(host)

    def remember(self, host: str, api: ApiGeneration, *, reason: str) -> None:
        """Record that ``host`` answers on ``api`` (logged once per change)."""
        if self._by_host.get(host) != api:
            log.info("portal %s: using the %s API for task writes (%s)", host, api, reason)
        self._by_host[host] = api

    def forget(self, host: str) -> None:
        """Drop what was learned about ``host`` (after a new login, say)."""
        self._by_host.pop(host, None)
