"""One promotion-brain run as the worker does it (services/promotion_runs.py `run_brain`): the
workspace's rows read from the database, the brain, and the BrainRun, actions, insights and
notifications stored. The busy workspace of benchmarks/promotion_brain.py (3 ad channels × 2
years × 200 creatives, ~146,000 creative-days, and two years of daily merch orders) is written
once with bulk inserts (timed apart); the run reads its last 180 days.

Timed (wall and CPU; CPU counts the database and brain threads too): the input read alone, the
first run (every action new), a second run on the same data recomputed in full (the worker's
same-day shortcut switched off: it must find the same actions, so no new action rows), and the
shortcut itself (same inputs, same day: the stored run back); beside each run, the brain's own
time, as the run stores it (BrainRun.duration_ms). statsmodels is imported before,
as a worker does once per process, and its import timed apart. Prints the peak memory (RSS)
before and after the runs.

    python -m benchmarks.promotion_run    # SQLite, and PostgreSQL when BENCH_DATABASE_URL is set
"""

from __future__ import annotations

import asyncio
import os
import resource
import sys
import time
from decimal import Decimal

from benchmarks import ROOT  # noqa: F401 - the package sets up the benchmarks' environment

CHUNK = 10_000  # rows per bulk insert: bounded memory for the driver's parameters


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(label: str, rows, orders) -> tuple[int, dict[str, int]]:
    """A workspace holding `rows` (DailyAdRow) and `orders` (DailyOrders, one shop); its id and
    the row counts written per table."""
    from sqlalchemy import insert

    from dreamsuite import db
    from dreamsuite.analytics.money import to_minor
    from dreamsuite.models import AdCampaign, AdCreative, AdDailyMetric, MerchDaily, PromotionChannel
    from dreamsuite.services import auth
    from dreamsuite.services.promotion_store import KIND_OF_CHANNEL

    _, ws_id, _ = auth.create_account(f"{label}-{time.time_ns()}@example.com", "benchmark-pw", label, "UTC")
    now = db.utcnow()
    channels: dict[tuple[str, str], int] = {}
    campaigns: set[tuple[int, str, str]] = set()
    creatives: dict[tuple[int, str], tuple] = {}  # its first day with spend (else its first), campaign, spend
    with db.session() as s:
        for r in rows:
            if (r.channel, r.currency) not in channels:
                kind = KIND_OF_CHANNEL[r.channel]
                ch = PromotionChannel(workspace_id=ws_id, kind=kind, currency=r.currency, timezone="UTC",
                                      external_id=f"{kind}-{ws_id}-{r.currency}", name=f"{r.channel} {r.currency}")
                s.add(ch)
                s.flush()
                channels[(r.channel, r.currency)] = ch.id
        shop = PromotionChannel(workspace_id=ws_id, kind="shopify", currency="EUR", timezone="UTC",
                                external_id=f"shop-{ws_id}.example.com", name="shop")
        s.add(shop)
        s.flush()
        shop_id = shop.id
    ads = []
    for r in rows:
        cid = channels[(r.channel, r.currency)]
        campaigns.add((cid, r.campaign_id, r.currency))
        first = creatives.get((cid, r.creative_id))
        if first is None or (r.spend > 0 and (first[2] == 0 or r.day < first[0])):
            creatives[(cid, r.creative_id)] = (r.day, r.campaign_id, r.spend)
        ads.append({"channel_id": cid, "workspace_id": ws_id, "day": r.day, "campaign_external_id": r.campaign_id,
                    "creative_external_id": r.creative_id, "currency": r.currency,
                    "spend_minor": to_minor(Decimal(r.spend), r.currency),
                    "revenue_minor": to_minor(Decimal(r.revenue), r.currency), "impressions": r.impressions,
                    "clicks": r.clicks, "conversions": r.conversions, "reach": r.reach, "updated_at": now})
    merch = [{"channel_id": shop_id, "workspace_id": ws_id, "day": o.day, "currency": o.currency,
              "utm_source": o.attributed_channel or "", "orders": o.orders,
              "revenue_minor": to_minor(Decimal(o.revenue), o.currency), "updated_at": now} for o in orders]
    with db.session() as s:
        s.add_all(AdCampaign(channel_id=cid, workspace_id=ws_id, external_id=ext, name=ext, currency=cur,
                             status="ACTIVE") for cid, ext, cur in campaigns)
        s.add_all(AdCreative(channel_id=cid, workspace_id=ws_id, external_id=ext, campaign_external_id=campaign,
                             name=ext, status="ACTIVE", launched_on=day)
                  for (cid, ext), (day, campaign, _) in creatives.items())
    with db.get_engine().begin() as conn:
        for i in range(0, len(ads), CHUNK):
            conn.execute(insert(AdDailyMetric), ads[i:i + CHUNK])
        for i in range(0, len(merch), CHUNK):
            conn.execute(insert(MerchDaily), merch[i:i + CHUNK])
    return ws_id, {"promotion_channel": len(channels) + 1, "ad_campaign": len(campaigns),
                   "ad_creative": len(creatives), "ad_daily_metric": len(ads), "merch_daily": len(merch)}


def _count(ws_id: int) -> dict[str, int]:
    from sqlalchemy import func
    from sqlmodel import select

    from dreamsuite import db
    from dreamsuite.models import BrainRun, Insight, PromotionAction

    with db.session() as s:
        return {m.__tablename__: s.exec(select(func.count()).select_from(m).where(m.workspace_id == ws_id)).one()
                for m in (BrainRun, PromotionAction, Insight)}


def _brain_s(run_id: int) -> float:
    """The brain's own wall time in a run (what the run stores beside its outputs)."""
    from dreamsuite import db
    from dreamsuite.models import BrainRun

    with db.session() as s:
        return s.get(BrainRun, run_id).duration_ms / 1000


def _timed(fn):
    t, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - t, time.process_time() - cpu


def run(label: str) -> None:
    from benchmarks.promotion_brain import TODAY, workspace
    from dreamsuite.services import promotion_runs

    rows, orders, *_ = workspace()
    if "statsmodels.tsa.exponential_smoothing.ets" not in sys.modules:
        _, took, _ = _timed(lambda: __import__("statsmodels.tsa.exponential_smoothing.ets"))
        print(f"[{label}] promotion run: statsmodels import (once per worker process) {took:5.2f} s")
    (ws_id, counts), took, _ = _timed(lambda: build(label, rows, orders))
    del rows, orders
    print(f"[{label}] promotion run: workspace written in {took:5.1f} s (bulk inserts): "
          + ", ".join(f"{n:,} {table}" for table, n in counts.items()) + f"; peak RSS {_rss_mib():.0f} MiB")

    (ads, merch, _), took, cpu = _timed(lambda: promotion_runs._inputs(ws_id, TODAY))
    print(f"[{label}] promotion run, input read alone ({promotion_runs.INPUT_DAYS} days)      {took:6.2f} s "
          f"(CPU {cpu:5.2f} s)   {len(ads):,} creative-days, {len(merch)} order days")
    del ads, merch

    def once():
        return asyncio.run(promotion_runs.run_brain(ws_id, TODAY))

    first_id, took, cpu = _timed(once)
    after_first = _count(ws_id)
    print(f"[{label}] promotion run, first (all actions new)        {took:6.2f} s (CPU {cpu:5.2f} s)   "
          f"brain alone {_brain_s(first_id):5.2f} s; {after_first}")
    latest = promotion_runs._latest
    promotion_runs._latest = lambda workspace_id: None  # recompute although inputs and day are the same
    try:
        second_id, took, cpu = _timed(once)
    finally:
        promotion_runs._latest = latest
    after_second = _count(ws_id)
    same = after_second["promotion_action"] == after_first["promotion_action"] and second_id != first_id
    print(f"[{label}] promotion run, second (same data, recomputed)  {took:6.2f} s (CPU {cpu:5.2f} s)   "
          f"brain alone {_brain_s(second_id):5.2f} s; {after_second}{'' if same else '   UNEXPECTED: new actions'}")
    again, took, cpu = _timed(once)
    print(f"[{label}] promotion run, same inputs same day (shortcut) {took:6.2f} s (CPU {cpu:5.2f} s)   "
          f"{'the stored run back' if again == second_id else 'UNEXPECTED: a new run'}; peak RSS {_rss_mib():.0f} MiB")


def main() -> int:
    from benchmarks.database import targets as databases, use_database

    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6391/0")  # live-update announcements; a miss only logs
    targets = databases()
    for label, url in targets:
        use_database(url)
        run(label)
    return 0


if __name__ == "__main__":
    sys.exit(main())
