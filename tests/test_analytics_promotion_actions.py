"""The brain's next actions on a seeded workspace with known findings — a fatigued creative
still spending, two channels of one currency with known marginal ROAS, yesterday's spend spike,
an overspending budget — ranked by expected impact, one per target, with stable keys; and the
hit rate on a hand-made history."""

import functools
import json
import math
import random
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import pytest

from dreamsuite.analytics import promotion_actions as pa
from dreamsuite.analytics.money import CurrencyMismatch, Money, RateTable
from dreamsuite.analytics.promotion_brain import brain
from dreamsuite.analytics.promotion_data import Budget, DailyAdRow, DailyOrders
from dreamsuite.analytics.promotion_hitrate import PastAction, hit_rate
from tests.promotion_synth import START, WEEKLY, creative

DAYS = 100
TODAY = START + timedelta(days=DAYS)


def concave(rng: random.Random, channel: str, currency: str, k: float, b: float, spend: float) -> list[DailyAdRow]:
    """A channel whose revenue answers spend as k·spend^b (b < 1: diminishing returns)."""
    out = []
    for i in range(DAYS):
        d = START + timedelta(days=i)
        s = spend * WEEKLY[d.weekday()] * rng.lognormvariate(0, 0.3)
        rev = k * s ** b * rng.lognormvariate(0, 0.08)
        imps = int(s * 120)
        clicks = int(imps * 0.015)
        out.append(DailyAdRow(d, channel, f"{channel}-c", f"{channel}-main", currency, Decimal(str(round(s, 2))),
                              imps, clicks, max(1, int(rev / 30)), Decimal(str(round(rev, 2)))))
    return out


@functools.lru_cache(maxsize=None)
def workspace():
    rng = random.Random(21)
    rows = creative(rng, creative_id="tired", start=START + timedelta(days=30), days=70, fatigue_from=35,
                    spend=60, aov=30.0, gaps=0.05)
    rows += creative(rng, creative_id="steady", days=DAYS, spend=80, aov=30.0)
    rows += concave(rng, "tiktok", "EUR", k=3.4 * 100 ** 0.1, b=0.9, spend=100)  # marginal ROAS ≈ 3.1
    rows += concave(rng, "snap", "EUR", k=2.4 * 80 ** 0.5, b=0.5, spend=80)  # ≈ 1.2
    rows += creative(rng, channel="google", creative_id="yt", currency="USD", days=DAYS, spend=50,
                     spikes={DAYS - 1: 4.0})  # yesterday
    budgets = [Budget("meta-q", Money(Decimal("5000"), "EUR"), START + timedelta(days=70), START + timedelta(days=109),
                      channel="meta")]
    orders = [DailyOrders(START + timedelta(days=i), "EUR", 2, Decimal("60.00")) for i in range(0, DAYS, 3)]
    return rows, orders, budgets


def test_marginal_roas_recovers_the_planted_elasticity():
    rows = concave(random.Random(3), "tiktok", "EUR", k=3.4 * 100 ** 0.1, b=0.9, spend=100)
    daily = pd.DataFrame({"spend": [float(r.spend) * 100 for r in rows],
                          "revenue": [float(r.revenue) * 100 for r in rows]},
                         index=pd.DatetimeIndex([r.day for r in rows]))
    m = pa.marginal_roas(daily.tail(56))
    assert abs(m["elasticity"] - 0.9) < 0.15 and abs(m["marginal_roas"] - 3.1) < 0.5


@functools.lru_cache(maxsize=None)
def run(today=TODAY, with_rates=False):
    rows, orders, budgets = workspace()
    rates = RateTable("EUR", {(START + timedelta(days=i), "USD"): Decimal("0.9") for i in range(DAYS + 5)}) \
        if with_rates else None
    return brain(rows, orders, today, budgets, rates)


def test_the_actions_found_ranked_deduplicated_with_evidence():
    got = run()
    kinds = {(a.kind, a.target): a for a in got.actions}
    assert ("pause_creative", "creative:meta/tired") in kinds
    assert ("shift_budget", "channel:snap/EUR") in kinds
    assert ("check_spend", "channel:google/USD") in kinds
    assert ("slow_budget", "budget:meta-q") in kinds
    pause = kinds[("pause_creative", "creative:meta/tired")]
    assert abs(date.fromisoformat(pause.evidence["since"]) - (START + timedelta(days=65))).days <= 2
    assert pause.evidence["ctr_drop_pct"] < -35 and "Pause creative tired on meta: CTR -" in pause.sentence
    shift = kinds[("shift_budget", "channel:snap/EUR")]
    assert shift.evidence["to"] == "tiktok" and shift.evidence["marginal_roas_to"] > 2.4
    assert shift.evidence["marginal_roas_from"] < 1.7 and shift.impact.currency == "EUR"
    move = Money(Decimal(shift.evidence["amount_per_day"]["amount"]), "EUR")
    assert shift.sentence.startswith(f"Move €{move.amount}/day from snap to tiktok: marginal ROAS 3.")
    assert move.amount == move.amount.to_integral_value() and 10 <= move.amount <= 20  # 20 % of ~€75 a day
    gap = shift.evidence["marginal_roas_to"] - shift.evidence["marginal_roas_from"]
    assert shift.impact == move * Decimal(str(gap))
    # Meta's spend barely moves from day to day: its elasticity is unknown, so no move is advised on it.
    assert ("shift_budget", "channel:meta/EUR") not in kinds
    assert shift.evidence["gap_standard_error"] < 0.5 and shift.confidence == "medium"
    assert len({a.target for a in got.actions}) == len(got.actions)  # one per target
    assert len({a.key for a in got.actions}) == len(got.actions)
    assert all(a.impact.amount > 0 and a.impact_per == "day" for a in got.actions)
    # Two currencies and no rate: ranked by impact as a share of each currency's daily spend.
    assert got.ranked_by.startswith("impact as a share")
    assert [a.rank_value for a in got.actions] == sorted((a.rank_value for a in got.actions), reverse=True)
    assert got.notes and "EUR, USD" in got.notes[0]


def test_with_a_rate_everything_is_one_currency_and_ranked_by_money():
    got = run(with_rates=True)
    assert got.currency == "EUR" and got.ranked_by == "impact"
    assert {a.impact.currency for a in got.actions} == {"EUR"}
    # A budget in dollars stays in dollars; its action is ranked at the day's rate.
    rows, orders, _ = workspace()
    usd = Budget("yt", Money(Decimal("1000"), "USD"), START + timedelta(days=80), START + timedelta(days=109),
                 channel="google")
    rates = RateTable("EUR", {(START + timedelta(days=i), "USD"): Decimal("0.9") for i in range(DAYS + 5)})
    mixed = brain(rows, orders, TODAY, [usd], rates)
    slow = next(a for a in mixed.actions if a.target == "budget:yt")
    assert slow.impact.currency == "USD" and mixed.ranked_by == "impact in EUR"
    assert slow.rank_value == pytest.approx(float(slow.impact.amount) * 0.9, abs=0.01)
    assert [a.rank_value for a in mixed.actions] == sorted((a.rank_value for a in mixed.actions), reverse=True)
    amounts = [a.impact.amount for a in got.actions]
    assert amounts == sorted(amounts, reverse=True)


def test_same_input_same_output_and_keys_stay_from_day_to_day():
    a, b = run(), brain(*workspace()[:2], TODAY, workspace()[2])
    assert json.dumps(a.to_dict(), sort_keys=True) == json.dumps(b.to_dict(), sort_keys=True)
    tomorrow = run(TODAY + timedelta(days=1))
    key = lambda r, t: next(x.key for x in r.actions if x.target == t)  # noqa: E731
    assert key(a, "creative:meta/tired") == key(tomorrow, "creative:meta/tired")
    assert key(a, "channel:snap/EUR") == key(tomorrow, "channel:snap/EUR")
    assert not math.isnan(len(a.to_dict()["memory"]["creative"]["performers"]))


def test_dedup_keeps_the_most_valuable_and_names_the_others():
    e = Money(Decimal("1"), "EUR")
    acts = [pa.Action("k1", "check_spend", "channel:x/EUR", e * 5, "high", {}, "a"),
            pa.Action("k2", "shift_budget", "channel:x/EUR", e * 9, "low", {}, "b"),
            pa.Action("k3", "slow_budget", "budget:y", e * 7, "high", {}, "c")]
    out, by = pa.rank(acts, pd.DataFrame({"day": [], "currency": [], "spend": []}), TODAY)
    assert [a.key for a in out] == ["k2", "k3"] and out[0].evidence["also"] == ["check_spend"] and by == "impact"


def test_hit_rate_on_a_hand_made_history():
    eur = lambda x: Money(Decimal(x), "EUR")  # noqa: E731
    history = [
        PastAction("a", "pause_creative", eur("10"), True, eur("12")),  # hit, ratio 1.2
        PastAction("b", "pause_creative", eur("10"), True, eur("4")),  # miss: under half
        PastAction("c", "shift_budget", eur("20"), True, eur("10")),  # hit at exactly half
        PastAction("d", "shift_budget", eur("20"), True, eur("-5")),  # wrong way
        PastAction("e", "shift_budget", eur("20"), False, None),  # dismissed
        PastAction("f", "check_spend", Money(Decimal("30"), "USD"), True, None),  # not measured yet
        PastAction("g", "check_spend", eur("5"), None, None),  # never answered
    ]
    h = hit_rate(history)
    assert (h.shown, h.decided, h.accepted, h.adoption) == (7, 6, 5, round(5 / 6, 4))
    assert (h.measured, h.hits, h.prediction_accuracy) == (4, 2, 0.5)
    assert h.median_ratio == pytest.approx((0.4 + 0.5) / 2)
    assert h.mean_abs_error_pct == pytest.approx((0.2 + 0.6 + 0.5 + 1.25) / 4 * 100, abs=0.1)
    assert h.by_kind["shift_budget"]["adoption"] == round(2 / 3, 4)
    assert hit_rate([]).adoption is None
    with pytest.raises(CurrencyMismatch):
        hit_rate([PastAction("x", "k", eur("1"), True, Money(Decimal("1"), "USD"))])
