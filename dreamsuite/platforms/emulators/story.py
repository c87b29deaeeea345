"""One artist's story, told the same way by every emulated platform.

A persona (the name an account was created with) fixes everything: the audience on each
platform, how fast it grows (one platform declines), the weekly rhythm (weekends win), a
release that lifts Spotify followers and YouTube views the same week, and the content: reels
outperform photos, shorts outperform long videos. Every number is a pure function of
(persona, platform, date), so collecting twice gives the same rows; the story is anchored on
the day the persona was first seen, so history does not move as days pass.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

HISTORY_DAYS = 400
RELEASE_DAYS_BEFORE_ANCHOR = 40
# Share of a week's growth on each day, Monday..Sunday: the weekend wins.
WEEKDAY_WEIGHT = (0.9, 0.85, 0.9, 1.0, 1.1, 1.3, 1.25)


@dataclass(frozen=True)
class ContentType:
    name: str
    share: float  # of the platform's posts
    lift: float  # engagement compared with the platform's plain post


@dataclass(frozen=True)
class Profile:
    audience: float  # followers at the start of the history
    growth: float  # per day, compounding (negative: a declining platform)
    release_lift: float  # lasting share of the audience the release adds, over its first week
    engagement: float  # interactions of an average post, as a share of followers
    posts_per_week: float
    types: tuple[ContentType, ...]
    views_per_follower: float = 0.0  # for video platforms: views of an average post per follower


PROFILES: dict[str, Profile] = {
    "instagram": Profile(12_000, 0.0016, 0.05, 0.045, 4, (
        ContentType("reel", 0.4, 2.2), ContentType("photo", 0.35, 1.0), ContentType("carousel", 0.25, 1.4)),
        views_per_follower=0.9),
    "facebook": Profile(8_000, -0.0006, 0.01, 0.012, 3, (
        ContentType("post", 0.5, 1.0), ContentType("photo", 0.3, 1.3), ContentType("video", 0.2, 1.6)),
        views_per_follower=0.2),
    "youtube": Profile(3_000, 0.0022, 0.12, 0.03, 2, (
        ContentType("video", 0.5, 1.0), ContentType("short", 0.5, 1.8)), views_per_follower=4.0),
    "spotify": Profile(5_000, 0.0025, 0.15, 0.0, 0.25, (ContentType("track", 1.0, 1.0),)),
    "tiktok": Profile(20_000, 0.003, 0.08, 0.06, 5, (ContentType("video", 1.0, 1.0),), views_per_follower=2.5),
    "soundcloud": Profile(2_000, 0.0005, 0.04, 0.02, 0.5, (ContentType("track", 1.0, 1.0),),
                          views_per_follower=1.5),
    "x": Profile(4_000, -0.001, 0.02, 0.01, 6, (ContentType("post", 0.8, 1.0), ContentType("video", 0.2, 1.5)),
                 views_per_follower=0.6),
    "deezer": Profile(1_500, 0.001, 0.06, 0.0, 0.25, (ContentType("track", 1.0, 1.0),)),
}

_TAGS = ["newmusic", "indie", "singersongwriter", "livemusic", "studio", "bedroompop", "unsigned",
         "musician", "newsingle", "tour", "acoustic", "behindthescenes"]
_CAPTIONS = {
    "reel": ["30 seconds of the chorus that kept me up all night", "How this beat was made, in one take",
             "The bridge, slowed down"],
    "photo": ["Tonight's setlist is up. Which one do you want to hear live?", "Rehearsal notes, coffee, repeat."],
    "carousel": ["Tour diary: ten days in ten pictures", "Every cover we tried before the final one"],
    "post": ["Thank you for every message this week.", "Writing again. Something new is coming."],
    "video": ["Full live session from the rooftop", "Studio diary, part two", "Acoustic version, recorded at home"],
    "short": ["The hook in 15 seconds", "One take, no edits"],
    "track": ["New single", "B-side", "Live at the Roundhouse", "Acoustic version", "Demo"],
}
_FANS = ["mira.sounds", "jonas_b", "elle.writes", "tomasz.k", "amara_music", "rudy.beats", "sofia.vinyl",
         "ken_on_keys", "leah.listens", "noor.nights", "ben_live", "ola.plays"]
_COMMENTS = ["This is on repeat", "When are you coming to Berlin?", "The chorus!!", "Been waiting for this",
             "Goosebumps every time", "Need the full version", "Saw you live last month, unreal",
             "Who produced this?", "Perfect for late drives", "Instant favourite"]


def _seed(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:8], "big")


def rng(*parts: object) -> random.Random:
    return random.Random(_seed(*parts))


@dataclass(frozen=True)
class Post:
    id: str
    type: str
    posted_at: datetime  # aware UTC
    caption: str
    hashtags: tuple[str, ...]
    likes: int
    comments: int
    shares: int
    saves: int
    views: int
    reach: int
    impressions: int
    duration_s: int = 0


@dataclass(frozen=True)
class Comment:
    id: str
    post_id: str
    author: str
    text: str
    created_at: datetime
    likes: int
    parent_id: str = ""


@dataclass
class Story:
    persona: str
    anchor: date  # the day the persona was first seen
    scale: float = field(default=1.0)

    @property
    def start(self) -> date:
        return self.anchor - timedelta(days=HISTORY_DAYS)

    @property
    def release(self) -> date:
        return self.anchor - timedelta(days=RELEASE_DAYS_BEFORE_ANCHOR)

    def _profile(self, platform: str) -> Profile:
        return PROFILES[platform]

    def _base(self, platform: str) -> float:
        return self._profile(platform).audience * self.scale * (0.7 + 0.6 * rng(self.persona, platform).random())

    def followers(self, platform: str, day: date) -> int:
        """The audience at the end of `day` (0 before the story starts)."""
        if day < self.start:
            return 0
        p = self._profile(platform)
        n = (day - self.start).days
        value = self._base(platform) * (1 + p.growth) ** n
        # The release adds a lasting lift, gained mostly in its first week.
        since = (day - self.release).days
        if since >= 0:
            value *= 1 + p.release_lift * (1 - math.exp(-since / 3))
        # Weekly rhythm and a little noise, both around 1 so the trend holds.
        wiggle = 1 + 0.002 * (WEEKDAY_WEIGHT[day.weekday()] - 1) + 0.0008 * (rng(self.persona, platform, day).random() - 0.5)
        return max(0, int(round(value * wiggle)))

    def daily_views(self, platform: str, day: date) -> int:
        """Views of the account's content that day (the release week spikes on video platforms)."""
        p = self._profile(platform)
        base = self.followers(platform, day) * max(p.views_per_follower, 0.05) / 7
        since = (day - self.release).days
        spike = 1 + (3.0 * math.exp(-since / 4) if since >= 0 and platform in ("youtube", "spotify") else 0)
        return int(base * WEEKDAY_WEIGHT[day.weekday()] * spike * (0.9 + 0.2 * rng(self.persona, platform, "v", day).random()))

    def posts(self, platform: str, until: date) -> list[Post]:
        """Every post from the story's start to `until`, oldest first (stable ids and numbers)."""
        p = self._profile(platform)
        out: list[Post] = []
        day = self.start
        while day <= until:
            r = rng(self.persona, platform, "posts", day)
            if r.random() < p.posts_per_week / 7:
                out.append(self._post(platform, day, r))
            day += timedelta(days=1)
        return out

    def _post(self, platform: str, day: date, r: random.Random) -> Post:
        p = self._profile(platform)
        roll, acc, kind = r.random(), 0.0, p.types[0]
        for t in p.types:
            acc += t.share
            if roll <= acc:
                kind = t
                break
        posted = datetime.combine(day, time(hour=r.choice([9, 12, 17, 18, 19, 20, 21]), minute=r.randint(0, 59)),
                                  tzinfo=UTC)
        audience = self.followers(platform, day)
        weekend = 1.25 if day.weekday() >= 5 else 1.0
        interactions = audience * p.engagement * kind.lift * weekend * (0.6 + 0.8 * r.random())
        views = int(audience * p.views_per_follower * kind.lift * (0.5 + r.random())) if p.views_per_follower else 0
        caption_options = _CAPTIONS.get(kind.name, _CAPTIONS["post"])
        tags = tuple(r.sample(_TAGS, r.randint(1, 3)))
        caption = f"{r.choice(caption_options)} " + " ".join(f"#{t}" for t in tags)
        reach = int(audience * (0.2 + 0.4 * r.random()) * kind.lift)
        return Post(
            id=f"{_seed(self.persona, platform, day) % 10**15:015d}", type=kind.name, posted_at=posted,
            caption=caption, hashtags=tags, likes=int(interactions * 0.8), comments=int(interactions * 0.06),
            shares=int(interactions * 0.08), saves=int(interactions * 0.06), views=views, reach=reach,
            impressions=int(reach * (1.3 + 0.4 * r.random())),
            duration_s=r.randint(15, 59) if kind.name in ("short", "reel") else r.randint(120, 600),
        )

    def comments(self, platform: str, post: Post, until: date) -> list[Comment]:
        r = rng(self.persona, platform, "comments", post.id)
        out = []
        for i in range(min(post.comments, 6)):
            when = post.posted_at + timedelta(hours=1 + i * 3)
            if when.date() > until:
                break
            cid = f"{post.id}{i:03d}"
            out.append(Comment(cid, post.id, r.choice(_FANS), r.choice(_COMMENTS), when, r.randint(0, 40)))
            if r.random() < 0.3:
                out.append(Comment(f"{cid}r", post.id, "artist", "Thank you so much!", when + timedelta(hours=2),
                                   r.randint(0, 10), parent_id=cid))
        return out

    def audience(self, platform: str) -> dict:
        """Demographics: age brackets, gender, top countries and cities (shares summing to 1)."""
        r = rng(self.persona, platform, "audience")
        ages = {"13-17": 4, "18-24": 30, "25-34": 36, "35-44": 17, "45-54": 8, "55-64": 3, "65+": 2}
        ages = {k: v * (0.8 + 0.4 * r.random()) for k, v in ages.items()}
        countries = {"DE": 30, "US": 22, "GB": 14, "FR": 10, "NL": 8, "PL": 6, "ES": 5, "BR": 5}
        countries = {k: v * (0.7 + 0.6 * r.random()) for k, v in countries.items()}
        cities = {"Berlin, DE": 14, "London, GB": 9, "Hamburg, DE": 7, "Paris, FR": 6, "New York, US": 6,
                  "Amsterdam, NL": 5, "Warsaw, PL": 4}
        female = 0.45 + 0.15 * r.random()
        return {"age": _shares(ages), "gender": {"F": round(female, 3), "M": round(0.97 - female, 3), "U": 0.03},
                "countries": _shares(countries), "cities": _shares(cities)}

    def account_day(self, platform: str, day: date) -> dict:
        """One day of the account's own numbers, as platforms report them per day: views, reach,
        profile visits, link taps by kind, engaged accounts, interactions, and follows and
        unfollows (their difference is exactly the day's change in followers). {} before the story."""
        if day < self.start:
            return {}
        r = rng(self.persona, platform, "account-day", day)
        views = self.daily_views(platform, day)
        prev = self.followers(platform, day - timedelta(days=1)) if day > self.start else self.followers(platform, day)
        net = self.followers(platform, day) - prev
        churn = int(self.followers(platform, day) * 0.0006 * (0.5 + r.random()))
        reach = int(views * (0.45 + 0.2 * r.random()))
        profile_views = int(reach * (0.04 + 0.03 * r.random()))
        taps = int(profile_views * (0.08 + 0.06 * r.random()))
        engaged = int(reach * (0.08 + 0.05 * r.random()))
        return {"views": views, "reach": reach, "profile_views": profile_views, "website_clicks": taps,
                "email_clicks": int(taps * 0.15), "call_clicks": int(taps * 0.05), "text_clicks": int(taps * 0.03),
                "direction_clicks": int(taps * 0.02), "accounts_engaged": engaged,
                "total_interactions": int(engaged * (1.4 + 0.6 * r.random())), "video_views": int(views * 0.3),
                "follows": churn + max(0, net), "unfollows": churn + max(0, -net)}

    def stories(self, platform: str, now: datetime) -> list[Post]:
        """Ephemeral stories still live at `now` (posted in the 24 hours before it), oldest first."""
        out: list[Post] = []
        for day in (now.date() - timedelta(days=1), now.date()):
            if day < self.start:
                continue
            r = rng(self.persona, platform, "stories", day)
            for i in range(r.choice([0, 1, 1, 2, 3])):
                at = datetime.combine(day, time(hour=r.randint(8, 22), minute=r.randint(0, 59)), tzinfo=UTC)
                reach = int(self.followers(platform, day) * (0.05 + 0.1 * r.random()))
                views = int(reach * (1.1 + 0.3 * r.random()))
                if now - timedelta(hours=24) < at <= now:
                    out.append(Post(id=f"{_seed(self.persona, platform, 'story', day, i) % 10**15:015d}", type="story",
                                    posted_at=at, caption="", hashtags=(), likes=0, comments=int(reach * 0.004),
                                    shares=int(reach * 0.003), saves=0, views=views, reach=reach, impressions=views,
                                    duration_s=15))
        return sorted(out, key=lambda p: p.posted_at)

    def online_hours(self, platform: str) -> dict[int, float]:
        """Share of the audience online in each hour of the day (UTC); evenings peak."""
        r = rng(self.persona, platform, "online")
        peak = 18 + r.randint(0, 3)
        return {h: round(0.08 + 0.35 * math.exp(-min(abs(h - peak), 24 - abs(h - peak)) ** 2 / 12)
                         + 0.02 * r.random(), 3) for h in range(24)}


def _shares(weights: dict[str, float]) -> dict[str, float]:
    total = sum(weights.values())
    return {k: round(v / total, 4) for k, v in weights.items()}


@lru_cache(maxsize=512)
def story(persona: str, anchor: date) -> Story:
    return Story(persona=persona, anchor=anchor)
