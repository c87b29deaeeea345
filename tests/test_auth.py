"""Sign-up, login, sessions and admin accounts against real SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.crypto import sha256_hex
from dreamsuite.models import AuthSession, Membership, User, Workspace
from dreamsuite.services import auth
from dreamsuite.services.auth import AuthError

pytestmark = pytest.mark.db


def test_sign_up_creates_user_workspace_membership_and_session(db):
    user_id, ws_id, token = auth.sign_up(" Nova@Example.com ", "correct horse", "Nova Lux", "Europe/Paris")
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
        ("a@b.co", "short", "UTC", "at least 8"),
        ("a@b.co", "longenough", "Mars/Olympus", "Unknown timezone"),
    ],
)
def test_sign_up_rejects_bad_input(db, email, password, tz, message):
    with pytest.raises(AuthError, match=message):
        auth.sign_up(email, password, "X", tz)
    with dbmod.session() as s:
        assert s.exec(select(User)).all() == []
        assert s.exec(select(Workspace)).all() == []


def test_duplicate_email_is_refused_and_nothing_half_written(db):
    auth.sign_up("dup@example.com", "password1", "First", "UTC")
    with pytest.raises(AuthError, match="An account with this email already exists"):
        auth.sign_up("DUP@example.com", "password2", "Second", "UTC")
    with dbmod.session() as s:
        assert len(s.exec(select(Workspace)).all()) == 1


def test_log_in_and_out(db):
    auth.sign_up("me@example.com", "password1", "Me", "UTC")
    token = auth.log_in("ME@example.com", "password1")
    assert auth.session_for(token).email == "me@example.com"
    auth.log_out(token)
    assert auth.session_for(token) is None


def test_wrong_password_and_unknown_email_get_the_same_message(db):
    auth.sign_up("me@example.com", "password1", "Me", "UTC")
    with pytest.raises(AuthError) as wrong_pw:
        auth.log_in("me@example.com", "password2")
    with pytest.raises(AuthError) as unknown:
        auth.log_in("nobody@example.com", "password1")
    assert wrong_pw.value.message == unknown.value.message == auth.BAD_CREDENTIALS


def test_expired_and_unknown_sessions_are_none(db):
    _, _, token = auth.sign_up("me@example.com", "password1", "Me", "UTC")
    assert auth.session_for("") is None
    assert auth.session_for("nonsense") is None
    with dbmod.session() as s:
        row = s.exec(select(AuthSession)).one()
        row.expires_at = dbmod.utcnow() - timedelta(seconds=1)
        s.add(row)
    assert auth.session_for(token) is None
    assert auth.purge_expired_sessions() == 1


def test_create_admin_creates_or_promotes(db):
    admin_id = auth.create_admin("root@example.com", "adminpass")
    with dbmod.session() as s:
        assert s.get(User, admin_id).is_admin
    user_id, _, token = auth.sign_up("artist@example.com", "password1", "Artist", "UTC")
    assert auth.session_for(token).is_admin is False
    assert auth.create_admin("artist@example.com", "newpassword") == user_id
    assert auth.session_for(token).is_admin is True
    auth.log_in("artist@example.com", "newpassword")
    with pytest.raises(AuthError):
        auth.create_admin("root@example.com", "short")
