"""The people of a workspace: who they are and their role; owners change roles and remove people,
anyone may leave.

A workspace always keeps an owner: the last one can be neither demoted, removed nor leave. Two
owners demoting each other at once must not both succeed, so every change of the owners first
locks the workspace's row (PostgreSQL; SQLite runs one writer at a time anyway) and counts the
owners after its own change, inside the same transaction.

A removed member loses the workspace at their next click: every page event, HTTP route and API
token re-checks the membership (auth.scope_for_token, api_tokens.verify).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, update
from sqlmodel import Session, select

from dreamsuite import db
from dreamsuite.models import Membership, Role, User, Workspace
from dreamsuite.services.errors import UserError
from dreamsuite.services.scope import AccessDenied, NotFound, Scope

NOT_A_MEMBER = "That person is not a member of this workspace."


class MemberError(UserError):
    """A change to the members that cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class Member:
    user_id: int
    name: str
    email: str
    role: str
    joined: datetime


def parse_role(value: object) -> Role:
    try:
        return Role(str(value or "").strip().lower())
    except ValueError:
        raise MemberError("Pick a role: owner, editor or viewer.") from None


def lock_workspace(s: Session, workspace_id: int) -> None:
    """Serialise changes to the workspace's members (a no-op lock on SQLite, whose writers queue)."""
    if s.exec(select(Workspace.id).where(Workspace.id == workspace_id).with_for_update()).first() is None:
        raise AccessDenied("You are not a member of this workspace any more.")


def owners_left(s: Session, workspace_id: int) -> int:
    return s.exec(select(func.count()).select_from(Membership).where(
        Membership.workspace_id == workspace_id, Membership.role == Role.owner)).one()


def list_members(scope: Scope) -> list[Member]:
    """Every member, oldest first; any member may read it."""
    with db.session() as s:
        rows = s.exec(
            select(User.id, User.name, User.email, Membership.role, Membership.created_at)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.workspace_id == scope.workspace_id)
            .order_by(Membership.id)
        ).all()
    return [Member(*row) for row in rows]


def _member(s: Session, workspace_id: int, user_id: object) -> tuple[Membership, User]:
    try:
        user_id = int(user_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound(NOT_A_MEMBER) from None
    row = s.exec(select(Membership, User).join(User, User.id == Membership.user_id).where(
        Membership.workspace_id == workspace_id, Membership.user_id == user_id)).first()
    if row is None:
        raise NotFound(NOT_A_MEMBER)
    return row


def _who(user: User, scope: Scope) -> str:
    return "You are" if user.id == scope.user_id else f"{user.name or user.email} is"


def change_role(scope: Scope, user_id: object, role: object) -> Member:
    """Give a member another role (owners only); the last owner keeps theirs."""
    scope.require(Role.owner)
    new = parse_role(role)
    with db.session() as s:
        lock_workspace(s, scope.workspace_id)
        membership, user = _member(s, scope.workspace_id, user_id)
        if membership.role != new:
            s.exec(update(Membership).where(Membership.id == membership.id).values(role=new))
            if owners_left(s, scope.workspace_id) == 0:
                raise MemberError(f"{_who(user, scope)} this workspace's only owner: make someone else "
                                  "an owner first.")
        return Member(user.id, user.name, user.email, new.value, membership.created_at)


def remove_member(scope: Scope, user_id: object) -> None:
    """Take someone out of the workspace (owners only); never its last owner."""
    scope.require(Role.owner)
    _remove(scope, user_id)


def leave(scope: Scope) -> None:
    """Leave the workspace (any member); its last owner hands it on first."""
    _remove(scope, scope.user_id)


def _remove(scope: Scope, user_id: object) -> None:
    with db.session() as s:
        lock_workspace(s, scope.workspace_id)
        membership, user = _member(s, scope.workspace_id, user_id)
        s.exec(delete(Membership).where(Membership.id == membership.id))
        if membership.role == Role.owner and owners_left(s, scope.workspace_id) == 0:
            why = ("make someone else an owner before you leave" if user.id == scope.user_id
                   else "make someone else an owner first")
            raise MemberError(f"{_who(user, scope)} this workspace's only owner: {why}.")
