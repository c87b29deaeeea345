"""The composer's use cases on real databases and Redis: per-platform texts, media checked per
account, every problem reported by field with nothing stored, drafts that never go out, posting
now, and editing a draft or a post not yet sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from dreamsuite import db as dbm, queue
from dreamsuite.models import PostDestination, ScheduledPost
from dreamsuite.services import media, publish, publish_run
from dreamsuite.services.publish import FieldErrors, PublishValidationError
from dreamsuite.services.errors import UserError
from dreamsuite.settings import get_settings
from tests.helpers import connect_sandbox, make_workspace
from tests.media_files import fixture, picture
from tests.seed_metrics import account

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]


@pytest.fixture
def ws(db, redis_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIA_DIR", str(tmp_path / "media"))
    monkeypatch.delenv("S3_BUCKET", raising=False)
    get_settings.cache_clear()
    _, _, scope = make_workspace("nova@example.com", timezone="Europe/Paris")
    return scope, {p: account(scope, p, "nova") for p in ("x", "instagram", "tiktok", "facebook")}


def _local(minutes: float, tz: str = "Europe/Paris") -> datetime:
    return (datetime.now(ZoneInfo(tz)) + timedelta(minutes=minutes)).replace(tzinfo=None, microsecond=0)


def _rows() -> tuple[list[ScheduledPost], list[PostDestination]]:
    with dbm.session() as s:
        return s.exec(select(ScheduledPost)).all(), s.exec(select(PostDestination).order_by(PostDestination.id)).all()


async def _job_ids() -> set[str]:
    p = await queue.pool()
    return {k.decode() for k in await p.zrange(queue.QUEUE_NAME, 0, -1)}


async def test_each_platform_gets_its_own_text(ws):
    scope, acc = ws
    long = "Night Drive is out everywhere on Friday. " * 8  # 328 characters: too long for X alone
    photo = media.upload(scope, "cover.jpg", picture(1080, 1350, fmt="JPEG"))
    post = await publish.schedule_post(scope, long, [acc["x"], acc["instagram"]], _local(30), "Europe/Paris",
                                       variants={"x": "Night Drive, Friday. #newmusic", "instagram": "  "},
                                       media=[photo["id"]], first_comment="Pre-save link in bio")
    stored, dests = _rows()
    assert stored[0].variants == {"x": "Night Drive, Friday. #newmusic"}  # a blank variant is the main text
    assert stored[0].media == [photo["id"]] and stored[0].first_comment == "Pre-save link in bio"
    assert publish.text_for(stored[0], "x") == "Night Drive, Friday. #newmusic"
    assert publish.text_for(stored[0], "instagram") == long
    assert [d.status for d in dests] == ["pending", "pending"]
    assert {queue.publish_job_id(d.id, 0, post.scheduled_at) for d in dests} <= await _job_ids()


async def test_the_worker_sends_each_destination_its_own_text_and_media(ws):
    scope, acc = ws
    photo = media.upload(scope, "cover.jpg", picture(1080, 1080, fmt="JPEG"))
    await publish.schedule_post(scope, "The long text for Instagram #newmusic", [acc["x"], acc["instagram"]],
                                _local(0), "Europe/Paris", variants={"x": "Short for X"}, media=[photo["id"]],
                                post_now=True)
    _, dests = _rows()
    by_conn = {d.connection_id: d.id for d in dests}
    x = dbm.utcnow() + timedelta(seconds=1)
    [sent_x] = await dbm.run(publish_run._claim, by_conn[acc["x"]], x)
    [sent_ig] = await dbm.run(publish_run._claim, by_conn[acc["instagram"]], x)
    assert sent_x.request.text == "Short for X"
    assert sent_ig.request.text == "The long text for Instagram #newmusic"
    assert [m["id"] for m in sent_ig.request.media] == [photo["id"]]
    assert sent_ig.request.media[0]["url"].startswith(get_settings().api_url + "/media/")


async def test_every_problem_is_reported_by_field_and_nothing_is_stored(ws):
    scope, acc = ws
    png = media.upload(scope, "cover.png", picture(1080, 1080))
    jobs = await _job_ids()
    with pytest.raises(FieldErrors) as info:
        await publish.schedule_post(
            scope, "x" * 290 + " #a #b #c #d #e #f", [acc["x"], acc["instagram"], acc["tiktok"]], _local(-10),
            "Europe/Paris", media=[png["id"]], first_comment="y" * 300)
    errors = info.value.errors
    assert errors["content"] == [
        "Too long for X (@nova): 308 characters, the limit is 280.",
        "Too many hashtags for Instagram (@nova): 6, Instagram takes at most 5."]
    assert errors["media"] == [
        "Instagram takes JPEG photos only: cover.png is PNG. Save it as JPEG and add it again.",
        "TikTok takes videos only: cover.png is a photo."]
    assert errors["first_comment"] == ["The first comment is too long for X (@nova): 300 characters, the limit is 280."]
    assert errors["when"] == ["That time is in the past; pick a time from now on."]
    assert set(errors) == {"content", "media", "first_comment", "when"}
    assert isinstance(info.value, PublishValidationError) and "Too long for X" in info.value.message
    assert _rows() == ([], []) and await _job_ids() == jobs


async def test_one_account_that_cannot_take_the_post_stores_nothing(ws):
    scope, acc = ws
    with pytest.raises(FieldErrors) as info:  # fine for X and Facebook; TikTok needs a video
        await publish.schedule_post(scope, "Tour dates are up", [acc["x"], acc["facebook"], acc["tiktok"]],
                                    _local(60), "Europe/Paris")
    assert info.value.errors == {"media": ["TikTok cannot post text alone: add a video to this post."]}
    assert _rows() == ([], [])
    # With a video TikTok takes, and a variant where the main text is too long for X, it goes.
    clip = media.upload(scope, "clip.mp4", fixture("clip.mp4"))
    post = await publish.schedule_post(scope, "Tour dates are up " + "!" * 300, [acc["x"], acc["tiktok"]],
                                       _local(60), "Europe/Paris", media=[clip["id"]], variants={"x": "Tour!"})
    assert post.status == "scheduled" and len(_rows()[1]) == 2


async def test_a_variant_problem_is_filed_under_that_variant(ws):
    scope, acc = ws
    with pytest.raises(FieldErrors) as info:
        await publish.schedule_post(scope, "Fine", [acc["x"]], _local(60), "Europe/Paris", variants={"x": "z" * 281})
    assert info.value.errors == {"variant:x": ["Too long for X (@nova): 281 characters, the limit is 280."]}


async def test_media_of_another_workspace_is_refused(ws):
    scope, acc = ws
    other = make_workspace("rival@example.com")[2]
    theirs = media.upload(other, "theirs.jpg", picture(600, 600, fmt="JPEG"))
    with pytest.raises(FieldErrors) as info:
        await publish.schedule_post(scope, "Mine", [acc["x"]], _local(60), "Europe/Paris", media=[theirs["id"]])
    assert info.value.errors["media"] == [
        "One of the chosen files is not in this workspace's media library (it may have been deleted): remove it "
        "from the post and choose it again."]
    assert _rows() == ([], [])


async def test_a_draft_never_goes_out_until_it_is_scheduled(ws):
    scope, acc = ws
    jobs = await _job_ids()
    draft = await publish.schedule_post(scope, "Idea: " + "x" * 400, [acc["x"], acc["instagram"]], None,
                                        "Europe/Paris", draft=True)  # too long for X: fine in a draft
    [stored], dests = _rows()
    assert stored.status == "draft" and [d.status for d in dests] == ["cancelled", "cancelled"]
    assert await _job_ids() == jobs
    # The reconciler, long after, finds nothing to send; a job for it would skip.
    assert await publish.reconcile(dbm.utcnow() + timedelta(days=1)) == 0
    assert await publish.publish_destination(dests[0].id) == "skipped"
    loaded = publish.get_post(scope, draft.id)
    assert loaded["connection_ids"] == [acc["x"], acc["instagram"]] and loaded["editable"]
    with pytest.raises(FieldErrors, match="Too long for X"):  # scheduling checks what a draft did not
        await publish.update_post(scope, draft.id, loaded["content"], loaded["connection_ids"], _local(45),
                                  "Europe/Paris")
    when = _local(45)
    post = await publish.update_post(scope, draft.id, "Ready now", [acc["x"]], when, "Europe/Paris")
    [stored], dests = _rows()
    assert (stored.status, stored.content) == ("scheduled", "Ready now")
    assert [(d.connection_id, d.status) for d in dests] == [(acc["x"], "pending")]  # Instagram dropped
    assert stored.scheduled_at == when.replace(tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)
    assert queue.publish_job_id(dests[0].id, 0, post.scheduled_at) in await _job_ids()


async def test_an_empty_draft_is_refused(ws):
    scope, acc = ws
    with pytest.raises(FieldErrors) as info:
        await publish.schedule_post(scope, "  ", [], None, "Europe/Paris", draft=True)
    assert info.value.errors == {"content": ["Write something or add a photo before saving a draft."]}


async def test_editing_a_scheduled_post_moves_its_jobs_and_keeps_its_destinations(ws):
    scope, acc = ws
    first = await publish.schedule_post(scope, "Soon", [acc["x"], acc["facebook"]], _local(30), "Europe/Paris")
    _, before = _rows()
    later = await publish.update_post(scope, first.id, "Later, and better", [acc["x"]], _local(90), "Europe/Paris",
                                      first_comment="Tickets below")
    [stored], after = _rows()
    assert [d.id for d in after] == [before[0].id]  # X keeps its destination (and idempotency key)
    assert (stored.content, stored.first_comment) == ("Later, and better", "Tickets below")
    jobs = await _job_ids()
    assert queue.publish_job_id(before[0].id, 0, later.scheduled_at) in jobs
    assert queue.publish_job_id(before[0].id, 0, first.scheduled_at) in jobs  # left: it finds the post not due
    assert await publish.publish_destination(before[0].id) == "skipped"
    # Back to a draft: nothing goes out.
    await publish.update_post(scope, first.id, "On hold", [acc["x"]], None, "Europe/Paris", draft=True)
    [stored], after = _rows()
    assert stored.status == "draft" and [d.status for d in after] == ["cancelled"]


async def test_a_post_that_started_going_out_cannot_be_changed(ws):
    scope, acc = ws
    post = await publish.schedule_post(scope, "Going", [acc["x"], acc["facebook"]], _local(30), "Europe/Paris")
    with dbm.session() as s:
        dest = s.exec(select(PostDestination).where(PostDestination.connection_id == acc["x"])).one()
        dest.status = "publishing"
        s.add(dest)
    with pytest.raises(PublishValidationError, match="started going out meanwhile"):
        await publish.update_post(scope, post.id, "Changed", [acc["x"]], _local(60), "Europe/Paris")
    with dbm.session() as s:
        s.get(ScheduledPost, post.id).status = "published"
    with pytest.raises(PublishValidationError, match="This post is published: it can no longer be changed"):
        await publish.update_post(scope, post.id, "Changed", [acc["x"]], _local(60), "Europe/Paris")
    [stored], _ = _rows()
    assert stored.content == "Going"
    other = make_workspace("rival@example.com")[2]
    with pytest.raises(UserError, match="not in this workspace"):
        await publish.update_post(other, post.id, "Mine now", [], _local(60), "Europe/Paris")


async def test_post_now_goes_out_at_once(ws, sandbox_url):
    scope, _ = ws
    cid = await connect_sandbox(scope)
    post = await publish.schedule_post(scope, "Right now!", [cid], None, "Europe/Paris", post_now=True)
    assert abs((post.scheduled_at - dbm.utcnow()).total_seconds()) < 5
    [dest] = [d for d in _rows()[1] if d.connection_id == cid]
    assert queue.publish_job_id(dest.id, 0, post.scheduled_at) in await _job_ids()
    assert await publish.publish_destination(dest.id) == "published"
