"""Times in the person's zone, and the zone named where it is not the terminal's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from b24tui.clock import FrozenClock
from b24tui.humanize import ShownZone, deadline_label, offset_label, zone_named
from b24tui.models import User

PORTAL = timezone(timedelta(hours=3))
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=PORTAL)
DEADLINE = datetime.fromisoformat("2026-12-07T18:00:00+03:00")


def test_a_deadline_is_shown_in_the_persons_zone() -> None:
    terminal = FrozenClock(NOW, local_zone=UTC)
    berlin = ShownZone.of("Europe/Berlin", terminal)
    assert deadline_label(DEADLINE, NOW, berlin) == "today 16:00"
    assert berlin.mark(DEADLINE) == "UTC+1", "Berlin is not the terminal's UTC"
    moscow = ShownZone.of("Europe/Moscow", terminal)
    assert deadline_label(DEADLINE, NOW, moscow) == "today 18:00"
    assert moscow.mark(DEADLINE) == "UTC+3"


def test_no_mark_where_the_terminal_is_in_the_same_zone() -> None:
    at_home = ShownZone.of("Europe/Berlin", FrozenClock(NOW, local_zone=zone_named("CET")))
    assert deadline_label(DEADLINE, NOW, at_home) == "today 16:00"
    assert at_home.mark(DEADLINE) == ""


def test_summer_time_counts_at_the_moment_shown() -> None:
    july = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    zone = ShownZone.of("Europe/Berlin", FrozenClock(NOW, local_zone=UTC))
    assert zone.mark(july) == "UTC+2"
    assert f"{zone.at(july):%H:%M}" == "14:00"


def test_no_zone_in_the_profile_keeps_the_portals() -> None:
    for name in ("", "Nowhere/Atlantis"):
        zone = ShownZone.of(name, FrozenClock(NOW, local_zone=UTC))
        assert deadline_label(DEADLINE, NOW, zone) == "today 18:00"
        assert zone.mark(DEADLINE) == "UTC+3", "the portal's zone, named: not the terminal's"


def test_offsets_read_as_people_write_them() -> None:
    assert offset_label(timedelta()) == "UTC"
    assert offset_label(timedelta(hours=3)) == "UTC+3"
    assert offset_label(timedelta(hours=5, minutes=30)) == "UTC+5:30"
    assert offset_label(-timedelta(hours=3, minutes=30)) == "UTC-3:30"


def test_the_user_carries_the_zone_of_their_profile() -> None:
    assert User.from_api({"ID": "1", "TIME_ZONE": "Europe/Moscow"}).time_zone == "Europe/Moscow"
    assert User.from_api({"ID": "1"}).time_zone == ""
