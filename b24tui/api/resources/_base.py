"""What every resource shares: the client it calls through and model parsing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from b24tui.api.errors import BadResponse
from b24tui.models import ModelError

if TYPE_CHECKING:
    from b24tui.api.client import B24Client

T = TypeVar("T")


class Resource:
    """A namespace of methods over one :class:`~b24tui.api.client.B24Client`."""

    def __init__(self, client: B24Client) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._client!r})"


def parse(method: str, build: Callable[[], T]) -> T:
    """Run a model constructor; an answer it cannot read becomes :class:`BadResponse`."""
    try:
        return build()
    except ModelError as error:
        raise BadResponse(
            "The portal's answer could not be read",
            method=method,
            description=str(error),
        ) from None
