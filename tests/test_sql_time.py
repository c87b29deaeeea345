"""UTC offsets over a range, for the databases that have no time zone data of their own."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dreamsuite.services.sql_time import as_date, offset_segments


@pytest.mark.parametrize("tz", ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/St_Johns",
                                "Asia/Kolkata", "UTC", "Pacific/Chatham"])
def test_segments_give_every_instant_its_own_offset(tz):
    zone = ZoneInfo(tz)
    start, end = datetime(2025, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    segments = offset_segments(zone, start, end)
    at = start
    while at < end:  # every 5 hours for two years, plus either side of each change
        checks = [at] + [u + timedelta(seconds=s) for u, _ in segments[:-1] if u for s in (-1, 0)]
        for when in checks:
            offset = next(o for u, o in segments if u is None or when < u)
            assert offset == when.astimezone(zone).utcoffset().total_seconds(), (tz, when)
        at += timedelta(hours=5)
    changes = len(segments) - 1
    assert changes == {"Asia/Kolkata": 0, "UTC": 0}.get(tz, 4)


def test_days_from_either_database_are_dates():
    assert as_date("2026-11-20") == as_date("2026-11-20 00:00:00") == datetime(2026, 11, 20).date()
    assert as_date(datetime(2026, 11, 20).date()) == datetime(2026, 11, 20).date()
