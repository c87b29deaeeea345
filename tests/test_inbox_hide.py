"""Hiding comments from the inbox, through the real connectors and their emulators over HTTP, by
the worker's job: the flag changes only once the platform confirmed; "Hiding…" shows meanwhile
(a Redis key, no column); double clicks are one job and the last click wins; a refusal the platform
may take back (5xx, a timeout) is tried again, a 4xx ends with the platform's words; the next sync
agrees with what was hidden. Viewers may not hide; platforms without hiding say why."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite import queue
from dreamsuite.models import Comment, Role
from dreamsuite.platforms import meta
from dreamsuite.services import inbox, inbox_hide, sync
from dreamsuite.services.errors import UserError
from dreamsuite.services.scope import AccessDenied, NotFound
from tests.helpers import add_member, make_workspace, run_worker_burst
from tests.platform_helpers import collected_comments

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]
GRAPH = f"/graph/{meta.GRAPH_VERSION}"


async def _collected(platform: str):
    scope, cid, comments = await collected_comments(platform)
    # Connecting queued its first sync and an analysis half a minute later: not what these tests run.
    await (await queue.pool()).delete(queue.QUEUE_NAME)
    return scope, cid, comments


def _comments(ws_id: int) -> list[Comment]:
    with dbmod.session() as s:
        return s.exec(select(Comment).where(Comment.workspace_id == ws_id).order_by(Comment.id)).all()


def _hidden(comment_id: int) -> bool:
    with dbmod.session() as s:
        return s.get(Comment, comment_id).hidden


def _hides(emulators, platform: str) -> list[str]:
    return [p for p in emulators[platform].served if p.startswith("POST") and "/replies" not in p
            and "/comments" not in p and "access_token" not in p and "/media" not in p]


async def test_facebook_hides_once_confirmed_and_the_next_sync_agrees(db, redis_url, emulators):
    scope, cid, comments = await _collected("facebook")
    fan = next(c for c in comments if not c.hidden and c.author != "Nova Lane")
    await inbox_hide.ask(scope, fan.id, True)
    assert await inbox_hide.states([fan.id]) == {fan.id: {"asked": True, "error": ""}}
    assert not _hidden(fan.id)  # not before the platform said so
    await run_worker_burst()
    assert _hidden(fan.id) and await inbox_hide.states([fan.id]) == {}
    account = emulators.store.accounts("facebook")[0]
    assert emulators.store.get(f"facebook:hidden:{account.id}") == {fan.platform_comment_id: True}
    await sync.collect_connection(cid)
    assert _hidden(fan.id)
    page = inbox.list_comments(scope, inbox.Filters(hidden=True, archived=None))
    assert fan.id in [i.id for i in page.items] and all(i.hidden for i in page.items)
    await inbox_hide.ask(scope, fan.id, False)
    await run_worker_burst()
    assert not _hidden(fan.id)
    await sync.collect_connection(cid)
    assert not _hidden(fan.id)


async def test_double_clicks_are_one_job_and_the_last_click_wins(db, redis_url, emulators):
    scope, _, comments = await _collected("instagram")
    fan = next(c for c in comments if not c.hidden)
    for hidden in (True, True, False, True):
        await inbox_hide.ask(scope, fan.id, hidden)
    p = await queue.pool()
    # The comment's job, and one follow-up in case the job had just read an earlier click.
    assert sorted(j.job_id for j in await p.queued_jobs() if j.function == "inbox_hide") == [
        f"inbox_hide:{fan.id}", f"inbox_hide:{fan.id}:again"]
    before = len(_hides(emulators, "instagram"))
    await run_worker_burst()
    assert _hidden(fan.id) and await inbox_hide.states([fan.id]) == {}
    assert [c for c in _hides(emulators, "instagram")[before:]] == [f"POST {GRAPH}/{fan.platform_comment_id}"]


async def test_a_server_error_or_a_timeout_is_tried_again_and_a_refusal_is_final(db, redis_url, emulators):
    scope, _, comments = await _collected("instagram")
    fan = next(c for c in comments if not c.hidden)
    await emulators.control("instagram", "fail", status=500, times=1, path=f"{GRAPH}/{fan.platform_comment_id}")
    await inbox_hide.ask(scope, fan.id, True)
    with pytest.raises(inbox_hide.TryLater) as later:
        await inbox_hide.run(fan.id, job_try=1)
    assert later.value.delay == inbox_hide.BACKOFF[0] and not _hidden(fan.id)
    assert (await inbox_hide.states([fan.id]))[fan.id]["asked"] is True  # still "Hiding…"
    await emulators.control("instagram", "hang", seconds=3, times=1, path=f"{GRAPH}/{fan.platform_comment_id}")
    async with httpx.AsyncClient(timeout=1.0) as client:
        with pytest.raises(inbox_hide.TryLater):
            await inbox_hide.run(fan.id, client=client, job_try=2)
    assert await inbox_hide.run(fan.id, job_try=3) == "hidden" and _hidden(fan.id)
    # A 4xx is Meta's final word: the flag stays, the words are shown.
    await emulators.control("instagram", "fail", status=400, times=1, path=f"{GRAPH}/{fan.platform_comment_id}")
    await inbox_hide.ask(scope, fan.id, False)
    assert await inbox_hide.run(fan.id) == "failed" and _hidden(fan.id)
    assert await inbox_hide.states([fan.id]) == {fan.id: {"asked": None, "error": (
        "Not shown again: Instagram refused the request: (#100) Invalid parameter")}}
    # A server error on the last try ends too.
    await emulators.control("instagram", "fail", status=503, times=1, path=f"{GRAPH}/{fan.platform_comment_id}")
    await inbox_hide.ask(scope, fan.id, False)
    assert await inbox_hide.states([fan.id]) == {fan.id: {"asked": False, "error": ""}}
    assert await inbox_hide.run(fan.id, job_try=inbox_hide.MAX_TRIES) == "failed" and _hidden(fan.id)
    assert "server error 503" in (await inbox_hide.states([fan.id]))[fan.id]["error"]


async def test_facebook_refuses_to_hide_the_pages_own_comment(db, redis_url, emulators):
    scope, _, comments = await _collected("facebook")
    own = next(c for c in comments if c.author == "Nova Lane")
    await inbox_hide.ask(scope, own.id, True)
    assert await inbox_hide.run(own.id) == "failed" and not _hidden(own.id)
    assert (await inbox_hide.states([own.id]))[own.id]["error"] == (
        "Not hidden: Facebook refused the request: (#100) The Page's own comments cannot be hidden")


async def test_x_hides_fans_replies_only_and_collection_keeps_the_flag(db, redis_url, emulators):
    scope, cid, comments = await _collected("x")
    fan = next(c for c in comments if c.author != "nova_lane")
    own = next(c for c in comments if c.author == "nova_lane")
    await inbox_hide.ask(scope, fan.id, True)
    assert await inbox_hide.run(fan.id) == "hidden"
    account = emulators.store.accounts("x")[0]
    assert emulators.store.get(f"x:hidden:{account.id}") == [fan.platform_comment_id]
    await sync.collect_connection(cid)  # X's posts do not say they are hidden: ours stays
    assert _hidden(fan.id)
    await inbox_hide.ask(scope, own.id, True)
    assert await inbox_hide.run(own.id) == "failed" and not _hidden(own.id)
    assert "only hide or unhide replies to conversations you authored" in (
        await inbox_hide.states([own.id]))[own.id]["error"]


async def test_youtube_holds_the_comment_for_review_and_publishes_it_again(db, redis_url, emulators):
    scope, cid, comments = await _collected("youtube")
    top = next(c for c in comments if not c.parent_platform_id)
    used = emulators["youtube"].units_used()
    await inbox_hide.ask(scope, top.id, True)
    assert await inbox_hide.run(top.id) == "hidden" and _hidden(top.id)
    assert emulators["youtube"].units_used() - used == 50
    account = emulators.store.accounts("youtube")[0]
    assert emulators.store.get(f"youtube:held:{account.id}") == [top.platform_comment_id]
    await sync.collect_connection(cid)  # held comments are not listed: the row keeps its flag
    assert _hidden(top.id)
    await inbox_hide.ask(scope, top.id, False)
    assert await inbox_hide.run(top.id) == "shown"
    assert emulators.store.get(f"youtube:held:{account.id}") == []
    await sync.collect_connection(cid)
    assert not _hidden(top.id)


async def test_who_may_hide_what(db, redis_url, emulators):
    from tests.test_inbox_reply import _comment

    _, ws, owner = make_workspace("nova@example.com")
    _, _, other = make_workspace("other@example.com")
    fb = _comment(ws.id, "facebook", "fb-1")
    tiktok = _comment(ws.id, "tiktok", "tt-1")
    viewer = add_member(ws.id, "viewer@example.com", Role.viewer)
    editor = add_member(ws.id, "editor@example.com", Role.editor)
    with pytest.raises(AccessDenied):
        await inbox_hide.ask(viewer, fb, True)
    with pytest.raises(NotFound):
        await inbox_hide.ask(other, fb, True)
    with pytest.raises(UserError, match="TikTok does not let apps hide comments: hide it in the TikTok app."):
        await inbox_hide.ask(owner, tiktok, True)
    assert await inbox_hide.states([fb, tiktok]) == {}
    await inbox_hide.ask(editor, fb, True)
    assert (await inbox_hide.states([fb]))[fb]["asked"] is True
    assert inbox_hide.why_not("tiktok").startswith("TikTok") and not inbox_hide.can_hide("spotify")
    assert all(inbox_hide.can_hide(p) for p in ("facebook", "instagram", "x", "youtube"))
