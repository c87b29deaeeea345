"""The publishing calendar's service: posts by day in the workspace's timezone (across DST),
moving a post (re-enqueued under the new due time, the old job neutralised), the refusals, and
cancelling — on SQLite and PostgreSQL, with a real Redis."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from dreamsuite import db as dbmod, queue
from dreamsuite.models import PostDestination, Role, ScheduledPost
from dreamsuite.services import calendar, publish_run
from dreamsuite.services.publish import AmbiguousTime, PublishValidationError
from dreamsuite.services.scope import AccessDenied, NotFound
from tests.helpers import add_member
from tests.seed_metrics import account, make_scope

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]
BERLIN = "Europe/Berlin"
TZ = ZoneInfo(BERLIN)


def last_sunday(year: int, month: int) -> date:
    d = date(year, month, 28)
    while d.month == month:
        d += timedelta(days=1)
    d -= timedelta(days=1)
    return d - timedelta(days=(d.weekday() - 6) % 7)


def add_post(scope, at: datetime, connections: list[int], status: str = "scheduled",
             dest_statuses: list[str] | None = None, content: str = "New single out Friday") -> tuple[int, list[int]]:
    """A post at `at` (aware) with one destination per connection, written as the composer would."""
    with dbmod.session() as s:
        post = ScheduledPost(workspace_id=scope.workspace_id, author_id=scope.user_id, content=content,
                             scheduled_at=at.astimezone(UTC), timezone=BERLIN, status=status)
        s.add(post)
        s.flush()
        dests = [PostDestination(workspace_id=scope.workspace_id, post_id=post.id, connection_id=cid,
                                 status=(dest_statuses or ["pending"] * len(connections))[i])
                 for i, cid in enumerate(connections)]
        s.add_all(dests)
        s.flush()
        return post.id, [d.id for d in dests]


def berlin(y, m, d, hh, mm=0, fold=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ, fold=fold)


def local_in(days: float = 0, hours: float = 0) -> datetime:
    """A Berlin wall-clock time from now, on the minute (naive, as a form sends it)."""
    return (datetime.now(TZ) + timedelta(days=days, hours=hours)).replace(tzinfo=None, second=0, microsecond=0)


@pytest.fixture
def ws(db, redis_url):
    scope = make_scope("Calendar Artist", tz=BERLIN)
    return scope, account(scope, "instagram"), account(scope, "x")


async def _zset() -> dict[str, float]:
    p = await queue.pool()
    return {k.decode(): v for k, v in await p.zrange(queue.QUEUE_NAME, 0, -1, withscores=True)}


# ------------------------------------------------------------------ reading
def test_month_and_week_place_posts_on_their_local_day_across_the_dst_change(ws):
    scope, ig, x = ws
    year = 2030
    sunday = last_sunday(year, 10)  # clocks go back at 03:00 CEST → 02:00 CET
    nine, _ = add_post(scope, berlin(year, 10, sunday.day, 9), [ig])
    saturday_late, _ = add_post(scope, berlin(year, 10, sunday.day - 1, 23, 30), [x])
    first_230, _ = add_post(scope, berlin(year, 10, sunday.day, 2, 30, fold=0), [ig])
    second_230, _ = add_post(scope, berlin(year, 10, sunday.day, 2, 30, fold=1), [ig])
    # 23:59 on 31 Oct (Berlin) is in October; 00:00 on 1 Nov in Berlin is still 31 Oct in UTC.
    oct_end, _ = add_post(scope, berlin(year, 10, 31, 23, 59), [ig])
    nov_first, _ = add_post(scope, berlin(year, 11, 1, 0, 0), [ig])
    cancelled, _ = add_post(scope, berlin(year, 10, 10, 12), [ig], status="cancelled", dest_statuses=["cancelled"])

    got = calendar.month(scope, year, 10)
    assert got["timezone"] == BERLIN
    by_id = {p["id"]: p for p in got["posts"]}
    assert (by_id[nine]["date"], by_id[nine]["time"]) == (sunday, "09:00")
    assert by_id[nine]["at"] == datetime(year, 10, sunday.day, 8, 0, tzinfo=UTC)  # CET, UTC+1
    assert (by_id[saturday_late]["date"], by_id[saturday_late]["time"]) == (sunday - timedelta(days=1), "23:30")
    assert by_id[saturday_late]["platforms"] == ["x"] and by_id[nine]["platforms"] == ["instagram"]
    # The hour that happens twice: both posts on that Sunday at 02:30, an hour apart in UTC.
    assert by_id[first_230]["time"] == by_id[second_230]["time"] == "02:30"
    assert by_id[second_230]["at"] - by_id[first_230]["at"] == timedelta(hours=1)
    assert by_id[oct_end]["date"] == date(year, 10, 31)
    # The grid runs in whole weeks: 1 Nov 2030 (a Friday) is shown, on its own day.
    assert got["last"].weekday() == 6 and got["first"].weekday() == 0
    assert by_id[nov_first]["date"] == date(year, 11, 1)
    assert cancelled not in by_id  # shown only when asked for
    assert [p["id"] for p in got["posts"]] == sorted(by_id, key=lambda i: by_id[i]["at"])

    # Only October's days when the grid is not wanted: a month's last local minute is in, the
    # next month's first is out.
    only_oct = calendar.between(scope, date(year, 10, 1), date(year, 10, 31))
    assert oct_end in {p["id"] for p in only_oct["posts"]}
    assert nov_first not in {p["id"] for p in only_oct["posts"]}

    wk = calendar.week(scope, sunday - timedelta(days=6))
    assert (wk["first"], wk["last"]) == (sunday - timedelta(days=6), sunday)
    assert {p["id"] for p in wk["posts"]} == {nine, saturday_late, first_230, second_230}
    # Any day of the week stands for its week.
    assert calendar.week(scope, sunday)["first"] == sunday - timedelta(days=6)

    # Filters: platform and status.
    assert {p["id"] for p in calendar.week(scope, sunday, platforms=["x"])["posts"]} == {saturday_late}
    assert {p["id"] for p in calendar.month(scope, year, 10, statuses=["cancelled"])["posts"]} == {cancelled}
    with pytest.raises(Exception, match="Unknown status"):
        calendar.month(scope, year, 10, statuses=["bogus"])
    with pytest.raises(Exception, match="month between 1 and 12"):
        calendar.month(scope, year, 13)


def test_calendar_reads_only_its_own_workspace(ws):
    scope, ig, _ = ws
    other = make_scope("Other Artist", tz="UTC")
    mine, _ = add_post(scope, berlin(2030, 5, 6, 12), [ig])
    add_post(other, berlin(2030, 5, 6, 12), [account(other, "instagram")])
    assert [p["id"] for p in calendar.month(scope, 2030, 5)["posts"]] == [mine]
    with pytest.raises(NotFound):
        calendar.detail(other, mine)


# ------------------------------------------------------------------ moving
async def test_reschedule_reenqueues_under_the_new_time_and_the_old_job_skips(ws, monkeypatch):
    scope, ig, x = ws
    old = (datetime.now(UTC) + timedelta(hours=2)).replace(second=0, microsecond=0)
    post_id, dests = add_post(scope, old, [ig, x])
    for d in dests:
        await queue.enqueue_publish(d, old)
    new_local = local_in(days=1, hours=3)

    moved = await calendar.reschedule(scope, post_id, new_local)

    new_utc = new_local.replace(tzinfo=TZ).astimezone(UTC)
    assert moved.new == new_utc and moved.local == new_local
    with dbmod.session() as s:
        assert s.get(ScheduledPost, post_id).scheduled_at == new_utc
    jobs = await _zset()
    for d in dests:
        assert jobs[queue.publish_job_id(d, 0, new_utc)] == pytest.approx(new_utc.timestamp() * 1000, abs=1000)
        assert queue.publish_job_id(d, 0, old) not in jobs  # removed from the queue

    # Had the old job still fired at the old time, it finds the post not due and skips it.
    monkeypatch.setattr(dbmod, "utcnow", lambda: old + timedelta(seconds=1))
    for d in dests:
        assert await publish_run.publish_destination(d) == "skipped"
    with dbmod.session() as s:
        assert {r.status for r in s.exec(select(PostDestination).where(PostDestination.post_id == post_id))} \
            == {"pending"}
        assert s.get(ScheduledPost, post_id).status == "scheduled"


async def test_reschedule_is_stored_when_redis_is_down(ws, monkeypatch):
    scope, ig, _ = ws
    post_id, _ = add_post(scope, datetime.now(UTC) + timedelta(hours=2), [ig])

    async def down(*_a, **_k):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(queue, "enqueue_publish", down)
    new_local = local_in(days=2)
    moved = await calendar.reschedule(scope, post_id, new_local)
    with dbmod.session() as s:
        assert s.get(ScheduledPost, post_id).scheduled_at == moved.new == new_local.replace(tzinfo=TZ).astimezone(UTC)


async def test_a_draft_moves_without_a_job(ws):
    scope, ig, _ = ws
    post_id, _ = add_post(scope, datetime.now(UTC) + timedelta(days=3), [ig], status="draft")
    moved = await calendar.reschedule(scope, post_id, local_in(days=4))
    assert moved.jobs == () and await _zset() == {}


@pytest.mark.parametrize("case,message", [
    ("published", "already been published"),
    ("partly", "being published right now"),
    ("partially_failed", "gone out to some accounts"),
    ("unconfirmed", "may already be live"),
    ("claimed", "already gone out or is going out"),
    ("due_now", "due to go out now"),
    ("past", "already passed"),
    ("too_far", "two years ahead"),
])
async def test_reschedule_refusals_leave_the_post_as_it_was(ws, case, message):
    scope, ig, x = ws
    at = datetime.now(UTC) + timedelta(hours=5)
    status, dest_statuses, when = "scheduled", ["pending", "pending"], local_in(days=1)
    if case == "published":
        status, dest_statuses = "published", ["published", "published"]
    elif case == "partly":  # one account done, the other still to go: the post is publishing
        status, dest_statuses = "publishing", ["published", "pending"]
    elif case == "partially_failed":
        status, dest_statuses = "partially_failed", ["published", "failed"]
    elif case == "unconfirmed":
        status, dest_statuses = "unconfirmed", ["unconfirmed", "published"]
    elif case == "claimed":  # a worker claimed one before the post's status caught up
        dest_statuses = ["publishing", "pending"]
    elif case == "due_now":
        at = datetime.now(UTC) + timedelta(seconds=20)
    elif case == "past":
        when = local_in(hours=-1)
    elif case == "too_far":
        when = local_in(days=800)
    post_id, _ = add_post(scope, at, [ig, x], status=status, dest_statuses=dest_statuses)
    with dbmod.session() as s:
        before = s.get(ScheduledPost, post_id).scheduled_at
    with pytest.raises(calendar.MoveRefused, match=message):
        await calendar.reschedule(scope, post_id, when)
    with dbmod.session() as s:
        assert s.get(ScheduledPost, post_id).scheduled_at == before
    assert await _zset() == {}


async def test_reschedule_checks_role_workspace_and_dst(ws):
    scope, ig, _ = ws
    post_id, _ = add_post(scope, datetime.now(UTC) + timedelta(hours=5), [ig])
    viewer = add_member(scope.workspace_id, "viewer@example.com", Role.viewer)
    with pytest.raises(AccessDenied, match="editor"):
        await calendar.reschedule(viewer, post_id, local_in(days=1))
    with pytest.raises(AccessDenied):
        await calendar.cancel(viewer, post_id)
    other = make_scope("Someone Else", tz=BERLIN)
    with pytest.raises(NotFound, match="not in this workspace"):
        await calendar.reschedule(other, post_id, local_in(days=1))
    with pytest.raises(NotFound):
        await calendar.cancel(other, post_id)

    # A time inside the spring-forward gap does not exist; one in the autumn overlap is asked about.
    year = datetime.now(TZ).year + 1
    spring = last_sunday(year, 3)
    with pytest.raises(PublishValidationError, match="does not exist"):
        await calendar.reschedule(scope, post_id, datetime(year, 3, spring.day, 2, 30))
    autumn = last_sunday(year, 10)
    with pytest.raises(AmbiguousTime) as asked:
        await calendar.reschedule(scope, post_id, datetime(year, 10, autumn.day, 2, 30))
    assert [f for f, _ in asked.value.choices] == [0, 1]
    moved = await calendar.reschedule(scope, post_id, datetime(year, 10, autumn.day, 2, 30), fold=1)
    assert moved.new == datetime(year, 10, autumn.day, 1, 30, tzinfo=UTC)  # the second 02:30 is CET


async def test_cancel_removes_the_jobs_and_cancels_the_destinations(ws):
    scope, ig, x = ws
    at = (datetime.now(UTC) + timedelta(hours=3)).replace(microsecond=0)
    post_id, dests = add_post(scope, at, [ig, x])
    for d in dests:
        await queue.enqueue_publish(d, at)
    assert len(await _zset()) == 2
    assert calendar.detail(scope, post_id)["cancellable"] is True

    assert await calendar.cancel(scope, post_id) == 2
    assert await _zset() == {}
    got = calendar.detail(scope, post_id)
    assert got["status"] == "cancelled" and {d["status"] for d in got["destinations"]} == {"cancelled"}
    assert got["movable"] is False and got["cancellable"] is False


async def test_cancel_publish_job_leaves_a_running_job_alone(ws):
    _, _, _ = ws
    at = datetime.now(UTC) + timedelta(hours=1)
    await queue.enqueue_publish(41, at)
    job_id = queue.publish_job_id(41, 0, at)
    p = await queue.pool()
    await p.set(f"arq:in-progress:{job_id}", b"1")
    assert await calendar.cancel_publish_job(41, 0, at) is False
    assert job_id in await _zset()
    await p.delete(f"arq:in-progress:{job_id}")
    assert await calendar.cancel_publish_job(41, 0, at) is True
    assert await _zset() == {} and not await p.exists(f"arq:job:{job_id}")
