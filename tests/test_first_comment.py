"""A post's first comment, posted under the published post by its own job: against the sandbox and the
X, Instagram, Facebook, YouTube and TikTok emulators, with real Redis and both databases. Sent once
(the job run twice, a 5xx first, a lost answer), refused with the platform's words, never touching the
post's status; each destination's history read back through the scoped service."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlmodel import select

from dreamsuite import db as dbmod, queue
from dreamsuite.models import Comment, ContentPost, Notification, PlatformConnection, PostDestination, ScheduledPost
from dreamsuite.platforms import get_adapter
from dreamsuite.platforms import tiktok as tiktok_module
from dreamsuite.platforms import youtube as youtube_module
from dreamsuite.platforms.base import AccountRef, PermanentError
from dreamsuite.services import first_comment, publish, send_retry, sync, tokens
from dreamsuite.services.scope import NotFound
from tests.helpers import connect_sandbox, control, due_post, make_workspace, run_worker_burst
from tests.platform_helpers import connect_platform

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools", "analysis_soon")]

COMMENT = "Pre-save link: https://nova.example/presave #nightdrive"


@pytest.fixture
async def ws(db, redis_url, sandbox_url):
    _, _, scope = make_workspace("nova@example.com", timezone="Europe/Paris")
    return scope, await connect_sandbox(scope)


def _now_local(tz: str = "UTC") -> datetime:
    return datetime.now(ZoneInfo(tz)).replace(tzinfo=None, microsecond=0)


async def _scheduled(scope, cid: int, text: str = "Night Drive is out", comment: str = COMMENT,
                     tz: str = "UTC") -> tuple[int, int]:
    post = await publish.schedule_post(scope, text, [cid], _now_local(tz), tz, first_comment=comment)
    with dbmod.session() as s:
        return post.id, s.exec(select(PostDestination.id).where(PostDestination.post_id == post.id)).one()


def _with_comment(dest_id: int, comment: str = COMMENT) -> int:
    """A hand-made due post (media of the test's making) given a first comment; returns its post id."""
    with dbmod.session() as s:
        post = s.get(ScheduledPost, s.get(PostDestination, dest_id).post_id)
        post.first_comment = comment
        s.add(post)
        return post.id


def _dest(dest_id: int) -> PostDestination:
    with dbmod.session() as s:
        return s.get(PostDestination, dest_id)


def _post_status(post_id: int) -> str:
    with dbmod.session() as s:
        return s.get(ScheduledPost, post_id).status


def _steps(scope, post_id: int, dest_id: int) -> list[str]:
    return [e["status"] for e in publish.destination_history(scope, post_id).get(dest_id, [])]


def _notes() -> list[Notification]:
    with dbmod.session() as s:
        return s.exec(select(Notification).order_by(Notification.id)).all()


async def _job_ids() -> set[str]:
    p = await queue.pool()
    return {k.decode() for k in await p.zrange(queue.QUEUE_NAME, 0, -1)}


async def _sandbox_comments(sandbox_url: str, cid: int, post_id: str) -> list[dict]:
    """Comments under the post made through the API, read back from the sandbox."""
    token = await tokens.access_token(cid)
    async with httpx.AsyncClient(timeout=10) as client:
        r = await client.get(f"{sandbox_url}/api/v1/comments", params={"post_id": post_id, "limit": 100},
                             headers={"Authorization": f"Bearer {token}"})
    r.raise_for_status()
    return [c for c in r.json()["data"] if "_cm_" in c["id"]]


# ------------------------------------------------------------------ the sandbox
async def test_the_first_comment_goes_out_once_after_the_post(ws, sandbox_url):
    scope, cid = ws
    post_id, dest_id = await _scheduled(scope, cid)
    assert await publish.publish_destination(dest_id) == "published"
    assert queue.first_comment_job_id(dest_id) in await _job_ids()  # its own job, enqueued once
    assert await queue.enqueue_first_comment(dest_id) is False
    assert await first_comment.post_first_comment(dest_id) == "comment_posted"
    assert await first_comment.post_first_comment(dest_id) == "skipped"  # the job run twice posts once
    dest = _dest(dest_id)
    [made] = await _sandbox_comments(sandbox_url, cid, dest.platform_post_id)
    assert made["text"] == COMMENT and made["post_id"] == dest.platform_post_id
    assert _steps(scope, post_id, dest_id) == ["publishing", "published", "comment_sending", "comment_posted"]
    assert dest.status == "published" and _post_status(post_id) == "published" and _notes() == []


async def test_the_sandbox_replays_a_comment_sent_again_with_the_same_key(ws, sandbox_url):
    scope, cid = ws
    post_id, dest_id = await _scheduled(scope, cid)
    assert await publish.publish_destination(dest_id) == "published"
    assert await first_comment.post_first_comment(dest_id) == "comment_posted"
    dest = _dest(dest_id)
    [made] = await _sandbox_comments(sandbox_url, cid, dest.platform_post_id)
    conn = _connection(cid)
    adapter, key = get_adapter("sandbox"), first_comment.idempotency_key(dest_id)
    account = AccountRef(conn.platform_user_id, conn.username)
    async with httpx.AsyncClient(timeout=10) as client:
        token = await tokens.access_token(cid)
        # The destination's key: a resend (say, after a lost answer, by hand) names the comment already made.
        assert await adapter.comment(client, token, dest.platform_post_id, COMMENT, account,
                                     idempotency_key=key) == made["id"]
        with pytest.raises(PermanentError, match="idempotency_key_reused"):
            await adapter.comment(client, token, dest.platform_post_id, "Another text", account, idempotency_key=key)
    assert len(await _sandbox_comments(sandbox_url, cid, dest.platform_post_id)) == 1


async def test_the_worker_runs_the_post_then_its_first_comment(ws, sandbox_url):
    scope, cid = ws
    post_id, dest_id = await _scheduled(scope, cid, "Worker run")
    await run_worker_burst()
    assert _steps(scope, post_id, dest_id)[-1] == "comment_posted"
    assert len(await _sandbox_comments(sandbox_url, cid, _dest(dest_id).platform_post_id)) == 1
    # The job id stays taken: enqueueing again (a publish job re-run) adds nothing.
    assert await queue.enqueue_first_comment(dest_id) is False


async def test_a_server_error_before_acceptance_is_sent_again_and_posts_once(ws, sandbox_url):
    scope, cid = ws
    post_id, dest_id = await _scheduled(scope, cid)
    assert await publish.publish_destination(dest_id) == "published"
    await control(sandbox_url, "fail", status=503, times=1, path="/api/v1/comments")
    await control(sandbox_url, "fail", status=429, times=1, path="/api/v1/comments", retry_after=1)
    assert await first_comment.post_first_comment(dest_id) == "comment_posted"
    assert len(await _sandbox_comments(sandbox_url, cid, _dest(dest_id).platform_post_id)) == 1
    assert _notes() == []


async def test_a_lost_answer_is_unknown_and_never_sent_again(ws, sandbox_url):
    scope, cid = ws
    post_id, dest_id = await _scheduled(scope, cid)
    assert await publish.publish_destination(dest_id) == "published"
    await control(sandbox_url, "hang", seconds=3, times=1, path="/api/v1/comments", after_effect=True)
    async with httpx.AsyncClient(timeout=1.0) as client:
        assert await first_comment.post_first_comment(dest_id, client=client) == "comment_unknown"
        assert await first_comment.post_first_comment(dest_id, client=client) == "skipped"
    assert len(await _sandbox_comments(sandbox_url, cid, _dest(dest_id).platform_post_id)) == 1  # sent once
    history = publish.destination_history(scope, post_id)[dest_id]
    assert history[-1]["status"] == "comment_unknown" and "may have been posted" in history[-1]["message"]
    [note] = _notes()
    assert note.kind == "comment_failed" and "may have been posted" in note.message
    assert _dest(dest_id).status == "published" and _post_status(post_id) == "published"


async def test_a_refusal_fails_with_the_platforms_words_and_the_post_stays_published(ws, sandbox_url):
    scope, cid = ws
    post_id, dest_id = await _scheduled(scope, cid)
    assert await publish.publish_destination(dest_id) == "published"
    await control(sandbox_url, "fail", status=400, times=1, path="/api/v1/comments")
    assert await first_comment.post_first_comment(dest_id) == "comment_failed"
    assert await first_comment.post_first_comment(dest_id) == "skipped"  # a refusal is not tried again
    [*_, last] = publish.destination_history(scope, post_id)[dest_id]
    assert last["status"] == "comment_failed"
    assert last["message"] == ("The first comment was not posted: Sandbox refused the request (400): "
                               "server_error: Injected failure 400")
    [note] = _notes()
    assert note.kind == "comment_failed" and note.link == "/composer"
    assert note.message.startswith("Your post to Sandbox") and "is out, but the first comment was not posted" \
        in note.message
    assert await _sandbox_comments(sandbox_url, cid, _dest(dest_id).platform_post_id) == []
    assert _dest(dest_id).status == "published" and _post_status(post_id) == "published"


async def test_a_post_deleted_on_the_platform_meanwhile_gets_the_platforms_refusal(ws, sandbox_url):
    scope, cid = ws
    post_id, dest_id = await _scheduled(scope, cid)
    assert await publish.publish_destination(dest_id) == "published"
    with dbmod.session() as s:  # the artist deleted the post on the platform before its comment went out
        dest = s.get(PostDestination, dest_id)
        dest.platform_post_id = "deleted-post"
        s.add(dest)
    assert await first_comment.post_first_comment(dest_id) == "comment_failed"
    assert publish.destination_history(scope, post_id)[dest_id][-1]["message"] == (
        "The first comment was not posted: Sandbox refused the request (404): not_found: No post deleted-post on "
        "this account")


async def test_no_first_comment_no_job(ws):
    scope, cid = ws
    post_id, dest_id = await _scheduled(scope, cid, comment="")
    assert await publish.publish_destination(dest_id) == "published"
    assert queue.first_comment_job_id(dest_id) not in await _job_ids()
    assert await first_comment.post_first_comment(dest_id) == "skipped"
    assert _steps(scope, post_id, dest_id) == ["publishing", "published"]


async def test_a_post_that_did_not_go_out_gets_no_comment(ws, sandbox_url):
    scope, cid = ws
    post_id, dest_id = await _scheduled(scope, cid)
    await control(sandbox_url, "fail", status=400, times=1, path="/api/v1/posts")
    assert await publish.publish_destination(dest_id) == "failed"
    assert queue.first_comment_job_id(dest_id) not in await _job_ids()
    assert await first_comment.post_first_comment(dest_id) == "skipped"


async def test_an_interrupted_run_that_sent_nothing_lets_the_next_run_send(ws, sandbox_url, monkeypatch):
    scope, cid = ws
    post_id, dest_id = await _scheduled(scope, cid)
    assert await publish.publish_destination(dest_id) == "published"

    async def cancelled(*args, **kwargs):
        raise KeyboardInterrupt  # the worker shutting down before the token was read

    monkeypatch.setattr(tokens, "access_token", cancelled)
    with pytest.raises(KeyboardInterrupt):
        await first_comment.post_first_comment(dest_id)
    monkeypatch.undo()
    assert await first_comment.post_first_comment(dest_id) == "comment_posted"
    assert _steps(scope, post_id, dest_id)[2:] == ["comment_sending", "comment_retrying", "comment_sending",
                                                   "comment_posted"]
    assert len(await _sandbox_comments(sandbox_url, cid, _dest(dest_id).platform_post_id)) == 1


async def test_a_run_that_died_while_sending_is_unknown_not_resent(ws, sandbox_url):
    scope, cid = ws
    post_id, dest_id = await _scheduled(scope, cid)
    assert await publish.publish_destination(dest_id) == "published"
    from dreamsuite.services.post_history import history

    with dbmod.session() as s:  # what a worker killed mid-send leaves behind
        history(s, scope.workspace_id, dest_id, "comment_sending", "Posting the first comment")
    assert await first_comment.post_first_comment(dest_id) == "skipped"  # it may still be running
    later = dbmod.utcnow() + first_comment.STALE_SENDING + timedelta(seconds=1)
    assert await dbmod.run(first_comment._claim, dest_id, later) == "comment_unknown"
    assert await first_comment.post_first_comment(dest_id) == "skipped"
    assert await _sandbox_comments(sandbox_url, cid, _dest(dest_id).platform_post_id) == []
    assert [n.kind for n in _notes()] == ["comment_failed"]


# ------------------------------------------------------------------ the history service
async def test_the_history_is_in_order_in_the_posts_timezone_and_scoped(ws, sandbox_url, monkeypatch):
    scope, cid = ws
    monkeypatch.setattr(send_retry, "SEND_BACKOFF", (0.0, 0.0, 0.0))
    post_id, dest_id = await _scheduled(scope, cid, tz="America/New_York")
    await control(sandbox_url, "fail", status=503, times=send_retry.MAX_SENDS, path="/api/v1/posts")
    assert await publish.publish_destination(dest_id) == "retrying"
    assert await publish.publish_destination(dest_id) == "published"  # the re-enqueued job, run early
    assert await first_comment.post_first_comment(dest_id) == "comment_posted"
    events = publish.destination_history(scope, post_id)[dest_id]
    assert [e["status"] for e in events] == ["publishing", "pending", "publishing", "published", "comment_sending",
                                             "comment_posted"]
    assert events[0]["message"] == "Sending" and events[1]["message"].startswith("Will try again: ")
    assert events[2]["message"] == "Sending again (attempt 2)"
    assert events[3]["message"] == _dest(dest_id).platform_url
    assert all(a["at"] <= b["at"] for a, b in zip(events, events[1:]))
    assert all(e["local"].tzinfo.key == "America/New_York" and e["local"] == e["at"] for e in events)
    # Several posts in one call; another workspace's post is not found (nor an unknown id).
    other_post, other_dest = await _scheduled(scope, cid, "Second", comment="")
    both = publish.destination_history(scope, [post_id, other_post])
    assert set(both) == {dest_id} and publish.destination_history(scope, []) == {}
    _, _, stranger = make_workspace("stranger@example.com")
    with pytest.raises(NotFound):
        publish.destination_history(stranger, post_id)
    with pytest.raises(NotFound):
        publish.destination_history(stranger, [post_id])
    with pytest.raises(NotFound):
        publish.destination_history(scope, 999_999)


# ------------------------------------------------------------------ the platforms' emulators
@pytest.fixture
async def platform(db, redis_url, emulators, monkeypatch):
    monkeypatch.setattr(tiktok_module, "POLL_SECONDS", 0.0)
    monkeypatch.setattr(youtube_module, "POLL_SECONDS", 0.0)
    _, _, scope = make_workspace("nova@example.com")

    async def connect(name: str) -> int:
        return await connect_platform(scope, name, "Nova Lane")

    return scope, connect, emulators


def _account_id(emulators, platform: str) -> str:
    """The emulator's own id for the account connected (Nova Lane's)."""
    [account] = [a for a in emulators.store.accounts(platform) if a.name == "Nova Lane"]
    return account.id


async def _published_with_comment(scope, cid: int, media: list[dict], text: str = "Night Drive") -> tuple[int, int]:
    dest_id = due_post(scope, cid, text, media)
    post_id = _with_comment(dest_id)
    assert await publish.publish_destination(dest_id) == "published", _dest(dest_id).error
    assert queue.first_comment_job_id(dest_id) in await _job_ids()
    assert await first_comment.post_first_comment(dest_id) == "comment_posted", \
        publish.destination_history(scope, post_id)[dest_id][-1]
    assert await first_comment.post_first_comment(dest_id) == "skipped"
    return post_id, dest_id


async def test_x_gets_a_reply_under_the_post_once(platform):
    scope, connect, emulators = platform
    cid = await connect("x")
    post_id, dest_id = await _published_with_comment(scope, cid, [])
    tweet_id = _dest(dest_id).platform_post_id
    stored = emulators.store.posts("x", _account_id(emulators, "x"))
    [reply] = [t for t in stored if t.get("_parent")]
    assert reply["text"] == COMMENT and reply["_parent"] == tweet_id and reply["conversation_id"] == tweet_id
    assert reply["referenced_tweets"] == [{"type": "replied_to", "id": tweet_id}]
    # Sent again by hand (a replay of the adapter): X refuses the duplicate and the adapter names the
    # reply already made instead of failing or replying twice.
    conn = _connection(cid)
    async with httpx.AsyncClient(timeout=10) as client:
        again = await get_adapter("x").comment(client, await tokens.access_token(cid), tweet_id, COMMENT,
                                               AccountRef(conn.platform_user_id, conn.username))
    assert again == reply["id"] and len([t for t in emulators.store.posts("x", conn.platform_user_id)
                                         if t.get("_parent")]) == 1
    # The reply is part of the conversation the next collect reads.
    await sync.collect_connection(cid)
    assert [c.text for c in _comments_of(cid, tweet_id)] == [COMMENT]


async def test_x_refuses_a_reply_to_a_post_that_does_not_exist(platform):
    scope, connect, emulators = platform
    cid = await connect("x")
    conn = _connection(cid)
    async with httpx.AsyncClient(timeout=10) as client:
        with pytest.raises(Exception, match="deleted or is not visible"):
            await get_adapter("x").comment(client, await tokens.access_token(cid), "1234567890123", COMMENT,
                                           AccountRef(conn.platform_user_id, conn.username))


async def test_instagram_gets_a_comment_under_the_media_once(platform):
    scope, connect, emulators = platform
    cid = await connect("instagram")
    post_id, dest_id = await _published_with_comment(scope, cid, [{"url": "https://cdn.example/cover.jpg"}])
    media_id = _dest(dest_id).platform_post_id
    made = emulators.store.get(f"instagram:comments:{_account_id(emulators, 'instagram')}", {})
    assert list(made) == [media_id] and [c["text"] for c in made[media_id]] == [COMMENT]
    served = [line for line in emulators["instagram"].served if line.startswith("POST ") and "/comments" in line]
    assert len(served) == 1 and f"/{media_id}/comments?message=" in served[0]
    await sync.collect_connection(cid)
    assert [c.text for c in _comments_of(cid, media_id)] == [COMMENT]


async def test_facebook_gets_a_comment_from_the_page_once(platform):
    scope, connect, emulators = platform
    cid = await connect("facebook")
    post_id, dest_id = await _published_with_comment(scope, cid, [])
    post = _dest(dest_id).platform_post_id
    made = emulators.store.get(f"facebook:comments:{_account_id(emulators, 'facebook')}", {})
    assert [c["message"] for c in made[post]] == [COMMENT] and list(made) == [post]
    await sync.collect_connection(cid)
    assert [c.text for c in _comments_of(cid, post)] == [COMMENT]


async def test_youtube_gets_a_comment_thread_under_the_video_once(platform):
    scope, connect, emulators = platform
    cid = await connect("youtube")
    media = [{"url": f"{emulators.base}/youtube/_control/sample.mp4", "type": "video"}]
    post_id, dest_id = await _published_with_comment(scope, cid, media)
    video = _dest(dest_id).platform_post_id
    [thread] = emulators.store.get(f"youtube:threads:{_account_id(emulators, 'youtube')}", [])
    assert thread["snippet"]["videoId"] == video
    assert thread["snippet"]["topLevelComment"]["snippet"]["textOriginal"] == COMMENT


async def test_tiktok_takes_no_comments_and_the_history_says_so(platform):
    scope, connect, emulators = platform
    cid = await connect("tiktok")
    dest_id = due_post(scope, cid, "Studio diary", [{"url": "https://media.example.com/a.mp4"}])
    post_id = _with_comment(dest_id)
    assert await publish.publish_destination(dest_id) == "published"
    assert queue.first_comment_job_id(dest_id) not in await _job_ids()  # no job
    [*_, last] = publish.destination_history(scope, post_id)[dest_id]
    assert last["status"] == "comment_unsupported"
    assert last["message"].startswith("TikTok takes no comments through its API")
    assert _post_status(post_id) == "published" and _notes() == []


def _connection(cid: int) -> PlatformConnection:
    with dbmod.session() as s:
        return s.get(PlatformConnection, cid)


def _comments_of(cid: int, platform_post_id: str) -> list[Comment]:
    with dbmod.session() as s:
        post = s.exec(select(ContentPost).where(ContentPost.connection_id == cid,
                                                ContentPost.platform_post_id == platform_post_id)).one()
        return s.exec(select(Comment).where(Comment.post_id == post.id)).all()


def test_only_platforms_with_a_comment_api_say_they_take_comments():
    can = {name: get_adapter(name).can_comment for name in ("sandbox", "x", "instagram", "facebook", "youtube",
                                                            "tiktok", "spotify", "soundcloud", "deezer")}
    assert can == {"sandbox": True, "x": True, "instagram": True, "facebook": True, "youtube": True,
                   "tiktok": False, "spotify": False, "soundcloud": False, "deezer": False}


async def test_a_youtube_grant_without_the_comment_permission_names_it(platform, monkeypatch):
    scope, connect, emulators = platform
    real = youtube_module.YouTubeAdapter.oauth_config

    def before_comments(self):  # a channel connected before the first comment asked for youtube.force-ssl
        cfg = real(self)
        cfg.scopes = [s for s in cfg.scopes if s != youtube_module.COMMENT]
        return cfg

    monkeypatch.setattr(youtube_module.YouTubeAdapter, "oauth_config", before_comments)
    cid = await connect("youtube")
    dest_id = due_post(scope, cid, "New video", [{"url": f"{emulators.base}/youtube/_control/sample.mp4",
                                                  "type": "video"}])
    post_id = _with_comment(dest_id)
    assert await publish.publish_destination(dest_id) == "published"
    assert await first_comment.post_first_comment(dest_id) == "comment_failed"
    message = publish.destination_history(scope, post_id)[dest_id][-1]["message"]
    assert "needs the permission 'youtube.force-ssl' to comment: reconnect YouTube and allow it" in message
    assert emulators.store.get(f"youtube:threads:{_account_id(emulators, 'youtube')}", []) == []
    assert _post_status(post_id) == "published"
