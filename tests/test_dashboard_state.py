"""The dashboard's state without a browser: every date a range input can send, presets, the
platform toggles kept across ranges, the empty states, insights read / dismissed / acted on,
and links only to web addresses."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dreamsuite import db as dbmod
from dreamsuite.models import Insight, Role, SyncRun
from dreamsuite.services import auth
from dreamsuite.services.dashboard import DashboardData, MAX_DAYS
from dreamsuite.services.scope import Scope
from dreamsuite.state import dashboard_view as view
from dreamsuite.state.dashboard_range import (CUSTOM, DEFAULT_PRESET, Choice, custom_choice, forecast_days,
                                              preset_choice, range_words)
from tests.seed_metrics import account, seed_followers, seed_post
from tests.helpers import figure_of
from tests.test_state import handler, tab

import dreamsuite.pages  # noqa: E402,F401  (registers the states in this context)

TODAY = date(2026, 11, 20)


# ------------------------------------------------------------------ ranges (pure)
@pytest.mark.parametrize("start,end,words", [
    ("", "2026-11-01", "Pick both a start date and an end date."),
    ("2026-11-01", "  ", "Pick both a start date and an end date."),
    ("yesterday", "2026-11-01", "The start date is not a real date"),
    ("2026-11-01", "2026-02-30", "The end date is not a real date"),
    ("275760-09-13", "2026-11-01", "The start date is not a real date"),  # Chrome's last date
    ("<script>", "11/01/2026", "Neither date is a real date"),
    ("2026-11-10", "2026-11-01", "The start date (10 Nov 2026) is after the end date (1 Nov 2026): swap them."),
    ("2026-11-01", "2026-11-21", "The end date is in the future: your numbers go up to today (20 Nov 2026)"),
    ("2026-11-21", "2026-11-30", "Both dates are in the future"),
    ("0001-01-01", "2026-11-01", "Your numbers start in 2000 at the earliest"),
    ("2000-01-01", "2026-11-01", "A range can span 10 years at most"),
])
def test_every_bad_range_gets_a_clear_message(start, end, words):
    got = custom_choice(start, end, TODAY)
    assert isinstance(got, str) and words in got


def test_good_custom_ranges_and_presets():
    assert custom_choice("2026-11-01", "2026-11-20", TODAY) == Choice(CUSTOM, 20, date(2026, 11, 1), TODAY)
    assert custom_choice(" 2026-11-20 ", "2026-11-20", TODAY) == Choice(CUSTOM, 1, TODAY, TODAY)  # one day
    first = TODAY - timedelta(days=MAX_DAYS - 1)
    assert custom_choice(first.isoformat(), TODAY.isoformat(), TODAY).days == MAX_DAYS
    assert preset_choice("7d") == Choice("7d", 7) and preset_choice("12m").days == 365
    assert preset_choice("all").days == MAX_DAYS
    assert preset_choice("'; drop table") == preset_choice(DEFAULT_PRESET)  # a tampered event: the default
    assert [forecast_days(n) for n in (1, 7, 30, 90, 365, MAX_DAYS)] == [7, 7, 10, 30, 90, 90]
    assert range_words("2026-08-23", "2026-11-20", "90d") == "23 Aug – 20 Nov 2026 (90 days)"
    assert range_words("2025-12-01", "2026-01-01", CUSTOM) == "1 Dec 2025 – 1 Jan 2026 (32 days)"
    assert range_words("2016-11-23", "2026-11-20", "all", "2026-02-01") == "1 Feb 2026 – 20 Nov 2026 (all your history)"


# ------------------------------------------------------------------ rows (pure)
def test_post_cards_link_only_to_web_addresses_and_keep_captions_as_text():
    post = {"id": 1, "platform": "instagram", "type": "reel", "posted_at": "2026-11-19T22:30:00+00:00",
            "interactions": 1234, "rate": 5.25, "basis": "reach"}
    d = DashboardData(top_posts=[
        {**post, "caption": "<img src=x onerror=alert(1)> **bold**", "url": "javascript:alert(1)",
         "thumbnail": "http://insecure.example/t.jpg"},
        {**post, "id": 2, "caption": "ok", "url": "https://instagram.com/p/abc", "thumbnail": "https://cdn/t.jpg"},
    ])
    bad, good = view.post_cards(d, "Europe/Paris")
    assert bad.url == "" and bad.thumbnail == "" and bad.caption == "<img src=x onerror=alert(1)> **bold**"
    assert good.url == "https://instagram.com/p/abc" and good.thumbnail == "https://cdn/t.jpg"
    assert good.when == "19 Nov 2026, 23:30"  # the user's timezone
    assert good.rate == "5.2% of reach" and good.interactions == "1,234 interactions" and good.kind == "Reel"


def test_growth_forecast_is_cut_to_the_range_and_the_total_is_not_a_line():
    days = [(date(2026, 11, 1) + timedelta(days=i)).isoformat() for i in range(30)]
    ahead = [((date(2026, 12, 1) + timedelta(days=i)).isoformat(), 100.0 + i, 90.0, 110.0 + i) for i in range(90)]
    d = DashboardData(has_data=True, start=days[0], end=days[-1], as_of=days[-1],
                      series={"instagram": [(x, 100) for x in days], "youtube": [(x, 50) for x in days]},
                      forecasts={"instagram": ahead, "all": ahead})
    fig = figure_of(view.growth(d, hidden=["youtube"]))
    names = [t.name for t in fig.data]
    assert "Instagram forecast" in names and not any(n.startswith("All") for n in names)
    mean = next(t for t in fig.data if t.name == "Instagram forecast")
    assert len(mean.x) == forecast_days(30) == 10
    assert next(t for t in fig.data if t.name == "YouTube").visible == "legendonly"
    assert "Every platform is hidden" in figure_of(view.growth(d, ["youtube", "instagram"])).layout.annotations[0].text


def test_basis_and_priority_words():
    assert view.basis_words("reach", 3) == "interactions ÷ reach, average of 3 posts"
    assert "followers (no reach given)" in view.basis_words("followers", 1)
    assert view.basis_words(None, 0) == "no posts in this range"
    rows = view.insight_rows([{"id": 1, "priority": "urgent", "title": "t", "message": "m", "actions": ["a"],
                               "is_read": False, "created_at": None}], "UTC")
    assert rows[0].priority_color == "red" and rows[0].unread and rows[0].actions == ["a"]


# ------------------------------------------------------------------ the state
async def _dashboard(token: str):
    from dreamsuite.state.dashboard import DashboardState

    st = tab(DashboardState, token)
    await handler(DashboardState, "check_login")(st)
    return st, DashboardState


async def _run(gen) -> None:
    async for _ in gen:
        pass


def _artist(email: str = "me@example.com", role: Role = Role.owner):
    user_id, workspace_id, token = auth.create_account(email, "password1", "Me", "UTC")
    return Scope(user_id=user_id, workspace_id=workspace_id, role=role), token


@pytest.mark.db
@pytest.mark.usefixtures("close_arq_pools")
async def test_empty_states_guide(db, redis_url):
    scope, token = _artist()
    st, cls = await _dashboard(token)
    await handler(cls, "load")(st)
    assert st.loaded and not st.has_data and not st.has_connections  # → "Connect a platform"

    cid = account(scope, "instagram")
    await handler(cls, "load")(st)
    assert st.has_connections and not st.has_data
    assert [(r.label, r.running) for r in st.setup] == [("Instagram (@main)", True)]
    assert "waiting for a worker" in st.setup[0].words
    with dbmod.session() as s:
        s.add(SyncRun(workspace_id=scope.workspace_id, connection_id=cid))
    await handler(cls, "load")(st)
    assert st.setup[0].words == "collecting your numbers…"


@pytest.mark.db
@pytest.mark.usefixtures("close_arq_pools")
async def test_ranges_toggles_and_bad_dates(db, redis_url):
    scope, token = _artist()
    end = dbmod.utcnow().date()
    seed_followers(scope, "instagram", end, [1000 + 10 * i for i in range(120)])
    seed_followers(scope, "youtube", end, [500 + i for i in range(120)])
    seed_post(scope, "instagram", "p1", end - timedelta(days=3), likes=10, reach=200)
    seed_post(scope, "youtube", "p2", end - timedelta(days=60), likes=30, caption="older video")
    st, cls = await _dashboard(token)
    await handler(cls, "load")(st)
    assert st.has_data and st.preset == DEFAULT_PRESET and "(90 days)" in st.range_label
    assert st.stats.followers == f"{2190 + 619:,}" and st.stats.posts == "2"
    assert [(p.platform, p.href) for p in st.platforms] == [("instagram", "/platforms/instagram"),
                                                            ("youtube", "/platforms/youtube")]
    assert [c.platform for c in st.chips] == ["instagram", "youtube"] and all(c.on for c in st.chips)

    await handler(cls, "toggle_platform")(st, "youtube")
    assert st.hidden == ["youtube"] and [c.on for c in st.chips] == [True, False]
    assert next(t for t in figure_of(st.growth_fig).data if t.name == "YouTube").visible == "legendonly"

    await _run(handler(cls, "set_preset")(st, "7d"))
    assert st.preset == "7d" and "(7 days)" in st.range_label and st.stats.posts == "1"
    assert st.hidden == ["youtube"], "the toggle survives a new range"
    assert next(t for t in figure_of(st.growth_fig).data if t.name == "YouTube").visible == "legendonly"
    assert len(next(t for t in figure_of(st.growth_fig).data if t.name == "Instagram").x) == 7
    assert st.custom_from == (end - timedelta(days=6)).isoformat() and st.custom_to == end.isoformat()

    before = (st.range_label, figure_of(st.growth_fig).to_json())
    for start, stop in [("2026-13-01", end.isoformat()), (end.isoformat(), (end - timedelta(days=1)).isoformat()),
                        (end.isoformat(), (end + timedelta(days=1)).isoformat())]:
        handler(cls, "set_custom_from")(st, start)
        handler(cls, "set_custom_to")(st, stop)
        await _run(handler(cls, "apply_custom")(st, {}))
        assert st.range_error and st.preset == "7d"
        assert (st.range_label, figure_of(st.growth_fig).to_json()) == before  # nothing else moved

    handler(cls, "set_custom_from")(st, (end - timedelta(days=70)).isoformat())
    handler(cls, "set_custom_to")(st, (end - timedelta(days=50)).isoformat())
    assert st.range_error == ""
    await _run(handler(cls, "apply_custom")(st, {}))
    assert st.preset == CUSTOM and "(21 days)" in st.range_label and st.stats.posts == "1"
    assert st.posts[0].caption == "older video"
    assert "No forecast" in st.forecast_note  # the range ends before the latest day

    # A range before any numbers: the charts say so in words.
    handler(cls, "set_custom_from")(st, "2001-01-01")
    handler(cls, "set_custom_to")(st, "2001-01-31")
    await _run(handler(cls, "apply_custom")(st, {}))
    assert figure_of(st.growth_fig).data == () and "No follower numbers between" in figure_of(st.growth_fig).layout.annotations[0].text
    assert "No posts between" in figure_of(st.engagement_fig).layout.annotations[0].text


def _insight(workspace_id: int, title: str, priority: str = "medium") -> int:
    with dbmod.session() as s:
        row = Insight(workspace_id=workspace_id, type="growth", priority=priority, title=title, message="m",
                      actions=["do it"], dedupe_key=title, expires_at=dbmod.utcnow() + timedelta(days=7))
        s.add(row)
        s.flush()
        return row.id


@pytest.mark.db
@pytest.mark.usefixtures("close_arq_pools")
async def test_insights_read_dismissed_and_acted_on(db, redis_url):
    scope, token = _artist()
    seed_followers(scope, "instagram", dbmod.utcnow().date(), [100, 110])
    ids = [_insight(scope.workspace_id, f"Finding {n}", p) for n, p in enumerate(["low", "urgent", "medium"])]
    for n in range(3, 7):
        _insight(scope.workspace_id, f"Finding {n}", "low")
    st, cls = await _dashboard(token)
    await handler(cls, "load")(st)
    assert len(st.insights) == 5 and st.insights[0].title == "Finding 1"  # the most urgent first
    assert st.level.title == "Level 1"

    await handler(cls, "mark_read")(st, ids[1])
    assert not st.insights[0].unread
    await handler(cls, "dismiss")(st, ids[1])
    assert ids[1] not in [i.id for i in st.insights]
    await handler(cls, "act_on")(st, ids[2])
    assert ids[2] not in [i.id for i in st.insights] and st.level.words.endswith("XP in all")
    assert "0 XP in all" not in st.level.words  # acting on an insight earned XP
    await handler(cls, "load")(st)  # stays gone after a reload
    assert not {ids[1], ids[2]} & {i.id for i in st.insights}

    # Someone else's insight id: nothing happens to it, and the panel says so.
    other, _ = _artist("other@example.com")
    foreign = _insight(other.workspace_id, "Theirs")
    await handler(cls, "dismiss")(st, foreign)
    assert st.action_error
    with dbmod.session() as s:
        assert s.get(Insight, foreign).dismissed is False
