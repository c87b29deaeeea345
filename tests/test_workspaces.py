"""Several artists per user: listing, creating, switching and deleting workspaces."""

from __future__ import annotations

import pytest
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.models import Goal, Membership, Role, Workspace
from dreamsuite.services import goals, workspaces
from dreamsuite.services.scope import AccessDenied, Scope
from dreamsuite.services.workspaces import WorkspaceError
from tests.helpers import add_member, make_workspace


def test_create_list_and_switch(db):
    user, ws, _ = make_workspace("manager@example.com")
    other_user, other_ws, _ = make_workspace("stranger@example.com")
    second = workspaces.create_workspace(user.id, "  Nova   Blue ", "Europe/Paris")
    assert (second.name, second.role, second.timezone) == ("Nova Blue", "owner", "Europe/Paris")
    listed = workspaces.my_workspaces(user.id)
    assert [(w.id, w.role) for w in listed] == [(ws.id, "owner"), (second.id, "owner")]
    assert workspaces.switch_to(user.id, second.id).name == "Nova Blue"
    with pytest.raises(AccessDenied):
        workspaces.switch_to(user.id, other_ws.id)
    with pytest.raises(AccessDenied):
        workspaces.switch_to(user.id, 999_999)


def test_member_sees_their_role(db):
    _, ws, _ = make_workspace("owner@example.com")
    viewer = add_member(ws.id, "viewer@example.com", Role.viewer)
    mine = workspaces.create_workspace(viewer.user_id, "My own artist")
    assert [(w.id, w.role) for w in workspaces.my_workspaces(viewer.user_id)] == [
        (ws.id, "viewer"), (mine.id, "owner")]


@pytest.mark.parametrize("name,tz", [("", "UTC"), ("   ", "UTC"), ("Ok", "Mars/Olympus")])
def test_create_refuses_bad_input(db, name, tz):
    user, _, _ = make_workspace("m@example.com")
    with pytest.raises(WorkspaceError):
        workspaces.create_workspace(user.id, name, tz)
    assert len(workspaces.my_workspaces(user.id)) == 1


def test_delete_needs_owner_name_and_another_workspace(db):
    user, ws, scope = make_workspace("m@example.com")
    with pytest.raises(WorkspaceError, match="only artist workspace"):
        workspaces.delete_workspace(scope, ws.name)
    second = workspaces.create_workspace(user.id, "Second")
    scope2 = Scope(user.id, second.id, Role.owner)
    goals.create(scope2, None, 1000)
    editor = add_member(second.id, "e@example.com", Role.editor)
    with pytest.raises(AccessDenied):
        workspaces.delete_workspace(editor, "Second")
    with pytest.raises(WorkspaceError, match="Type the workspace's name"):
        workspaces.delete_workspace(scope2, "second-ish")
    workspaces.delete_workspace(scope2, "Second")
    with dbmod.session() as s:
        assert s.get(Workspace, second.id) is None
        assert s.exec(select(Goal).where(Goal.workspace_id == second.id)).all() == []
        assert s.exec(select(Membership).where(Membership.workspace_id == second.id)).all() == []
        assert s.get(Workspace, ws.id) is not None
    assert [w.id for w in workspaces.my_workspaces(user.id)] == [ws.id]


# ------------------------------------------------------------------ the switcher's state
import dreamsuite.pages  # noqa: E402,F401  (registers the states, see tests/test_state.py)
from tests.test_state import handler, tab  # noqa: E402


@pytest.mark.usefixtures("close_arq_pools")
async def test_switching_changes_the_scope_of_every_page(db, redis_url):
    from dreamsuite.services import auth
    from dreamsuite.state.goals import GoalsState
    from dreamsuite.state.workspaces import WorkspaceState

    user_id, first_id, token = auth.create_account("manager@example.com", "password1", "First Artist", "UTC")
    second = workspaces.create_workspace(user_id, "Second Artist", "Europe/Paris")
    goals.create(Scope(user_id, second.id, Role.owner), None, 5000)
    _, stranger_ws, _ = make_workspace("stranger@example.com")

    ws_state = tab(WorkspaceState, token)
    await handler(WorkspaceState, "check_login")(ws_state)
    assert ws_state.workspace_id == first_id
    await handler(WorkspaceState, "load")(ws_state)
    assert ws_state.others == [{"id": str(second.id), "name": "Second Artist", "role": "owner"}]

    await handler(WorkspaceState, "switch")(ws_state, stranger_ws.id)  # not a member: nothing changes
    assert ws_state.workspace_id == first_id

    g = await ws_state.get_state(GoalsState)
    g.new_target, g._listen_gen = "123", 3  # a half-typed form and a live listener of the first artist
    await handler(WorkspaceState, "switch")(ws_state, second.id)
    assert g.new_target == "" and g._listen_gen == 4  # forgotten; the old listener stops
    assert (ws_state.workspace_id, ws_state.workspace_name, ws_state.workspace_pref) == (second.id, "Second Artist", str(second.id))
    # The next page load keeps the switched workspace, and its handlers read that workspace.
    await handler(WorkspaceState, "check_login")(ws_state)
    assert ws_state.workspace_id == second.id
    g = await ws_state.get_state(GoalsState)
    await handler(GoalsState, "load")(g)
    assert (await g._scope()).workspace_id == second.id


@pytest.mark.usefixtures("close_arq_pools")
async def test_new_workspace_dialog_and_delete(db, redis_url):
    from dreamsuite.services import auth
    from dreamsuite.state.workspaces import WorkspaceState

    user_id, first_id, token = auth.create_account("manager@example.com", "password1", "First Artist", "UTC")
    st = tab(WorkspaceState, token)
    await handler(WorkspaceState, "check_login")(st)
    handler(WorkspaceState, "set_new_name")(st, "")
    await handler(WorkspaceState, "create")(st)
    assert st.create_error and st.workspace_id == first_id
    handler(WorkspaceState, "set_new_name")(st, "Nova Blue")
    handler(WorkspaceState, "set_new_timezone")(st, "Europe/Berlin")
    await handler(WorkspaceState, "create")(st)
    assert st.workspace_name == "Nova Blue" and st.role == "owner" and st.workspace_id != first_id
    new_id = st.workspace_id

    handler(WorkspaceState, "set_delete_confirm")(st, "nope")
    await handler(WorkspaceState, "delete_current")(st)
    assert st.delete_error and st.workspace_id == new_id
    handler(WorkspaceState, "set_delete_confirm")(st, "Nova Blue")
    await handler(WorkspaceState, "delete_current")(st)
    assert st.workspace_id == first_id
    assert [w.id for w in workspaces.my_workspaces(user_id)] == [first_id]


@pytest.mark.usefixtures("close_arq_pools")
async def test_the_login_keeps_the_switched_workspace_and_a_new_login_starts_at_the_first(db, redis_url):
    from dreamsuite.models import AuthSession
    from dreamsuite.services import auth
    from dreamsuite.state.workspaces import WorkspaceState

    user_id, first_id, token = auth.create_account("manager@example.com", "password1", "First Artist", "UTC")
    second = workspaces.create_workspace(user_id, "Second Artist")
    st = tab(WorkspaceState, token)
    await handler(WorkspaceState, "check_login")(st)
    await handler(WorkspaceState, "switch")(st, second.id)

    new_tab = tab(WorkspaceState, token)  # no workspace cookie either: the login remembers
    await handler(WorkspaceState, "check_login")(new_tab)
    assert new_tab.workspace_id == second.id
    await handler(WorkspaceState, "check_login")(st)  # a reload
    assert st.workspace_id == second.id

    other_login = tab(WorkspaceState, auth.log_in("manager@example.com", "password1"))
    await handler(WorkspaceState, "check_login")(other_login)
    assert other_login.workspace_id == first_id

    # A workspace that goes (deleted, or the user removed from it) is forgotten by the login.
    workspaces.delete_workspace(Scope(user_id, second.id, Role.owner), "Second Artist")
    with dbmod.session() as s:
        assert s.exec(select(AuthSession.workspace_id).where(AuthSession.user_id == user_id)).all() == [None, None]
    fresh = tab(WorkspaceState, token)
    await handler(WorkspaceState, "check_login")(fresh)
    assert fresh.workspace_id == first_id


def test_a_login_never_works_in_a_workspace_it_is_not_a_member_of(db):
    from dreamsuite.services import auth

    user_id, first_id, token = auth.create_account("manager@example.com", "password1", "First", "UTC")
    _, other_ws, _ = make_workspace("stranger@example.com")
    session_id = auth.session_for(token).session_id
    with pytest.raises(AccessDenied):
        auth.enter_workspace(token, session_id, other_ws.id)
    assert auth.session_for(token).workspace_id == first_id
    assert auth.session_for(token, other_ws.id).workspace_id == first_id  # a forged pick is ignored
    with pytest.raises(auth.SessionEnded):
        auth.enter_workspace(token, session_id + 1, first_id)  # another login's id


@pytest.mark.usefixtures("close_arq_pools")
async def test_open_page_checks_the_login_then_fills_the_switcher_and_the_bell_in_one_event(db, redis_url):
    from dreamsuite.services import auth, notifications
    from dreamsuite.state.notifications import NotificationState
    from dreamsuite.state.workspaces import WorkspaceState

    user_id, first_id, token = auth.create_account("manager@example.com", "password1", "First Artist", "UTC")
    second = workspaces.create_workspace(user_id, "Second Artist", "UTC")
    with dbmod.session() as s:
        notifications.notify(s, first_id, "sync", "Instagram synced", "/dashboard")
        notifications.notify(s, second.id, "sync", "Not this artist's", "/dashboard")

    st = tab(WorkspaceState, token)
    chained = await handler(WorkspaceState, "open_page")(st)
    assert st.is_logged_in and st.workspace_id == first_id
    assert st.others == [{"id": str(second.id), "name": "Second Artist", "role": "owner"}]
    bell = await st.get_state(NotificationState)
    assert (bell.unread, [n.message for n in bell.items]) == (1, ["Instagram synced"])
    assert chained.fn is NotificationState.watch.fn  # the bell keeps listening

    auth.log_out(token)
    gone = tab(WorkspaceState, token)
    to_login = await handler(WorkspaceState, "open_page")(gone)
    assert to_login is not None and not gone.is_logged_in  # sent away, nothing read
    assert gone.others == [] and (await gone.get_state(NotificationState)).items == []
