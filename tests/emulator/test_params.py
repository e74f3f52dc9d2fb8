"""How the emulated portal reads parameters: PHP bracket keys, positional lists, bodies."""

from __future__ import annotations

import json

import pytest

from b24tui.emulator.errors import RestError, V3Error
from b24tui.emulator.params import (
    build,
    flag,
    parse_multipart,
    parse_query,
    parse_v1,
    parse_v3,
    split_key,
)


@pytest.mark.parametrize(
    ("key", "segments"),
    [
        ("ID", ["ID"]),
        ("filter[>ID]", ["filter", ">ID"]),
        ("select[]", ["select", ""]),
        ("fields[UF][0][x]", ["fields", "UF", "0", "x"]),
        ("a[b", ["a[b"]),
    ],
)
def test_split_key(key: str, segments: list[str]) -> None:
    assert split_key(key) == segments


def test_php_style_query_nests_filters_selects_and_fields() -> None:
    query = (
        "filter%5B%3EID%5D=5&filter[RESPONSIBLE_ID]=1&select[]=ID&select[]=TITLE"
        "&fields[TITLE]=Caf%C3%A9&order[ID]=asc&start=-1"
    )
    assert parse_query(query) == {
        "filter": {">ID": "5", "RESPONSIBLE_ID": "1"},
        "select": ["ID", "TITLE"],
        "fields": {"TITLE": "Café"},
        "order": {"ID": "asc"},
        "start": "-1",
    }


def test_positional_query_becomes_a_list() -> None:
    assert parse_query("0=123&1[POST_MESSAGE]=test") == ["123", {"POST_MESSAGE": "test"}]


def test_deep_nesting_and_explicit_indices() -> None:
    params = parse_query("a[b][c][]=1&a[b][c][]=2&a[b][d]=x&l[0]=p&l[1]=q")
    assert params == {"a": {"b": {"c": ["1", "2"], "d": "x"}}, "l": ["p", "q"]}


def test_sparse_indices_stay_an_object() -> None:
    assert parse_query("m[0]=a&m[2]=b") == {"m": {"0": "a", "2": "b"}}


def test_appending_after_explicit_index_continues_numbering() -> None:
    assert build([("x[5]", "a"), ("x[]", "b")]) == {"x": {"5": "a", "6": "b"}}


def test_later_pairs_win_and_blank_values_are_kept() -> None:
    assert parse_query("a=1&a=2&b=&c[x]=1&c=flat") == {"a": "2", "b": "", "c": "flat"}


def test_v1_json_object_overrides_query_and_drops_auth() -> None:
    body = json.dumps({"filter": {"ID": 5}, "auth": "tok"}).encode()
    params, auth = parse_v1(b"start=50&filter[ID]=1", "application/json", body)
    assert params == {"start": "50", "filter": {"ID": 5}}
    assert auth == "tok"


def test_v1_json_root_array_is_positional_and_auth_from_query() -> None:
    params, auth = parse_v1(b"auth=tok", "application/json; charset=utf-8", b'[13, {"X": 1}]')
    assert params == [13, {"X": 1}]
    assert auth == "tok"


def test_v1_form_body_is_parsed_like_a_query() -> None:
    params, auth = parse_v1(
        b"", "application/x-www-form-urlencoded", b"fields%5BTITLE%5D=Hi&auth=tok"
    )
    assert params == {"fields": {"TITLE": "Hi"}}
    assert auth == "tok"


def test_v1_invalid_json_is_a_400() -> None:
    with pytest.raises(RestError) as raised:
        parse_v1(b"", "application/json", b"{nope")
    assert (raised.value.status, raised.value.code) == (400, "INVALID_REQUEST")


def test_multipart_fields_and_files() -> None:
    boundary = "XyZ"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="fields[TITLE]"\r\n\r\n'
        "Straße\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="select[]"\r\n\r\n'
        "ID\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
        "hi\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    params = parse_multipart(body, f"multipart/form-data; boundary={boundary}")
    assert params == {"fields": {"TITLE": "Straße"}, "select": ["ID"], "file": ["a.txt", "aGk="]}


def test_v3_reads_only_the_json_body() -> None:
    params, auth = parse_v3("POST", b"id=51&auth=tok", b'{"id": 7}')
    assert params == {"id": 7}
    assert auth == "tok"
    assert parse_v3("GET", b"id=51", b"") == ({}, None)


@pytest.mark.parametrize("body", [b"id=51", b"{broken", b'"a string"'])
def test_v3_rejects_anything_but_a_json_object_or_array(body: bytes) -> None:
    with pytest.raises(V3Error) as raised:
        parse_v3("POST", b"", body)
    assert raised.value.code == "BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION"
    assert raised.value.status == 400


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (1, True),
        ("1", True),
        ("true", True),
        ("Y", True),
        (False, False),
        (0, False),
        ("0", False),
        ("false", False),
        (None, False),
        ("", False),
    ],
)
def test_flag(value: object, expected: bool) -> None:
    assert flag(value) is expected
