"""Sign-up, login, sessions and admin accounts.

Passwords are hashed with argon2id; session tokens are random and only their SHA-256 is
stored, so neither a database dump nor a log line lets anyone log in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from dreamsuite import db
from dreamsuite.crypto import sha256_hex, urlsafe_token
from dreamsuite.models import AuthSession, Membership, Role, User, Workspace
from dreamsuite.settings import get_settings
from dreamsuite.services.errors import UserError

MIN_PASSWORD = 8
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()
# Verified against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("dream-suite-timing-equaliser")
BAD_CREDENTIALS = "Wrong email or password."


class AuthError(UserError):
    """A sign-up or login the user can fix."""


@dataclass(frozen=True)
class SessionInfo:
    user_id: int
    email: str
    name: str
    timezone: str
    is_admin: bool
    workspace_id: int | None
    workspace_name: str
    role: str


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def _check_email(email: str) -> str:
    email = normalize_email(email)
    if not _EMAIL.match(email) or len(email) > 320:
        raise AuthError("Please enter a valid email address.")
    return email


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AuthError(f"Password must be at least {MIN_PASSWORD} characters.")


def _check_timezone(tz: str) -> str:
    tz = (tz or "").strip() or "UTC"
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise AuthError(f"Unknown timezone: {tz}") from None
    return tz


def _new_session(s: Session, user_id: int) -> str:
    token = urlsafe_token()
    expires = db.utcnow() + timedelta(days=get_settings().session_days)
    s.add(AuthSession(user_id=user_id, token_hash=sha256_hex(token), expires_at=expires))
    return token


def sign_up(email: str, password: str, name: str, timezone: str = "UTC") -> tuple[int, int, str]:
    """Create user, workspace (named after the artist), owner membership and a session at once."""
    email = _check_email(email)
    _check_password(password)
    tz = _check_timezone(timezone)
    name = (name or "").strip()[:200] or email.split("@", 1)[0]
    try:
        with db.session() as s:
            if s.exec(select(User.id).where(User.email == email)).first() is not None:
                raise AuthError("An account with this email already exists.")
            user = User(email=email, name=name, password_hash=hash_password(password), timezone=tz)
            ws = Workspace(name=name, timezone=tz)
            s.add(user)
            s.add(ws)
            s.flush()
            s.add(Membership(user_id=user.id, workspace_id=ws.id, role=Role.owner))
            token = _new_session(s, user.id)
            return user.id, ws.id, token
    except IntegrityError:
        # Two sign-ups racing for one email: the unique index decides.
        raise AuthError("An account with this email already exists.") from None


def log_in(email: str, password: str) -> str:
    email = normalize_email(email)
    with db.session() as s:
        user = s.exec(select(User).where(User.email == email)).first()
        if user is None:
            verify_password(_DUMMY_HASH, password or "")
            raise AuthError(BAD_CREDENTIALS)
        if not verify_password(user.password_hash, password or ""):
            raise AuthError(BAD_CREDENTIALS)
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
            s.add(user)
        return _new_session(s, user.id)


def log_out(token: str) -> None:
    if not token:
        return
    with db.session() as s:
        s.exec(delete(AuthSession).where(AuthSession.token_hash == sha256_hex(token)))


def session_for(token: str) -> SessionInfo | None:
    """The logged-in user and their (first) workspace, or None if the token is unknown/expired."""
    if not token:
        return None
    with db.session() as s:
        sess = s.exec(select(AuthSession).where(AuthSession.token_hash == sha256_hex(token))).first()
        if sess is None or sess.expires_at <= db.utcnow():
            return None
        user = s.get(User, sess.user_id)
        if user is None:
            return None
        row = s.exec(
            select(Membership, Workspace)
            .join(Workspace, Workspace.id == Membership.workspace_id)
            .where(Membership.user_id == user.id)
            .order_by(Membership.id)
        ).first()
        membership, ws = row if row else (None, None)
        return SessionInfo(
            user_id=user.id,
            email=user.email,
            name=user.name,
            timezone=user.timezone,
            is_admin=user.is_admin,
            workspace_id=ws.id if ws else None,
            workspace_name=ws.name if ws else "",
            role=membership.role if membership else "",
        )


def create_admin(email: str, password: str) -> int:
    """Create an admin account, or promote an existing user (their password is reset)."""
    email = _check_email(email)
    _check_password(password)
    with db.session() as s:
        user = s.exec(select(User).where(User.email == email)).first()
        if user is None:
            user = User(email=email, name="Admin", password_hash=hash_password(password), is_admin=True)
        else:
            user.is_admin = True
            user.password_hash = hash_password(password)
        s.add(user)
        s.flush()
        return user.id


def purge_expired_sessions() -> int:
    with db.session() as s:
        res = s.exec(delete(AuthSession).where(AuthSession.expires_at <= db.utcnow()))
        return res.rowcount or 0
