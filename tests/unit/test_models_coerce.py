"""Coercion of Bitrix24's loose JSON values into plain Python values."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from b24tui.models import ModelError
from b24tui.models._coerce import (
    require_id,
    to_bool,
    to_datetime,
    to_duration,
    to_id_tuple,
    to_int,
    to_list,
    to_mapping,
    to_str,
    to_timestamp,
)

PLUS_TWO = timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("8017", 8017), (8017, 8017), (" 42 ", 42), ("0", 0), ("-1", -1), (7.0, 7), ("3.0", 3)],
)
def test_to_int_reads_numbers_and_numeric_strings(raw: object, expected: int) -> None:
    assert to_int(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "  ", [], {}])
def test_to_int_reads_empty_values_as_none(raw: object) -> None:
    assert to_int(raw) is None


@pytest.mark.parametrize("raw", ["abc", True, {"id": 1}, 2.5, "1e"])
def test_to_int_names_the_field_on_garbage(raw: object) -> None:
    with pytest.raises(ModelError, match=r"^responsibleId:") as caught:
        to_int(raw, "responsibleId")
    assert caught.value.field == "responsibleId"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Y", True),
        ("N", False),
        ("y", True),
        (True, True),
        (False, False),
        ("1", True),
        ("0", False),
        (1, True),
        (0, False),
        ("true", True),
        ("false", False),
        ("", False),
    ],
)
def test_to_bool_reads_every_spelling(raw: object, expected: bool) -> None:
    assert to_bool(raw) is expected


def test_to_bool_uses_the_default_for_null() -> None:
    assert to_bool(None) is False
    assert to_bool(None, default=True) is True


@pytest.mark.parametrize("raw", ["maybe", 2, [1]])
def test_to_bool_refuses_unknown_words(raw: object) -> None:
    with pytest.raises(ModelError, match="isMuted"):
        to_bool(raw, "isMuted")


def test_to_datetime_keeps_the_portal_offset() -> None:
    moment = to_datetime("2025-09-11T08:00:00+02:00")
    assert moment == datetime(2025, 9, 11, 8, 0, tzinfo=PLUS_TWO)
    assert moment is not None
    assert moment.utcoffset() == timedelta(hours=2)


def test_to_datetime_reads_zulu_and_naive_text_as_aware() -> None:
    assert to_datetime("2025-01-02T03:04:05Z") == datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    naive = to_datetime("2025-12-31T23:59:59")
    assert naive is not None
    assert naive.tzinfo is not None
    assert to_datetime("2025-12-31T23:59:59", assume_tz=PLUS_TWO) == datetime(
        2025, 12, 31, 23, 59, 59, tzinfo=PLUS_TWO
    )


def test_to_datetime_reads_legacy_and_epoch_forms() -> None:
    assert to_datetime("24.10.2025 19:00:00", assume_tz=PLUS_TWO) == datetime(
        2025, 10, 24, 19, 0, tzinfo=PLUS_TWO
    )
    assert to_datetime(0) == datetime(1970, 1, 1, tzinfo=UTC)
    assert to_datetime("2024-02-16") == datetime(2024, 2, 16, tzinfo=UTC)


@pytest.mark.parametrize("raw", [None, "", [], "   "])
def test_to_datetime_reads_empty_values_as_none(raw: object) -> None:
    assert to_datetime(raw) is None


def test_to_datetime_names_the_field_on_garbage() -> None:
    with pytest.raises(ModelError, match="deadline"):
        to_datetime("next tuesday", "deadline")


def test_to_timestamp_writes_iso_with_an_offset() -> None:
    assert to_timestamp(datetime(2025, 12, 31, 23, 59, 59, tzinfo=PLUS_TWO)) == (
        "2025-12-31T23:59:59+02:00"
    )
    assert to_timestamp(datetime(2025, 1, 1, 9, 30, 0, 123456)) == "2025-01-01T09:30:00+00:00"
    assert to_timestamp(date(2025, 3, 1)) == "2025-03-01T00:00:00+00:00"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("09:37:04", timedelta(hours=9, minutes=37, seconds=4)),
        ("00:00:00", timedelta(0)),
        ("01:22", timedelta(hours=1, minutes=22)),
        ("123:00:00", timedelta(hours=123)),
        (3600, timedelta(hours=1)),
        ("90", timedelta(seconds=90)),
    ],
)
def test_to_duration_reads_clock_text_and_seconds(raw: object, expected: timedelta) -> None:
    assert to_duration(raw) == expected


def test_to_duration_refuses_garbage_and_reads_empty_as_none() -> None:
    assert to_duration("") is None
    assert to_duration(None) is None
    with pytest.raises(ModelError, match="TIME_LEAKS"):
        to_duration("1h20m", "TIME_LEAKS")


def test_to_list_accepts_php_shapes() -> None:
    assert to_list([]) == []
    assert to_list(None) == []
    assert to_list({"3": "a", "11": "b"}) == ["a", "b"]
    assert to_list(5) == [5]


def test_to_mapping_reads_php_empty_array_as_empty_object() -> None:
    assert to_mapping([]) == {}
    assert to_mapping(None) == {}
    assert to_mapping({"a": 1}) == {"a": 1}
    with pytest.raises(ModelError, match="group"):
        to_mapping([1, 2], "group")


def test_to_id_tuple_drops_zeroes_and_repeats() -> None:
    assert to_id_tuple(["61", "103", 547, "103", "0", ""]) == (61, 103, 547)
    assert to_id_tuple({"3": {}, "11": {}}) == (3, 11)
    assert to_id_tuple([{"id": 4}, {"id": "9"}]) == (4, 9)
    assert to_id_tuple(None) == ()


def test_to_str_writes_numbers_and_empties() -> None:
    assert to_str(None) == ""
    assert to_str(12) == "12"
    assert to_str([]) == ""
    with pytest.raises(ModelError, match="title"):
        to_str({"x": 1}, "title")


@pytest.mark.parametrize("row", [{}, {"id": None}, {"id": ""}, {"id": "0"}, {"id": "-3"}])
def test_require_id_names_the_missing_field(row: dict[str, object]) -> None:
    with pytest.raises(ModelError, match=r"^id:"):
        require_id(row, "id", "ID")


def test_require_id_reads_either_spelling() -> None:
    assert require_id({"ID": "431"}, "id", "ID") == 431


def test_error_messages_stay_short_for_long_values() -> None:
    with pytest.raises(ModelError) as caught:
        to_int("x" * 5000, "timeEstimate")
    assert len(str(caught.value)) < 120
    assert str(caught.value).startswith("timeEstimate: ")
