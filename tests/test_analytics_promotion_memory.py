"""Memory on a seeded workspace: totals per level and currency, known winners and losers with
confidence, "too early" for tiny spend, ROAS None for zero spend."""

import random
from datetime import timedelta
from decimal import Decimal

from dreamsuite.analytics import promotion_memory as pm
from dreamsuite.analytics.money import Money, RateTable
from tests.promotion_synth import START, creative


def workspace():
    rng = random.Random(11)
    rows = []
    rows += creative(rng, creative_id="winner", aov=60.0, gaps=0.1)  # ROAS ≈ 60·0.05·0.02/0.008 = 7.5
    rows += creative(rng, creative_id="average", aov=25.0)  # ≈ 3.1
    rows += creative(rng, creative_id="loser", aov=8.0, paused=(10, 11, 12))  # ≈ 1.0
    rows += creative(rng, creative_id="tiny", spend=0.6, start=START + timedelta(days=50), days=10)
    rows += creative(rng, creative_id="idle", spend=0.0, days=5)
    rows += creative(rng, channel="google", campaign="g1", creative_id="yt1", currency="USD", aov=30.0, gaps=0.2)
    rows += creative(rng, channel="tiktok", campaign="t1", creative_id="tt1", currency="JPY", spend=6000,
                     cpm=1200, places=0)
    return rows


def by_key(mem):
    return {p.key: p for p in mem.performers}


def test_totals_per_creative_are_exact_and_kept_in_their_currency():
    rows = workspace()
    mem = pm.memory(rows, "creative")
    got = by_key(mem)
    w = [r for r in rows if r.creative_id == "winner"]
    assert got["winner"].spend == Money(sum(r.spend for r in w), "EUR")
    assert got["winner"].conversions == sum(r.conversions for r in w)
    assert got["yt1"].currency == "USD" and got["tt1"].currency == "JPY"
    assert got["tt1"].spend.amount == got["tt1"].spend.amount.to_integral_value()  # yen: no decimals


def test_best_and_worst_with_confidence_and_too_early_for_tiny_spend():
    mem = pm.memory(workspace(), "creative")
    got = by_key(mem)
    assert got["tiny"].verdict == "too early" and got["winner"].verdict == "judged"
    eur_best = [r.performance.key for r in mem.best if r.performance.currency == "EUR"]
    eur_worst = [r.performance.key for r in mem.worst if r.performance.currency == "EUR"]
    assert eur_best[0] == "winner" and eur_worst[0] == "loser"
    assert "tiny" not in eur_best + eur_worst
    assert mem.best[0].confidence == "high" and mem.worst[0].confidence == "high"
    assert got["winner"].roas_low < got["winner"].roas < got["winner"].roas_high
    assert 5.5 < got["winner"].roas < 9.5 and 0.7 < got["loser"].roas < 1.4


def test_roas_cpa_ctr_are_none_without_a_denominator():
    got = by_key(pm.memory(workspace(), "creative"))
    idle = got["idle"]
    assert idle.spend == Money(Decimal(0), "EUR") and idle.roas is None and idle.cpa is None and idle.ctr is None
    assert idle.verdict == "too early"


def test_a_window_and_a_channel_level_in_one_currency_with_rates():
    rows = workspace()
    mem = pm.memory(rows, "channel", start=START + timedelta(days=30), end=START + timedelta(days=39))
    spends = {(p.key, p.currency): p.spend for p in mem.performers}
    assert set(spends) == {("meta", "EUR"), ("google", "USD"), ("tiktok", "JPY")}
    want = sum(r.spend for r in rows if r.channel == "meta" and 30 <= (r.day - START).days <= 39)
    assert spends[("meta", "EUR")] == Money(want, "EUR")
    rates = RateTable("EUR", {(START + timedelta(days=i), c): Decimal(v) for i in range(60)
                              for c, v in (("USD", "0.9"), ("JPY", "0.006"))})
    conv = pm.memory(rows, "channel", rates=rates)
    assert {p.currency for p in conv.performers} == {"EUR"} and len(conv.performers) == 3
    assert conv.to_dict()["performers"][0]["spend"]["currency"] == "EUR"
