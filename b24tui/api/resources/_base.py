"""What every resource shares: the client it calls through and model parsing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from b24tui.api.batch import BatchCommand, Params
from b24tui.api.caller import Caller
from b24tui.api.errors import BadResponse
from b24tui.models import ModelError

T = TypeVar("T")


class Resource:
    """A namespace of methods over one :class:`~b24tui.api.caller.Caller` (the client)."""

    def __init__(self, client: Caller) -> None:
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


@dataclass(frozen=True)
class Query(Generic[T]):
    """One read described rather than sent, so it can ride along in another request's
    batch (:meth:`~b24tui.api.resources.tasks.TasksResource.read_lists`): the method, its
    parameters, and how its ``result`` becomes a model."""

    method: str
    params: Params
    read: Callable[[Any], T]

    def command(self, command_id: str) -> BatchCommand:
        """This read as a batch command."""
        return BatchCommand(command_id, self.method, self.params)

    def parse(self, result: Any) -> T:
        """The model in ``result`` (an unreadable answer raises :class:`BadResponse`)."""
        return parse(self.method, lambda: self.read(result))
