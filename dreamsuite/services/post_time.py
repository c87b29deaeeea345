"""A post's time: the wall-clock time the artist picks, in their timezone, as a UTC instant.

A time inside a spring-forward gap does not exist and is refused with a clear message; a time
inside a fall-back overlap happens twice and is asked about (AmbiguousTime) until the artist says
which one they mean.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dreamsuite.services.post_checks import PublishValidationError

# "Now" typed into the composer is a few seconds old by the time it is saved.
PAST_GRACE = timedelta(minutes=1)
# How far ahead a post may be scheduled (and so the range of dates we ever convert).
MAX_AHEAD = timedelta(days=2 * 365)


class AmbiguousTime(PublishValidationError):
    """A local time that happens twice (clocks go back): the artist picks which one.

    `choices` are (fold, label) pairs: fold 0 is the first occurrence, 1 the second.
    """

    def __init__(self, message: str, choices: list[tuple[int, str]]):
        super().__init__(message)
        self.choices = choices


def zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise PublishValidationError(f"Unknown timezone: {timezone!r}.") from None


def _offset(dt: datetime) -> str:
    off = dt.utcoffset() or timedelta(0)
    sign = "-" if off < timedelta(0) else "+"
    minutes = abs(int(off.total_seconds())) // 60
    return f"{dt.tzname()}, UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def local_to_utc(local_when: datetime, timezone: str, fold: int | None = None) -> datetime:
    """The UTC instant of a wall-clock time in `timezone` (fold: 0 the first, 1 the second of a
    time that happens twice)."""
    tz = zone(timezone)
    naive = local_when.replace(tzinfo=None)
    try:
        first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
        at_first, at_second = first.astimezone(UTC), second.astimezone(UTC)
        back = at_first.astimezone(tz).replace(tzinfo=None), at_second.astimezone(tz).replace(tzinfo=None)
    except (OverflowError, ValueError):
        raise PublishValidationError("That date is out of range; pick a date within the next two years.") from None
    if at_first == at_second:
        return at_first
    when = f"{naive:%H:%M} on {naive.day} {naive:%B %Y}"
    if naive not in back:
        raise PublishValidationError(
            f"{when} does not exist in {timezone}: the clocks go forward then. Pick another time.")
    if fold not in (0, 1):
        raise AmbiguousTime(
            f"{when} happens twice in {timezone} (the clocks go back). Which one do you mean?",
            [(0, f"The first {naive:%H:%M} ({_offset(first)})"), (1, f"The second {naive:%H:%M} ({_offset(second)})")])
    return at_first if fold == 0 else at_second
