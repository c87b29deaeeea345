"""Engagement over plain numbers and post dicts (likes, comments, shares, saves, views...)."""

from __future__ import annotations

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
