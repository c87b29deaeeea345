"""The role matrix: for every service function that changes a workspace, who may call it.

One artist workspace (A) has an owner, an editor and a viewer; a user of another workspace (B,
"stranger") tries the same things on A's rows with A's ids. Each row of MATRIX names an action
and the roles allowed to do it. An allowed call succeeds; a refused one raises AccessDenied for
a member whose role is too low, and for the stranger a refusal of ours (NotFound, or the
service's own "not in this workspace") that names nothing of A. Either way a refused call leaves
every row of workspace A as it was.

Viewers read. Editors also compose, schedule, reschedule, cancel, upload, sync, set goals, act on
insights, set queue times, and reply to, hide, mark read and archive fans' comments. Owners also
connect and disconnect platforms, manage API tokens and webhooks, invite people, revoke invitations, change members' roles, remove members, and delete
the workspace. Dismissing an insight, marking it read, asking the chat and listing the members are
reading (viewers may). Accepting an invitation is for the invited address alone, whatever the role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

import pytest
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.models import ALL_MODELS, Comment, ContentPost, Insight, Membership, Role, Workspace
from dreamsuite.services import (
    api_tokens, calendar, chat, connect, connections, goals, inbox, inbox_hide, inbox_reply, insights, invitations,
    media, members, post_import, publish, queue_slots, sync, webhooks, workspaces,
)
from dreamsuite.services.errors import UserError
from dreamsuite.services.scope import AccessDenied, Scope, scope_for
from dreamsuite.settings import get_settings
from tests.helpers import APP, add_member, connect_sandbox, make_workspace
from tests.media_files import picture

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]

O, E, V, X = "owner", "editor", "viewer", "stranger"
ALL_MEMBERS = {O, E, V}
EDITORS = {O, E}
OWNERS = {O}
SECRET = "A's unannounced single"


def _later(hours: float) -> datetime:
    return (datetime.utcnow() + timedelta(hours=hours)).replace(microsecond=0, second=0)


@dataclass
class World:
    a: Scope  # A's owner
    scopes: dict[str, Scope]
    ws_name: str
    conn: int
    post: int
    asset: int
    goal: int
    insight: int
    slot: int
    token: int
    hook: int
    invite: int
    comment: int  # a fan's comment on A's Facebook post (a platform that takes replies and hiding)


@pytest.fixture
async def world(db, redis_url, sandbox_url, tmp_path, monkeypatch) -> World:
    monkeypatch.setenv("MEDIA_DIR", str(tmp_path / "media"))
    get_settings.cache_clear()
    owner_user, ws, owner = make_workspace("owner@a.example")
    conn = await connect_sandbox(owner)
    editor = add_member(ws.id, "editor@a.example", Role.editor)
    viewer = add_member(ws.id, "viewer@a.example", Role.viewer)
    _, _, stranger = make_workspace("stranger@b.example")
    # The owner manages another artist too, so deleting A is not deleting their last workspace.
    workspaces.create_workspace(owner_user.id, "Another artist")
    post = await publish.schedule_post(owner, SECRET, [conn], _later(2), "UTC")
    asset = media.upload(owner, "a-cover.png", picture())
    goal = goals.create(owner, None, 1000)
    with dbmod.session() as s:
        row = Insight(workspace_id=ws.id, type="growth", title="A grew", message="Up 10%.", dedupe_key="a",
                      expires_at=dbmod.utcnow() + timedelta(days=7))
        s.add(row)
        s.flush()
        insight = row.id
    slot = queue_slots.add_slot(owner, 1, 18 * 60)["id"]
    token = api_tokens.create(owner, "CI", "read")[0]["id"]
    hook = webhooks.register(owner, "http://localhost:9/hooks/a", ["post.published"])[0]["id"]
    invite = invitations.invite(owner, "pending@a.example", "viewer").id
    with dbmod.session() as s:
        fb_post = ContentPost(workspace_id=ws.id, platform="facebook", platform_post_id="fb-1", caption=SECRET,
                              posted_at=dbmod.utcnow())
        s.add(fb_post)
        s.flush()
        row = Comment(workspace_id=ws.id, post_id=fb_post.id, platform="facebook", platform_comment_id="fb-1_c1",
                      author="A fan", text="When is the tour?", posted_at=dbmod.utcnow())
        s.add(row)
        s.flush()
        comment = row.id
    return World(owner, {O: owner, E: editor, V: viewer, X: stranger}, ws.name, conn, post.id, asset["id"],
                 goal, insight, slot, token, hook, invite, comment)


def snapshot(workspace_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row of the workspace, table by table (what a refused call must leave alone)."""
    out: dict[str, list[dict[str, Any]]] = {}
    with dbmod.session() as s:
        out["workspace"] = [w.model_dump() for w in s.exec(select(Workspace).where(Workspace.id == workspace_id))]
        for model in ALL_MODELS:
            if model is not Workspace and "workspace_id" in model.model_fields:
                rows = s.exec(select(model).where(model.workspace_id == workspace_id)
                              .order_by(model.id)).all()
                out[model.__tablename__] = [r.model_dump() for r in rows]
    return out


# ------------------------------------------------------------------ the actions
async def _maybe(value):
    return await value if hasattr(value, "__await__") else value


def _csv(w: World) -> bytes:
    return (f"text,scheduled_at,accounts\r\nImported,{_later(5).isoformat()}Z,{w.conn}\r\n").encode()


# name: (call(scope, world), roles allowed, whether A's data visibly changes when allowed,
#        whether the stranger tries A's ids (True) or first needs a scope in A (False))
ACTIONS: dict[str, tuple[Callable[[Scope, World], Any], set[str], bool, bool]] = {
    "schedule post": (lambda s, w: publish.schedule_post(s, "New", [w.conn], _later(3), "UTC"), EDITORS, True, True),
    "update post": (lambda s, w: publish.update_post(s, w.post, "Changed", [w.conn], _later(4), "UTC"),
                    EDITORS, True, True),
    "cancel post": (lambda s, w: publish.cancel_post(s, w.post), EDITORS, True, True),
    "calendar reschedule": (lambda s, w: calendar.reschedule(s, w.post, _later(6)), EDITORS, True, True),
    "calendar cancel": (lambda s, w: calendar.cancel(s, w.post), EDITORS, True, True),
    "import posts": (lambda s, w: post_import.import_posts(s, _csv(w), "p.csv"), EDITORS, True, True),
    "media upload": (lambda s, w: media.upload(s, "new.png", picture(color=(1, 2, 3))), EDITORS, True, False),
    "media delete": (lambda s, w: media.delete(s, w.asset), EDITORS, True, True),
    "connect platform": (lambda s, w: connect.start_connect(s, "sandbox"), OWNERS, True, False),
    "disconnect platform": (lambda s, w: connections.disconnect(s, w.conn), OWNERS, True, True),
    "sync now": (lambda s, w: sync.request_sync(s, w.conn), EDITORS, False, True),
    "goal create": (lambda s, w: goals.create(s, None, 5000), EDITORS, True, False),
    "goal update": (lambda s, w: goals.update(s, w.goal, 9000, None), EDITORS, True, True),
    "goal archive": (lambda s, w: goals.archive(s, w.goal), EDITORS, True, True),
    "insight act on": (lambda s, w: insights.act_on(s, w.insight), EDITORS, True, True),
    "insight dismiss": (lambda s, w: insights.dismiss(s, w.insight), ALL_MEMBERS, True, True),
    "insight mark read": (lambda s, w: insights.mark_read(s, w.insight), ALL_MEMBERS, True, True),
    # Asking the chat about the artist's data is reading it (its conversations are the workspace's).
    "chat conversation": (lambda s, w: chat.create_conversation(s, "Release plan"), ALL_MEMBERS, True, False),
    "queue slot add": (lambda s, w: queue_slots.add_slot(s, 3, 9 * 60), EDITORS, True, False),
    "queue slot remove": (lambda s, w: queue_slots.remove_slot(s, w.slot), EDITORS, True, True),
    "api token create": (lambda s, w: api_tokens.create(s, "New", "write"), OWNERS, True, False),
    "api token revoke": (lambda s, w: api_tokens.revoke(s, w.token), OWNERS, True, True),
    "webhook register": (lambda s, w: webhooks.register(s, "http://localhost:9/hooks/b", ["post.failed"]),
                         OWNERS, True, False),
    "webhook delete": (lambda s, w: webhooks.delete_webhook(s, w.hook), OWNERS, True, True),
    "workspace delete": (lambda s, w: workspaces.delete_workspace(s, w.ws_name), OWNERS, True, True),
    "member list": (lambda s, w: members.list_members(s), ALL_MEMBERS, False, False),
    "member invite": (lambda s, w: invitations.invite(s, "newcomer@a.example", "editor"), OWNERS, True, False),
    "invite revoke": (lambda s, w: invitations.revoke(s, w.invite), OWNERS, True, True),
    "member role change": (lambda s, w: members.change_role(s, w.scopes[E].user_id, "viewer"), OWNERS, True, True),
    "member remove": (lambda s, w: members.remove_member(s, w.scopes[V].user_id), OWNERS, True, True),
    "inbox mark read": (lambda s, w: inbox.mark_read(s, [w.comment]), EDITORS, True, True),
    "inbox archive": (lambda s, w: inbox.archive(s, [w.comment]), EDITORS, True, True),
    "inbox reply": (lambda s, w: inbox_reply.store_reply(s, w.comment, "Thanks!"), EDITORS, True, True),
    # An allowed ask writes a Redis key and queues a job; the comment changes once the platform agrees.
    "inbox hide": (lambda s, w: inbox_hide.ask(s, w.comment, True), EDITORS, False, True),
    "inbox unhide": (lambda s, w: inbox_hide.ask(s, w.comment, False), EDITORS, False, True),
}

MATRIX = [pytest.param(action, role, role in ACTIONS[action][1], id=f"{action}-{role}")
          for action in ACTIONS for role in (O, E, V, X)]


def test_the_matrix_reads_as_the_issue_says():
    """The table itself: what each role may do."""
    allowed = {role: sorted(a for a, (_, roles, _, _) in ACTIONS.items() if role in roles) for role in (O, E, V, X)}
    assert allowed[O] == sorted(ACTIONS)
    assert allowed[X] == []
    assert allowed[V] == ["chat conversation", "insight dismiss", "insight mark read", "member list"]
    assert set(allowed[O]) - set(allowed[E]) == {
        "connect platform", "disconnect platform", "api token create", "api token revoke", "webhook register",
        "webhook delete", "workspace delete", "member invite", "invite revoke", "member role change",
        "member remove"}


@pytest.mark.parametrize("action,role,allowed", MATRIX)
async def test_role_matrix(world: World, action: str, role: str, allowed: bool):
    call, _, changes, stranger_uses_ids = ACTIONS[action]
    ws_id = world.a.workspace_id
    before = snapshot(ws_id)
    if role == X and not stranger_uses_ids:
        # Nothing of A to point at: the stranger cannot even get a scope in A.
        with dbmod.session() as s, pytest.raises(AccessDenied):
            scope_for(s, world.scopes[X].user_id, ws_id)
        assert snapshot(ws_id) == before
        return
    scope = world.scopes[role]
    if allowed:
        await _maybe(call(scope, world))
        if changes:
            assert snapshot(ws_id) != before
        return
    with pytest.raises(UserError) as refused:
        await _maybe(call(scope, world))
    if role == X:
        assert not isinstance(refused.value, AccessDenied) or "member" in refused.value.message
        for secret in (SECRET, "a-cover.png", world.ws_name, "editor@a.example", "viewer@a.example"):
            assert secret not in refused.value.message  # never a leak of A's data
    else:
        assert isinstance(refused.value, AccessDenied), refused.value
    assert snapshot(ws_id) == before


async def test_a_stranger_cannot_switch_into_or_delete_another_workspace(world: World):
    stranger = world.scopes[X]
    with pytest.raises(AccessDenied):
        workspaces.switch_to(stranger.user_id, world.a.workspace_id)
    forged = Scope(stranger.user_id, world.a.workspace_id, Role.owner)  # a scope never issued
    with dbmod.session() as s:
        assert s.exec(select(Membership).where(Membership.user_id == forged.user_id,
                                               Membership.workspace_id == forged.workspace_id)).first() is None


# ------------------------------------------------------------------ the HTTP routes that change things
V1 = APP + "/api/v1"


def _http(cookies: dict[str, str] | None = None, headers: dict[str, str] | None = None):
    import httpx

    from dreamsuite.api import create_api

    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api()), base_url=APP,
                             cookies=cookies or {}, headers=headers or {})


IMPORT_ROUTE = [pytest.param(role, status, id=role) for role, status in
                ((O, 201), (E, 201), (V, 403), (X, 422))]


@pytest.mark.parametrize("role,status", IMPORT_ROUTE)
async def test_import_route_by_role(world: World, app_url, role: str, status: int):
    """POST /import/posts with the login cookie of each role. The stranger also sends the cookie that
    picks workspace A: it is only a preference, so they import into their own workspace, where A's
    account ids are unknown (422), and A is untouched."""
    from dreamsuite.services import auth

    before = snapshot(world.a.workspace_id)
    cookies = {auth.SESSION_COOKIE: auth.new_session(world.scopes[role].user_id),
               auth.WORKSPACE_COOKIE: str(world.a.workspace_id)}
    async with _http(cookies, {"origin": APP}) as c:
        r = await c.post("/import/posts", files={"file": ("p.csv", _csv(world), "text/csv")})
    assert r.status_code == status, r.text
    if status == 201:
        assert snapshot(world.a.workspace_id) != before
    else:
        assert snapshot(world.a.workspace_id) == before
        assert SECRET not in r.text


async def test_the_workspace_cookie_picks_a_workspace_of_the_login(world: World, app_url):
    """A manager's second artist: with its cookie the import lands there, not in the first."""
    from dreamsuite.services import auth

    other = next(w for w in workspaces.my_workspaces(world.a.user_id) if w.id != world.a.workspace_id)
    before = snapshot(world.a.workspace_id)
    cookies = {auth.SESSION_COOKIE: auth.new_session(world.a.user_id), auth.WORKSPACE_COOKIE: str(other.id)}
    body = f"text,scheduled_at\r\nDraft idea,{_later(5).isoformat()}Z\r\n".encode()
    async with _http(cookies, {"origin": APP}) as c:
        r = await c.post("/import/posts", params={"dry_run": "1"}, files={"file": ("p.csv", body, "text/csv")})
    assert r.status_code == 200 and snapshot(world.a.workspace_id) == before
    # The account of workspace A is not an account of the other workspace.
    async with _http(cookies, {"origin": APP}) as c:
        r = await c.post("/import/posts", files={"file": ("p.csv", _csv(world), "text/csv")})
    assert r.status_code == 422 and snapshot(world.a.workspace_id) == before


def _token_of(world: World, role: str, token_scope: str = "write") -> str:
    """A token acting for `role`: made by A's owner and held by that member (as if they made it when
    they were owner); the stranger's token is their own workspace's."""
    from sqlalchemy import update

    from dreamsuite.models import ApiToken

    if role == X:
        return api_tokens.create(world.scopes[X], "theirs", token_scope)[1]
    row, secret = api_tokens.create(world.a, f"{role} token", token_scope)
    with dbmod.session() as s:
        s.exec(update(ApiToken).where(ApiToken.id == row["id"]).values(created_by=world.scopes[role].user_id))
    return secret


V1_WRITES = {
    "create": lambda c, w: c.post("/posts", json={"content": "From a script", "account_ids": [w.conn],
                                                  "scheduled_at": _later(7).isoformat() + "Z"}),
    "update": lambda c, w: c.patch(f"/posts/{w.post}", json={"content": "Edited by a script"}),
    "cancel": lambda c, w: c.delete(f"/posts/{w.post}"),
}
V1_MATRIX = [pytest.param(call, role, scope, id=f"{call}-{role}-{scope}")
             for call in V1_WRITES for role, scope in ((O, "write"), (E, "write"), (V, "write"), (O, "read"),
                                                       (X, "write"))]


@pytest.mark.parametrize("call,role,token_scope", V1_MATRIX)
async def test_api_v1_writes_by_token_role(world: World, call: str, role: str, token_scope: str):
    headers = {"Authorization": f"Bearer {_token_of(world, role, token_scope)}"}
    before = snapshot(world.a.workspace_id)
    async with _http(headers=headers) as c:
        c.base_url = V1
        r = await V1_WRITES[call](c, world)
    if role in EDITORS and token_scope == "write":
        assert r.status_code in (200, 201), r.text
        return
    if role == X:
        assert r.status_code in (404, 422), r.text  # A's ids are nothing to them
    else:
        assert r.status_code == 403 and r.json()["error"] == "insufficient_scope", r.text
    assert SECRET not in r.text
    snap = snapshot(world.a.workspace_id)
    for table in ("api_token",):  # using a token notes when it was last used
        snap.pop(table), before.pop(table)
    assert snap == before


# ------------------------------------------------------------------ state handlers of two pages
import dreamsuite.pages  # noqa: E402,F401  (registers the states, see tests/test_state.py)
from tests.test_state import handler, tab  # noqa: E402

STATE_MATRIX = [pytest.param(role, id=role) for role in (O, E, V, X)]


async def _tab_for(world: World, role: str, cls):
    from dreamsuite.services import auth

    st = tab(cls, auth.new_session(world.scopes[role].user_id))
    await handler(cls, "check_login")(st)
    if role == X:  # a forged event: the stranger's tab claims workspace A
        st.workspace_id = world.a.workspace_id
    return st


@pytest.mark.parametrize("role", STATE_MATRIX)
async def test_goals_page_create_by_role(world: World, role: str):
    from dreamsuite.state.goals import GoalsState

    before = snapshot(world.a.workspace_id)
    st = await _tab_for(world, role, GoalsState)
    st.new_platform, st.new_target = "all", "25000"
    try:
        await handler(GoalsState, "create")(st)
    except AccessDenied:
        assert role == X
    if role in EDITORS:
        assert st.form_ok == "Goal saved." and snapshot(world.a.workspace_id) != before
    else:
        assert st.form_ok == "" and snapshot(world.a.workspace_id) == before
        if role == V:
            assert st.form_error == "This needs the editor role; you are viewer."


@pytest.mark.parametrize("role", STATE_MATRIX)
async def test_account_page_api_token_by_role(world: World, role: str):
    from dreamsuite.state.api_settings import ApiSettingsState

    before = snapshot(world.a.workspace_id)
    st = await _tab_for(world, role, ApiSettingsState)
    try:
        await handler(ApiSettingsState, "create_token")(st, {"name": "deploy"})
    except AccessDenied:
        assert role == X
    if role == O:
        assert st.new_secret and snapshot(world.a.workspace_id) != before
    else:
        assert st.new_secret == "" and snapshot(world.a.workspace_id) == before


# ------------------------------------------------------------------ members and invitations
@pytest.mark.parametrize("role", STATE_MATRIX)
async def test_accepting_an_invitation_is_for_the_invited_address_only(world: World, role: str):
    """A's owner invites the stranger's address: only the stranger gets in with the link; every member of
    A, whatever their role, is refused and changes nothing."""
    import re

    stranger_email = "stranger@b.example"
    link = invitations.invite(world.a, stranger_email, "editor").link
    token = re.search(r"token=([\w-]+)", link).group(1)
    before = snapshot(world.a.workspace_id)
    if role == X:
        done = invitations.accept(token, world.scopes[X].user_id)
        assert (done.workspace_id, done.role) == (world.a.workspace_id, "editor")
        assert snapshot(world.a.workspace_id) != before
        return
    with pytest.raises(invitations.InvitationError, match=f"for {stranger_email}"):
        invitations.accept(token, world.scopes[role].user_id)
    assert snapshot(world.a.workspace_id) == before


@pytest.mark.parametrize("role", STATE_MATRIX)
async def test_team_page_invite_by_role(world: World, role: str):
    from dreamsuite.state.team import TeamState

    before = snapshot(world.a.workspace_id)
    st = await _tab_for(world, role, TeamState)
    try:
        await handler(TeamState, "invite")(st, {"email": "newcomer@a.example"})
    except AccessDenied:
        assert role == X
    if role == O:
        assert "/invite?token=" in st.invite_link and snapshot(world.a.workspace_id) != before
    else:
        assert st.invite_link == "" and snapshot(world.a.workspace_id) == before
        if role != X:
            assert "Only the workspace's owners" in st.invite_error


@pytest.mark.parametrize("role", STATE_MATRIX)
async def test_team_page_role_change_and_removal_by_role(world: World, role: str):
    from dreamsuite.state.team import TeamState

    before = snapshot(world.a.workspace_id)
    st = await _tab_for(world, role, TeamState)
    for name, args in (("change_role", (str(world.scopes[E].user_id), "viewer")),
                       ("revoke_invite", (str(world.invite),))):
        try:
            await handler(TeamState, name)(st, *args)
        except AccessDenied:
            assert role == X
    handler(TeamState, "ask_remove")(st, str(world.scopes[V].user_id), "viewer")
    try:
        await handler(TeamState, "remove")(st)
    except AccessDenied:
        assert role == X
    if role == O:
        after = snapshot(world.a.workspace_id)
        assert {m["user_id"]: m["role"] for m in after["membership"]} == {
            world.a.user_id: "owner", world.scopes[E].user_id: "viewer"}
        assert [i["status"] for i in after["invitation"]] == ["revoked"]
    else:
        assert snapshot(world.a.workspace_id) == before
