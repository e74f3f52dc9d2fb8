"""PHP-style query strings for batch commands, the batch builder and reading batch answers."""

from __future__ import annotations

import urllib.parse
from datetime import UTC, datetime
from typing import Any

import pytest

from b24tui.api import (
    MAX_BATCH_COMMANDS,
    AuthError,
    Batch,
    BatchError,
    BatchResult,
    NotFound,
    Ref,
    ScopeError,
    encode_query,
)
from b24tui.models import Priority


def php_parse(query: str) -> list[tuple[str, str]]:
    """What PHP's parser sees: the decoded key/value pairs, in order."""
    return urllib.parse.parse_qsl(query, keep_blank_values=True)


def test_nested_filters_and_selects() -> None:
    query = encode_query(
        {
            "filter": {">ID": 5, "RESPONSIBLE_ID": 1, "!STATUS": 6},
            "select": ["ID", "TITLE"],
            "order": {"ID": "asc"},
            "start": -1,
        }
    )
    assert query == (
        "filter[>ID]=5&filter[RESPONSIBLE_ID]=1&filter[!STATUS]=6"
        "&select[]=ID&select[]=TITLE&order[ID]=asc&start=-1"
    )


def test_keys_and_values_that_would_break_the_query_are_encoded() -> None:
    query = encode_query({"filter": {">=DEADLINE": "2026-03-16T09:00:00+02:00", "%TITLE": "a&b c"}})
    assert php_parse(query) == [
        ("filter[>=DEADLINE]", "2026-03-16T09:00:00+02:00"),
        ("filter[%TITLE]", "a&b c"),
    ]


def test_booleans_none_and_empty_containers_follow_http_build_query() -> None:
    query = encode_query(
        {
            "params": {"WITH_TIMER_INFO": True, "WITH_RESULT_INFO": False},
            "x": None,
            "y": [],
            "z": {},
        }
    )
    assert php_parse(query) == [
        ("params[WITH_TIMER_INFO]", "1"),
        ("params[WITH_RESULT_INFO]", "0"),
    ]


def test_lists_of_containers_are_indexed() -> None:
    query = encode_query({"SE_PARAMETER": [{"VALUE": "Y", "CODE": 3}, {"VALUE": "N", "CODE": 2}]})
    assert php_parse(query) == [
        ("SE_PARAMETER[0][VALUE]", "Y"),
        ("SE_PARAMETER[0][CODE]", "3"),
        ("SE_PARAMETER[1][VALUE]", "N"),
        ("SE_PARAMETER[1][CODE]", "2"),
    ]


def test_a_root_list_is_positional() -> None:
    query = encode_query([13, {"TITLE": "Prepare", "MEMBERS": {"547": {"TYPE": "A"}}}])
    assert php_parse(query) == [
        ("0", "13"),
        ("1[TITLE]", "Prepare"),
        ("1[MEMBERS][547][TYPE]", "A"),
    ]


def test_enums_and_datetimes_are_written_as_their_values() -> None:
    moment = datetime(2026, 3, 16, 9, 30, tzinfo=UTC)
    assert php_parse(encode_query({"p": Priority.HIGH, "d": moment})) == [
        ("p", "2"),
        ("d", "2026-03-16T09:30:00+00:00"),
    ]


def test_references_are_written_raw() -> None:
    ref = Ref("page0")["tasks"][49]["id"]
    assert str(ref) == "$result[page0][tasks][49][id]"
    assert encode_query({"filter": {">ID": ref}}) == "filter[>ID]=$result[page0][tasks][49][id]"


def test_batch_builds_cmd_and_halt() -> None:
    batch = Batch(halt=True)
    me = batch.add("user.current", id="me")
    batch.add("tasks.task.list", {"filter": {"RESPONSIBLE_ID": me["ID"]}, "select": ["ID"]})
    batch.add("timeman.status")
    assert batch.params() == {
        "halt": 1,
        "cmd": {
            "me": "user.current",
            "c1": "tasks.task.list?filter[RESPONSIBLE_ID]=$result[me][ID]&select[]=ID",
            "c2": "timeman.status",
        },
    }
    assert len(batch) == 3


def test_batch_refuses_a_51st_command_and_bad_ids() -> None:
    batch = Batch()
    for _ in range(MAX_BATCH_COMMANDS):
        batch.add("profile")
    with pytest.raises(ValueError, match="at most 50"):
        batch.add("profile")
    with pytest.raises(ValueError, match="identifier"):
        Batch().add("profile", id="0")
    twice = Batch()
    twice.add("profile", id="a")
    with pytest.raises(ValueError, match="twice"):
        twice.add("profile", id="a")


def three_commands(halt: bool = False) -> Batch:
    batch = Batch(halt=halt)
    batch.add("user.current", id="me")
    batch.add("tasks.task.get", {"taskId": 1}, id="task")
    batch.add("timeman.status", id="day")
    return batch


def test_batch_result_with_per_command_errors() -> None:
    answer: dict[str, Any] = {
        "result": {"me": {"ID": "1"}, "day": {"STATUS": "OPENED"}},
        "result_error": {"task": {"error": "1048584", "error_description": "a:0:{}"}},
        "result_total": [],
        "result_next": [],
        "result_time": {"me": {"operating": 0.5}, "day": {"operating": 0}},
    }
    result = BatchResult.from_result(three_commands(), answer)
    assert result["me"] == {"ID": "1"}
    assert result.ok("day")
    assert not result.ok("task")
    with pytest.raises(NotFound) as caught:
        result["task"]
    assert caught.value.method == "tasks.task.get"
    assert caught.value.http_status is None
    assert result.first_error is caught.value
    assert result.response("me").time is not None


def test_batch_result_with_empty_containers_as_arrays() -> None:
    answer = {
        "result": [],
        "result_error": {"me": {"error": "insufficient_scope", "error_description": ""}},
        "result_total": [],
        "result_next": [],
        "result_time": [],
    }
    result = BatchResult.from_result(three_commands(halt=True), answer)
    assert isinstance(result.error("me"), ScopeError)
    skipped = result.error("task")
    assert isinstance(skipped, BatchError)
    assert "did not run" in skipped.title
    with pytest.raises(BatchError):
        result["day"]
    with pytest.raises(KeyError):
        result.error("nope")


def test_batch_result_keeps_totals_and_nexts() -> None:
    batch = Batch()
    batch.add("tasks.task.list", {"start": 0}, id="tasks")
    answer = {
        "result": {"tasks": {"tasks": []}},
        "result_error": [],
        "result_total": {"tasks": "87"},
        "result_next": {"tasks": 50},
        "result_time": {},
    }
    response = BatchResult.from_result(batch, answer).response("tasks")
    assert (response.total, response.next) == (87, 50)


def test_batch_errors_of_the_whole_answer_are_translated_per_command() -> None:
    batch = Batch()
    batch.add("profile", id="p")
    answer = {
        "result": [],
        "result_error": {"p": {"error": "NO_AUTH_FOUND", "error_description": ""}},
    }
    assert isinstance(BatchResult.from_result(batch, answer).error("p"), AuthError)
