"""The daily promotion fan-out with a real arq worker on the test Redis: every channel that can
collect is queued once however many workers run the cron, the brain of each workspace waits for
its channels' collects, then runs once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from dreamsuite import crypto, db as dbmod, queue
from dreamsuite.models import BrainRun, PromotionChannel, Role
from dreamsuite.services.promotion_queue import CollectRefused, request_collect
from dreamsuite.services.scope import AccessDenied, NotFound
from tests.helpers import add_member, make_workspace, run_worker_burst
from tests.promotion_helpers import _promotion_server, promotion  # noqa: F401 - fixtures
from workers import promotion as jobs
from workers.main import WorkerSettings

pytestmark = [pytest.mark.usefixtures("close_arq_pools")]


def _channel(ws_id: int, kind: str, external_id: str, token: str, **extra) -> int:
    with dbmod.session() as s:
        ch = PromotionChannel(workspace_id=ws_id, kind=kind, external_id=external_id, name=external_id,
                              access_token_enc=crypto.encrypt(token), **extra)
        s.add(ch)
        s.flush()
        return ch.id


def test_the_jobs_and_the_cron_are_registered():
    names = {f.name for f in WorkerSettings.functions}
    assert {"collect_promotion", "promotion_brain"} <= names
    daily = next(c for c in WorkerSettings.cron_jobs if c.name.endswith("daily_promotion"))
    social = next(c for c in WorkerSettings.cron_jobs if c.name.endswith("daily_collect"))
    assert (min(daily.hour), min(daily.minute)) > (min(social.hour), min(social.minute))  # after the social one


async def test_the_daily_run_collects_every_channel_then_runs_each_brain_once(db, redis_url, promotion, monkeypatch):
    monkeypatch.setattr(jobs, "BRAIN_DELAY", 0)
    monkeypatch.setattr(jobs, "WAIT_SECONDS", 0.2)
    ads, shop_account = promotion.account("meta_ads"), promotion.account("shopify")
    meta, shopify = promotion["meta_ads"], promotion["shopify"]
    _, ws, _ = make_workspace("cron@example.com")
    _, quiet, _ = make_workspace("quiet@example.com")
    act = f"act_{meta.act_number(ads.id)}"
    shop = shopify.shop_of(shop_account)["myshopifyDomain"]
    collect_ids = [_channel(ws.id, "meta_ads", act, meta.grant(ads.id)),
                   _channel(ws.id, "shopify", shop, shopify.grant(shop_account.id), details={"shop": shop})]
    expired = _channel(quiet.id, "meta_ads", "act_1", "gone", status="expired")

    pools = [await queue.pool(), await queue.create_pool(queue.redis_settings(redis_url),
                                                          default_queue_name=queue.QUEUE_NAME)]
    try:
        first = await jobs.daily_promotion({"redis": pools[0]})
        second = await jobs.daily_promotion({"redis": pools[1]})  # another worker, the same day
    finally:
        await pools[1].aclose()
    assert first == {"collects": 2, "brains": 1} and second == {"collects": 0, "brains": 0}
    day = datetime.now(UTC).date().isoformat()
    queued = sorted(j.decode() for j in await pools[0].zrange(queue.QUEUE_NAME, 0, -1))
    assert queued == sorted([f"promotion_collect:{cid}:{day}" for cid in collect_ids]
                            + [f"promotion_brain:{ws.id}:{day}"])
    assert not any(f":{expired}:" in j for j in queued)

    await run_worker_burst()
    with dbmod.session() as s:
        channels = [s.get(PromotionChannel, cid) for cid in collect_ids]
        runs = s.exec(select(BrainRun)).all()
    assert all(c.last_synced_at and c.status == "active" for c in channels), [c.last_error for c in channels]
    assert [r.workspace_id for r in runs] == [ws.id]  # one run, for the workspace with channels
    assert runs[0].computed_at > max(c.last_synced_at for c in channels)  # after both collects
    assert "hit_rate" in runs[0].outputs and runs[0].outputs["actions"]


async def test_collect_now_is_for_editors_of_the_workspace_and_once_a_minute(db, redis_url):
    _, ws, owner = make_workspace("now@example.com")
    _, _, stranger = make_workspace("stranger@example.com")
    cid = _channel(ws.id, "meta_ads", "act_9", "token")
    gone = _channel(ws.id, "meta_ads", "act_10", "token", status="expired")
    assert await request_collect(owner, cid) is True
    assert await request_collect(owner, cid) is False  # a double click: the job already queued
    with pytest.raises(AccessDenied):
        await request_collect(add_member(ws.id, "viewer@example.com", Role.viewer), cid)
    with pytest.raises(NotFound):
        await request_collect(stranger, cid)
    with pytest.raises(CollectRefused, match="expired"):
        await request_collect(owner, gone)
    queued = [j.decode() for j in await (await queue.pool()).zrange(queue.QUEUE_NAME, 0, -1)]
    assert len(queued) == 1 and queued[0].startswith(f"promotion_collect:{cid}:") and ":manual:" in queued[0]
