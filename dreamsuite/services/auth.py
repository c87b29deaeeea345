"""Accounts, sign-up by email link, login, sessions and admin accounts.

Passwords are hashed with argon2id; session tokens are random and only their SHA-256 is
stored, so neither a database dump nor a log line lets anyone log in. Every failure has a
code and one message of ours (`MESSAGES`): pages show messages chosen by code, never text
that arrived in a URL.

Sign-up never says whether an email is registered: both cases answer "we sent you a link",
and the email itself says what happens next (finish creating the account, or log in).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from dreamsuite import db
from dreamsuite.crypto import sha256_hex, urlsafe_token
from dreamsuite.models import AuthSession, EmailToken, Membership, Role, User, Workspace
from dreamsuite.services import mail
from dreamsuite.services.errors import UserError
from dreamsuite.services.scope import Scope
from dreamsuite.settings import get_settings

# The login cookie (HttpOnly, set only by our HTTP routes; see dreamsuite/api/security.py).
SESSION_COOKIE = "ds_session"
# The artist workspace picked last in this browser (a preference: membership is checked on use).
WORKSPACE_COOKIE = "ds_workspace"
MIN_PASSWORD = 8
# argon2 time grows with the input: a megabyte "password" is a cheap way to burn our CPU.
MAX_PASSWORD = 1000
SIGNUP_LINK_TTL = timedelta(hours=24)
# The HTML standard's valid email (letters of any script allowed): no spaces, quotes, angle
# brackets or parentheses, which no address a person types needs.
_EMAIL = re.compile(r"^[\w.!#$%&'*+/=?^`{|}~-]+@[\w](?:[\w-]{0,61}[\w])?(?:\.[\w](?:[\w-]{0,61}[\w])?)+$")
_hasher = PasswordHasher()
# At most two hashes at once: a burst of logins cannot take every core (or every db thread).
_HASH_SLOTS = threading.BoundedSemaphore(2)
# Verified against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("dream-suite-timing-equaliser")

MESSAGES = {
    "bad_credentials": "Wrong email or password.",
    "invalid_email": "Please enter a valid email address.",
    "short_password": f"Password must be at least {MIN_PASSWORD} characters.",
    "long_password": f"Passwords are limited to {MAX_PASSWORD:,} characters.",
    "bad_timezone": "Your device reported a timezone we do not know; check its date and time settings.",
    "throttled": "Too many attempts. Try again in {minutes} minute{s}.",
    "link_invalid": "This link is not valid any more (links work once, for 24 hours). Sign up again to get a new one.",
    "already_registered": "This email already has an account. Log in instead.",
    "session_ended": "You were logged out. Please log in again.",
    "bad_request": "That form could not be accepted. Please reload the page and try again.",
    "wrong_password": "Your current password is not right.",
    "same_password": "The new password is the same as the current one.",
}
BAD_CREDENTIALS = MESSAGES["bad_credentials"]


class AuthError(UserError):
    """A sign-up or login the user can fix; `code` picks the message pages show."""

    def __init__(self, code: str, **fmt: object):
        super().__init__(MESSAGES[code].format(**fmt))
        self.code = code


class SessionEnded(Exception):
    """The login behind this tab is gone: logged out, expired, or the password changed.

    Not a UserError on purpose: handlers that show UserErrors inline let it through, and the
    app sends the tab to the login page instead.
    """

    def __init__(self) -> None:
        super().__init__(MESSAGES["session_ended"])
        self.message = MESSAGES["session_ended"]


@dataclass(frozen=True)
class SessionInfo:
    session_id: int
    user_id: int
    email: str
    name: str
    timezone: str
    is_admin: bool
    workspace_id: int | None
    workspace_name: str
    role: str


# ------------------------------------------------------------------ passwords and input
def hash_password(password: str) -> str:
    with _HASH_SLOTS:
        return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    with _HASH_SLOTS:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def check_email(email: str) -> str:
    email = normalize_email(email)
    if not _EMAIL.match(email) or len(email) > 320:
        raise AuthError("invalid_email")
    return email


def check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AuthError("short_password")
    if len(password) > MAX_PASSWORD:
        raise AuthError("long_password")


def check_timezone(tz: str) -> str:
    tz = (tz or "").strip() or "UTC"
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise AuthError("bad_timezone") from None
    return tz


# ------------------------------------------------------------------ sessions
def token_from_cookie_header(header: str) -> str:
    """The session token in a raw Cookie header (what the websocket handshake carried).

    Parsed by hand: http.cookies gives up on the whole header at one odd cookie of someone else's.
    """
    for part in (header or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == SESSION_COOKIE:
            return value.strip().strip('"')
    return ""


def workspace_from_cookie(value: str) -> int | None:
    """The workspace id a ds_workspace cookie names, None if it names none."""
    value = (value or "").strip().strip('"')
    return int(value) if value.isdigit() and len(value) < 12 else None


def _new_session(s: Session, user_id: int, workspace_id: int | None = None) -> str:
    token = urlsafe_token()
    expires = db.utcnow() + timedelta(days=get_settings().session_days)
    s.add(AuthSession(user_id=user_id, token_hash=sha256_hex(token), expires_at=expires, workspace_id=workspace_id))
    return token


def new_session(user_id: int) -> str:
    with db.session() as s:
        return _new_session(s, user_id)


def log_in(email: str, password: str) -> str:
    """A new session token for the right email and password; AuthError otherwise."""
    email = normalize_email(email)
    password = password or ""
    if len(password) > MAX_PASSWORD:  # never hash a huge input
        raise AuthError("bad_credentials")
    with db.session() as s:
        user = s.exec(select(User).where(User.email == email)).first()
        if user is None:
            verify_password(_DUMMY_HASH, password)
            raise AuthError("bad_credentials")
        if not verify_password(user.password_hash, password):
            raise AuthError("bad_credentials")
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
            s.add(user)
        return _new_session(s, user.id)


def log_out(token: str) -> None:
    if not token:
        return
    with db.session() as s:
        s.exec(delete(AuthSession).where(AuthSession.token_hash == sha256_hex(token)))


def _live_session(s: Session, token: str) -> AuthSession | None:
    if not token:
        return None
    sess = s.exec(select(AuthSession).where(AuthSession.token_hash == sha256_hex(token))).first()
    if sess is None or sess.expires_at <= db.utcnow():
        return None
    return sess


def session_for(token: str, workspace_id: int | None = None) -> SessionInfo | None:
    """The logged-in user and their workspace, or None if the token is unknown/expired.

    The workspace is the first of these the user is still a member of: `workspace_id` (the one the
    tab works in), the one this login last switched to (AuthSession.workspace_id), their first."""
    with db.reading() as s:
        sess = _live_session(s, token)
        user = s.get(User, sess.user_id) if sess else None
        if user is None:
            return None
        mine = (select(Membership, Workspace)
                .join(Workspace, Workspace.id == Membership.workspace_id)
                .where(Membership.user_id == user.id))
        row = None
        for wanted in dict.fromkeys(w for w in (workspace_id, sess.workspace_id) if w):
            row = row or s.exec(mine.where(Membership.workspace_id == wanted)).first()
        row = row or s.exec(mine.order_by(Membership.id)).first()
        membership, ws = row if row else (None, None)
        return SessionInfo(
            session_id=sess.id, user_id=user.id, email=user.email, name=user.name, timezone=user.timezone,
            is_admin=user.is_admin, workspace_id=ws.id if ws else None, workspace_name=ws.name if ws else "",
            role=membership.role if membership else "",
        )


# Built once: the statement and its cache key are not made again for every page event.
_SCOPE_ROW = (select(AuthSession.id, AuthSession.user_id, AuthSession.expires_at, Membership.role)
              .outerjoin(Membership, (Membership.user_id == AuthSession.user_id)
                         & (Membership.workspace_id == bindparam("ws")))
              .where(AuthSession.token_hash == bindparam("token_hash")))


def scope_for_token(token: str, session_id: int, workspace_id: int, min_role: Role = Role.viewer) -> Scope:
    """Proof, from one query, that this login is still alive, is the one the tab started with,
    and is a member of the workspace with at least `min_role`. Every page event asks it, so it is
    one statement outside a transaction (one round trip to the database)."""
    from dreamsuite.services.scope import AccessDenied

    if not token:
        raise SessionEnded()
    with db.read_connection() as c:
        row = c.execute(_SCOPE_ROW, {"token_hash": sha256_hex(token), "ws": workspace_id}).first()
    if row is None or row.expires_at <= db.utcnow() or row.id != session_id:
        raise SessionEnded()
    if row.role is None:
        raise AccessDenied("You are not a member of this workspace any more.")
    scope = Scope(user_id=row.user_id, workspace_id=workspace_id, role=Role(row.role))
    scope.require(min_role)
    return scope


def enter_workspace(token: str, session_id: int, workspace_id: int) -> Scope:
    """Make `workspace_id` the one this login works in (a reload or a new tab stays there), after
    the same checks as `scope_for_token`."""
    scope = scope_for_token(token, session_id, workspace_id)
    with db.session() as s:
        s.exec(update(AuthSession).where(AuthSession.id == session_id).values(workspace_id=workspace_id))
    return scope


def change_password(token: str, current: str, new: str) -> int:
    """Set a new password; every other session of the user ends. Returns how many ended."""
    check_password(new)
    with db.session() as s:
        sess = _live_session(s, token)
        if sess is None:
            raise SessionEnded()
        user = s.get(User, sess.user_id)
        if not verify_password(user.password_hash, current or ""):
            raise AuthError("wrong_password")
        if current == new:
            raise AuthError("same_password")
        user.password_hash = hash_password(new)
        s.add(user)
        res = s.exec(delete(AuthSession).where(AuthSession.user_id == user.id, AuthSession.id != sess.id))
        return res.rowcount or 0


def log_out_everywhere(token: str) -> int:
    """End every session of this user, this one included."""
    with db.session() as s:
        sess = _live_session(s, token)
        if sess is None:
            return 0
        return s.exec(delete(AuthSession).where(AuthSession.user_id == sess.user_id)).rowcount or 0


# ------------------------------------------------------------------ accounts and sign-up
def create_account(email: str, password: str, name: str, timezone: str = "UTC") -> tuple[int, int, str]:
    """User, workspace (named after the artist), owner membership and a session, at once.

    Used by the sign-up link, the demo seed and the tests; people sign up with `request_signup`.
    """
    email = check_email(email)
    check_password(password)
    return _create(email, hash_password(password), name, check_timezone(timezone))


def _create(email: str, password_hash: str, name: str, tz: str) -> tuple[int, int, str]:
    name = (name or "").strip()[:200] or email.split("@", 1)[0]
    try:
        with db.session() as s:
            if s.exec(select(User.id).where(User.email == email)).first() is not None:
                raise AuthError("already_registered")
            user = User(email=email, name=name, password_hash=password_hash, timezone=tz)
            ws = Workspace(name=name, timezone=tz)
            s.add(user)
            s.add(ws)
            s.flush()
            s.add(Membership(user_id=user.id, workspace_id=ws.id, role=Role.owner))
            return user.id, ws.id, _new_session(s, user.id)
    except IntegrityError:
        # Two sign-ups racing for one email: the unique index decides.
        raise AuthError("already_registered") from None


def request_signup(email: str, password: str, name: str, timezone: str = "UTC") -> str:
    """Validate, then email a link: to finish signing up, or (registered email) to log in.

    Returns the normalised email. The caller's answer is the same in both cases, and both
    take about the same time (the password is hashed either way).
    """
    email = check_email(email)
    check_password(password)
    tz = check_timezone(timezone)
    password_hash = hash_password(password)
    app = get_settings().app_url
    with db.session() as s:
        exists = s.exec(select(User.id).where(User.email == email)).first() is not None
        if not exists:
            token = urlsafe_token()
            s.add(EmailToken(purpose="signup", token_hash=sha256_hex(token), email=email,
                             payload={"name": (name or "").strip()[:200], "timezone": tz,
                                      "password_hash": password_hash},
                             expires_at=db.utcnow() + SIGNUP_LINK_TTL))
    if exists:
        mail.send(email, "Your Dream Suite account",
                  "Someone (probably you) tried to create a Dream Suite account with this email.\n\n"
                  f"You already have one: log in at {app}/login\n\n"
                  "If it was not you, you can ignore this message; nothing was changed.")
    else:
        mail.send(email, "Finish creating your Dream Suite account",
                  f"Open this link to finish creating your account (it works once, for 24 hours):\n\n"
                  f"{app}/verify?token={token}\n\n"
                  "If you did not sign up for Dream Suite, ignore this message.")
    return email


def complete_signup(token: str) -> tuple[int, int, str]:
    """Redeem a sign-up link: the account is created and logged in (user id, workspace id, session)."""
    with db.session() as s:
        row = s.exec(select(EmailToken).where(EmailToken.token_hash == sha256_hex(token or ""),
                                              EmailToken.purpose == "signup")).first()
        # Whoever deletes the row first redeems it: a link works exactly once.
        if row is None or s.exec(delete(EmailToken).where(EmailToken.id == row.id)).rowcount != 1:
            raise AuthError("link_invalid")
    if row.expires_at <= db.utcnow():
        raise AuthError("link_invalid")
    p = row.payload or {}
    return _create(row.email, p["password_hash"], p.get("name", ""), p.get("timezone", "UTC"))


def create_admin(email: str, password: str) -> int:
    """Create an admin account, or promote an existing user (their password is reset)."""
    email = check_email(email)
    check_password(password)
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


def purge_expired() -> int:
    """Delete expired sessions and sign-up links; returns how many rows went."""
    now = db.utcnow()
    with db.session() as s:
        gone = s.exec(delete(AuthSession).where(AuthSession.expires_at <= now)).rowcount or 0
        gone += s.exec(delete(EmailToken).where(EmailToken.expires_at <= now)).rowcount or 0
        return gone

