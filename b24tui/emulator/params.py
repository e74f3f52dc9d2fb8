"""Request parameters as the portal reads them: query strings, forms and JSON bodies.

The classic API (v1) reads parameters the way PHP does: ``filter[>ID]=5`` becomes
``{"filter": {">ID": "5"}}``, ``select[]=ID&select[]=TITLE`` a list, and a container whose
keys are exactly ``0..n-1`` is a list (PHP arrays with sequential keys are JSON lists), so
the positional form ``0=123&1[TITLE]=x`` becomes ``["123", {"TITLE": "x"}]``. Form values
are always strings. REST 3.0 reads only a JSON body.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
from base64 import b64encode
from typing import Any
from urllib.parse import parse_qsl

from b24tui.emulator.errors import V3_PREFIX, RestError, V3Error

Params = dict[str, Any] | list[Any]
"""Parsed parameters: named (a dict) or positional (a list)."""

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")


def split_key(key: str) -> list[str]:
    """Split a PHP-style key into segments: ``"a[b][]"`` → ``["a", "b", ""]``.

    A key that is not well formed (``a[b``) is kept whole as one plain name.
    """
    match = _KEY.match(key)
    if match is None:
        return [key]
    return [match.group(1), *_SEGMENT.findall(match.group(2))]


def build(pairs: list[tuple[str, Any]]) -> Params:
    """Nest ``(key, value)`` pairs by their bracket keys, later pairs winning, PHP style."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        segments = split_key(key)
        container = root
        for position, segment in enumerate(segments):
            name = _next_index(container) if segment == "" else segment
            if position == len(segments) - 1:
                container[name] = value
                break
            child = container.get(name)
            if not isinstance(child, dict):
                child = {}
                container[name] = child
            container = child
    params: Params = _listify(root)
    return params


def _next_index(container: dict[str, Any]) -> str:
    """The key ``[]`` appends under: one past the largest integer key, as PHP does."""
    indices = [int(key) for key in container if key.isdigit()]
    return str(max(indices) + 1) if indices else "0"


def _listify(value: Any) -> Any:
    """Turn dicts whose keys are exactly ``"0".."n-1"`` (in order) into lists, recursively."""
    if not isinstance(value, dict):
        return value
    converted = {key: _listify(item) for key, item in value.items()}
    if converted and list(converted) == [str(index) for index in range(len(converted))]:
        return list(converted.values())
    return converted


def parse_query(query: str | bytes) -> Params:
    """Parse a query string or urlencoded form body with PHP bracket keys."""
    text = query.decode("utf-8", "replace") if isinstance(query, bytes) else query
    return build(parse_qsl(text, keep_blank_values=True))


def parse_multipart(body: bytes, content_type: str) -> Params:
    """Parse a ``multipart/form-data`` body with PHP bracket keys.

    A file part becomes ``[filename, base64 content]``, the shape Bitrix24 uses for files
    sent in JSON.
    """
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise RestError(400, "INVALID_REQUEST", "Malformed multipart/form-data body")
    pairs: list[tuple[str, Any]] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            pairs.append((name, [filename, b64encode(data).decode("ascii")]))
        else:
            charset = part.get_content_charset() or "utf-8"
            pairs.append((name, data.decode(charset, "replace")))
    return build(pairs)


def parse_json(body: bytes) -> Any:
    """Decode a JSON body; raises ``ValueError`` when it is not valid JSON."""
    return json.loads(body.decode("utf-8"))


def media_type(content_type: str) -> str:
    """The bare, lowercase media type of a ``Content-Type`` header value."""
    return content_type.split(";", 1)[0].strip().lower()


def parse_v1(query: bytes, content_type: str, body: bytes) -> tuple[Params, str | None]:
    """Parameters of a classic (v1) call and the OAuth ``auth`` token, if any.

    The query string is merged with the body, body parameters winning (PHP's
    ``$_REQUEST``). A positional body (a JSON root array, ``0=…&1=…``) stands alone. The
    ``auth`` key is taken out of both. Invalid JSON is answered with 400
    ``INVALID_REQUEST`` (the code is documented; its use for bad JSON is inferred).
    """
    from_query, query_auth = pop_auth(parse_query(query))
    kind = media_type(content_type)
    from_body: Params
    if not body.strip():
        from_body = {}
    elif kind == "application/json":
        try:
            decoded = parse_json(body)
        except ValueError:
            raise RestError(400, "INVALID_REQUEST", "Request body is not valid JSON") from None
        if not isinstance(decoded, dict | list):
            raise RestError(400, "INVALID_REQUEST", "JSON body must be an object or an array")
        from_body = decoded
    elif kind == "multipart/form-data":
        from_body = parse_multipart(body, content_type)
    else:
        from_body = parse_query(body)
    from_body, body_auth = pop_auth(from_body)
    auth = body_auth or query_auth
    if isinstance(from_body, list):
        return from_body, auth
    if isinstance(from_query, list):
        return (from_body or from_query), auth
    return {**from_query, **from_body}, auth


def parse_v3(http_method: str, query: bytes, body: bytes) -> tuple[Params, str | None]:
    """Parameters of a REST 3.0 call and the OAuth ``auth`` token, if any.

    Only a JSON body carries parameters; the query string is ignored except for ``auth``.
    A GET or an empty body means no parameters. A body that is not a JSON object or array
    (a form, multipart, broken JSON) is 400 ``…INVALIDJSONEXCEPTION``.
    """
    _, query_auth = pop_auth(parse_query(query))
    if http_method == "GET" or not body.strip():
        return {}, query_auth
    try:
        decoded = parse_json(body)
    except ValueError:
        decoded = None
    if not isinstance(decoded, dict | list):
        raise V3Error(400, V3_PREFIX + "INVALIDJSONEXCEPTION", "Invalid JSON in request body")
    params, body_auth = pop_auth(decoded)
    return params, body_auth or query_auth


def pop_auth(params: Params) -> tuple[Params, str | None]:
    """Remove the ``auth`` key (an OAuth access token) and return it separately."""
    if isinstance(params, list) or "auth" not in params:
        return params, None
    rest = dict(params)
    token = rest.pop("auth")
    return rest, token if isinstance(token, str) and token else None


def flag(value: Any) -> bool:
    """A boolean parameter as PHP code reads it: ``true``, ``1``, ``"1"``, ``"true"``, ``"Y"``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "y", "yes", "on"}
    return False
