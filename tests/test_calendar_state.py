"""The calendar page without a browser: it opens on the date in its URL, a drop onto a day keeps
the post's time of day, a drop onto a time that happens twice asks which one, a refusal says
why, viewers cannot move, posting times reject a bad time in words, cancel after the question."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dreamsuite import db as dbmod
from dreamsuite.models import Role, ScheduledPost
from dreamsuite.services import auth
from dreamsuite.services.scope import Scope
from dreamsuite.state.calendar import CalendarState
from tests.helpers import add_member
from tests.seed_metrics import account
from tests.test_calendar import add_post, last_sunday
from tests.test_state import handler, tab

# Registered in this context, as tests/test_state.py explains.
import dreamsuite.pages  # noqa: E402,F401

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def artist(db, redis_url):
    user_id, ws_id, token = auth.create_account("cal@example.com", "password1", "Cal", "Europe/Paris")
    scope = Scope(user_id, ws_id, Role.owner)
    return scope, token, account(scope, "sandbox")


async def _open(token: str, query: dict) -> CalendarState:
    st = tab(CalendarState, token, "/calendar", query)
    await handler(CalendarState, "check_login")(st)
    await handler(CalendarState, "load")(st)
    return st


def _chips(st: CalendarState) -> dict[str, list[tuple[int, str]]]:
    return {d.iso: [(c.id, c.time) for c in d.chips] for d in st.days if d.chips}


async def test_drop_on_a_day_keeps_the_time_and_a_refusal_says_why(artist):
    scope, token, conn = artist
    day = datetime.now(PARIS).date() + timedelta(days=10)
    post_id, _ = add_post(scope, datetime(day.year, day.month, day.day, 9, 45, tzinfo=PARIS), [conn])
    st = await _open(token, {"date": day.isoformat()})
    assert st.view == "month" and st.timezone == "Europe/Paris" and st.title == f"{day:%B %Y}"
    assert _chips(st)[day.isoformat()] == [(post_id, "09:45")]

    target = day + timedelta(days=1)
    handler(CalendarState, "drag_start")(st, post_id)
    await handler(CalendarState, "drop_day")(st, target.isoformat())
    assert st.notice.startswith(f"Moved to {target:%A} {target.day} {target:%B}, 09:45") and not st.notice_error
    with dbmod.session() as s:
        assert s.get(ScheduledPost, post_id).scheduled_at == \
            datetime(target.year, target.month, target.day, 9, 45, tzinfo=PARIS).astimezone(UTC)

    # A drop with no drag started does nothing; one onto the past is refused in words.
    await handler(CalendarState, "drop_day")(st, target.isoformat())
    handler(CalendarState, "drag_start")(st, post_id)
    await handler(CalendarState, "drop_hour")(st, (date.today() - timedelta(days=2)).isoformat(), 10)
    assert st.notice_error and "already passed" in st.notice

    # The week view: the post in its hour.
    await handler(CalendarState, "show")(st, "week")
    assert st.days == [] and len(st.hours) == 24
    if target in {date.fromisoformat(h.iso) for h in st.heads}:
        cell = next(c for c in st.hours[9].cells if c.iso == target.isoformat())
        assert [c.id for c in cell.chips] == [post_id]


async def test_a_time_that_happens_twice_is_asked_about(artist):
    scope, token, conn = artist
    year = datetime.now(PARIS).year + 1
    autumn = last_sunday(year, 10)
    post_id, _ = add_post(scope, datetime(year, 10, autumn.day - 2, 2, 30, tzinfo=PARIS), [conn])
    st = await _open(token, {"date": autumn.isoformat()})
    handler(CalendarState, "drag_start")(st, post_id)
    await handler(CalendarState, "drop_day")(st, autumn.isoformat())
    assert st.open_id == post_id and "happens twice" in st.move_error
    assert [c.fold for c in st.time_choices] == ["0", "1"]
    await handler(CalendarState, "move_post")(st, "1")
    assert st.open_id == 0 and "02:30" in st.notice
    with dbmod.session() as s:
        assert s.get(ScheduledPost, post_id).scheduled_at == datetime(year, 10, autumn.day, 1, 30, tzinfo=UTC)


async def test_viewers_read_but_cannot_move_cancel_or_add_times(artist):
    scope, _, conn = artist
    day = datetime.now(PARIS).date() + timedelta(days=5)
    post_id, _ = add_post(scope, datetime(day.year, day.month, day.day, 12, tzinfo=PARIS), [conn])
    viewer = add_member(scope.workspace_id, "viewer@example.com", Role.viewer)
    st = await _open(auth.new_session(viewer.user_id), {"date": day.isoformat()})
    assert not st.can_edit and _chips(st)[day.isoformat()] == [(post_id, "12:00")]
    handler(CalendarState, "drag_start")(st, post_id)
    await handler(CalendarState, "drop_day")(st, (day + timedelta(days=1)).isoformat())
    assert st.notice_error and "editor" in st.notice
    await handler(CalendarState, "add_slot")(st)
    assert "editor" in st.slot_error and st.slots == []


async def test_posting_times_and_cancel_from_the_dialog(artist):
    scope, token, conn = artist
    day = datetime.now(PARIS).date() + timedelta(days=4)
    post_id, _ = add_post(scope, datetime(day.year, day.month, day.day, 20, tzinfo=PARIS), [conn])
    st = await _open(token, {"date": day.isoformat(), "view": "week"})
    assert st.view == "week"

    handler(CalendarState, "set_new_day")(st, "4")
    handler(CalendarState, "set_new_time")(st, "noon")
    await handler(CalendarState, "add_slot")(st)
    assert st.slot_error == "Write the time as hours and minutes, like 18:00." and st.slots == []
    handler(CalendarState, "set_new_time")(st, "19:30")
    await handler(CalendarState, "add_slot")(st)
    assert [s.label for s in st.slots] == ["Friday 19:30"] and st.slot_error == ""
    assert st.suggestions == [] and st.suggestion_reason.startswith("No posts in the last 90 days")
    await handler(CalendarState, "remove_slot")(st, st.slots[0].id)
    assert st.slots == []

    await handler(CalendarState, "open_post")(st, post_id)
    assert st.open_id == post_id and st.d_cancellable and st.d_movable
    assert [d.label for d in st.d_dests] == ["scheduled"] and "20:00 (Europe/Paris)" in st.d_when
    handler(CalendarState, "ask_cancel")(st)
    assert st.confirm_cancel
    await handler(CalendarState, "cancel_post")(st)
    assert st.open_id == 0 and st.notice == "Post cancelled."
    assert all(not c.chips for r in st.hours for c in r.cells)  # cancelled posts are not shown
