"""Every number of every insight reproduces from the database; insights are stored once per
finding, expire, and are read, dismissed and acted on within their workspace only."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from dreamsuite import db as dbmod, seed
from dreamsuite.models import ContentPost, DailyMetric, Insight, PlatformConnection, Workspace, XpEvent
from dreamsuite.services import analysis
from dreamsuite.services import insights as insight_rows
from tests import insight_data
from tests.helpers import make_workspace
from tests.insight_repro import check_workspace
from workers import maintenance

pytestmark = pytest.mark.db


def _by_type(rows) -> dict[str, list]:
    out: dict[str, list] = {}
    for i in rows.insights:
        out.setdefault(i.type, []).append(i)
    return out


def test_every_number_of_every_insight_reproduces_from_the_database(db):
    built = insight_data.build()
    result = analysis.analyse(built.workspace_id)
    rows = check_workspace(built.workspace_id)
    assert result["status"] == "success" and result["insights"] == len(rows.insights)
    kinds = _by_type(rows)
    assert {"growth", "trend", "content", "strategy", "goal"} <= set(kinds), sorted(kinds)
    titles = {i.title for i in rows.insights}
    # The findings planted in the data, each found (so no check above passed on an empty set).
    assert {"Instagram followers at a new high", "Facebook keeps losing followers", "Unusual jump on TikTok",
            "On Instagram, reels work best", "On YouTube, shorts work best",
            "Your best time to post: Saturdays, 00:00–01:00", "On Instagram, #livesession posts do best"
            } <= titles, sorted(titles)
    assert any(t.startswith("Since your release on ") for t in titles)
    goal_titles = {i.title: i.priority for i in kinds["goal"]}
    assert goal_titles["YouTube by a deadline it misses: behind"] == "urgent"
    assert goal_titles["Every platform together: on its way"] == "low"
    # Sources of every documented kind were exercised.
    used = {f["source"]["kind"] for i in rows.insights for f in i.figures.values()}
    assert used >= {"followers", "followers_change", "usual_change", "metric_sum", "avg_rate", "posts",
                    "slot_rate", "slot_posts", "goal_target", "goal_deadline", "goal_current",
                    "forecast_reaches", "window", "release", "tag_rate", "tag_posts"}, used


def test_a_reached_goal_and_a_faster_week_reproduce_too(db):
    built = insight_data.build(more=True)
    result = analysis.analyse(built.workspace_id)
    rows = check_workspace(built.workspace_id)
    titles = {i.title: i for i in rows.insights}
    assert {"Goal reached: 20,000 on Instagram", "X is growing faster"} <= set(titles), sorted(titles)
    assert "X followers at a new high" not in titles  # faster, but below its old high
    faster = titles["X is growing faster"].figures
    assert (faster["this_week"]["value"], faster["last_week"]["value"]) == (280, 70)
    assert "Unusual jump on X" not in titles  # a new pace held for a week is no jump
    # The cap on new insights a run keeps the most important; the least wait for the next run.
    assert result["insights"] == len(rows.insights) == 12
    rank = {"urgent": 0, "high": 1, "medium": 2, "low": 3}
    later = analysis.analyse(built.workspace_id)
    held = [i for i in check_workspace(built.workspace_id).insights if i.title not in titles]
    assert later["insights"] == len(held) == 2
    assert min(rank[i.priority] for i in held) >= max(rank[i.priority] for i in rows.insights)


async def test_every_number_of_the_demo_insights_reproduces_too(db, redis_url, emulators, close_arq_pools):
    await seed.seed()
    with dbmod.session() as s:
        [ws_id] = s.exec(select(Workspace.id)).all()
    await dbmod.run(analysis.analyse, ws_id)  # the seed may have run it already: then it adds nothing
    rows = await dbmod.run(check_workspace, ws_id)
    kinds = _by_type(rows)
    assert len(rows.insights) >= 4 and {"growth", "trend", "content"} <= set(kinds), [i.title for i in rows.insights]


# ------------------------------------------------------------------ stored once, expired, stored again
def _rows(model, ws_id: int) -> list:
    with dbmod.session() as s:
        return list(s.exec(select(model).where(model.workspace_id == ws_id).order_by(model.id)).all())


def test_a_second_analysis_stores_no_new_insight_and_no_new_xp(db):
    built = insight_data.build(more=True)
    first = analysis.analyse(built.workspace_id)
    insights, xp = _rows(Insight, built.workspace_id), _rows(XpEvent, built.workspace_id)
    assert first["insights"] == len(insights) == 12 and len(xp) >= 6
    kinds = {e.kind for e in xp}
    assert {"connected_platform", "milestone", "goal_reached"} <= kinds, kinds
    assert analysis.analyse(built.workspace_id)["insights"] == 2  # the two the cap held back
    insights = _rows(Insight, built.workspace_id)
    again = analysis.analyse(built.workspace_id)
    assert (again["insights"], again["xp_events"]) == (0, 0)
    assert [(i.id, i.dedupe_key) for i in _rows(Insight, built.workspace_id)] == [
        (i.id, i.dedupe_key) for i in insights]
    assert [e.id for e in _rows(XpEvent, built.workspace_id)] == [e.id for e in xp]


async def test_an_expired_finding_is_tidied_away_and_stored_again_while_a_dismissed_one_stays_dismissed(
        db, redis_url):
    built = insight_data.build(more=True)
    analysis.analyse(built.workspace_id)
    analysis.analyse(built.workspace_id)  # the two the cap held back
    by_title = {i.title: i for i in _rows(Insight, built.workspace_id)}
    stale, dismissed = by_title["Facebook keeps losing followers"], by_title["X is growing faster"]
    insight_rows.dismiss(built.scope, dismissed.id)
    with dbmod.session() as s:
        s.get(Insight, stale.id).expires_at = dbmod.utcnow() - timedelta(seconds=1)
    tidied = await maintenance.tidy({})
    assert tidied["insights_expired"] == 1
    assert stale.dedupe_key not in {i.dedupe_key for i in _rows(Insight, built.workspace_id)}
    again = analysis.analyse(built.workspace_id)
    assert again["insights"] == 1  # the finding still holds: stored again, as new
    rows = {i.dedupe_key: i for i in _rows(Insight, built.workspace_id)}
    renewed = rows[stale.dedupe_key]
    assert renewed.id != stale.id and not renewed.is_read and _aware(renewed.expires_at) > dbmod.utcnow()
    assert rows[dismissed.dedupe_key].id == dismissed.id and rows[dismissed.dedupe_key].dismissed
    assert dismissed.id not in {i["id"] for i in insight_rows.feed(built.scope)}


def test_an_expired_row_not_yet_tidied_is_replaced_not_duplicated(db):
    built = insight_data.build()
    analysis.analyse(built.workspace_id)
    target = next(i for i in _rows(Insight, built.workspace_id) if i.type == "content")
    with dbmod.session() as s:
        row = s.get(Insight, target.id)
        row.expires_at, row.is_read = dbmod.utcnow() - timedelta(hours=1), True
    assert analysis.analyse(built.workspace_id)["insights"] == 1
    same = [i for i in _rows(Insight, built.workspace_id) if i.dedupe_key == target.dedupe_key]
    assert len(same) == 1 and same[0].id != target.id and not same[0].is_read


def _aware(at):
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


# ------------------------------------------------------------------ posting frequency and growth
def _busy_weeks_workspace(tz: str, pattern: tuple[int, ...], slope: int = 3) -> int:
    """One YouTube channel whose every day grows by 2 + slope × the posts of its week (with a
    positive slope the weeks with more posts grow more). Posts on local Wednesdays at noon."""
    _, ws, _ = make_workspace(f"weeks-{slope}@example.com", timezone=tz)
    today = insight_data.local_today(tz)
    monday = today - timedelta(days=today.weekday()) - timedelta(weeks=20)
    with dbmod.session() as s:
        conn = PlatformConnection(workspace_id=ws.id, platform="youtube", platform_user_id="yt", username="yt")
        s.add(conn)
        s.flush()
        day, count, n = monday - timedelta(days=1), 5_000, 0
        while day <= today:
            k = pattern[((day - monday).days // 7) % len(pattern)]
            if day >= monday:
                count += 2 + slope * k
            s.add(DailyMetric(workspace_id=ws.id, connection_id=conn.id, platform="youtube", date=day,
                              follower_count=count, follower_change_24h=0, metrics={}))
            if day.weekday() == 2:
                for i in range(k):
                    local = datetime.combine(day, time(12 + i), tzinfo=ZoneInfo(tz))
                    n += 1
                    s.add(ContentPost(workspace_id=ws.id, connection_id=conn.id, platform="youtube",
                                      platform_post_id=f"v{n}", post_type="video", posted_at=local.astimezone(
                                          timezone.utc), likes=50, comments=5, reach=1_000))
            day += timedelta(days=1)
    return ws.id


def test_weeks_with_more_posts_that_grew_more_are_named_and_reproduce(db):
    ws_id = _busy_weeks_workspace("America/Los_Angeles", (0, 1, 3, 5, 2, 4))
    analysis.analyse(ws_id)
    rows = check_workspace(ws_id)
    [found] = [i for i in rows.insights if i.title == "On YouTube, your busier weeks grow more"]
    f = {k: v["value"] for k, v in found.figures.items()}
    assert f["weeks"] == 16 and f["busy_weeks"] + f["quiet_weeks"] == 16
    assert f["busy_change"] > f["quiet_change"] and f["min_posts"] >= 1
    assert "A link, not proof" in found.message


@pytest.mark.parametrize("slope", [0, -1])  # growth the same every week; growth falling with posts
def test_weeks_whose_growth_does_not_rise_with_posting_claim_no_link(db, slope):
    ws_id = _busy_weeks_workspace("Asia/Kolkata", (0, 1, 3, 5, 2, 4), slope)
    analysis.analyse(ws_id)
    assert not [i for i in check_workspace(ws_id).insights if "busier weeks" in i.title]
