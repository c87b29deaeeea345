"""Dates and local times of a timestamp column computed in SQL, on SQLite and PostgreSQL alike.

Grouping posts by local weekday and hour, or by week, in the database returns a few hundred
rows where reading every post would return thousands. PostgreSQL converts with its own time
zone database (`timezone(zone, ts)`); SQLite has none, so the zone's UTC offsets over the
range are worked out here with zoneinfo and applied per segment (a daylight-saving change
inside the range becomes one more CASE branch).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Date, Integer, case, cast, func, literal
from sqlalchemy.sql.elements import ColumnElement

STEP = timedelta(days=7)  # offsets never change twice within a week


def _offset(zone: ZoneInfo, at: datetime) -> int:
    return int(at.astimezone(zone).utcoffset().total_seconds())


def offset_segments(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime | None, int]]:
    """[(until, offset seconds)] covering [start, end]: each offset holds until the next
    segment's instant; the last one has `until` None."""
    out: list[tuple[datetime | None, int]] = []
    at, current = start, _offset(zone, start)
    while at < end:
        nxt = min(at + STEP, end)
        if _offset(zone, nxt) != current:
            lo, hi = at, nxt  # the change lies in (lo, hi]: narrow it to the second
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                if _offset(zone, mid) == current:
                    lo = mid
                else:
                    hi = mid
            out.append((hi.replace(microsecond=0), current))
            current = _offset(zone, hi)
        at = nxt
    out.append((None, current))
    return out


def _sqlite_shift(column, zone: ZoneInfo, start: datetime, end: datetime):
    segments = offset_segments(zone, start, end)
    if len(segments) == 1:
        seconds = literal(segments[0][1])
    else:
        seconds = case(*[(column < until, offset) for until, offset in segments[:-1]], else_=segments[-1][1])
    return seconds.concat(literal(" seconds"))


def local_weekday_hour(dialect: str, column, tz: str, start: datetime, end: datetime
                       ) -> tuple[ColumnElement, ColumnElement]:
    """(weekday 0 = Monday, hour 0–23) of `column` in `tz`, for rows between start and end (UTC)."""
    zone = ZoneInfo(tz)
    if dialect == "postgresql":
        local = func.timezone(tz, column)
        return (cast(func.extract("isodow", local), Integer) - 1, cast(func.extract("hour", local), Integer))
    shift = _sqlite_shift(column, zone, start - timedelta(days=1), end + timedelta(days=1))
    weekday = (cast(func.strftime("%w", column, shift), Integer) + 6) % 7  # %w: 0 = Sunday
    return weekday, cast(func.strftime("%H", column, shift), Integer)


def utc_day(dialect: str, column) -> ColumnElement:
    """The UTC calendar day of an aware timestamp column."""
    if dialect == "postgresql":
        return cast(func.timezone("UTC", column), Date)
    return func.date(column)


def utc_week(dialect: str, column) -> ColumnElement:
    """The Monday that starts the (UTC) week of the timestamp."""
    if dialect == "postgresql":
        return cast(func.date_trunc("week", func.timezone("UTC", column)), Date)
    return func.date(column, "weekday 0", "-6 days")


def as_date(value):
    """A day as SQLite ('2026-11-20') or PostgreSQL (a date) hands it back: always a date."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return value.astimezone(UTC).date() if value.tzinfo else value.date()
    return value
