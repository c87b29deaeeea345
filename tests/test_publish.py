"""Scheduling and publishing against the real sandbox, real Redis, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlmodel import select

from dreamsuite import db as dbmod, queue
from dreamsuite.models import DestinationEvent, Notification, PlatformConnection, PostDestination, Role, ScheduledPost
from dreamsuite.platforms import get_adapter
from dreamsuite.services import publish, publish_run, send_retry
from dreamsuite.services.publish import PublishValidationError
from dreamsuite.services.scope import AccessDenied, NotFound
from tests.helpers import (
    EventProbe, add_member, connect_sandbox, control, cooldowns_pass, make_workspace, published_on_sandbox,
)

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]



@pytest.fixture
async def ws(db, redis_url, sandbox_url):
    _, _, scope = make_workspace("nova@example.com")
    return scope, await connect_sandbox(scope)


def _now_local(tz: str = "UTC", minutes: float = 0) -> datetime:
    from zoneinfo import ZoneInfo

    return (datetime.now(ZoneInfo(tz)) + timedelta(minutes=minutes)).replace(tzinfo=None, microsecond=0)


def _dest(post_id: int) -> PostDestination:
    with dbmod.session() as s:
        return s.exec(select(PostDestination).where(PostDestination.post_id == post_id)).one()


def _post(post_id: int) -> ScheduledPost:
    with dbmod.session() as s:
        return s.get(ScheduledPost, post_id)


async def _job_ids() -> set[str]:
    p = await queue.pool()
    return {k.decode() for k in await p.zrange(queue.QUEUE_NAME, 0, -1)}


async def test_schedule_stores_utc_and_enqueues_a_deferred_job(ws):
    scope, cid = ws
    local = _now_local("Europe/Paris", minutes=90)
    post = await publish.schedule_post(scope, "Out Friday #newmusic", [cid], local, "Europe/Paris")
    stored = _post(post.id)
    expected = local.replace(tzinfo=__import__("zoneinfo").ZoneInfo("Europe/Paris")).astimezone(UTC)
    assert stored.scheduled_at == expected and stored.timezone == "Europe/Paris"
    assert stored.status == "scheduled" and stored.author_id == scope.user_id
    dest = _dest(post.id)
    assert (dest.status, dest.attempts, dest.connection_id) == ("pending", 0, cid)
    assert queue.publish_job_id(dest.id, 0, stored.scheduled_at) in await _job_ids()
    p = await queue.pool()
    score = await p.zscore(queue.QUEUE_NAME, queue.publish_job_id(dest.id, 0, stored.scheduled_at))
    assert abs(score / 1000 - expected.timestamp()) < 1  # deferred until the UTC instant
    # Listed back in the author's timezone.
    [listed] = publish.list_posts(scope)
    assert listed["scheduled_at"].replace(tzinfo=None) == local
    assert listed["destinations"][0]["platform"] == "sandbox"


@pytest.mark.parametrize("case,message", [
    ("empty", "Write something"),
    ("blank", "Write something"),
    ("none", "at least one account"),
    ("past", "in the past"),
    ("timezone", "Unknown timezone"),
    ("too_long", "Too long for Sandbox"),
    ("foreign", "not connected to this workspace"),
    ("expired", "reconnect it"),
])
async def test_invalid_posts_are_refused_and_nothing_is_stored(ws, case, message):
    scope, cid = ws
    content, ids, when, tz = "Hello", [cid], _now_local(minutes=10), "UTC"
    if case == "empty":
        content = ""
    elif case == "blank":
        content = "  \n\t "
    elif case == "none":
        ids = []
    elif case == "past":
        when = _now_local(minutes=-5)
    elif case == "timezone":
        tz = "Mars/Olympus_Mons"
    elif case == "too_long":
        content = "x" * (get_adapter("sandbox").max_text_length + 1)
    elif case == "foreign":
        _, _, other = make_workspace("foreign@example.com")
        ids = [cid, await connect_sandbox(other, sandbox_user="sbx-foreign")]
    elif case == "expired":
        with dbmod.session() as s:
            s.get(PlatformConnection, cid).status = "expired"
    jobs_before = await _job_ids()
    with pytest.raises(PublishValidationError, match=message):
        await publish.schedule_post(scope, content, ids, when, tz)
    with dbmod.session() as s:
        assert s.exec(select(ScheduledPost)).all() == []
        assert s.exec(select(PostDestination)).all() == []
    assert await _job_ids() == jobs_before


async def test_a_time_a_few_seconds_ago_is_accepted(ws):
    scope, cid = ws
    post = await publish.schedule_post(scope, "Now!", [cid], _now_local(minutes=-0.5), "UTC")
    assert _post(post.id).status == "scheduled"


async def test_running_the_job_twice_publishes_once(ws, sandbox_url):
    scope, cid = ws
    post = await publish.schedule_post(scope, "Once only", [cid], _now_local(), "UTC")
    dest_id = _dest(post.id).id
    async with EventProbe(scope.workspace_id) as probe:
        assert await publish.publish_destination(dest_id) == "published"
        assert await publish.publish_destination(dest_id) == "skipped"
        assert await probe.next() == {"kind": "publish", "post_id": post.id, "destination_id": dest_id,
                                      "status": "published"}
        assert await probe.next(timeout=0.5) is None  # the skipped run announces nothing
    dest, stored = _dest(post.id), _post(post.id)
    assert (dest.status, dest.attempts, stored.status) == ("published", 1, "published")
    on_platform = await published_on_sandbox(sandbox_url, cid)
    assert [p["id"] for p in on_platform] == [dest.platform_post_id]
    assert dest.platform_url.endswith(dest.platform_post_id) and dest.published_at is not None


async def test_a_hang_after_the_effect_is_unconfirmed_and_never_resent(ws, sandbox_url):
    scope, cid = ws
    post = await publish.schedule_post(scope, "Lost answer", [cid], _now_local(), "UTC")
    dest_id = _dest(post.id).id
    await control(sandbox_url, "hang", seconds=3, times=1, path="/api/v1/posts", after_effect=True)
    async with httpx.AsyncClient(timeout=1.0) as client:
        assert await publish.publish_destination(dest_id, client=client) == "unconfirmed"
        assert await publish.publish_destination(dest_id, client=client) == "skipped"
    await queue.pool()
    assert await publish.reconcile() == 0  # not pending: the reconciler leaves it alone
    dest = _dest(post.id)
    assert dest.status == "unconfirmed" and "did not answer" in dest.error
    # Never "failed": the post may be live, and "failed" would invite posting it again by hand.
    assert _post(post.id).status == "unconfirmed"
    assert len(await published_on_sandbox(sandbox_url, cid)) == 1  # it was in fact sent, once
    with dbmod.session() as s:
        [note] = s.exec(select(Notification)).all()
    assert note.kind == "publish_failed" and "may have been published" in note.message
    assert "not published" not in note.message
    # The list gives the account's public page, where the artist can check.
    [listed] = publish.list_posts(scope)
    assert listed["status"] == "unconfirmed"
    [d] = listed["destinations"]
    assert d["status"] == "unconfirmed" and d["profile_url"].startswith(sandbox_url)
    async with httpx.AsyncClient(timeout=5) as client:
        page = await client.get(d["profile_url"])
    assert page.status_code == 200 and "Lost answer" in page.text


async def test_one_published_and_one_unconfirmed_destination_roll_up_to_unconfirmed(db, redis_url, sandbox_url):
    _, _, scope = make_workspace("half@example.com")
    first = await connect_sandbox(scope, sandbox_user="sbx-half-1")
    second = await connect_sandbox(scope, sandbox_user="sbx-half-2")
    post = await publish.schedule_post(scope, "Half known", [first, second], _now_local(), "UTC")
    with dbmod.session() as s:
        dests = s.exec(select(PostDestination).where(PostDestination.post_id == post.id)
                       .order_by(PostDestination.id)).all()
    assert await publish.publish_destination(dests[0].id) == "published"
    await control(sandbox_url, "hang", seconds=3, times=1, path="/api/v1/posts", after_effect=True)
    async with httpx.AsyncClient(timeout=1.0) as client:
        assert await publish.publish_destination(dests[1].id, client=client) == "unconfirmed"
    # Not "partially_failed": nothing is known to have failed.
    assert _post(post.id).status == "unconfirmed"
    [listed] = publish.list_posts(scope)
    assert [d["status"] for d in listed["destinations"]] == ["published", "unconfirmed"]
    assert all(d["profile_url"] for d in listed["destinations"])


async def test_a_server_error_before_acceptance_is_sent_again_in_the_same_job_once(ws, sandbox_url):
    scope, cid = ws
    post = await publish.schedule_post(scope, "Second time lucky", [cid], _now_local(), "UTC")
    dest_id = _dest(post.id).id
    await control(sandbox_url, "fail", status=503, times=1, path="/api/v1/posts")
    assert await publish.publish_destination(dest_id) == "published"
    dest = _dest(post.id)
    assert (dest.status, dest.attempts, dest.error) == ("published", 1, "")
    assert len(await published_on_sandbox(sandbox_url, cid)) == 1
    with dbmod.session() as s:  # the post page's history of this destination
        steps = [(e.status, e.message) for e in s.exec(select(DestinationEvent)
                 .where(DestinationEvent.destination_id == dest_id).order_by(DestinationEvent.id))]
    assert steps == [("publishing", "Sending"), ("published", dest.platform_url)]


async def test_a_429_without_retry_after_waits_a_moment_not_a_minute(ws, sandbox_url):
    scope, cid = ws
    post = await publish.schedule_post(scope, "Busy platform", [cid], _now_local(), "UTC")
    await control(sandbox_url, "fail", status=429, times=2, path="/api/v1/posts")
    t = time.monotonic()
    assert await publish.publish_destination(_dest(post.id).id) == "published"
    assert time.monotonic() - t < sum(send_retry.SEND_BACKOFF[:2]) * 1.2 + 1
    assert len(await published_on_sandbox(sandbox_url, cid)) == 1


async def test_a_platform_failing_on_every_send_hands_over_to_a_later_job(ws, sandbox_url):
    scope, cid = ws
    post = await publish.schedule_post(scope, "Still down", [cid], _now_local(), "UTC")
    dest_id = _dest(post.id).id
    await control(sandbox_url, "fail", status=503, times=send_retry.MAX_SENDS, path="/api/v1/posts")
    assert await publish.publish_destination(dest_id) == "retrying"
    dest = _dest(post.id)
    assert (dest.status, dest.attempts) == ("pending", 1) and "503" in dest.error
    assert queue.publish_job_id(dest_id, 1, _post(post.id).scheduled_at) in await _job_ids()  # re-enqueued under a new id
    assert await published_on_sandbox(sandbox_url, cid) == []
    assert await publish.publish_destination(dest_id) == "published"
    assert len(await published_on_sandbox(sandbox_url, cid)) == 1 and _dest(post.id).error == ""


async def test_a_401_on_publish_refreshes_once_and_publishes_once(ws, sandbox_url):
    scope, cid = ws
    post = await publish.schedule_post(scope, "Token went stale", [cid], _now_local(), "UTC")
    await control(sandbox_url, "fail", status=401, times=1, path="/api/v1/posts")
    assert await publish.publish_destination(_dest(post.id).id) == "published"
    assert len(await published_on_sandbox(sandbox_url, cid)) == 1


async def test_a_second_401_fails_with_a_clear_message(ws, sandbox_url):
    scope, cid = ws
    post = await publish.schedule_post(scope, "Token revoked", [cid], _now_local(), "UTC")
    await control(sandbox_url, "fail", status=401, times=2, path="/api/v1/posts")
    assert await publish.publish_destination(_dest(post.id).id) == "failed"
    assert "rejected the access token" in _dest(post.id).error
    assert await published_on_sandbox(sandbox_url, cid) == []


async def test_retries_are_bounded(ws, sandbox_url):
    scope, cid = ws
    post = await publish.schedule_post(scope, "Never", [cid], _now_local(), "UTC")
    dest_id = _dest(post.id).id
    # The platform asks for longer than a job waits: each job sends once and hands over.
    await control(sandbox_url, "fail", status=429, times=99, path="/api/v1/posts",
                  retry_after=publish_run.IN_JOB_WAIT + 5)
    statuses = []
    for _ in range(publish_run_max()):
        statuses.append(await publish.publish_destination(dest_id))
        await cooldowns_pass()  # the deferred job runs after the platform's wait
    assert statuses[-1] == "failed" and set(statuses[:-1]) == {"retrying"}
    assert _post(post.id).status == "failed" and "Gave up" in _dest(post.id).error


def _conn_key(connection_id: int) -> str:
    with dbmod.session() as s:
        return s.get(PlatformConnection, connection_id).platform_user_id




async def test_our_own_gate_holding_a_post_back_never_gives_up(ws, sandbox_url):
    scope, cid = ws
    post = await publish.schedule_post(scope, "Quota used up", [cid], _now_local(), "UTC")
    dest_id = _dest(post.id).id
    r = await queue.pool()
    for _ in range(publish_run_max() + 2):  # nothing is sent while our gate holds the account back
        await r.set(f"ratelimit:cooldown:sandbox:{_conn_key(cid)}", 1, px=60_000)
        assert await publish.publish_destination(dest_id) == "retrying"
    await cooldowns_pass()
    assert await publish.publish_destination(dest_id) == "published"
    assert len(await published_on_sandbox(sandbox_url, cid)) == 1


def publish_run_max() -> int:
    from dreamsuite.services.publish_run import MAX_ATTEMPTS

    return MAX_ATTEMPTS


async def test_a_refusal_fails_with_the_platforms_message_and_rolls_up(db, redis_url, sandbox_url):
    _, _, scope = make_workspace("two@example.com")
    first = await connect_sandbox(scope, sandbox_user="sbx-one")
    second = await connect_sandbox(scope, sandbox_user="sbx-two")
    post = await publish.schedule_post(scope, "Two accounts", [first, second], _now_local(), "UTC")
    with dbmod.session() as s:
        dests = s.exec(select(PostDestination).where(PostDestination.post_id == post.id)
                       .order_by(PostDestination.id)).all()
    await control(sandbox_url, "fail", status=400, times=1, path="/api/v1/posts")
    assert await publish.publish_destination(dests[0].id) == "failed"
    assert _post(post.id).status == "publishing"  # one still pending
    assert await publish.publish_destination(dests[1].id) == "published"
    assert _post(post.id).status == "partially_failed"
    with dbmod.session() as s:
        failed = s.get(PostDestination, dests[0].id)
        notes = s.exec(select(Notification)).all()
    assert "400" in failed.error and [n.kind for n in notes] == ["publish_failed"]


async def test_reconcile_re_enqueues_a_lost_job_which_then_publishes_once(ws, sandbox_url, redis_url):
    scope, cid = ws
    post = await publish.schedule_post(scope, "Survives Redis loss", [cid], _now_local(), "UTC")
    dest_id = _dest(post.id).id
    later = dbmod.utcnow() + publish_run.RECONCILE_GRACE  # it leaves what just fell due alone
    assert await publish.reconcile() == 0 and await publish.reconcile(now=later) == 0  # the job is there
    p = await queue.pool()
    await p.flushdb()  # Redis lost every job
    assert await publish.reconcile() == 0  # just due: its own job may still be on its way
    assert await publish.reconcile(now=later) == 1
    assert queue.publish_job_id(dest_id, 0, _post(post.id).scheduled_at) in await _job_ids()
    assert await publish.reconcile(now=later) == 0
    assert await publish.publish_destination(dest_id) == "published"
    assert await publish.reconcile(now=later) == 0
    assert len(await published_on_sandbox(sandbox_url, cid)) == 1


async def test_reconcile_marks_a_stuck_destination_unconfirmed_not_pending(ws):
    scope, cid = ws
    post = await publish.schedule_post(scope, "Worker died", [cid], _now_local(), "UTC")
    dest_id = _dest(post.id).id
    with dbmod.session() as s:
        d = s.get(PostDestination, dest_id)
        d.status, d.attempts, d.updated_at = "publishing", 1, dbmod.utcnow() - timedelta(minutes=9)
    await queue.pool()
    assert await publish.reconcile() == 0 and _dest(post.id).status == "publishing"  # not yet
    assert await publish.reconcile(now=dbmod.utcnow() + timedelta(minutes=2)) == 1
    # Never "failed": the post may be live, and "failed" would invite posting it again by hand.
    assert _dest(post.id).status == "unconfirmed" and _post(post.id).status == "unconfirmed"
    assert await publish.publish_destination(dest_id) == "skipped"
    # The artist is asked to check, as when the answer is lost in the worker.
    with dbmod.session() as s:
        [note] = s.exec(select(Notification)).all()
    assert note.kind == "publish_failed" and "may have been published" in note.message
    assert await publish.reconcile(now=dbmod.utcnow() + timedelta(minutes=20)) == 0  # told once


async def test_the_rollup_writes_the_posts_status_and_a_loaded_copy_says_the_same(ws):
    scope, cid = ws
    post = await publish.schedule_post(scope, "Rolled up", [cid], _now_local(minutes=30), "UTC")
    with dbmod.session() as s:
        mine = s.get(ScheduledPost, post.id)  # the caller's own copy, loaded before the rollup
        mine.content = "Rolled up, edited"  # and changed: the rollup must not lose it, nor it the rollup
        s.get(PostDestination, _dest(post.id).id).status = "failed"
        s.flush()
        assert publish_run.rollup(s, post.id) == "failed"
        assert mine.status == "failed"
    assert (_post(post.id).status, _post(post.id).content) == ("failed", "Rolled up, edited")


async def test_cancel_only_touches_pending_destinations(ws, sandbox_url):
    scope, cid = ws
    post = await publish.schedule_post(scope, "Changed my mind", [cid], _now_local(minutes=30), "UTC")
    dest_id = _dest(post.id).id
    assert await publish.publish_destination(dest_id) == "skipped"  # not due yet
    assert publish.cancel_post(scope, post.id) == 1
    assert publish.cancel_post(scope, post.id) == 0
    assert (_dest(post.id).status, _post(post.id).status) == ("cancelled", "cancelled")
    with dbmod.session() as s:
        s.get(ScheduledPost, post.id).scheduled_at = dbmod.utcnow() - timedelta(minutes=1)
    assert await publish.publish_destination(dest_id) == "skipped"
    assert await published_on_sandbox(sandbox_url, cid) == []


async def test_workspaces_and_roles_are_isolated(ws):
    scope_a, conn_a = ws
    _, _, scope_b = make_workspace("b@example.com")
    conn_b = await connect_sandbox(scope_b, sandbox_user="sbx-b")
    post_b = await publish.schedule_post(scope_b, "B's post", [conn_b], _now_local(minutes=5), "UTC")
    with pytest.raises(PublishValidationError, match="not connected to this workspace"):
        await publish.schedule_post(scope_a, "Sneaky", [conn_b], _now_local(minutes=5), "UTC")
    assert publish.list_posts(scope_a) == []
    with pytest.raises(NotFound):
        publish.cancel_post(scope_a, post_b.id)
    assert _dest(post_b.id).status == "pending"
    viewer = add_member(scope_a.workspace_id, "viewer@example.com", Role.viewer)
    with pytest.raises(AccessDenied):
        await publish.schedule_post(viewer, "Viewer", [conn_a], _now_local(minutes=5), "UTC")
    with pytest.raises(AccessDenied):
        publish.cancel_post(viewer, post_b.id)
    assert [p["id"] for p in publish.list_posts(scope_b)] == [post_b.id]


async def test_an_interruption_before_sending_returns_it_to_pending(ws, sandbox_url, monkeypatch):
    from dreamsuite.services import publish_run

    scope, cid = ws
    post = await publish.schedule_post(scope, "Bumpy start", [cid], _now_local(), "UTC")
    dest_id = _dest(post.id).id
    real = publish_run.tokens.access_token

    async def broken(connection_id, row=None):
        raise RuntimeError("token store unavailable")

    monkeypatch.setattr(publish_run.tokens, "access_token", broken)
    with pytest.raises(RuntimeError):
        await publish.publish_destination(dest_id)
    assert (_dest(post.id).status, _dest(post.id).attempts) == ("pending", 1)
    monkeypatch.setattr(publish_run.tokens, "access_token", real)
    later = dbmod.utcnow() + publish_run.RECONCILE_GRACE
    assert await publish.reconcile(now=later) == 1  # a fresh job id for the next attempt
    assert queue.publish_job_id(dest_id, 1, _post(post.id).scheduled_at) in await _job_ids()
    assert await publish.publish_destination(dest_id) == "published"
    assert len(await published_on_sandbox(sandbox_url, cid)) == 1


async def test_a_job_cancelled_mid_request_is_unconfirmed(ws, sandbox_url):
    scope, cid = ws
    post = await publish.schedule_post(scope, "Cut off", [cid], _now_local(), "UTC")
    dest_id = _dest(post.id).id
    await control(sandbox_url, "hang", seconds=2, times=1, path="/api/v1/posts")
    with pytest.raises(TimeoutError):  # arq's job timeout cancels the task the same way
        await asyncio.wait_for(publish.publish_destination(dest_id), timeout=0.5)
    dest = _dest(post.id)
    assert dest.status == "unconfirmed" and "CancelledError" in dest.error
    assert await publish.publish_destination(dest_id) == "skipped"


async def test_no_free_connection_in_our_pool_is_retried_not_unconfirmed(ws, sandbox_url):
    """A PoolTimeout happens before anything is sent: even a publish is safe to try again."""
    from dreamsuite.services import tokens

    scope, cid = ws
    post = await publish.schedule_post(scope, "Pool exhausted", [cid], _now_local(), "UTC")
    dest_id = _dest(post.id).id
    token = await tokens.access_token(cid)
    # Held longer than the job's own sends and pauses, so the job hands over to a later one.
    await control(sandbox_url, "hang", seconds=10, times=1, path="/api/v1/me")
    sent = asyncio.Event()

    async def trace(event: str, info: dict) -> None:
        if event == "http11.send_request_headers.complete":
            sent.set()  # the pool's only connection is now busy with this request

    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(10.0, pool=0.2)) as client:
        held = asyncio.create_task(client.get(f"{sandbox_url}/api/v1/me", extensions={"trace": trace},
                                              headers={"Authorization": f"Bearer {token}"}))
        try:
            await asyncio.wait_for(sent.wait(), 5)
            assert await publish.publish_destination(dest_id, client=client) == "retrying"
        finally:
            held.cancel()
    dest = _dest(post.id)
    assert (dest.status, dest.attempts) == ("pending", 1) and "PoolTimeout" in dest.error
    assert await published_on_sandbox(sandbox_url, cid) == []
    with dbmod.session() as s:
        assert s.exec(select(Notification)).all() == []
    assert queue.publish_job_id(dest_id, 1, _post(post.id).scheduled_at) in await _job_ids()
    assert await publish.publish_destination(dest_id) == "published"
    assert len(await published_on_sandbox(sandbox_url, cid)) == 1


@pytest.mark.parametrize("day,utc_hour", [
    ((2027, 3, 27), 8), ((2027, 3, 28), 7),  # the clocks go forward in the night to the 28th
    ((2027, 10, 30), 7), ((2027, 10, 31), 8),  # and back in the night to the 31st
])
async def test_nine_in_berlin_goes_out_at_nine_in_berlin_on_both_sides_of_a_dst_change(ws, sandbox_url, monkeypatch,
                                                                                     day, utc_hour):
    from zoneinfo import ZoneInfo

    scope, cid = ws
    post = await publish.schedule_post(scope, f"Good morning {day}", [cid], datetime(*day, 9, 0), "Europe/Berlin")
    due = _post(post.id).scheduled_at.astimezone(UTC)
    assert (due.hour, due.minute) == (utc_hour, 0)  # 09:00 Berlin is 08:00Z in winter, 07:00Z in summer
    p = await queue.pool()
    assert await p.zscore(queue.QUEUE_NAME, queue.publish_job_id(_dest(post.id).id, 0, due)) == due.timestamp() * 1000
    dest_id = _dest(post.id).id
    early = due - timedelta(minutes=1)  # an hour's slip either way would be caught here
    monkeypatch.setattr(publish_run.db, "utcnow", lambda: early)
    assert await publish.publish_destination(dest_id) == "skipped"
    monkeypatch.setattr(publish_run.db, "utcnow", lambda: due)
    assert await publish.publish_destination(dest_id) == "published"
    sent = _dest(post.id).published_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert (sent.date(), sent.hour, sent.minute) == (datetime(*day).date(), 9, 0)
