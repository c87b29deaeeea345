"""Gamification: experience points for what the artist does, posting streaks, and levels.

XP per deed (each earned once; the caller keeps the dedupe key):
    connected_platform   100  a platform connected (once per platform account)
    acted_on_insight      25  an insight acted on
    milestone            250  a follower milestone reached (goals.MILESTONES)
    goal_reached         500  a goal reached
    posting_streak            3 days: 30, 7: 100, 14: 250, 30: 750, 100: 3,000 (each
                              length once per streak, so a 7-day streak has earned 130)

Levels: going from level n to n + 1 takes 100 × n XP, so level n starts at 50 × n × (n − 1)
XP — level 2 at 100, 3 at 300, 5 at 1,000, 10 at 4,500, 20 at 19,000: early levels come in
days, later ones take months of steady work.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timezone
from math import isqrt
from typing import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

XP = {
    "connected_platform": 100,
    "acted_on_insight": 25,
    "milestone": 250,
    "goal_reached": 500,
}
STREAK_XP = {3: 30, 7: 100, 14: 250, 30: 750, 100: 3000}
LEVEL_STEP = 100  # XP from level n to n + 1 is LEVEL_STEP × n
LEVEL_NAMES = (  # (from level, name)
    (1, "Bedroom Artist"), (3, "Open Mic"), (5, "Local Act"), (8, "Opening Act"),
    (12, "Headliner"), (17, "Touring Artist"), (23, "Festival Act"), (30, "Icon"),
)


def xp_for(kind: str) -> int:
    """XP for one deed of `kind`; 0 for a kind not in the table."""
    return XP.get(kind, 0)


def streak_rewards(days: int) -> list[tuple[int, int]]:
    """(streak length, XP) of every streak length a streak of `days` days has reached."""
    return [(n, xp) for n, xp in sorted(STREAK_XP.items()) if days >= n]


@dataclass(frozen=True)
class Streak:
    current: int  # consecutive days with a post, up to today (or yesterday: today is not over)
    longest: int
    current_since: date | None  # the first day of the current streak

    def as_dict(self) -> dict:
        d = asdict(self)
        d["current_since"] = self.current_since.isoformat() if self.current_since else None
        return d


def _local_day(v, z: ZoneInfo) -> date | None:
    if isinstance(v, str):
        try:
            v = datetime.fromisoformat(v.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if isinstance(v, datetime):
        return (v if v.tzinfo else v.replace(tzinfo=timezone.utc)).astimezone(z).date()
    return v if isinstance(v, date) else None


def streak(post_dates: Iterable, tz: str = "UTC", today: date | None = None) -> Streak:
    """Posting streaks in the artist's timezone. `post_dates`: datetimes (aware, or naive
    UTC), ISO strings, or local dates. `today` defaults to the current day in `tz`; an
    unknown zone counts in UTC."""
    try:
        z = ZoneInfo(str(tz or "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        z = ZoneInfo("UTC")
    today = today or datetime.now(z).date()
    days = sorted({d for d in (_local_day(v, z) for v in post_dates or ()) if d and d <= today})
    if not days:
        return Streak(0, 0, None)
    longest, run, start = 1, 1, days[0]
    for a, b in zip(days, days[1:]):
        if (b - a).days == 1:
            run += 1
        else:
            run, start = 1, b
        longest = max(longest, run)
    alive = (today - days[-1]).days <= 1
    return Streak(run if alive else 0, longest, start if alive else None)


@dataclass(frozen=True)
class Level:
    level: int
    name: str
    xp_into_level: int  # XP earned since this level began
    xp_for_next: int  # XP this level takes in all (100 × level); the bar is into / for_next
    total_xp: int

    def as_dict(self) -> dict:
        return asdict(self)


def level_start(level: int) -> int:
    """Total XP at which `level` begins."""
    return LEVEL_STEP * level * (level - 1) // 2


def level_for(total_xp: int) -> Level:
    total = max(0, int(total_xp)) if isinstance(total_xp, (int, float)) and total_xp == total_xp else 0
    # largest n with 50·n·(n − 1) <= total
    n = max(1, (1 + isqrt(1 + 8 * total // LEVEL_STEP)) // 2)
    while level_start(n + 1) <= total:
        n += 1
    while n > 1 and level_start(n) > total:
        n -= 1
    name = [nm for start, nm in LEVEL_NAMES if start <= n][-1]
    return Level(n, name, total - level_start(n), LEVEL_STEP * n, total)
