"""Inviting people into a workspace by email link: invite, list, revoke (owners), look up and accept.

The link carries a random token; only its SHA-256 is stored (like sign-up links and sessions).
An invitation works for 7 days, once: accepting claims it with one conditional UPDATE (pending →
accepted), so two clicks, two tabs or two people racing cannot both get in. Inviting an address
again replaces its pending invitation (the older link stops working).

Without SMTP_URL the email lands in the server's outbox, which the owner cannot read: the link is
then handed back to the owner to copy (shown once, never stored). The same happens when the mail
server refuses the message.

Accepting needs the invited email: a logged-in user with that address accepts; someone new
creates their account from the link (its email is proven by it). A member who accepts again keeps
the higher of their role and the invited one: an invitation can promote, never demote (so it can
never take the last owner away either).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from dreamsuite import db
from dreamsuite.crypto import sha256_hex, urlsafe_token
from dreamsuite.models import ROLE_RANK, Invitation, InvitationStatus, Membership, Role, User, Workspace
from dreamsuite.services import auth, mail
from dreamsuite.services.errors import UserError
from dreamsuite.services.members import lock_workspace, parse_role
from dreamsuite.services.scope import NotFound, Scope
from dreamsuite.settings import get_settings

INVITE_TTL = timedelta(days=7)
MAX_PENDING = 100
PENDING = InvitationStatus.pending
ROLE_WORDS = {
    Role.viewer: "read everything: numbers, posts, insights and the inbox",
    Role.editor: "compose, schedule and reply, and read everything",
    Role.owner: "do everything, including connecting platforms, managing members and deleting the workspace",
}
MESSAGES = {
    "unknown": "This invitation link is not valid. Check that you opened the whole link, or ask the "
               "workspace's owner for a new one.",
    "used": "This invitation was already accepted. Ask the workspace's owner for a new one if you still need it.",
    "revoked": "This invitation was withdrawn or replaced by a newer one. Ask the workspace's owner for a new one.",
    "expired": "This invitation has expired (links work for 7 days). Ask the workspace's owner for a new one.",
    "has_account": "This email already has an account: log in to accept the invitation.",
}


class InvitationError(UserError):
    """An invitation that cannot be made, revoked or accepted as asked; `code` names the reason."""

    def __init__(self, message: str, code: str = "refused"):
        super().__init__(message)
        self.code = code


def _refused(code: str) -> InvitationError:
    return InvitationError(MESSAGES[code], code)


@dataclass(frozen=True)
class Invited:
    id: int
    email: str
    role: str
    expires_at: datetime
    # The link for the owner to pass on: set when no email could carry it (no SMTP, or it failed).
    link: str
    mail_failed: bool


@dataclass(frozen=True)
class PendingInvitation:
    id: int
    email: str
    role: str
    invited_by: str
    created_at: datetime
    expires_at: datetime
    expired: bool


@dataclass(frozen=True)
class InvitationView:
    """What the invitation page shows its holder."""
    workspace_name: str
    role: str
    email: str
    invited_by: str
    expires_at: datetime


@dataclass(frozen=True)
class Accepted:
    workspace_id: int
    workspace_name: str
    role: str            # the role the user has now
    already_member: bool


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def invite(scope: Scope, email: str, role: object) -> Invited:
    """Invite `email` as `role` (owners only); replaces a pending invitation to the same address."""
    scope.require(Role.owner)
    try:
        email = auth.check_email(email)
    except auth.AuthError as exc:
        raise InvitationError(exc.message) from None
    role = parse_role(role)
    token = urlsafe_token()
    now = db.utcnow()
    try:
        with db.session() as s:
            lock_workspace(s, scope.workspace_id)
            member_role = s.exec(select(Membership.role).join(User, User.id == Membership.user_id).where(
                Membership.workspace_id == scope.workspace_id, User.email == email)).first()
            if member_role is not None:
                raise InvitationError(f"{email} is already a member of this workspace (as {member_role}): "
                                      "change their role in the list instead.")
            s.exec(update(Invitation).where(Invitation.workspace_id == scope.workspace_id,
                                            Invitation.email == email, Invitation.status == PENDING)
                   .values(status=InvitationStatus.revoked, closed_at=now))
            pending = s.exec(select(func.count()).select_from(Invitation).where(
                Invitation.workspace_id == scope.workspace_id, Invitation.status == PENDING)).one()
            if pending >= MAX_PENDING:
                raise InvitationError(f"This workspace already has {MAX_PENDING} open invitations: revoke some "
                                      "first.")
            row = Invitation(workspace_id=scope.workspace_id, email=email, role=role, token_hash=sha256_hex(token),
                             invited_by=scope.user_id, expires_at=now + INVITE_TTL)
            s.add(row)
            s.flush()
            ws_name = _one_line(s.get(Workspace, scope.workspace_id).name)
            inviter = s.get(User, scope.user_id)
            inviter_name = _one_line(inviter.name or inviter.email)
    except IntegrityError:
        # Another owner invited the same address at the same moment: theirs stands.
        raise InvitationError(f"{email} was invited by someone else just now: reload the list.") from None
    link = f"{get_settings().app_url}/invite?token={token}"
    invited = Invited(row.id, email, role.value, row.expires_at, link="", mail_failed=False)
    try:
        mail.send(email, f"{inviter_name} invited you to {ws_name} on Dream Suite",
                  f"{inviter_name} invited you to join the artist workspace {ws_name} on Dream Suite as "
                  f"{role.value}: you will {ROLE_WORDS[role]}.\n\n"
                  f"Open this link to accept (it works once, for 7 days):\n\n{link}\n\n"
                  "If you did not expect this invitation, ignore this message.")
    except mail.MailError:
        return replace(invited, link=link, mail_failed=True)
    if not get_settings().smtp_url:
        return replace(invited, link=link)
    return invited


def list_pending(scope: Scope) -> list[PendingInvitation]:
    """The workspace's open invitations, newest first (owners only: they name people's emails)."""
    scope.require(Role.owner)
    now = db.utcnow()
    with db.session() as s:
        rows = s.exec(
            select(Invitation, User.name, User.email).outerjoin(User, User.id == Invitation.invited_by)
            .where(Invitation.workspace_id == scope.workspace_id, Invitation.status == PENDING)
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        ).all()
    return [PendingInvitation(i.id, i.email, i.role, name or email or "", i.created_at, i.expires_at,
                              i.expires_at <= now) for i, name, email in rows]


def revoke(scope: Scope, invitation_id: object) -> None:
    """Withdraw a pending invitation (owners only): its link stops working."""
    scope.require(Role.owner)
    try:
        invitation_id = int(invitation_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound("That invitation is not in this workspace.") from None
    with db.session() as s:
        done = s.exec(update(Invitation).where(
            Invitation.id == invitation_id, Invitation.workspace_id == scope.workspace_id,
            Invitation.status == PENDING).values(status=InvitationStatus.revoked, closed_at=db.utcnow())).rowcount
        if done == 1:
            return
        status = s.exec(select(Invitation.status).where(Invitation.id == invitation_id,
                                                        Invitation.workspace_id == scope.workspace_id)).first()
    if status is None:
        raise NotFound("That invitation is not in this workspace.")
    raise InvitationError("That invitation was already accepted or withdrawn.")


# ------------------------------------------------------------------ the invited person's side
def _open(s: Session, token: str) -> Invitation:
    """The invitation behind a link, if it can still be accepted (InvitationError otherwise)."""
    token = (token or "").strip()
    row = s.exec(select(Invitation).where(Invitation.token_hash == sha256_hex(token))).first() if token else None
    if row is None:
        raise _refused("unknown")
    if row.status == InvitationStatus.accepted:
        raise _refused("used")
    if row.status != PENDING:
        raise _refused("revoked")
    if row.expires_at <= db.utcnow():
        raise _refused("expired")
    return row


def look_up(token: str) -> InvitationView:
    """What an invitation link offers, for its page (InvitationError if it cannot be accepted)."""
    with db.session() as s:
        row = _open(s, token)
        ws = s.get(Workspace, row.workspace_id)
        inviter = s.get(User, row.invited_by) if row.invited_by else None
    return InvitationView(ws.name, row.role, row.email, (inviter.name or inviter.email) if inviter else "",
                          row.expires_at)


def _claim(s: Session, row: Invitation, user_id: int) -> None:
    """Pending → accepted, for exactly one caller: whoever's UPDATE matches first."""
    now = db.utcnow()
    claimed = s.exec(update(Invitation).where(
        Invitation.id == row.id, Invitation.status == PENDING, Invitation.expires_at > now,
    ).values(status=InvitationStatus.accepted, accepted_by=user_id, closed_at=now)).rowcount
    if claimed != 1:
        raise _refused("expired" if row.expires_at <= now else "used")


def accept(token: str, user_id: int) -> Accepted:
    """A logged-in user accepts an invitation to their own email address."""
    with db.session() as s:
        row = _open(s, token)
        user = s.get(User, user_id)
        if user is None:
            raise auth.SessionEnded()
        if user.email != row.email:
            raise InvitationError(f"This invitation is for {row.email}, and you are logged in as {user.email}. "
                                  f"Log out and open the link again, or ask the owner to invite {user.email}.",
                                  "wrong_user")
        lock_workspace(s, row.workspace_id)
        _claim(s, row, user.id)
        invited = Role(row.role)
        membership = s.exec(select(Membership).where(Membership.workspace_id == row.workspace_id,
                                                     Membership.user_id == user.id)).first()
        if membership is None:
            s.add(Membership(user_id=user.id, workspace_id=row.workspace_id, role=invited))
            role = invited
        else:
            role = max(Role(membership.role), invited, key=ROLE_RANK.__getitem__)
            membership.role = role
            s.add(membership)
        ws = s.get(Workspace, row.workspace_id)
        return Accepted(ws.id, ws.name, role.value, already_member=membership is not None)


def sign_up_and_accept(token: str, name: str, password: str, timezone: str = "UTC") -> tuple[int, int, str]:
    """Someone new creates their account from the link (the link proves the email): the account,
    the membership and a login working in the workspace, at once. Returns (user id, workspace id,
    session token)."""
    auth.check_password(password)
    tz = auth.check_timezone(timezone)
    with db.session() as s:  # a dead link is refused before the slow password hash
        row = _open(s, token)
        if s.exec(select(User.id).where(User.email == row.email)).first() is not None:
            raise _refused("has_account")
    password_hash = auth.hash_password(password)
    try:
        with db.session() as s:
            row = _open(s, token)
            user = User(email=row.email, name=_one_line(name)[:200] or row.email.split("@", 1)[0],
                        password_hash=password_hash, timezone=tz)
            s.add(user)
            s.flush()
            lock_workspace(s, row.workspace_id)
            _claim(s, row, user.id)
            s.add(Membership(user_id=user.id, workspace_id=row.workspace_id, role=Role(row.role)))
            return user.id, row.workspace_id, auth._new_session(s, user.id, row.workspace_id)
    except IntegrityError:
        raise _refused("has_account") from None  # the same email signed up a moment ago
