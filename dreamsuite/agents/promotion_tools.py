"""Agent tools over the artist's promotion: paid ads (Meta, Google/YouTube, TikTok), merch on
Shopify, and the promotion brain's findings and next actions. Small JSON-able dicts of this
workspace's own numbers; money as {"amount", "currency"}, never added across currencies.
"""

from __future__ import annotations

from typing import Literal

from pydantic_ai import ModelRetry, RunContext

from dreamsuite.agents.deps import AgentDeps
from dreamsuite.agents.tools import Period, _window
from dreamsuite.services import promotion_answers as pa

NOT_CONNECTED = "No ad account connected yet — connect one on the Promotion page."
Level = Literal["channel", "campaign", "creative"]
Status = Literal["proposed", "accepted", "dismissed", "expired", "all"]


def promotion_inventory(deps: AgentDeps) -> list[dict]:
    """The ad accounts and shops with the days their numbers cover, read once per agent run: the
    instructions of every model step and each promotion tool ask for them (three queries each)."""
    if deps.promotion is None:
        deps.promotion = pa.channels(deps.scope)
    return deps.promotion


def _kind(deps: AgentDeps, channel: str | None, *, shop: bool = False) -> tuple[str | None, dict | None]:
    """(channel kind or None for all, or the answer saying why it cannot be read)."""
    try:
        kind = pa.channel_kind(channel)
    except pa.UnknownChannel as e:
        raise ModelRetry(str(e)) from None
    have = promotion_inventory(deps)
    ads = [c for c in have if c["kind"] != "shopify"] if not shop else [c for c in have if c["kind"] == "shopify"]
    if not ads:
        message = "No shop connected yet — connect Shopify on the Promotion page." if shop else NOT_CONNECTED
        return None, {"has_data": False, "not_connected": True, "shop": shop, "message": message}
    if kind == "shopify" and not shop:
        raise ModelRetry("Shopify is the shop, not an ad channel: use merch_sales for it.")
    if kind is not None and not any(c["kind"] == kind for c in have):
        return None, {"has_data": False, "channel_not_connected": True, "channel": kind,
                      "label": pa.LABELS.get(kind, kind), "connected": [c["label"] for c in ads]}
    return kind, None


def ad_performance(ctx: RunContext[AgentDeps], period: Period = "last_30_days", channel: str | None = None,
                   level: Level = "channel", start: str | None = None, end: str | None = None) -> dict:
    """Paid ads over a window: spend, revenue the platform credits to the ads, ROAS, CPA, CTR,
    clicks and conversions per channel, campaign or creative, with totals per currency (amounts
    in different currencies are never added). `verdict` "too early" = too few conversions to judge.

    Args:
        period: as for follower_growth (last_30_days, last_month, this_month, last_7_days…); or start/end.
        channel: TikTok, Meta (Facebook/Instagram ads) or Google (YouTube ads); leave out for every channel.
        level: channel, campaign or creative.
        start: first day (YYYY-MM-DD) instead of the period.
        end: last day (YYYY-MM-DD), default today.
    """
    if level not in pa.LEVELS:
        raise ModelRetry("level must be channel, campaign or creative.")
    first, last, label = _window(ctx.deps, period, start, end)
    kind, refusal = _kind(ctx.deps, channel)
    out = {"period": label, "from": first.isoformat() if first else None, "to": last.isoformat(),
           "channel": kind, "label": pa.LABELS.get(kind) if kind else None, "level": level}
    if refusal:
        return out | refusal
    found = pa.performance(ctx.deps.scope, first, last, kind, level)
    found["items"] = found["items"][:15]
    return out | {"has_data": bool(found["items"]), **found}


def ad_worth_it(ctx: RunContext[AgentDeps], channel: str | None = None, creative: str | None = None) -> dict:
    """Is an ad still worth its money? Over the last 28 complete days, per channel, campaign and
    creative: worth "worth_it", "not_worth_it" (brought back less than it cost: ROAS under 1),
    "fading" (still pays, but its CTR keeps falling against its first week: fatigue, with the
    day it began) or "too_early" (too few conversions to judge). Each creative with its
    channel's median ROAS and CPA, and its CTR in its first and in the last week.

    Args:
        channel: TikTok, Meta (Facebook/Instagram ads) or Google (YouTube ads); leave out for all.
        creative: one creative's name or id; leave out for all.
    """
    kind, refusal = _kind(ctx.deps, channel)
    out = {"channel": kind, "label": pa.LABELS.get(kind) if kind else None, "creative": creative}
    if refusal:
        return out | refusal
    found = pa.worth_it(ctx.deps.scope, ctx.deps.reader.today(), kind, creative)
    for level in pa.LEVELS:
        found[level + "s"] = found[level + "s"][:12]
    has = any(found[level + "s"] for level in pa.LEVELS)
    return out | {"has_data": has, **found}


def merch_sales(ctx: RunContext[AgentDeps], period: Period = "last_30_days", start: str | None = None,
                end: str | None = None) -> dict:
    """Merch (Shopify) orders and revenue over a window per currency, with the orders and the
    share of revenue credited by UTM to each ad channel (the rest came without an ad's tag).

    Args:
        period: as for follower_growth; or start/end (YYYY-MM-DD).
    """
    first, last, label = _window(ctx.deps, period, start, end)
    _, refusal = _kind(ctx.deps, None, shop=True)
    out = {"period": label, "from": first.isoformat() if first else None, "to": last.isoformat()}
    if refusal:
        return out | refusal
    found = pa.merch(ctx.deps.scope, first, last)
    return out | {"has_data": bool(found["currencies"]), **found}


def promotion_advice(ctx: RunContext[AgentDeps], status: Status = "proposed",
                     limit: int = 5) -> dict:
    """What to do with the ad budget: the promotion brain's next actions, best first, each with
    its sentence, expected impact per day (money), confidence, evidence and status (proposed,
    accepted, dismissed, expired); and the latest run's fatigued creatives, spend anomalies and
    spend/revenue forecasts.

    Args:
        status: proposed (open, the default), accepted, dismissed, expired or all.
        limit: how many actions, 1 to 10.
    """
    if status not in Status.__args__:  # type: ignore[attr-defined]
        raise ModelRetry("status must be proposed, accepted, dismissed, expired or all.")
    if not isinstance(limit, int) or not 1 <= limit <= 10:
        raise ModelRetry("limit must be a whole number from 1 to 10.")
    _, refusal = _kind(ctx.deps, None)
    out: dict = {"status": status}
    if refusal:
        return out | refusal
    run = pa.latest_run(ctx.deps.scope)
    if run is None:
        return out | {"has_data": False, "no_run": True}
    found = pa.actions(ctx.deps.scope, None if status == "all" else status, limit)
    return out | {"has_data": True, "run": run, "actions": found}


TOOLS = [ad_performance, ad_worth_it, merch_sales, promotion_advice]
