"""Row-level security: every query for artist data goes through a Scope.

A Scope is proof that a user is a member of a workspace with at least some role. Service
functions take one and filter every statement by its workspace, so a user of workspace A
can neither read nor change workspace B's rows, whatever ids they pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlmodel import Session, SQLModel, select
from sqlmodel.sql.expression import SelectOfScalar

from dreamsuite.models import ROLE_RANK, Membership, Role
from dreamsuite.services.errors import UserError

T = TypeVar("T", bound=SQLModel)


class AccessDenied(UserError):
    """The user is not a member of the workspace, or their role is too low."""


class NotFound(UserError):
    """No such row in this workspace (also raised for rows of other workspaces)."""


@dataclass(frozen=True)
class Scope:
    user_id: int
    workspace_id: int
    role: Role

    def can(self, role: Role) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]

    def require(self, role: Role) -> None:
        if not self.can(role):
            raise AccessDenied(f"This needs the {role.value} role; you are {self.role.value}.")


def scope_for(session: Session, user_id: int, workspace_id: int, min_role: Role = Role.viewer) -> Scope:
    m = session.exec(
        select(Membership).where(Membership.user_id == user_id, Membership.workspace_id == workspace_id)
    ).first()
    if m is None:
        raise AccessDenied("You are not a member of this workspace.")
    scope = Scope(user_id=user_id, workspace_id=workspace_id, role=Role(m.role))
    scope.require(min_role)
    return scope


def scoped(scope: Scope, model: type[T]) -> SelectOfScalar[T]:
    """`select(model)` already filtered to the scope's workspace."""
    return select(model).where(model.workspace_id == scope.workspace_id)  # type: ignore[attr-defined]


def get_scoped(session: Session, scope: Scope, model: type[T], row_id: int) -> T:
    row = session.exec(scoped(scope, model).where(model.id == row_id)).first()  # type: ignore[attr-defined]
    if row is None:
        raise NotFound(f"{model.__name__} {row_id} not found")
    return row
