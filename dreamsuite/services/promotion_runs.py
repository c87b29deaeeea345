"""The daily promotion brain run of one workspace: its stored numbers in, a BrainRun row, the
proposed actions kept by their stable key, accepted ones measured, and the top ones in the feed.

Budgets: none are passed. The brain's pacing (analytics/promotion_pacing.py) judges a budget
over a period with a start and an end; a campaign's daily budget is a cap on each day, not a
period's amount (the platform itself keeps each day under it), and a lifetime budget has no end
date in our tables, so neither fits without inventing a period.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import time
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from dreamsuite import db
from dreamsuite.analytics.money import Money, from_minor, to_minor
from dreamsuite.analytics.promotion_brain import BrainResult, brain
from dreamsuite.analytics.promotion_data import DailyAdRow, DailyOrders
from dreamsuite.analytics.promotion_hitrate import PastAction, hit_rate
from dreamsuite.insights import promotion as promo_insights
from dreamsuite.models import (
    ActionStatus, AdCreative, AdDailyMetric, BrainRun, MerchDaily, PromotionAction, PromotionChannel, Workspace,
)
from dreamsuite.platforms.promotion_base import promotion_class
from dreamsuite.services import insights
from dreamsuite.services.notifications import notify
from dreamsuite.services.promotion_outcomes import measure_due
from dreamsuite.services.promotion_store import CHANNEL_OF_KIND, zone

INPUT_DAYS = 180  # what the brain reads: its longest look back is the 56-day response fit, plus margin
# utm_source values (lower case) naming an ad channel; any other source is not credited to one.
SOURCES = {"facebook": "meta", "instagram": "meta", "ig": "meta", "fb": "meta", "meta": "meta",
           "google": "google", "youtube": "google", "yt": "google", "tiktok": "tiktok"}
LINK = "/promotion"


def attributed(utm_source: str) -> str | None:
    return SOURCES.get((utm_source or "").strip().lower())


async def run_brain(workspace_id: int, today: date | None = None, *, feed: bool = True) -> int:
    """Run the brain for the workspace (as of its local today by default); the BrainRun id. The
    same inputs on the same day as the latest run give that run back, not a new one. Without
    `feed` (a past day replayed for the record) no insight or notification is written."""
    today = today or await db.run(_local_today, workspace_id)
    rows, orders, digest = await db.run(_inputs, workspace_id, today)
    names = await db.run(_names, workspace_id)
    digest = hashlib.sha256(f"{digest}|{sorted(names.items())}".encode()).hexdigest()  # a rename is a new run
    latest = await db.run(_latest, workspace_id)
    if latest is not None and latest[1] == digest and latest[2] == today:
        return latest[0]
    began = time.perf_counter()
    # pandas: CPU work off the event loop
    result = await asyncio.to_thread(lambda: brain(rows, orders, today, names=names))
    took = int((time.perf_counter() - began) * 1000)
    return await db.run(_record, workspace_id, today, digest, result, took, feed)


async def advice(workspace_id: int, today: date) -> BrainResult:
    """What the brain would advise on that day, without recording anything."""
    rows, orders, _ = await db.run(_inputs, workspace_id, today)
    names = await db.run(_names, workspace_id)
    return await asyncio.to_thread(lambda: brain(rows, orders, today, names=names))


def _local_today(workspace_id: int) -> date:
    with db.session() as s:
        ws = s.get(Workspace, workspace_id)
        if ws is None:
            raise LookupError(f"Workspace {workspace_id} does not exist")
        return db.utcnow().astimezone(zone(ws.timezone)).date()


def _inputs(workspace_id: int, today: date) -> tuple[list[DailyAdRow], list[DailyOrders], str]:
    """The brain's rows from the tables, and the sha256 of every one of them (as stored)."""
    start = today - timedelta(days=INPUT_DAYS)
    digest = hashlib.sha256()
    with db.session() as s:
        ads = s.exec(select(PromotionChannel.kind, AdDailyMetric.day, AdDailyMetric.campaign_external_id,
                            AdDailyMetric.creative_external_id, AdDailyMetric.currency, AdDailyMetric.spend_minor,
                            AdDailyMetric.revenue_minor, AdDailyMetric.impressions, AdDailyMetric.clicks,
                            AdDailyMetric.conversions, AdDailyMetric.reach)
                     .join(PromotionChannel, PromotionChannel.id == AdDailyMetric.channel_id)
                     .where(AdDailyMetric.workspace_id == workspace_id, PromotionChannel.workspace_id == workspace_id,
                            PromotionChannel.kind.in_(list(CHANNEL_OF_KIND)),
                            AdDailyMetric.day >= start, AdDailyMetric.day <= today)
                     .order_by(AdDailyMetric.day, PromotionChannel.kind, AdDailyMetric.campaign_external_id,
                               AdDailyMetric.creative_external_id, AdDailyMetric.currency)).all()
        merch = s.exec(select(MerchDaily.day, MerchDaily.currency, MerchDaily.utm_source, MerchDaily.orders,
                              MerchDaily.revenue_minor)
                       .where(MerchDaily.workspace_id == workspace_id, MerchDaily.day >= start,
                              MerchDaily.day <= today)
                       .order_by(MerchDaily.day, MerchDaily.currency, MerchDaily.utm_source)).all()
    rows = []
    for kind, day, campaign, creative, cur, spend, revenue, imp, clicks, conv, reach in ads:
        digest.update(f"a|{kind}|{day}|{campaign}|{creative}|{cur}|{spend}|{revenue}|{imp}|{clicks}|{conv}|"
                      f"{reach}\n".encode())
        rows.append(DailyAdRow(day, CHANNEL_OF_KIND[kind], campaign, creative, cur, from_minor(spend, cur), imp,
                               clicks, conv, from_minor(revenue, cur), reach, None))
    # Several sources (and shops) may credit one channel on one day: one row each.
    summed: dict[tuple[date, str, str | None], list[int]] = defaultdict(lambda: [0, 0])
    for day, cur, source, n, revenue in merch:
        digest.update(f"m|{day}|{cur}|{source}|{n}|{revenue}\n".encode())
        line = summed[(day, cur, attributed(source))]
        line[0] += n
        line[1] += revenue
    orders = [DailyOrders(day, cur, n, from_minor(revenue, cur), channel)
              for (day, cur, channel), (n, revenue) in sorted(summed.items(), key=lambda kv: (kv[0][0], kv[0][1],
                                                                                              kv[0][2] or ""))]
    return rows, orders, digest.hexdigest()


def _names(workspace_id: int) -> dict[str, str]:
    """What the actions' sentences call the creatives and channels: the names the artist gave them
    on the platform ("creative:meta/123" → "Studio diary #1") and the platforms' own labels."""
    with db.session() as s:
        found = s.exec(select(PromotionChannel.kind, AdCreative.external_id, AdCreative.name)
                       .join(PromotionChannel, PromotionChannel.id == AdCreative.channel_id)
                       .where(AdCreative.workspace_id == workspace_id, PromotionChannel.workspace_id == workspace_id,
                              PromotionChannel.kind.in_(list(CHANNEL_OF_KIND)))).all()
    names = {f"channel:{ch}": promotion_class(kind).label for kind, ch in CHANNEL_OF_KIND.items()}
    names.update({f"creative:{CHANNEL_OF_KIND[kind]}/{cid}": name.strip() for kind, cid, name in found if name.strip()})
    return names


def _latest(workspace_id: int) -> tuple[int, str, date] | None:
    with db.session() as s:
        run = s.exec(select(BrainRun).where(BrainRun.workspace_id == workspace_id)
                     .order_by(BrainRun.computed_at.desc(), BrainRun.id.desc()).limit(1)).first()
        return (run.id, run.inputs_hash, run.today) if run else None


def plain(x: Any) -> Any:
    """JSON a database accepts: NaN and infinities (no JSON value) become null."""
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, dict):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, Decimal):
        return str(x)
    if isinstance(x, date):
        return x.isoformat()
    if hasattr(x, "item") and not isinstance(x, (str, bytes)):  # a numpy scalar
        return plain(x.item())
    return x


def _record(workspace_id: int, today: date, digest: str, result: BrainResult, took: int, feed: bool = True) -> int:
    # Two runs of one workspace at once (the daily job and one asked for) may both insert a new
    # action's key: the loser's transaction is run again, and then finds that row and updates it.
    for attempt in (1, 2):
        try:
            return _record_once(workspace_id, today, digest, result, took, feed)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _record_once(workspace_id: int, today: date, digest: str, result: BrainResult, took: int, feed: bool) -> int:
    with db.session() as s:
        run = BrainRun(workspace_id=workspace_id, today=today, inputs_hash=digest, duration_ms=took,
                       outputs=plain(result.to_dict()))
        s.add(run)
        s.flush()
        new_keys = _keep_actions(s, workspace_id, run.id, today, result)
        measured = measure_due(s, workspace_id, today)
        rate = hit_rate(_history(s, workspace_id))
        run.outputs = {**run.outputs, "hit_rate": plain(rate.to_dict()), "measured": measured}
        s.add(run)
        if feed:
            _feed(s, workspace_id, run.id, new_keys)
        db.announce_after_commit(s, workspace_id, "promotion", brain_run_id=run.id)
        return run.id


def _keep_actions(s: Session, workspace_id: int, run_id: int, today: date, result: BrainResult) -> set[str]:
    """Upsert the run's actions by key; the keys new to the workspace."""
    existing = {a.key: a for a in s.exec(select(PromotionAction).where(PromotionAction.workspace_id == workspace_id))}
    found, new = set(), set()
    for rank, a in enumerate(result.actions):
        found.add(a.key)
        row = existing.get(a.key)
        if row is None:
            row = PromotionAction(workspace_id=workspace_id, key=a.key, kind=a.kind, first_run_id=run_id,
                                  first_seen=today, status=ActionStatus.proposed)
            new.add(a.key)
        if row.status in (ActionStatus.proposed, ActionStatus.expired):
            # Still open: the latest numbers. An answered action keeps the promise it was answered on.
            row.status, row.target, row.sentence = ActionStatus.proposed, a.target[:300], a.sentence[:2000]
            row.impact_minor, row.impact_currency = to_minor(a.impact.amount, a.impact.currency), a.impact.currency
            row.confidence, row.evidence = a.confidence, plain(a.evidence)
        row.rank, row.last_seen, row.last_run_id = rank, today, run_id
        s.add(row)
    for key, row in existing.items():
        if key not in found and row.status == ActionStatus.proposed:
            row.status = ActionStatus.expired
            s.add(row)
    s.flush()
    return new


def _history(s: Session, workspace_id: int) -> list[PastAction]:
    rows = s.exec(select(PromotionAction).where(PromotionAction.workspace_id == workspace_id)).all()
    answer = {ActionStatus.accepted: True, ActionStatus.dismissed: False}
    return [PastAction(a.key, a.kind, Money.minor(a.impact_minor, a.impact_currency), answer.get(a.status),
                       Money.minor(a.observed_minor, a.impact_currency) if a.observed_minor is not None else None)
            for a in rows if a.impact_currency]


def _feed(s: Session, workspace_id: int, run_id: int, new_keys: set[str]) -> None:
    """The run's top open actions into the insight feed; one notification for each urgent new one."""
    top = s.exec(select(PromotionAction).where(
        PromotionAction.workspace_id == workspace_id, PromotionAction.last_run_id == run_id,
        PromotionAction.status == ActionStatus.proposed).order_by(PromotionAction.rank)).all()
    drafts = []
    for a in top:
        impact = from_minor(a.impact_minor, a.impact_currency)
        if len(drafts) < promo_insights.TOP:
            drafts.append(promo_insights.draft(a.key, a.kind, a.target, a.sentence, impact, a.impact_currency,
                                               a.confidence))
        if a.key in new_keys and promo_insights.urgent(a.kind, a.confidence, impact):
            notify(s, workspace_id, "promotion", a.sentence, link=LINK)
    insights.store(s, workspace_id, drafts)
