"""``batch``: up to 50 calls in one request (``settings/how-to-call-rest-api/batch.md``).

v1 takes ``cmd`` (an object or array of ``"method?query"`` strings) and ``halt``, runs the
commands in order as the same caller, through the same checks as direct calls, and
answers ``{"result", "result_error", "result_total", "result_next", "result_time"}``
keyed by command id. Empty containers come back as ``[]`` and containers keyed
``0..n-1`` as arrays, as PHP's ``json_encode`` writes them.

A command's parameters may refer to earlier answers: ``$result[cmd][tasks][0][id]``
(also ``$result_total``, ``$result_next``, ``$result_error``, ``$result_time``). A value
that is one whole reference becomes the referenced value itself (a list or an object
too); references inside longer text are replaced by their text; a reference that does
not resolve becomes ``""`` (inferred: the docs do not say).

REST 3.0 (``/rest/api/…/batch``, ``api-reference/rest-v3.md#batch``) takes a root array
of ``{"method", "query", "as"}``, or an object keyed ``"0"``, ``"1"``, … in order (what
the official JS SDK sends, and what PHP decodes the same as the array), and answers
``{"result": [...]}`` in order. It is all or nothing, as the official JS SDK documents it:
the first command that fails stops the batch, and its error (status and v3 body) is the
whole answer; the commands before it stay done (inferred). A later command's ``query``
takes markers the portal substitutes: ``{"$ref": "alias.item.id"}`` is one value and
``{"$refArray": "alias.id"}`` collects a field across the alias's ``items``, where the
alias is an earlier command's ``as`` (its index without one); only ``item`` and ``items``
answers can be referred to, and a reference that does not resolve fails the batch with
``…INVALIDSELECTEXCEPTION``.
"""

from __future__ import annotations

import re
from typing import Any

from b24tui.emulator.dispatch import Outcome, current_context, error_body
from b24tui.emulator.errors import V3_PREFIX, RestError, V3Error, v3_validation
from b24tui.emulator.params import Params, flag, parse_query, pop_auth
from b24tui.emulator.registry import REGISTRY, Call

MAX_COMMANDS = 50
"""The most commands one batch may carry."""

_REFERENCE = re.compile(r"\$(result(?:_error|_total|_next|_time)?)((?:\[[^\[\]]*\])+)")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
_UNRESOLVED = object()

Answers = dict[str, dict[str, Any]]
"""``{"result": {cmd: value}, "result_total": {...}, ...}`` as the batch fills them in."""


def _too_long() -> RestError:
    return RestError(400, "ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded")


@REGISTRY.method("batch", scope="basic", batchable=False)
def batch(call: Call) -> dict[str, Any]:
    """Run the ``cmd`` commands in order; stop at the first failure when ``halt`` is set."""
    params = call.params if isinstance(call.params, dict) else {}
    commands = _commands(params.get("cmd"))
    if len(commands) > MAX_COMMANDS:
        raise _too_long()
    halt = flag(params.get("halt"))
    run = current_context().sub_call
    answers: Answers = {
        "result": {},
        "result_error": {},
        "result_total": {},
        "result_next": {},
        "result_time": {},
    }
    for command_id, command in commands:
        if not isinstance(command, str) or not command.strip():
            answers["result_error"][command_id] = {
                "error": "ERROR_METHOD_NOT_FOUND",
                "error_description": "A batch command must be a 'method?query' string",
            }
            failed = True
        else:
            name, _, query = command.strip().partition("?")
            sub_params, _ = pop_auth(parse_query(query))
            failed = _store(answers, command_id, run(name, resolve(sub_params, answers)))
        if failed and halt:
            break
    return {section: php_array(values) for section, values in answers.items()}


def _commands(cmd: Any) -> list[tuple[str, Any]]:
    """``cmd`` as ``(command id, command)`` pairs; an array's ids are its indices."""
    if isinstance(cmd, dict):
        return [(str(key), value) for key, value in cmd.items()]
    if isinstance(cmd, list):
        return [(str(index), value) for index, value in enumerate(cmd)]
    return []


def _store(answers: Answers, command_id: str, outcome: Outcome) -> bool:
    """File one command's outcome; ``True`` when it failed."""
    if outcome.error is not None:
        answers["result_error"][command_id] = error_body(outcome.error, "v1")
        return True
    answers["result"][command_id] = outcome.result
    if outcome.total is not None:
        answers["result_total"][command_id] = outcome.total
    if outcome.next is not None:
        answers["result_next"][command_id] = outcome.next
    answers["result_time"][command_id] = outcome.time
    return False


def php_array(values: dict[str, Any]) -> dict[str, Any] | list[Any]:
    """A PHP array as ``json_encode`` writes it: ``[]`` when empty, a list when keyed
    ``0..n-1`` in order, an object otherwise."""
    if list(values) == [str(index) for index in range(len(values))]:
        return list(values.values())
    return values


def resolve(params: Any, answers: Answers) -> Any:
    """Replace ``$result[...]`` references in every string of ``params``."""
    if isinstance(params, dict):
        return {key: resolve(value, answers) for key, value in params.items()}
    if isinstance(params, list):
        return [resolve(value, answers) for value in params]
    if not isinstance(params, str) or "$result" not in params:
        return params
    whole = _REFERENCE.fullmatch(params)
    if whole is not None:
        value = _lookup(answers, whole.group(1), whole.group(2))
        return "" if value is _UNRESOLVED else value
    return _REFERENCE.sub(lambda match: _as_text(_lookup(answers, *match.groups())), params)


def _lookup(answers: Answers, section: str, path: str) -> Any:
    segments = _SEGMENT.findall(path)
    value: Any = answers.get(section, {})
    for segment in segments:
        if isinstance(value, dict):
            if segment in value:
                value = value[segment]
            elif segment.lstrip("-").isdigit() and int(segment) in value:
                value = value[int(segment)]
            else:
                return _UNRESOLVED
        elif isinstance(value, list) and segment.isdigit() and int(segment) < len(value):
            value = value[int(segment)]
        else:
            return _UNRESOLVED
    return value


def _as_text(value: Any) -> str:
    """A referenced value inside longer text, as PHP would print a scalar."""
    if value is _UNRESOLVED or value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    return str(value)


@REGISTRY.method("batch", scope="basic", api="v3", batchable=False)
def batch_v3(call: Call) -> list[Any]:
    """Run the ``{"method", "query"}`` calls in order; the first failure is the answer."""
    items = _v3_commands(call.params)
    if len(items) > MAX_COMMANDS:
        raise V3Error(400, "ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded")
    run = current_context().sub_call
    context: dict[str, dict[str, Any]] = {}
    results: list[Any] = []
    for index, item in enumerate(items):
        name, query, alias = _v3_item(index, item)
        outcome = run(name, substitute(query, context))
        if outcome.error is not None:
            raise outcome.error
        results.append(outcome.result)
        if isinstance(outcome.result, dict):
            referable = {
                key: outcome.result[key] for key in ("item", "items") if key in outcome.result
            }
            if referable:
                context[alias or str(index)] = referable
    return results


def _v3_commands(params: Params) -> list[Any]:
    """The batch's commands: the root array, or an object keyed ``"0"``… in order."""
    if isinstance(params, list):
        return params
    if "cmd" in params:
        raise V3Error(
            400,
            V3_PREFIX + "INVALIDSELECTEXCEPTION",
            "REST 3.0 batch takes an array of {method, query}, not cmd",
        )
    if list(params) == [str(index) for index in range(len(params))]:
        return list(params.values())
    raise v3_validation("Batch body must be a JSON array", ("", "Expected an array"))


def _v3_item(index: int, item: Any) -> tuple[str, Params, str | None]:
    """One v3 batch element's method name, query and alias; a validation error when
    malformed."""
    if not isinstance(item, dict) or not isinstance(item.get("method"), str):
        raise v3_validation(
            "Error validating request object", (f"{index}.method", "Required field `method`")
        )
    query = item.get("query") or {}
    if not isinstance(query, dict | list):
        raise v3_validation(
            "Error validating request object", (f"{index}.query", "`query` must be an object")
        )
    alias = item.get("as")
    return item["method"], query, alias if isinstance(alias, str) and alias else None


def _unresolved(path: object) -> V3Error:
    return V3Error(
        400,
        V3_PREFIX + "INVALIDSELECTEXCEPTION",
        f"Unable to resolve the batch reference `{path}`",
    )


def substitute(query: Any, context: dict[str, dict[str, Any]]) -> Any:
    """``query`` with every ``{"$ref": path}`` and ``{"$refArray": path}`` replaced."""
    if isinstance(query, list):
        return [substitute(value, context) for value in query]
    if not isinstance(query, dict):
        return query
    if len(query) == 1 and ("$ref" in query or "$refArray" in query):
        ((kind, path),) = query.items()
        if not isinstance(path, str) or not path:
            raise _unresolved(path)
        alias, _, rest = path.partition(".")
        if alias not in context:
            raise _unresolved(path)
        if kind == "$ref":
            return _walk(context[alias], rest, path)
        items = context[alias].get("items")
        if not rest or not isinstance(items, list):
            raise _unresolved(path)
        return [_walk(item, rest, path) for item in items]
    return {key: substitute(value, context) for key, value in query.items()}


def _walk(value: Any, dotted: str, path: str) -> Any:
    """The value at ``dotted`` (``item.id``, ``items.0.id``) inside ``value``."""
    for segment in dotted.split(".") if dotted else []:
        if isinstance(value, dict) and segment in value:
            value = value[segment]
        elif isinstance(value, list) and segment.isdigit() and int(segment) < len(value):
            value = value[int(segment)]
        else:
            raise _unresolved(path)
    return value
