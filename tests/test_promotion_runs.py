"""The daily brain run over stored rows: planted fatigue, a weaker channel and a spend spike become
stored actions with stable keys; identical inputs give the same run back; answers stick; actions
no longer found expire; accepted ones are measured on what followed; the top ones reach the feed
and an urgent one notifies once; nothing crosses workspaces."""

from __future__ import annotations

import asyncio
import functools
import json
import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.analytics.promotion_data import DailyAdRow, DailyOrders
from dreamsuite.models import AdCreative, AdDailyMetric, BrainRun, Insight, Notification, PromotionAction, Role
from dreamsuite.services.promotion_actions import ActionClosed, decide_action, list_actions
from dreamsuite.services.promotion_runs import _inputs, attributed, run_brain
from dreamsuite.services.scope import AccessDenied, NotFound
from tests import insight_repro
from tests.helpers import add_member, make_workspace
from tests.promotion_db import make_channel, put_ad_rows, put_orders
from tests.promotion_synth import START, concave, creative

DAYS = 100
TODAY = START + timedelta(days=DAYS)



@functools.lru_cache(maxsize=None)
def planted() -> list[DailyAdRow]:
    rng = random.Random(21)
    rows = creative(rng, creative_id="tired", start=START + timedelta(days=30), days=70, fatigue_from=35,
                    spend=60, aov=30.0, gaps=0.05)
    rows += creative(rng, creative_id="steady", days=DAYS, spend=80, aov=30.0)
    rows += concave(rng, "tiktok", k=3.4 * 100 ** 0.1, b=0.9, spend=100, days=DAYS)
    rows += concave(rng, "google", k=2.4 * 80 ** 0.5, b=0.5, spend=80, days=DAYS)
    rows += creative(rng, channel="google", creative_id="yt", currency="USD", days=DAYS, spend=50,
                     spikes={DAYS - 1: 4.0})  # yesterday
    return rows


@pytest.fixture
def artist(db):
    user, ws, scope = make_workspace("runs@example.com")
    put_ad_rows(ws.id, planted())
    return ws.id, scope


def _actions(ws_id: int) -> dict[str, PromotionAction]:
    with dbmod.session() as s:
        return {a.target: a for a in s.exec(select(PromotionAction).where(PromotionAction.workspace_id == ws_id))}


def _count(model, ws_id: int) -> int:
    with dbmod.session() as s:
        return len(s.exec(select(model).where(model.workspace_id == ws_id)).all())


async def test_planted_findings_become_actions_with_stable_keys(artist):
    ws_id, scope = artist
    run_id = await run_brain(ws_id, TODAY)
    found = _actions(ws_id)
    assert found["creative:meta/tired"].kind == "pause_creative"
    assert found["channel:google/EUR"].kind == "shift_budget" and found["channel:google/EUR"].evidence["to"] == "tiktok"
    assert found["channel:google/USD"].kind == "check_spend"
    assert all(a.status == "proposed" and a.first_seen == TODAY and a.first_run_id == run_id for a in found.values())
    assert sorted(a.rank for a in found.values()) == list(range(len(found)))
    pause = found["creative:meta/tired"]
    assert pause.impact_currency == "EUR" and pause.impact_minor > 0 and "Pause creative tired on Meta Ads" in pause.sentence
    with dbmod.session() as s:
        run = s.get(BrainRun, run_id)
        assert len(run.inputs_hash) == 64 and run.today == TODAY
        assert {a["key"] for a in run.outputs["actions"]} == {a.key for a in found.values()}
        json.dumps(run.outputs)  # plain JSON, no NaN
    # The same inputs on the same day: that run, not a new one.
    assert await run_brain(ws_id, TODAY) == run_id and _count(BrainRun, ws_id) == 1
    # Tomorrow the same findings are the same rows.
    tomorrow = await run_brain(ws_id, TODAY + timedelta(days=1))
    assert tomorrow != run_id
    again = _actions(ws_id)
    assert again["creative:meta/tired"].id == pause.id and again["creative:meta/tired"].key == pause.key
    assert again["creative:meta/tired"].first_seen == TODAY and again["creative:meta/tired"].last_run_id == tomorrow
    # Renamed on the platform: the sentence says the new name (a new run), the action stays the same row.
    with dbmod.session() as s:
        cr = s.exec(select(AdCreative).where(AdCreative.workspace_id == ws_id, AdCreative.external_id == "tired")).one()
        cr.name = "Summer teaser <b>vertical</b>"
        s.add(cr)
        s.commit()
    renamed = await run_brain(ws_id, TODAY + timedelta(days=1))
    assert renamed != tomorrow
    after = _actions(ws_id)["creative:meta/tired"]
    assert after.id == pause.id and after.sentence.startswith("Pause creative Summer teaser <b>vertical</b> on Meta Ads")


async def test_answers_stick_and_what_is_no_longer_found_expires(artist):
    ws_id, scope = artist
    await run_brain(ws_id, TODAY)
    found = _actions(ws_id)
    pause, spike = found["creative:meta/tired"], found["channel:google/USD"]
    await decide_action(scope, pause.id, True)
    first = _actions(ws_id)["creative:meta/tired"].decided_at
    await decide_action(scope, pause.id, True)  # again: the first answer's time stands
    assert _actions(ws_id)["creative:meta/tired"].decided_at == first
    # The spike's channel is gone from the data: its action is no longer found.
    with dbmod.session() as s:
        s.exec(delete(AdDailyMetric).where(AdDailyMetric.workspace_id == ws_id, AdDailyMetric.currency == "USD"))
    await run_brain(ws_id, TODAY)
    now = _actions(ws_id)
    assert now["creative:meta/tired"].status == "accepted" and now["creative:meta/tired"].decided_by == scope.user_id
    assert now["channel:google/USD"].status == "expired"
    with pytest.raises(ActionClosed):
        await decide_action(scope, spike.id, True)
    listed = await list_actions(scope)
    assert listed[0]["status"] == "proposed" and listed[-1]["status"] == "expired"
    accepted = await list_actions(scope, "accepted")
    assert [a["target"] for a in accepted] == ["creative:meta/tired"]
    assert isinstance(accepted[0]["impact"], Decimal) and accepted[0]["currency"] == "EUR"
    assert accepted[0]["impact"] == Decimal(pause.impact_minor) / 100
    # Changing one's mind is a new answer, from now.
    await decide_action(scope, pause.id, False)
    changed = _actions(ws_id)["creative:meta/tired"]
    assert changed.status == "dismissed" and changed.decided_at > first
    with pytest.raises(Exception, match="Unknown action status"):
        await list_actions(scope, "maybe")


async def test_the_top_actions_reach_the_feed_and_an_urgent_one_notifies_once(artist):
    ws_id, scope = artist
    await run_brain(ws_id, TODAY)
    with dbmod.session() as s:
        feed = s.exec(select(Insight).where(Insight.workspace_id == ws_id)).all()
        notes = s.exec(select(Notification).where(Notification.workspace_id == ws_id)).all()
    keys = {a.key: a for a in _actions(ws_id).values()}
    assert 1 <= len(feed) <= 3 and all(i.type == "promotion" for i in feed)
    assert any(i.priority == "urgent" and i.figures["expected_gain_per_day"]["source"]["currency"] == "USD"
               and i.figures["expected_gain_per_day"]["value"] > 0 for i in feed)
    assert insight_repro.check_figures(insight_repro.load(ws_id)) == 2 * len(feed)  # each read back from its action
    assert {i.dedupe_key.removeprefix("promotion:") for i in feed} <= set(keys)
    assert any(n.kind == "promotion" and "Check Google Ads spend" in n.message for n in notes)
    await run_brain(ws_id, TODAY + timedelta(days=1))
    with dbmod.session() as s:
        assert len(s.exec(select(Insight).where(Insight.workspace_id == ws_id)).all()) == len(feed)
        assert len(s.exec(select(Notification).where(Notification.workspace_id == ws_id)).all()) == len(notes)
    # Accepting one marks its insight as acted on.
    first = feed[0].dedupe_key.removeprefix("promotion:")
    await decide_action(scope, keys[first].id, True)
    with dbmod.session() as s:
        assert s.exec(select(Insight).where(Insight.dedupe_key == feed[0].dedupe_key)).one().acted_on


def _flat(day: date, creative_id: str, spend: str, revenue: str, *, channel: str = "meta",
          currency: str = "EUR") -> DailyAdRow:
    return DailyAdRow(day, channel, "c1", creative_id, currency, Decimal(spend), 1000, 20, 2, Decimal(revenue))


async def test_accepted_actions_are_measured_on_what_followed(db):
    user, ws, scope = make_workspace("outcome@example.com")
    decided = TODAY - timedelta(days=9)
    days = [decided + timedelta(days=i) for i in range(-7, 8)]
    rows = []
    for d in days:
        after = d > decided
        # Paused after the decision (€70 a day at ROAS 0.5 before); the others earn ROAS 3 after.
        rows.append(_flat(d, "tired", "0.00" if after else "70.00", "0.00" if after else "35.00"))
        rows.append(_flat(d, "steady", "100.00", "300.00" if after else "250.00"))
        # Spend on Google dollars went from $50 to $40 a day.
        rows.append(_flat(d, "yt", "40.00" if after else "50.00", "90.00", channel="google", currency="USD"))
    put_ad_rows(ws.id, rows)
    at = datetime.combine(decided, time(12), UTC)
    with dbmod.session() as s:
        s.add(PromotionAction(workspace_id=ws.id, key="k-pause", kind="pause_creative", target="creative:meta/tired",
                              impact_minor=15000, impact_currency="EUR", status="accepted", decided_at=at))
        s.add(PromotionAction(workspace_id=ws.id, key="k-spike", kind="check_spend", target="channel:google/USD",
                              impact_minor=4000, impact_currency="USD", status="accepted", decided_at=at))
        s.add(PromotionAction(workspace_id=ws.id, key="k-no", kind="check_spend", target="channel:google/USD",
                              impact_minor=999, impact_currency="USD", status="dismissed", decided_at=at))
    run_id = await run_brain(ws.id, TODAY)
    with dbmod.session() as s:
        got = {a.key: a.observed_minor for a in s.exec(select(PromotionAction))}
        rate = s.get(BrainRun, run_id).outputs["hit_rate"]
    assert got["k-pause"] == 17500 and got["k-spike"] == 1000 and got["k-no"] is None
    assert rate["measured"] == 2 and rate["hits"] == 1 and rate["prediction_accuracy"] == 0.5
    assert rate["decided"] == 3 and rate["adoption"] == pytest.approx(2 / 3, abs=1e-4)
    # Not measured before its seven days after are complete.
    with dbmod.session() as s:
        s.add(PromotionAction(workspace_id=ws.id, key="k-new", kind="check_spend", target="channel:google/USD",
                              impact_minor=100, impact_currency="USD", status="accepted",
                              decided_at=datetime.combine(TODAY - timedelta(days=3), time(12), UTC)))
    await run_brain(ws.id, TODAY + timedelta(days=1))
    with dbmod.session() as s:
        assert s.exec(select(PromotionAction).where(PromotionAction.key == "k-new")).one().observed_minor is None


async def test_workspaces_are_kept_apart(artist):
    ws_id, scope = artist
    _, other, other_scope = make_workspace("other@example.com")
    await run_brain(ws_id, TODAY)
    assert await run_brain(other.id, TODAY) and _count(PromotionAction, other.id) == 0
    mine = next(iter(_actions(ws_id).values()))
    with pytest.raises(NotFound):
        await decide_action(other_scope, mine.id, True)
    assert await list_actions(other_scope) == []
    viewer = add_member(ws_id, "viewer@example.com", Role.viewer)
    with pytest.raises(AccessDenied):
        await decide_action(viewer, mine.id, False)
    assert len(await list_actions(viewer)) == _count(PromotionAction, ws_id)
    assert _actions(ws_id)[mine.target].status == "proposed"


def test_orders_are_credited_by_their_source_and_counted_in_the_hash(db):
    assert [attributed(s) for s in ("Facebook", "ig", "YouTube", "tiktok", "newsletter", "")] == \
        ["meta", "meta", "google", "tiktok", None, None]
    _, ws, _ = make_workspace("merch@example.com")
    shop = make_channel(ws.id, "shopify", "EUR", external_id="nova.myshopify.com")
    day = START + timedelta(days=3)
    put_orders(ws.id, shop, [DailyOrders(day, "EUR", 2, Decimal("40.00"), "instagram"),
                             DailyOrders(day, "EUR", 1, Decimal("25.50"), "facebook"),
                             DailyOrders(day, "EUR", 1, Decimal("9.99"), "newsletter")])
    rows, orders, digest = _inputs(ws.id, TODAY)
    assert rows == [] and orders == [DailyOrders(day, "EUR", 1, Decimal("9.99"), None),
                                     DailyOrders(day, "EUR", 3, Decimal("65.50"), "meta")]
    put_orders(ws.id, shop, [DailyOrders(day, "EUR", 1, Decimal("1.00"), "tiktok")])
    assert _inputs(ws.id, TODAY)[2] != digest


async def test_today_is_the_workspaces_own_date(db):
    _, ws, _ = make_workspace("kiritimati@example.com", timezone="Pacific/Kiritimati")  # UTC+14
    put_ad_rows(ws.id, [_flat(START, "one", "10.00", "20.00")])
    run_id = await run_brain(ws.id)
    with dbmod.session() as s:
        run = s.get(BrainRun, run_id)
    assert run.today == datetime.now(ZoneInfo("Pacific/Kiritimati")).date() and run.outputs["actions"] == []


async def test_two_runs_at_once_keep_one_row_per_action(artist):
    ws_id, scope = artist
    first, second = await asyncio.gather(run_brain(ws_id, TODAY), run_brain(ws_id, TODAY))
    with dbmod.session() as s:
        keys = [a.key for a in s.exec(select(PromotionAction).where(PromotionAction.workspace_id == ws_id))]
    assert len(keys) == len(set(keys)) >= 3 and first and second
