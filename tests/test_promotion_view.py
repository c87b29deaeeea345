"""The Promotion page's read-model on SQLite and PostgreSQL: sums and ratios per channel and creative
are what the stored rows give, currencies stay apart, the range leaves outside days out, the brain's
latest run (fatigue with its daily CTR, forecast, hit rate) and its actions come through, another
workspace sees nothing, and the empty states say which one applies."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.analytics.money import to_minor
from dreamsuite.analytics.promotion_data import DailyAdRow, DailyOrders
from dreamsuite.models import AdDailyMetric, PromotionChannel
from dreamsuite.services.promotion_actions import decide_action
from dreamsuite.services.promotion_runs import run_brain
from dreamsuite.services.promotion_view import promotion_view, read_view
from tests.helpers import add_member, make_workspace
from tests.promotion_db import make_channel, put_ad_rows, put_orders
from tests.promotion_synth import START, creative

DAYS = 80
LAST = START + timedelta(days=DAYS - 1)


def rows() -> list[DailyAdRow]:
    rng = random.Random(5)
    out = creative(rng, creative_id="tired", days=DAYS, fatigue_from=45, spend=60, aov=30.0)
    out += creative(rng, creative_id="steady", days=DAYS, spend=80, aov=30.0)
    out += creative(rng, channel="google", campaign="g1", creative_id="yt", currency="USD", days=DAYS, spend=50)
    return out


@pytest.fixture
def artist(db):
    _, ws, scope = make_workspace("view@example.com")
    ids = put_ad_rows(ws.id, rows(), names={"tired": "Summer <b>teaser</b>", "c1": "Album launch"})
    shop = make_channel(ws.id, "shopify", "EUR", name="Nova merch")
    put_orders(ws.id, shop, [DailyOrders(START + timedelta(days=i), "EUR", 2, Decimal("40.50"),
                                         "facebook" if i % 2 else None) for i in range(DAYS)])
    return ws.id, scope, ids, shop


def _stored(ws_id: int) -> list[AdDailyMetric]:
    with dbmod.session() as s:
        return list(s.exec(select(AdDailyMetric).where(AdDailyMetric.workspace_id == ws_id)))


def _expected(metrics, first, last, key) -> dict:
    acc = defaultdict(lambda: [0, 0, 0, 0, 0])
    for m in metrics:
        if first <= m.day <= last:
            a = acc[key(m)]
            for i, v in enumerate((m.spend_minor, m.revenue_minor, m.impressions, m.clicks, m.conversions)):
                a[i] += v
    return acc


def _check(row, sums) -> None:
    spend, revenue, imps, clicks, conv = sums
    cur = row["currency"]
    assert to_minor(row["spend"], cur) == spend and to_minor(row["revenue"], cur) == revenue
    assert (row["impressions"], row["clicks"], row["conversions"]) == (imps, clicks, conv)
    assert row["roas"] == round(revenue / spend, 4)
    assert row["ctr"] == round(clicks / imps, 6)
    # CPA in the currency's own rounding: spend ÷ conversions.
    assert row["cpa"] == (Decimal(spend) / conv / 100).quantize(Decimal("0.01"))


async def test_sums_and_ratios_per_channel_and_creative_are_the_rows(artist):
    ws_id, scope, ids, _ = artist
    v = await promotion_view(scope, days=30)
    first, last = LAST - timedelta(days=29), LAST
    assert (v.start, v.end, v.as_of) == (first.isoformat(), last.isoformat(), last.isoformat())
    stored = _stored(ws_id)
    by_channel = _expected(stored, first, last, lambda m: (m.channel_id, m.currency))
    assert {(r["channel_id"], r["currency"]) for r in v.by_channel} == set(by_channel)
    for r in v.by_channel:
        _check(r, by_channel[(r["channel_id"], r["currency"])])
    by_creative = _expected(stored, first, last, lambda m: (m.channel_id, m.creative_external_id))
    assert {(r["channel_id"], r["creative_id"]) for r in v.by_creative} == set(by_creative)
    for r in v.by_creative:
        _check(r, by_creative[(r["channel_id"], r["creative_id"])])
    tired = next(r for r in v.by_creative if r["creative_id"] == "tired")
    assert (tired["name"], tired["campaign"]) == ("Summer <b>teaser</b>", "Album launch")  # as the platform wrote it
    # The daily series add up to the channel totals.
    for r in v.by_channel:
        assert sum(d["spend"] for d in v.daily if d["channel_id"] == r["channel_id"]) == r["spend"]
    assert all(d["channel_id"] in ids.values() for d in v.daily)


async def test_currencies_are_kept_apart(artist):
    _, scope, ids, _ = artist
    v = await promotion_view(scope, days=30)
    assert v.currencies == ["EUR", "USD"]
    usd = [r for r in v.by_channel if r["currency"] == "USD"]
    assert [r["channel_id"] for r in usd] == [ids["google/USD"]]
    assert v.totals["USD"]["spend"] == usd[0]["spend"] and v.totals["USD"]["merch"] == 0
    eur_spend = sum(r["spend"] for r in v.by_channel if r["currency"] == "EUR")
    assert v.totals["EUR"]["spend"] == eur_spend
    assert v.totals["EUR"]["merch"] == Decimal("40.50") * 30 and v.totals["EUR"]["orders"] == 60
    assert {m["currency"] for m in v.merch} == {"EUR"}
    assert v.totals["EUR"]["roas"] == round(float(v.totals["EUR"]["revenue"] / eur_spend), 4)


async def test_a_range_leaves_outside_days_out(artist):
    ws_id, scope, _, _ = artist
    first, last = START + timedelta(days=10), START + timedelta(days=16)
    v = await promotion_view(scope, start=first, end=last)
    assert (v.start, v.end) == (first.isoformat(), last.isoformat())
    assert {d["day"] for d in v.daily} == {(first + timedelta(days=i)).isoformat() for i in range(7)}
    assert len(v.merch) == 7 and v.totals["EUR"]["orders"] == 14
    sums = _expected(_stored(ws_id), first, last, lambda m: (m.channel_id, m.currency))
    for r in v.by_channel:
        _check(r, sums[(r["channel_id"], r["currency"])])
    # A range with no numbers in it: channels, no performers.
    empty = await promotion_view(scope, start=START - timedelta(days=40), end=START - timedelta(days=30))
    assert empty.has_channels and empty.by_channel == [] and empty.daily == [] and empty.totals == {}


async def test_the_latest_run_and_its_actions(artist):
    ws_id, scope, _, _ = artist
    v = await promotion_view(scope)
    assert v.run is None and v.forecasts == [] and v.fatigue == [] and v.actions == []  # channels, no run yet
    await run_brain(ws_id, LAST + timedelta(days=1))
    v = await promotion_view(scope, days=60)
    assert v.run is not None and v.run["today"] == (LAST + timedelta(days=1)).isoformat()
    tired = next(f for f in v.fatigue if f["creative_id"] == "tired")
    assert tired["name"] == "Summer <b>teaser</b>" and tired["kind"] == "meta_ads"
    assert START + timedelta(days=38) <= date.fromisoformat(tired["start"]) <= LAST
    days = [p[0] for p in tired["points"]]
    assert days == sorted(days) and days[0] >= v.start and days[-1] <= v.end and len(days) == 60
    # A range that starts after the decline began: the curve starts a week before it.
    short = await promotion_view(scope, days=7)
    days = [p[0] for p in next(f for f in short.fatigue if f["creative_id"] == "tired")["points"]]
    began = date.fromisoformat(tired["start"])
    assert days[0] == (began - timedelta(days=7)).isoformat() and days[-1] == short.end
    assert {f["currency"] for f in v.forecasts} == {"EUR", "USD"}
    assert v.hit_rate is not None and "adoption" in v.hit_rate
    assert v.actions and v.actions[0]["status"] == "proposed"
    # Answered actions come after the open ones, with their status.
    await decide_action(scope, v.actions[0]["id"], accept=False)
    again = await promotion_view(scope, days=60)
    assert again.actions[-1]["id"] == v.actions[0]["id"] and again.actions[-1]["status"] == "dismissed"


async def test_another_workspace_sees_nothing(artist):
    ws_id, scope, _, _ = artist
    await run_brain(ws_id, LAST + timedelta(days=1))
    _, other_ws, other = make_workspace("other@example.com")
    v = await promotion_view(other)
    assert not v.has_channels and v.by_channel == v.by_creative == v.daily == v.actions == [] and v.run is None
    # Its own channel, no numbers: still nothing of the first workspace's.
    make_channel(other_ws.id, "meta_ads", "EUR")
    v = await promotion_view(other, start=START, end=LAST)
    assert v.has_channels and not v.has_numbers and v.by_channel == [] and v.fatigue == [] and v.actions == []
    assert [c["kind"] for c in v.channels] == ["meta_ads"]
    # A viewer of the first workspace reads everything.
    viewer = add_member(ws_id, "viewer@example.com", "viewer")
    assert (await promotion_view(viewer)).actions


def test_no_channel_yet_and_no_secret_read(db):
    _, ws, scope = make_workspace("empty@example.com")
    v = read_view(scope)
    assert (v.has_channels, v.has_numbers, v.start, v.channels) == (False, False, None, [])
    with dbmod.session() as s:
        s.add(PromotionChannel(workspace_id=ws.id, kind="meta_ads", external_id="act_1", name="",
                               currency="EUR", access_token_enc="secret-cipher"))
    v = read_view(scope)
    assert v.channels[0]["name"] == "act_1" and "secret-cipher" not in repr(v)
