"""The insight feed: most urgent first, then newest; read, dismissed and acted on only within
the reader's own workspace; acting on one needs the editor role and earns XP once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.insights.drafts import Draft
from dreamsuite.models import Insight, Role, XpEvent
from dreamsuite.services import insights as insight_rows
from dreamsuite.services import xp
from dreamsuite.services.scope import AccessDenied, NotFound
from tests.helpers import add_member, make_workspace

pytestmark = pytest.mark.db


def _draft(key: str, priority: str = "medium", days: int = 7) -> Draft:
    return Draft(type="growth", priority=priority, title=f"Finding {key}", message=f"About {key}.",
                 dedupe_key=key, expires_in_days=days)


def _store(ws_id: int, *drafts: Draft, age: timedelta = timedelta(0)) -> list[int]:
    with dbmod.session() as s:
        assert insight_rows.store(s, ws_id, list(drafts)) == len(drafts)
        rows = s.exec(select(Insight).where(Insight.workspace_id == ws_id,
                                            Insight.dedupe_key.in_([d.dedupe_key for d in drafts]))).all()
        for r in rows:
            r.created_at = dbmod.utcnow() - age
        return sorted(r.id for r in rows)


def _row(insight_id: int) -> Insight:
    with dbmod.session() as s:
        return s.get(Insight, insight_id)


def test_the_feed_puts_the_most_urgent_first_then_the_newest(db):
    _, ws, scope = make_workspace("feed@example.com")
    [old_low] = _store(ws.id, _draft("old-low", "low"), age=timedelta(days=3))
    [old_urgent] = _store(ws.id, _draft("old-urgent", "urgent"), age=timedelta(days=2))
    [new_medium] = _store(ws.id, _draft("new-medium", "medium"), age=timedelta(hours=1))
    [new_low] = _store(ws.id, _draft("new-low", "low"), age=timedelta(minutes=5))
    [old_high] = _store(ws.id, _draft("old-high", "high"), age=timedelta(days=1))
    [gone] = _store(ws.id, _draft("gone", "urgent"))
    with dbmod.session() as s:
        s.get(Insight, gone).expires_at = dbmod.utcnow() - timedelta(seconds=1)
    assert [i["id"] for i in insight_rows.feed(scope)] == [old_urgent, old_high, new_medium, new_low, old_low]
    insight_rows.dismiss(scope, old_high)
    assert old_high not in [i["id"] for i in insight_rows.feed(scope)]
    assert old_high in [i["id"] for i in insight_rows.feed(scope, include_dismissed=True)]
    # The most urgent comes first however many newer ones there are.
    assert [i["id"] for i in insight_rows.feed(scope, limit=1)] == [old_urgent]
    assert [i["id"] for i in insight_rows.feed(scope, limit=2)] == [old_urgent, new_medium]
    # Another workspace sees none of it.
    _, _, other = make_workspace("other-feed@example.com")
    assert insight_rows.feed(other) == []


def test_read_dismiss_and_act_on_reach_only_the_readers_own_workspace(db):
    _, ws, owner = make_workspace("mine@example.com")
    _, _, stranger = make_workspace("stranger@example.com")
    [a, b] = _store(ws.id, _draft("a"), _draft("b"))
    for action in (insight_rows.mark_read, insight_rows.dismiss, insight_rows.act_on):
        with pytest.raises(NotFound):
            action(stranger, a)
    assert insight_rows.mark_read(stranger) == 0  # "mark all read" marks the stranger's own: none
    row = _row(a)
    assert (row.is_read, row.dismissed, row.acted_on) == (False, False, False)
    assert _xp(ws.id) == []

    assert insight_rows.mark_read(owner, a) == 1
    assert (_row(a).is_read, _row(b).is_read) == (True, False)
    assert insight_rows.mark_read(owner) == 2
    assert _row(b).is_read
    insight_rows.dismiss(owner, b)
    assert _row(b).dismissed and not _row(b).acted_on


def test_acting_on_an_insight_needs_an_editor_and_earns_xp_once(db):
    _, ws, owner = make_workspace("act@example.com")
    viewer = add_member(ws.id, "viewer@example.com", Role.viewer)
    editor = add_member(ws.id, "editor@example.com", Role.editor)
    [a] = _store(ws.id, _draft("act"))
    with pytest.raises(AccessDenied):
        insight_rows.act_on(viewer, a)
    assert not _row(a).acted_on and _xp(ws.id) == []
    insight_rows.act_on(editor, a)
    row = _row(a)
    assert (row.acted_on, row.is_read, row.dismissed) == (True, True, True)
    assert a not in [i["id"] for i in insight_rows.feed(owner)]
    insight_rows.act_on(owner, a)  # again, by someone else: no second reward
    assert [(e.kind, e.points) for e in _xp(ws.id)] == [("acted_on_insight", 25)]
    assert xp.level(owner)["total"] == 25


def _xp(ws_id: int) -> list[XpEvent]:
    with dbmod.session() as s:
        return s.exec(select(XpEvent).where(XpEvent.workspace_id == ws_id)).all()
