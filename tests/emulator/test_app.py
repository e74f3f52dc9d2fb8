"""The emulated portal's HTTP layer over real loopback HTTP: URL forms, bodies, auth,
errors, the envelope and the journal.

The app runs over :func:`probe_registry`: the portal's methods plus probes such as
``test.echo``, which answers the parameters it received, so a test sees exactly what the
parser made of a request.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from b24tui.emulator import EmulatorApp, Portal
from b24tui.emulator.timing import BASE_COST, COUNT_COST, COUNT_ROW_COST, ROW_COST
from tests.conftest import ServedEmulator, probe_registry


@pytest.fixture
def emulator_app(portal: Portal) -> EmulatorApp:
    return EmulatorApp(portal, registry=probe_registry())


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def echoed(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()["result"]["params"]


# URL forms ---------------------------------------------------------------------------


def test_webhook_url_with_and_without_json_suffix(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    plain = http.post(emulator.webhook_url + "test.echo", json={"a": 1})
    suffixed = http.post(emulator.webhook_url + "TEST.ECHO.json", json={"a": 1})
    assert (
        plain.json()["result"]
        == suffixed.json()["result"]
        == {
            "params": {"a": 1},
            "user": emulator.webhook.user_id,
        }
    )
    assert plain.headers["content-type"] == "application/json; charset=utf-8"


def test_v3_webhook_url(emulator: ServedEmulator, http: httpx.Client) -> None:
    response = http.post(emulator.v3_url + "test.echo", json={"id": 5})
    assert response.status_code == 200
    assert response.json()["result"] == {"item": {"id": 5}}


def test_wrong_code_or_user_is_401_no_auth_found(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    code = emulator.webhook.code
    for url in (
        f"{emulator.base_url}/rest/1/{code}x/test.echo",
        f"{emulator.base_url}/rest/2/{code}/test.echo",
    ):
        response = http.post(url, json={})
        assert response.status_code == 401
        assert response.json() == {
            "error": "NO_AUTH_FOUND",
            "error_description": "Wrong authorization data",
        }
    assert code not in str(list(emulator.app.journal))


def test_unknown_method_is_404_in_each_generation_shape(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    v1 = http.post(emulator.webhook_url + "no.such.method", json={})
    v3 = http.post(emulator.v3_url + "no.such.method", json={})
    assert v1.status_code == v3.status_code == 404
    assert v1.json()["error"] == "ERROR_METHOD_NOT_FOUND"
    assert v3.json()["error"]["code"] == "ERROR_METHOD_NOT_FOUND"


def test_v1_only_method_is_not_found_at_v3(emulator: ServedEmulator, http: httpx.Client) -> None:
    response = http.post(emulator.v3_url + "test.page", json={})
    assert response.status_code == 404


def test_v3_paths_are_not_found_when_the_portal_lacks_rest_v3(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    emulator.portal.v3_enabled = False
    response = http.post(emulator.v3_url + "test.echo", json={"id": 1})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "ERROR_METHOD_NOT_FOUND"
    assert http.post(emulator.webhook_url + "test.echo", json={}).status_code == 200


# Bodies ------------------------------------------------------------------------------


def test_get_query_with_php_keys(emulator: ServedEmulator, http: httpx.Client) -> None:
    response = http.get(
        emulator.webhook_url + "test.echo",
        params={"filter[>ID]": "5", "select[]": ["ID", "TITLE"], "fields[A][B]": "x"},
    )
    assert echoed(response) == {
        "filter": {">ID": "5"},
        "select": ["ID", "TITLE"],
        "fields": {"A": {"B": "x"}},
    }
    entry = emulator.app.journal.last("test.echo")
    assert (entry.http_method, entry.content_type, entry.via_batch) == ("GET", "", False)


def test_form_body_with_php_keys(emulator: ServedEmulator, http: httpx.Client) -> None:
    response = http.post(
        emulator.webhook_url + "test.echo",
        data={"fields[TITLE]": "Ünïcode ✓", "select[]": ["ID", "TITLE"]},
    )
    assert echoed(response) == {"fields": {"TITLE": "Ünïcode ✓"}, "select": ["ID", "TITLE"]}
    assert emulator.app.journal.last().content_type == "application/x-www-form-urlencoded"


def test_multipart_body(emulator: ServedEmulator, http: httpx.Client) -> None:
    response = http.post(
        emulator.webhook_url + "test.echo",
        data={"fields[TITLE]": "x"},
        files={"upload": ("n.txt", b"abc", "text/plain")},
    )
    assert echoed(response) == {"fields": {"TITLE": "x"}, "upload": ["n.txt", "YWJj"]}


def test_positional_query_and_json_root_array(emulator: ServedEmulator, http: httpx.Client) -> None:
    by_query = http.post(
        emulator.webhook_url + "test.echo", params={"0": "123", "1[POST_MESSAGE]": "hi"}
    )
    by_json = http.post(emulator.webhook_url + "test.echo", json=[123, {"POST_MESSAGE": "hi"}])
    assert echoed(by_query) == ["123", {"POST_MESSAGE": "hi"}]
    assert echoed(by_json) == [123, {"POST_MESSAGE": "hi"}]


def test_invalid_json_at_v1_is_a_400_body(emulator: ServedEmulator, http: httpx.Client) -> None:
    response = http.post(
        emulator.webhook_url + "test.echo",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "INVALID_REQUEST"


def test_v3_accepts_only_json(emulator: ServedEmulator, http: httpx.Client) -> None:
    form = http.post(emulator.v3_url + "test.echo", data={"id": "5"})
    assert form.status_code == 400
    assert form.json() == {
        "error": {
            "code": "BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION",
            "message": "Invalid JSON in request body",
        }
    }
    ignored_query = http.get(emulator.v3_url + "test.echo", params={"id": "51"})
    assert ignored_query.json()["result"] == {"item": {}}


def test_non_ascii_is_preserved_in_answers(emulator: ServedEmulator, http: httpx.Client) -> None:
    response = http.post(emulator.webhook_url + "test.echo", json={"t": "Ольга Łukasz"})
    assert "Ольга Łukasz".encode() in response.content


# Scopes and errors -------------------------------------------------------------------


def test_insufficient_scope_in_both_shapes(emulator: ServedEmulator, http: httpx.Client) -> None:
    v1 = http.post(emulator.webhook_url + "test.crm", json={})
    v3 = http.post(emulator.v3_url + "test.crm", json={})
    assert v1.status_code == v3.status_code == 403
    assert v1.json()["error"] == "insufficient_scope"
    assert v3.json()["error"]["code"] == "BITRIX_REST_V3_EXCEPTION_INSUFFICIENTSCOPEEXCEPTION"
    webhook = emulator.portal.credentials.add_webhook(1, frozenset({"crm"}))
    granted = http.post(f"{emulator.base_url}/rest/1/{webhook.code}/test.crm", json={})
    assert granted.json()["result"] is True


def test_v3_handler_error_keeps_its_status_and_shape(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    response = http.post(emulator.v3_url + "test.v3fail", json={})
    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION", "message": "Nope"}
    }


def test_a_crashing_handler_answers_500(
    emulator: ServedEmulator, http: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    response = http.post(emulator.webhook_url + "test.crash", json={})
    assert response.status_code == 500
    assert response.json()["error"] == "INTERNAL_SERVER_ERROR"
    assert "handler bug" in caplog.text
    unjsonable = http.post(emulator.webhook_url + "test.unjsonable", json={})
    assert unjsonable.status_code == 500
    assert unjsonable.json()["error"] == "INTERNAL_SERVER_ERROR"
    assert emulator.webhook.code not in caplog.text


# Envelope ----------------------------------------------------------------------------


def test_list_envelope_has_total_and_next_until_the_last_page(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    first = http.post(emulator.webhook_url + "test.page", json={}).json()
    last = http.post(emulator.webhook_url + "test.page", json={"start": 100}).json()
    assert (len(first["result"]), first["total"], first["next"]) == (50, 120, 50)
    assert (len(last["result"]), last["total"]) == (20, 120)
    assert "next" not in last


def test_time_block_follows_the_portal_clock(emulator: ServedEmulator, http: httpx.Client) -> None:
    before = http.post(emulator.webhook_url + "test.echo", json={}).json()["time"]
    assert before["date_start"] == "2026-03-16T09:30:00+02:00"
    assert before["start"] == emulator.portal.now().timestamp()
    assert before["finish"] - before["start"] == pytest.approx(before["duration"], abs=1e-5)
    assert before["duration"] >= before["processing"] > 0
    emulator.portal.clock.advance(3600)  # type: ignore[attr-defined]
    after = http.post(emulator.webhook_url + "test.echo", json={}).json()["time"]
    assert after["date_start"] == "2026-03-16T10:30:00+02:00"


def test_operating_accumulates_per_method_and_resets_after_ten_minutes(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    def operating(method: str) -> tuple[float, int]:
        time = http.post(emulator.webhook_url + method, json={}).json()["time"]
        return time["operating"], time["operating_reset_at"]

    first, reset_at = operating("test.echo")
    second, same_reset = operating("test.echo")
    other, _ = operating("test.page")
    assert second == pytest.approx(2 * first)
    assert same_reset == reset_at == int(emulator.portal.now().timestamp()) + 600
    # Its own count: 50 rows, and the COUNT over the 120-row table for ``total``.
    assert other == pytest.approx(BASE_COST + 50 * ROW_COST + COUNT_COST + 120 * COUNT_ROW_COST)
    emulator.portal.clock.advance(600)  # type: ignore[attr-defined]
    fresh, later_reset = operating("test.echo")
    assert fresh == pytest.approx(first)
    assert later_reset == reset_at + 600


# OAuth -------------------------------------------------------------------------------


def test_oauth_token_in_query_or_body(emulator: ServedEmulator, http: httpx.Client) -> None:
    from datetime import timedelta

    token = emulator.portal.credentials.issue_token(
        3, frozenset({"task"}), emulator.portal.now(), timedelta(hours=1)
    )
    by_query = http.get(
        f"{emulator.base_url}/rest/test.echo", params={"auth": token.token, "x": "1"}
    )
    by_body = http.post(f"{emulator.base_url}/rest/test.echo.json", data={"auth": token.token})
    by_v3 = http.post(f"{emulator.base_url}/rest/api/test.echo", json={"auth": token.token})
    assert by_query.json()["result"] == {"params": {"x": "1"}, "user": 3}
    assert by_body.json()["result"] == {"params": {}, "user": 3}
    assert by_v3.json()["result"] == {"item": {}}
    recorded = [entry.params for entry in emulator.app.journal]
    assert token.token not in str(recorded)


def test_oauth_unknown_and_expired_tokens(emulator: ServedEmulator, http: httpx.Client) -> None:
    from datetime import timedelta

    token = emulator.portal.credentials.issue_token(
        1, frozenset({"task"}), emulator.portal.now(), timedelta(hours=1)
    )
    unknown = http.post(f"{emulator.base_url}/rest/test.echo", json={"auth": "nope"})
    missing = http.post(f"{emulator.base_url}/rest/test.echo", json={})
    assert unknown.status_code == missing.status_code == 401
    assert unknown.json()["error"] == missing.json()["error"] == "NO_AUTH_FOUND"
    emulator.portal.clock.advance(3601)  # type: ignore[attr-defined]
    expired = http.post(f"{emulator.base_url}/rest/test.echo", json={"auth": token.token})
    assert expired.status_code == 401
    assert expired.json()["error"] == "expired_token"
    expired_v3 = http.post(f"{emulator.base_url}/rest/api/test.echo", json={"auth": token.token})
    assert expired_v3.json()["error"]["code"] == "expired_token"


# Journal, stats and the clock endpoint -----------------------------------------------


def test_journal_records_each_call_without_secrets(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    http.post(emulator.webhook_url + "test.echo", json={"fields": {"TITLE": "a"}})
    http.post(emulator.v3_url + "test.crm", json={})
    echo, crm = emulator.app.journal.entries()
    assert (echo.method, echo.api, echo.params, echo.status, echo.error) == (
        "test.echo",
        "v1",
        {"fields": {"TITLE": "a"}},
        200,
        None,
    )
    assert (echo.http_method, echo.content_type, echo.user_id) == ("POST", "application/json", 1)
    assert (crm.api, crm.status, crm.ok) == ("v3", 403, False)
    assert emulator.webhook.code not in repr(emulator.app.journal.entries())


def test_journal_is_bounded(portal: Portal) -> None:
    app = EmulatorApp(portal, journal_size=3)
    code = next(iter(portal.credentials.webhooks.values())).code
    for _ in range(5):
        app.handle("POST", f"/rest/1/{code}/scope", b"", "", b"")
    assert len(app.journal) == 3
    assert app.journal.stats()["requests"] == 5


def test_stats_count_requests_methods_and_errors(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    http.post(emulator.webhook_url + "test.echo", json={})
    http.post(emulator.webhook_url + "batch", json={"cmd": ["test.echo", "test.crm"]})
    http.post(emulator.webhook_url + "missing.method", json={})
    stats = http.get(emulator.base_url + "/_emulator/stats").json()
    assert stats["requests"] == 3
    assert stats["methods"] == {"batch": 1, "missing.method": 1, "test.crm": 1, "test.echo": 2}
    assert stats["errors"] == {"ERROR_METHOD_NOT_FOUND": 1, "insufficient_scope": 1}


def test_clock_endpoint_moves_the_portal_clock(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    advanced = http.post(emulator.base_url + "/_emulator/clock", json={"advance": 90})
    assert advanced.json() == {"now": "2026-03-16T09:31:30+02:00"}
    jumped = http.post(emulator.base_url + "/_emulator/clock", json={"to": "2026-03-17T08:00:00Z"})
    assert jumped.status_code == 200
    assert emulator.portal.now().isoformat() == "2026-03-17T10:00:00+02:00"
    for bad in ({"advance": -5}, {"to": "2026-01-01T00:00:00+00:00"}, {"what": 1}):
        assert http.post(emulator.base_url + "/_emulator/clock", json=bad).status_code == 400


def test_clock_endpoint_refuses_a_clock_that_cannot_move(portal: Portal) -> None:
    class Fixed:
        def __init__(self, clock: Any) -> None:
            self._clock = clock

        def now(self) -> Any:
            return self._clock.now()

        def monotonic(self) -> float:
            return 0.0

        def local_offset(self, moment: Any) -> Any:
            return self._clock.local_offset(moment)

    portal.clock = Fixed(portal.clock)
    response = EmulatorApp(portal).handle("POST", "/_emulator/clock", b"", "", b'{"advance": 1}')
    assert response.status == 400
