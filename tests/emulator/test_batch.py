"""``batch`` over real HTTP: references, ``halt``, limits, per-command errors, v3 form."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from b24tui.emulator import EmulatorApp, Portal
from tests.conftest import ServedEmulator, probe_registry


@pytest.fixture
def emulator_app(portal: Portal) -> EmulatorApp:
    return EmulatorApp(portal, registry=probe_registry())


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def run_batch(emulator: ServedEmulator, http: httpx.Client, body: Any) -> dict[str, Any]:
    response = http.post(emulator.webhook_url + "batch", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def test_references_resolve_against_earlier_results(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    result = run_batch(
        emulator,
        http,
        {
            "cmd": {
                "page": "test.page?start=0",
                "echo": "test.echo?first=$result[page][0][ID]&all=$result[page]"
                "&text=id-$result[page][1][ID]-x&missing=$result[nope][0]"
                "&total=$result_total[page]&next=$result_next[page]&filter[>ID]=$result[page][49][ID]",
            }
        },
    )
    echoed = result["result"]["echo"]["params"]
    assert echoed["first"] == "0"
    assert echoed["all"] == result["result"]["page"]
    assert len(echoed["all"]) == 50
    assert echoed["text"] == "id-1-x"
    assert echoed["missing"] == ""
    assert (echoed["total"], echoed["next"]) == (120, 50)
    assert echoed["filter"] == {">ID": "49"}
    assert result["result_total"] == {"page": 120}
    assert result["result_next"] == {"page": 50}
    assert set(result["result_time"]) == {"page", "echo"}
    assert result["result_error"] == []


def test_halt_stops_at_the_first_failure(emulator: ServedEmulator, http: httpx.Client) -> None:
    cmd = {"denied": "test.crm", "after": "test.echo?x=1"}
    halted = run_batch(emulator, http, {"halt": 1, "cmd": cmd})
    assert halted["result"] == []
    assert halted["result_error"] == {
        "denied": {
            "error": "insufficient_scope",
            "error_description": (
                "The request requires higher privileges than provided by the webhook token"
            ),
        }
    }
    assert (halted["result_total"], halted["result_next"], halted["result_time"]) == ([], [], [])
    assert emulator.app.journal.entries("test.echo") == []

    carried_on = run_batch(emulator, http, {"halt": "false", "cmd": cmd})
    assert carried_on["result"] == {"after": {"params": {"x": "1"}, "user": 1}}
    assert list(carried_on["result_error"]) == ["denied"]


def test_array_cmd_answers_arrays(emulator: ServedEmulator, http: httpx.Client) -> None:
    result = run_batch(
        emulator, http, {"cmd": ["test.echo?a=1", "test.echo?a=$result[0][params][a]2"]}
    )
    assert result["result"] == [
        {"params": {"a": "1"}, "user": 1},
        {"params": {"a": "12"}, "user": 1},
    ]


def test_per_command_errors_keep_their_codes(emulator: ServedEmulator, http: httpx.Client) -> None:
    result = run_batch(
        emulator,
        http,
        {"cmd": {"ok": "test.echo", "nested": "batch?cmd[x]=test.echo", "gone": "no.such"}},
    )
    assert list(result["result"]) == ["ok"]
    errors = result["result_error"]
    assert errors["nested"]["error"] == "ERROR_BATCH_METHOD_NOT_ALLOWED"
    assert errors["gone"]["error"] == "ERROR_METHOD_NOT_FOUND"
    nested, outer = emulator.app.journal.entries("batch")
    assert (nested.via_batch, nested.status, nested.params) == (
        True,
        405,
        {"cmd": {"x": "test.echo"}},
    )
    assert (outer.via_batch, outer.status) == (False, 200)


def test_fifty_commands_run_and_fifty_one_are_refused(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    fifty = run_batch(emulator, http, {"cmd": {f"c{n}": f"test.echo?n={n}" for n in range(50)}})
    assert len(fifty["result"]) == 50
    response = http.post(
        emulator.webhook_url + "batch",
        json={"cmd": {f"c{n}": "test.echo" for n in range(51)}},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_BATCH_LENGTH_EXCEEDED"


def test_form_encoded_batch_with_double_encoded_commands(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    response = http.post(
        emulator.webhook_url + "batch",
        data={
            "halt": "0",
            "cmd[me]": "test.echo?fields%5BTITLE%5D=Caf%C3%A9&select[]=ID&auth=leak",
        },
    )
    assert response.json()["result"]["result"]["me"]["params"] == {
        "fields": {"TITLE": "Café"},
        "select": ["ID"],
    }
    assert "leak" not in repr(emulator.app.journal.entries())


def test_sub_commands_are_journaled_and_counted(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    run_batch(emulator, http, {"cmd": {"a": "test.echo?x=1", "b": "test.page"}})
    entries = emulator.app.journal.entries()
    assert [(entry.method, entry.via_batch) for entry in entries] == [
        ("test.echo", True),
        ("test.page", True),
        ("batch", False),
    ]
    assert entries[0].params == {"x": "1"}
    assert entries[0].content_type == "application/json"
    stats = http.get(emulator.base_url + "/_emulator/stats").json()
    assert stats["requests"] == 1
    assert stats["calls"] == 3


def test_the_outer_batch_is_not_charged_operating_time(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    result = run_batch(emulator, http, {"cmd": ["test.echo", "test.echo"]})
    first, second = (result["result_time"][n]["operating"] for n in (0, 1))
    assert second == pytest.approx(2 * first)
    direct = http.post(emulator.webhook_url + "batch", json={"cmd": []}).json()
    assert direct["time"]["operating"] == 0
    assert direct["result"] == {key: [] for key in direct["result"]}


def test_sub_commands_run_as_the_oauth_caller(emulator: ServedEmulator, http: httpx.Client) -> None:
    token = emulator.portal.credentials.issue_token(
        4, frozenset({"crm"}), emulator.portal.now(), timedelta(hours=1)
    )
    response = http.post(
        emulator.base_url + "/rest/batch",
        json={
            "auth": token.token,
            "cmd": {"me": "test.echo", "crm": "test.crm", "app": "app.info"},
        },
    )
    result = response.json()["result"]
    assert result["result"]["me"]["user"] == 4
    assert result["result"]["crm"] is True
    assert result["result"]["app"]["STATUS"] == "L"


# REST 3.0 ----------------------------------------------------------------------------


def test_v1_cmd_form_at_v3_is_refused(emulator: ServedEmulator, http: httpx.Client) -> None:
    response = http.post(emulator.v3_url + "batch", json={"cmd": {"a": "test.echo"}})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "BITRIX_REST_V3_EXCEPTION_INVALIDSELECTEXCEPTION"


def test_v3_batch_rejects_malformed_items_and_too_many(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    malformed = http.post(emulator.v3_url + "batch", json=[{"query": {}}])
    assert malformed.status_code == 400
    assert malformed.json()["error"]["validation"][0]["field"] == "0.method"
    too_many = http.post(emulator.v3_url + "batch", json=[{"method": "test.echo"}] * 51)
    assert too_many.json()["error"]["code"] == "ERROR_BATCH_LENGTH_EXCEEDED"
