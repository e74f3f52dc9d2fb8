"""The key footer, without the leak a day of key presses would otherwise build up."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

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

    It also rebuilds once however many times the bindings change before the next frame,
    and not at all when the keys on offer are the same: Textual queues a rebuild (some
    20 ms) for each change (focus moved, a screen shown, an offer checked again), and
    opening a task queued six of them.
    """

    _shown_keys: tuple[object, ...] | None = None
    """What the keys shown were built from (None: not built yet)."""
    _rebuild_queued = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_queued:
            self._rebuild_queued = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_queued = False
        if self.is_attached and self._keys_on_offer() != self._shown_keys:
            await self.recompose()

    async def recompose(self) -> None:
        self._shown_keys = self._keys_on_offer()
        await super().recompose()
        self._forget_removed_keys()

    def _keys_on_offer(self) -> tuple[object, ...]:
        """Everything the footer's keys are built from."""
        app = self.app
        keys = [
            (binding, app.get_key_display(binding), enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == app.COMMAND_PALETTE_BINDING
        ]
        return (*keys, self.show_command_palette, self.combine_groups)

    def _forget_removed_keys(self) -> None:
        watchers: dict[str, list[tuple[object, Any]]] = getattr(self, _WATCHERS, {})
        for entries in watchers.values():
            entries[:] = [(node, callback) for node, callback in entries if _in_dom(node)]


def _in_dom(node: object) -> bool:
    """Whether a watcher's node is still in the DOM (anything else is kept)."""
    is_attached = getattr(node, "is_attached", None)
    return bool(is_attached) if is_attached is not None else True
