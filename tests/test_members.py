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
