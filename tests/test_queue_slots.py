"""Queue slots ("my usual posting times"): add, remove, one of each per workspace; suggestions
from the best-time analytics (only slots with enough posts); the next free slot across DST."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dreamsuite import db as dbmod
from dreamsuite.models import ContentPost, Role, ScheduledPost
from dreamsuite.services import calendar
from dreamsuite.services.queue_slots import SlotError
from dreamsuite.services.scope import AccessDenied, NotFound
from tests.helpers import add_member
from tests.seed_metrics import account, make_scope

pytestmark = pytest.mark.db
BERLIN = "Europe/Berlin"
TZ = ZoneInfo(BERLIN)


@pytest.fixture
def scope(db):
    return make_scope("Slot Artist", tz=BERLIN)


def test_slots_add_list_remove_and_one_of_each(scope):
    late = calendar.add_slot(scope, 1, 18 * 60)
    early = calendar.add_slot(scope, 1, 9 * 60 + 30)
    sunday = calendar.add_slot(scope, 6, 0)
    assert late["label"] == "Tuesday 18:00" and early["label"] == "Tuesday 09:30"
    assert [s["id"] for s in calendar.slots(scope)] == [early["id"], late["id"], sunday["id"]]

    with pytest.raises(SlotError, match="Tuesday 18:00 is already one of your posting times"):
        calendar.add_slot(scope, 1, 18 * 60)
    for weekday, minute, message in [(7, 0, "day of the week"), (-1, 0, "day of the week"),
                                     (0, 1440, "between 00:00 and 23:59"), (0, -5, "between 00:00"),
                                     ("1", 60, "day of the week"), (1, 60.5, "between 00:00")]:
        with pytest.raises(SlotError, match=message):
            calendar.add_slot(scope, weekday, minute)

    viewer = add_member(scope.workspace_id, "slot.viewer@example.com", Role.viewer)
    assert len(calendar.slots(viewer)) == 3  # viewers read
    with pytest.raises(AccessDenied):
        calendar.add_slot(viewer, 2, 60)
    with pytest.raises(AccessDenied):
        calendar.remove_slot(viewer, late["id"])

    other = make_scope("Other Slots", tz="UTC")
    assert calendar.slots(other) == []
    calendar.add_slot(other, 1, 18 * 60)  # the same time in another workspace is its own
    with pytest.raises(NotFound):
        calendar.remove_slot(other, late["id"])

    calendar.remove_slot(scope, late["id"])
    assert [s["label"] for s in calendar.slots(scope)] == ["Tuesday 09:30", "Sunday 00:00"]
    with pytest.raises(NotFound):
        calendar.remove_slot(scope, late["id"])
    calendar.add_slot(scope, 1, 18 * 60)  # removed, so it can be added again


def _seed_posts(scope, rows: list[tuple[datetime, int, int]]) -> None:
    conn = account(scope, "instagram")
    with dbmod.session() as s:
        for i, (at, likes, reach) in enumerate(rows):
            s.add(ContentPost(workspace_id=scope.workspace_id, connection_id=conn, platform="instagram",
                              platform_post_id=f"p{i}", posted_at=at.astimezone(UTC), likes=likes, reach=reach))


def test_suggested_slots_are_the_best_well_evidenced_hours(scope):
    assert calendar.suggested_slots(scope) == {"timezone": BERLIN, "posts": 0, "slots": [],
                                                "reason": "No posts in the last 90 days to learn from yet."}
    rng = random.Random(7)
    today = datetime.now(TZ).date()
    rows: list[tuple[datetime, int, int]] = []
    # Posts at a handful of local hours over ten weeks, with rates that differ by hour.
    for week in range(1, 11):
        for weekday, hour in [(1, 18), (3, 9), (4, 20), (5, 12)]:
            day = today - timedelta(days=7 * week + (today.weekday() - weekday) % 7)
            rows.append((datetime(day.year, day.month, day.day, hour, rng.randrange(60), tzinfo=TZ),
                         rng.randrange(50, 400), 1000))
    # Two superb posts on Sunday 08:00: too few to trust, never suggested over the others.
    for week in (1, 2):
        day = today - timedelta(days=7 * week + (today.weekday() - 6) % 7)
        rows.append((datetime(day.year, day.month, day.day, 8, 5, tzinfo=TZ), 990, 1000))
    _seed_posts(scope, rows)

    # The expected ranking, computed here from the rows themselves.
    by_slot: dict[tuple[int, int], list[float]] = defaultdict(list)
    for at, likes, reach in rows:
        by_slot[(at.weekday(), at.hour)].append(likes / reach * 100)
    ranked = sorted(((sum(r) / len(r), k) for k, r in by_slot.items() if len(r) >= 3), reverse=True)

    got = calendar.suggested_slots(scope, n=3)
    assert got["reason"] == "" and got["posts"] == len(rows)
    assert [(s["weekday"], s["hour"]) for s in got["slots"]] == [k for _, k in ranked[:3]]
    best_rate, (weekday, hour) = ranked[0]
    assert got["slots"][0]["avg_rate"] == pytest.approx(best_rate, abs=0.01)
    assert got["slots"][0]["minute"] == hour * 60 and got["slots"][0]["added"] is False
    assert (6, 8) not in [(s["weekday"], s["hour"]) for s in calendar.suggested_slots(scope, n=10)["slots"]]

    calendar.add_slot(scope, weekday, hour * 60)
    assert calendar.suggested_slots(scope, n=1)["slots"][0]["added"] is True


def test_too_few_posts_suggest_nothing_and_say_why(scope):
    day = datetime.now(TZ) - timedelta(days=3)
    _seed_posts(scope, [(day, 100, 1000), (day + timedelta(minutes=5), 120, 1000)])
    got = calendar.suggested_slots(scope)
    assert got["slots"] == []
    assert "Not enough posts yet" in got["reason"] and "2 posts in the last 90 days" in got["reason"]


def test_next_free_slot_skips_taken_times_and_the_dst_gap(scope):
    assert calendar.next_free_slot(scope) is None  # no posting times yet

    year = datetime.now(TZ).year + 1
    march_end = date(year, 3, 31)
    spring = march_end - timedelta(days=(march_end.weekday() - 6) % 7)  # clocks go forward at 02:00
    calendar.add_slot(scope, 6, 2 * 60 + 30)  # Sundays 02:30: not there on that Sunday
    calendar.add_slot(scope, 6, 18 * 60)  # Sundays 18:00
    after = datetime.combine(spring - timedelta(days=1), datetime.min.time(), tzinfo=TZ)

    got = calendar.next_free_slot(scope, after)
    assert got["local"] == datetime(year, 3, spring.day, 18, 0)
    assert got["at"] == datetime(year, 3, spring.day, 16, 0, tzinfo=UTC)  # CEST, UTC+2
    assert got["label"] == f"Sunday {spring.day} Mar {year}, 18:00" and got["timezone"] == BERLIN

    # Taken by a post: the next free one is a week later, at 02:30 (which exists again).
    with dbmod.session() as s:
        s.add(ScheduledPost(workspace_id=scope.workspace_id, content="taken", scheduled_at=got["at"],
                            timezone=BERLIN))
    nxt = calendar.next_free_slot(scope, after)
    assert nxt["local"] == datetime(year, 3, spring.day, 18, 0) + timedelta(days=6, hours=8, minutes=30)
    # A cancelled post leaves its slot free.
    with dbmod.session() as s:
        for p in s.exec(ScheduledPost.__table__.select()).all():
            s.get(ScheduledPost, p.id).status = "cancelled"
    assert calendar.next_free_slot(scope, after)["at"] == got["at"]
