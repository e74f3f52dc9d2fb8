"""Several calls in one HTTP request: the classic API's ``batch`` method.

Build a :class:`Batch`, add up to 50 commands (each gets an id and returns a :class:`Ref`
that later commands may use as a parameter value), run it with
:meth:`~b24tui.api.client.B24Client.batch` and read the :class:`BatchResult`: per command
either its result or its translated error. With ``halt=True`` the portal stops at the
first failing command; the commands after it did not run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from b24tui.api.errors import ApiError, BadResponse, BatchError, error_from_payload
from b24tui.api.query import Ref, encode_query
from b24tui.api.response import CallTime, Response

__all__ = ["MAX_BATCH_COMMANDS", "Batch", "BatchCommand", "BatchResult", "Params", "Ref"]

MAX_BATCH_COMMANDS = 50
"""The portal refuses more commands than this in one batch."""

Params = Mapping[str, Any] | Sequence[Any]
"""Call parameters: named (a mapping) or positional (a sequence, for legacy methods)."""

_COMMAND_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class BatchCommand:
    """One command of a batch."""

    id: str
    method: str
    params: Params | None = None

    def encoded(self) -> str:
        """``method?query``, the form the ``cmd`` parameter takes."""
        query = encode_query(self.params) if self.params else ""
        return f"{self.method}?{query}" if query else self.method


@dataclass
class Batch:
    """Up to :data:`MAX_BATCH_COMMANDS` commands, run in order in one request."""

    halt: bool = False
    """Stop at the first failing command (the rest do not run)."""
    commands: list[BatchCommand] = field(default_factory=list)

    def add(self, method: str, params: Params | None = None, *, id: str | None = None) -> Ref:
        """Append a command; return a reference to its result for later commands.

        Ids must be identifiers (``page0``, ``me``): numeric ids would turn the portal's
        answer maps into arrays.

        Raises:
            ValueError: the batch is full, or the id is taken or not an identifier.
        """
        if len(self.commands) >= MAX_BATCH_COMMANDS:
            raise ValueError(f"a batch holds at most {MAX_BATCH_COMMANDS} commands")
        command_id = id if id is not None else f"c{len(self.commands)}"
        if not _COMMAND_ID.match(command_id):
            raise ValueError(f"batch command id {command_id!r} must be an identifier")
        if any(c.id == command_id for c in self.commands):
            raise ValueError(f"batch command id {command_id!r} is used twice")
        self.commands.append(BatchCommand(command_id, method, params))
        return Ref(command_id)

    def __len__(self) -> int:
        return len(self.commands)

    def params(self) -> dict[str, Any]:
        """The parameters of the ``batch`` call itself."""
        return {
            "halt": 1 if self.halt else 0,
            "cmd": {c.id: c.encoded() for c in self.commands},
        }


def _as_map(value: Any) -> Mapping[str, Any]:
    """Batch answer maps arrive as ``[]`` when empty."""
    if isinstance(value, Mapping):
        return value
    if isinstance(value, list) and not value:
        return {}
    raise BadResponse("The portal's batch answer has an unexpected shape", method="batch")


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class BatchResult:
    """What each command of a batch produced."""

    commands: tuple[BatchCommand, ...]
    results: Mapping[str, Any]
    """Command id → its ``result`` (only for commands that succeeded)."""
    errors: Mapping[str, ApiError]
    """Command id → the translated error (only for commands that failed)."""
    totals: Mapping[str, int]
    nexts: Mapping[str, int]
    times: Mapping[str, CallTime]

    @classmethod
    def from_result(
        cls, batch: Batch, result: Any, *, secrets: tuple[str, ...] = ()
    ) -> BatchResult:
        """Parse the ``result`` of a ``batch`` call."""
        body = _as_map(result)
        methods = {c.id: c.method for c in batch.commands}
        errors: dict[str, ApiError] = {}
        for command_id, payload in _as_map(body.get("result_error", {})).items():
            error_body = payload if isinstance(payload, Mapping) else {"error": str(payload)}
            errors[str(command_id)] = error_from_payload(
                error_body,
                http_status=None,
                method=methods.get(str(command_id)),
                api="v1",
                secrets=secrets,
            )
        totals = {
            str(k): n
            for k, v in _as_map(body.get("result_total", {})).items()
            if (n := _int_or_none(v)) is not None
        }
        nexts = {
            str(k): n
            for k, v in _as_map(body.get("result_next", {})).items()
            if (n := _int_or_none(v)) is not None
        }
        times = {
            str(k): t
            for k, v in _as_map(body.get("result_time", {})).items()
            if (t := CallTime.from_api(v)) is not None
        }
        results = {str(k): v for k, v in _as_map(body.get("result", {})).items()}
        return cls(tuple(batch.commands), results, errors, totals, nexts, times)

    def ok(self, command_id: str) -> bool:
        """Whether the command ran and succeeded."""
        return command_id in self.results and command_id not in self.errors

    def error(self, command_id: str) -> ApiError | None:
        """The command's error: its own, or a :class:`BatchError` if it never ran."""
        if command_id in self.errors:
            return self.errors[command_id]
        if command_id not in self.results:
            method = next((c.method for c in self.commands if c.id == command_id), None)
            if method is None:
                raise KeyError(command_id)
            return BatchError(
                "The command did not run: the batch stopped at an earlier error",
                method=method,
            )
        return None

    def __getitem__(self, command_id: str) -> Any:
        """The command's result; raises its error if it failed or did not run."""
        error = self.error(command_id)
        if error is not None:
            raise error
        return self.results[command_id]

    def response(self, command_id: str) -> Response:
        """The command's result as a :class:`Response` (with its ``total``/``next``/``time``)."""
        method = next((c.method for c in self.commands if c.id == command_id), "")
        return Response(
            result=self[command_id],
            total=self.totals.get(command_id),
            next=self.nexts.get(command_id),
            time=self.times.get(command_id),
            method=method,
            api="v1",
        )

    @property
    def first_error(self) -> ApiError | None:
        """The error of the earliest failing command, in batch order."""
        for command in self.commands:
            if command.id in self.errors:
                return self.errors[command.id]
        return None
