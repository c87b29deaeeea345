"""A workspace shaped unlike the demo, written straight into the tables, for the insight tests.

An artist in Asia/Kolkata (UTC+05:30, so a local hour is never a UTC hour) with:

- Instagram through TWO accounts, both growing: every Instagram number is a sum;
- YouTube growing, with a `views` metric that triples from a release three weeks ago;
- TikTok growing, with a jump of +100 yesterday (three times a usual day, not enough to call
  the week faster) and today's count present, so yesterday can be judged;
- Facebook losing followers every week, its latest count yesterday (not synced today);
- with `more`: X, after months of losses, gaining four times as many followers in the last week as the
  week before: growing faster, yet no new high (its latest count yesterday, so the seventh
  day of the new pace is the newest judged: not unusual whatever the weekday);
- SoundCloud connected but without daily numbers: its posts have no rate at all; one of them
  is the latest release, a "single" three weeks ago (an older one before it);
- hashtags on Instagram: #LiveSession (any case) on five reels, #indie on reels and photos,
  #newmusic on photos only: #livesession does best among the posts rated over followers;
- posts of several types: Instagram's without reach (rated over followers), YouTube's with
  reach, carousels with reach on some only; four posts in one local slot, Saturday 00:00–01:00
  (Friday 18:45 UTC), one of them unrated; four Instagram reels on Wednesdays 19:00 local;
- goals: (with `more`) Instagram 20,000, already reached; YouTube by a deadline it will miss, and every
  platform added up (on its way).

Each account's daily change repeats a weekly pattern exactly, so nothing but the planted jump
is unusual whatever weekday today is. Dates are relative to today in the artist's timezone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from dreamsuite import db
from dreamsuite.models import ContentPost, DailyMetric, Goal, PlatformConnection
from dreamsuite.services.scope import Scope
from tests.helpers import make_workspace

TZ = "Asia/Kolkata"
HISTORY = 200
RELEASE_AGO = 21
WEEKLY = (3, -2, 0, 4, -1, 6, -10)  # by weekday; sums to 0
WEEKLY_SMALL = (1, 0, -1, 2, 0, -2, 0)


@dataclass
class Built:
    workspace_id: int
    scope: Scope
    today: date
    connections: dict[str, int] = field(default_factory=dict)
    goals: dict[str, int] = field(default_factory=dict)
    release: date | None = None


def local_today(tz: str = TZ) -> date:
    return db.utcnow().astimezone(ZoneInfo(tz)).date()


def _series(today: date, start: int, per_day: int, weekly, last: date | None = None,
            overrides: dict[date, int] | None = None) -> list[tuple[date, int]]:
    """Counts from HISTORY days ago up to `last` (default today): the change of each day is
    `per_day` + the weekday's offset, unless overridden."""
    last = last or today
    day, value, out = today - timedelta(days=HISTORY), start, []
    while day <= last:
        if out:
            value += (overrides or {}).get(day, per_day + weekly[day.weekday()])
        out.append((day, value))
        day += timedelta(days=1)
    return out


def _utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.utc)


def _weekdays_back(today: date, weekday: int, first_ago: int, last_ago: int) -> list[date]:
    """Every `weekday` (0 Monday) between `last_ago` and `first_ago` days ago, newest first."""
    return [d for ago in range(last_ago, first_ago + 1) if (d := today - timedelta(days=ago)).weekday() == weekday]


def build(email: str = "insights@example.com", more: bool = False) -> Built:
    """`more` adds X (growing faster) and a reached Instagram goal: two more findings, which
    push the lowest-priority ones past the engine's daily cap."""
    today = local_today()
    yesterday = today - timedelta(days=1)
    release = today - timedelta(days=RELEASE_AGO)
    _, ws, scope = make_workspace(email, timezone=TZ)
    out = Built(ws.id, scope, today, release=release)

    accounts = {  # name: (platform, series, views before/after the release or None)
        "ig_main": ("instagram", _series(today, 9_000, 40, WEEKLY), (400, 900)),
        "ig_side": ("instagram", _series(today, 2_500, 10, WEEKLY_SMALL), (100, 250)),
        "youtube": ("youtube", _series(today, 6_000, 40, WEEKLY), (1_000, 3_000)),
        "tiktok": ("tiktok", _series(today, 3_000, 30, WEEKLY[2:] + WEEKLY[:2], overrides={yesterday: 100}), None),
        "facebook": ("facebook", _series(today, 12_000, -20, WEEKLY_SMALL, last=yesterday), None),
        # X: losing 10 a day for months, then +10 a day, then +40 a day over the last week (to
        # yesterday): growing faster, still far below its old high.
        **({"x": ("x", _series(today, 6_000, -10, WEEKLY_SMALL, last=yesterday,
                           overrides={yesterday - timedelta(days=i): 40 if i < 7 else 10 for i in range(14)}),
              None)} if more else {}),
        "soundcloud": ("soundcloud", [], None),
    }
    with db.session() as s:
        for name, (platform, series, views) in accounts.items():
            conn = PlatformConnection(workspace_id=ws.id, platform=platform, platform_user_id=f"{name}-id",
                                      username=name)
            s.add(conn)
            s.flush()
            out.connections[name] = conn.id
            prev = None
            for day, count in series:
                metrics = {}
                if views:
                    metrics["views"] = (views[1] if day >= release else views[0]) + 10 * day.weekday()
                s.add(DailyMetric(workspace_id=ws.id, connection_id=conn.id, platform=platform, date=day,
                                  follower_count=count, follower_change_24h=count - prev if prev else 0,
                                  metrics=metrics))
                prev = count
        s.flush()
        for post in _posts(today, release):
            name = post.pop("account")
            s.add(ContentPost(workspace_id=ws.id, connection_id=out.connections[name],
                              platform=accounts[name][0], **post))
        goals = {
            **({"instagram_reached": Goal(
                workspace_id=ws.id, platform="instagram", target=20_000, deadline=today + timedelta(days=60),
                title="20,000 on Instagram")} if more else {}),
            # +40 a day from ~14,000: 1,200 more is about 30 days away; the deadline is in 10.
            "youtube_late": Goal(workspace_id=ws.id, platform="youtube", target=_last(accounts, "youtube") + 1_200,
                                 deadline=today + timedelta(days=10), title="YouTube by a deadline it misses"),
            # Every platform: about +100 a day; 2,500 more is some 25 days away, the deadline in a year.
            "total": Goal(workspace_id=ws.id, platform=None,
                          target=sum(_last(accounts, n) for n in accounts if accounts[n][1]) + 2_500,
                          deadline=today + timedelta(days=365), title="Every platform together"),
        }
        for key, goal in goals.items():
            s.add(goal)
            s.flush()
            out.goals[key] = goal.id
    return out


def _last(accounts, name: str) -> int:
    return accounts[name][1][-1][1]


def _posts(today: date, release: date) -> list[dict]:
    posts: list[dict] = []

    def add(account: str, kind: str, at: datetime, likes: int, comments: int = 0, shares: int = 0,
            saves: int = 0, reach: int = 0, views: int = 0, tags: tuple[str, ...] = ()) -> None:
        posts.append({"account": account, "platform_post_id": f"{account}-{len(posts)}", "post_type": kind,
                      "posted_at": at, "likes": likes, "comments": comments, "shares": shares,
                      "saves": saves, "reach": reach, "views": views, "caption": f"{kind} {len(posts)}",
                      "hashtags": list(tags)})

    # Instagram, no reach anywhere: rated over the platform's followers (both accounts).
    wednesdays = _weekdays_back(today, 2, 80, 3)
    for i, day in enumerate(wednesdays[:4]):  # local Wednesday 19:00 = 13:30 UTC
        add("ig_main" if i % 2 else "ig_side", "Reel" if i == 0 else "reel", _utc(day, 13, 30),
            likes=500 + 7 * i, comments=40, shares=30, saves=30 + i, tags=("LiveSession", "indie"))
    for i in range(4):  # more reels, each in a slot of its own
        add("ig_main", "reel", _utc(today - timedelta(days=10 + 9 * i), 4 + i, 5), likes=520 + 11 * i,
            comments=35, shares=25, saves=28, tags=("livesession",) if i == 0 else ("indie",))
    for i in range(6):
        add("ig_main" if i % 3 else "ig_side", "photo", _utc(today - timedelta(days=6 + 11 * i), 9, 10 + i),
            likes=120 + 5 * i, comments=10, tags=("indie", "newmusic") if i % 2 else ("newmusic",))
    for i in range(5):  # reach on three of five: a mixed group, compared with nothing
        add("ig_main", "carousel", _utc(today - timedelta(days=8 + 13 * i), 11, 20), likes=180, comments=20,
            reach=4_000 if i < 3 else 0)

    # YouTube, with reach: shorts far above long videos.
    fridays = _weekdays_back(today, 4, 80, 3)
    for i, day in enumerate(fridays[:3]):  # Friday 18:45 UTC = Saturday 00:15 local
        add("youtube", "short", _utc(day, 18, 45), likes=1_400 + 20 * i, comments=120, shares=80,
            reach=20_000 + 500 * i, views=30_000)
    for i in range(3):
        add("youtube", "short", _utc(today - timedelta(days=12 + 17 * i), 15, 0), likes=1_450, comments=110,
            shares=60, reach=21_000, views=31_000)
    for i in range(6):
        add("youtube", "video", _utc(today - timedelta(days=5 + 12 * i), 7, 45), likes=130 + 3 * i,
            comments=20, reach=5_000 + 100 * i, views=8_000)

    # SoundCloud: no followers known, no reach: no rate. One track in the best slot.
    add("soundcloud", "track", _utc(fridays[3], 18, 50), likes=90, comments=4)
    add("soundcloud", "single", _utc(release, 6, 0), likes=300, comments=25)
    add("soundcloud", "single", _utc(today - timedelta(days=100), 6, 0), likes=200, comments=10)
    return posts
