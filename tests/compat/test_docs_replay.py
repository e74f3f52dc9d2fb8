"""The doc pages' example requests, replayed against the served emulator.

Each example request (the webhook ``curl`` of a page in ``tests/data``) is sent over
real loopback HTTP to a freshly seeded portal, and the answer must have the *shape* of
the page's example response: the same keys at every level and the same JSON types
(values differ). ``tests/emulator/test_doc_parameters.py`` checks the parameter tables;
this module checks what comes back.

Ids in the examples belong to the documentation's portal. They are mapped before
sending (:func:`_map_ids`):

- task ids (``taskId``, ``id``, ``TASKID``) → one seeded task of the demo user, staged
  for the method (:func:`_stage`): the demo user creates it and is responsible, its
  status is one the action accepts (paused for ``renew``, awaiting approval for
  ``approve``/``disapprove``);
- checklist item ids (``ITEMID``, ``AFTERITEMID``, ``PARENT_ID``) → that task's
  seeded items;
- user ids (``userId``, ``USER_ID``, ``users``, ``MEMBERS`` keys, ``CREATED_BY``,
  ``RESPONSIBLE_ID``, ``creatorId``, ``responsibleId``) → seeded users; examples that act
  on a user's workday (``USER_ID``) act on the demo user's own;
- a workday is staged to the state the page's example response shows, and the examples'
  ``TIME`` (dated 2025-03-27) keeps its time of day on the portal clock's date;
- the shell substitution ``$(date +%Y-%m-%d)`` → the portal clock's date.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest

import b24tui.emulator.methods  # noqa: F401  (registers the handlers)
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID
from b24tui.emulator.credentials import Webhook
from b24tui.emulator.registry import REGISTRY, ApiGeneration
from b24tui.emulator.state import Portal, Task, Workday
from tests.conftest import ServedEmulator
from tests.emulator.activity import stage_activity
from tests.pages import DOCS, SEEDS, page_text, response_body

ME = DEMO_USER_ID
COLLEAGUE = 5
"""A seeded user who is neither the demo user nor the admin."""

_CURL = re.compile(r"curl\s+-X\s+[A-Z]+\b(.*?)(https://\S+)", re.DOTALL)
_WEBHOOK_URL = re.compile(
    r"https://\*\*put_your_bitrix24_address\*\*/rest/(api/)?"
    r"\*\*put_your_user_id_here\*\*/\*\*put_your_webhook_here\*\*/([A-Za-z0-9_.]+)"
)
_BODY = re.compile(r"-d\s+'(.*?)'\s*\\\s*\n", re.DOTALL)
_SHELL_DATE = "'\"$(date +%Y-%m-%d)\"'"
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


@dataclass(frozen=True)
class Example:
    """One webhook ``curl`` example of a doc page."""

    page: str
    """``seed:NNN`` or a path under the docs folder."""
    api: ApiGeneration
    method: str
    body: str
    """The raw ``-d`` text (JSON once the shell date is substituted)."""
    number: int
    """Which webhook example of the page (1-based)."""

    def __str__(self) -> str:
        suffix = f"#{self.number}" if self.number > 1 else ""
        return f"{self.page}{suffix}:{self.api}:{self.method}"

    def request(self, today: str) -> Any:
        """The request body, the shell's ``$(date +%Y-%m-%d)`` replaced by ``today``.

        A trailing comma (invalid JSON, which ``task.elapseditem.get``'s example has) is
        dropped: the example means the same body without it.
        """
        return json.loads(_TRAILING_COMMA.sub(r"\1", self.body.replace(_SHELL_DATE, today)))


def _page_names() -> Iterator[str]:
    for path in sorted(DOCS.rglob("*.md")):
        yield str(path.relative_to(DOCS))
    for path in sorted(SEEDS.glob("*.txt")):
        yield "seed:" + path.name.split("_", 1)[0]


def doc_examples() -> Iterator[Example]:
    """Every webhook ``curl`` example with a JSON body, on every page."""
    for page in _page_names():
        number = 0
        for options, address in _CURL.findall(page_text(page)):
            url = _WEBHOOK_URL.match(address)
            body = _BODY.search(options)
            if url is None or body is None:
                continue
            number += 1
            api: ApiGeneration = "v3" if url.group(1) else "v1"
            yield Example(page, api, url.group(2).lower(), body.group(1), number)


EXAMPLES = list(doc_examples())
IMPLEMENTED = [example for example in EXAMPLES if REGISTRY.find(example.api, example.method)]
MISSING = [example for example in EXAMPLES if example not in IMPLEMENTED]


# The portal prepared for one example ------------------------------------------------------------

_STATUS_FOR = {"pause": 3, "renew": 6, "approve": 4, "disapprove": 4}
"""The status a task must be in for the example's action (2, pending, by default)."""


@dataclass(frozen=True)
class Stage:
    """Seeded objects the example's ids are mapped to."""

    task: Task
    item_id: int
    other_item_id: int


def _stage(portal: Portal, example: Example) -> Stage:
    """Prepare the demo user's task with the most checklist items for ``example``."""
    task = min(
        (task for task in portal.tasks.values() if task.responsible_id == ME),
        key=lambda task: (-len(portal.checklist_of(task.id)), task.id),
    )
    task.created_by = ME
    task.task_control = False
    task.status = _STATUS_FOR.get(example.method.rsplit(".", 1)[-1], 2)
    items = [item for item in portal.checklist_of(task.id) if item.parent_id != 0]
    activity = stage_activity(portal, task)
    if example.method.startswith("task.commentitem."):
        return Stage(task, activity.comment_id, activity.other_comment_id)
    if example.method.startswith("task.elapseditem."):
        return Stage(task, activity.elapsed_id, activity.other_elapsed_id)
    return Stage(task, items[0].id, items[1].id)


_TASK_KEYS = {"taskId", "TASKID", "id"}
_ITEM_KEYS = {"ITEMID": "item", "AFTERITEMID": "other", "PARENT_ID": "item", "parentId": "item"}
_USER_KEYS = {
    "userId",
    "USER_ID",
    "AUTHOR_ID",
    "CREATED_BY",
    "RESPONSIBLE_ID",
    "creatorId",
    "responsibleId",
}


def _map_ids(value: Any, stage: Stage, key: str = "") -> Any:
    """``value`` with the documentation portal's ids swapped for seeded ones."""
    if isinstance(value, dict):
        mapped = {name: _map_ids(item, stage, name) for name, item in value.items()}
        if key == "MEMBERS":
            return {str(ME if n == 0 else COLLEAGUE): m for n, m in enumerate(mapped.values())}
        return mapped
    if isinstance(value, list):
        if key == "users":
            return [ME, COLLEAGUE][: len(value)]
        return [_map_ids(item, stage) for item in value]
    if not isinstance(value, int) or isinstance(value, bool):
        return value
    if key in _TASK_KEYS:
        return stage.task.id
    if key in _ITEM_KEYS:
        return stage.item_id if _ITEM_KEYS[key] == "item" else stage.other_item_id
    if key in _USER_KEYS:
        return ME
    return value


@dataclass(frozen=True)
class Caller:
    """Who replays an example and how."""

    webhook: Webhook
    base_url: str

    def post(self, api: ApiGeneration, method: str, body: Any) -> httpx.Response:
        """POST ``body`` as JSON to ``method`` over the webhook, as the docs' curl does."""
        prefix = "rest/api" if api == "v3" else "rest"
        url = f"{self.base_url}/{prefix}/{self.webhook.user_id}/{self.webhook.code}/{method}"
        return httpx.post(url, json=body, headers={"Accept": "application/json"}, timeout=10)


# Shapes ----------------------------------------------------------------------------------------

_JSON_KEY = re.compile(r'"([A-Za-z_][A-Za-z0-9_.]*)"\s*:')
DOCUMENTED_KEYS = frozenset(
    key for page in _page_names() for key in _JSON_KEY.findall(page_text(page))
)
"""Every key some page's JSON shows. An answer may carry a key its own page elides when
another page shows it (``chatId`` and ``sprintId`` of a task, ``operating`` in ``time``)."""


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _by_id(mapping: dict[str, Any]) -> bool:
    return bool(mapping) and all(key.isdigit() for key in mapping)


@dataclass(frozen=True)
class Shape:
    """How one example's answer is compared with its page's example response."""

    open_records: tuple[str, ...] = ()
    """Paths (prefixes) of records whose keys vary from one record to the next, so a key
    the page shows may be absent (people: the page's own two users differ)."""

    def differences(self, actual: Any, documented: Any, path: str = "$") -> list[str]:
        """Where ``actual`` does not have the shape of ``documented``, as ``path: what``."""
        kinds = (_kind(actual), _kind(documented))
        if "null" in kinds or documented in ({}, []):
            return []  # a null or an empty container shows no shape
        if actual in ({}, []) and kinds[1] in ("array", "object"):
            return []  # PHP answers an empty map as []
        if kinds == ("boolean", "array") and path.rsplit(".", 1)[-1].startswith("uf"):
            return []  # an empty multiple user field is false
        if kinds[0] != kinds[1]:
            return [f"{path}: {kinds[0]} where the page shows {kinds[1]}"]
        if isinstance(actual, dict):
            return self._objects(actual, documented, path)
        if isinstance(actual, list):
            found: list[str] = []
            for index, item in enumerate(actual):
                found += self._best(item, documented, f"{path}[{index}]")
            return found
        return []

    def _objects(self, actual: dict[str, Any], documented: dict[str, Any], path: str) -> list[str]:
        if _by_id(actual) and _by_id(documented):  # keyed by ids: {"503": {...}}
            return self._best_each(actual, documented, path)
        found: list[str] = []
        missing = sorted(set(documented) - set(actual))
        if missing and not path.startswith(self.open_records):
            found.append(f"{path}: missing keys {missing}")
        extra = sorted(set(actual) - set(documented) - DOCUMENTED_KEYS)
        if extra:
            found.append(f"{path}: keys no page shows {extra}")
        for name in sorted(set(actual) & set(documented)):
            found += self.differences(actual[name], documented[name], f"{path}.{name}")
        return found

    def _best_each(
        self, actual: dict[str, Any], documented: dict[str, Any], path: str
    ) -> list[str]:
        found: list[str] = []
        for name, item in actual.items():
            found += self._best(item, list(documented.values()), f"{path}.{name}")
        return found

    def _best(self, item: Any, candidates: list[Any], path: str) -> list[str]:
        """The differences from the documented element ``item`` resembles most."""
        return min((self.differences(item, other, path) for other in candidates), key=len)


_USER_RECORDS = ("$.result", "$.result.result.get_user")


def documented_answer(page: str) -> Any:
    """The page's example response, with ``time`` where the API puts it.

    Several pages (the seeds among them) show ``time`` inside ``result``; the API sends it
    beside ``result``, as every other page shows.
    """
    answer = response_body(page, 200)
    result = answer.get("result")
    if isinstance(result, dict) and "time" in result and "time" not in answer:
        answer = {**answer, "result": {k: v for k, v in result.items() if k != "time"}}
        answer["time"] = result["time"]
    return answer


# Replaying -------------------------------------------------------------------------------------

INVALID_EXAMPLES = {
    # The example calls app.info with a webhook; the page's error table answers it:
    # ACCESS_DENIED "Application context required" (api-reference/common/system/app-info.md).
    "api-reference/common/system/app-info.md",
    # The example sends creatorId, which its own error table rejects as not editable
    # (api-reference/tasks/tasks-task-update-rest-v3.md and the seed page 004).
    "api-reference/tasks/tasks-task-update-rest-v3.md",
    "seed:004",
}
"""Pages whose example request fails by the page's own account: its documented error is
asserted instead of the success shape."""

RESPONSE_PAGE = {
    ("v3", "tasks.task.add"): "api-reference/tasks/tasks-task-add-rest-v3.md",
    ("v3", "tasks.task.get"): "api-reference/tasks/tasks-task-get-rest-v3.md",
}
"""Where the REST 3.0 overview's examples (``rest-v3.md`` shows no responses) find theirs."""

KNOWN_GAPS: dict[str, set[str]] = {
    # The page's rows carry group and lengthDeadline although its select names neither;
    # the emulator answers group only with GROUP_ID and has no lengthDeadline.
    "api-reference/tasks/tasks-task-list.md": {"group", "lengthDeadline"},
}
"""Keys a page shows that the emulator does not send (reported, not yet modelled)."""

_TIME_OF_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}(T.*)$")


def _stage_workday(portal: Portal, example: Example) -> None:
    """Put the demo user's workday in the state the page's example answer shows."""
    now = portal.now()
    if example.method == "timeman.open":
        portal.workdays.pop(ME, None)  # the example opens a closed day
    elif example.method == "timeman.close":
        # The example closes a day opened that morning, at 17:00:01 UTC: later than now.
        portal.workdays[ME] = Workday(ME, now.replace(hour=8, minute=0, second=1))
        clock = portal.clock
        assert isinstance(clock, FrozenClock)
        clock.set(now.replace(hour=23, minute=0))
    elif example.method == "timeman.status":
        # The page shows an EXPIRED day: opened on an earlier date, never closed.
        portal.workdays[ME] = Workday(ME, now - timedelta(days=1))


def _on_portal_date(request: Any, today: str) -> Any:
    if isinstance(request, dict) and isinstance(request.get("TIME"), str):
        match = _TIME_OF_DAY.match(request["TIME"])
        if match is not None:
            return {**request, "TIME": today + match.group(1)}
    return request


def replay(emulator: ServedEmulator, example: Example) -> tuple[Any, httpx.Response]:
    """Stage the portal, map the example's ids and send it; ``(request, response)``."""
    portal = emulator.portal
    stage = _stage(portal, example)
    if example.method.startswith("timeman."):
        _stage_workday(portal, example)
    today = portal.now().date().isoformat()
    request = _on_portal_date(_map_ids(example.request(today), stage), today)
    caller = Caller(emulator.webhook, emulator.base_url)
    return request, caller.post(example.api, example.method, request)


def _reference(example: Example) -> str:
    return RESPONSE_PAGE.get((example.api, example.method), example.page)


SHAPED = [
    example
    for example in IMPLEMENTED
    if example.page not in INVALID_EXAMPLES
    and example.method != "batch"
    and re.search(r"HTTP status:\s*\**200", page_text(_reference(example)), re.IGNORECASE)
]


def test_the_examples_are_read_from_the_pages() -> None:
    assert len(IMPLEMENTED) >= 60
    assert {"seed:000", "seed:001", "seed:002", "seed:003", "seed:004"} <= {
        example.page for example in IMPLEMENTED
    }
    list_example = next(e for e in IMPLEMENTED if e.page.endswith("tasks/tasks-task-list.md"))
    assert list_example.request("2026-03-16")["filter"][">=DEADLINE"] == "2026-03-16"
    assert len(SHAPED) >= 50


@pytest.mark.parametrize("example", SHAPED, ids=str)
def test_the_answer_has_the_shape_of_the_pages_example(
    emulator: ServedEmulator, example: Example
) -> None:
    request, response = replay(emulator, example)
    assert response.status_code == 200, (request, response.text)
    documented = documented_answer(_reference(example))
    for key in KNOWN_GAPS.get(example.page, set()):
        for row in documented["result"]["tasks"]:
            row.pop(key, None)
    open_records = (
        _USER_RECORDS if example.method in ("user.get", "user.current", "profile") else ()
    )
    if example.page in OBJECT_FOR_ARRAY:
        documented["result"] = documented["result"][0]
    differences = Shape(open_records).differences(response.json(), documented)
    assert differences == [], "\n".join(differences)


OBJECT_FOR_ARRAY = {"api-reference/tasks/elapsed-item/task-elapsed-item-get.md"}
"""Pages whose example wraps the one record in an array where their Returned Data table
says ``object``: the emulator answers the object."""


@pytest.mark.parametrize("example", [e for e in IMPLEMENTED if e.page in INVALID_EXAMPLES], ids=str)
def test_an_invalid_example_gets_the_error_its_page_documents(
    emulator: ServedEmulator, example: Example
) -> None:
    _, response = replay(emulator, example)
    documented = response_body(example.page, 400)
    assert response.status_code == 400
    assert response.json() == documented


def test_the_v3_update_example_without_creator_succeeds(emulator: ServedEmulator) -> None:
    example = next(e for e in IMPLEMENTED if e.page == "seed:004")
    stage = _stage(emulator.portal, example)
    request = _map_ids(example.request("2026-03-16"), stage)
    del request["fields"]["creatorId"]
    response = Caller(emulator.webhook, emulator.base_url).post("v3", "tasks.task.update", request)
    assert response.status_code == 200, response.text
    differences = Shape().differences(response.json(), documented_answer("seed:004"))
    assert differences == [], "\n".join(differences)


@pytest.mark.parametrize(
    "example",
    [e for e in IMPLEMENTED if e.page.endswith("how-to-call-rest-api/batch.md")],
    ids=str,
)
def test_the_batch_page_examples(emulator: ServedEmulator, example: Example) -> None:
    # The page's batches call department.get, which the portal does not have, and app.info,
    # which a webhook may not call (app-info.md): those commands land in result_error with
    # those errors; the rest keeps the page's shape.
    _, response = replay(emulator, example)
    assert response.status_code == 200, response.text
    answer = response.json()
    refused = {
        name: "ACCESS_DENIED" if command == "app.info" else "ERROR_METHOD_NOT_FOUND"
        for name, command in example.request("")["cmd"].items()
        if command.startswith(("department.", "app.info"))
    }
    errors = answer["result"]["result_error"]
    assert {name: error["error"] for name, error in errors.items()} == refused
    documented = documented_answer(example.page)
    for section in ("result", "result_time", "result_total"):
        for name in list(documented["result"][section]):
            if name in refused:
                del documented["result"][section][name]
    differences = Shape(_USER_RECORDS).differences(answer, documented)
    assert differences == [], "\n".join(differences)


def test_the_shape_check_notices_a_wrong_type_a_missing_key_and_an_unknown_key() -> None:
    documented = {"result": {"task": {"id": "1", "title": "T"}}, "time": {"start": 1.0}}
    assert Shape().differences({"result": {"task": {"id": 1, "title": "T"}}}, documented) == [
        "$: missing keys ['time']",
        "$.result.task.id: number where the page shows string",
    ]
    wrong = {"result": {"task": {"id": "2", "zzNotDocumented": 1}}, "time": {"start": 2.0}}
    assert Shape().differences(wrong, documented) == [
        "$.result.task: missing keys ['title']",
        "$.result.task: keys no page shows ['zzNotDocumented']",
    ]
