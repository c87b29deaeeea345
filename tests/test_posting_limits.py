"""Per-account posting limits (Instagram's 100 posts a day, TikTok's 6 a minute, X's 100 per
15 minutes): held in Redis across workers, a post over the limit waits for room instead of being
refused by the platform, and a post the platform refused gives its place back."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from dreamsuite import db as dbmod, queue, redisconn
from dreamsuite.models import DestinationEvent, PostDestination
from dreamsuite.platforms import get_adapter
from dreamsuite.platforms.base import Throttled
from dreamsuite.platforms.sandbox.adapter import SandboxAdapter
from dreamsuite.services import publish, ratelimits
from tests.helpers import connect_sandbox, control, make_workspace, published_on_sandbox

pytestmark = [pytest.mark.usefixtures("close_clients")]


@pytest.fixture
async def close_clients():
    yield
    await redisconn.close_clients()


@pytest.fixture
def two_an_hour(monkeypatch):
    monkeypatch.setattr(SandboxAdapter, "posting_limits", ((2, 3600),))


def test_the_documented_limits_are_declared():
    assert get_adapter("instagram").posting_limits == ((100, 86_400),)
    assert get_adapter("tiktok").posting_limits == ((6, 60),)
    assert get_adapter("x").posting_limits == ((100, 900),)
    assert get_adapter("facebook").posting_limits == ()  # no published per-page count


async def test_a_full_window_holds_the_next_post_until_the_oldest_leaves_it(redis_url, two_an_hour):
    await ratelimits.reserve_post("sandbox", "acct-1", "dest-1")
    await ratelimits.reserve_post("sandbox", "acct-1", "dest-2")
    with pytest.raises(Throttled) as held:
        await ratelimits.reserve_post("sandbox", "acct-1", "dest-3")
    assert 3590 <= held.value.retry_after <= 3600 + ratelimits.PAST_THE_WAIT
    assert held.value.message.startswith("Sandbox takes at most 2 posts per account in an hour through its API")
    # A post asking again keeps its one place; another account has its own window.
    await ratelimits.reserve_post("sandbox", "acct-1", "dest-2")
    await ratelimits.reserve_post("sandbox", "acct-2", "dest-4")
    # A refused post gives its place back: the next one fits.
    await ratelimits.release_post("sandbox", "acct-1", "dest-1")
    await ratelimits.reserve_post("sandbox", "acct-1", "dest-3")


async def test_the_oldest_post_leaving_the_window_makes_room(redis_url, monkeypatch):
    monkeypatch.setattr(SandboxAdapter, "posting_limits", ((1, 1),))
    await ratelimits.reserve_post("sandbox", "acct-w", "dest-1")
    with pytest.raises(Throttled) as held:
        await ratelimits.reserve_post("sandbox", "acct-w", "dest-2")
    assert 0.9 <= held.value.retry_after <= 1 + ratelimits.PAST_THE_WAIT
    await asyncio.sleep(held.value.retry_after)  # the wait it names is enough, never early
    await ratelimits.reserve_post("sandbox", "acct-w", "dest-2")


async def test_two_workers_racing_for_the_last_place_get_it_once(redis_url, two_an_hour):
    await ratelimits.reserve_post("sandbox", "acct-r", "dest-0")

    async def worker(n: int) -> bool:
        try:
            await ratelimits.reserve_post("sandbox", "acct-r", f"dest-{n}")
            return True
        except Throttled:
            return False

    results = await asyncio.gather(*(worker(n) for n in range(1, 21)))
    assert sum(results) == 1


async def test_without_redis_the_post_goes_ahead(monkeypatch, two_an_hour, caplog):
    import redis.asyncio as aioredis

    down = aioredis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    monkeypatch.setattr(ratelimits, "_redis", lambda: down)
    for n in range(3):
        await ratelimits.reserve_post("sandbox", "acct-d", f"dest-{n}")
    assert "posting limits unavailable" in caplog.text


def _now() -> datetime:
    return datetime.utcnow().replace(microsecond=0)


def _dest(post_id: int) -> PostDestination:
    with dbmod.session() as s:
        return s.exec(select(PostDestination).where(PostDestination.post_id == post_id)).one()


@pytest.mark.db
@pytest.mark.usefixtures("close_arq_pools")
async def test_the_publisher_holds_a_post_over_the_limit_and_sends_it_when_there_is_room(
        db, redis_url, sandbox_url, two_an_hour):
    _, _, scope = make_workspace("limits@example.com")
    busy = await connect_sandbox(scope, sandbox_user="sbx-busy")
    calm = await connect_sandbox(scope, sandbox_user="sbx-calm")
    posts = [await publish.schedule_post(scope, f"Busy {i}", [busy], _now(), "UTC") for i in range(3)]
    other = await publish.schedule_post(scope, "Calm", [calm], _now(), "UTC")
    dests = [_dest(p.id).id for p in posts]
    assert [await publish.publish_destination(d) for d in dests] == ["published", "published", "retrying"]
    assert await publish.publish_destination(_dest(other.id).id) == "published"  # its own window
    held = _dest(posts[2].id)
    assert held.status == "pending" and "at most 2 posts" in held.error
    with dbmod.session() as s:
        said = [e.message for e in s.exec(select(DestinationEvent).where(DestinationEvent.destination_id == held.id))]
    assert any("goes out when the account has room" in m for m in said)
    # Re-enqueued for when the window has room (about an hour on), not sent meanwhile.
    r = await queue.pool()
    runs_at = [score / 1000 for job, score in await r.zrange(queue.QUEUE_NAME, 0, -1, withscores=True)
               if job.decode().startswith(f"publish:{held.id}:")]
    soon = (datetime.now(UTC) + timedelta(minutes=59)).timestamp()
    assert runs_at and max(runs_at) >= soon
    assert len(await published_on_sandbox(sandbox_url, busy)) == 2
    # Holding back is not an attempt that runs out: asked again and again, it still waits.
    for _ in range(6):
        assert await publish.publish_destination(held.id) == "retrying"
    # The window empties (an hour later): it goes out, once.
    await redisconn.client().delete(*[k async for k in redisconn.client().scan_iter("ratelimit:posts:*")])
    assert await publish.publish_destination(held.id) == "published"
    assert len(await published_on_sandbox(sandbox_url, busy)) == 3


@pytest.mark.db
@pytest.mark.usefixtures("close_arq_pools")
async def test_a_post_the_platform_refused_does_not_use_a_place(db, redis_url, sandbox_url, two_an_hour):
    _, _, scope = make_workspace("refused@example.com")
    cid = await connect_sandbox(scope, sandbox_user="sbx-refused")
    first = await publish.schedule_post(scope, "Refused", [cid], _now(), "UTC")
    await control(sandbox_url, "fail", status=400, times=1, path="/api/v1/posts")
    assert await publish.publish_destination(_dest(first.id).id) == "failed"
    later = [await publish.schedule_post(scope, f"Fine {i}", [cid], _now(), "UTC") for i in range(2)]
    assert [await publish.publish_destination(_dest(p.id).id) for p in later] == ["published", "published"]


def test_windows_are_named_in_words():
    assert [ratelimits._in_words(s) for s in (86_400, 3600, 900, 60, 1, 90)] == [
        "24 hours", "an hour", "15 minutes", "a minute", "a second", "90 seconds"]
