"""What the artist should know about (expiring or expired tokens, failed syncs and publishes):
written by the services that notice it, shown under the bell, marked read by the artist."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, select

from dreamsuite import db
from dreamsuite.models import Notification
from dreamsuite.services.scope import Scope, scoped

LIST_LIMIT = 30


def notify(s: Session, workspace_id: int, kind: str, message: str, link: str = "") -> None:
    """Add a notification in the caller's transaction; open pages hear of it once it commits."""
    s.add(Notification(workspace_id=workspace_id, kind=kind, message=message[:2000], link=link[:300]))
    db.announce_after_commit(s, workspace_id, "notification")


def summary(scope: Scope, limit: int = LIST_LIMIT) -> dict[str, Any]:
    """The unread count and the newest notifications, newest first."""
    with db.reading() as s:
        unread = s.exec(select(func.count()).select_from(
            scoped(scope, Notification).where(Notification.is_read == False).subquery())).one()  # noqa: E712
        rows = s.exec(scoped(scope, Notification)
                      .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)).all()
        return {"unread": int(unread),
                "items": [{"id": n.id, "kind": n.kind, "message": n.message, "link": n.link,
                           "is_read": n.is_read, "created_at": n.created_at} for n in rows]}


def mark_read(scope: Scope, notification_id: int | None = None) -> int:
    """Mark one notification (or, with None, all of them) read; returns how many changed."""
    with db.session() as s:
        stmt = update(Notification).where(Notification.workspace_id == scope.workspace_id,
                                          Notification.is_read == False)  # noqa: E712
        if notification_id is not None:
            stmt = stmt.where(Notification.id == notification_id)
        changed = s.exec(stmt.values(is_read=True).execution_options(synchronize_session=False)).rowcount or 0
        if changed:
            db.announce_after_commit(s, scope.workspace_id, "notification")
        return changed
