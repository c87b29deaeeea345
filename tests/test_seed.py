"""The demo seed: an artist connected to five platforms through the real connectors and OAuth
flows against their emulators, telling one story; run twice, it changes nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from dreamsuite import db as dbmod, seed
from dreamsuite.models import (ActionStatus, BrainRun, ContentPost, DailyMetric, Goal, Insight, PlatformConnection,
                               PromotionAction, StoredForecast, User, XpEvent)
from dreamsuite.services.auth import log_in

pytestmark = pytest.mark.usefixtures("close_arq_pools")


def _count(model) -> int:
    with dbmod.session() as s:
        return s.exec(select(func.count()).select_from(model)).one()


async def test_seed_connects_four_platforms_with_one_story_and_is_idempotent(db, redis_url, emulators):
    first = await seed.seed()
    assert "created" in first
    assert log_in(seed.DEMO_EMAIL, seed.DEMO_PASSWORD)
    with dbmod.session() as s:
        conns = {c.platform: c for c in s.exec(select(PlatformConnection)).all()}
        days = s.exec(select(DailyMetric)).all()
        posts = s.exec(select(ContentPost)).all()
    assert set(conns) == {"instagram", "youtube", "spotify", "tiktok", "facebook"}
    assert all(c.status == "active" and c.access_token_enc and c.last_synced_at for c in conns.values())
    by_platform = {p: sorted((d for d in days if d.platform == p), key=lambda d: d.date) for p in conns}
    # Each platform's history is what its API gives: YouTube a year of analytics, Instagram a month.
    assert len(by_platform["youtube"]) > 300 and len(by_platform["instagram"]) >= 25
    assert len(by_platform["spotify"]) == len(by_platform["tiktok"]) == 1

    # One story: the release lifts YouTube's views in its week far above the weeks around it,
    # and Spotify shows the release itself.
    release = max(p.posted_at for p in posts if p.platform == "spotify" and p.details.get("kind") == "release")
    views = {d.date: d.metrics.get("views", 0) for d in by_platform["youtube"]}
    week_of = sum(views.get(release.date() + timedelta(days=i), 0) for i in range(7))
    weeks_before = [sum(views.get(release.date() - timedelta(days=7 * w - i), 0) for i in range(7)) for w in (3, 4, 5)]
    assert week_of > 1.5 * max(weeks_before)
    # Reels outperform photos on Instagram.
    ig = [p for p in posts if p.platform == "instagram"]
    def avg(kind):
        items = [p.likes + p.comments for p in ig if p.post_type == kind]
        return sum(items) / len(items)
    assert avg("reel") > 1.5 * avg("photo")
    # A declining platform: the Page has fewer followers than a year ago, the others more.
    for platform, trend in (("facebook", -1), ("youtube", 1), ("instagram", 1)):
        series = by_platform[platform]
        assert (series[-1].follower_count - series[0].follower_count) * trend > 0, platform

    # The analysis a sync triggers has run: forecasts, insights, and the two demo goals.
    assert _count(Goal) == 2 and _count(Insight) >= 3 and _count(StoredForecast) >= 3 and _count(XpEvent) >= 5
    with dbmod.session() as s:
        kinds = {i.type for i in s.exec(select(Insight)).all()}
    assert {"growth", "content"} <= kinds

    # Promotion: past runs replayed and answered on their day, so the brain's record has figures;
    # today's advice is left open, and the feed holds only today's.
    answered = _promotion_record()

    counts = _count(DailyMetric), _count(ContentPost)
    second = await seed.seed()
    assert "found" in second
    assert _count(User) == 1 and _count(PlatformConnection) == 5
    assert (_count(DailyMetric), _count(ContentPost)) == counts
    assert _count(Goal) == 2
    assert _promotion_record() == answered  # replayed once


def _promotion_record() -> list[tuple]:
    with dbmod.session() as s:
        runs = s.exec(select(BrainRun).order_by(BrainRun.id)).all()
        actions = s.exec(select(PromotionAction)).all()
        feed = s.exec(select(Insight).where(Insight.type == "promotion")).all()
    latest = runs[-1]
    assert len({r.today for r in runs}) == len(seed.HISTORY_RUNS) + 1
    assert all(r.today <= latest.today - timedelta(days=14) for r in runs[:-1])
    rate = latest.outputs["hit_rate"]
    assert rate["decided"] >= 2 and rate["accepted"] >= 1 and rate["measured"] >= 1, rate
    assert rate["adoption"] is not None and rate["prediction_accuracy"] is not None
    answered = [a for a in actions if a.status in (ActionStatus.accepted, ActionStatus.dismissed)]
    for a in answered:  # answered the evening of the run that first showed it, weeks ago
        assert a.decided_at.date() == a.first_seen <= latest.today - timedelta(days=14), (a.key, a.decided_at)
    open_now = [a for a in actions if a.last_run_id == latest.id and a.status == ActionStatus.proposed]
    assert open_now and not [a for a in actions if a.last_run_id == latest.id and a in answered]
    assert {i.dedupe_key.removeprefix("promotion:") for i in feed} <= {a.key for a in open_now}
    return sorted((a.key, a.status, a.observed_minor) for a in answered)
