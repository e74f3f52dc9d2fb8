"""Every parameter a doc page marks required (``*``) is required by the emulator too.

For each page of a method the portal implements, the parameter table under "Method
Parameters" is parsed. The page's own example request (with ids swapped for seeded ones)
must succeed; the same request without a required parameter, or with it under a wrong
name, must fail with an error. Positional legacy methods ignore names by design, so for
them a renamed key in the right place must give the same answer as the original.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import b24tui.emulator.methods  # noqa: F401  (registers the handlers)
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID, Portal, build_portal
from b24tui.emulator.credentials import DEFAULT_SCOPES
from b24tui.emulator.errors import RestError, V3Error
from b24tui.emulator.registry import REGISTRY, ApiGeneration, Call
from b24tui.emulator.state import Task
from tests.conftest import FIXED_NOW
from tests.emulator.activity import stage_activity
from tests.pages import DOCS, request_body

ME = DEMO_USER_ID
_ROW = re.compile(r"^\|\|\s*\*\*([A-Za-z_][A-Za-z0-9_.]*)\*\*(\*?)")
_METHOD = re.compile(r"([a-z]+(?:\.[A-Za-z]+)+)\s*$")
_WRONG_NAMES = {"taskId": "id", "id": "taskId", "userId": "user", "fields": "field"}
_POSITIONAL = ("task.checklistitem.", "task.commentitem.", "task.elapseditem.")
_FIELDS_KEYS = ("fields", "FIELDS", "ARFIELDS")


@dataclass(frozen=True)
class DocMethod:
    """A method's doc page and what its parameter tables require."""

    page: str
    name: str
    api: ApiGeneration
    required: tuple[str, ...]
    """Top-level parameters marked with ``*``, in table order."""
    required_fields: tuple[str, ...]
    """Keys marked with ``*`` in the page's ``fields``/``FIELDS`` table."""

    @property
    def positional(self) -> bool:
        return self.name.startswith(_POSITIONAL)

    def __str__(self) -> str:
        return f"{self.api}:{self.name}"


def _tables(text: str) -> list[tuple[str, list[tuple[str, bool]]]]:
    """``(heading, rows)`` of each table in the "Method Parameters" section."""
    match = re.search(r"^## Method parameters.*?$", text, re.IGNORECASE | re.MULTILINE)
    if match is None:
        return []
    end = text.find("\n## ", match.end())
    section = text[match.end() : end if end != -1 else len(text)]
    tables: list[tuple[str, list[tuple[str, bool]]]] = []
    heading = ""
    rows: list[tuple[str, bool]] | None = None
    for line in section.splitlines():
        if line.startswith("### "):
            heading = line
        elif line.startswith("#|"):
            rows = []
        elif line.startswith("|#") and rows is not None:
            tables.append((heading, rows))
            rows = None
        elif rows is not None:
            row = _ROW.match(line)
            if row and row.group(1) != "Name":
                rows.append((row.group(1), row.group(2) == "*"))
    return tables


def doc_methods() -> Iterator[DocMethod]:
    for path in sorted((DOCS / "api-reference").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        title = _METHOD.search(text.splitlines()[0])
        if title is None:
            continue
        api: ApiGeneration = "v3" if "/rest/api/" in text else "v1"
        if REGISTRY.find(api, title.group(1)) is None:
            continue
        tables = _tables(text)
        if not tables:
            continue
        required = tuple(name for name, marked in tables[0][1] if marked)
        nested = tuple(
            name
            for heading, rows in tables[1:]
            if "fields" in heading.lower()
            for name, marked in rows
            if marked
        )
        yield DocMethod(
            page=str(path.relative_to(DOCS)),
            name=title.group(1),
            api=api,
            required=required,
            required_fields=nested,
        )


METHODS = [method for method in doc_methods() if method.required]


def test_the_pages_of_every_method_with_required_parameters_are_covered() -> None:
    covered = {str(method) for method in METHODS}
    assert len(covered) >= 30
    for expected in (
        "v1:tasks.task.stopwatch",
        "v1:tasks.task.mute",
        "v1:tasks.task.delegate",
        "v1:task.checklistitem.isactionallowed",
        "v3:tasks.task.update",
        "v3:tasks.task.add",
    ):
        assert expected in covered
    mute = next(method for method in METHODS if method.name == "tasks.task.mute")
    assert mute.required == ("id",)
    add_v3 = next(method for method in METHODS if str(method) == "v3:tasks.task.add")
    assert add_v3.required_fields == ("title", "creatorId", "responsibleId")


# A portal prepared so that every page's example request can succeed ---------------------------


@dataclass
class Stage:
    portal: Portal
    task: Task
    item_id: int
    after_item_id: int


def _stage(method: DocMethod) -> Stage:
    portal = build_portal("demo", seed=0, clock=FrozenClock(FIXED_NOW))
    task = min(
        (task for task in portal.tasks.values() if task.responsible_id == ME),
        key=lambda task: (not portal.checklist_of(task.id), task.id),
    )
    task.created_by = ME
    task.task_control = False
    status = {"pause": 3, "renew": 6, "approve": 4, "disapprove": 4}
    task.status = status.get(method.name.rsplit(".", 1)[-1], 2)
    items = [item for item in portal.checklist_of(task.id) if item.parent_id != 0]
    activity = stage_activity(portal, task)
    if method.name.startswith("task.commentitem."):
        return Stage(portal, task, activity.comment_id, activity.other_comment_id)
    if method.name.startswith("task.elapseditem."):
        return Stage(portal, task, activity.elapsed_id, activity.other_elapsed_id)
    return Stage(portal, task, items[0].id, items[1].id)


def _example(method: DocMethod, stage: Stage) -> dict[str, Any]:
    """The page's example request with its ids replaced by seeded ones."""
    body = request_body(method.page)
    assert isinstance(body, dict)
    replacements: dict[str, Any] = {
        "taskId": stage.task.id,
        "id": stage.task.id,
        "TASKID": stage.task.id,
        "ITEMID": stage.item_id,
        "AFTERITEMID": stage.after_item_id,
        "userId": 5,
        "users": [ME],
        "USER_ID": ME,
    }
    example = {key: replacements.get(key, value) for key, value in body.items()}
    conditions = example.get("FILTER")
    if isinstance(conditions, dict) and "AUTHOR_ID" in conditions:
        example["FILTER"] = {**conditions, "AUTHOR_ID": ME}
    fields = next((example[key] for key in _FIELDS_KEYS if key in example), None)
    if isinstance(fields, dict):
        if "AUTHOR_ID" in fields:
            fields["AUTHOR_ID"] = ME
        for key in ("PARENT_ID", "parentId"):
            fields.pop(key, None)
        for key in ("creatorId", "RESPONSIBLE_ID", "responsibleId"):
            if key in fields:
                fields[key] = ME
        if method.api == "v3" and method.name == "tasks.task.update":
            fields.pop("creatorId", None)
    return example


def run(method: DocMethod, stage: Stage, params: dict[str, Any]) -> Any:
    found = REGISTRY.find(method.api, method.name)
    assert found is not None
    scopes = DEFAULT_SCOPES | {"basic"}
    portal = stage.portal
    return found.handler(Call(portal, ME, scopes, method.api, params, portal.now()))


def refused(method: DocMethod, params: dict[str, Any]) -> Exception:
    with pytest.raises((RestError, V3Error)) as caught:
        run(method, _stage(method), params)
    return caught.value


@pytest.mark.parametrize("method", METHODS, ids=str)
def test_the_pages_example_request_succeeds(method: DocMethod) -> None:
    stage = _stage(method)
    answer = run(method, stage, _example(method, stage))
    assert answer not in (False, [])


@pytest.mark.parametrize("method", METHODS, ids=str)
def test_a_missing_required_parameter_is_an_error(method: DocMethod) -> None:
    stage = _stage(method)
    example = _example(method, stage)
    for name in method.required:
        without = {key: value for key, value in example.items() if key != name}
        failure = refused(method, without)
        assert isinstance(failure, RestError | V3Error), name


@pytest.mark.parametrize("method", METHODS, ids=str)
def test_a_wrongly_named_required_parameter_is_an_error(method: DocMethod) -> None:
    stage = _stage(method)
    example = _example(method, stage)
    for name in method.required:
        wrong = _WRONG_NAMES.get(name, name.lower() if name.isupper() else name + "s")
        renamed = {(wrong if key == name else key): value for key, value in example.items()}
        if method.positional:
            # Names are ignored, positions count: the same answer as the original.
            assert run(method, _stage(method), renamed) == run(
                method, _stage(method), dict(example)
            ), name
        else:
            refused(method, renamed)


@pytest.mark.parametrize("method", [m for m in METHODS if m.required_fields], ids=str)
def test_a_missing_required_field_is_an_error(method: DocMethod) -> None:
    stage = _stage(method)
    example = _example(method, stage)
    key = next(key for key in _FIELDS_KEYS if key in example)
    for name in method.required_fields:
        fields = {field: value for field, value in example[key].items() if field != name}
        refused(method, {**example, key: fields})


def test_stopwatch_with_id_and_mute_with_task_id_are_refused() -> None:
    by_name = {str(method): method for method in METHODS}
    stopwatch = by_name["v1:tasks.task.stopwatch"]
    failure = refused(stopwatch, {"id": _stage(stopwatch).task.id})
    assert isinstance(failure, RestError)
    assert (failure.code, failure.description) == ("0", "wrong task id")
    mute = by_name["v1:tasks.task.mute"]
    failure = refused(mute, {"taskId": _stage(mute).task.id})
    assert isinstance(failure, RestError)
    assert (failure.code, failure.description) == ("0", "wrong task id")


def test_the_page_list_is_read_from_the_repository_copy() -> None:
    assert Path(DOCS).is_dir()
    assert all((DOCS / method.page).is_file() for method in METHODS)
