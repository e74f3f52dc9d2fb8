"""A task's checklists as a tree: done/total counts, marks, members; it never fetches.

:class:`ChecklistTree` is Textual's :class:`~textual.widgets.Tree` over item ids, told what
to show through :meth:`ChecklistTree.show` (the checklists as
:class:`~b24tui.models.ChecklistNode` trees). Expanding and the cursor stay on the same
items across shows; a show that changes only labels (a tick) repaints only those. Its keys
move and expand; `space` is the screen's (it ticks), not the tree's default expand.

Titles and names come from the portal: every label is a :class:`~rich.text.Text` built from
cleaned text, never markup (a ``str`` label would be parsed as markup).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from b24tui.models import ChecklistItem, ChecklistNode
from b24tui.text import clean

__all__ = ["ChecklistTree", "ShownItem", "item_label"]

DONE_MARK = "☑"
OPEN_MARK = "☐"
IMPORTANT_MARK = "!"
PENDING_MARK = "…"
"""After an item whose change is still being sent."""


@dataclass(frozen=True)
class ShownItem:
    """What a label shows of one item: enough to tell when it must be drawn again."""

    item: ChecklistItem
    done: int
    total: int
    has_children: bool
    pending: bool
    members: tuple[str, ...]


def item_label(shown: ShownItem) -> Text:
    """The label of one item: ``☑ title 2/5 ! · Ann, Bob …`` (checklists bold, without a box).

    Plain text throughout: the title is cleaned and never read as markup.
    """
    item = shown.item
    title = clean(item.title, single_line=True) or "(untitled)"
    text = Text(no_wrap=True, end="")
    if item.is_root:
        text.append(title, Style(bold=True))
    else:
        text.append(f"{DONE_MARK if item.is_complete else OPEN_MARK} ")
        style = Style(strike=True, dim=True) if item.is_complete else Style()
        text.append(title, style)
    if shown.has_children:
        text.append(f" {shown.done}/{shown.total}", Style(dim=not item.is_root))
    if item.is_important:
        text.append(f" {IMPORTANT_MARK}", Style(bold=True, color="red"))
    if shown.members:
        names = ", ".join(clean(name, single_line=True) for name in shown.members)
        text.append(f" · {names}", Style(italic=True, dim=True))
    if shown.pending:
        text.append(f" {PENDING_MARK}", Style(dim=True))
    return text


class ChecklistTree(Tree[int], inherit_bindings=False):
    """The checklists of one task; each node's data is its item's id."""

    DEFAULT_CSS = """
    ChecklistTree { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="checklist_up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="checklist_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="checklist_page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="checklist_page_down"),
        Binding("home,g", "scroll_home", "Top", show=False, id="checklist_top"),
        Binding("end,G", "scroll_end", "End", show=False, id="checklist_end"),
        Binding("enter", "toggle_expand", "Expand", show=False, id="checklist_expand"),
        Binding("right,l", "expand_or_down", "Expand", show=False, id="checklist_right"),
        Binding("left", "collapse_or_up", "Collapse", show=False, id="checklist_left"),
        Binding("plus", "expand_all", "Expand all", show=False, id="checklist_expand_all"),
        Binding("minus", "collapse_all", "Collapse all", show=False, id="checklist_collapse_all"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("checklists", id=id)
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 3
        self._item_nodes: dict[int, TreeNode[int]] = {}
        """Item id → its node, for the items shown."""
        self._shown: dict[int, ShownItem] = {}
        self._shape: tuple[tuple[int, int], ...] = ()
        """(item id, parent id) of every item shown, in order: the tree's structure."""
        self._collapsed: set[int] = set()
        """Items the person collapsed (the rest of those with children are expanded)."""

    def render_label(self, node: TreeNode[int], base_style: Style, style: Style) -> Text:
        """The node's label, cut with an ellipsis where it would pass the tree's right
        edge: a long title is read on one line, and nothing scrolls sideways."""
        label = super().render_label(node, base_style, style)
        room = self.scrollable_content_region.width - self._guide_width(node)
        if room > 0 and label.cell_len > room:
            label.truncate(room, overflow="ellipsis")
        return label

    def _guide_width(self, node: TreeNode[int]) -> int:
        """The cells of indentation before ``node``'s label (as the tree draws them)."""
        path = 0
        step: TreeNode[int] | None = node
        while step is not None:
            path += 1
            step = step.parent
        return (path - 1) * self.guide_depth if path > 1 else 0

    # ------------------------------------------------------------------ what is shown

    @property
    def cursor_item_id(self) -> int | None:
        """The item under the cursor, or None when the tree is empty."""
        node = self.cursor_node
        return node.data if node is not None and node.data is not None else None

    @property
    def shown_ids(self) -> tuple[int, ...]:
        """The ids of the items in the tree (shown or under a collapsed one), in order."""
        return tuple(item_id for item_id, _ in self._shape)

    def label_of(self, item_id: int) -> Text | None:
        """The label drawn for ``item_id`` (None when it is not in the tree)."""
        shown = self._shown.get(item_id)
        return item_label(shown) if shown is not None else None

    def show(
        self,
        forest: Iterable[ChecklistNode],
        *,
        hide_done: bool = False,
        pending: frozenset[int] = frozenset(),
        names: Callable[[ChecklistItem], tuple[str, ...]] = lambda item: (),
        cursor: int | None = None,
    ) -> None:
        """Show ``forest``; done items (and what is under them) left out with ``hide_done``.

        The cursor stays on its item (or goes to ``cursor``, or to the nearest item shown
        before it when its own is gone); collapsed items stay collapsed.
        """
        wanted = cursor if cursor is not None else self.cursor_item_id
        rows: list[tuple[int, int, ShownItem]] = []
        for top in forest:
            self._rows(top, 0, hide_done, pending, names, rows)
        shape = tuple((item_id, parent) for item_id, parent, _ in rows)
        shown = {item_id: item for item_id, _, item in rows}
        if wanted is not None and wanted not in shown:
            wanted = self._nearest_before(wanted, shown)
        if shape == self._shape:
            for item_id, item in shown.items():
                if self._shown.get(item_id) != item:
                    self._item_nodes[item_id].set_label(item_label(item))
            self._shown = shown
        else:
            self._rebuild(rows, shown, shape)
        self._place_cursor(wanted)

    def _nearest_before(self, gone: int, shown: Mapping[int, ShownItem]) -> int | None:
        """The item still shown that came nearest before ``gone`` (deleted, rolled back,
        hidden), or after it when none did; None when there is neither."""
        order = [item_id for item_id, _ in self._shape]
        if gone not in order:
            return None
        at = order.index(gone)
        before = (item_id for item_id in reversed(order[:at]) if item_id in shown)
        after = (item_id for item_id in order[at + 1 :] if item_id in shown)
        return next(before, next(after, None))

    def _rows(
        self,
        top: ChecklistNode,
        top_parent: int,
        hide_done: bool,
        pending: frozenset[int],
        names: Callable[[ChecklistItem], tuple[str, ...]],
        rows: list[tuple[int, int, ShownItem]],
    ) -> None:
        """Append ``top``'s subtree, depth first, as (id, parent id, what it shows)."""
        stack: list[tuple[ChecklistNode, int]] = [(top, top_parent)]
        while stack:
            node, parent = stack.pop()
            item = node.item
            if hide_done and item.is_complete and not item.is_root:
                continue
            shown = ShownItem(
                item,
                node.done,
                node.total,
                bool(node.children),
                item.id in pending,
                names(item),
            )
            rows.append((item.id, parent, shown))
            stack.extend((child, item.id) for child in reversed(node.children))

    def _rebuild(
        self,
        rows: list[tuple[int, int, ShownItem]],
        shown: Mapping[int, ShownItem],
        shape: tuple[tuple[int, int], ...],
    ) -> None:
        self.clear()
        nodes: dict[int, TreeNode[int]] = {}
        with_children = {parent for _, parent in shape}
        for item_id, parent, item in rows:
            above = nodes.get(parent, self.root)
            label = item_label(item)
            if item_id in with_children:
                node = above.add(label, data=item_id, expand=item_id not in self._collapsed)
            else:
                node = above.add_leaf(label, data=item_id)
            nodes[item_id] = node
        self._item_nodes, self._shown, self._shape = nodes, dict(shown), shape
        self._collapsed &= set(nodes)

    def _place_cursor(self, wanted: int | None) -> None:
        if not self._item_nodes:
            return
        if self.last_line < 0:  # reading it lays the lines out, which a node's line needs
            return
        target = self._item_nodes.get(wanted) if wanted is not None else None
        if target is None:
            target = next(iter(self._item_nodes.values()))
        # Under a collapsed item: the nearest visible ancestor takes the cursor.
        node: TreeNode[int] | None = target
        while node is not None and node.parent is not None and not node.parent.is_root:
            if not node.parent.is_expanded:
                target = node.parent
            node = node.parent
        if self.cursor_node is not target:
            self.move_cursor(target, animate=False)

    def expand_item(self, item_id: int) -> None:
        """Expand ``item_id`` (its new sub-item is to show)."""
        self._collapsed.discard(item_id)
        node = self._item_nodes.get(item_id)
        if node is not None:
            node.expand()

    def show_cursor_on(self, item_id: int) -> None:
        """Put the cursor on ``item_id`` (a new item) if it is in the tree."""
        if item_id in self._item_nodes:
            self._place_cursor(item_id)

    # ------------------------------------------------------------------ keys

    def action_toggle_expand(self) -> None:
        """Expand or collapse the item under the cursor."""
        node = self.cursor_node
        if node is not None and node.allow_expand:
            self._set_expanded(node, not node.is_expanded)

    def action_expand_or_down(self) -> None:
        """Expand the item; when it is expanded (or has nothing under it), move down."""
        node = self.cursor_node
        if node is not None and node.allow_expand and not node.is_expanded:
            self._set_expanded(node, True)
        else:
            self.action_cursor_down()

    def action_collapse_or_up(self) -> None:
        """Collapse the item; when it is collapsed (or a leaf), go to its parent."""
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and node.is_expanded:
            self._set_expanded(node, False)
        elif node.parent is not None and not node.parent.is_root:
            self.move_cursor(node.parent, animate=False)

    def action_expand_all(self) -> None:
        """Expand every item."""
        self._collapsed.clear()
        for node in self._item_nodes.values():
            if node.allow_expand:
                node.expand()

    def action_collapse_all(self) -> None:
        """Collapse every item: only the checklists show."""
        for item_id, node in self._item_nodes.items():
            if node.allow_expand:
                self._collapsed.add(item_id)
                node.collapse()
        self._place_cursor(self.cursor_item_id)

    def _set_expanded(self, node: TreeNode[int], expanded: bool) -> None:
        if node.data is None:
            return
        if expanded:
            self._collapsed.discard(node.data)
            node.expand()
        else:
            self._collapsed.add(node.data)
            node.collapse()

    def on_tree_node_collapsed(self, event: Tree.NodeCollapsed[int]) -> None:
        """A click on an item's arrow collapsed it: keep it so across shows."""
        if event.node.data is not None:
            self._collapsed.add(event.node.data)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[int]) -> None:
        """A click on an item's arrow expanded it."""
        if event.node.data is not None:
            self._collapsed.discard(event.node.data)
