"""The offline analyst's wording: plain sentences built only from tool results."""

from __future__ import annotations

from datetime import date

PERIOD_PHRASE = {
    "this_month": "This month", "last_month": "Last month", "last_7_days": "Over the last 7 days",
    "last_30_days": "Over the last 30 days", "last_90_days": "Over the last 90 days",
    "last_365_days": "Over the last year", "all": "Since tracking began",
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
    return "I can answer questions about your followers, your top posts and your engagement. What would you like to know?"


def growth(r: dict) -> str:
    label = PERIOD_PHRASE.get(r.get("period", ""), "Over this period")
    if not r.get("has_data"):
        if r.get("latest_date"):
            return f"{label} I have no follower data; the latest numbers I have are from {day(r['latest_date'])}."
        return NO_DATA
    s = (f"{label} you went from {num(r['start_followers'])} to {num(r['end_followers'])} followers "
         f"({signed(r['change'])}, {pct(r['pct'])}).")
    if not r.get("complete"):
        s += f" (Tracking started on {day(r['start_date'])}, so this covers only part of the period.)"
    best, worst = r.get("best_day"), r.get("worst_day")
    if best and best["change"] > 0:
        s += f" Your best day was {day(best['date'])} ({signed(best['change'])})"
        s += f" and the weakest {day(worst['date'])} ({signed(worst['change'])})." if worst and worst["date"] != best["date"] else "."
    if r.get("avg_daily_change") is not None:
        s += f" That is {signed(r['avg_daily_change'])} followers a day on average."
    plats = r.get("platforms") or []
    if len(plats) > 1:
        s += " By platform: " + ", ".join(
            f"{p['platform'].title()} {signed(p['change'])} ({pct(p['pct'])})" for p in plats) + "."
    return s


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


WRITERS = {"follower_growth": growth, "top_posts": posts, "engagement_summary": engagement}


def compose(results: dict[str, dict], failed: list[str] = ()) -> str:
    parts = [WRITERS[name](r) for name, r in results.items() if name in WRITERS]
    # Without any data every writer says the same thing: say it once.
    parts = list(dict.fromkeys(parts))
    if failed and not parts:
        return "Sorry, I couldn't look that up just now. Please try again in a moment."
    return "\n\n".join(parts) or nothing_to_check()
