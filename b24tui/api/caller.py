"""What the resources and paging need of a client: calls, batches and the endpoint.

:class:`~b24tui.api.client.B24Client` is the one implementation; typing against this
protocol keeps the resources and paging below the client, so it may import them and
never the reverse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from b24tui.api.batch import Batch, BatchResult, Params
    from b24tui.api.endpoint import Endpoint
    from b24tui.api.response import Response

__all__ = ["Caller"]


class Caller(Protocol):
    """Sends methods to one portal as one credential (see :class:`~b24tui.api.client.B24Client`)."""

    @property
    def endpoint(self) -> Endpoint:
        """Where and as whom calls go."""
        ...

    async def call(self, method: str, params: Params | None = None) -> Response:
        """Call ``method`` on the classic API; failures raise translated ``B24Error``s."""
        ...

    async def call_either(
        self,
        method: str,
        *,
        v3: Params | None,
        v1: Params | None,
        idempotency_key: str | None = None,
    ) -> Response:
        """Call ``method`` on REST 3.0 where the portal has it, else on the classic API;
        ``idempotency_key`` goes with the REST 3.0 call only."""
        ...

    async def batch(self, batch: Batch) -> BatchResult:
        """Run ``batch`` in one request; per-command errors are in the result."""
        ...
