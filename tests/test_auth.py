"""Sign-up, login, sessions and admin accounts against real SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import delete
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.crypto import sha256_hex
from dreamsuite.models import AuthSession, EmailToken, Membership, User, Workspace
from dreamsuite.services import auth
from dreamsuite.services.auth import AuthError

pytestmark = pytest.mark.db


def test_sign_up_creates_user_workspace_membership_and_session(db):
    user_id, ws_id, token = auth.create_account(" Nova@Example.com ", "correct horse", "Nova Lux", "Europe/Paris")
    with dbmod.session() as s:
        user = s.get(User, user_id)
        assert user.email == "nova@example.com"
        assert user.timezone == "Europe/Paris"
        assert user.password_hash.startswith("$argon2id$")
        assert "correct horse" not in user.password_hash
        assert s.get(Workspace, ws_id).name == "Nova Lux"
        m = s.exec(select(Membership).where(Membership.user_id == user_id)).one()
        assert (m.workspace_id, m.role) == (ws_id, "owner")
        stored = s.exec(select(AuthSession.token_hash)).all()
    # Only the hash of the token is kept.
    assert stored == [sha256_hex(token)]
    info = auth.session_for(token)
    assert info.user_id == user_id and info.workspace_id == ws_id
    assert (info.name, info.workspace_name, info.role, info.is_admin) == ("Nova Lux", "Nova Lux", "owner", False)


@pytest.mark.parametrize(
    "email,password,tz,message",
    [
        ("not-an-email", "longenough", "UTC", "valid email"),
        ("<img/src=x/onerror=alert(1)>@example.com", "longenough", "UTC", "valid email"),
        ('"quoted"@example.com', "longenough", "UTC", "valid email"),
        ("two words@example.com", "longenough", "UTC", "valid email"),
        ("nova@localhost", "longenough", "UTC", "valid email"),
        ("a@b.co", "short", "UTC", "at least 8"),
        ("a@b.co", "x" * 1001, "UTC", "limited to 1,000"),
        ("a@b.co", "longenough", "Mars/Olympus", "timezone we do not know"),
    ],
)
def test_sign_up_rejects_bad_input(db, email, password, tz, message):
    with pytest.raises(AuthError, match=message):
        auth.create_account(email, password, "X", tz)
    with dbmod.session() as s:
        assert s.exec(select(User)).all() == []
        assert s.exec(select(Workspace)).all() == []


def test_duplicate_email_is_refused_and_nothing_half_written(db):
    auth.create_account("dup@example.com", "password1", "First", "UTC")
    with pytest.raises(AuthError, match="already has an account"):
        auth.create_account("DUP@example.com", "password2", "Second", "UTC")
    with dbmod.session() as s:
        assert len(s.exec(select(Workspace)).all()) == 1


def test_log_in_and_out(db):
    auth.create_account("me@example.com", "password1", "Me", "UTC")
    token = auth.log_in("ME@example.com", "password1")
    assert auth.session_for(token).email == "me@example.com"
    auth.log_out(token)
    assert auth.session_for(token) is None


def test_wrong_password_and_unknown_email_get_the_same_message(db):
    auth.create_account("me@example.com", "password1", "Me", "UTC")
    with pytest.raises(AuthError) as wrong_pw:
        auth.log_in("me@example.com", "password2")
    with pytest.raises(AuthError) as unknown:
        auth.log_in("nobody@example.com", "password1")
    assert wrong_pw.value.message == unknown.value.message == auth.BAD_CREDENTIALS


def test_expired_and_unknown_sessions_are_none(db):
    _, _, token = auth.create_account("me@example.com", "password1", "Me", "UTC")
    assert auth.session_for("") is None
    assert auth.session_for("nonsense") is None
    with dbmod.session() as s:
        row = s.exec(select(AuthSession)).one()
        row.expires_at = dbmod.utcnow() - timedelta(seconds=1)
        s.add(row)
    assert auth.session_for(token) is None
    assert auth.purge_expired() == 1


def test_create_admin_creates_or_promotes(db):
    admin_id = auth.create_admin("root@example.com", "adminpass")
    with dbmod.session() as s:
        assert s.get(User, admin_id).is_admin
    user_id, _, token = auth.create_account("artist@example.com", "password1", "Artist", "UTC")
    assert auth.session_for(token).is_admin is False
    assert auth.create_admin("artist@example.com", "newpassword") == user_id
    assert auth.session_for(token).is_admin is True
    auth.log_in("artist@example.com", "newpassword")
    with pytest.raises(AuthError):
        auth.create_admin("root@example.com", "short")


# ------------------------------------------------------------------ sign-up by email link
def _link(email: str) -> str:
    from dreamsuite.services import mail

    msg = mail.latest_to(email)
    assert msg is not None, f"no mail to {email}"
    m = re.search(r"/verify\?token=([\w-]+)", msg.get_content())
    return m.group(1) if m else ""


def test_sign_up_answers_the_same_whether_or_not_the_email_is_registered(db, tmp_path, monkeypatch):
    from dreamsuite.services import mail
    from dreamsuite.settings import get_settings

    monkeypatch.setenv("MAIL_DIR", str(tmp_path))
    get_settings.cache_clear()
    auth.create_account("taken@example.com", "password1", "First", "UTC")
    # Same return value, no exception, for both; only the emails (to their owners) differ.
    assert auth.request_signup("Taken@Example.com", "password2", "Second", "UTC") == "taken@example.com"
    assert auth.request_signup("new@example.com", "password2", "New", "Europe/Paris") == "new@example.com"
    taken = mail.latest_to("taken@example.com").get_content()
    assert "You already have one" in taken and "/verify?token=" not in taken
    token = _link("new@example.com")
    assert token
    with dbmod.session() as s:  # nothing created until the link is used; the second sign-up changed nothing
        assert [u.email for u in s.exec(select(User)).all()] == ["taken@example.com"]
        assert s.exec(select(User)).one().name == "First"
        # The stored link is a hash, and its password an argon2 hash.
        stored = s.exec(select(EmailToken)).one()
        assert stored.token_hash == sha256_hex(token) and token not in str(stored.payload)
        assert stored.payload["password_hash"].startswith("$argon2id$")

    user_id, ws_id, session = auth.complete_signup(token)
    info = auth.session_for(session)
    assert (info.email, info.name, info.timezone, info.workspace_name) == (
        "new@example.com", "New", "Europe/Paris", "New")
    assert auth.log_in("new@example.com", "password2")
    with pytest.raises(AuthError, match="not valid any more"):  # a link works once
        auth.complete_signup(token)


def test_an_expired_or_forged_sign_up_link_creates_nothing(db, tmp_path, monkeypatch):
    from dreamsuite.settings import get_settings

    monkeypatch.setenv("MAIL_DIR", str(tmp_path))
    get_settings.cache_clear()
    auth.request_signup("late@example.com", "password1", "Late", "UTC")
    token = _link("late@example.com")
    for forged in ("", "nonsense", token + "x"):
        with pytest.raises(AuthError, match="not valid any more"):
            auth.complete_signup(forged)
    with dbmod.session() as s:
        row = s.exec(select(EmailToken)).one()
        row.expires_at = dbmod.utcnow() - timedelta(seconds=1)
        s.add(row)
    with pytest.raises(AuthError, match="not valid any more"):
        auth.complete_signup(token)
    with dbmod.session() as s:
        assert s.exec(select(User)).all() == []


# ------------------------------------------------------------------ sessions that end
def test_scope_for_token_checks_login_session_and_membership(db):
    from dreamsuite.models import Role
    from dreamsuite.services.scope import AccessDenied

    user_id, ws_id, token = auth.create_account("me@example.com", "password1", "Me", "UTC")
    sid = auth.session_for(token).session_id
    scope = auth.scope_for_token(token, sid, ws_id, Role.editor)
    assert (scope.user_id, scope.workspace_id, scope.role) == (user_id, ws_id, Role.owner)
    other = auth.log_in("me@example.com", "password1")
    with pytest.raises(auth.SessionEnded):  # a tab started with another login is not this one
        auth.scope_for_token(other, sid, ws_id)
    with pytest.raises(AccessDenied):
        auth.scope_for_token(token, sid, ws_id + 1)
    with dbmod.session() as s:
        s.exec(delete(Membership).where(Membership.user_id == user_id))
    with pytest.raises(AccessDenied):
        auth.scope_for_token(token, sid, ws_id)
    auth.log_out(token)
    with pytest.raises(auth.SessionEnded):
        auth.scope_for_token(token, sid, ws_id)


def test_scope_for_token_refuses_expired_logins_empty_tokens_and_too_low_roles(db):
    from dreamsuite.models import Role
    from dreamsuite.services.scope import AccessDenied

    owner_id, ws_id, owner = auth.create_account("me@example.com", "password1", "Me", "UTC")
    _, _, guest = auth.create_account("guest@example.com", "password1", "Guest", "UTC")
    guest_sid = auth.session_for(guest).session_id
    with dbmod.session() as s:
        guest_user = s.exec(select(User).where(User.email == "guest@example.com")).one()
        s.add(Membership(user_id=guest_user.id, workspace_id=ws_id, role=Role.viewer))
    assert auth.scope_for_token(guest, guest_sid, ws_id).role is Role.viewer
    with pytest.raises(AccessDenied):  # a viewer may look, not edit
        auth.scope_for_token(guest, guest_sid, ws_id, Role.editor)
    with pytest.raises(auth.SessionEnded):
        auth.scope_for_token("", guest_sid, ws_id)
    sid = auth.session_for(owner).session_id
    with dbmod.session() as s:
        row = s.get(AuthSession, sid)
        row.expires_at = dbmod.utcnow() - timedelta(seconds=1)
        s.add(row)
    with pytest.raises(auth.SessionEnded):  # expired: ended even though the row is still there
        auth.scope_for_token(owner, sid, ws_id)
    assert auth.scope_for_token(guest, guest_sid, ws_id).user_id == guest_user.id != owner_id


def test_changing_the_password_ends_every_other_login(db):
    _, ws_id, mine = auth.create_account("me@example.com", "password1", "Me", "UTC")
    phone = auth.log_in("me@example.com", "password1")
    with pytest.raises(AuthError, match="current password is not right"):
        auth.change_password(mine, "wrong-one", "password2")
    with pytest.raises(AuthError, match="at least 8"):
        auth.change_password(mine, "password1", "short")
    assert auth.change_password(mine, "password1", "password2") == 1
    assert auth.session_for(phone) is None and auth.session_for(mine) is not None
    with pytest.raises(AuthError):
        auth.log_in("me@example.com", "password1")
    assert auth.log_in("me@example.com", "password2")
    assert auth.log_out_everywhere(mine) == 2
    assert auth.session_for(mine) is None


def test_the_session_cookie_is_read_from_a_raw_cookie_header():
    header = 'theme=dark; broken="; ds_session=abc-123_x; other=1'
    assert auth.token_from_cookie_header(header) == "abc-123_x"
    assert auth.token_from_cookie_header("") == "" and auth.token_from_cookie_header("ds_sessionx=1") == ""


@pytest.mark.parametrize("email", ["nova+tour@example.com", "josé@exämple.de", "a.b-c_d@sub.example.co.uk"])
def test_addresses_people_use_are_accepted(db, email):
    auth.create_account(email, "longenough", "X", "UTC")
