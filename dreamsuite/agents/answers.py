"""The offline analyst's wording: plain sentences built only from tool results."""

from __future__ import annotations

from datetime import date

PERIOD_PHRASE = {
    "today": "Today", "yesterday": "Yesterday", "this_week": "This week", "last_week": "Last week",
    "this_month": "This month", "last_month": "Last month", "last_7_days": "Over the last 7 days",
    "last_14_days": "Over the last 14 days", "last_30_days": "Over the last 30 days",
    "last_90_days": "Over the last 90 days", "last_365_days": "Over the last year", "all": "Since tracking began",
}
NO_DATA = ("I don't have any numbers for you yet. Connect a platform on the Connections page "
           "and run a sync, then ask me again.")


def num(n: int | float) -> str:
    return f"{n:,.0f}" if float(n).is_integer() else f"{n:,.1f}"


def signed(n: int | float) -> str:
    return ("+" if n >= 0 else "-") + num(abs(n))


def pct(p: float | None) -> str:
    return f"{p:+.1f}%" if p is not None else "n/a"


def day(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d:%b} {d.day}"


def nothing_to_check() -> str:
    return ("I can answer questions about your followers, posts, best times, goals and engagement. "
            "What would you like to know?")


def _period_label(r: dict) -> str:
    if r.get("period") == "dates" and r.get("to"):
        if r.get("from") == r["to"]:
            return f"On {day(r['to'])}"
        return f"From {day(r['from'])} to {day(r['to'])}" if r.get("from") else f"Up to {day(r['to'])}"
    if r.get("period") == "since_release" and r.get("from"):
        return f"Since your release on {day(r['from'])}"
    if (p := r.get("period", "")) in PERIOD_PHRASE:
        return PERIOD_PHRASE[p]
    if p.startswith("last_") and p.endswith("_days"):
        return f"Over the last {p[5:-5]} days"
    return "Over this period"


def growth(r: dict) -> str:
    label = _period_label(r)
    where = r.get("label")
    if r.get("no_public_api"):
        return no_public_api(r.get("platform", ""))
    if r.get("not_connected"):
        connected = r.get("connected") or []
        now = f" Connected now: {', '.join(connected)}." if connected else ""
        return (f"{where} is not connected to Dream Suite, so I have no {where} numbers. Connect it on the "
                f"Connections page and I can answer after its first sync.{now}")
    if r.get("no_release"):
        return ("I found no release (a single, EP or album among your posts) in the last 180 days, so I can't "
                "count from one. Ask me about a period or from a date instead.")
    if not r.get("has_data"):
        on = f" on {where}" if where else ""
        if r.get("latest_date"):
            return (f"{label} I have no follower data{on}; the latest numbers I have are from "
                    f"{day(r['latest_date'])}.")
        return NO_DATA
    if where:
        label += f" on {where}"
    s = (f"{label} you went from {num(r['start_followers'])} to {num(r['end_followers'])} followers "
         f"({signed(r['change'])}, {pct(r['pct'])}).")
    if not r.get("complete"):
        s += f" (Tracking started on {day(r['start_date'])}, so this covers only part of the period.)"
    best, worst = r.get("best_day"), r.get("worst_day")
    if best and worst and best["date"] != worst["date"]:  # said for declining accounts too
        s += (f" Your best day was {day(best['date'])} ({signed(best['change'])}) and the weakest "
              f"{day(worst['date'])} ({signed(worst['change'])}).")
    if r.get("avg_daily_change") is not None:
        s += f" That is {signed(r['avg_daily_change'])} followers a day on average."
    plats = r.get("platforms") or []
    if len(plats) > 1:
        s += " By platform: " + ", ".join(
            f"{p.get('label') or p['platform'].title()} {signed(p['change'])} ({pct(p['pct'])})" for p in plats) + "."
    return s


def other_artist(name: str) -> str:
    who = f"{name}'s" if name else "another artist's or another user's"
    return (f"I can't look up {who} numbers: I only see the accounts you connected to this workspace. "
            "Ask me about your own followers, posts or engagement.")


def unavailable(platform: str, metric: str) -> str:
    from dreamsuite.platforms import get_adapter

    adapter = get_adapter(platform)
    why = adapter.unavailable_metrics.get(metric, "")
    return (f"I can't give you {adapter.label} {metric.replace('_', ' ')}: {why} "
            f"I can tell you your {adapter.label} followers and what else it shares.").replace("  ", " ")


def no_public_api(platform: str) -> str:
    from dreamsuite.platforms import platform_label

    label = platform_label(platform)
    return (f"{label} has no public API for artists yet, so Dream Suite cannot read your {label} numbers. "
            "Its own artist dashboard has them; here I can answer for the platforms you connected.")


def posts(r: dict) -> str:
    ps = r.get("posts") or []
    if not ps:
        return "I found no posts from the last 90 days to rank yet."
    lines = [f"Your top {len(ps)} post{'s' if len(ps) > 1 else ''} of the last 90 days by interactions:"]
    for i, p in enumerate(ps, 1):
        caption = (p.get("caption") or "untitled").strip().replace("\n", " ")
        rate = f", {p['engagement_rate']:.2f}% of followers" if p.get("engagement_rate") is not None else ""
        lines.append(f"{i}. \"{caption[:60]}\" on {p['platform'].title()} ({day(p['posted_at'])}): "
                     f"{num(p['engagement'])} interactions ({num(p['likes'])} likes, {num(p['comments'])} comments"
                     f"{rate}).")
    return "\n".join(lines)


def engagement(r: dict) -> str:
    if not r.get("has_data"):
        return NO_DATA
    s = f"In the 7 days to {day(r['as_of'])} you had {num(r['engagement_7d'])} interactions"
    if r.get("rate_7d") is not None:
        s += f" on {num(r['followers'])} followers, an engagement rate of {r['rate_7d']:.2f}%"
        if r.get("rate_prev_7d") is not None:
            s += f" (the week before: {r['rate_prev_7d']:.2f}%)"
    s += "."
    pp = r.get("per_post")
    if pp:
        s += (f" Across your {pp['posts']} posts of the last 30 days, a post averages {num(pp['likes'])} likes, "
              f"{num(pp['comments'])} comments and {num(pp['shares'])} shares.")
    return s


METRIC_WORDS = {  # unit, the top one, the bottom one
    "interactions": ("interactions", "one with the most interactions", "one with the fewest interactions"),
    "likes": ("likes", "most liked", "least liked"),
    "comments": ("comments", "most commented", "least commented"),
    "shares": ("shares", "most shared", "least shared"),
    "saves": ("saves", "most saved", "least saved"),
    "views": ("views", "most viewed", "least viewed"),
    "reach": ("reached", "one that reached the most", "one that reached the fewest"),
}
WEEKDAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")


def _refused(r: dict) -> str | None:
    if r.get("no_public_api") or r.get("not_connected"):
        return growth(r)
    return None


def ranked(r: dict) -> str:
    if (refused := _refused(r)) is not None:
        return refused
    where = f" on {r['label']}" if r.get("label") else ""
    kind = (r.get("post_type") or "post").rstrip("s")
    count = r.get("count") or 0
    if not count:
        return f"{_period_label(r)}{where} I found no {kind}s."
    unit, top, bottom = METRIC_WORDS.get(r.get("metric", ""), METRIC_WORDS["interactions"])
    said = f"{_period_label(r)}{where} you published {num(count)} {kind}{'s' if count != 1 else ''}"
    if r.get("average") is not None:
        said += f", {num(r['average'])} {unit} each on average"
    which = top if r.get("order") != "bottom" else bottom
    ps = r.get("posts") or []
    if len(ps) == 1:
        p = ps[0]
        return (f"{said}. The {which}: \"{p['caption'] or 'untitled'}\" on {p['label']} ({day(p['posted_at'])}), "
                f"{num(p['value'])} {unit}.")
    lines = [f"{said}. The {which} first:"]
    for i, p in enumerate(ps, 1):
        lines.append(f"{i}. \"{p['caption'] or 'untitled'}\" on {p['label']} ({day(p['posted_at'])}): "
                     f"{num(p['value'])} {unit}.")
    return "\n".join(lines)


def content(r: dict) -> str:
    if (refused := _refused(r)) is not None:
        return refused
    where = f" on {r['label']}" if r.get("label") else ""
    what = "content type" if r.get("by") == "type" else "hashtag"
    groups = r.get("groups") or []
    if not groups:
        return (f"{_period_label(r)}{where} there are not enough posts with a known reach or audience to compare "
                f"by {what}.")
    rows = []
    for gr in groups[:5]:
        name = gr["key"] if r.get("by") == "type" else f"#{gr['key']}"
        basis = {"reach": "of reach", "followers": "of followers", "mixed": "of reach or followers"}.get(
            gr.get("basis") or "", "")
        rows.append(f"{name} {gr['avg_rate']:.1f}% {basis} ({gr['rated']} post{'s' if gr['rated'] != 1 else ''})")
    said = f"{_period_label(r)}{where}, by {what}, your average engagement was: " + "; ".join(rows) + "."
    shown = groups[:5]
    if len({gr.get("basis") for gr in shown}) > 1:  # a rate over reach is not a rate over followers
        return said + (" These are different measures (over reach where the platform gives it, over followers "
                       "where it does not), so I don't rank them against each other.")
    if len(shown) > 1:
        best = shown[0]
        said += f" {(best['key'] if r.get('by') == 'type' else '#' + best['key']).capitalize()} works best so far."
    return said


def timing(r: dict) -> str:
    if (refused := _refused(r)) is not None:
        return refused
    where = f" on {r['label']}" if r.get("label") else ""
    slots = r.get("slots") or []
    tz = r.get("timezone", "UTC")
    if not slots:
        return (f"I can't name a best time{where} yet: no weekday and hour has 3 posts with a known reach or "
                f"audience in the last 90 days ({num(r.get('posts') or 0)} posts). Post a few times in the same slot "
                "and I can compare.")
    first = slots[0]
    s = (f"Your best time to post{where} is {WEEKDAYS[first['weekday']]} {first['hour']:02d}:00–"
         f"{(first['hour'] + 1) % 24:02d}:00 ({tz}): {first['avg_rate']:.1f}% average engagement over "
         f"{first['posts']} posts in the last 90 days.")
    if len(slots) > 1:
        s += " Next: " + ", ".join(f"{WEEKDAYS[x['weekday']]} {x['hour']:02d}:00 ({x['avg_rate']:.1f}%)"
                                    for x in slots[1:]) + "."
    week = r.get("week") or {}
    if week.get("verdict") in ("weekend", "weekday"):
        s += (f" Weekends average {week['weekend_rate']:.1f}% against {week['weekday_rate']:.1f}% on weekdays.")
    return s


def goals(r: dict) -> str:
    gs = r.get("goals") or []
    if not gs:
        return "You have no goals yet. Set one on the Goals page (say, 10,000 Instagram followers by June)."
    lines = []
    for gl in gs:
        pr, pj = gl.get("progress") or {}, gl.get("projection") or {}
        if not pr:
            lines.append(f"{gl['title']}: no numbers yet for {gl['label']}.")
            continue
        s = (f"{gl['title']}: {num(pr['current'])} of {num(pr['target'])} ({pr['pct']:.1f}%), "
             f"{num(pr['remaining'])} to go.")
        if pr.get("needed_per_day") is not None and pr.get("recent_per_day") is not None:
            s += (f" It needs {signed(pr['needed_per_day'])} a day; lately {signed(pr['recent_per_day'])} a day.")
        if pj.get("expected_date"):
            s += f" The forecast reaches it around {day(pj['expected_date'])}."
        lines.append(s)
    return "\n".join(lines)


def forecast(r: dict) -> str:
    if (refused := _refused(r)) is not None:
        return refused
    where = f" on {r['label']}" if r.get("label") else ""
    if not r.get("has_data"):
        return (f"I have no forecast{where} yet: it needs two weeks of daily numbers, and is made after each "
                "sync.")
    s = (f"The forecast{where} expects about {num(r['expected'])} followers by {day(r['date'])} "
         f"(80% band {num(r['low'])}–{num(r['high'])})")
    s += f", from {num(r['current'])} now." if r.get("current") else "."
    if r.get("target"):
        reach = r.get("reaches") or {}
        if reach.get("reached"):
            s += f" You are already past {num(r['target'])}."
        elif reach.get("expected_date"):
            s += f" It reaches {num(r['target'])} around {day(reach['expected_date'])}"
            if reach.get("earliest") and reach.get("latest"):
                s += f" (between {day(reach['earliest'])} and {day(reach['latest'])})"
            s += "."
        else:
            s += (f" {num(r['target'])} is not within the forecast, which runs to {day(r['runs_to'])}: at this "
                  "pace it is further away.")
    return s


def unusual(r: dict) -> str:
    if (refused := _refused(r)) is not None:
        return refused
    where = f" on {r['label']}" if r.get("label") else ""
    days = r.get("days") or []
    if not days:
        return f"{_period_label(r)}{where} no day stood out from your usual pace."
    lines = [f"{_period_label(r)}{where}, the days that stood out:"]
    for d in days[-5:]:
        what = "gained" if d["change"] >= 0 else "lost"
        lines.append(f"- {day(d['date'])} on {d['label']}: {what} {num(abs(d['change']))} followers where that "
                     f"weekday usually brings {signed(d['expected'])}.")
    lines.append("Posts, a release or a mention elsewhere on those days are the usual reasons.")
    return "\n".join(lines)


def comparison(r: dict) -> str:
    ps = r.get("platforms") or []
    if not ps:
        return NO_DATA
    basis = {"reach": "of reach", "followers": "of followers", "mixed": "of reach or followers"}
    lines = [f"Over the last {r['days']} days, platform by platform (growth as a % of where each started):"]
    for p in ps:
        bits = []
        if p.get("audience"):
            share = f", {p['share_pct']:.0f}% of your audience" if p.get("share_pct") is not None else ""
            bits.append(f"{num(p['audience'])} followers{share}")
        if p.get("growth_pct") is not None and p.get("complete"):
            bits.append(f"{pct(p['growth_pct'])} ({signed(p['change'])})")
        elif p.get("change") is not None:
            bits.append("too little history to compare its growth")
        if p.get("engagement_rate") is not None:
            bits.append(f"{p['engagement_rate']:.1f}% engagement {basis.get(p.get('basis') or '', '')}".rstrip())
        bits.append(f"{num(p['posts'])} post{'s' if p['posts'] != 1 else ''}")
        lines.append(f"- {p['label']}: " + "; ".join(bits) + ".")
    label = {p["platform"]: p["label"] for p in ps}
    if r.get("fastest_growth"):
        lines.append(f"Fastest growing: {label[r['fastest_growth']]}.")
    if r.get("top_engagement"):
        lines.append(f"Most engaging: {label[r['top_engagement']]}.")
    if r.get("fastest_growth") or r.get("top_engagement"):
        focus = r.get("fastest_growth") or r.get("top_engagement")
        lines.append(f"If you have time for one platform this week, {label[focus]} is where your numbers move most.")
    return "\n".join(lines)


def _amount(value: float, unit: str) -> str:
    if unit == "/100":
        return f"{num(value)}/100"
    if unit == "%":
        return f"{value:.1f}%"
    return f"{num(value)} {unit}".strip()


def platform_metric(r: dict) -> str:
    if (refused := _refused(r)) is not None:
        return refused
    where = f" on {r['label']}" if r.get("label") else ""
    if r.get("not_given"):
        if r.get("unavailable"):
            return " ".join(unavailable(p, r["metric"].replace(" ", "_")) for p in r["unavailable"])
        also = f" What I have{where}: {', '.join(r['available'])}." if r.get("available") else ""
        return f"I don't have {r['metric']}{where}: no connected platform gives it to us.{also}"
    lines = []
    for f in r.get("results") or []:
        if not f.get("has_data"):
            lines.append(f"{f['label']} has no {f['name'].lower()} stored for {_period_label(r).lower()} yet.")
            continue
        amount = _amount(f["value"], f.get("unit", ""))
        if f["agg"] == "last":
            lines.append(f"{f['label']} {f['name'].lower()}: {amount} (as of {day(f['as_of'])}).")
            continue
        how = " a day on average" if f["agg"] == "mean" else ""
        s = f"{_period_label(r)} on {f['label']}: {amount} {f['name'].lower()}{how}"
        if f.get("previous"):
            change = (f["value"] - f["previous"]) / f["previous"] * 100
            before = _amount(f["previous"], f.get("unit", "")) + ("" if f.get("unit") else f" {f['name'].lower()}")
            s += f" (the same span before: {before}, {change:+.1f}%)"
        lines.append(s + ".")
    return "\n".join(lines)


WRITERS = {"platform_metric": platform_metric, "compare_platforms": comparison, "goals_progress": goals,
           "forecast": forecast, "unusual_days": unusual,
           "follower_growth": growth, "top_posts": posts, "engagement_summary": engagement, "ranked_posts": ranked,
           "content_performance": content, "best_times": timing}


def compose(results, failed: list[str] = ()) -> str:
    """The answer from the tools' results: [(tool, result)] in the order they were called (or a
    {tool: result} dict)."""
    pairs = results.items() if isinstance(results, dict) else results
    parts = [WRITERS[name](r) for name, r in pairs if name in WRITERS]
    # Without any data every writer says the same thing: say it once.
    parts = list(dict.fromkeys(parts))
    if failed and not parts:
        return "Sorry, I couldn't look that up just now. Please try again in a moment."
    return "\n\n".join(parts) or nothing_to_check()
