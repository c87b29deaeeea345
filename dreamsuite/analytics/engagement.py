"""Engagement over plain numbers and post dicts (likes, comments, shares, saves, views...)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Iterable, Mapping

INTERACTIONS = ("likes", "comments", "shares", "saves")
AVERAGED = INTERACTIONS + ("views", "plays", "reach")


def engagement_rate(engagement: int | float | None, followers: int | float | None) -> float | None:
    """Engagement as a percentage of followers; None without an audience to divide by."""
    if engagement is None or not followers or followers <= 0:
        return None
    return round(engagement / followers * 100, 2)


def post_engagement(post: Mapping) -> int:
    return sum(int(post.get(k) or 0) for k in INTERACTIONS)


def per_post_averages(posts: Iterable[Mapping]) -> dict | None:
    ps = list(posts)
    if not ps:
        return None
    out: dict = {"posts": len(ps)}
    for k in AVERAGED:
        out[k] = round(sum(int(p.get(k) or 0) for p in ps) / len(ps), 1)
    out["engagement"] = round(sum(post_engagement(p) for p in ps) / len(ps), 1)
    return out


def top_posts(posts: Iterable[Mapping], limit: int = 5, followers: int | None = None) -> list[dict]:
    """Posts with the most interactions first (newest first on ties), each with its
    `engagement` and, given followers, `engagement_rate`."""
    if limit < 1:
        return []
    ranked = []
    for p in posts:
        d = dict(p)
        d["engagement"] = post_engagement(p)
        if followers is not None:
            d["engagement_rate"] = engagement_rate(d["engagement"], followers)
        ranked.append(d)
    ranked.sort(key=lambda d: str(d.get("posted_at") or ""), reverse=True)
    ranked.sort(key=lambda d: d["engagement"], reverse=True)  # stable: ties stay newest first
    return ranked[:limit]


# --- Rates per post, and groups of posts ------------------------------------------------
#
# A post's rate is its interactions (likes + comments + shares + saves) over the people it
# reached, in %. Reach is what the platform counted for that post; when it gave none, the
# account's followers stand in, and `basis` says which was used: the two are not the same
# measure (a rate over reach is usually higher), so groups say when they mix them.

_TAG = re.compile(r"#(\w+)", re.UNICODE)


def number(value) -> float:
    """A count from a post dict: missing, None, junk or negative counts as 0."""
    if isinstance(value, bool):
        return 0.0
    if isinstance(value, (int, float)):
        return float(value) if value == value and value > 0 else 0.0
    try:
        v = float(str(value).strip())
    except (TypeError, ValueError):
        return 0.0
    return v if v == v and v > 0 else 0.0


def interactions(post: Mapping) -> float:
    return sum(number(post.get(k)) for k in INTERACTIONS)


def posted_at(post: Mapping) -> datetime | None:
    """The post's time as an aware UTC datetime (naive values are taken as UTC); None if unreadable."""
    v = post.get("posted_at")
    if isinstance(v, str):
        try:
            v = datetime.fromisoformat(v.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(v, datetime):
        return None
    return v.replace(tzinfo=timezone.utc) if v.tzinfo is None else v.astimezone(timezone.utc)


@dataclass(frozen=True)
class Rate:
    value: float  # %
    basis: str  # "reach" | "followers"

    def as_dict(self) -> dict:
        return asdict(self)


def raw_rate(post: Mapping, followers) -> tuple[float, str] | None:
    """(rate %, basis) unrounded, for averaging; see post_rate."""
    reach = number(post.get("reach"))
    if reach > 0:
        return interactions(post) / reach * 100, "reach"
    f = number(followers)
    if f > 0:
        return interactions(post) / f * 100, "followers"
    return None


def post_rate(post: Mapping, followers: int | float | None = None) -> Rate | None:
    """(likes + comments + shares + saves) / reach × 100, or / followers when the post has no
    reach; None when there is neither."""
    r = raw_rate(post, followers)
    return Rate(round(r[0], 2), r[1]) if r else None


@dataclass(frozen=True)
class Group:
    key: str
    posts: int
    rated: int  # posts with a rate (reach, or the platform's followers, known)
    avg_rate: float | None  # mean of the posts' rates, %
    avg_interactions: float
    basis: str | None  # "reach" | "followers" | "mixed"; None when no post has a rate

    def as_dict(self) -> dict:
        return asdict(self)


def _platform(post: Mapping) -> str:
    return str(post.get("platform") or "").strip().lower() or "unknown"


def followers_for(post: Mapping, followers_by_platform: Mapping | None):
    if not followers_by_platform:
        return None
    return followers_by_platform.get(_platform(post), followers_by_platform.get(post.get("platform")))


def rate_of(interactions_: float, reach: float, followers) -> tuple[float, str] | None:
    """raw_rate from numbers already read (interactions and reach summed in SQL, say)."""
    if reach > 0:
        return interactions_ / reach * 100, "reach"
    f = number(followers)
    if f > 0:
        return interactions_ / f * 100, "followers"
    return None


@dataclass
class Tally:
    """A group's running sums, so many groups fill in one pass over the posts."""

    posts: int = 0
    rated: int = 0
    rate_sum: float = 0.0
    interactions: float = 0.0
    bases: set = field(default_factory=set)

    def add(self, interactions_: float, rate: tuple[float, str] | None) -> None:
        self.posts += 1
        self.interactions += interactions_
        if rate is not None:
            self.rated += 1
            self.rate_sum += rate[0]
            self.bases.add(rate[1])

    def add_sums(self, posts: int, rated: int, rate_sum: float, by_reach: int, by_followers: int,
                 interactions_: float) -> None:
        """Posts added up elsewhere (in SQL): how many, how many have a rate and their rates'
        sum, how many of those are over reach and over followers, and their interactions."""
        self.posts += posts
        self.interactions += interactions_
        self.rated += rated
        self.rate_sum += rate_sum
        if by_reach:
            self.bases.add("reach")
        if by_followers:
            self.bases.add("followers")

    def avg_rate(self) -> float | None:
        return round(self.rate_sum / self.rated, 2) if self.rated else None

    def basis(self) -> str | None:
        return None if not self.bases else next(iter(self.bases)) if len(self.bases) == 1 else "mixed"

    def group(self, key: str) -> Group:
        inter = round(self.interactions / self.posts, 1) if self.posts else 0.0
        return Group(key, self.posts, self.rated, self.avg_rate(), inter, self.basis())


def group(key: str, posts: list[Mapping], followers_by_platform: Mapping | None) -> Group:
    tally = Tally()
    for p in posts:
        tally.add(interactions(p), raw_rate(p, followers_for(p, followers_by_platform)))
    return tally.group(key)


def ranked(groups: Iterable[Group]) -> list[Group]:
    """Best average rate first; groups without any rate last."""
    return _ranked(groups)


def _ranked(groups: Iterable[Group]) -> list[Group]:
    return sorted(groups, key=lambda g: (g.avg_rate is None, -(g.avg_rate or 0), -g.posts, g.key))


def _grouped(posts: Iterable[Mapping], keys_of, followers_by_platform, min_posts: int = 1) -> list[Group]:
    buckets: dict[str, list[Mapping]] = {}
    for p in posts or ():
        if isinstance(p, Mapping):
            for k in keys_of(p):
                buckets.setdefault(k, []).append(p)
    return _ranked(group(k, ps, followers_by_platform) for k, ps in buckets.items() if len(ps) >= min_posts)


def _type(post: Mapping) -> list[str]:
    return [str(post.get("type") or "").strip().lower() or "unknown"]


def hashtags(post: Mapping) -> list[str]:
    """The post's hashtags, lower case without '#', each once; read from the caption when
    the post carries no list."""
    tags = post.get("hashtags")
    if not tags:
        tags = _TAG.findall(str(post.get("caption") or ""))
    elif isinstance(tags, str):
        tags = tags.replace(",", " ").split()
    out: list[str] = []
    for t in tags:
        t = str(t).strip().lstrip("#").lower()
        if t and t not in out:
            out.append(t)
    return out


def by_type(posts: Iterable[Mapping], followers_by_platform: Mapping | None = None) -> list[Group]:
    """Reels against photos against carousels...: best average rate first (groups without
    any rate last)."""
    return _grouped(posts, _type, followers_by_platform)


def by_hashtag(posts: Iterable[Mapping], followers_by_platform: Mapping | None = None,
               min_posts: int = 2) -> list[Group]:
    """Each hashtag used on at least `min_posts` posts, best average rate first."""
    return _grouped(posts, hashtags, followers_by_platform, max(1, min_posts))


def by_platform(posts: Iterable[Mapping], followers_by_platform: Mapping | None = None) -> list[Group]:
    return _grouped(posts, lambda p: [_platform(p)], followers_by_platform)
