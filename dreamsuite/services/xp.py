"""Experience points: each deed earns its XP once (connecting a platform, a posting streak, a
milestone, acting on an insight, reaching a goal); the level adds them up."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from dreamsuite import db
from dreamsuite.analytics import xp as xp_math
from dreamsuite.models import XpEvent
from dreamsuite.services.scope import Scope


def award(s: Session, workspace_id: int, kind: str, key: str, detail: str = "", points: int | None = None) -> bool:
    """Earn `kind`'s XP for the deed named `key`, once; True when it was new."""
    dedupe = f"{kind}:{key}"[:200]
    if s.execute(select(XpEvent.id).where(XpEvent.workspace_id == workspace_id,
                                          XpEvent.dedupe_key == dedupe)).first():
        return False
    try:
        with s.begin_nested():  # a concurrent award of the same deed loses quietly
            s.add(XpEvent(workspace_id=workspace_id, kind=kind, points=points if points is not None
                          else xp_math.xp_for(kind), detail=detail[:200], dedupe_key=dedupe))
    except IntegrityError:
        return False
    db.announce_after_commit(s, workspace_id, "xp")
    return True


def level(scope: Scope) -> dict:
    """The workspace's total XP, level and what the next level needs."""
    with db.reading() as s:
        total = int(s.execute(select(func.coalesce(func.sum(XpEvent.points), 0))
                              .where(XpEvent.workspace_id == scope.workspace_id)).scalar() or 0)
        recent = s.exec(select(XpEvent).where(XpEvent.workspace_id == scope.workspace_id)
                        .order_by(XpEvent.created_at.desc(), XpEvent.id.desc()).limit(5)).all()
    lv = xp_math.level_for(total)
    return {"total": total, **lv.as_dict(),
            "recent": [{"kind": e.kind, "points": e.points, "detail": e.detail} for e in recent]}
