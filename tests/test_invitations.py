"""Invitations by email link: made by owners, stored hashed, sent (or handed to the owner without a
mail server), replaced, revoked, and accepted exactly once by the invited address only."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.crypto import sha256_hex
from dreamsuite.models import Invitation, Membership, Role, User
from dreamsuite.services import auth, invitations, mail
from dreamsuite.services.errors import UserError
from dreamsuite.services.invitations import InvitationError
from dreamsuite.services.scope import AccessDenied, NotFound
from dreamsuite.settings import get_settings
from tests.helpers import add_member, make_workspace

pytestmark = pytest.mark.db


@pytest.fixture
def outbox(tmp_path, monkeypatch):
    monkeypatch.setenv("MAIL_DIR", str(tmp_path / "mail"))
    monkeypatch.setenv("SMTP_URL", "")
    get_settings.cache_clear()
    yield tmp_path / "mail"
    get_settings.cache_clear()


def _token(link: str) -> str:
    return re.search(r"/invite\?token=([\w-]+)", link).group(1)


def _rows(ws_id: int) -> list[tuple]:
    with dbmod.session() as s:
        return [(i.email, i.role, i.status) for i in
                s.exec(select(Invitation).where(Invitation.workspace_id == ws_id).order_by(Invitation.id))]


def _memberships(ws_id: int) -> list[tuple]:
    with dbmod.session() as s:
        return sorted((m.user_id, m.role) for m in
                      s.exec(select(Membership).where(Membership.workspace_id == ws_id)))


def test_invite_mails_the_link_and_hands_it_to_the_owner_without_smtp(db, outbox):
    _, ws, owner = make_workspace("owner@example.com")
    sent = invitations.invite(owner, "  New.Person@Example.com ", "editor")
    assert (sent.email, sent.role, sent.mail_failed) == ("new.person@example.com", "editor", False)
    token = _token(sent.link)
    msg = mail.latest_to("new.person@example.com")
    body = msg.get_content()
    assert sent.link in body and "as editor" in body and ws.name in body and "7 days" in body
    assert "owner invited you" in msg["Subject"]
    with dbmod.session() as s:
        row = s.exec(select(Invitation)).one()
        # Only the hash is kept; the link works for 7 days.
        assert row.token_hash == sha256_hex(token) and token not in str(row.model_dump())
        assert timedelta(days=6, hours=23) < row.expires_at - dbmod.utcnow() <= timedelta(days=7)
    assert [(p.email, p.role, p.invited_by, p.expired) for p in invitations.list_pending(owner)] == [
        ("new.person@example.com", "editor", "owner", False)]


def test_with_smtp_the_link_is_only_in_the_email(db, outbox, monkeypatch):
    _, _, owner = make_workspace("owner@example.com")
    seen = []
    monkeypatch.setenv("SMTP_URL", "smtp://mail.example:587")
    get_settings.cache_clear()
    monkeypatch.setattr(mail, "_smtp", lambda url, msg: seen.append(msg))
    sent = invitations.invite(owner, "a@example.com", "viewer")
    assert sent.link == "" and not sent.mail_failed and "/invite?token=" in seen[0].get_content()


def test_a_mail_server_that_refuses_leaves_the_link_to_copy(db, outbox, monkeypatch):
    _, ws, owner = make_workspace("owner@example.com")
    monkeypatch.setenv("SMTP_URL", "smtp://mail.example:587")
    get_settings.cache_clear()

    def refuse(url, msg):
        raise mail.MailError("The email could not be sent right now.")

    monkeypatch.setattr(mail, "_smtp", refuse)
    sent = invitations.invite(owner, "a@example.com", "viewer")
    assert sent.mail_failed and "/invite?token=" in sent.link
    assert _rows(ws.id) == [("a@example.com", "viewer", "pending")]


@pytest.mark.parametrize("email,role,message", [
    ("not-an-email", "editor", "valid email"),
    ("", "editor", "valid email"),
    ("a@example.com", "admin", "owner, editor or viewer"),
    ("a@example.com", "", "owner, editor or viewer"),
    ("owner@example.com", "viewer", "already a member"),
    ("Editor@Example.com", "owner", "already a member"),
])
def test_bad_invitations_are_refused_and_change_nothing(db, outbox, email, role, message):
    _, ws, owner = make_workspace("owner@example.com")
    add_member(ws.id, "editor@example.com", Role.editor)
    with pytest.raises(UserError, match=message):
        invitations.invite(owner, email, role)
    assert _rows(ws.id) == [] and not list(outbox.glob("*.eml"))


def test_reinviting_replaces_the_pending_invitation(db, outbox):
    _, ws, owner = make_workspace("owner@example.com")
    first = _token(invitations.invite(owner, "a@example.com", "viewer").link)
    second = _token(invitations.invite(owner, "A@example.com", "editor").link)
    assert _rows(ws.id) == [("a@example.com", "viewer", "revoked"), ("a@example.com", "editor", "pending")]
    assert [p.role for p in invitations.list_pending(owner)] == ["editor"]
    user_id, _, _ = auth.create_account("a@example.com", "password1", "A", "UTC")
    with pytest.raises(InvitationError, match="withdrawn or replaced"):
        invitations.accept(first, user_id)
    assert invitations.accept(second, user_id).role == "editor"


def test_revoke(db, outbox):
    _, ws, owner = make_workspace("owner@example.com")
    _, _, other_owner = make_workspace("other@example.com")
    token = _token(invitations.invite(owner, "a@example.com", "viewer").link)
    inv_id = invitations.list_pending(owner)[0].id
    with pytest.raises(NotFound):  # another workspace's owner, with this one's id
        invitations.revoke(other_owner, inv_id)
    with pytest.raises(NotFound):
        invitations.revoke(owner, "nonsense")
    invitations.revoke(owner, inv_id)
    assert invitations.list_pending(owner) == []
    with pytest.raises(InvitationError, match="already accepted or withdrawn"):
        invitations.revoke(owner, inv_id)
    user_id, _, _ = auth.create_account("a@example.com", "password1", "A", "UTC")
    with pytest.raises(InvitationError, match="withdrawn"):
        invitations.look_up(token)
    with pytest.raises(InvitationError, match="withdrawn"):
        invitations.accept(token, user_id)
    assert _memberships(ws.id) == [(owner.user_id, "owner")]


def test_only_owners_invite_list_and_revoke(db, outbox):
    _, ws, owner = make_workspace("owner@example.com")
    invitations.invite(owner, "a@example.com", "viewer")
    inv_id = invitations.list_pending(owner)[0].id
    for role in (Role.editor, Role.viewer):
        member = add_member(ws.id, f"{role}@example.com", role)
        with pytest.raises(AccessDenied):
            invitations.invite(member, "b@example.com", "viewer")
        with pytest.raises(AccessDenied):
            invitations.list_pending(member)
        with pytest.raises(AccessDenied):
            invitations.revoke(member, inv_id)
    assert _rows(ws.id) == [("a@example.com", "viewer", "pending")]


def test_accepting_joins_with_the_role_once(db, outbox):
    _, ws, owner = make_workspace("owner@example.com")
    token = _token(invitations.invite(owner, "a@example.com", "editor").link)
    view = invitations.look_up(token)
    assert (view.workspace_name, view.role, view.email, view.invited_by) == (ws.name, "editor", "a@example.com",
                                                                             "owner")
    user_id, own_ws, session = auth.create_account("A@example.com", "password1", "A", "UTC")
    done = invitations.accept(token, user_id)
    assert (done.workspace_id, done.role, done.already_member) == (ws.id, "editor", False)
    assert (user_id, "editor") in _memberships(ws.id)
    with pytest.raises(InvitationError, match="already accepted"):
        invitations.accept(token, user_id)
    with pytest.raises(InvitationError, match="already accepted"):
        invitations.look_up(token)
    assert invitations.list_pending(owner) == []


def test_an_invitation_for_someone_else_is_refused(db, outbox):
    _, ws, owner = make_workspace("owner@example.com")
    token = _token(invitations.invite(owner, "a@example.com", "owner").link)
    b_id, _, _ = auth.create_account("b@example.com", "password1", "B", "UTC")
    with pytest.raises(InvitationError, match="for a@example.com, and you are logged in as b@example.com"):
        invitations.accept(token, b_id)
    assert _memberships(ws.id) == [(owner.user_id, "owner")]
    assert _rows(ws.id) == [("a@example.com", "owner", "pending")]  # still usable by a@


@pytest.mark.parametrize("token", ["", "nonsense", "x" * 5000])
def test_a_forged_link_is_refused(db, outbox, token):
    user_id, _, _ = auth.create_account("a@example.com", "password1", "A", "UTC")
    with pytest.raises(InvitationError, match="not valid"):
        invitations.look_up(token)
    with pytest.raises(InvitationError, match="not valid"):
        invitations.accept(token, user_id)


def test_an_expired_invitation_is_refused(db, outbox):
    _, ws, owner = make_workspace("owner@example.com")
    token = _token(invitations.invite(owner, "a@example.com", "viewer").link)
    with dbmod.session() as s:
        s.exec(update(Invitation).values(expires_at=dbmod.utcnow() - timedelta(seconds=1)))
    user_id, _, _ = auth.create_account("a@example.com", "password1", "A", "UTC")
    for call in (lambda: invitations.look_up(token), lambda: invitations.accept(token, user_id),
                 lambda: invitations.sign_up_and_accept(token, "New", "password1")):
        with pytest.raises(InvitationError, match="expired"):
            call()
    assert _memberships(ws.id) == [(owner.user_id, "owner")]
    assert [p.expired for p in invitations.list_pending(owner)] == [True]  # the owner sees it lapsed


def test_a_member_keeps_the_higher_role(db, outbox):
    _, ws, owner = make_workspace("owner@example.com")
    editor = add_member(ws.id, "editor@example.com", Role.editor)
    # Invited before they joined some other way: accepting never demotes...
    with dbmod.session() as s:
        s.add(Invitation(workspace_id=ws.id, email="editor@example.com", role="viewer", token_hash=sha256_hex("t1"),
                         invited_by=owner.user_id, expires_at=dbmod.utcnow() + timedelta(days=1)))
    done = invitations.accept("t1", editor.user_id)
    assert (done.role, done.already_member) == ("editor", True)
    # ...and may promote.
    with dbmod.session() as s:
        s.add(Invitation(workspace_id=ws.id, email="editor@example.com", role="owner", token_hash=sha256_hex("t2"),
                         invited_by=owner.user_id, expires_at=dbmod.utcnow() + timedelta(days=1)))
    assert invitations.accept("t2", editor.user_id).role == "owner"
    assert _memberships(ws.id) == sorted([(owner.user_id, "owner"), (editor.user_id, "owner")])


def test_two_clicks_at_once_accept_once(db, outbox):
    """Two threads redeem the same link at the same moment: exactly one succeeds."""
    _, ws, owner = make_workspace("owner@example.com")
    token = _token(invitations.invite(owner, "a@example.com", "editor").link)
    user_id, _, _ = auth.create_account("a@example.com", "password1", "A", "UTC")
    start, results = threading.Barrier(2), []

    def click():
        start.wait()
        try:
            results.append(invitations.accept(token, user_id))
        except InvitationError as exc:
            results.append(exc)

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(type(r).__name__ for r in results) == ["Accepted", "InvitationError"]
    assert "already accepted" in next(r for r in results if isinstance(r, InvitationError)).message
    assert _memberships(ws.id) == sorted([(owner.user_id, "owner"), (user_id, "editor")])


def test_two_sign_ups_from_one_link_at_once_make_one_account(db, outbox):
    _, ws, owner = make_workspace("owner@example.com")
    token = _token(invitations.invite(owner, "new@example.com", "viewer").link)
    start, results = threading.Barrier(2), []

    def sign_up(name):
        start.wait()
        try:
            results.append(invitations.sign_up_and_accept(token, name, "password1", "UTC"))
        except InvitationError as exc:
            results.append(exc)

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in ("One", "Two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(type(r).__name__ for r in results) == ["InvitationError", "tuple"]
    with dbmod.session() as s:
        assert len(s.exec(select(User).where(User.email == "new@example.com")).all()) == 1
    assert len(_memberships(ws.id)) == 2


def test_someone_new_signs_up_from_the_link(db, outbox):
    _, ws, owner = make_workspace("owner@example.com")
    token = _token(invitations.invite(owner, "new@example.com", "viewer").link)
    for bad, message in ((("New", "short", "UTC"), "at least 8"), (("New", "password1", "Mars/Base"), "timezone")):
        with pytest.raises(UserError, match=message):
            invitations.sign_up_and_accept(token, *bad)
    user_id, ws_id, session = invitations.sign_up_and_accept(token, "  New   Person ", "password1", "Europe/Paris")
    assert ws_id == ws.id and (user_id, "viewer") in _memberships(ws.id)
    info = auth.session_for(session)
    # The new login works in the workspace it was invited to; no workspace of their own was made.
    assert (info.workspace_id, info.role, info.name, info.timezone) == (ws.id, "viewer", "New Person", "Europe/Paris")
    with dbmod.session() as s:
        assert len(s.exec(select(Membership).where(Membership.user_id == user_id)).all()) == 1
    assert auth.log_in("new@example.com", "password1")
    with pytest.raises(InvitationError, match="already accepted"):
        invitations.sign_up_and_accept(token, "Again", "password1")


def test_signing_up_with_an_email_that_has_an_account_says_log_in(db, outbox):
    _, ws, owner = make_workspace("owner@example.com")
    auth.create_account("a@example.com", "password1", "A", "UTC")
    token = _token(invitations.invite(owner, "a@example.com", "viewer").link)
    with pytest.raises(InvitationError, match="log in to accept"):
        invitations.sign_up_and_accept(token, "Someone", "password2")
    assert _rows(ws.id) == [("a@example.com", "viewer", "pending")]
    assert auth.log_in("a@example.com", "password1")


def test_deleting_the_workspace_ends_its_invitations(db, outbox):
    from dreamsuite.services import workspaces

    user, ws, owner = make_workspace("owner@example.com")
    workspaces.create_workspace(user.id, "Second")
    token = _token(invitations.invite(owner, "a@example.com", "viewer").link)
    workspaces.delete_workspace(owner, ws.name)
    with pytest.raises(InvitationError, match="not valid"):
        invitations.look_up(token)


# ------------------------------------------------------------------ the invitation page and its form route
import dreamsuite.pages  # noqa: E402,F401  (registers the states, see tests/test_state.py)
from tests.test_state import handler, tab  # noqa: E402


async def _invite_page(token: str, session: str = "", query: dict | None = None):
    from dreamsuite.state.invite import InviteState

    st = tab(InviteState, session, "/invite", {"token": token, **(query or {})})
    await handler(InviteState, "load")(st)
    return st


@pytest.mark.usefixtures("close_arq_pools")
async def test_the_page_accepts_for_the_invited_login_and_switches_to_the_workspace(db, redis_url, outbox):
    from dreamsuite.state.invite import InviteState

    _, ws, owner = make_workspace("owner@example.com")
    token = _token(invitations.invite(owner, "a@example.com", "editor").link)
    user_id, own_ws, session = auth.create_account("a@example.com", "password1", "A", "Europe/Paris")
    st = await _invite_page(token, session)
    assert (st.refusal, st.ws_name, st.invited_role, st.logged_in_as, st.wrong_user) == (
        "", ws.name, "editor", "a@example.com", False)
    assert st.workspace_id == own_ws and _memberships(ws.id) == [(owner.user_id, "owner")]  # nothing on load
    out = await handler(InviteState, "accept")(st)
    assert "/dashboard" in str(out)
    assert (st.workspace_id, st.role) == (ws.id, "editor")
    # The login works in the new workspace from now on: a new tab of it opens there.
    assert auth.session_for(session).workspace_id == ws.id
    again = await _invite_page(token, session)
    assert "already accepted" in again.refusal


@pytest.mark.usefixtures("close_arq_pools")
async def test_the_page_refuses_another_login_and_sends_the_logged_out_to_log_in(db, redis_url, outbox):
    from dreamsuite.state.invite import InviteState

    _, ws, owner = make_workspace("owner@example.com")
    token = _token(invitations.invite(owner, "a@example.com", "viewer").link)
    _, _, session_b = auth.create_account("b@example.com", "password1", "B", "UTC")
    st = await _invite_page(token, session_b)
    assert st.wrong_user and st.logged_in_as == "b@example.com"
    await handler(InviteState, "accept")(st)  # a forged click
    assert "for a@example.com, and you are logged in as b@example.com" in st.accept_error
    assert _memberships(ws.id) == [(owner.user_id, "owner")]

    st = await _invite_page(token)
    assert st.logged_in_as == "" and st.refusal == "" and st.invited_email == "a@example.com"
    assert st.login_link == "/login?next=" + "%2Finvite%3Ftoken%3D" + token
    out = await handler(InviteState, "accept")(st)
    assert "/login?next=" in str(out)

    from dreamsuite.state.account import LoginState  # the login page keeps the way back
    login = tab(LoginState, "", "/login", {"next": f"/invite?token={token}"})
    await handler(LoginState, "load")(login)
    assert login.next_path == f"/invite?token={token}"

    for bad in ("", "forged"):
        st = await _invite_page(bad)
        assert "not valid" in st.refusal


def _http():
    import httpx

    from dreamsuite.api import create_api
    from tests.helpers import APP

    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api()), base_url=APP,
                             headers={"origin": APP})


@pytest.mark.usefixtures("close_arq_pools")
async def test_the_new_account_form_joins_and_logs_in(db, redis_url, outbox, app_url):
    from dreamsuite.services import flash

    _, ws, owner = make_workspace("owner@example.com")
    token = _token(invitations.invite(owner, "new@example.com", "editor").link)
    async with _http() as c:
        r = await c.post("/auth/invite", data={"token": token, "name": "New", "password": "short"})
        assert r.status_code == 303 and r.headers["location"].startswith(f"{app_url}/invite?token={token}&flash=")
        note = flash.read(r.headers["location"].split("flash=", 1)[1])
        assert "at least 8" in note["message"] and auth.SESSION_COOKIE not in r.cookies
        c.cookies.set(auth.WORKSPACE_COOKIE, "12345")  # a pick of an earlier login in this browser
        r = await c.post("/auth/invite", data={"token": token, "name": "New", "password": "password1",
                                               "timezone": "Europe/Paris"})
        assert r.status_code == 303 and r.headers["location"] == f"{app_url}/dashboard"
        session = r.cookies[auth.SESSION_COOKIE]
        # The earlier pick is forgotten; this login starts where it was invited.
        cleared = [h for h in r.headers.get_list("set-cookie") if h.startswith(f"{auth.WORKSPACE_COOKIE}=")]
        assert cleared and "Max-Age=0" in cleared[0]
        assert auth.session_for(session).workspace_id == ws.id
        r = await c.post("/auth/invite", data={"token": token, "name": "Again", "password": "password1"})
        assert "flash=" in r.headers["location"]
        r = await c.post("/auth/invite", data={"token": token, "name": "X", "password": "password1"},
                         headers={"origin": "https://evil.example"})
        assert "/login?flash=" in r.headers["location"]
    with dbmod.session() as s:
        assert len(s.exec(select(User).where(User.email == "new@example.com")).all()) == 1
