"""PHP-style query strings, the syntax of a batch command: ``filter[>ID]=5&select[]=ID``.

Bitrix24 parses batch commands with PHP's rules, so values are flattened the way PHP's
``http_build_query`` does: nested keys in brackets, ``True``/``False`` as ``1``/``0``,
``None`` and empty containers left out. A list of plain values uses ``key[]=…``; a list
holding containers is indexed (``key[0][a]=…``). A root list becomes ``0=…&1[…]=…``, the
form of positional methods. A :class:`Ref` is written as is, unencoded, so the portal can
substitute the earlier command's result into it.
"""

from __future__ import annotations

import enum
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

__all__ = ["Ref", "encode_query", "flatten_query"]


@dataclass(frozen=True)
class Ref:
    """A reference to an earlier batch command's result: ``$result[cmd][tasks][49][id]``.

    Index it like the result it points at: ``Ref("page0")["tasks"][49]["id"]``.
    """

    command: str
    path: tuple[str | int, ...] = ()

    def __getitem__(self, key: str | int) -> Ref:
        return Ref(self.command, (*self.path, key))

    def __str__(self) -> str:
        return f"$result[{self.command}]" + "".join(f"[{part}]" for part in self.path)


def _scalar(value: Any) -> str:
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _is_container(value: Any) -> bool:
    return isinstance(value, Mapping) or (
        isinstance(value, Sequence) and not isinstance(value, str | bytes)
    )


def flatten_query(params: Mapping[str, Any] | Sequence[Any]) -> Iterator[tuple[str, Any]]:
    """Yield ``(php_key, value)`` pairs; values are scalars or :class:`Ref`."""

    def walk(prefix: str, value: Any) -> Iterator[tuple[str, Any]]:
        if value is None:
            return
        if isinstance(value, Mapping):
            for key, item in value.items():
                yield from walk(f"{prefix}[{key}]", item)
        elif _is_container(value):
            nested = any(_is_container(item) for item in value)
            for index, item in enumerate(value):
                yield from walk(f"{prefix}[{index}]" if nested else f"{prefix}[]", item)
        else:
            yield prefix, value

    items: Iterator[tuple[Any, Any]] = (
        iter(params.items()) if isinstance(params, Mapping) else enumerate(params)
    )
    for key, value in items:
        if value is None:
            continue
        if isinstance(value, Mapping) or _is_container(value):
            yield from walk(str(key), value)
        else:
            yield str(key), value


def encode_query(params: Mapping[str, Any] | Sequence[Any]) -> str:
    """Encode ``params`` as one PHP-style query string (no leading ``?``)."""
    parts: list[str] = []
    for key, value in flatten_query(params):
        name = urllib.parse.quote(key, safe="[]<>!@")
        text = str(value) if isinstance(value, Ref) else urllib.parse.quote(_scalar(value), safe="")
        parts.append(f"{name}={text}")
    return "&".join(parts)
