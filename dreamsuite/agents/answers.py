"""The offline analyst's wording: plain sentences built only from tool results, in the
language of the question (templates in agents/lang/, chosen by agents/wording.py)."""

from __future__ import annotations

import re

from dreamsuite.agents.promotion_writing import WRITERS as PROMOTION_WRITERS
from dreamsuite.agents.promotion_writing import inventory_lines
from dreamsuite.agents.wording import (day, fixed, kinds, lower, metric_label, num, parts, pct, percent, period_label,
                                      signed, t)

def cell(text: str) -> str:
    """Text for a markdown table cell: one line, and a caption's "|" cannot open a new cell."""
    one_line = re.sub(r"[ \t\r\n]+", " ", str(text)).strip()  # a no-break space (French 11 285) stays
    return one_line.replace("\\", "\\\\").replace("|", "\\|")


def table(headers: list[str], rows: list[list[str]], right: tuple[int, ...] = ()) -> str:
    """A small markdown table; columns in `right` (numbers) align right."""
    line = lambda cells: "| " + " | ".join(cells) + " |"  # noqa: E731
    rule = ["---:" if i in right else "---" for i in range(len(headers))]
    return "\n".join([line(headers), line(rule), *(line([cell(c) for c in r]) for r in rows)])




def no_data() -> str:
    return t("no_data")


def nothing_to_check() -> str:
    return t("nothing_to_check")


def _where(r: dict) -> str:
    return t("on_platform", platform=r["label"]) if r.get("label") else ""


def growth(r: dict) -> str:
    label = period_label(r)
    where = r.get("label")
    if r.get("no_public_api"):
        return no_public_api(r.get("platform", ""))
    if r.get("not_connected"):
        connected = r.get("connected") or []
        now = t("connected_now", platforms=", ".join(connected)) if connected else ""
        return t("not_connected", platform=where) + now
    if r.get("no_release"):
        return t("no_release")
    if r.get("not_synced"):
        return t("not_synced", platform=where)
    if not r.get("has_data"):
        if r.get("latest_date"):
            return t("growth.no_data_since", when=label, where=_where(r), day=day(r["latest_date"]))
        return no_data()
    s = t("growth.main", when=label + _where(r), start=num(r["start_followers"]), end=num(r["end_followers"]),
          change=signed(r["change"]), pct=pct(r["pct"]))
    partial = r.get("partial") or []
    if not r.get("complete") and (len(partial) <= 1 or r.get("label")):
        s += t("growth.partial", day=day(partial[0]["start"] if partial else r["start_date"]))
    elif not r.get("complete"):
        s += t("growth.partial_some", platforms=", ".join(f"{p['label']} ({day(p['start'])})" for p in partial))
    best, worst = r.get("best_day"), r.get("worst_day")
    if best and worst and best["date"] != worst["date"]:  # said for declining accounts too
        s += t("growth.best_worst", best=day(best["date"]), best_change=signed(best["change"]),
               worst=day(worst["date"]), worst_change=signed(worst["change"]))
    if r.get("avg_daily_change") is not None:
        s += t("growth.per_day", n=signed(r["avg_daily_change"]))
    plats = r.get("platforms") or []
    if len(plats) > 1:
        s += t("growth.by_platform", list=", ".join(
            f"{p.get('label') or p['platform'].title()} {signed(p['change'])} ({pct(p['pct'])})" for p in plats))
    return s


def other_artist(name: str) -> str:
    who = t("other_artist.named", name=name) if name else t("other_artist.anyone")
    return t("other_artist", who=who)


def unavailable(platform: str, metric: str) -> str:
    from dreamsuite.platforms import get_adapter

    adapter = get_adapter(platform)
    why = adapter.unavailable_metrics.get(metric, "")
    return t("unavailable", platform=adapter.label, metric=metric_label(metric.replace("_", " ")),
             why=why).replace("  ", " ")


def no_public_api(platform: str) -> str:
    from dreamsuite.platforms import platform_label

    return t("no_public_api", platform=platform_label(platform))


def posts(r: dict) -> str:
    ps = r.get("posts") or []
    if not ps:
        return t("posts.none")
    from dreamsuite.agents.tools import short_caption
    from dreamsuite.platforms import platform_label

    rated = any(p.get("engagement_rate") is not None for p in ps)
    rows = [[str(i), f"\"{short_caption(p.get('caption'), 60) or t('untitled')}\"", platform_label(p["platform"]),
             day(p["posted_at"]), num(p["engagement"]), num(p["likes"]), num(p["comments"])]
            + ([percent(p["engagement_rate"], 2) if p.get("engagement_rate") is not None else "–"] if rated else [])
            for i, p in enumerate(ps, 1)]
    head = [t("col.rank"), t("col.post"), t("col.platform"), t("col.date"), t("col.interactions"), t("col.likes"),
            t("col.comments")] + ([t("col.rate")] if rated else [])
    return (t("posts.head", n=len(ps), posts=kinds("post", len(ps))) + "\n\n"
            + table(head, rows, right=(0, 4, 5, 6, 7)))


def engagement(r: dict) -> str:
    if not r.get("has_data"):
        return no_data()
    s = t("eng.head", day=day(r["as_of"]), n=num(r["engagement_7d"]))
    if r.get("rate_7d") is not None:
        s += t("eng.rate", followers=num(r["followers"]), rate=fixed(r["rate_7d"], 2))
        if r.get("rate_prev_7d") is not None:
            s += t("eng.before", rate=fixed(r["rate_prev_7d"], 2))
    s += "."
    pp = r.get("per_post")
    if pp:
        s += t("eng.per_post", n=pp["posts"], likes=num(pp["likes"]), comments=num(pp["comments"]),
               shares=num(pp["shares"]))
    return s


def _refused(r: dict) -> str | None:
    if r.get("no_public_api") or r.get("not_connected"):
        return growth(r)
    return None


def ranked(r: dict) -> str:
    if (refused := _refused(r)) is not None:
        return refused
    kind = (r.get("post_type") or "post").strip().lower().rstrip("s") or "post"
    count = r.get("count") or 0
    if not count:
        return t("ranked.none", when=period_label(r), where=_where(r), kinds=kinds(kind, 2))
    metric = r.get("metric", "")
    unit, top, bottom = parts(f"metric.{metric}" if metric in RANK_METRICS else "metric.interactions")
    said = base = t("ranked.count", when=period_label(r), where=_where(r), n=num(count), kinds=kinds(kind, count))
    if r.get("average") is not None:
        said += t("ranked.average", n=num(r["average"]), unit=unit)
    which = top if r.get("order") != "bottom" else bottom
    ps = r.get("posts") or []
    if ps and not any(p["value"] for p in ps) and r.get("order") != "bottom":
        return t("ranked.none_counted", said=base, unit=unit)
    if len(ps) == 1:
        p = ps[0]
        return t("ranked.one", said=said, which=which, caption=p["caption"] or t("untitled"), platform=p["label"],
                 day=day(p["posted_at"]), n=num(p["value"]), unit=unit)
    rows = [[str(i), f"\"{p['caption'] or t('untitled')}\"", p["label"], day(p["posted_at"]), num(p["value"])]
            for i, p in enumerate(ps, 1)]
    head = [t("col.rank"), t("col.post"), t("col.platform"), t("col.date"), unit[:1].upper() + unit[1:]]
    return t("ranked.head", said=said, which=which) + "\n\n" + table(head, rows, right=(0, 4))


RANK_METRICS = ("interactions", "likes", "comments", "shares", "saves", "views", "reach")


def _basis(key: str | None) -> str:
    return t(f"basis.{key}") if key in ("reach", "followers", "mixed") else ""


def content(r: dict) -> str:
    if (refused := _refused(r)) is not None:
        return refused
    by_type = r.get("by") == "type"
    what = t("content.type") if by_type else t("content.hashtag")
    groups = r.get("groups") or []
    if not groups:
        return t("content.too_few", when=period_label(r), where=_where(r), what=what)
    shown = groups[:5]

    def name(gr: dict) -> str:
        return kinds(gr["key"], 1) if by_type else f"#{gr['key']}"

    rows = [t("content.row", name=name(gr), rate=fixed(gr["avg_rate"]), basis=_basis(gr.get("basis")),
              n=gr["rated"], posts=kinds("post", gr["rated"])) for gr in shown]
    said = t("content.main", when=period_label(r), where=_where(r), what=what, rows="; ".join(rows))
    if len({gr.get("basis") for gr in shown}) > 1:  # a rate over reach is not a rate over followers
        return said + t("content.mixed")
    if len(shown) > 1:
        best = name(shown[0])
        said += t("content.best", name=best[:1].upper() + best[1:])
    return said


def timing(r: dict) -> str:
    if (refused := _refused(r)) is not None:
        return refused
    slots = r.get("slots") or []
    tz = r.get("timezone", "UTC")
    if not slots:
        return t("timing.none", where=_where(r), n=num(r.get("posts") or 0))
    weekdays = parts("weekdays")
    first = slots[0]
    s = t("timing.best", where=_where(r), weekday=weekdays[first["weekday"]],
          hours=f"{first['hour']:02d}:00–{(first['hour'] + 1) % 24:02d}:00", tz=tz, rate=fixed(first["avg_rate"]),
          n=first["posts"])
    if len(slots) > 1:
        s += t("timing.next", list=", ".join(f"{weekdays[x['weekday']]} {x['hour']:02d}:00 ({percent(x['avg_rate'])})"
                                             for x in slots[1:]))
    week = r.get("week") or {}
    if week.get("verdict") in ("weekend", "weekday"):
        s += t("timing.week", weekend=fixed(week["weekend_rate"]), weekday=fixed(week["weekday_rate"]))
    return s


def goals(r: dict) -> str:
    gs = r.get("goals") or []
    if not gs:
        return t("goals.none")
    lines = []
    for gl in gs:
        pr, pj = gl.get("progress") or {}, gl.get("projection") or {}
        if not pr:
            lines.append(t("goals.no_numbers", title=gl["title"], platform=gl["label"]))
            continue
        s = t("goals.progress", title=gl["title"], current=num(pr["current"]), target=num(pr["target"]),
              pct=fixed(pr["pct"]), remaining=num(pr["remaining"]))
        if pr.get("needed_per_day") is not None and pr.get("recent_per_day") is not None:
            s += t("goals.pace", needed=signed(pr["needed_per_day"]), recent=signed(pr["recent_per_day"]))
        if pj.get("expected_date"):
            s += t("goals.eta", day=day(pj["expected_date"]))
        lines.append(s)
    return "\n".join(lines)


def forecast(r: dict) -> str:
    if (refused := _refused(r)) is not None:
        return refused
    where = _where(r)
    if r.get("per_platform"):
        lines = [t("forecast.no_total", platforms=", ".join(r.get("too_short") or []))]
        for f in r["per_platform"]:
            line = t("forecast.line", platform=f["label"], expected=num(f["expected"]), day=day(f["date"]),
                     low=num(f["low"]), high=num(f["high"]))
            lines.append(line + (t("forecast.now", current=num(f["current"])) if f.get("current") else "."))
        return "\n".join(lines)
    if not r.get("has_data"):
        return t("forecast.none", where=where)
    s = t("forecast.main", where=where, expected=num(r["expected"]), day=day(r["date"]), low=num(r["low"]),
          high=num(r["high"]))
    s += t("forecast.now", current=num(r["current"])) if r.get("current") else "."
    if r.get("target"):
        reach = r.get("reaches") or {}
        target = num(r["target"])
        if reach.get("reached"):
            s += t("forecast.past", target=target)
        elif reach.get("expected_date"):
            s += t("forecast.reaches", target=target, day=day(reach["expected_date"]))
            if reach.get("earliest") and reach.get("latest"):
                s += t("forecast.between", earliest=day(reach["earliest"]), latest=day(reach["latest"]))
            s += "."
        else:
            s += t("forecast.beyond", target=target, day=day(r["runs_to"]))
    return s


def unusual(r: dict) -> str:
    if (refused := _refused(r)) is not None:
        return refused
    days = r.get("days") or []
    if not days:
        return t("unusual.none", when=period_label(r), where=_where(r))
    lines = [t("unusual.head", when=period_label(r), where=_where(r))]
    for d in days[-5:]:
        key = "unusual.gained" if d["change"] >= 0 else "unusual.lost"
        lines.append(t(key, day=day(d["date"]), platform=d["label"], n=num(abs(d["change"])),
                       usual=signed(d["expected"])))
    lines.append(t("unusual.why"))
    return "\n".join(lines)


def comparison(r: dict) -> str:
    ps = r.get("platforms") or []
    if not ps:
        return no_data()
    rows = []
    for p in ps:
        growth_ = (f"{pct(p['growth_pct'])} ({signed(p['change'])})" if p.get("growth_pct") is not None
                   and p.get("complete") else t("compare.too_short") if p.get("change") is not None else "–")
        rate = (t("compare.engagement", rate=fixed(p["engagement_rate"]), basis=_basis(p.get("basis"))).rstrip()
                if p.get("engagement_rate") is not None else "–")
        rows.append([p["label"], num(p["audience"]) if p.get("audience") else "–",
                     percent(p["share_pct"], 0) if p.get("share_pct") is not None else "–", growth_, rate,
                     num(p["posts"])])
    head = [t("col.platform"), t("col.followers"), t("col.share"), t("col.growth"), t("col.engagement"),
            t("col.posts")]
    lines = [t("compare.head", days=r["days"]), "", table(head, rows, right=(1, 2, 5)), ""]
    label = {p["platform"]: p["label"] for p in ps}
    if r.get("fastest_growth"):
        lines.append(t("compare.fastest", platform=label[r["fastest_growth"]]))
    if r.get("top_engagement"):
        lines.append(t("compare.engaging", platform=label[r["top_engagement"]]))
    if r.get("fastest_growth") or r.get("top_engagement"):
        focus = r.get("fastest_growth") or r.get("top_engagement")
        lines.append(t("compare.focus", platform=label[focus]))
    return "\n".join(lines)


def _amount(value: float, unit: str) -> str:
    if unit == "/100":
        return f"{num(value)}/100"
    if unit == "%":
        return percent(value)
    return f"{num(value)} {t('unit.' + unit) if unit in ('hours', 'min') else unit}".strip()


def platform_metric(r: dict) -> str:
    if (refused := _refused(r)) is not None:
        return refused
    where = _where(r)
    if r.get("not_given"):
        if r.get("unavailable"):
            return " ".join(unavailable(p, r["metric"].replace(" ", "_")) for p in r["unavailable"])
        also = t("metric.have", where=where, list=", ".join(metric_label(a) for a in r["available"])) \
            if r.get("available") else ""
        return t("metric.not_given", metric=metric_label(r["metric"]), where=where) + also
    lines = []
    for f in r.get("results") or []:
        name = lower(metric_label(f["name"]))
        if not f.get("has_data"):
            lines.append(t("metric.none_stored", platform=f["label"], metric=name, when=lower(period_label(r))))
            continue
        amount = _amount(f["value"], f.get("unit", ""))
        if f["agg"] == "last":
            lines.append(t("metric.latest", platform=f["label"], metric=name, amount=amount, day=day(f["as_of"])))
            continue
        s = t("metric.main", when=period_label(r), platform=f["label"], amount=amount, metric=name,
              per_day=t("metric.per_day") if f["agg"] == "mean" else "")
        if f.get("previous"):
            change = (f["value"] - f["previous"]) / f["previous"] * 100
            before = _amount(f["previous"], f.get("unit", "")) + ("" if f.get("unit") else f" {name}")
            s += t("metric.before", before=before, change=pct(change).rstrip("%").rstrip("\u00a0"))
        lines.append(s + ".")
    return "\n".join(lines)


def insights(r: dict) -> str:
    rows = r.get("insights") or []
    if not rows:
        return t("insights.none")
    lines = [t("insights.head")]
    for i in rows:
        priority = t(f"priority.{i['priority']}") if i.get("priority") in ("urgent", "high", "medium", "low") else ""
        lines.append(t("insights.line", priority=priority, title=i["title"].rstrip("."), message=i["message"]))
    return "\n".join(lines)


def upcoming(r: dict) -> str:
    if (refused := _refused(r)) is not None:
        return refused
    where, days = _where(r), r.get("days", 7)
    ps = r.get("posts") or []
    if not ps:
        return t("upcoming.none", where=where, days=days)
    count = r.get("count", len(ps))
    lines = [t("upcoming.head", n=num(count), posts=kinds("post", count), where=where, days=days,
               tz=r.get("timezone", "UTC"))]
    for p in ps:
        lines.append(t("upcoming.line", when=f"{day(p['local'][:10])} {p['local'][11:16]}",
                       platforms=", ".join(p["labels"]) or "—", caption=p["caption"] or t("untitled")))
    if count > len(ps):
        lines.append(t("upcoming.more", n=num(count - len(ps))))
    return "\n".join(lines)


def inventory(r: dict) -> str:
    connected = r.get("connected") or []
    lines = [t("inventory.head")] if connected or r.get("promotion") else [t("inventory.none")]
    for p in connected:
        if p.get("first_day"):
            lines.append(t("inventory.line", platform=p["label"], first=day(p["first_day"]), last=day(p["last_day"])))
        else:
            lines.append(t("inventory.empty", platform=p["label"]))
    lines += inventory_lines(r.get("promotion") or [])
    if r.get("without_public_api"):
        lines.append(t("inventory.no_api", platforms=", ".join(r["without_public_api"])))
    return "\n".join(lines)


WRITERS = {"platform_metric": platform_metric, "compare_platforms": comparison, "goals_progress": goals,
           "forecast": forecast, "unusual_days": unusual, "data_inventory": inventory,
           "recent_insights": insights, "upcoming_posts": upcoming,
           "follower_growth": growth, "top_posts": posts, "engagement_summary": engagement, "ranked_posts": ranked,
           "content_performance": content, "best_times": timing, **PROMOTION_WRITERS}


def compose(results, failed: list[str] = ()) -> str:
    """The answer from the tools' results: [(tool, result)] in the order they were called (or a
    {tool: result} dict)."""
    pairs = results.items() if isinstance(results, dict) else results
    said = [WRITERS[name](r) for name, r in pairs if name in WRITERS]
    # Without any data every writer says the same thing: say it once.
    said = list(dict.fromkeys(said))
    if failed and not said:
        return t("failed")
    return "\n\n".join(said) or nothing_to_check()
