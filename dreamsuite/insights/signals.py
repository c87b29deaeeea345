"""Findings drawn from the analytics, each with every number it quotes and where it comes from.

Input is a `Snapshot` (plain data read by the service); output is a list of `Draft`s. Every
number a message quotes is a figure, and every figure names its source in the database (the
kinds in `insights/sources.py`), so a test can recompute each one. Wording is plain and
specific; nothing is claimed that the numbers do not show.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dreamsuite.analytics import anomalies as an
from dreamsuite.analytics import engagement as eng
from dreamsuite.analytics import goals as goal_math
from dreamsuite.analytics import growth as g
from dreamsuite.analytics import timing
from dreamsuite.insights.drafts import Draft
from dreamsuite.insights.sources import fmt_day, fmt_num, fmt_pct, fmt_signed

WEEK = 7
CONTENT_DAYS = 90
MIN_POSTS_PER_TYPE = 5
RELEASE_TYPES = ("album", "single", "ep")  # and Spotify's albums, whose ids start with "album:"
RELEASE_LOOKBACK = 180  # days searched back for the latest release
REACHED_NEWS_DAYS = 14  # a reached goal is announced for this long after it was reached
FREQUENCY_WEEKS = 16  # full weeks looked back at for posting frequency against growth (POST_DAYS covers them)
MIN_WEEKS_EACH_SIDE = 3  # busier and quieter weeks: at least this many of each


@dataclass
class GoalState:
    id: int
    title: str
    goal: goal_math.Goal
    platform_label: str
    current: int | None
    forecast_points: list[tuple[date, float, float, float]] | None
    as_of: date | None = None  # the day `current` was counted
    achieved_on: date | None = None  # the day the goal was first judged reached


@dataclass
class Snapshot:
    today: date
    tz: str
    labels: dict[str, str]
    followers: dict[str, list[tuple[date, int]]]
    views: dict[str, list[tuple[date, float]]] = field(default_factory=dict)
    posts: list[dict] = field(default_factory=list)
    release_date: date | None = None  # the UTC day of the latest release (see RELEASE_TYPES)
    goals: list[GoalState] = field(default_factory=list)


def _followers_src(platform: str, day: date) -> dict[str, Any]:
    return {"kind": "followers", "platform": platform, "date": day.isoformat()}


def _fig(value, source: dict[str, Any]) -> dict[str, Any]:
    return {"value": value, "source": source}


# ------------------------------------------------------------------ growth
def records(snap: Snapshot) -> list[Draft]:
    out = []
    for platform, series in snap.followers.items():
        rec = g.records(series, end=snap.today)
        if rec is None or rec.value - rec.previous_high < 1:
            continue
        label = snap.labels[platform]
        month = rec.date.strftime("%Y-%m")
        out.append(Draft(
            type="growth", priority="medium", title=f"{label} followers at a new high",
            message=(f"{label} reached {fmt_num(rec.value)} followers on {fmt_day(rec.date, snap.today)}, above "
                     f"the previous high of {fmt_num(rec.previous_high)} "
                     f"({fmt_day(rec.previous_high_date, snap.today)})."),
            actions=(f"Thank your {label} audience: a post that says what the new fans can expect next works "
                     "well after a jump.",),
            sources=({"table": "daily_metric", "platform": platform},),
            figures={"now": _fig(int(rec.value), _followers_src(platform, rec.date)),
                     "previous": _fig(int(rec.previous_high), _followers_src(platform, rec.previous_high_date))},
            dedupe_key=f"record:{platform}:{month}", expires_in_days=7))
    return out


def _window_change(series, start: date, end: date) -> tuple[int, date] | None:
    """(change, baseline day) over [start, end] when the day before `start` and `end` itself are
    known: an older baseline would make "the last 7 days" cover more than seven."""
    gr = g.change_between(series, start, end)
    if gr is None or not gr.complete or gr.end_date != end or gr.start_date != start - timedelta(days=1):
        return None
    return gr.change, gr.start_date


def _change_fig(platform: str, change: int, base: date, end: date) -> dict[str, Any]:
    return _fig(change, {"kind": "followers_change", "platform": platform, "from": base.isoformat(),
                         "to": end.isoformat()})


def pace(snap: Snapshot) -> list[Draft]:
    """This week against last week, per platform: faster, slower, or losing followers."""
    out = []
    end = snap.today - timedelta(days=1)  # yesterday: today's numbers may still be arriving
    for platform, series in snap.followers.items():
        now = _window_change(series, end - timedelta(days=WEEK - 1), end)
        before = _window_change(series, end - timedelta(days=2 * WEEK - 1), end - timedelta(days=WEEK))
        if now is None or before is None:
            continue
        label = snap.labels[platform]
        week = end.isocalendar()
        key = f"{week[0]}-W{week[1]:02d}"
        figures = {"this_week": _change_fig(platform, now[0], now[1], end),
                   "last_week": _change_fig(platform, before[0], before[1], end - timedelta(days=WEEK)),
                   "days": _fig(WEEK, {"kind": "window"})}
        if now[0] < 0 and before[0] < 0:
            out.append(Draft(
                type="growth", priority="high", title=f"{label} keeps losing followers",
                message=(f"{label} lost {fmt_num(-now[0])} followers in the last 7 days after losing "
                         f"{fmt_num(-before[0])} the week before."),
                actions=(f"Look at your last {label} posts: what changed in what you post or how often?",
                         "If this platform matters less to you now, say so to your fans and point them elsewhere."),
                sources=({"table": "daily_metric", "platform": platform},), figures=figures,
                dedupe_key=f"losing:{platform}:{key}", expires_in_days=7))
        elif now[0] > 0 and before[0] > 0 and now[0] >= 1.5 * before[0] and now[0] - before[0] >= 20:
            out.append(Draft(
                type="trend", priority="medium", title=f"{label} is growing faster",
                message=(f"{label} gained {fmt_num(now[0])} followers in the last 7 days, against "
                         f"{fmt_num(before[0])} the week before."),
                actions=("Keep doing what you did this week: same kind of post, same rhythm.",),
                sources=({"table": "daily_metric", "platform": platform},), figures=figures,
                dedupe_key=f"faster:{platform}:{key}", expires_in_days=7))
        elif before[0] > 0 and 0 <= now[0] <= 0.5 * before[0] and before[0] - now[0] >= 20:
            out.append(Draft(
                type="trend", priority="medium", title=f"{label} growth is slowing",
                message=(f"{label} gained {fmt_num(now[0])} followers in the last 7 days, against "
                         f"{fmt_num(before[0])} the week before."),
                actions=(f"Post on {label} in your best slot this week (see your best times).",),
                sources=({"table": "daily_metric", "platform": platform},), figures=figures,
                dedupe_key=f"slower:{platform}:{key}", expires_in_days=7))
    return out


def jumps(snap: Snapshot) -> list[Draft]:
    """Yesterday's unusual jump or drop, against the same weekday of the platform's recent weeks.

    A day is judged once it is over: its next day's count must exist (the latest count of a
    platform is often a snapshot taken mid-day, or a figure the platform has not finished).
    """
    out = []
    day = snap.today - timedelta(days=1)
    for platform, series in snap.followers.items():
        if not any(d > day for d, _ in series):
            continue
        found = [a for a in an.anomalies(series[-120:]) if a.date == day]
        if not found:
            continue
        a = found[0]
        label = snap.labels[platform]
        change, usual = int(a.value), int(round(a.expected))
        spike = a.kind == "spike"
        if spike and change < 0:  # better than usual on a platform that loses followers
            what, title = f"lost only {fmt_num(-change)} followers", f"Fewer followers lost than usual on {label}"
        elif spike:
            what, title = f"gained {fmt_num(change)} followers", f"Unusual jump on {label}"
        elif change >= 0:
            what, title = f"gained only {fmt_num(change)} followers", f"Unusual drop on {label}"
        else:
            what, title = f"lost {fmt_num(-change)} followers", f"Unusual drop on {label}"
        out.append(Draft(
            type="trend", priority="high" if not spike and change < 0 else "medium", title=title,
            message=(f"{label} {what} on {fmt_day(day, snap.today)}, where a usual {day:%A} lately brings "
                     f"{fmt_signed(usual)}."),
            actions=(("Find what travelled (a share, a playlist, a mention) and do more of it while it lasts.",)
                     if spike else ("Check for a controversial post or a purge of inactive accounts.",)),
            sources=({"table": "daily_metric", "platform": platform},),
            figures={"change": _change_fig(platform, change, day - timedelta(days=1), day),
                     "usual": _fig(usual, {"kind": "usual_change", "platform": platform, "date": day.isoformat()})},
            dedupe_key=f"jump:{platform}:{day.isoformat()}", expires_in_days=5))
    return out


def release(snap: Snapshot) -> list[Draft]:
    """Since the latest release: what each platform gained."""
    rel = snap.release_date
    if rel is None or not 0 <= (snap.today - rel).days <= 60:
        return []
    end = snap.today - timedelta(days=1)
    parts = []
    figures = {"release": _fig(rel.isoformat(), {
        "kind": "release", "from": (snap.today - timedelta(days=RELEASE_LOOKBACK)).isoformat(),
        "to": snap.today.isoformat()})}
    for platform, series in sorted(snap.followers.items()):
        got = _window_change(series, rel, end)
        if got is None:
            continue
        figures[f"{platform}_since"] = _change_fig(platform, got[0], got[1], end)
        parts.append(f"{snap.labels[platform]} {fmt_signed(got[0])} followers")
    for platform, series in sorted(snap.views.items()):
        days = min(14, (end - rel).days + 1)
        before = [v for d, v in series if rel - timedelta(days=days) <= d < rel]
        after = [v for d, v in series if rel <= d < rel + timedelta(days=days) and d <= end]
        if len(before) == days and len(after) == days and sum(before) > 0:
            src = {"kind": "metric_sum", "platform": platform, "key": "views"}
            figures[f"{platform}_views_after"] = _fig(int(sum(after)), {**src, "from": rel.isoformat(),
                                                                       "to": (rel + timedelta(days=days - 1)).isoformat()})
            figures[f"{platform}_views_before"] = _fig(int(sum(before)), {
                **src, "from": (rel - timedelta(days=days)).isoformat(), "to": (rel - timedelta(days=1)).isoformat()})
            # 14 days, or the days since the release when fewer: the span is in the source.
            figures["views_days"] = _fig(days, {"kind": "window", "from": rel.isoformat(),
                                                "to": (rel + timedelta(days=days - 1)).isoformat()})
            parts.append(f"{snap.labels[platform]} views {fmt_num(int(sum(after)))} in the {days} days after, "
                         f"against {fmt_num(int(sum(before)))} in the {days} before")
    if not parts:
        return []
    return [Draft(
        type="trend", priority="medium", title=f"Since your release on {fmt_day(rel, snap.today)}",
        message=f"Since the release on {fmt_day(rel, snap.today)}: " + "; ".join(parts) + ".",
        actions=("Keep the release in front of new fans: a clip of the hook on your fastest-growing platform.",),
        sources=({"table": "daily_metric"}, {"table": "content_post", "what": "the latest release"}),
        figures=figures, dedupe_key=f"release:{rel.isoformat()}:{end.isocalendar()[1]}", expires_in_days=7)]


# ------------------------------------------------------------------ content and strategy
def _between(posts: list[dict], start: date, end: date) -> list[dict]:
    return [p for p in posts if start <= p["posted_at"].date() <= end]


def _content_window(snap: Snapshot) -> tuple[date, date, list[dict]]:
    """(start, end, posts) of the CONTENT_DAYS days the content signals read, ending yesterday."""
    end = snap.today - timedelta(days=1)
    start = end - timedelta(days=CONTENT_DAYS - 1)
    return start, end, _between(snap.posts, start, end)


def content_types(snap: Snapshot, followers: dict[str, int]) -> list[Draft]:
    """Which kind of post works best, per platform (90 days, at least 5 posts of each kind)."""
    out = []
    start, end, recent = _content_window(snap)
    for platform in sorted({p["platform"] for p in recent}):
        mine = [p for p in recent if p["platform"] == platform]
        rated = [gr for gr in eng.by_type(mine, followers) if gr.rated >= MIN_POSTS_PER_TYPE
                 and gr.avg_rate is not None]
        # Rates over reach and over followers are different measures: types are compared on one
        # of them (reach, the platform's own count, when two types have it), never across.
        groups = next((same for basis in ("reach", "followers")
                       if len(same := [gr for gr in rated if gr.basis == basis]) >= 2), [])
        if len(groups) < 2:
            continue
        best, worst = groups[0], groups[-1]
        if best.avg_rate < 1.5 * worst.avg_rate:
            continue
        label = snap.labels[platform]
        src = {"kind": "avg_rate", "platform": platform, "from": start.isoformat(), "to": end.isoformat()}
        out.append(Draft(
            type="content", priority="medium", title=f"On {label}, {best.key}s work best",
            message=(f"On {label}, your {best.key}s averaged {fmt_pct(best.avg_rate)} engagement over the last "
                     f"{CONTENT_DAYS} days ({best.rated} posts), against {fmt_pct(worst.avg_rate)} for "
                     f"{worst.key}s ({worst.rated} posts)."),
            actions=(f"Make more {best.key}s on {label}: turn your next {worst.key} idea into a {best.key}.",),
            sources=({"table": "content_post", "platform": platform},),
            figures={"best_rate": _fig(best.avg_rate, {**src, "type": best.key}),
                     "best_posts": _fig(best.rated, {**src, "kind": "posts", "type": best.key}),
                     "worst_rate": _fig(worst.avg_rate, {**src, "type": worst.key}),
                     "worst_posts": _fig(worst.rated, {**src, "kind": "posts", "type": worst.key}),
                     "days": _fig(CONTENT_DAYS, {"kind": "window"})},
            dedupe_key=f"types:{platform}:{best.key}:{worst.key}:{end.isocalendar()[1]}", expires_in_days=14))
    return out


def _basis(post: dict, followers: dict[str, int]) -> str | None:
    rated = eng.raw_rate(post, eng.followers_for(post, followers))
    return rated[1] if rated else None


def hashtags(snap: Snapshot, followers: dict[str, int]) -> list[Draft]:
    """The hashtag whose posts do best on a platform, against that platform's other posts
    (90 days; at least 5 rated posts on each side, all rated on one measure)."""
    out = []
    start, end, recent = _content_window(snap)
    for platform in sorted({p["platform"] for p in recent}):
        rated = [(_basis(p, followers), p) for p in recent if p["platform"] == platform]
        # One measure: the posts rated over reach when enough have it, else over followers.
        basis = next((b for b in ("reach", "followers")
                      if sum(1 for on, _ in rated if on == b) >= 2 * MIN_POSTS_PER_TYPE), None)
        if basis is None:
            continue
        same = [p for on, p in rated if on == basis]
        best = next((gr for gr in eng.by_hashtag(same, followers, MIN_POSTS_PER_TYPE)
                     if gr.avg_rate is not None and gr.rated < len(same)), None)
        if best is None:
            continue
        others = eng.group("others", [p for p in same if best.key not in eng.hashtags(p)], followers)
        if others.rated < MIN_POSTS_PER_TYPE or not others.avg_rate or best.avg_rate < 1.3 * others.avg_rate:
            continue
        label = snap.labels[platform]
        src = {"kind": "tag_rate", "platform": platform, "hashtag": best.key, "basis": basis,
               "from": start.isoformat(), "to": end.isoformat()}
        out.append(Draft(
            type="content", priority="low", title=f"On {label}, #{best.key} posts do best",
            message=(f"On {label}, your posts tagged #{best.key} averaged {fmt_pct(best.avg_rate)} engagement "
                     f"over the last {CONTENT_DAYS} days ({best.rated} posts), against {fmt_pct(others.avg_rate)} "
                     f"for your other posts ({others.rated} posts)."),
            actions=(f"Use #{best.key} on your next {label} post where it fits what the post is about.",
                     "A tag is often a theme: make more of what those posts show, not only the tag."),
            sources=({"table": "content_post", "platform": platform},),
            figures={"tag_rate": _fig(best.avg_rate, src),
                     "tag_posts": _fig(best.rated, {**src, "kind": "tag_posts"}),
                     "others_rate": _fig(others.avg_rate, {**src, "without": True}),
                     "others_posts": _fig(others.rated, {**src, "kind": "tag_posts", "without": True}),
                     "days": _fig(CONTENT_DAYS, {"kind": "window"})},
            dedupe_key=f"hashtag:{platform}:{best.key}:{end.isocalendar()[1]}", expires_in_days=14))
    return out


def frequency(snap: Snapshot) -> list[Draft]:
    """Weeks with more posts against weeks with fewer, per platform: named only when the
    platform's weekly growth rises with its posting (Spearman ≥ 0.5 over 8 full weeks or more,
    see analytics.timing), and said as a link, not a cause."""
    out = []
    this_monday = timing.week_start(snap.today)
    first, last = this_monday - timedelta(weeks=FREQUENCY_WEEKS), this_monday - timedelta(days=1)
    for platform, series in snap.followers.items():
        posts = [p for p in snap.posts if p["platform"] == platform]
        window = [x for x in series if first - timedelta(days=1) <= x[0] <= last]
        if not posts or not window:
            continue
        fg = timing.frequency_vs_growth(posts, window, snap.tz)
        if fg.verdict != "positive":
            continue
        threshold = statistics.median_high([n for _, n, _ in fg.weeks])
        busy = [c for _, n, c in fg.weeks if n >= threshold]
        quiet = [c for _, n, c in fg.weeks if n < threshold]
        if threshold < 1 or min(len(busy), len(quiet)) < MIN_WEEKS_EACH_SIDE:
            continue
        busy_avg, quiet_avg = round(sum(busy) / len(busy)), round(sum(quiet) / len(quiet))
        if busy_avg <= quiet_avg:
            continue
        label = snap.labels[platform]
        src = {"kind": "week_split", "platform": platform, "tz": snap.tz, "from": first.isoformat(),
               "to": last.isoformat()}
        out.append(Draft(
            type="strategy", priority="low", title=f"On {label}, your busier weeks grow more",
            message=(f"In the last {fg.n} full weeks, the {len(busy)} weeks with {threshold} or more {label} posts "
                     f"changed your {label} followers by {fmt_signed(busy_avg)} a week on average, against "
                     f"{fmt_signed(quiet_avg)} in the other {len(quiet)}. A link, not proof: busier weeks may "
                     "also be the weeks something else happened."),
            actions=(f"Plan {threshold} {label} posts a week for the next month and see if growth follows.",),
            sources=({"table": "daily_metric", "platform": platform}, {"table": "content_post", "platform": platform}),
            figures={"weeks": _fig(fg.n, {**src, "what": "weeks"}),
                     "min_posts": _fig(threshold, {**src, "kind": "week_posts_median"}),
                     "busy_weeks": _fig(len(busy), {**src, "what": "weeks", "busy": True}),
                     "busy_change": _fig(busy_avg, {**src, "what": "avg_change", "busy": True}),
                     "quiet_weeks": _fig(len(quiet), {**src, "what": "weeks", "busy": False}),
                     "quiet_change": _fig(quiet_avg, {**src, "what": "avg_change", "busy": False})},
            dedupe_key=f"frequency:{platform}:{last:%Y-%m}", expires_in_days=30))
    return out


def best_time(snap: Snapshot, followers: dict[str, int]) -> list[Draft]:
    """The artist's best weekday and hour, only when the evidence is enough (3 posts or more)."""
    start, end, recent = _content_window(snap)
    slots = [s for s in timing.best_times(recent, snap.tz, followers) if s.evidence == "ok" and s.avg_rate]
    if len(slots) < 2:
        return []
    best = slots[0]
    # The average is over the slot's rated posts only (a post with neither reach nor known
    # followers has no rate), and so is the count quoted with it.
    rated = sum(1 for at, r in timing.local_posts(recent, snap.tz, followers)
                if r is not None and (at.weekday(), at.hour) == (best.weekday, best.hour))
    day = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")[best.weekday]
    hours = f"{best.hour:02d}:00–{(best.hour + 1) % 24:02d}:00"
    src = {"kind": "slot_rate", "weekday": best.weekday, "hour": best.hour, "tz": snap.tz,
           "from": start.isoformat(), "to": end.isoformat()}
    return [Draft(
        type="strategy", priority="low", title=f"Your best time to post: {day}, {hours}",
        message=(f"Posts you published on {day} between {hours} ({snap.tz}) averaged {fmt_pct(best.avg_rate)} "
                 f"engagement over {rated} posts, your best slot of the last {CONTENT_DAYS} days."),
        actions=(f"Schedule your next important post for a {day[:-1]} around {best.hour:02d}:00.",),
        sources=({"table": "content_post"},),
        figures={"rate": _fig(best.avg_rate, src), "posts": _fig(rated, {**src, "kind": "slot_posts"}),
                 "days": _fig(CONTENT_DAYS, {"kind": "window"})},
        dedupe_key=f"best_time:{best.weekday}:{best.hour}:{end.isocalendar()[1]}", expires_in_days=14)]


# ------------------------------------------------------------------ goals
def goals(snap: Snapshot) -> list[Draft]:
    out = []
    for gs in snap.goals:
        if gs.current is None or gs.as_of is None:
            continue
        target = gs.goal.target
        src_now = {"kind": "goal_current", "goal_id": gs.id, "date": gs.as_of.isoformat()}
        figures = {"current": _fig(gs.current, src_now),
                   "target": _fig(target, {"kind": "goal_target", "goal_id": gs.id})}
        if gs.current >= target:
            if gs.achieved_on is not None and (snap.today - gs.achieved_on).days >= REACHED_NEWS_DAYS:
                continue  # old news: the goal page shows it; the feed does not repeat it every fortnight
            out.append(Draft(
                type="goal", priority="high", title=f"Goal reached: {gs.title}",
                message=f"You reached your goal of {fmt_num(target)}: you are at {fmt_num(gs.current)}.",
                actions=("Set the next goal while the momentum is there.",), sources=({"table": "goal"},),
                figures=figures, dedupe_key=f"goal_reached:{gs.id}:{target}", expires_in_days=14))
            continue
        fc = goal_math.as_forecast(gs.forecast_points) if gs.forecast_points else None
        proj = goal_math.projection(gs.goal, fc, current=gs.current) if fc else None
        if proj is None or proj.expected_date is None:
            continue
        when = proj.expected_date
        figures["expected"] = _fig(when.isoformat(), {"kind": "forecast_reaches", "goal_id": gs.id,
                                                        "target": target})
        late = gs.goal.deadline is not None and proj.by_deadline == "unlikely"
        deadline = f" (your deadline: {fmt_day(gs.goal.deadline, snap.today)})" if gs.goal.deadline else ""
        if gs.goal.deadline:
            figures["deadline"] = _fig(gs.goal.deadline.isoformat(), {"kind": "goal_deadline", "goal_id": gs.id})
        out.append(Draft(
            type="goal", priority="urgent" if late else "low",
            title=f"{gs.title}: {'behind' if late else 'on its way'}",
            message=(f"You are at {fmt_num(gs.current)} of {fmt_num(target)}. At the pace the forecast sees, you "
                     f"reach it around {fmt_day(when, snap.today)}{deadline}."),
            actions=(("Post more often on this platform, or move the deadline to something you can reach.",)
                     if late else ("Keep your rhythm: the forecast has you on the way.",)),
            sources=({"table": "goal"}, {"table": "forecast"}), figures=figures,
            dedupe_key=f"goal:{gs.id}:{when.isoformat()}:{proj.by_deadline}", expires_in_days=7))
    return out
