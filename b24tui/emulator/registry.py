"""The method table of the emulated portal.

Each REST method is a handler registered under its lowercase name for one API generation
(``"v1"`` for ``/rest/``, ``"v3"`` for ``/rest/api/``). The ASGI app authenticates the
caller, parses the body into plain Python values, builds a :class:`Call` and runs the
handler; the handler returns the ``result`` value (or a :class:`Page` for list methods)
or raises :class:`~b24tui.emulator.errors.RestError` / ``V3Error``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from b24tui.emulator.state import Portal

ApiGeneration = Literal["v1", "v3"]


@dataclass
class Call:
    """One method call as a handler sees it."""

    portal: Portal
    """The portal's whole state (users, tasks, checklists, workdays)."""
    user_id: int
    """The caller: the webhook's owner or the OAuth token's user."""
    scopes: frozenset[str]
    """Scopes granted to the webhook or token."""
    api: ApiGeneration
    params: dict[str, Any] | list[Any]
    """The parsed parameters: a dict for named ones, a list when sent as a root JSON array
    or as ``0=…&1[…]=…`` (positional methods accept both, mapped by position)."""
    now: datetime
    """The portal clock's current moment (aware)."""


@dataclass
class Page:
    """A list method's answer: ``result`` plus ``total`` and ``next`` in the envelope."""

    result: Any
    total: int
    next: int | None = None


Handler = Callable[[Call], Any]


@dataclass(frozen=True)
class Method:
    """A registered REST method."""

    name: str
    api: ApiGeneration
    scope: str
    """The scope the caller needs (``task``, ``tasks``, ``user``, ``timeman``, ``basic``)."""
    handler: Handler
    batchable: bool = True
    writes: bool = False
    """Whether it creates, modifies or deletes data: REST 3.0 honours ``Idempotency-Key``
    on such methods only (:mod:`b24tui.emulator.idempotency`)."""


@dataclass
class Registry:
    """Methods by ``(api, lowercase name)``."""

    methods: dict[tuple[ApiGeneration, str], Method] = field(default_factory=dict)

    def method(
        self,
        name: str,
        *,
        scope: str,
        api: ApiGeneration = "v1",
        batchable: bool = True,
        writes: bool = False,
    ) -> Callable[[Handler], Handler]:
        """Decorator registering ``handler`` as REST method ``name`` (``writes``: it
        creates, modifies or deletes data)."""

        def register(handler: Handler) -> Handler:
            key = (api, name.lower())
            if key in self.methods:
                raise ValueError(f"{api} method {name} registered twice")
            self.methods[key] = Method(name.lower(), api, scope, handler, batchable, writes)
            return handler

        return register

    def find(self, api: ApiGeneration, name: str) -> Method | None:
        return self.methods.get((api, name.lower()))


REGISTRY = Registry()
"""The portal's method table; handler modules register into it on import."""
