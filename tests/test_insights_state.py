"""The insights feed without a browser: urgent first, read when shown (and still marked new on
this visit), mark all read, type filter, dismissed ones on request, dismiss, "I did this" and its
XP once, viewers, live arrivals, and "what this is based on" in words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.insights.drafts import Draft
from dreamsuite.models import Insight, Membership, Role
from dreamsuite.services import auth
from dreamsuite.services import insights as service
from dreamsuite.state.insight_text import basis, source_words, sources_sentence
from dreamsuite.state.insights import InsightsState
from tests.test_state import handler, tab

import dreamsuite.pages  # noqa: E402,F401  (registered in this context, as tests/test_state.py explains)


# ------------------------------------------------------------------ "what this is based on"
def _fig(value, **source):
    return {"value": value, "source": source}


def test_every_source_kind_in_words():
    figures = {
        "now": _fig(12_345, kind="followers", platform="instagram", date="2026-03-03"),
        "this_week": _fig(-120, kind="followers_change", platform="youtube", **{"from": "2026-02-24",
                                                                                "to": "2026-03-03"}),
        "usual": _fig(15, kind="usual_change", platform="tiktok", date="2026-03-02"),
        "views": _fig(40_000, kind="metric_sum", platform="youtube", key="views",
                      **{"from": "2026-03-01", "to": "2026-03-14"}),
        "best_rate": _fig(4.567, kind="avg_rate", platform="instagram", type="reel",
                          **{"from": "2025-12-01", "to": "2026-02-28"}),
        "best_posts": _fig(12, kind="posts", platform="instagram", type="reel",
                           **{"from": "2025-12-01", "to": "2026-02-28"}),
        "rate": _fig(3.1, kind="slot_rate", weekday=4, hour=23, tz="Europe/Paris",
                     **{"from": "2025-12-01", "to": "2026-02-28"}),
        "current": _fig(9_000, kind="goal_current", goal_id=3, date="2026-03-03"),
        "target": _fig(10_000, kind="goal_target", goal_id=3),
        "expected": _fig("2026-05-01", kind="forecast_reaches", goal_id=3, target=10_000),
        "deadline": _fig("2026-06-30", kind="goal_deadline", goal_id=3),
        "release": _fig("2026-02-14", kind="release", **{"from": "2025-09-01", "to": "2026-03-01"}),
        "days": _fig(7, kind="window"),
    }
    assert basis(figures) == [
        "12,345 — Instagram followers on 3 Mar 2026",
        "-120 — change in YouTube followers from 24 Feb 2026 to 3 Mar 2026",
        "+15 — the usual change in TikTok followers on a Monday in the weeks before 2 Mar 2026",
        "40,000 — YouTube views added up, 1 Mar 2026 to 14 Mar 2026",
        "4.57% — average engagement rate of your Instagram reels posted 1 Dec 2025 to 28 Feb 2026",
        "12 — Instagram reels posted 1 Dec 2025 to 28 Feb 2026 with an engagement rate",
        "3.10% — average engagement rate of posts published on Fridays 23:00–00:00 (Europe/Paris), "
        "1 Dec 2025 to 28 Feb 2026",
        "9,000 — followers counted for the goal on 3 Mar 2026",
        "10,000 — your goal's target",
        "1 May 2026 — the first day the forecast's expected line reaches the target",
        "30 Jun 2026 — your goal's deadline",
        "14 Feb 2026 — the day of your latest release (single, EP or album)",
        "7 — the period looked at, in days",
    ]
    # Whatever a future source looks like, it is said in words, never a crash.
    assert basis({"odd": 5, "weird_kind": _fig(2.5, kind="new_kind"), "bad": _fig(1, kind="slot_rate", hour="x")}) \
        == ["5 — odd", "2.50 — new kind", "1.00% — average engagement rate of posts published in that hour"]
    assert source_words({"kind": "followers", "platform": "all", "date": "2026-03-03"}) == \
        "all platforms followers on 3 Mar 2026"


def test_the_tables_read_in_one_sentence():
    assert sources_sentence([{"table": "daily_metric", "platform": "instagram"}]) == \
        "Read from your daily Instagram numbers."
    assert sources_sentence([{"table": "daily_metric"}, {"table": "content_post", "what": "the latest release"}]) \
        == "Read from your daily numbers and your posts (the latest release)."
    assert sources_sentence([{"table": "goal"}, {"table": "forecast"}, {"table": "goal"}]) == \
        "Read from your goals and the follower forecast."
    assert sources_sentence([]) == "" and sources_sentence(None) == "" and sources_sentence(["x", {}]) == ""


# ------------------------------------------------------------------ through the state
def draft(key: str, type_: str = "growth", priority: str = "medium", title: str = "", **kw) -> Draft:
    return Draft(type=type_, priority=priority, title=title or f"Insight {key}", message=f"Message {key}",
                 dedupe_key=key, actions=(f"Do {key}",), sources=({"table": "daily_metric", "platform": "instagram"},),
                 figures={"now": _fig(100, kind="followers", platform="instagram", date="2026-03-03")}, **kw)


def _artist(role: Role = Role.owner) -> tuple[int, str]:
    user_id, ws_id, token = auth.create_account("me@example.com", "password1", "Me", "UTC")
    if role != Role.owner:
        with dbmod.session() as s:
            s.exec(update(Membership).where(Membership.user_id == user_id).values(role=role.value))
    return ws_id, token


def _store(ws_id: int, *drafts: Draft) -> None:
    with dbmod.session() as s:
        service.store(s, ws_id, list(drafts))


async def _page(token: str) -> InsightsState:
    st = tab(InsightsState, token, "/insights")
    await handler(InsightsState, "check_login")(st)
    await handler(InsightsState, "load")(st)
    return st


def _rows(ws_id: int) -> dict[str, Insight]:
    with dbmod.session() as s:
        return {i.dedupe_key: i for i in s.exec(select(Insight).where(Insight.workspace_id == ws_id)).all()}


@pytest.mark.db
@pytest.mark.usefixtures("close_arq_pools")
async def test_urgent_first_read_when_shown_and_mark_all_read(db, redis_url):
    ws_id, token = _artist()
    _store(ws_id, draft("a", priority="low"), draft("b", "goal", "urgent", title="Behind on <b>your</b> goal"),
           draft("c", "content", "high"))
    st = await _page(token)
    assert [i.title for i in st.items] == ["Behind on <b>your</b> goal", "Insight c", "Insight a"]
    first = st.items[0]
    assert (first.type_label, first.priority_label, first.actions) == ("Goal", "Urgent", ["Do b"])
    assert first.basis == ["100 — Instagram followers on 3 Mar 2026"]
    assert first.sources == "Read from your daily Instagram numbers."
    # Shown, so read; still marked new on this visit.
    assert all(i.new for i in st.items) and st.new_count == 3 and st.total == 3
    assert all(r.is_read for r in _rows(ws_id).values())
    await handler(InsightsState, "mark_all_read")(st)
    assert st.new_count == 0 and not any(i.new for i in st.items)
    st = await _page(token)  # another visit: nothing new
    assert st.new_count == 0 and len(st.items) == 3


@pytest.mark.db
@pytest.mark.usefixtures("close_arq_pools")
async def test_filter_by_type_reads_only_what_it_shows(db, redis_url):
    ws_id, token = _artist()
    _store(ws_id, draft("a", "growth"), draft("b", "content"), draft("c", "content"))
    st = tab(InsightsState, token, "/insights")
    await handler(InsightsState, "check_login")(st)
    st.filter_type = "content"
    await handler(InsightsState, "load")(st)
    assert [i.type for i in st.items] == ["content", "content"] and st.new_count == 3
    assert {k: r.is_read for k, r in _rows(ws_id).items()} == {"a": False, "b": True, "c": True}
    await handler(InsightsState, "set_filter")(st, "trend")
    assert st.items == []
    await handler(InsightsState, "set_filter")(st, "<script>")  # anything else: all types
    assert st.filter_type == "all" and len(st.items) == 3 and all(r.is_read for r in _rows(ws_id).values())


@pytest.mark.db
@pytest.mark.usefixtures("close_arq_pools")
async def test_dismiss_act_on_and_the_dismissed_toggle(db, redis_url):
    ws_id, token = _artist()
    _store(ws_id, draft("a"), draft("b"), draft("c"))
    st = await _page(token)
    ids = {i.title: i.id for i in st.items}
    assert st.xp_total == "0"

    await handler(InsightsState, "dismiss")(st, ids["Insight a"])
    assert "Insight a" not in [i.title for i in st.items] and st.total == 2 and not st.notice_error
    await handler(InsightsState, "act_on")(st, ids["Insight b"])
    assert [i.title for i in st.items] == ["Insight c"]
    assert st.xp_total == "25" and st.xp_events[0].label == "Acted on an insight"
    assert "XP earned" in st.notice
    rows = _rows(ws_id)
    assert rows["a"].dismissed and not rows["a"].acted_on and rows["b"].acted_on

    await handler(InsightsState, "set_show_dismissed")(st, True)
    shown = {i.title: (i.dismissed, i.acted_on, i.new) for i in st.items}
    assert shown == {"Insight a": (True, False, False), "Insight b": (True, True, False),
                     "Insight c": (False, False, True)}
    assert st.total == 1 and st.new_count == 1

    # Acting on it again earns nothing more.
    await handler(InsightsState, "act_on")(st, ids["Insight b"])
    assert st.xp_total == "25" and "XP earned" not in st.notice

    # Another workspace's insight cannot be touched.
    _, other_ws, _ = auth.create_account("other@example.com", "password1", "Other", "UTC")
    _store(other_ws, draft("theirs"))
    theirs = _rows(other_ws)["theirs"].id
    await handler(InsightsState, "dismiss")(st, theirs)
    assert st.notice_error and not _rows(other_ws)["theirs"].dismissed


@pytest.mark.db
@pytest.mark.usefixtures("close_arq_pools")
async def test_viewers_read_and_dismiss_but_cannot_claim_xp(db, redis_url):
    ws_id, token = _artist(Role.viewer)
    _store(ws_id, draft("a"))
    st = await _page(token)
    assert not st.can_edit and len(st.items) == 1
    await handler(InsightsState, "act_on")(st, st.items[0].id)
    assert st.notice == "This needs the editor role; you are viewer." and st.notice_error
    assert st.xp_total == "0" and not _rows(ws_id)["a"].acted_on


@pytest.mark.db
@pytest.mark.usefixtures("close_arq_pools")
async def test_a_new_insight_arrives_live_and_expired_ones_leave(db, redis_url):
    ws_id, token = _artist()
    _store(ws_id, draft("a"))
    st = await _page(token)
    _store(ws_id, draft("b", "trend", "high"))
    await st._on_event({"kind": "insight", "added": 1})  # what the watcher does on the announcement
    assert [i.title for i in st.items] == ["Insight b", "Insight a"] and st.items[0].new
    assert _rows(ws_id)["b"].is_read  # shown, so read
    with dbmod.session() as s:
        s.exec(update(Insight).where(Insight.dedupe_key == "a").values(expires_at=dbmod.utcnow() - timedelta(1)))
    await st._on_event({"kind": "analysis"})
    assert [i.title for i in st.items] == ["Insight b"]
