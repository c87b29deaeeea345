"""Members of a workspace: the list, role changes and removals by owners, leaving, the last owner's
protection (also when two owners race), and a removed member's access ending at their next use."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.models import Membership, Role
from dreamsuite.services import api_tokens, members
from dreamsuite.services.errors import UserError
from dreamsuite.services.members import MemberError
from dreamsuite.services.scope import AccessDenied, NotFound, Scope
from tests.helpers import add_member, make_workspace

pytestmark = pytest.mark.db


def _roles(ws_id: int) -> dict[int, str]:
    with dbmod.session() as s:
        return {m.user_id: m.role for m in s.exec(select(Membership).where(Membership.workspace_id == ws_id))}


def test_every_member_reads_the_list(db):
    _, ws, owner = make_workspace("owner@example.com")
    editor = add_member(ws.id, "editor@example.com", Role.editor)
    viewer = add_member(ws.id, "viewer@example.com", Role.viewer)
    make_workspace("stranger@example.com")
    for scope in (owner, editor, viewer):
        listed = members.list_members(scope)
        assert [(m.email, m.role) for m in listed] == [
            ("owner@example.com", "owner"), ("editor@example.com", "editor"), ("viewer@example.com", "viewer")]
        assert all(m.joined is not None and m.name for m in listed)


def test_owners_change_roles(db):
    _, ws, owner = make_workspace("owner@example.com")
    editor = add_member(ws.id, "editor@example.com", Role.editor)
    changed = members.change_role(owner, editor.user_id, "viewer")
    assert (changed.email, changed.role) == ("editor@example.com", "viewer")
    members.change_role(owner, editor.user_id, "owner")
    # Now there are two owners: the first may step down to editor.
    members.change_role(owner, owner.user_id, "editor")
    assert _roles(ws.id) == {owner.user_id: "editor", editor.user_id: "owner"}


@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_only_owners_change_or_remove(db, who):
    _, ws, owner = make_workspace("owner@example.com")
    member = add_member(ws.id, f"{who}@example.com", Role(who))
    other = add_member(ws.id, "other@example.com", Role.viewer)
    before = _roles(ws.id)
    for call in (lambda: members.change_role(member, other.user_id, "editor"),
                 lambda: members.change_role(member, member.user_id, "owner"),  # promoting yourself
                 lambda: members.remove_member(member, other.user_id),
                 lambda: members.remove_member(member, owner.user_id)):
        with pytest.raises(AccessDenied):
            call()
    assert _roles(ws.id) == before


def test_the_last_owner_cannot_be_demoted_removed_or_leave(db):
    _, ws, owner = make_workspace("owner@example.com")
    add_member(ws.id, "editor@example.com", Role.editor)
    before = _roles(ws.id)
    with pytest.raises(MemberError, match="You are this workspace's only owner: make someone else an owner first"):
        members.change_role(owner, owner.user_id, "editor")
    with pytest.raises(MemberError, match="only owner"):
        members.remove_member(owner, owner.user_id)
    with pytest.raises(MemberError, match="only owner: make someone else an owner before you leave"):
        members.leave(owner)
    assert _roles(ws.id) == before


def test_two_owners_demoting_each_other_at_once_leave_one_owner(db):
    _, ws, a = make_workspace("a@example.com")
    b = add_member(ws.id, "b@example.com", Role.owner)
    start, results = threading.Barrier(2), []

    def demote(scope: Scope, target: int):
        start.wait()
        try:
            members.change_role(scope, target, "editor")
            results.append("done")
        except MemberError as exc:
            results.append(exc.message)

    threads = [threading.Thread(target=demote, args=(a, b.user_id)),
               threading.Thread(target=demote, args=(b, a.user_id))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results.count("done") == 1 and "only owner" in next(r for r in results if r != "done")
    assert sorted(_roles(ws.id).values()) == ["editor", "owner"]


def test_bad_input_is_refused_and_changes_nothing(db):
    _, ws, owner = make_workspace("owner@example.com")
    editor = add_member(ws.id, "editor@example.com", Role.editor)
    _, _, stranger = make_workspace("stranger@example.com")
    before = _roles(ws.id)
    for call, error, message in (
        (lambda: members.change_role(owner, editor.user_id, "admin"), MemberError, "owner, editor or viewer"),
        (lambda: members.change_role(owner, stranger.user_id, "viewer"), NotFound, "not a member"),
        (lambda: members.change_role(owner, "x", "viewer"), NotFound, "not a member"),
        (lambda: members.remove_member(owner, 999_999), NotFound, "not a member"),
        # The owner of another workspace, with this workspace's ids: nothing of it is found.
        (lambda: members.change_role(stranger, editor.user_id, "owner"), NotFound, "not a member"),
        (lambda: members.remove_member(stranger, editor.user_id), NotFound, "not a member"),
    ):
        with pytest.raises(error, match=message):
            call()
    assert _roles(ws.id) == before


def test_leaving(db):
    _, ws, owner = make_workspace("owner@example.com")
    viewer = add_member(ws.id, "viewer@example.com", Role.viewer)
    members.leave(viewer)
    assert viewer.user_id not in _roles(ws.id)
    with pytest.raises(UserError, match="not a member"):
        members.leave(viewer)


def test_a_removed_member_loses_access_at_their_next_use(db):
    from dreamsuite.services import auth

    _, ws, owner = make_workspace("owner@example.com")
    user_id, own_ws, token = auth.create_account("editor@example.com", "password1", "Ed", "UTC")
    with dbmod.session() as s:
        s.add(Membership(user_id=user_id, workspace_id=ws.id, role=Role.editor))
    session_id = auth.session_for(token).session_id
    assert auth.enter_workspace(token, session_id, ws.id).role == Role.editor
    # An API token the editor made while an owner... carries only their current rights.
    members.change_role(owner, user_id, "owner")
    _, secret = api_tokens.create(Scope(user_id, ws.id, Role.owner), "script", "write")
    assert api_tokens.verify(secret).workspace_id == ws.id
    members.change_role(owner, user_id, "editor")

    members.remove_member(owner, user_id)
    with pytest.raises(AccessDenied, match="not a member of this workspace any more"):
        auth.scope_for_token(token, session_id, ws.id)
    with pytest.raises(api_tokens.InvalidToken):
        api_tokens.verify(secret)
    # Their next page load lands in a workspace they still have.
    info = auth.session_for(token, ws.id)
    assert info.workspace_id == own_ws


# ------------------------------------------------------------------ the team page's state
import dreamsuite.pages  # noqa: E402,F401  (registers the states, see tests/test_state.py)
from tests.test_state import handler, tab  # noqa: E402


async def _team_tab(email: str, workspace_id: int):
    from dreamsuite.services import auth
    from dreamsuite.state.team import TeamState

    with dbmod.session() as s:
        from dreamsuite.models import User

        user_id = s.exec(select(User.id).where(User.email == email)).one()
    st = tab(TeamState, auth.new_session(user_id), "/team")
    await handler(TeamState, "check_login")(st)
    st.workspace_id = workspace_id
    await handler(TeamState, "load")(st)
    return st


@pytest.mark.usefixtures("close_arq_pools")
async def test_team_page_for_an_owner(db, redis_url, tmp_path, monkeypatch):
    from dreamsuite.settings import get_settings
    from dreamsuite.state.team import TeamState

    monkeypatch.setenv("MAIL_DIR", str(tmp_path))
    monkeypatch.setenv("SMTP_URL", "")
    get_settings.cache_clear()
    _, ws, owner = make_workspace("owner@example.com", timezone="Asia/Tokyo")
    editor = add_member(ws.id, "editor@example.com", Role.editor)
    st = await _team_tab("owner@example.com", ws.id)
    assert [(p["email"], p["role"], p["me"]) for p in st.people] == [
        ("owner@example.com", "owner", "1"), ("editor@example.com", "editor", "")]

    handler(TeamState, "set_invite_role")(st, "superuser")  # not a role: back to editor
    assert st.invite_role == "editor"
    await handler(TeamState, "invite")(st, {"email": "nope"})
    assert "valid email" in st.invite_error and st.pending == []
    handler(TeamState, "set_invite_role")(st, "viewer")
    await handler(TeamState, "invite")(st, {"email": "new@example.com"})
    assert st.invite_error == "" and "/invite?token=" in st.invite_link and "copy the link" in st.invite_ok
    assert [(p["email"], p["role"]) for p in st.pending] == [("new@example.com", "viewer")]
    # Times in the user's timezone (Tokyo).
    from dreamsuite.services import invitations
    from dreamsuite.state.fmt import local_time

    sent = invitations.list_pending(owner)[0].created_at
    assert st.pending[0]["sent"] == local_time(sent, "Asia/Tokyo") != local_time(sent, "UTC")
    handler(TeamState, "forget_link")(st)
    assert st.invite_link == ""

    await handler(TeamState, "revoke_invite")(st, st.pending[0]["id"])
    assert st.pending == [] and "withdrawn" in st.team_ok
    await handler(TeamState, "revoke_invite")(st, "999999")
    assert "not in this workspace" in st.team_error

    await handler(TeamState, "change_role")(st, str(editor.user_id), "viewer")
    assert "is now viewer" in st.team_ok and _roles(ws.id)[editor.user_id] == "viewer"
    await handler(TeamState, "change_role")(st, str(owner.user_id), "editor")
    assert "only owner" in st.team_error and _roles(ws.id)[owner.user_id] == "owner"

    handler(TeamState, "ask_remove")(st, str(editor.user_id), "editor")
    assert st.removing_id == str(editor.user_id)
    handler(TeamState, "cancel_remove")(st)
    assert st.removing_id == "" and editor.user_id in _roles(ws.id)
    handler(TeamState, "ask_remove")(st, str(editor.user_id), "editor")
    await handler(TeamState, "remove")(st)
    assert editor.user_id not in _roles(ws.id) and [p["email"] for p in st.people] == ["owner@example.com"]

    await handler(TeamState, "leave")(st)
    assert "only owner" in st.team_error and _roles(ws.id) == {owner.user_id: "owner"}


@pytest.mark.usefixtures("close_arq_pools")
@pytest.mark.parametrize("role", ["editor", "viewer"])
async def test_team_page_is_read_only_below_owner(db, redis_url, tmp_path, monkeypatch, role):
    from dreamsuite.settings import get_settings
    from dreamsuite.services import invitations
    from dreamsuite.state.team import TeamState

    monkeypatch.setenv("MAIL_DIR", str(tmp_path))
    get_settings.cache_clear()
    _, ws, owner = make_workspace("owner@example.com")
    invitations.invite(owner, "pending@example.com", "viewer")
    member = add_member(ws.id, f"{role}@example.com", Role(role))
    other = add_member(ws.id, "other@example.com", Role.viewer)
    st = await _team_tab(f"{role}@example.com", ws.id)
    assert len(st.people) == 3 and st.pending == [] and not st.is_owner  # invitations name emails: owners only
    before = _roles(ws.id)
    await handler(TeamState, "invite")(st, {"email": "x@example.com"})
    assert st.invite_error and st.invite_link == ""
    pending_id = str(invitations.list_pending(owner)[0].id)
    for name, args in (("revoke_invite", (pending_id,)), ("change_role", (str(other.user_id), "owner")),
                       ("change_role", (str(member.user_id), "owner"))):
        await handler(TeamState, name)(st, *args)
        assert "Only the workspace's owners" in st.team_error
    handler(TeamState, "ask_remove")(st, str(other.user_id), "other")
    await handler(TeamState, "remove")(st)
    assert "Only the workspace's owners" in st.team_error
    assert _roles(ws.id) == before and len(invitations.list_pending(owner)) == 1

    # Leaving works for them, and the tab moves on to a workspace they still have.
    out = await handler(TeamState, "leave")(st)
    assert member.user_id not in _roles(ws.id) and "/dashboard" in str(out)
    assert st.workspace_id != ws.id and st.role == "owner"  # a workspace of their own, made for them


@pytest.mark.usefixtures("close_arq_pools")
async def test_a_removed_member_is_refused_at_their_next_click(db, redis_url):
    from dreamsuite.state.goals import GoalsState
    from dreamsuite.state.team import TeamState

    _, ws, owner = make_workspace("owner@example.com")
    add_member(ws.id, "editor@example.com", Role.editor)
    st = await _team_tab("editor@example.com", ws.id)
    goals_page = await st.get_state(GoalsState)
    members.remove_member(owner, st.user_id)
    with pytest.raises(AccessDenied, match="not a member of this workspace any more"):
        await handler(TeamState, "load")(st)
    goals_page.new_platform, goals_page.new_target = "all", "1000"
    with pytest.raises(AccessDenied):
        await handler(GoalsState, "create")(goals_page)
    # The next page load lands them in a workspace they have (one of their own, none being left).
    st.workspace_pref = ""
    await handler(TeamState, "check_login")(st)
    assert st.workspace_id != ws.id and st.role == "owner"
