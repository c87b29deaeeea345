"""The chat's promotion tools and the offline analyst's answers about ads, merch and the ad budget,
checked against sums computed here from the very rows put in (not through the code under test).

Data unlike the demo: TikTok in USD (one creative planted to tire from Feb 19, one fresh), Google
in EUR (a brand campaign that pays, one that wastes money), a Meta account in GBP with too little
spend to judge, a Shopify shop in EUR with orders tagged by UTM; another workspace beside it.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from pydantic_ai import ModelRetry
from sqlmodel import select

from dreamsuite.agents import offline, promotion_tools as pt
from dreamsuite.agents.career import career_agent, model_for
from dreamsuite.agents.deps import AgentDeps
from dreamsuite.analytics.money import to_minor
from dreamsuite.analytics.promotion_brain import brain
from dreamsuite.analytics.promotion_data import DailyOrders
from dreamsuite import db as dbmod
from dreamsuite.db import session
from dreamsuite.models import ActionStatus, PromotionAction
from dreamsuite.services.promotion_runs import _names, run_brain
from tests.promotion_db import make_channel, put_ad_rows, put_orders
from tests.promotion_synth import creative
from tests.seed_metrics import make_scope

pytestmark = pytest.mark.db

TODAY = date(2026, 3, 16)
START = date(2026, 1, 5)
LAST = TODAY - timedelta(days=1)
TIRED_FROM = START + timedelta(days=45)  # Feb 19
NAMES = {"tt-camp": "Spring single push", "g-brand": "Brand search", "g-waste": "Broad display",
         "m-camp": "Meta test"}


def _rows():
    rng = random.Random(7)
    rows = creative(rng, channel="tiktok", campaign="tt-camp", creative_id="tt-tired", currency="USD", start=START,
                    days=70, spend=60, ctr=0.02, cvr=0.05, aov=25, fatigue_from=45, floor=0.4, decay_days=4)
    rows += creative(rng, channel="tiktok", campaign="tt-camp", creative_id="tt-fresh", currency="USD", start=START,
                     days=70, spend=30, ctr=0.015, cvr=0.05, aov=25)
    rows += creative(rng, channel="google", campaign="g-brand", creative_id="g-brand-ad", currency="EUR",
                     start=START, days=70, spend=40, ctr=0.03, cvr=0.06, aov=25)
    rows += creative(rng, channel="google", campaign="g-waste", creative_id="g-waste-ad", currency="EUR",
                     start=START, days=70, spend=50, ctr=0.02, cvr=0.006, aov=20)
    rows += creative(rng, channel="meta", campaign="m-camp", creative_id="m-test", currency="GBP",
                     start=TODAY - timedelta(days=6), days=6, spend=3, ctr=0.02, cvr=0.02, aov=20)
    return rows


ORDERS = [DailyOrders(START + timedelta(days=i), "EUR", 1 + i % 3, Decimal("24.50") * (1 + i % 3), src)
          for i, src in zip(range(70), ["tiktok", "instagram", "", "newsletter", "google", "tiktok", ""] * 10)]
# The utm_source → channel crediting, written out here on its own.
CREDIT = {"tiktok": "TikTok ads", "instagram": "Meta ads", "google": "Google ads"}


@pytest.fixture
def promo(db):
    me = make_scope("Promoted")
    rows = _rows()
    put_ad_rows(me.workspace_id, rows, names=NAMES)
    shop = make_channel(me.workspace_id, "shopify", "EUR")
    put_orders(me.workspace_id, shop, ORDERS)
    other = make_scope("Other")
    rng = random.Random(99)
    other_rows = creative(rng, channel="google", campaign="x-camp", creative_id="other-ad", currency="EUR",
                          start=START, days=70, spend=500, ctr=0.03, cvr=0.05, aov=30)
    put_ad_rows(other.workspace_id, other_rows)
    return SimpleNamespace(me=me, rows=rows, other=other, other_rows=other_rows)


def _ctx(scope):
    return SimpleNamespace(deps=AgentDeps(scope=scope, today=TODAY))


def _sum(rows, field):
    return sum((getattr(r, field) for r in rows), Decimal(0) if field in ("spend", "revenue") else 0)


def _in(rows, first, last, **match):
    return [r for r in rows if first <= r.day <= last and all(getattr(r, k) == v for k, v in match.items())]


def _amount(m: dict) -> Decimal:
    return Decimal(m["amount"])


async def _ask(scope, question: str) -> str:
    result = await career_agent.run(question, deps=AgentDeps(scope=scope, today=TODAY), model=model_for("offline"))
    return result.output


# ------------------------------------------------------------------ the tools' numbers
def test_ad_performance_per_channel_and_currency_equals_the_rows(promo):
    r = pt.ad_performance(_ctx(promo.me), period="last_30_days")
    first = TODAY - timedelta(days=29)
    assert r["has_data"] and r["currencies"] == ["EUR", "GBP", "USD"]
    for total in r["totals"]:
        mine = [x for x in _in(promo.rows, first, TODAY) if x.currency == total["currency"]]
        spend, revenue = _sum(mine, "spend"), _sum(mine, "revenue")
        assert _amount(total["spend"]) == spend and _amount(total["revenue"]) == revenue
        assert total["conversions"] == _sum(mine, "conversions") and total["clicks"] == _sum(mine, "clicks")
        assert total["roas"] == pytest.approx(float(revenue / spend), abs=1e-4)
    by = {i["channel"]: i for i in r["items"]}
    assert set(by) == {"tiktok_ads", "google_ads", "meta_ads"}
    assert by["meta_ads"]["verdict"] == "too early"
    google = _in(promo.rows, first, TODAY, channel="google")
    assert _amount(by["google_ads"]["cpa"]) == (_sum(google, "spend") / _sum(google, "conversions")).quantize(
        Decimal("0.01"))
    assert by["google_ads"]["ctr"] == pytest.approx(_sum(google, "clicks") / _sum(google, "impressions"), abs=1e-6)


def test_ad_performance_by_campaign_of_one_channel_named_as_the_artist_says_it(promo):
    r = pt.ad_performance(_ctx(promo.me), period="last_month", channel="YouTube ads", level="campaign")
    assert (r["from"], r["to"], r["channel"]) == ("2026-02-01", "2026-02-28", "google_ads")
    by = {i["key"]: i for i in r["items"]}
    assert set(by) == {"g-brand", "g-waste"} and by["g-waste"]["name"] == "Broad display"
    for key, item in by.items():
        mine = _in(promo.rows, date(2026, 2, 1), date(2026, 2, 28), campaign_id=key)
        assert _amount(item["spend"]) == _sum(mine, "spend") and item["conversions"] == _sum(mine, "conversions")
    assert by["g-waste"]["roas"] < 1 < by["g-brand"]["roas"]
    with pytest.raises(ModelRetry, match="TikTok"):
        pt.ad_performance(_ctx(promo.me), channel="myspace")


def test_worth_it_verdicts_with_medians_trend_and_fatigue(promo):
    r = pt.ad_worth_it(_ctx(promo.me), channel="tiktok")
    first = TODAY - timedelta(days=28)
    assert (r["from"], r["to"]) == (first.isoformat(), LAST.isoformat())
    cr = {i["key"]: i for i in r["creatives"]}
    assert set(cr) == {"tt-tired", "tt-fresh"}  # one channel only
    roas = {}
    for key in cr:
        mine = _in(promo.rows, first, LAST, creative_id=key)
        roas[key] = float(_sum(mine, "revenue") / _sum(mine, "spend"))
        assert cr[key]["roas"] == pytest.approx(roas[key], abs=1e-4)
        week = _in(promo.rows, LAST - timedelta(days=6), LAST, creative_id=key)
        assert cr[key]["ctr_last_week"] == pytest.approx(_sum(week, "clicks") / _sum(week, "impressions"), abs=1e-6)
    assert cr["tt-tired"]["median_roas"] == pytest.approx((roas["tt-tired"] + roas["tt-fresh"]) / 2, abs=1e-4)
    assert cr["tt-tired"]["worth"] == "fading" and cr["tt-fresh"]["worth"] == "worth_it"
    start = date.fromisoformat(cr["tt-tired"]["fatigue"]["start"])
    assert abs((start - TIRED_FROM).days) <= 3 and cr["tt-tired"]["fatigue"]["drop_pct"] < -40
    launch = _in(promo.rows, START, START + timedelta(days=6), creative_id="tt-tired")
    assert cr["tt-tired"]["ctr_first_week"] == pytest.approx(_sum(launch, "clicks") / _sum(launch, "impressions"),
                                                             abs=1e-6)
    assert cr["tt-tired"]["ctr_last_week"] < cr["tt-tired"]["ctr_first_week"] * 0.6
    every = pt.ad_worth_it(_ctx(promo.me))
    camp = {i["key"]: i["worth"] for i in every["campaigns"]}
    assert camp["g-waste"] == "not_worth_it" and camp["g-brand"] == "worth_it" and camp["m-camp"] == "too_early"
    assert {i["channel"]: i["worth"] for i in every["channels"]}["meta_ads"] == "too_early"
    one = pt.ad_worth_it(_ctx(promo.me), creative="G-WASTE")
    assert [i["key"] for i in one["creatives"]] == ["g-waste-ad"] and one["creatives"][0]["worth"] == "not_worth_it"


def test_merch_sales_and_the_share_credited_to_each_ad_channel(promo):
    r = pt.merch_sales(_ctx(promo.me), period="last_30_days")
    first = TODAY - timedelta(days=29)
    mine = [o for o in ORDERS if first <= o.day <= TODAY]
    [eur] = r["currencies"]
    total = sum((o.revenue for o in mine), Decimal(0))
    assert eur["orders"] == sum(o.orders for o in mine) and _amount(eur["revenue"]) == total
    by = {b["label"]: b for b in eur["by_channel"] if b["label"]}
    for source, label in CREDIT.items():
        part = sum((o.revenue for o in mine if o.attributed_channel == source), Decimal(0))
        assert _amount(by[label]["revenue"]) == part
        assert by[label]["share_pct"] == pytest.approx(float(part / total * 100), abs=0.05)


async def test_advice_is_the_brains_ranked_actions_with_their_status(promo):
    await run_brain(promo.me.workspace_id, today=TODAY)
    r = pt.promotion_advice(_ctx(promo.me), limit=10)
    names = await dbmod.run(_names, promo.me.workspace_id)  # sentences say the creatives' names
    expected = brain(promo.rows, None, TODAY, names=names).actions  # the brain on the rows put in
    assert r["has_data"] and r["run"]["today"] == TODAY.isoformat()
    assert [a["sentence"] for a in r["actions"]] == [a.sentence for a in expected][:10]
    assert [_amount(a["impact_per_day"]) for a in r["actions"]] == [a.impact.amount for a in expected][:10]
    assert any(f["creative"] == "tt-tired" and f["channel"] == "TikTok ads" for f in r["run"]["fatigue"])
    with session() as s:
        first = s.exec(select(PromotionAction).where(PromotionAction.workspace_id == promo.me.workspace_id)
                       .order_by(PromotionAction.rank)).first()
        first.status = ActionStatus.accepted
        s.add(first)
        s.commit()
        sentence = first.sentence
    accepted = pt.promotion_advice(_ctx(promo.me), status="accepted")
    assert [a["sentence"] for a in accepted["actions"]] == [sentence]
    assert sentence not in [a["sentence"] for a in pt.promotion_advice(_ctx(promo.me))["actions"]]
    # The other workspace has no run: it never sees this one's.
    assert pt.promotion_advice(_ctx(promo.other))["no_run"] is True


def test_another_workspaces_rows_never_appear(promo):
    r = pt.ad_performance(_ctx(promo.other), period="all", level="creative")
    assert [i["key"] for i in r["items"]] == ["other-ad"] and r["currencies"] == ["EUR"]
    assert _amount(r["totals"][0]["spend"]) == _sum(promo.other_rows, "spend")
    mine = pt.ad_performance(_ctx(promo.me), period="all", level="creative")
    assert "other-ad" not in {i["key"] for i in mine["items"]}
    assert pt.merch_sales(_ctx(promo.other))["not_connected"] is True
    tiktok = pt.ad_worth_it(_ctx(promo.other), channel="TikTok")
    assert tiktok["channel_not_connected"] and tiktok["connected"] == ["Google ads"]


def test_no_channel_is_a_clear_answer_not_numbers(db):
    me = make_scope("Nothing")
    for r in (pt.ad_performance(_ctx(me)), pt.ad_worth_it(_ctx(me)), pt.promotion_advice(_ctx(me))):
        assert r["has_data"] is False and r["message"] == pt.NOT_CONNECTED


# ------------------------------------------------------------------ the offline analyst
def _usd(x: Decimal) -> str:
    return f"${x:,.2f}"


def _eur(x: Decimal) -> str:
    return f"€{x:,.2f}"


async def test_is_my_tiktok_ad_still_worth_it(promo):
    text = await _ask(promo.me, "is my TikTok ad still worth it?")
    first = TODAY - timedelta(days=28)
    tired = _in(promo.rows, first, LAST, creative_id="tt-tired")
    tiktok = _in(promo.rows, first, LAST, channel="tiktok")
    assert f"TikTok ads: worth it — {_usd(_sum(tiktok, 'spend'))} spent" in text
    assert (f"\"tt-tired\" (TikTok ads): still pays ({_usd(_sum(tired, 'spend'))} spent, "
            f"{_usd(_sum(tired, 'revenue'))} back, ROAS {float(_sum(tired, 'revenue') / _sum(tired, 'spend')):.2f})"
            in text)
    assert "wearing out" in text and "since Feb" in text


async def test_which_creative_is_wasting_money(promo):
    text = await _ask(promo.me, "which creative is wasting money?")
    first = TODAY - timedelta(days=28)
    waste = _in(promo.rows, first, LAST, creative_id="g-waste-ad")
    assert "Wasting money or wearing out:" in text
    assert (f"\"g-waste-ad\" (Google ads): not worth it — {_eur(_sum(waste, 'spend'))} spent for "
            f"{_eur(_sum(waste, 'revenue'))} back" in text)
    assert "Broad display" in text  # the campaign, by its name
    assert "Too early to tell: \"m-test\" (Meta ads)" in text
    assert "\"g-brand-ad\" (Google ads): not worth it" not in text


async def test_how_much_did_i_spend_on_ads_in_the_last_30_days(promo):
    text = await _ask(promo.me, "how much did I spend on ads in the last 30 days?")
    rows = _in(promo.rows, TODAY - timedelta(days=29), TODAY)
    for cur, sign in (("USD", _usd), ("EUR", _eur)):
        spend = _sum([r for r in rows if r.currency == cur], "spend")
        assert f"Over the last 30 days you spent {sign(spend)} on ads" in text
    assert "£" in text and "I don't add different currencies together" in text


async def test_what_did_ads_cost_last_month_and_bring_back(promo):
    text = await _ask(promo.me, "what did I spend on ads last month and what did it bring back?")
    feb = _in(promo.rows, date(2026, 2, 1), date(2026, 2, 28))
    usd = [r for r in feb if r.currency == "USD"]
    assert f"Last month you spent {_usd(_sum(usd, 'spend'))} on ads; the platforms credit them with " \
           f"{_usd(_sum(usd, 'revenue'))} in sales" in text
    orders = [o for o in ORDERS if o.day.month == 2]
    assert (f"Last month your shop had {sum(o.orders for o in orders)} orders for "
            f"{_eur(sum((o.revenue for o in orders), Decimal(0)))}") in text


async def test_what_should_i_do_with_my_ad_budget(promo):
    await run_brain(promo.me.workspace_id, today=TODAY)
    text = await _ask(promo.me, "what should I do with my ad budget?")
    top = brain(promo.rows, None, TODAY, names=await dbmod.run(_names, promo.me.workspace_id)).actions[0]
    assert "What to do with your ad budget, most valuable first" in text
    assert top.sentence.rstrip(".") in text


async def test_merch_and_google_campaigns(promo):
    text = await _ask(promo.me, "How much merch did I sell in the last 30 days?")
    mine = [o for o in ORDERS if TODAY - timedelta(days=29) <= o.day <= TODAY]
    tiktok = sum((o.revenue for o in mine if o.attributed_channel == "tiktok"), Decimal(0))
    assert f"your shop had {sum(o.orders for o in mine)} orders" in text and "TikTok ads" in text
    assert _eur(tiktok) in text
    text = await _ask(promo.me, "How are my Google campaigns doing?")
    assert "By campaign:" in text and "- Broad display (Google ads):" in text and "TikTok" not in text


async def test_a_question_in_german(promo):
    text = await _ask(promo.me, "Lohnt sich meine TikTok-Werbung noch?")
    first = TODAY - timedelta(days=28)
    tired = _in(promo.rows, first, LAST, creative_id="tt-tired")
    spend = f"{_sum(tired, 'spend'):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    assert f"\"tt-tired\" (TikTok ads): lohnt sich noch ({spend}\xa0$ ausgegeben" in text
    assert "Beurteilt über die 28 Tage" in text


async def test_what_is_connected_names_the_ad_accounts_and_the_shop(promo):
    text = await _ask(promo.me, "Which platforms are connected?")
    assert "- TikTok ads (USD): ad numbers from Jan 5 to Mar 15." in text
    assert "- Meta ads (GBP): ad numbers from Mar 10 to Mar 15." in text
    assert f"- Shopify (EUR): orders from Jan 5 to {ORDERS[-1].day:%b} {ORDERS[-1].day.day}." in text


async def test_no_ad_account_the_analyst_says_so(db):
    me = make_scope("Nothing")
    text = await _ask(me, "is my TikTok ad still worth it?")
    assert "No ad account connected yet — connect one on the Promotion page" in text
    assert "$" not in text and "€" not in text


def test_tool_choice_for_promotion_questions():
    assert offline.choose_tools("is my TikTok ad still worth it?") == [("ad_worth_it", {"channel": "tiktok"})]
    assert offline.choose_tools("what should I do with my ad budget?") == [("promotion_advice",
                                                                            {"status": "proposed"})]
    assert offline.choose_tools("How did my followers grow this month?") == [("follower_growth",
                                                                              {"period": "this_month"})]
    assert offline.choose_tools("How many orders did my shop get last week?") == [("merch_sales",
                                                                                    {"period": "last_week"})]
    assert offline.choose_tools("How are my Instagram ads doing this month?") == [
        ("ad_performance", {"period": "this_month", "channel": "meta", "level": "channel"})]
    assert offline.choose_tools("Do I get paid by Spotify?")[0][0] == "follower_growth"  # not an ad question
    follow_up = offline.with_context("and on Google?", "is my TikTok ad still worth it?")
    assert offline.choose_tools(follow_up) == [("ad_worth_it", {"channel": "google"})]
    assert to_minor(Decimal("1.005"), "EUR") == 100  # half-even, as every amount above is rounded


def test_junk_arguments_are_refused_with_the_valid_values(db):
    me = make_scope("Junk")
    for call, match in ((lambda: pt.ad_performance(_ctx(me), period="DROP TABLE"), "last_30_days"),
                        (lambda: pt.ad_performance(_ctx(me), level="ad set"), "channel, campaign or creative"),
                        (lambda: pt.ad_worth_it(_ctx(me), channel="myspace"), "TikTok"),
                        (lambda: pt.promotion_advice(_ctx(me), status="maybe"), "proposed"),
                        (lambda: pt.promotion_advice(_ctx(me), limit=99), "1 to 10"),
                        (lambda: pt.merch_sales(_ctx(me), start="2026-13-01"), "YYYY-MM-DD")):
        with pytest.raises(ModelRetry, match=match):
            call()
    shop = make_channel(me.workspace_id, "shopify", "EUR")
    assert shop and pt.ad_performance(_ctx(me))["message"] == pt.NOT_CONNECTED  # a shop is not an ad account
    with pytest.raises(ModelRetry, match="merch_sales"):
        pt.ad_performance(_ctx(_with_ads()), channel="merch")


def _with_ads():
    me = make_scope("Ads")
    make_channel(me.workspace_id, "tiktok_ads", "USD")
    return me


async def test_a_real_model_is_offered_the_promotion_tools_with_their_choices(db):
    from pydantic_ai.messages import ModelResponse, TextPart
    from pydantic_ai.models.function import FunctionModel

    seen = {}

    def model(messages, info):
        seen.update({t.name: t.parameters_json_schema for t in info.function_tools})
        seen["instructions"] = info.instructions
        return ModelResponse(parts=[TextPart("ok")])

    me = _with_ads()
    await career_agent.run("is my TikTok ad still worth it?", deps=AgentDeps(scope=me, today=TODAY),
                           model=FunctionModel(model))
    assert {"ad_performance", "ad_worth_it", "merch_sales", "promotion_advice"} <= set(seen)
    assert seen["ad_performance"]["properties"]["level"]["enum"] == ["channel", "campaign", "creative"]
    assert "accepted" in seen["promotion_advice"]["properties"]["status"]["enum"]
    assert "Promotion: TikTok ads (USD" in seen["instructions"]


async def test_one_answer_reads_the_ad_accounts_once(promo, monkeypatch):
    """The instructions of each model step and each promotion tool ask which ad accounts and
    shops exist: one run reads them once (three queries), whatever the steps."""
    reads = []
    real = pt.pa.channels
    monkeypatch.setattr(pt.pa, "channels", lambda scope: reads.append(scope) or real(scope))
    text = await _ask(promo.me, "Is my TikTok ad worth it?")
    assert text and len(reads) == 1
    await _ask(promo.me, "How are my merch sales?")  # a new run reads them afresh
    assert len(reads) == 2
