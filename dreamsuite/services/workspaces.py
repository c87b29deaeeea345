"""Several artists per user: the workspaces a user belongs to, a new one, switching, deleting.

A workspace is one artist. A manager is a member of several and picks the current one in the
sidebar. Which workspace a tab works in is kept by the tab's state (AuthState.workspace_id);
every use re-checks the membership (`auth.scope_for_token`), so a switch can only land on a
workspace the user belongs to and a removed member loses it at their next click.

Deleting a workspace deletes everything of it: every table holding artist data references the
workspace with ON DELETE CASCADE, so one DELETE removes posts, metrics, media rows, tokens,
webhooks and memberships together (media files are removed from their store afterwards).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import delete, func
from sqlmodel import select

from dreamsuite import db
from dreamsuite.models import MediaAsset, Membership, Role, Workspace
from dreamsuite.services.auth import check_timezone
from dreamsuite.services.errors import UserError
from dreamsuite.services.scope import AccessDenied, Scope

log = logging.getLogger(__name__)
MAX_NAME = 200


class WorkspaceError(UserError):
    """A workspace that cannot be created or deleted as asked; the message says why."""


@dataclass(frozen=True)
class WorkspaceEntry:
    id: int
    name: str
    role: str
    timezone: str


def my_workspaces(user_id: int) -> list[WorkspaceEntry]:
    """The user's workspaces, oldest membership first (the first is where a new login starts)."""
    with db.reading() as s:
        rows = s.exec(
            select(Workspace.id, Workspace.name, Membership.role, Workspace.timezone)
            .join(Membership, Membership.workspace_id == Workspace.id)
            .where(Membership.user_id == user_id)
            .order_by(Membership.id)
        ).all()
    return [WorkspaceEntry(id=i, name=n, role=r, timezone=tz) for i, n, r, tz in rows]


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())[:MAX_NAME]
    if not name:
        raise WorkspaceError("Give the artist workspace a name.")
    return name


def create_workspace(user_id: int, name: str, timezone: str = "UTC") -> WorkspaceEntry:
    """A new artist workspace; its creator is its owner."""
    name = _clean_name(name)
    try:
        tz = check_timezone(timezone)
    except UserError:
        raise WorkspaceError("That timezone is not one we know (for example Europe/Paris).") from None
    with db.session() as s:
        ws = Workspace(name=name, timezone=tz)
        s.add(ws)
        s.flush()
        s.add(Membership(user_id=user_id, workspace_id=ws.id, role=Role.owner))
        return WorkspaceEntry(id=ws.id, name=ws.name, role=Role.owner.value, timezone=tz)


def ensure_workspace(user_id: int, name: str, timezone: str = "UTC") -> WorkspaceEntry:
    """The user's first workspace; a new one of their own (named `name`) when they have none left,
    after being removed from or leaving every other one."""
    mine = my_workspaces(user_id)
    if mine:
        return mine[0]
    try:
        return create_workspace(user_id, name or "My artist", timezone)
    except WorkspaceError:
        return create_workspace(user_id, "My artist", "UTC")


def switch_to(user_id: int, workspace_id: int) -> WorkspaceEntry:
    """The workspace to switch to, only if the user is a member (AccessDenied otherwise, with the
    same message whether the workspace exists or not)."""
    with db.session() as s:
        row = s.exec(
            select(Workspace.id, Workspace.name, Membership.role, Workspace.timezone)
            .join(Membership, Membership.workspace_id == Workspace.id)
            .where(Membership.user_id == user_id, Workspace.id == workspace_id)
        ).first()
    if row is None:
        raise AccessDenied("You are not a member of that workspace.")
    return WorkspaceEntry(*row)


def delete_workspace(scope: Scope, confirm_name: str) -> None:
    """Delete the scope's workspace and all its data; owners only, the name typed to confirm.

    The user's last workspace is refused: every signed-in page works in a workspace, so a user
    with none could not use the app (they create another one first).
    """
    scope.require(Role.owner)
    with db.session() as s:
        ws = s.get(Workspace, scope.workspace_id)
        if ws is None:
            raise AccessDenied("You are not a member of this workspace any more.")
        if " ".join((confirm_name or "").split()) != " ".join(ws.name.split()):
            raise WorkspaceError(f"Type the workspace's name, {ws.name}, to confirm.")
        mine = s.exec(select(func.count()).select_from(Membership)
                      .where(Membership.user_id == scope.user_id)).one()
        if mine <= 1:
            raise WorkspaceError("This is your only artist workspace: create another one before deleting it.")
        files = s.exec(select(MediaAsset.storage, MediaAsset.storage_key, MediaAsset.sha256)
                       .where(MediaAsset.workspace_id == ws.id)).all()
        s.exec(delete(Workspace).where(Workspace.id == ws.id))
    _remove_files(scope.workspace_id, files)


def _remove_files(workspace_id: int, files) -> None:
    """The deleted workspace's media files; a store that fails leaves files no row names."""
    from dreamsuite.services import media
    from dreamsuite.services.media_store import StoreError, store_named

    for storage, key, sha in files:
        try:
            media._remove(store_named(storage), key, media._thumb_key(workspace_id, sha))
        except (StoreError, OSError):
            log.warning("workspace %s deleted; media file %s stays in store %s", workspace_id, key, storage)
