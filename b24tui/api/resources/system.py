"""``client.system``: what the credential is and may do (``profile``, ``scope``, ``method.get``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from b24tui.api.errors import AuthError, BadResponse
from b24tui.api.resources._base import Resource, parse
from b24tui.models import InactiveProfileError, Profile

__all__ = ["MethodInfo", "SystemResource"]


@dataclass(frozen=True)
class MethodInfo:
    """``method.get``: whether a method exists on the portal and may be called."""

    name: str
    is_existing: bool
    is_available: bool


class SystemResource(Resource):
    """Checks that need only the ``basic`` scope."""

    async def profile(self) -> Profile:
        """``profile``: who the credential belongs to (a good credential check).

        Raises:
            AuthError: the credential's user is inactive (the portal answers nothing).
        """
        response = await self._client.call("profile", {})

        def build() -> Profile:
            try:
                return Profile.from_api(response.result)
            except InactiveProfileError:
                raise AuthError(
                    "The webhook's user is inactive",
                    hint="Create the webhook as an active user.",
                    method="profile",
                ) from None

        return parse("profile", build)

    async def scope(self) -> frozenset[str]:
        """``scope``: the scopes granted to this webhook or app."""
        response = await self._client.call("scope", {})
        if not isinstance(response.result, list):
            raise BadResponse("The portal's scope answer has an unexpected shape", method="scope")
        return frozenset(str(name) for name in response.result)

    async def method_get(self, name: str) -> MethodInfo:
        """``method.get``: whether ``name`` exists and is available to this credential."""
        response = await self._client.call("method.get", {"name": name.lower()})
        result = response.result
        if not isinstance(result, Mapping):
            raise BadResponse(
                "The portal's method.get answer has an unexpected shape", method="method.get"
            )
        return MethodInfo(
            name=name.lower(),
            is_existing=bool(result.get("isExisting")),
            is_available=bool(result.get("isAvailable")),
        )
