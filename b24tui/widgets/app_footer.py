"""The key footer, without the leak a day of key presses would otherwise build up."""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer

_WATCHERS = "__watchers"
"""Where Textual 8.2 keeps an object's watchers, ``data_bind`` ones included."""


class AppFooter(Footer):
    """Textual's :class:`Footer`, forgetting the keys it has replaced.

    The footer rebuilds its keys whenever the screen's bindings change (for the dashboard:
    at every cursor move, as the selected task's actions differ). Each new key binds the
    footer's ``compact`` to itself with ``data_bind``, and Textual drops the watchers of
    removed keys only when ``compact`` next changes, which may be never. Over a day that
    kept every key ever shown. After each rebuild, the watchers of keys no longer in the
    footer are dropped here.
    """

    async def recompose(self) -> None:
        await super().recompose()
        self._forget_removed_keys()

    def _forget_removed_keys(self) -> None:
        watchers: dict[str, list[tuple[object, Any]]] = getattr(self, _WATCHERS, {})
        for entries in watchers.values():
            entries[:] = [(node, callback) for node, callback in entries if _in_dom(node)]


def _in_dom(node: object) -> bool:
    """Whether a watcher's node is still in the DOM (anything else is kept)."""
    is_attached = getattr(node, "is_attached", None)
    return bool(is_attached) if is_attached is not None else True
