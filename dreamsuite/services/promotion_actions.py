"""The brain's proposed actions for the artist: listed, and accepted or dismissed.

An answer is the artist's (an editor or owner; a viewer may only look). Answering the same way
twice keeps the first answer's time, so the outcome is measured from the day it was really
taken; changing the answer starts again from now. An action the brain no longer finds
(expired) cannot be answered. The action's insight in the feed follows the answer.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, update

from dreamsuite import db
from dreamsuite.analytics.money import from_minor
from dreamsuite.models import ActionStatus, Insight, PromotionAction, Role
from dreamsuite.services.errors import UserError
from dreamsuite.services.scope import Scope, get_scoped, scoped

STATUSES = tuple(s.value for s in ActionStatus)
ORDER = {ActionStatus.proposed.value: 0, ActionStatus.accepted.value: 1, ActionStatus.dismissed.value: 2,
         ActionStatus.expired.value: 3}


class ActionClosed(UserError):
    """The action is no longer proposed by the brain and cannot be answered."""


async def decide_action(scope: Scope, action_id: int, accept: bool) -> None:
    await db.run(_decide, scope, action_id, accept)


def _decide(scope: Scope, action_id: int, accept: bool) -> None:
    scope.require(Role.editor)
    with db.session() as s:
        a = get_scoped(s, scope, PromotionAction, action_id)  # NotFound for another workspace's id
        if a.status == ActionStatus.expired:
            raise ActionClosed("This action is no longer proposed: its numbers changed since. Look at today's "
                               "actions instead.")
        status = ActionStatus.accepted if accept else ActionStatus.dismissed
        if a.status == status:
            return  # the same answer again: the first one's time stands
        a.status, a.decided_at, a.decided_by = status, db.utcnow(), scope.user_id
        a.observed_minor = a.observed_at = None  # measured from this answer on
        s.add(a)
        flag = {"acted_on": True} if accept else {"dismissed": True}
        s.exec(update(Insight).where(Insight.workspace_id == scope.workspace_id,
                                     Insight.dedupe_key == f"promotion:{a.key}")
               .values(**flag).execution_options(synchronize_session=False))
        db.announce_after_commit(s, scope.workspace_id, "promotion", action_id=a.id, status=status.value)


async def list_actions(scope: Scope, status: str | None = None) -> list[dict[str, Any]]:
    if status is not None and status not in STATUSES:
        raise UserError(f"Unknown action status {status!r}; use one of {', '.join(STATUSES)}.")
    return await db.run(_list, scope, status)


def _list(scope: Scope, status: str | None) -> list[dict[str, Any]]:
    order = case(ORDER, value=PromotionAction.status, else_=9)
    with db.session() as s:
        stmt = scoped(scope, PromotionAction)
        if status is not None:
            stmt = stmt.where(PromotionAction.status == status)
        rows = s.exec(stmt.order_by(order, PromotionAction.rank, PromotionAction.id)).all()
    return [_row(a) for a in rows]


def _row(a: PromotionAction) -> dict[str, Any]:
    cur = a.impact_currency
    return {"id": a.id, "key": a.key, "kind": a.kind, "target": a.target, "sentence": a.sentence,
            "impact": from_minor(a.impact_minor, cur) if cur else None, "currency": cur, "per": "day",
            "confidence": a.confidence, "evidence": dict(a.evidence or {}), "status": a.status, "rank": a.rank,
            "first_seen": a.first_seen, "last_seen": a.last_seen, "decided_at": a.decided_at,
            "observed": from_minor(a.observed_minor, cur) if a.observed_minor is not None and cur else None}
