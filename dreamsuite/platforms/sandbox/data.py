"""Deterministic, realistic data for a sandbox artist.

Every number is a pure function of (user id, date, today): collecting twice gives the
same rows, and "today" does not change during the day. Posts live on absolute dates
(stable ids); only the release is placed relative to today, ~45 days back, and its
follower lift settles to a lasting level so recent days agree from one day to the next.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

HISTORY_DAYS = 200
EPOCH = date(2025, 1, 1)  # growth is anchored here, not to today, so history stays put
DEFAULT_USER = "sbx-artist-1"

# Share of the week's new followers gained by each day, Monday..Sunday: weekends win.
_WEEK_FRACTION = (0.0, 0.08, 0.16, 0.24, 0.34, 0.62, 0.85)
_WEEKEND = (1.0, 1.0, 1.0, 1.05, 1.1, 1.3, 1.25)

_NAMES = ["Luna Vale", "Maya Okafor", "Nova Reyes", "The Paper Lanterns", "Iris Calder", "Kofi Mensah"]
_TYPES = [("post", 35), ("reel", 25), ("video", 15), ("story", 15), ("track", 10)]
_TAGS = ["newmusic", "indie", "singersongwriter", "livemusic", "studio", "bedroompop",
         "unsigned", "musician", "newsingle", "tour", "acoustic", "behindthescenes"]
_CAPTIONS = {
    "post": ["Tonight's setlist is up. Which one do you want to hear live?",
             "Rehearsal notes, coffee, repeat.", "Thank you for every message this week."],
    "reel": ["30 seconds of the chorus that kept me up all night",
             "How this beat was made, in one take", "The bridge, slowed down"],
    "video": ["Full live session from the rooftop", "Studio diary, part two",
              "Acoustic version, recorded at home"],
    "story": ["On my way to soundcheck", "Guess the song from the first chord"],
    "track": ["New demo up: tell me what you think", "Unreleased B-side, just for you"],
}
_FANS = ["mira.sounds", "jonas_b", "elle.writes", "tomasz.k", "amara_music", "rudy.beats",
         "sofia.vinyl", "ken_on_keys", "leah.listens", "noor.nights", "ben_live", "ola.plays"]
_COMMENTS = ["This is on repeat 🔥", "When are you coming to Berlin?", "The chorus!!",
             "Been waiting for this", "Goosebumps every time", "Need the full version",
             "Saw you live last month, unreal", "Who produced this?", "Perfect for late drives",
             "Instant favourite"]
_REPLIES = ["Thank you so much 🙏", "Soon, promise!", "Means a lot, see you there",
            "Full version coming with the next release"]


def _seed(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:8], "big")


def _rng(*parts: object) -> random.Random:
    return random.Random(_seed(*parts))


@dataclass(frozen=True)
class Artist:
    user_id: str
    username: str
    display_name: str
    base_followers: float  # at EPOCH
    growth: float  # per day, compounding
    engagement_rate: float
    peak_lift: float  # follower jump the release brings
    release_offset: int  # days before today


@lru_cache(maxsize=256)
def artist(user_id: str) -> Artist:
    r = _rng(user_id, "artist")
    name = r.choice(_NAMES)
    return Artist(
        user_id=user_id,
        username=name.lower().replace("the ", "").replace(" ", "") + str(r.randint(1, 99)),
        display_name=name,
        base_followers=r.uniform(6_000, 30_000),
        growth=r.uniform(0.0012, 0.0025),
        engagement_rate=r.uniform(0.025, 0.045),
        peak_lift=r.uniform(0.15, 0.25),
        release_offset=r.randint(42, 48),
    )


def short_id(user_id: str) -> str:
    return hashlib.sha256(user_id.encode()).hexdigest()[:6]


def release_date(a: Artist, today: date) -> date:
    return today - timedelta(days=a.release_offset)


def _trend(a: Artist, d: date) -> float:
    return a.base_followers * math.exp(a.growth * (d - EPOCH).days)


def _lift(a: Artist, k: int) -> float:
    """Follower lift k days after the release: builds over 4 days, settles at 70% of the peak."""
    if k < 0:
        return 0.0
    if k < 4:
        return a.peak_lift * (k + 1) / 4
    keep = 0.7 * a.peak_lift
    return keep + (a.peak_lift - keep) * math.exp(-(k - 3) / 12)


def _buzz(k: int) -> float:
    """Extra activity (engagement, streams) around the release, fully decaying."""
    return 0.0 if k < 0 else 1.2 * math.exp(-k / 6)


def followers(a: Artist, d: date, today: date) -> int:
    monday = d - timedelta(days=d.weekday())
    t0, t1 = _trend(a, monday), _trend(a, monday + timedelta(days=7))
    base = t0 + (t1 - t0) * _WEEK_FRACTION[d.weekday()]
    noise = _rng(a.user_id, "noise", d).gauss(0, base * 0.0006)
    return round(base * (1 + _lift(a, (d - release_date(a, today)).days)) + noise)


def _slots(user_id: str, d: date) -> int:
    r = _rng(user_id, "slots", d)
    x = r.random()
    return 2 if x < 0.02 else 1 if x < 0.2 else 0


def _content_before(user_id: str, d: date) -> int:
    """Posts published since EPOCH up to and including d, plus a back catalogue."""
    return 60 + sum(_slots(user_id, EPOCH + timedelta(days=i)) for i in range((d - EPOCH).days + 1))


def daily_metrics(user_id: str, today: date, since: date | None = None) -> list[dict]:
    a = artist(user_id)
    start = today - timedelta(days=HISTORY_DAYS - 1)
    if since and since > start:
        start = since
    out = []
    content = _content_before(user_id, start - timedelta(days=1))
    for i in range((today - start).days + 1):
        d = start + timedelta(days=i)
        content += _slots(user_id, d)
        f = followers(a, d, today)
        k = (d - release_date(a, today)).days
        r = _rng(user_id, "day", d)
        activity = _WEEKEND[d.weekday()] * (1 + _buzz(k)) * r.uniform(0.85, 1.15)
        engagement = round(f * a.engagement_rate * activity)
        out.append({
            "date": d.isoformat(),
            "follower_count": f,
            "engagement_total": engagement,
            "content_count": content,
            "metrics": {
                "monthly_listeners": round(f * 2.1 * (1 + 1.5 * _lift(a, k))),
                "streams": round(f * 0.35 * activity),
                "profile_views": round(engagement * 0.3 * r.uniform(0.9, 1.1)),
            },
        })
    return out


def _stats(a: Artist, post_type: str, reach_base: float, age_days: int, r: random.Random) -> dict:
    quality = r.lognormvariate(0, 0.45)
    mature = 1 - math.exp(-(age_days + 1) / 2)  # most reactions arrive in the first days
    reach = reach_base * quality * mature
    s = {
        "reach": round(reach),
        "impressions": round(reach * r.uniform(1.2, 1.8)),
        "likes": round(reach * a.engagement_rate * 2.2 * r.uniform(0.8, 1.2)),
        "shares": round(reach * 0.004 * r.uniform(0.5, 1.5)),
        "saves": round(reach * 0.006 * r.uniform(0.5, 1.5)),
        "views": 0,
        "plays": 0,
    }
    if post_type in ("reel", "video", "story"):
        s["views"] = round(reach * r.uniform(1.1, 1.6))
    if post_type == "track":
        s["plays"] = round(reach * r.uniform(0.8, 1.4))
    if post_type == "story":
        s["shares"] = s["saves"] = 0
    return s


def _post(a: Artist, pid: str, when: datetime, post_type: str, caption: str, tags: list[str],
          reach_base: float, today: date, r: random.Random) -> dict:
    return {
        "id": pid,
        "type": post_type,
        "caption": caption + " " + " ".join("#" + t for t in tags),
        "hashtags": tags,
        "created_at": when.isoformat(),
        **_stats(a, post_type, reach_base, (today - when.date()).days, r),
    }


@lru_cache(maxsize=64)
def _history(user_id: str, today: date) -> tuple[tuple[dict, ...], tuple[dict, ...]]:
    """Posts and comments of the last HISTORY_DAYS days, before today (so stable all day)."""
    a, sid = artist(user_id), short_id(user_id)
    posts: list[dict] = []
    for i in range(HISTORY_DAYS, 0, -1):
        d = today - timedelta(days=i)
        for slot in range(_slots(user_id, d)):
            r = _rng(user_id, "post", d, slot)
            kind = r.choices([t for t, _ in _TYPES], weights=[w for _, w in _TYPES])[0]
            when = datetime.combine(d, time(r.choice([9, 12, 17, 18, 19, 20, 21]), r.randrange(60)))
            tags = r.sample(_TAGS, r.randint(2, 5))
            reach = followers(a, d, today) * r.uniform(0.12, 0.3)
            posts.append(_post(a, f"{sid}_{d:%Y%m%d}_{slot}", when, kind, r.choice(_CAPTIONS[kind]),
                               tags, reach, today, r))
    rel = release_date(a, today)
    r = _rng(user_id, "release")
    posts.append(_post(a, f"{sid}_release", datetime.combine(rel, time(17, 0)), "track",
                       "OUT NOW: 'Midnight Static', the new single. Link in bio.",
                       ["newsingle", "newmusic", "indie"], followers(a, rel, today) * 0.9, today, r))
    posts.sort(key=lambda p: (p["created_at"], p["id"]))

    midnight = datetime.combine(today, time())
    comments: list[dict] = []
    for p in posts:
        if p["type"] == "story":
            continue
        r = _rng(user_id, "comments", p["id"])
        posted = datetime.fromisoformat(p["created_at"])
        mine: list[dict] = []
        for i in range(r.randint(2, 8 if p["id"].endswith("release") else 5)):
            when = posted + timedelta(minutes=r.randint(5, 2880))
            c = {"id": f"{p['id']}_c{i}", "post_id": p["id"], "parent_id": "", "author": r.choice(_FANS),
                 "text": r.choice(_COMMENTS), "likes": r.randint(0, 40), "created_at": when.isoformat()}
            mine.append(c)
            if r.random() < 0.3:
                reply_at = when + timedelta(minutes=r.randint(10, 600))
                mine.append({"id": f"{c['id']}r", "post_id": p["id"], "parent_id": c["id"], "author": a.username,
                             "text": r.choice(_REPLIES), "likes": r.randint(0, 10),
                             "created_at": reply_at.isoformat()})
        visible = [c for c in mine if datetime.fromisoformat(c["created_at"]) < midnight]
        p["comments"] = len(visible)
        comments.extend(visible)
    comments.sort(key=lambda c: (c["created_at"], c["id"]))
    return tuple(posts), tuple(comments)


def posts(user_id: str, today: date) -> list[dict]:
    return [dict(p) for p in _history(user_id, today)[0]]


def comments(user_id: str, today: date) -> list[dict]:
    return [dict(c) for c in _history(user_id, today)[1]]
