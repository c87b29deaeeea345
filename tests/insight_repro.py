"""Recompute every figure of every stored insight from the database, by its source.

Independent of the code under test: plain selects of rows and Python arithmetic, following
the descriptions in dreamsuite/insights/sources.py. Two exceptions, by definition: a
`usual_change` is the anomaly baseline (analytics.anomalies, run here over the follower
series read here), and `forecast_reaches` reads the stored forecast row.

Also checks that every number written in an insight's title and message is one of its
figures, formatted: no number escapes them.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlmodel import select

from dreamsuite import db
from dreamsuite.analytics import anomalies as an
from dreamsuite.insights.sources import fmt_day, fmt_num, fmt_pct, fmt_signed
from dreamsuite.models import ContentPost, DailyMetric, Goal, Insight, PromotionAction, StoredForecast, Workspace

RELEASE_TYPES = ("album", "single", "ep")
WINDOWS = (7, 14, 90)
MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
DAY_RE = re.compile(rf"\b(?:{MONTHS}) \d{{1,2}}(?:, \d{{4}})?\b")
HOUR_RE = re.compile(r"\b(\d{2}):00\b")
MINOR_DIGITS = {"JPY": 0, "KRW": 0, "ISK": 0, "KWD": 3, "BHD": 3}  # ISO 4217; else 2
NUM_RE = re.compile(r"[+\-]?\d+(?:[.,]\d+)*%?")


@dataclass
class Rows:
    tz: str
    metrics: list[DailyMetric]
    posts: list[ContentPost]
    goals: dict[int, Goal]
    forecasts: dict[str, StoredForecast]
    insights: list[Insight]
    actions: dict[str, PromotionAction]


def load(workspace_id: int) -> Rows:
    with db.session() as s:
        ws = s.get(Workspace, workspace_id)
        return Rows(
            tz=ws.timezone or "UTC",
            metrics=list(s.exec(select(DailyMetric).where(DailyMetric.workspace_id == workspace_id)).all()),
            posts=list(s.exec(select(ContentPost).where(ContentPost.workspace_id == workspace_id)).all()),
            goals={g.id: g for g in s.exec(select(Goal).where(Goal.workspace_id == workspace_id)).all()},
            forecasts={f.platform: f for f in s.exec(select(StoredForecast).where(
                StoredForecast.workspace_id == workspace_id, StoredForecast.metric == "followers")).all()},
            insights=list(s.exec(select(Insight).where(Insight.workspace_id == workspace_id)
                                 .order_by(Insight.id)).all()),
            actions={a.key: a for a in s.exec(select(PromotionAction).where(
                PromotionAction.workspace_id == workspace_id)).all()},
        )


def _day(value: str) -> date:
    return date.fromisoformat(value)


def _utc_day(at: datetime) -> date:
    return (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).date()


class Recompute:
    def __init__(self, rows: Rows):
        self.rows = rows
        self.by_day: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
        for r in rows.metrics:
            self.by_day[r.platform][r.date] += r.follower_count

    # ---------------------------------------------------------------- followers
    def followers(self, platform: str, day: date) -> int:
        days = self.by_day.get(platform, {})
        assert day in days, f"no {platform} count on {day}"
        return days[day]

    def latest_on_or_before(self, platform: str, day: date) -> int | None:
        known = [d for d in self.by_day.get(platform, {}) if d <= day]
        return self.by_day[platform][max(known)] if known else None

    def series(self, platform: str) -> list[tuple[date, int]]:
        return sorted(self.by_day[platform].items())

    # ---------------------------------------------------------------- posts
    def rate(self, p: ContentPost, on: date) -> float | None:
        inter = sum(max(0, v or 0) for v in (p.likes, p.comments, p.shares, p.saves))
        if (p.reach or 0) > 0:
            return inter / p.reach * 100
        followers = self.latest_on_or_before(p.platform, on)
        return inter / followers * 100 if followers and followers > 0 else None

    def posts_between(self, start: date, end: date) -> list[ContentPost]:
        return [p for p in self.rows.posts if start <= _utc_day(p.posted_at) <= end]

    def type_rates(self, src: dict) -> list[float]:
        start, end = _day(src["from"]), _day(src["to"])
        mine = [p for p in self.posts_between(start, end) if p.platform == src["platform"]
                and ((p.post_type or "").strip().lower() or "unknown") == src["type"]]
        return [r for p in mine if (r := self.rate(p, end)) is not None]

    def tag_rates(self, src: dict) -> list[float]:
        start, end, out = _day(src["from"]), _day(src["to"]), []
        for p in self.posts_between(start, end):
            if p.platform != src["platform"] or (r := self.rate(p, end)) is None:
                continue
            if ("reach" if (p.reach or 0) > 0 else "followers") != src["basis"]:
                continue
            tagged = src["hashtag"] in {str(t).strip().lstrip("#").lower() for t in (p.hashtags or [])}
            if tagged != bool(src.get("without")):
                out.append(r)
        return out

    def weeks(self, src: dict) -> list[tuple[int, int]]:
        """(posts, follower change) of each full week in the source's span."""
        zone, days = ZoneInfo(src["tz"]), self.by_day.get(src["platform"], {})
        monday, last, out = _day(src["from"]), _day(src["to"]), []
        while monday + timedelta(days=6) <= last:
            sunday, before = monday + timedelta(days=6), monday - timedelta(days=1)
            if all(before + timedelta(days=k) in days for k in range(8)):
                posts = sum(1 for p in self.rows.posts if p.platform == src["platform"] and monday <= (
                    p.posted_at if p.posted_at.tzinfo else p.posted_at.replace(tzinfo=timezone.utc)
                ).astimezone(zone).date() <= sunday)
                out.append((posts, days[sunday] - days[before]))
            monday += timedelta(days=7)
        return out

    def slot_rates(self, src: dict) -> list[float]:
        start, end, zone = _day(src["from"]), _day(src["to"]), ZoneInfo(src["tz"])
        out = []
        for p in self.posts_between(start, end):
            local = (p.posted_at if p.posted_at.tzinfo else p.posted_at.replace(tzinfo=timezone.utc)).astimezone(zone)
            if (local.weekday(), local.hour) == (src["weekday"], src["hour"]) and \
                    (r := self.rate(p, end)) is not None:
                out.append(r)
        return out

    # ---------------------------------------------------------------- by kind
    def value(self, src: dict):
        kind = src["kind"]
        if kind == "followers":
            return self.followers(src["platform"], _day(src["date"]))
        if kind == "followers_change":
            return (self.followers(src["platform"], _day(src["to"]))
                    - self.followers(src["platform"], _day(src["from"])))
        if kind == "usual_change":
            day = _day(src["date"])
            found = [a for a in an.anomalies(self.series(src["platform"])) if a.date == day]
            assert len(found) == 1, f"{day} is not an unusual day of {src['platform']}"
            return int(round(found[0].expected))
        if kind == "metric_sum":
            start, end = _day(src["from"]), _day(src["to"])
            values = [r.metrics[src["key"]] for r in self.rows.metrics if r.platform == src["platform"]
                      and start <= r.date <= end and r.metrics.get(src["key"]) is not None]
            assert values, f"no {src['key']} of {src['platform']} in {start}..{end}"
            return int(sum(values))
        if kind in ("avg_rate", "slot_rate", "tag_rate"):
            rates = {"avg_rate": self.type_rates, "slot_rate": self.slot_rates, "tag_rate": self.tag_rates}[kind](src)
            assert rates, f"no rated post for {src}"
            return round(sum(rates) / len(rates), 2)
        if kind == "posts":
            return len(self.type_rates(src))
        if kind == "slot_posts":
            return len(self.slot_rates(src))
        if kind == "tag_posts":
            return len(self.tag_rates(src))
        if kind in ("week_split", "week_posts_median"):
            weeks = self.weeks(src)
            median = statistics.median_high([n for n, _ in weeks])
            if kind == "week_posts_median":
                return median
            if "busy" in src:
                weeks = [w for w in weeks if (w[0] >= median) == src["busy"]]
            if src["what"] == "weeks":
                return len(weeks)
            return round(sum(c for _, c in weeks) / len(weeks))
        if kind == "goal_target":
            return self.rows.goals[src["goal_id"]].target
        if kind == "goal_deadline":
            return self.rows.goals[src["goal_id"]].deadline.isoformat()
        if kind == "goal_current":
            goal, day = self.rows.goals[src["goal_id"]], _day(src["date"])
            if goal.platform:
                return self.followers(goal.platform, day)
            counts = [self.latest_on_or_before(p, day) for p in self.by_day]
            return sum(c for c in counts if c is not None)
        if kind == "forecast_reaches":
            goal = self.rows.goals[src["goal_id"]]
            row = self.rows.forecasts[goal.platform or "all"]
            return next(p[0] for p in row.points if p[1] >= src["target"])
        if kind == "release":
            start, end = _day(src["from"]), _day(src["to"])
            days = [_utc_day(p.posted_at) for p in self.rows.posts
                    if ((p.post_type or "") in RELEASE_TYPES or p.platform_post_id.startswith("album:"))
                    and start <= _utc_day(p.posted_at) <= end]
            return max(days).isoformat()
        if kind == "ad_gain":  # minor units over the currency's digits, read from the table
            a = self.rows.actions[src["key"]]
            assert a.impact_currency == src["currency"], (a.impact_currency, src)
            return a.impact_minor / 10 ** MINOR_DIGITS.get(a.impact_currency, 2)
        if kind == "ad_confidence":
            return self.rows.actions[src["key"]].confidence
        if kind == "window":
            if "from" in src:
                return (_day(src["to"]) - _day(src["from"])).days + 1
            return None  # checked against WINDOWS by the caller
        raise AssertionError(f"undocumented source kind {kind!r}")


def check_figures(rows: Rows) -> int:
    """Assert every figure equals its recomputation; returns how many were checked."""
    rc, checked = Recompute(rows), 0
    for ins in rows.insights:
        assert ins.figures, f"{ins.title}: no figures"
        for name, fig in ins.figures.items():
            src, value = fig["source"], fig["value"]
            expected = rc.value(src)
            if src["kind"] == "window" and expected is None:
                assert value in WINDOWS, (ins.title, name, value)
            else:
                assert value == expected, f"{ins.title!r}: {name} = {value!r}, the database says {expected!r} ({src})"
            checked += 1
    return checked


def _dates(fig_values: dict) -> set[date]:
    out = set()
    for fig in fig_values.values():
        v = fig["value"]
        if isinstance(v, str) and fig["source"].get("kind") in ("goal_deadline", "forecast_reaches", "release"):
            out.add(_day(v))
        for key in ("date", "from", "to"):
            if key in fig["source"]:
                out.add(_day(fig["source"][key]))
    return out


def unexplained_numbers(text: str, figures: dict, today: date) -> list[str]:
    """The numbers in `text` that are not a formatted figure (nor a figure's date, with its year
    unless it is `today`'s, nor a slot's hour)."""
    allowed_days = {fmt_day(d, today) for d in _dates(figures)}
    hours = set()
    for fig in figures.values():
        if fig["source"].get("kind", "").startswith("slot_"):
            h = fig["source"]["hour"]
            hours |= {f"{h:02d}", f"{(h + 1) % 24:02d}"}
    bad = [m.group(0) for m in DAY_RE.finditer(text) if m.group(0) not in allowed_days]
    text = DAY_RE.sub(" ", text)
    bad += [m.group(0) for m in HOUR_RE.finditer(text) if m.group(1) not in hours]
    text = HOUR_RE.sub(" ", text)
    for m in NUM_RE.finditer(text):
        token, before = m.group(0), text[:m.start()]
        ok = False
        for fig in figures.values():
            v = fig["value"]
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                continue
            if token in (fmt_num(v), fmt_signed(v), fmt_pct(v)):
                ok = True
            # A loss is written as its size after "lost"/"losing".
            elif v < 0 and token == fmt_num(-v) and re.search(r"\b(lost|losing)( only)? $", before):
                ok = True
        if not ok:
            bad.append(token)
    return bad


def check_numbers(rows: Rows) -> None:
    for ins in rows.insights:
        title = ins.title
        if ins.type == "goal":  # the artist's own goal title is quoted as given; the rest is ours
            [goal_id] = {f["source"]["goal_id"] for f in ins.figures.values() if "goal_id" in f["source"]}
            assert rows.goals[goal_id].title in title, title
            title = title.replace(rows.goals[goal_id].title, " ")
        texts = (title, ins.message)
        if ins.type == "promotion":  # the brain's action, quoted whole: its numbers are its evidence's
            [key] = {f["source"]["key"] for f in ins.figures.values()}
            assert ins.message == rows.actions[key].sentence, (ins.message, rows.actions[key].sentence)
            texts = (title,)
        created = ins.created_at if ins.created_at.tzinfo else ins.created_at.replace(tzinfo=timezone.utc)
        today = created.astimezone(ZoneInfo(rows.tz)).date()
        for text in texts:
            bad = unexplained_numbers(text, ins.figures, today)
            assert not bad, f"{text!r} quotes {bad}, which no figure explains: {ins.figures}"


def check_workspace(workspace_id: int) -> Rows:
    rows = load(workspace_id)
    check_figures(rows)
    check_numbers(rows)
    return rows
