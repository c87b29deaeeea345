"""A post the platform accepted but is still processing (a TikTok video): the destination waits
as `processing` with the platform's id, and read-only looks (services/publish_check) move it to
published, failed or, after too long, unconfirmed — never a second send. Against TikTok's
emulator, on both databases and a real Redis."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from dreamsuite import db as dbmod, queue
from dreamsuite.models import DestinationEvent, DestinationStatus as DS, PostDestination, ScheduledPost
from dreamsuite.platforms import tiktok as tiktok_module
from dreamsuite.platforms.base import ProcessingFailed
from dreamsuite.services import publish, publish_check
from tests.helpers import due_post, make_workspace
from tests.platform_helpers import connect_platform

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]


@pytest.fixture
async def tiktok(db, redis_url, emulators, monkeypatch):
    monkeypatch.setattr(tiktok_module, "POLL_SECONDS", 0.0)
    # One look inside the publish job, which the emulator answers "processing" (its next, "complete").
    monkeypatch.setattr(tiktok_module, "STATUS_POLLS", 1)
    _, _, scope = make_workspace("ines@example.com", timezone="America/Bogota")
    cid = await connect_platform(scope, "tiktok", "Inés Prado")
    return scope, cid, emulators


def _dest(dest_id: int) -> PostDestination:
    with dbmod.session() as s:
        return s.get(PostDestination, dest_id)


def _history(dest_id: int) -> list[str]:
    with dbmod.session() as s:
        return list(s.exec(select(DestinationEvent.status).where(DestinationEvent.destination_id == dest_id)
                           .order_by(DestinationEvent.id)))


def _published(emulators, cid: int) -> list[dict]:
    with dbmod.session() as s:
        from dreamsuite.models import PlatformConnection

        user = s.get(PlatformConnection, cid).platform_user_id
    return emulators.store.posts("tiktok", user)


async def _job_ids() -> set[str]:
    p = await queue.pool()
    return {k.decode() for k in await p.zrange(queue.QUEUE_NAME, 0, -1)}


async def test_a_video_still_processing_waits_then_is_published_by_a_look(tiktok):
    scope, cid, emulators = tiktok
    dest_id = due_post(scope, cid, "Ensayo abierto 🎥 #envivo", [{"url": "https://media.example.com/ensayo.mp4"}])
    assert await publish.publish_destination(dest_id) == DS.processing
    dest = _dest(dest_id)
    assert dest.remote_id and dest.platform_post_id == "" and dest.check_after is not None
    assert queue.publish_check_job_id(dest_id, dest.check_after) in await _job_ids()
    with dbmod.session() as s:
        assert s.get(ScheduledPost, dest.post_id).status == "publishing"  # not done while TikTok works on it

    assert await publish_check.check_processing(dest_id) == DS.published
    [video] = _published(emulators, cid)
    dest = _dest(dest_id)
    assert dest.platform_post_id == video["id"] and dest.platform_url.endswith(f"/video/{video['id']}")
    assert dest.published_at is not None
    assert _history(dest_id) == ["publishing", "processing", "published"]
    with dbmod.session() as s:
        assert s.get(ScheduledPost, dest.post_id).status == "published"
    # Another look (the job ran twice) changes nothing and sends nothing.
    assert await publish_check.check_processing(dest_id) == "skipped"
    assert await publish.publish_destination(dest_id) == "skipped"
    assert len(_published(emulators, cid)) == 1


async def test_a_look_that_finds_it_still_processing_looks_again_later(tiktok, monkeypatch):
    scope, cid, emulators = tiktok
    dest_id = due_post(scope, cid, "Toma dos", [{"url": "https://media.example.com/toma.mp4"}])
    real = tiktok_module.TikTokAdapter._read_status

    def still(self, status, publish_id, username):
        return real(self, {**status, "status": "PROCESSING_DOWNLOAD"}, publish_id, username)

    assert await publish.publish_destination(dest_id) == DS.processing
    first = _dest(dest_id).check_after
    monkeypatch.setattr(tiktok_module.TikTokAdapter, "_read_status", still)
    assert await publish_check.check_processing(dest_id) == DS.processing
    again = _dest(dest_id).check_after
    assert again > first and queue.publish_check_job_id(dest_id, again) in await _job_ids()
    assert _history(dest_id) == ["publishing", "processing"]  # a look writes no history line


async def test_too_long_in_processing_is_unconfirmed_never_resent(tiktok, monkeypatch):
    scope, cid, emulators = tiktok
    dest_id = due_post(scope, cid, "La larga", [{"url": "https://media.example.com/larga.mp4"}])
    assert await publish.publish_destination(dest_id) == DS.processing
    # TikTok answers "processing" again, and it has been three hours.
    monkeypatch.setattr(tiktok_module.TikTokAdapter, "_read_status",
                        lambda self, status, pid, user: tiktok_module.PublishResult(pid, processing=True))
    with dbmod.session() as s:
        s.exec(update(DestinationEvent).where(DestinationEvent.destination_id == dest_id)
               .values(at=dbmod.utcnow() - timedelta(hours=3)))
    assert await publish_check.check_processing(dest_id) == DS.unconfirmed
    dest = _dest(dest_id)
    assert "still processing the post after 2 hours" in dest.error
    assert len(_published(emulators, cid)) == 1  # sent once, and only once


async def test_a_video_the_platform_gives_up_on_fails_with_its_reason(tiktok, monkeypatch):
    scope, cid, emulators = tiktok
    dest_id = due_post(scope, cid, "Sin señal", [{"url": "https://media.example.com/senal.mp4"}])
    assert await publish.publish_destination(dest_id) == DS.processing
    real = tiktok_module.TikTokAdapter._read_status
    monkeypatch.setattr(tiktok_module.TikTokAdapter, "_read_status", lambda self, status, pid, user: real(
        self, {"status": "FAILED", "fail_reason": "file_format_check_failed"}, pid, user))
    assert await publish_check.check_processing(dest_id) == DS.failed
    assert "file_format_check_failed" in _dest(dest_id).error
    with dbmod.session() as s:
        assert s.get(ScheduledPost, _dest(dest_id).post_id).status == "failed"


async def test_a_look_that_cannot_reach_the_platform_is_tried_later(tiktok):
    scope, cid, emulators = tiktok
    dest_id = due_post(scope, cid, "Caída", [{"url": "https://media.example.com/caida.mp4"}])
    assert await publish.publish_destination(dest_id) == DS.processing
    await emulators.control("tiktok", "fail", status=503, times=1, path="/open/v2/post/publish/status/fetch/")
    assert await publish_check.check_processing(dest_id) == DS.processing
    assert await publish_check.check_processing(dest_id) == DS.published


async def test_the_reconciler_enqueues_a_lost_look(tiktok):
    scope, cid, emulators = tiktok
    dest_id = due_post(scope, cid, "Perdida", [{"url": "https://media.example.com/perdida.mp4"}])
    assert await publish.publish_destination(dest_id) == DS.processing
    p = await queue.pool()
    await p.delete(queue.QUEUE_NAME)  # Redis lost the look
    late = dbmod.utcnow() - timedelta(minutes=5)
    with dbmod.session() as s:
        s.exec(update(PostDestination).where(PostDestination.id == dest_id).values(check_after=late))
    assert await publish.reconcile() >= 1
    assert queue.publish_check_job_id(dest_id, late) in await _job_ids()


def test_tiktoks_failed_status_is_a_processing_failure():
    adapter = tiktok_module.TikTokAdapter()
    with pytest.raises(ProcessingFailed, match="video_pull_failed"):
        adapter._read_status({"status": "FAILED", "fail_reason": "video_pull_failed"}, "p1", "ines")
    assert adapter._read_status({"status": "PROCESSING_UPLOAD"}, "p1", "ines").processing
    done = adapter._read_status({"status": "PUBLISH_COMPLETE", "publicaly_available_post_id": [7]}, "p1", "ines")
    assert (done.platform_post_id, done.processing) == ("7", False)


def test_looks_come_further_apart_as_the_wait_grows():
    now = dbmod.utcnow()
    assert publish_check.next_look(now, now) - now == publish_check.MIN_GAP
    assert publish_check.next_look(now - timedelta(minutes=8), now) - now == timedelta(minutes=2)
    assert publish_check.next_look(now - timedelta(hours=1), now) - now == publish_check.MAX_GAP
