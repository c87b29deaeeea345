"""The chat's question set: questions an artist asks, each with the tools its answer needs and
the figures the answer must hold — computed here from the database with plain selects and
arithmetic (never typed in), so the same questions run on any workspace: the demo, and the
tests' second workspace of another shape (other platforms, declining, few posts, a spike).

`evaluate(scope, today)` asks every question to the offline analyst and returns one Outcome
each; tests/test_question_set.py asserts them, and `python -m tests.question_set` prints the
share correct per workspace (the figure in the README).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from statistics import mean
from typing import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import select

from dreamsuite.db import session
from dreamsuite.models import (
    ContentPost, DailyMetric, FollowerAnomaly, Goal, Insight, PlatformConnection, PostStatus, ScheduledPost,
    StoredForecast, Workspace,
)
from dreamsuite.platforms import platform_label
from dreamsuite.services.scope import Scope

API_PLATFORMS = ("instagram", "youtube", "tiktok", "facebook", "spotify", "soundcloud", "x", "deezer")
WEEKDAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")


def signed(n: float) -> str:
    return ("+" if n >= 0 else "-") + f"{abs(n):,.0f}"


def short_day(d: date) -> str:
    return f"{d:%b} {d.day}"


class Facts:
    """One workspace's numbers, read with plain selects (no service, no analytics code)."""

    def __init__(self, scope: Scope, today: date):
        self.scope, self.today, ws = scope, today, scope.workspace_id
        with session() as s:
            self.connected = sorted({p for p in s.exec(select(PlatformConnection.platform).where(
                PlatformConnection.workspace_id == ws, PlatformConnection.status != "revoked")).all()})
            rows = s.exec(select(DailyMetric.platform, DailyMetric.date, func.sum(DailyMetric.follower_count))
                          .where(DailyMetric.workspace_id == ws)
                          .group_by(DailyMetric.platform, DailyMetric.date)).all()
            self.metrics = s.exec(select(DailyMetric).where(DailyMetric.workspace_id == ws)).all()
            self.all_posts = s.exec(select(ContentPost).where(ContentPost.workspace_id == ws)).all()
            self.tz = s.exec(select(Workspace.timezone).where(Workspace.id == ws)).one()
            self.goals = s.exec(select(Goal).where(Goal.workspace_id == ws)).all()
            self.forecasts = {f.platform: f for f in s.exec(select(StoredForecast).where(
                StoredForecast.workspace_id == ws, StoredForecast.metric == "followers")).all()}
            self.anomalies = s.exec(select(FollowerAnomaly).where(FollowerAnomaly.workspace_id == ws)).all()
            self.insights = s.exec(select(Insight).where(Insight.workspace_id == ws, Insight.dismissed == False,  # noqa: E712
                                                         Insight.expires_at > datetime.now(UTC))).all()
            self.scheduled = s.exec(select(ScheduledPost).where(ScheduledPost.workspace_id == ws,
                                                                ScheduledPost.status == PostStatus.scheduled)).all()
        self.series: dict[str, list[tuple[date, int]]] = {}
        for platform, d, v in rows:
            d = d if isinstance(d, date) else date.fromisoformat(str(d)[:10])
            self.series.setdefault(platform, []).append((d, int(v)))
        for pts in self.series.values():
            pts.sort()

    # ---------------------------------------------------------------- windows
    def window(self, name: str) -> tuple[date | None, date]:
        t = self.today
        monday = t - timedelta(days=t.weekday())
        first_of_month = t.replace(day=1)
        prev_last = first_of_month - timedelta(days=1)
        named = {"today": (t, t), "yesterday": (t - timedelta(days=1),) * 2, "this_week": (monday, t),
                 "last_week": (monday - timedelta(days=7), monday - timedelta(days=1)),
                 "this_month": (first_of_month, t), "last_month": (prev_last.replace(day=1), prev_last),
                 "all": (None, t)}
        if name in named:
            return named[name]
        n = int(name.split("_")[1])  # last_N_days
        return t - timedelta(days=n - 1), t

    # ---------------------------------------------------------------- followers
    def has_data(self, platform: str) -> bool:
        return bool(self.series.get(platform))

    def growth_of(self, platform: str, first: date | None, last: date) -> tuple[int, int] | None:
        """(followers at the close of the day before `first` — or the first day there is — and
        on the last day there is up to `last`)."""
        pts = [p for p in self.series.get(platform, []) if p[0] <= last]
        inside = [p for p in pts if first is None or p[0] >= first]
        if not inside:
            return None
        before = [p for p in pts if first is not None and p[0] < first]
        return (before[-1] if before else inside[0])[1], inside[-1][1]

    def growth(self, platform: str | None, first: date | None, last: date) -> tuple[int, int, int] | None:
        platforms = [platform] if platform else list(self.series)
        found = [g for p in platforms if (g := self.growth_of(p, first, last))]
        if not found:
            return None
        start, end = sum(g[0] for g in found), sum(g[1] for g in found)
        return start, end, end - start

    def latest(self, platform: str) -> int:
        pts = [p for p in self.series.get(platform, []) if p[0] >= self.today - timedelta(days=60)]
        return pts[-1][1] if pts else 0

    # ---------------------------------------------------------------- posts
    def posts(self, first: date | None, last: date, platform: str | None = None,
              kind: str | None = None) -> list[ContentPost]:
        return [p for p in self.all_posts
                if (first is None or p.posted_at.date() >= first) and p.posted_at.date() <= last
                and (platform is None or p.platform == platform) and (kind is None or p.post_type == kind)]

    @staticmethod
    def value(p: ContentPost, metric: str) -> int:
        if metric == "interactions":
            return p.likes + p.comments + p.shares + p.saves
        return int(getattr(p, metric) or 0)

    def ranked(self, posts: list[ContentPost], metric: str, top: bool = True) -> list[ContentPost]:
        newest = sorted(posts, key=lambda p: p.posted_at, reverse=True)
        return sorted(newest, key=lambda p: self.value(p, metric), reverse=top)

    def rate(self, p: ContentPost) -> tuple[float, str] | None:
        inter = self.value(p, "interactions")
        if p.reach and p.reach > 0:
            return inter / p.reach * 100, "reach"
        followers = self.latest(p.platform)
        return (inter / followers * 100, "followers") if followers > 0 else None

    def groups(self, posts: list[ContentPost], key: Callable[[ContentPost], list[str]],
               min_posts: int = 1) -> list[tuple[str, float, int, str]]:
        """(key, average rate, rated posts, basis), best first, as the content answer ranks them."""
        buckets: dict[str, list[ContentPost]] = {}
        for p in posts:
            for k in key(p):
                buckets.setdefault(k, []).append(p)
        out = []
        for k, ps in buckets.items():
            rates = [r for p in ps if (r := self.rate(p))]
            if len(ps) >= min_posts and rates:
                bases = {b for _, b in rates}
                out.append((k, round(mean(r for r, _ in rates), 2), len(rates), bases.pop() if len(bases) == 1
                            else "mixed", len(ps)))
        out.sort(key=lambda g: (-g[1], -g[4], g[0]))
        return [g[:4] for g in out]

    def best_slot(self, posts: list[ContentPost]) -> tuple[int, int, float, int] | None:
        zone = ZoneInfo(self.tz)
        cells: dict[tuple[int, int], list[float]] = {}
        for p in posts:
            at = p.posted_at if p.posted_at.tzinfo else p.posted_at.replace(tzinfo=UTC)
            local = at.astimezone(zone)
            if r := self.rate(p):
                cells.setdefault((local.weekday(), local.hour), []).append(r[0])
        ok = [(round(mean(v), 2), len(v), k) for k, v in cells.items() if len(v) >= 3]
        if not ok:
            return None
        rate, n, (d, h) = sorted(ok, key=lambda x: (-x[0], -x[1], x[2]))[0]
        return d, h, rate, n

    def metric_sum(self, platform: str, key: str, first: date, last: date) -> float:
        return sum(float(r.metrics.get(key) or 0) for r in self.metrics
                   if r.platform == platform and first <= r.date <= last and key in (r.metrics or {}))

    def metric_days(self, platform: str, key: str, first: date, last: date) -> int:
        return sum(1 for r in self.metrics if r.platform == platform and first <= r.date <= last
                   and key in (r.metrics or {}))


# -------------------------------------------------------------------- what an answer must say
Expect = Callable[[Facts], list[str]]


@dataclass
class Question:
    text: str | Callable[[date], str]
    tools: tuple[str, ...]  # the tools the answer needs; () — no tool: a decline
    expect: Expect  # the figures and words the answer must hold, from the database
    category: str
    previous: str | None = None  # asked first, in the same conversation (follow-ups)
    forbid: Callable[[Facts], list[str]] = field(default=lambda f: [])

    def ask(self, today: date) -> str:
        return self.text(today) if callable(self.text) else self.text


def not_connected(platform: str) -> list[str]:
    return [f"{platform_label(platform)} is not connected to Dream Suite"]


def growth_expect(platform: str | None, window: str | Callable[[Facts], tuple[date | None, date]]) -> Expect:
    def expect(f: Facts) -> list[str]:
        if platform and platform not in f.connected:
            return not_connected(platform)
        first, last = window(f) if callable(window) else f.window(window)
        g = f.growth(platform, first, last)
        if g is None:
            if platform and not f.has_data(platform):
                return [f"{platform_label(platform)} is connected, but I have no numbers from it yet"]
            return ["I have no follower data" if f.series else "I don't have any numbers for you yet"]
        start, end, change = g
        where = f" on {platform_label(platform)}" if platform else ""
        return [f"{where} you went from {start:,} to {end:,} followers ({signed(change)},"]
    return expect


def growth_q(text, platform, window, category="followers: one platform, a window"):
    return Question(text, () if platform and False else ("follower_growth",), growth_expect(platform, window),
                    category)


def ranked_expect(metric: str, window: str, platform: str | None = None, kind: str | None = None,
                  top: bool = True, limit: int = 1) -> Expect:
    unit = {"interactions": "interactions", "reach": "reached"}.get(metric, metric)

    def expect(f: Facts) -> list[str]:
        if platform and platform not in f.connected:
            return not_connected(platform)
        first, last = f.window(window)
        posts = f.posts(first, last, platform, kind)
        noun = kind or "post"
        if not posts:
            return [f"I found no {noun}s."]
        said = [f"you published {len(posts):,} {noun}{'s' if len(posts) != 1 else ''}"]
        ranked = f.ranked(posts, metric, top)[:limit]
        if top and not f.value(ranked[0], metric):
            return said + [f"None of them has any {unit} recorded"]
        if len(ranked) == 1:
            p = ranked[0]
            return said + [f"({short_day(p.posted_at.date())}), {f.value(p, metric):,} {unit}."]
        # a small table: one row per post, its date and its number in the last two cells
        return said + [f"| {i} | " for i in range(1, len(ranked) + 1)] + [
            f"| {short_day(p.posted_at.date())} | {f.value(p, metric):,} |" for p in ranked]
    return expect


def count_expect(window: str, platform: str | None = None, kind: str | None = None) -> Expect:
    def expect(f: Facts) -> list[str]:
        if platform and platform not in f.connected:
            return not_connected(platform)
        first, last = f.window(window)
        n = len(f.posts(first, last, platform, kind))
        noun = kind or "post"
        return [f"you published {n:,} {noun}"] if n else [f"I found no {noun}s."]
    return expect


def _types(p: ContentPost) -> list[str]:
    return [(p.post_type or "").strip().lower() or "unknown"]


def _hashtags(p: ContentPost) -> list[str]:
    import re

    tags = p.hashtags if getattr(p, "hashtags", None) else re.findall(r"#(\w+)", p.caption or "")
    return list(dict.fromkeys(t.lower().lstrip("#") for t in tags))


def content_expect(by: str, platform: str | None = None) -> Expect:
    def expect(f: Facts) -> list[str]:
        if platform and platform not in f.connected:
            return not_connected(platform)
        first, last = f.window("last_90_days")
        posts = f.posts(first, last, platform)
        groups = f.groups(posts, _types if by == "type" else _hashtags, 1 if by == "type" else 2)
        if not groups:
            return ["there are not enough posts"]
        basis = {"reach": "of reach", "followers": "of followers", "mixed": "of reach or followers"}
        key, rate, n, b = groups[0]
        name = key if by == "type" else f"#{key}"
        return [f"{name} {rate:.1f}% {basis[b]} ({n} post{'s' if n != 1 else ''})"]
    return expect


def timing_expect(platform: str | None = None) -> Expect:
    def expect(f: Facts) -> list[str]:
        if platform and platform not in f.connected:
            return not_connected(platform)
        first, last = f.window("last_90_days")
        best = f.best_slot(f.posts(first, last, platform))
        if best is None:
            return ["I can't name a best time"]
        d, h, rate, n = best
        return [f"{WEEKDAYS[d]} {h:02d}:00–{(h + 1) % 24:02d}:00 ({f.tz}): {rate:.1f}% average engagement over {n} "
                "posts"]
    return expect


def goals_expect(f: Facts) -> list[str]:
    if not f.goals:
        return ["You have no goals yet."]
    out = []
    for g in f.goals:
        current = f.latest(g.platform) if g.platform else sum(f.latest(p) for p in f.series)
        out.append(f"{current:,} of {g.target:,}")
    return out


def forecast_expect(platform: str | None, target: int | None = None, days: int = 30) -> Expect:
    def expect(f: Facts) -> list[str]:
        if platform and platform not in f.connected:
            return not_connected(platform)
        row = f.forecasts.get(platform or "all")
        if row is None and platform is None and f.forecasts:  # no total yet: each platform's own
            return [f"- {platform_label(p)}: about {round(r.points[min(days, len(r.points)) - 1][1]):,} followers"
                    for p, r in f.forecasts.items() if p in f.connected]
        if row is None:
            return ["I have no forecast"]
        points = list(row.points)
        ahead = points[min(days, len(points)) - 1]
        said = [f"expects about {round(ahead[1]):,} followers by {short_day(date.fromisoformat(ahead[0]))}"]
        if target:
            current = f.latest(platform) if platform else sum(f.latest(p) for p in f.series)
            reached = next((p for p in points if p[1] >= target), None)
            if current >= target:
                said.append(f"You are already past {target:,}.")
            elif reached:
                said.append(f"It reaches {target:,} around {short_day(date.fromisoformat(reached[0]))}")
            else:
                said.append(f"{target:,} is not within the forecast")
        return said
    return expect


def unusual_expect(platform: str | None, window: str) -> Expect:
    def expect(f: Facts) -> list[str]:
        if platform and platform not in f.connected:
            return not_connected(platform)
        first, last = f.window(window)
        marks = sorted((a for a in f.anomalies if (first is None or a.date >= first) and a.date <= last
                        and (platform is None or a.platform == platform)), key=lambda a: a.date)[-5:]
        if not marks:
            return ["no day stood out"]
        return [f"{short_day(a.date)} on {platform_label(a.platform)}: {'gained' if a.change >= 0 else 'lost'} "
                f"{abs(round(a.change)):,} followers" for a in marks]
    return expect


def compare_expect(days: int = 30) -> Expect:
    def expect(f: Facts) -> list[str]:
        said, growth = [], {}
        first = f.today - timedelta(days=days - 1)
        for p in f.series:
            now = f.latest(p)
            if now:
                said.append(f"| {platform_label(p)} | {now:,} |")
            g = f.growth_of(p, first, f.today)
            complete = bool(g) and any(d < first for d, _ in f.series[p])
            if g and complete and g[0] > 0:
                growth[p] = (g[1] - g[0]) / g[0] * 100
                said.append(f"| {growth[p]:+.1f}% ({signed(g[1] - g[0])}) |")
        if len(growth) > 1:
            said.append(f"Fastest growing: {platform_label(max(growth, key=growth.get))}.")
        return said
    return expect


def own_metric_expect(platform: str, key: str, window: str, scale: float = 1, unit: str = "") -> Expect:
    def expect(f: Facts) -> list[str]:
        if platform not in f.connected:
            return not_connected(platform)
        first, last = f.window(window)
        if not f.metric_days(platform, key, first, last):
            return [f"{platform_label(platform)} has no"]
        total = round(f.metric_sum(platform, key, first, last) * scale, 1)
        text = f"{total:,.0f}" if float(total).is_integer() else f"{total:,.1f}"
        return [f"on {platform_label(platform)}: {text}{' ' + unit if unit else ''}"]
    return expect


def latest_metric_expect(platform: str, key: str) -> Expect:
    def expect(f: Facts) -> list[str]:
        if platform not in f.connected:
            return not_connected(platform)
        rows = sorted((r for r in f.metrics if r.platform == platform and key in (r.metrics or {})),
                      key=lambda r: r.date)
        if not rows:
            return [f"{platform_label(platform)} has no"]
        return [f"{rows[-1].metrics[key]:,.0f} (as of {short_day(rows[-1].date)})"]
    return expect


def insights_expect(f: Facts) -> list[str]:
    if not f.insights:
        return ["no current insights"]
    rank = {"urgent": 3, "high": 2, "medium": 1, "low": 0}
    top = sorted(f.insights, key=lambda i: (-rank.get(str(i.priority), 0), -i.created_at.timestamp(), -i.id))[0]
    return [top.title.rstrip(".")]


def upcoming_expect(days: int) -> Expect:
    def expect(f: Facts) -> list[str]:
        now = datetime.now(UTC)
        due = [p for p in f.scheduled
               if (p.scheduled_at if p.scheduled_at.tzinfo else p.scheduled_at.replace(tzinfo=UTC))
               <= now + timedelta(days=days)]
        if not due:
            return [f"Nothing is scheduled for the next {days} days."]
        return [f"{len(due)} post{'s' if len(due) != 1 else ''} scheduled in the next {days} days"]
    return expect


def inventory_expect(f: Facts) -> list[str]:
    out = []
    for p in f.connected:
        pts = f.series.get(p)
        out.append(f"- {platform_label(p)}: daily numbers from {short_day(pts[0][0])} to {short_day(pts[-1][0])}."
                   if pts else f"- {platform_label(p)}: connected, no numbers yet")
    return out + ["Apple Music"]


def fixed(*words: str) -> Expect:
    return lambda f: list(words)


def _month_before(today: date) -> tuple[str, date, date]:
    last = today.replace(day=1) - timedelta(days=1)
    return last.strftime("%B"), last.replace(day=1), last


def _day_before_last_week(today: date) -> date:
    return today - timedelta(days=9)


L = "other languages"
ENGLISH = lambda f: ["you went from", "you published", "is not connected to Dream Suite"]  # noqa: E731


def _n(lang: str, n: float) -> str:
    from babel.numbers import format_decimal

    return format_decimal(round(n, 1), format="#,##0.#", locale=lang)


def growth_in(lang: str, platform: str | None, window: str) -> Expect:
    """Follower growth asked in `lang`: the figures as that language writes them."""
    from dreamsuite.agents.lang import catalog

    def expect(f: Facts) -> list[str]:
        if platform and platform not in f.connected:
            label = platform_label(platform)
            return [catalog(lang).TEXT["not_connected"].format(platform=label)]
        g = f.growth(platform, *f.window(window))
        if g is None:
            return [catalog(lang).TEXT["not_synced"].format(platform=platform_label(platform))]
        start, end, change = g
        return [_n(lang, start), _n(lang, end), ("+" if change >= 0 else "-") + _n(lang, abs(change))]
    return expect


def count_in(lang: str, window: str) -> Expect:
    def expect(f: Facts) -> list[str]:
        n = len(f.posts(*f.window(window)))
        return [f" {_n(lang, n)} "] if n else []
    return expect


G, P, C, T, E, GO, CMP, D, W, X = ("followers", "posts", "content types and hashtags", "timing", "events and metrics",
                                   "trends and goals", "comparisons and advice", "declines", "wording",
                                   "insights, schedule and inventory")

QUESTIONS: list[Question] = [
    # ---- followers on one platform, in a window
    growth_q("How many Instagram followers did I gain this week?", "instagram", "this_week", G),
    growth_q("youtube subscribers in the last 2 weeks", "youtube", "last_14_days", G),
    growth_q("how did my instagarm grow yesterday", "instagram", "yesterday", G),
    growth_q("How much did my YT channel grow last week?", "youtube", "last_week", G),
    growth_q("How many TikTok followers did I get this month?", "tiktok", "this_month", G),
    growth_q("Is my Facebook Page losing followers?", "facebook", "last_30_days", G),
    growth_q("How did Spotify grow in the last 7 days?", "spotify", "last_7_days", G),
    growth_q("How many SoundCloud followers did I gain last month?", "soundcloud", "last_month", G),
    growth_q("How are my X followers doing this week?", "x", "this_week", G),
    growth_q("Deezer fans in the last 90 days?", "deezer", "last_90_days", G),
    growth_q("how many followers did I get on tik tok in the past 3 weeks", "tiktok", "last_21_days", G),
    growth_q("youtub subscribers this month", "youtube", "this_month", G),
    growth_q("How much did my Instagram grow over the last 90 days?", "instagram", "last_90_days", G),
    growth_q("How many followers did I lose on Facebook last week?", "facebook", "last_week", G),
    growth_q("How many followers did I gain this week?", None, "this_week", G),
    growth_q("How much did I grow in the last 30 days?", None, "last_30_days", G),
    growth_q("How many followers have I gained since I started?", None, "all", G),
    growth_q("How many followers did I gain today?", None, "today", G),
    growth_q("How many followers did I gain over the last year?", None, "last_365_days", G),
    Question(lambda t: f"How many followers did I gain in {_month_before(t)[0]}?", ("follower_growth",),
             growth_expect(None, lambda f: _month_before(f.today)[1:]), G),
    Question(lambda t: f"How did YouTube grow since {short_day(_day_before_last_week(t))}?", ("follower_growth",),
             growth_expect("youtube", lambda f: (_day_before_last_week(f.today), f.today)), G),
    Question(lambda t: f"followers on {short_day(t - timedelta(days=3))}", ("follower_growth",),
             growth_expect(None, lambda f: (f.today - timedelta(days=3),) * 2), G),
    # ---- posts
    Question("What was my most liked post last month?", ("ranked_posts",), ranked_expect("likes", "last_month"), P),
    Question("Which post got the most comments in the last 30 days?", ("ranked_posts",),
             ranked_expect("comments", "last_30_days"), P),
    Question("my most viewed video on YouTube this year", ("ranked_posts",),
             ranked_expect("views", "last_365_days", "youtube", "video"), P),
    Question("What were my most shared posts in the last 90 days?", ("ranked_posts",),
             ranked_expect("shares", "last_90_days", limit=5), P),
    Question("Which were my worst performing Instagram posts?", ("ranked_posts",),
             ranked_expect("interactions", "last_90_days", "instagram", top=False, limit=5), P),
    Question("How many posts did I publish last week?", ("ranked_posts",), count_expect("last_week"), P),
    Question("how many reels did I post in the last 30 days", ("ranked_posts",),
             count_expect("last_30_days", kind="reel"), P),
    Question("How many TikTok videos did I post this month?", ("ranked_posts",),
             count_expect("this_month", "tiktok", "video"), P),
    Question("What are my top 3 posts by likes this month?", ("ranked_posts",),
             ranked_expect("likes", "this_month", limit=3), P),
    Question("What was my least liked post in the last 90 days?", ("ranked_posts",),
             ranked_expect("likes", "last_90_days", top=False), P),
    Question("Which Instagram reel got the most likes in the last 90 days?", ("ranked_posts",),
             ranked_expect("likes", "last_90_days", "instagram", "reel"), P),
    Question("What was my most saved post in the last 90 days?", ("ranked_posts",),
             ranked_expect("saves", "last_90_days"), P),
    Question("How many posts did I publish in the last 90 days?", ("ranked_posts",), count_expect("last_90_days"), P),
    Question("Which SoundCloud track got the most likes last month?", ("ranked_posts",),
             ranked_expect("likes", "last_month", "soundcloud", "track"), P),
    Question("What was my most commented post on Facebook in the last 90 days?", ("ranked_posts",),
             ranked_expect("comments", "last_90_days", "facebook"), P),
    # ---- content types and hashtags
    Question("Do reels or photos work better on Instagram?", ("content_performance",),
             content_expect("type", "instagram"), C),
    Question("Which content types work best for me?", ("content_performance",), content_expect("type"), C),
    Question("shorts vs videos on YouTube, which format performs better?", ("content_performance",),
             content_expect("type", "youtube"), C),
    Question("Which hashtags work best?", ("content_performance",), content_expect("hashtag"), C),
    Question("What kind of posts get the most engagement on TikTok?", ("content_performance",),
             content_expect("type", "tiktok"), C),
    # ---- timing
    Question("When should I post?", ("best_times",), timing_expect(), T),
    Question("What's the best time to post on Instagram?", ("best_times",), timing_expect("instagram"), T),
    Question("which day is best for posting on youtube", ("best_times",), timing_expect("youtube"), T),
    Question("Should I post on weekends or weekdays?", ("best_times",), timing_expect(), T),
    # ---- events and a platform's own numbers
    Question("Why did my followers jump in the last 30 days?", ("unusual_days",),
             unusual_expect(None, "last_30_days"), E),
    Question("What happened on YouTube in the last 90 days? Any sudden spikes?", ("unusual_days",),
             unusual_expect("youtube", "last_90_days"), E),
    Question("Why did my TikTok followers drop this month?", ("unusual_days",), unusual_expect("tiktok", "this_month"),
             E),
    Question("How many views did I get on YouTube in the last 2 weeks?", ("platform_metric",),
             own_metric_expect("youtube", "views", "last_14_days"), E),
    Question("What was my YouTube watch time this month?", ("platform_metric",),
             own_metric_expect("youtube", "estimatedMinutesWatched", "this_month", 1 / 60, "hours"), E),
    Question("How many Spotify streams did I get last month?", (), fixed("Spotify for Artists"), E),
    Question("what are my monthly listeners on spotify", (), fixed("Monthly listeners are only in Spotify for Artists"),
             E),
    Question("How many page views did I get this week?", ("platform_metric",),
             own_metric_expect("facebook", "page_views", "this_week"), E),
    Question("What are my total SoundCloud plays?", ("platform_metric",), latest_metric_expect("soundcloud",
                                                                                          "plays_total"), E),
    # ---- trends and goals
    Question("Am I on track for my goals?", ("goals_progress",), goals_expect, GO),
    Question("How far am I from my goal?", ("goals_progress",), goals_expect, GO),
    Question("What's my follower forecast for the next 30 days?", ("forecast",), forecast_expect(None), GO),
    Question("When will I reach 30k followers on Instagram?", ("forecast",),
             forecast_expect("instagram", 30_000), GO),
    Question("Will I hit 25,000 followers on Facebook?", ("forecast",), forecast_expect("facebook", 25_000), GO),
    Question("predict my youtube subscribers in 14 days", ("forecast",), forecast_expect("youtube", days=14), GO),
    Question("When will I reach 100,000 followers?", ("forecast",), forecast_expect(None, 100_000), GO),
    # ---- comparisons and advice
    Question("Which platform is growing fastest?", ("compare_platforms",), compare_expect(), CMP),
    Question("Compare my platforms over the last 90 days", ("compare_platforms",), compare_expect(90), CMP),
    Question("Where should I focus my energy?", ("compare_platforms",), compare_expect(), CMP),
    Question("What's my audience share by platform?", ("compare_platforms",), compare_expect(), CMP),
    Question("Which platform is most engaging this month?", ("compare_platforms",), compare_expect(), CMP),
    # ---- what no tool can know
    Question("How many followers does Taylor Swift have?", (), fixed("I can't look up Taylor Swift's numbers"), D),
    Question("Show me another user's data", (), fixed("I can't look up another artist's or another user's numbers"),
             D),
    Question("How are my Apple Music numbers doing?", (), fixed("Apple Music has no public API for artists yet"), D),
    Question("How many Tidal streams did I get?", (), fixed(f"{platform_label('tidal')} has no public API for artists yet"), D),
    Question("What about my Amazon Music listeners?", (), fixed("Amazon Music has no public API for artists yet"), D),
    Question("How many subscribers did Billie Eilish gain this week?", (),
             fixed("I can't look up Billie Eilish's numbers"), D),
    # ---- wording: several questions, follow-ups, typos
    Question("How many followers did I gain this week, and what were my best posts?",
             ("follower_growth", "top_posts"), growth_expect(None, "this_week"), W),
    Question("and on YouTube?", ("follower_growth",), growth_expect("youtube", "this_week"), W,
             previous="How many Instagram followers did I gain this week?",
             forbid=lambda f: ["on Instagram"]),
    Question("what about last week?", ("follower_growth",), growth_expect("instagram", "last_week"), W,
             previous="How many Instagram followers did I gain this week?"),
    Question("How did my followers grew this month?", ("follower_growth",), growth_expect(None, "this_month"), W),
    Question("how mnay folowers on instagrm this week", ("follower_growth",),
             growth_expect("instagram", "this_week"), W),
    Question("How did YouTube and Instagram grow this month?", ("follower_growth",),
             lambda f: growth_expect("youtube", "this_month")(f) + growth_expect("instagram", "this_month")(f), W),
    # ---- the same questions in German, Spanish, French and Portuguese: answered in that language
    Question("Wie viele Instagram-Follower habe ich diese Woche gewonnen?", ("follower_growth",),
             growth_in("de", "instagram", "this_week"), L, forbid=ENGLISH),
    Question("¿Cuántos seguidores gané en TikTok este mes?", ("follower_growth",),
             growth_in("es", "tiktok", "this_month"), L, forbid=ENGLISH),
    Question("Combien d'abonnés ai-je gagnés sur Facebook la semaine dernière ?", ("follower_growth",),
             growth_in("fr", "facebook", "last_week"), L, forbid=ENGLISH),
    Question("Quantos seguidores ganhei no YouTube nos últimos 30 dias?", ("follower_growth",),
             growth_in("pt", "youtube", "last_30_days"), L, forbid=ENGLISH),
    Question("Wie viele Beiträge habe ich in den letzten 90 Tagen veröffentlicht?", ("ranked_posts",),
             count_in("de", "last_90_days"), L, forbid=ENGLISH),
    Question("¿Cuántas publicaciones hice el mes pasado?", ("ranked_posts",), count_in("es", "last_month"), L,
             forbid=ENGLISH),
    Question("Combien de followers ai-je gagnés ce mois-ci ?", ("follower_growth",),
             growth_in("fr", None, "this_month"), L, forbid=ENGLISH),
    Question("Quantos seguidores ganhei esta semana?", ("follower_growth",), growth_in("pt", None, "this_week"), L,
             forbid=ENGLISH),
    # ---- insights, the schedule, what is connected
    Question("Any insights for me?", ("recent_insights",), insights_expect, X),
    Question("What should I know about my numbers?", ("recent_insights",), insights_expect, X),
    Question("What posts are scheduled for the next 7 days?", ("upcoming_posts",), upcoming_expect(7), X),
    Question("What's coming up in the next 30 days?", ("upcoming_posts",), upcoming_expect(30), X),
    Question("Which platforms are connected?", ("data_inventory",), inventory_expect, X),
    Question("What data do you have about me?", ("data_inventory",), inventory_expect, X),
]


@dataclass
class Outcome:
    question: str
    category: str
    answer: str
    called: list[str]
    missing_tools: list[str]
    missing_text: list[str]
    forbidden_text: list[str]

    @property
    def correct(self) -> bool:
        return not (self.missing_tools or self.missing_text or self.forbidden_text)


async def evaluate(scope: Scope, today: date, questions: list[Question] | None = None) -> list[Outcome]:
    """Ask every question on `scope` (its own conversation each) and check its answer."""
    from pydantic_ai.messages import ModelResponse, ToolCallPart

    from dreamsuite.agents.career import AGENTS, model_for, route
    from dreamsuite.agents.deps import AgentDeps

    facts = Facts(scope, today)
    model = model_for("offline")
    out = []
    for q in questions or QUESTIONS:
        text = q.ask(today)
        history = None
        if q.previous:
            first = await AGENTS[route(q.previous)].run(q.previous, deps=AgentDeps(scope=scope, today=today),
                                                        model=model)
            history = first.all_messages()
        result = await AGENTS[route(text)].run(text, deps=AgentDeps(scope=scope, today=today), model=model,
                                               message_history=history)
        called = [p.tool_name for m in result.new_messages() if isinstance(m, ModelResponse)
                  for p in m.parts if isinstance(p, ToolCallPart)]
        answer = result.output
        need = q.expect(facts)
        declined = not q.tools
        missing_tools = [t for t in q.tools if t not in called] + (called if declined else [])
        # A platform that is not connected is declined by the tool itself: the tool is still called.
        out.append(Outcome(text, q.category, answer, called, missing_tools,
                           [s for s in need if s not in answer], [s for s in q.forbid(facts) if s in answer]))
    return out


def share(outcomes: list[Outcome]) -> str:
    right = sum(o.correct for o in outcomes)
    return f"{right}/{len(outcomes)} ({right / len(outcomes):.0%})"


def report(outcomes: list[Outcome]) -> str:
    lines = []
    for o in outcomes:
        if not o.correct:
            lines.append(f"✗ [{o.category}] {o.question}\n    called {o.called}; missing tools {o.missing_tools}; "
                         f"missing {o.missing_text}; forbidden {o.forbidden_text}\n    answer: {o.answer!r}")
    return "\n".join(lines)


# -------------------------------------------------------------------- the second workspace
def build_second(name: str = "Second Shape") -> tuple[Scope, date]:
    """Another shape than the demo: Facebook declining, TikTok with one spike, SoundCloud and X
    with their own numbers, Deezer connected with nothing yet; Instagram, YouTube and Spotify
    not connected; few posts; no goals; one post scheduled; São Paulo time."""
    from dreamsuite.models import PostDestination
    from dreamsuite.services import analysis
    from tests.seed_metrics import account, make_scope, seed_followers

    tz = "America/Sao_Paulo"
    scope = make_scope(name, tz=tz)
    today = datetime.now(ZoneInfo(tz)).date()
    seed_followers(scope, "facebook", today, [52_000 - 23 * i - (i % 4) * 3 for i in range(200)])
    seed_followers(scope, "tiktok", today, [7_000 + 6 * i + (i % 5) + (2_500 if i >= 170 else 0) for i in range(200)])
    seed_followers(scope, "soundcloud", today, [1_200 + i // 3 for i in range(45)])
    seed_followers(scope, "x", today, [3_400 - i // 2 for i in range(90)])
    account(scope, "deezer")
    with session() as s:
        for r in s.exec(select(DailyMetric).where(DailyMetric.workspace_id == scope.workspace_id,
                                                  DailyMetric.platform == "soundcloud")).all():
            r.metrics = {"plays_total": 40_000 + 37 * (today - r.date).days * -1 + 5_000}
            s.add(r)
    at = lambda days, hour: datetime.combine(today - timedelta(days=days), datetime.min.time(),  # noqa: E731
                                             tzinfo=UTC) + timedelta(hours=hour)
    posts = [("tiktok", "tt1", 4, 22, "video", "Studio clip #studio #newmusic", dict(likes=900, comments=40, shares=70,
                                                                                    views=30_000, reach=25_000)),
             ("tiktok", "tt2", 11, 22, "video", "Live snippet #live #newmusic", dict(likes=2_400, comments=130,
                                                                                    shares=300, views=90_000,
                                                                                    reach=80_000)),
             ("tiktok", "tt3", 25, 22, "video", "Rehearsal #studio", dict(likes=300, comments=9, shares=12,
                                                                          views=8_000, reach=7_500)),
             ("facebook", "fb1", 6, 15, "photo", "Tour dates are out #tour", dict(likes=120, comments=31, shares=14)),
             ("facebook", "fb2", 40, 15, "video", "Backstage #tour", dict(likes=80, comments=6, shares=3)),
             ("soundcloud", "sc1", 20, 18, "track", "Night Drive (demo)", dict(likes=210, comments=17, shares=5)),
             ("soundcloud", "sc2", 52, 18, "track", "Rain on Glass", dict(likes=95, comments=4, shares=1))]
    with session() as s:
        for platform, pid, days, hour, kind, caption, counts in posts:
            s.add(ContentPost(workspace_id=scope.workspace_id, platform=platform, platform_post_id=pid,
                              post_type=kind, posted_at=at(days, hour), caption=caption, **counts))
        post = ScheduledPost(workspace_id=scope.workspace_id, content="New single Friday! #newmusic",
                             scheduled_at=datetime.now(UTC) + timedelta(days=3), timezone=tz)
        s.add(post)
        s.flush()
        s.add(PostDestination(workspace_id=scope.workspace_id, post_id=post.id,
                              connection_id=account(scope, "tiktok")))
    analysis.analyse(scope.workspace_id)
    return scope, today


def demo_scope() -> tuple[Scope, date]:
    """The seeded demo artist and the day of their newest numbers."""
    from dreamsuite import seed
    from dreamsuite.models import Membership, User
    from dreamsuite.services.scope import scope_for

    with session() as s:
        user = s.exec(select(User).where(User.email == seed.DEMO_EMAIL)).one()
        ws = s.exec(select(Membership.workspace_id).where(Membership.user_id == user.id)).one()
        latest = s.exec(select(func.max(DailyMetric.date)).where(DailyMetric.workspace_id == ws)).one()
        return scope_for(s, user.id, ws), latest if isinstance(latest, date) else date.fromisoformat(str(latest))
