"""Task descriptions: Bitrix24 BBCode rendered into styled Rich text.

The portal stores descriptions as BBCode (``[B]``, ``[URL=…]``, ``[LIST]``…) with some
characters as HTML entities. :func:`render_bbcode` turns that into a
:class:`rich.text.Text` built with ``append`` only: portal text is data, so nothing in it is
ever read as Rich markup, and terminal control sequences are removed with
:func:`b24tui.text.clean`.

It is a small tokenizer and a stack. Tags it does not know, closing tags without an
opening one and tags left open are shown as the text that was typed: nothing is lost and
no input makes it fail. Nesting is capped (:data:`MAX_DEPTH`), so hostile input cannot
exhaust the stack, and the work is linear in the input's length.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Final

from rich.style import Style
from rich.text import Text

from b24tui.text import clean

__all__ = [
    "MAX_DEPTH",
    "BBCodeStyles",
    "TimeSlices",
    "decode_entities",
    "mentioned_user_ids",
    "part_ranges",
    "render_bbcode",
    "split_parts",
]

MAX_DEPTH: Final = 24
"""Tags nested deeper than this are shown as typed instead of being applied."""

_TAG: Final = re.compile(r"\[(/?)(\*|[A-Za-z][A-Za-z0-9]*)(?:=([^\[\]\n]*))?\]")
_MENTION: Final = re.compile(r"\[user=\s*(\d{1,9})\s*\]", re.IGNORECASE)
_CODE_END: Final = re.compile(r"\[/code\]", re.IGNORECASE)
_ENTITY: Final = re.compile(
    r"&(?:(quot|amp|lt|gt|apos|nbsp)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));"
)
_NAMED_ENTITIES: Final[Mapping[str, str]] = {
    "quot": '"',
    "amp": "&",
    "lt": "<",
    "gt": ">",
    "apos": "'",
    "nbsp": "\u00a0",
}

_INLINE: Final = frozenset({"B", "I", "U", "S"})
_TRANSPARENT: Final = frozenset({"COLOR", "SIZE", "FONT", "LEFT", "CENTER", "RIGHT", "JUSTIFY"})
"""Tags that mean nothing on a terminal: their content is shown, the tags are not."""
_KNOWN: Final = _INLINE | _TRANSPARENT | {"URL", "LIST", "*", "QUOTE", "CODE", "USER"}
_ITEM: Final = "*"
_BULLET: Final = "• "
_QUOTE_BAR: Final = "│ "
_CODE_INDENT: Final = "  "


@dataclass(frozen=True)
class BBCodeStyles:
    """The styles the renderer applies; a widget may pass its theme's instead."""

    bold: Style = field(default_factory=lambda: Style(bold=True))
    italic: Style = field(default_factory=lambda: Style(italic=True))
    underline: Style = field(default_factory=lambda: Style(underline=True))
    strike: Style = field(default_factory=lambda: Style(strike=True))
    link: Style = field(default_factory=lambda: Style(underline=True, color="bright_blue"))
    quote: Style = field(default_factory=lambda: Style(dim=True, italic=True))
    code: Style = field(default_factory=lambda: Style(color="bright_green", bgcolor="grey15"))
    mention: Style = field(default_factory=lambda: Style(bold=True, color="bright_cyan"))

    def inline(self, name: str) -> Style:
        """The style of ``[B]``, ``[I]``, ``[U]`` or ``[S]``."""
        return {"B": self.bold, "I": self.italic, "U": self.underline, "S": self.strike}[name]


DEFAULT_STYLES: Final = BBCodeStyles()


def decode_entities(text: str) -> str:
    """Decode the HTML entities the portal sends (``&quot;``, ``&amp;``, ``&#39;``…).

    Only these and numeric references are decoded, once; anything else stays as typed.
    """

    def replace(match: re.Match[str]) -> str:
        named, decimal, hexadecimal = match.groups()
        if named is not None:
            return _NAMED_ENTITIES[named]
        code = int(decimal) if decimal is not None else int(hexadecimal, 16)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return match.group(0)
        return chr(code)

    return _ENTITY.sub(replace, text)


@lru_cache(maxsize=8)
def mentioned_user_ids(source: str) -> frozenset[int]:
    """The user ids of the ``[USER=ID]`` mentions in ``source`` (to look their names up).

    The last few answers are kept: every repaint of a task asks again (the store for the
    names it needs, the widget for the ones it shows), and scanning a long description
    takes milliseconds each time.
    """
    return frozenset(int(found) for found in _MENTION.findall(source))


def _no_pause() -> None:
    """The default ``pause``: carry on."""


class TimeSlices:
    """A ``pause`` for :func:`render_bbcode` in a thread: after each ``work`` seconds, sleep
    ``rest`` seconds.

    Python runs one thread at a time and hands over only every few milliseconds, so a
    thread that never sleeps halves the speed of the event loop while it runs (and a
    keystroke waits for its turn). Sleeping hands the interpreter over at once.
    """

    def __init__(self, work: float = 0.004, rest: float = 0.004) -> None:
        self.work = work
        self.rest = rest
        self._until = time.perf_counter() + work

    def __call__(self) -> None:
        if time.perf_counter() >= self._until:
            time.sleep(self.rest)
            self._until = time.perf_counter() + self.work


def _safe(text: str) -> str:
    """Entities decoded, then control sequences removed (an entity may encode ESC)."""
    return clean(decode_entities(text))


# --------------------------------------------------------------------------- tokens and tree


@dataclass
class _Element:
    """An opening tag and what follows it up to its closing tag (if it gets one)."""

    name: str
    raw: str
    arg: str | None = None
    children: list[_Element | str] = field(default_factory=list)
    closed: bool = False


@dataclass(frozen=True)
class _Tag:
    raw: str
    name: str
    closing: bool
    arg: str | None


def _tokens(source: str) -> Iterator[str | _Tag]:
    """Text runs and known tags, in order.

    A ``[CODE]`` with a closing tag comes as one element whose content is the raw text in
    between (no tag processing inside); without one, ``[CODE]`` is plain text.
    """
    position = 0
    length = len(source)
    while position < length:
        match = _TAG.search(source, position)
        if match is None:
            yield source[position:]
            return
        if match.start() > position:
            yield source[position : match.start()]
        closing, raw_name, arg = match.groups()
        name = raw_name.upper()
        position = match.end()
        if name not in _KNOWN or (closing and arg is not None):
            yield match.group(0)
        elif name == "CODE":
            end = None if closing else _CODE_END.search(source, position)
            if end is None:
                yield match.group(0)
            else:
                yield _Tag(match.group(0), name, False, source[position : end.start()])
                position = end.end()
        else:
            yield _Tag(match.group(0), name, bool(closing), arg)


def _parse(source: str, pause: Callable[[], None] = _no_pause) -> _Element:
    """The element tree of ``source``: tags matched by a stack, the rest left as text.

    ``pause`` is called between tokens (see :func:`render_bbcode`).
    """
    root = _Element("", "", closed=True)
    stack: list[_Element] = [root]

    def unclose_above(index: int) -> None:
        """Pop everything above ``stack[index]``; list items end there, other tags stay open."""
        while len(stack) > index + 1:
            element = stack.pop()
            element.closed = element.name == _ITEM

    def open_element(element: _Element) -> None:
        stack[-1].children.append(element)
        stack.append(element)

    for token in _tokens(source):
        pause()
        if isinstance(token, str):
            stack[-1].children.append(token)
            continue
        if token.name == "CODE":
            code = _Element("CODE", token.raw, closed=True, children=[token.arg or ""])
            stack[-1].children.append(code)
            continue
        if token.name == _ITEM and not token.closing:
            found = _nearest(stack, ("LIST", _ITEM))
            if found is None or len(stack) > MAX_DEPTH:
                stack[-1].children.append(token.raw)
                continue
            if stack[found].name == _ITEM:
                unclose_above(found)
                stack.pop().closed = True
            else:
                unclose_above(found)
            open_element(_Element(_ITEM, token.raw))
            continue
        if token.closing:
            found = _nearest(stack, (token.name,))
            if found is None:
                stack[-1].children.append(token.raw)
                continue
            unclose_above(found)
            stack.pop().closed = True
            continue
        if len(stack) > MAX_DEPTH:
            stack[-1].children.append(token.raw)
            continue
        open_element(_Element(token.name, token.raw, token.arg))
    unclose_above(0)
    return root


def _nearest(stack: list[_Element], names: tuple[str, ...]) -> int | None:
    """The index of the innermost open element named one of ``names`` (never the root)."""
    for index in range(len(stack) - 1, 0, -1):
        if stack[index].name in names:
            return index
    return None


# --------------------------------------------------------------------------- rendering


class _Renderer:
    """Appends elements to one Text, keeping block elements on lines of their own."""

    def __init__(
        self, styles: BBCodeStyles, users: Mapping[int, str], pause: Callable[[], None]
    ) -> None:
        self.styles = styles
        self.users = users
        self.pause = pause
        self.out = Text()
        self._last = "\n"
        """The last character written ("\\n" at the start: a block needs no break first)."""
        self._after_block = False

    # ------------------------------------------------------------------ writing

    def write(self, text: str | Text, style: Style | None = None) -> None:
        plain = text if isinstance(text, str) else text.plain
        if not plain:
            return
        if self._after_block:
            self._after_block = False
            if plain[0] != "\n":
                self.out.append("\n")
        if isinstance(text, str):
            self.out.append(text, style)
        else:
            self.out.append_text(text)
        self._last = plain[-1]

    def write_block(self, block: Text) -> None:
        """A block on lines of its own: a break before it, and before what follows."""
        if self._last != "\n":
            self.out.append("\n")
        self.out.append_text(block)
        self._last = block.plain[-1:] or "\n"
        self._after_block = True

    # ------------------------------------------------------------------ elements

    def children(self, element: _Element, *, literal_items: bool = False) -> None:
        for child in element.children:
            self.pause()
            if isinstance(child, str):
                self.write(_safe(child))
            elif literal_items and child.name == _ITEM:
                self.write(_safe(child.raw))
                self.children(child)
            else:
                self.element(child)

    def element(self, element: _Element) -> None:
        if not element.closed:
            self.write(_safe(element.raw))
            self.children(element, literal_items=element.name == "LIST")
            return
        name = element.name
        if name in _INLINE:
            self.styled(element, self.styles.inline(name))
        elif name in _TRANSPARENT:
            self.children(element)
        elif name == "URL":
            self.url(element)
        elif name == "USER":
            self.user(element)
        elif name == "LIST":
            self.list(element)
        elif name == "QUOTE":
            self.quote(element)
        elif name == "CODE":
            self.code(element)
        else:  # a list item outside a list cannot be built by the parser; show it as typed
            self.write(_safe(element.raw))
            self.children(element)

    def styled(self, element: _Element, style: Style) -> None:
        start = len(self.out)
        self.children(element)
        if len(self.out) > start:
            self.out.stylize(style, start, len(self.out))

    def sub(self, element: _Element) -> Text:
        """The element's children rendered on their own."""
        inner = _Renderer(self.styles, self.users, self.pause)
        inner.children(element)
        return inner.out

    def url(self, element: _Element) -> None:
        label = self.sub(element)
        href = clean(decode_entities(element.arg or label.plain), single_line=True)
        href = href.strip().strip("\"'").strip()
        if not label.plain.strip():
            label = Text(href)
        style = self.styles.link
        if href.lower().startswith(("http://", "https://")):
            style = style + Style(link=href)
        label.stylize(style)
        self.write(label)

    def user(self, element: _Element) -> None:
        shown = self.sub(element).plain.strip()
        arg = (element.arg or "").strip()
        if arg.isdigit() and int(arg) in self.users:
            shown = clean(self.users[int(arg)], single_line=True)
        if not shown:
            shown = f"user {arg}" if arg.isdigit() else "user"
        self.write(Text("@" + " ".join(shown.split()), style=self.styles.mention))

    def list(self, element: _Element) -> None:
        numbered = (element.arg or "").strip() == "1"
        lines: list[Text] = []
        number = 0
        for child in element.children:
            if isinstance(child, str):
                text = _safe(child)
                if text.strip():  # text between [LIST] and the first [*] is kept
                    lines.extend(_strip(Text(text)).split("\n"))
                continue
            if child.name != _ITEM:
                inner = _Renderer(self.styles, self.users, self.pause)
                inner.element(child)
                lines.extend(_strip(inner.out).split("\n"))
                continue
            number += 1
            marker = f"{number}. " if numbered else _BULLET
            body = _strip(self.sub(child)).split("\n")
            for index, line in enumerate(body):
                prefix = marker if index == 0 else " " * len(marker)
                lines.append(Text(prefix) + line)
        if lines:
            self.write_block(Text("\n").join(lines))

    def quote(self, element: _Element) -> None:
        body = _strip(self.sub(element))
        lines: list[Text] = list(body.split("\n")) if body.plain else []
        author = clean(decode_entities(element.arg or ""), single_line=True).strip().strip("\"'")
        if author:
            lines.insert(0, Text(f"{author} wrote:"))
        if not lines:
            return
        block = Text("\n").join(Text(_QUOTE_BAR) + line for line in lines)
        block.stylize(self.styles.quote)
        self.write_block(block)

    def code(self, element: _Element) -> None:
        source = "".join(child for child in element.children if isinstance(child, str))
        body = _safe(source).strip("\n")
        if not body.strip():
            return
        block = Text("\n").join(
            Text(_CODE_INDENT + line.rstrip(), style=self.styles.code) for line in body.split("\n")
        )
        self.write_block(block)


def _strip(text: Text) -> Text:
    """``text`` without leading and trailing blank space (styles kept)."""
    plain = text.plain
    start = len(plain) - len(plain.lstrip())
    end = len(plain.rstrip())
    return text[start:end] if end > start else Text()


def render_bbcode(
    source: str,
    *,
    users: Mapping[int, str] | None = None,
    styles: BBCodeStyles | None = None,
    pause: Callable[[], None] | None = None,
) -> Text:
    """Render a task description written in Bitrix24 BBCode as styled text.

    Args:
        source: The description as the portal sends it.
        users: Names by user id, for ``[USER=ID]`` mentions (the tag's own text otherwise).
        styles: The styles to apply (defaults suit a dark or light terminal).
        pause: Called often (between tokens and elements), so that a thread rendering a
            long description can let other threads run (see :class:`TimeSlices`).

    Returns:
        Text built without markup parsing; unknown or unbalanced tags appear as typed.
    """
    pause = pause or _no_pause
    renderer = _Renderer(styles or DEFAULT_STYLES, users or {}, pause)
    # Control sequences go before tokenizing, so none can hide a tag or survive in one.
    renderer.children(_parse(clean(source), pause))
    return renderer.out


# --------------------------------------------------------------------------- parts


def _part_end(plain: str, start: int, max_chars: int, max_lines: int) -> tuple[int, int]:
    """Where the part that begins at ``start`` ends, and where the next one begins.

    At the last line break that keeps the part within both limits (the break itself
    belongs to neither part); a line longer than ``max_chars`` is cut at its last space
    within the limit, or at the limit when it has none.
    """
    length = len(plain)
    bound = min(length, start + max_chars)
    cut = -1
    scan = start
    for _ in range(max_lines):
        newline = plain.find("\n", scan, bound)
        if newline == -1:
            if bound == length:
                return length, length
            break
        cut, scan = newline, newline + 1
    else:
        return cut, cut + 1
    if cut != -1:
        return cut, cut + 1
    space = plain.rfind(" ", start + 1, bound)
    if space != -1:
        return space, space + 1
    return bound, bound


def part_ranges(plain: str, *, max_chars: int, max_lines: int) -> list[tuple[int, int]]:
    """Where to cut ``plain`` into parts of at most ``max_lines`` lines and ``max_chars``
    characters: each part's ``(start, end)``, in order.

    Parts end at line breaks, which belong to no part (each part starts on a line of its
    own anyway); a line longer than ``max_chars`` is cut at its last space within the
    limit (the space goes too), or at the limit when it has none. Text within both limits
    is one part; empty text is one empty part.
    """
    max_chars, max_lines = max(1, max_chars), max(1, max_lines)
    ranges: list[tuple[int, int]] = []
    start = 0
    while True:
        end, following = _part_end(plain, start, max_chars, max_lines)
        ranges.append((start, end))
        if end >= len(plain):
            return ranges
        start = following


def split_parts(text: Text, *, max_chars: int, max_lines: int) -> list[Text]:
    """``text`` cut into parts as :func:`part_ranges` says, styles kept.

    A long description is shown a part at a time, each in a widget of its own, so that
    laying one out never wraps the whole text. Joining the parts with ``"\n"`` gives
    ``text`` back when every cut fell on a line break.

    Args:
        text: The rendered description.
        max_chars: The most characters in one part (at least 1).
        max_lines: The most lines in one part (at least 1).

    Returns:
        One part when ``text`` is within both limits, else the parts in order.
    """
    ranges = part_ranges(text.plain, max_chars=max_chars, max_lines=max_lines)
    if len(ranges) == 1:
        return [text]
    # Cut at each part's end and at the next one's start: the pieces alternate between a
    # part and what lies between it and the next (a break, a space or nothing).
    offsets = [offset for (_, end), (start, _) in pairwise(ranges) for offset in (end, start)]
    return list(text.divide(offsets))[::2]
