"""A publish job takes other due destinations with its own (one claim, grouped writes): never a
destination that is not due, never one twice, and the batch's own jobs leave the queue. Against
the sandbox platform, a real Redis, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from dreamsuite import db as dbmod, queue
from dreamsuite.models import DestinationStatus as DS, PostDestination, ScheduledPost
from dreamsuite.services import publish, publish_run
from tests.helpers import connect_sandbox, make_workspace, published_on_sandbox

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]


@pytest.fixture
async def accounts(db, redis_url, sandbox_url):
    _, _, scope = make_workspace("kofi@example.com", timezone="Africa/Accra")
    first = await connect_sandbox(scope, "kofi-main")
    second = await connect_sandbox(scope, "kofi-band")
    return scope, [first, second]


async def _due(scope, cids: list[int], n: int, *, seconds: float = 0) -> list[int]:
    """n posts (one destination each, accounts in turn) due `seconds` from now; their destination ids."""
    ids = []
    for i in range(n):
        post = await publish.schedule_post(scope, f"Lote {i} ✓", [cids[i % len(cids)]],
                                           dbmod.utcnow().replace(tzinfo=None), "UTC", post_now=True)
        with dbmod.session() as s:
            if seconds:
                s.exec(update(ScheduledPost).where(ScheduledPost.id == post.id)
                       .values(scheduled_at=dbmod.utcnow() + timedelta(seconds=seconds)))
            ids.append(s.exec(select(PostDestination.id).where(PostDestination.post_id == post.id)).one())
    return ids


def _statuses(ids: list[int]) -> dict[int, str]:
    with dbmod.session() as s:
        return dict(s.exec(select(PostDestination.id, PostDestination.status).where(PostDestination.id.in_(ids))).all())


async def _queued() -> set[str]:
    p = await queue.pool()
    return {k.decode() for k in await p.zrange(queue.QUEUE_NAME, 0, -1)}


async def test_a_job_sends_other_due_destinations_with_its_own_and_takes_their_jobs_out(accounts, sandbox_url,
                                                                                         monkeypatch):
    monkeypatch.setattr(publish_run, "DRAIN_ROUNDS", 1)  # one batch: what a batch takes, and no more
    scope, cids = accounts
    due = await _due(scope, cids, 7)
    later = await _due(scope, cids, 1, seconds=3600)
    assert await publish.publish_destination(due[0], batch=4) == DS.published
    st = _statuses(due + later)
    taken = [d for d in due if st[d] == DS.published]
    assert len(taken) == 4 and due[0] in taken
    assert [st[d] for d in due if d not in taken] == [DS.pending] * 3
    assert st[later[0]] == DS.pending  # not due: never taken by another's batch
    queued = await _queued()
    with dbmod.session() as s:
        when = {d.id: p.scheduled_at for d, p in s.exec(
            select(PostDestination, ScheduledPost).join(ScheduledPost, ScheduledPost.id == PostDestination.post_id)
            .where(PostDestination.id.in_(due)))}
    for d in due[1:]:  # the batch's other jobs left the queue; the rest wait for theirs
        assert (queue.publish_job_id(d, 0, when[d]) in queued) == (d not in taken)
    for d in taken[1:]:  # had a job of theirs run anyway, it would skip
        assert await publish.publish_destination(d, batch=4) == "skipped"
    texts = [p["caption"] for cid in cids for p in await published_on_sandbox(sandbox_url, cid)]
    assert sorted(texts) == sorted(f"Lote {due.index(d)} ✓" for d in taken)


async def test_a_job_drains_what_is_due_batch_after_batch(accounts, sandbox_url):
    scope, cids = accounts
    due = await _due(scope, cids, 11)
    later = await _due(scope, cids, 1, seconds=3600)
    # Batches of 4: the job's own and three more, then 4, then the last 3 (a short batch ends it).
    assert await publish.publish_destination(due[0], batch=4) == DS.published
    st = _statuses(due + later)
    assert [st[d] for d in due] == [DS.published] * 11 and st[later[0]] == DS.pending
    queued = await _queued()
    # Every other job left the queue (the job's own is arq's to remove when it ends).
    assert not any(job.startswith(tuple(f"publish:{d}:" for d in due[1:])) for job in queued)
    assert any(job.startswith(f"publish:{later[0]}:") for job in queued)
    texts = [p["caption"] for cid in cids for p in await published_on_sandbox(sandbox_url, cid)]
    assert sorted(texts) == sorted(f"Lote {i} ✓" for i in range(11))


async def test_a_destination_due_in_a_moment_waits_for_its_own_job(accounts):
    scope, cids = accounts
    [now] = await _due(scope, cids, 1)
    [soon] = await _due(scope, cids[1:], 1, seconds=3)
    assert await publish.publish_destination(now, batch=10) == DS.published
    assert _statuses([soon]) == {soon: DS.pending}  # another's batch never sends early
    assert await publish.publish_destination(soon, batch=10) == DS.published  # its own job: clock-skew grace


async def test_two_batches_at_once_send_each_destination_once(accounts, sandbox_url):
    scope, cids = accounts
    due = await _due(scope, cids, 12)
    got = await asyncio.gather(publish.publish_destination(due[0], batch=8),
                               publish.publish_destination(due[-1], batch=8))
    # Whichever claimed first may have taken the other's own destination into its batch.
    assert DS.published in got and set(got) <= {DS.published, "skipped"}
    rest = [d for d, st in _statuses(due).items() if st == DS.pending]
    for d in rest:
        await publish.publish_destination(d, batch=8)
    assert set(_statuses(due).values()) == {DS.published}
    texts = [p["caption"] for cid in cids for p in await published_on_sandbox(sandbox_url, cid)]
    assert sorted(texts) == sorted(f"Lote {i} ✓" for i in range(12))  # each once
    with dbmod.session() as s:
        posts = s.exec(select(ScheduledPost.status).where(ScheduledPost.workspace_id == scope.workspace_id)).all()
    assert set(posts) == {"published"}
