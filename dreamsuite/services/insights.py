"""Insights as rows: stored once per finding, listed for the feed, read, dismissed or acted on.

The findings themselves come from `dreamsuite/insights/` (pure: numbers in, drafts out); this
module only keeps them. A finding's `dedupe_key` names it with its period ("a new Instagram
high in November"), so tomorrow's run does not insert it again while it is still current; it
expires when stale and the daily job clears it away.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Callable

from sqlalchemy import case, delete, update
from sqlmodel import Session, select

from dreamsuite import db
from dreamsuite.insights.drafts import Draft
from dreamsuite.models import PRIORITY_RANK, Insight, Role
from dreamsuite.services.scope import Scope, get_scoped, scoped
from dreamsuite.services.xp import award

FEED_LIMIT = 50


def store(s: Session, workspace_id: int, drafts: list[Draft], phrase: Callable[[Draft], Draft] | None = None,
          limit: int | None = None) -> int:
    """Insert the drafts not already stored (by dedupe key, while unexpired), in their order and
    at most `limit` of them; returns how many. `phrase` rewords each new one (a configured
    language model; see agents/phrasing.py)."""
    now = db.utcnow()
    keys = [d.dedupe_key for d in drafts]
    existing = {k: (i, e) for k, i, e in s.execute(
        select(Insight.dedupe_key, Insight.id, Insight.expires_at).where(
            Insight.workspace_id == workspace_id, Insight.dedupe_key.in_(keys))).all()} if keys else {}
    added = 0
    for d in drafts:
        if limit is not None and added >= limit:
            break
        found = existing.get(d.dedupe_key)
        if found and found[1] > now:
            continue  # the same finding, still current
        if found:  # expired: the finding holds again, as a new insight
            s.exec(delete(Insight).where(Insight.id == found[0]))
            s.flush()
        if phrase is not None:
            d = phrase(d)
        s.add(Insight(workspace_id=workspace_id, type=d.type, priority=d.priority, title=d.title[:200],
                      message=d.message[:2000], actions=list(d.actions), sources=list(d.sources),
                      figures=dict(d.figures), dedupe_key=d.dedupe_key[:200],
                      expires_at=now + timedelta(days=d.expires_in_days)))
        added += 1
    if added:
        db.announce_after_commit(s, workspace_id, "insight", added=added)
    return added


def _row(i: Insight) -> dict[str, Any]:
    return {"id": i.id, "type": i.type, "priority": i.priority, "title": i.title, "message": i.message,
            "actions": list(i.actions), "sources": list(i.sources), "figures": dict(i.figures),
            "is_read": i.is_read, "dismissed": i.dismissed, "acted_on": i.acted_on,
            "created_at": i.created_at, "expires_at": i.expires_at}


def feed(scope: Scope, *, include_dismissed: bool = False, limit: int = FEED_LIMIT) -> list[dict[str, Any]]:
    """Current insights, most urgent first, then newest (ranked in SQL: an urgent insight is not
    cut off by a page of newer, lesser ones)."""
    now = db.utcnow()
    rank = case({p.value: r for p, r in PRIORITY_RANK.items()}, value=Insight.priority, else_=0)
    with db.reading() as s:
        stmt = scoped(scope, Insight).where(Insight.expires_at > now)
        if not include_dismissed:
            stmt = stmt.where(Insight.dismissed == False)  # noqa: E712
        rows = s.exec(stmt.order_by(rank.desc(), Insight.created_at.desc(), Insight.id.desc()).limit(limit)).all()
    return [_row(i) for i in rows]


def _set(scope: Scope, insight_id: int | None, **values) -> int:
    with db.session() as s:
        stmt = update(Insight).where(Insight.workspace_id == scope.workspace_id)
        if insight_id is not None:
            stmt = stmt.where(Insight.id == insight_id)
        changed = s.exec(stmt.values(**values).execution_options(synchronize_session=False)).rowcount or 0
        if changed:
            db.announce_after_commit(s, scope.workspace_id, "insight")
        return changed


def mark_read(scope: Scope, insight_id: int | None = None) -> int:
    """One insight (or, with None, all of them) read; NotFound for another workspace's id."""
    if insight_id is not None:
        with db.session() as s:
            get_scoped(s, scope, Insight, insight_id)
    return _set(scope, insight_id, is_read=True)


def dismiss(scope: Scope, insight_id: int) -> None:
    with db.session() as s:
        get_scoped(s, scope, Insight, insight_id)  # NotFound for another workspace's id
    _set(scope, insight_id, dismissed=True, is_read=True)


def act_on(scope: Scope, insight_id: int) -> None:
    """The artist did what the insight suggested: it leaves the feed, and earns XP once."""
    scope.require(Role.editor)
    with db.session() as s:
        row = get_scoped(s, scope, Insight, insight_id)
        row.acted_on, row.is_read, row.dismissed = True, True, True
        s.add(row)
        award(s, scope.workspace_id, "acted_on_insight", f"insight:{row.id}", row.title)
        db.announce_after_commit(s, scope.workspace_id, "insight")


def purge_expired() -> int:
    with db.session() as s:
        return s.exec(delete(Insight).where(Insight.expires_at <= db.utcnow())).rowcount or 0
