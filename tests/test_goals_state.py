"""The goals page without a browser: what the form accepts and the message for what it does not
(nothing saved then), progress, pace and projection in words, edit, archive with confirmation,
viewers, the suggested first goal and the level card."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.models import Goal, Membership, Role, StoredForecast
from dreamsuite.services import auth
from dreamsuite.services.goals import suggest_target
from dreamsuite.services.scope import Scope
from dreamsuite.state.goals import (DEADLINE_HELP, TARGET_HELP, GoalsState, day, pace_text, parse_deadline,
                                    parse_target, projection_text, verdict)
from tests.helpers import figure_of
from tests.seed_metrics import seed_followers
from tests.test_state import handler, tab

# Registered in this context, as tests/test_state.py explains.
import dreamsuite.pages  # noqa: E402,F401

TODAY = date(2026, 3, 1)


# ------------------------------------------------------------------ pure helpers
@pytest.mark.parametrize("text,value", [
    ("10000", 10_000), ("10,000", 10_000), (" 10 000 ", 10_000), ("10k", 10_000), ("1.5m", 1_500_000),
    ("2.5K", 2_500), ("0", 0), ("-5", -5),
])
def test_targets_people_write(text, value):
    assert parse_target(text) == value


@pytest.mark.parametrize("text", ["", "lots", "10.5", "1e6", "10 followers", "1.2345k", "9" * 16, "k", "--1"])
def test_targets_that_are_not_whole_numbers(text):
    with pytest.raises(ValueError):
        parse_target(text)


def test_deadlines():
    assert parse_deadline("") is None and parse_deadline("  ") is None
    assert parse_deadline("2027-06-30") == date(2027, 6, 30)
    for bad in ("2027-02-30", "30/06/2027", "tomorrow", "275760-09-13", "2027-6-3"):
        with pytest.raises(ValueError):
            parse_deadline(bad)


def test_suggested_targets_are_round_and_above():
    assert [suggest_target(n) for n in (0, 40, 95, 950, 8_432, 9_500, 12_345, 240_000)] == \
           [100, 100, 200, 2_000, 10_000, 20_000, 20_000, 500_000]


def _progress(**kw):
    base = {"current": 8_000, "target": 10_000, "pct": 80.0, "remaining": 2_000, "on_track": None,
            "as_of": "2026-03-01", "days_left": None, "needed_per_day": None, "recent_per_day": 12.5}
    return {**base, **kw}


def test_pace_in_words():
    assert pace_text(_progress(needed_per_day=45.25, recent_per_day=38.0)) == \
        "Needs 45 a day to make the deadline; lately +38 a day."
    assert pace_text(_progress(recent_per_day=-3.5)) == "Lately -3.5 a day."
    assert pace_text(_progress(recent_per_day=None, needed_per_day=2.5)) == \
        "Needs 2.5 a day to make the deadline; not enough history yet for your recent pace (it takes a week)."
    assert pace_text(_progress(remaining=0)) == "" and pace_text(None) == ""


def _projection(expected=None, earliest=None, latest=None, by=None, reached=False):
    return {"expected_date": expected, "earliest": earliest, "latest": latest, "by_deadline": by, "level": 80,
            "reached": reached}


def test_projection_in_words_with_its_band_or_honestly_none():
    assert projection_text(_projection("2026-03-03", "2026-02-20", "2026-03-19"), "2026-05-30", TODAY) == \
        "Expected around 3 Mar (between 20 Feb and 19 Mar)."
    assert projection_text(_projection("2027-02-15", "2027-02-12", "2027-02-19"), "2027-03-30", TODAY) == \
        "Expected around 15 Feb 2027 (between 12 and 19 Feb 2027)."
    assert projection_text(_projection("2026-12-30", "2026-12-20", "2027-01-09"), "2027-03-30", TODAY) == \
        "Expected around 30 Dec (between 20 Dec and 9 Jan 2027)."
    assert projection_text(_projection("2027-01-03", "2026-12-20"), "2027-01-30", TODAY) == \
        "Expected around 3 Jan 2027 (as early as 20 Dec; at the slow end, not within the forecast)."
    assert projection_text(_projection(None, "2026-05-10"), "2026-05-30", TODAY) == \
        "Not within the forecast at the expected pace (it runs to 30 May); at the fast end of its band, around 10 May."
    assert projection_text(_projection(), "2026-05-30", TODAY) == \
        "Not within the forecast (it runs to 30 May): at the pace it sees, the target is further away."
    assert projection_text(None, None, TODAY).startswith("No forecast yet")
    assert projection_text(_projection(reached=True), "2026-05-30", TODAY) == ""


def test_deadline_verdicts():
    view = {"deadline": date(2026, 6, 1), "projection": _projection(by="unlikely"), "progress": _progress()}
    assert verdict(view, False, TODAY) == ("unlikely", "Unlikely by the deadline")
    assert verdict({**view, "projection": _projection(by="likely")}, False, TODAY) == \
        ("likely", "Likely by the deadline")
    assert verdict({**view, "projection": None, "progress": _progress(on_track=False)}, False, TODAY) == \
        ("behind", "Behind the pace it needs")
    assert verdict({**view, "deadline": date(2026, 2, 1)}, False, TODAY) == ("passed", "Deadline passed")
    assert verdict({**view, "deadline": None}, False, TODAY) == ("", "")
    assert verdict(view, True, TODAY) == ("achieved", "Achieved")


# ------------------------------------------------------------------ through the state
def _artist(role: Role = Role.owner) -> tuple[Scope, str]:
    user_id, ws_id, token = auth.create_account("me@example.com", "password1", "Me", "UTC")
    if role != Role.owner:
        with dbmod.session() as s:
            s.exec(update(Membership).where(Membership.user_id == user_id).values(role=role.value))
    return Scope(user_id, ws_id, role), token


def _numbers(scope: Scope, today: date) -> None:
    """Instagram growing 20 a day to 8,432 today, Spotify smaller; a stored Instagram forecast."""
    seed_followers(scope, "instagram", today, [8_432 - 20 * (59 - i) for i in range(60)])
    seed_followers(scope, "spotify", today, [1_000 + i for i in range(60)])
    points = [[(today + timedelta(days=d)).isoformat(), 8_432 + 20 * d, 8_432 + 12 * d, 8_432 + 28 * d]
              for d in range(1, 91)]
    with dbmod.session() as s:
        s.add(StoredForecast(workspace_id=scope.workspace_id, platform="instagram", metric="followers",
                             method="ets", level=80, points=points))


async def _page(token: str) -> GoalsState:
    st = tab(GoalsState, token, "/goals")
    await handler(GoalsState, "check_login")(st)
    await handler(GoalsState, "load")(st)
    return st


def _goals(workspace_id: int) -> list[Goal]:
    with dbmod.session() as s:
        return s.exec(select(Goal).where(Goal.workspace_id == workspace_id).order_by(Goal.id)).all()


@pytest.mark.db
@pytest.mark.usefixtures("close_arq_pools")
@pytest.mark.parametrize("target,deadline,message", [
    ("lots", "", TARGET_HELP),
    ("10.5", "", TARGET_HELP),
    ("", "", TARGET_HELP),
    ("0", "", "The target must be a whole number of followers, more than zero."),
    ("2,000,000,000", "", "The target must be a whole number of followers, more than zero."),
    ("10000", "30/06/2027", DEADLINE_HELP),
    ("10000", "2027-02-30", DEADLINE_HELP),
    ("10000", "2020-01-01", "The deadline must be a date after today (at most ten years ahead), or none."),
])
async def test_a_bad_goal_gets_a_clear_message_and_nothing_is_saved(db, redis_url, target, deadline, message):
    scope, token = _artist()
    _numbers(scope, dbmod.utcnow().date())
    st = await _page(token)
    st.new_platform, st.new_target, st.new_deadline = "instagram", target, deadline
    await handler(GoalsState, "create")(st)
    assert st.form_error == message and st.form_ok == ""
    assert _goals(scope.workspace_id) == [] and st.cards == []


@pytest.mark.db
@pytest.mark.usefixtures("close_arq_pools")
async def test_a_platform_that_is_not_connected_is_refused(db, redis_url):
    scope, token = _artist()
    _numbers(scope, dbmod.utcnow().date())
    st = await _page(token)
    assert [(c.value, c.label) for c in st.platforms] == [("all", "All platforms"), ("instagram", "Instagram"),
                                                           ("spotify", "Spotify")]
    st.new_platform, st.new_target = "youtube", "1000"  # not offered, but sent anyway
    await handler(GoalsState, "create")(st)
    assert st.form_error == "YouTube is not connected: connect it first, or set the goal for all platforms."
    assert _goals(scope.workspace_id) == []


@pytest.mark.db
@pytest.mark.usefixtures("close_arq_pools")
async def test_create_see_progress_and_projection_edit_and_archive(db, redis_url):
    scope, token = _artist()
    today = dbmod.utcnow().date()
    _numbers(scope, today)
    st = await _page(token)
    assert st.cards == [] and st.suggestion == "10,000 Instagram followers"
    assert st.suggestion_note == "You have 8,432 on Instagram, your biggest platform."
    handler(GoalsState, "use_suggestion")(st)
    assert (st.new_platform, st.new_target, st.new_deadline) == ("instagram", "10,000", "")
    st.new_deadline = (today + timedelta(days=30)).isoformat()
    await handler(GoalsState, "create")(st)
    assert st.form_error == "" and st.form_ok == "Goal saved." and st.new_target == ""

    [card] = st.cards
    assert card.where == "Instagram" and card.current == "8,432" and card.target == "10,000"
    assert card.pct == 84 and card.pct_label == "84.3%" and card.remaining == "1,568 to go"
    assert card.pace == "Needs 52 a day to make the deadline; lately +20 a day."
    # The stored forecast's mean gains 20 a day: 1,568 more on day 79; its band 28 and 12 a day.
    assert card.projection.startswith("Expected around ")
    expected = today + timedelta(days=79)
    # The band's low edge never gets there within the forecast's 90 days: said so.
    assert card.projection == (f"Expected around {day(expected, today)} (as early as "
                               f"{day(today + timedelta(days=56), today)}; at the slow end, not within the forecast).")
    assert (card.verdict, card.verdict_label) == ("unlikely", "Unlikely by the deadline")
    assert card.deadline == f"Deadline {day(today + timedelta(days=30), today)} · 30 days left"
    assert not card.achieved and len(figure_of(card.figure).data) == 5  # band (2), forecast, followers, target

    # Edit inline: a bad target keeps the goal as it was.
    handler(GoalsState, "start_edit")(st, card.id)
    assert (st.edit_id, st.edit_target) == (card.id, "10000")
    st.edit_target = "nine thousand"
    await handler(GoalsState, "save_edit")(st)
    assert st.edit_error == TARGET_HELP and _goals(scope.workspace_id)[0].target == 10_000
    st.edit_target, st.edit_deadline = "9000", ""
    await handler(GoalsState, "save_edit")(st)
    assert st.edit_error == "" and st.edit_id == 0
    [card] = st.cards
    assert card.target == "9,000" and card.deadline == "" and card.verdict == ""
    assert _goals(scope.workspace_id)[0].title == "9,000 Instagram followers"

    # Archive: asked first; "Keep it" keeps it.
    handler(GoalsState, "ask_archive")(st, card.id, card.title)
    assert st.confirm_id == card.id and st.confirm_title == "9,000 Instagram followers"
    handler(GoalsState, "cancel_archive")(st)
    assert st.confirm_id == 0 and len(st.cards) == 1
    handler(GoalsState, "ask_archive")(st, card.id, card.title)
    await handler(GoalsState, "archive")(st)
    assert st.cards == [] and st.form_ok == "Goal archived."
    assert _goals(scope.workspace_id)[0].archived


@pytest.mark.db
@pytest.mark.usefixtures("close_arq_pools")
async def test_a_reached_goal_and_one_on_every_platform(db, redis_url):
    scope, token = _artist()
    _numbers(scope, dbmod.utcnow().date())
    st = await _page(token)
    st.new_platform, st.new_target = "instagram", "8000"
    await handler(GoalsState, "create")(st)
    st.new_platform, st.new_target = "all", "20k"
    await handler(GoalsState, "create")(st)
    total, reached = st.cards  # newest first
    assert reached.achieved and reached.verdict_label == "Achieved" and reached.remaining == "" \
        and reached.projection == "" and reached.pace == ""
    assert total.where == "All platforms" and total.current == "9,491" and total.target == "20,000"
    # No forecast of every platform added up is stored yet: said so, not guessed.
    assert total.projection.startswith("No forecast yet")


@pytest.mark.db
@pytest.mark.usefixtures("close_arq_pools")
async def test_viewers_see_goals_but_cannot_change_them(db, redis_url):
    scope, token = _artist(Role.viewer)
    _numbers(scope, dbmod.utcnow().date())
    with dbmod.session() as s:
        s.add(Goal(workspace_id=scope.workspace_id, platform="instagram", target=9_000, title="9,000 Instagram"))
    st = await _page(token)
    assert not st.can_edit and len(st.cards) == 1
    st.new_platform, st.new_target = "instagram", "10000"
    await handler(GoalsState, "create")(st)
    assert st.form_error == "This needs the editor role; you are viewer."
    st.edit_id, st.edit_target = st.cards[0].id, "1"
    await handler(GoalsState, "save_edit")(st)
    assert st.edit_error == "This needs the editor role; you are viewer."
    handler(GoalsState, "ask_archive")(st, st.cards[0].id, "x")
    await handler(GoalsState, "archive")(st)
    assert st.form_error == "This needs the editor role; you are viewer."
    [goal] = _goals(scope.workspace_id)
    assert goal.target == 9_000 and not goal.archived


@pytest.mark.db
@pytest.mark.usefixtures("close_arq_pools")
async def test_no_numbers_yet_and_the_level_card(db, redis_url):
    from dreamsuite.services.xp import award

    scope, token = _artist()
    with dbmod.session() as s:
        award(s, scope.workspace_id, "connected_platform", "instagram:1", "Instagram")
        award(s, scope.workspace_id, "acted_on_insight", "insight:1", "Post a reel")
    st = await _page(token)
    assert st.cards == [] and st.suggestion == "" and st.loaded
    assert [(c.value) for c in st.platforms] == ["all"]
    assert (st.level, st.level_name, st.xp_total, st.xp_into, st.xp_for_next) == (2, "Bedroom Artist", "125", 25, 200)
    assert st.xp_pct == 12 and st.xp_to_next == "175 XP to level 3" and st.xp_progress == "25 of 200 XP"
    assert [(e.label, e.points, e.detail) for e in st.xp_events] == [
        ("Acted on an insight", "+25 XP", "Post a reel"), ("Connected a platform", "+100 XP", "Instagram")]
