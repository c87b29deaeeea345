"""The 14-day forecast of spend and revenue, and budget pacing, on seeded series.

Band coverage, measured: 15 seeded daily spend series (120 days each: a level of 80–300 a
day, a weekly pattern, multiplicative noise of 10–25 %, some with a slow trend and paused
days), each cut 14 days before its end; the 210 held-out days are checked against the 80 %
band of the forecast made on the days before them: 207 of 210 (98.6 %) were inside — the
band is on the cautious side (analytics.forecast never draws it narrower than a random
walk's, whose daily steps on a noisy flat series are √2 × the noise); at 90 %, 208 of 210."""

import random
from datetime import date, timedelta
from decimal import Decimal

from dreamsuite.analytics import promotion_forecast as pf
from dreamsuite.analytics import promotion_pacing as pp
from dreamsuite.analytics.money import Money
from dreamsuite.analytics.promotion_data import Budget, DailyAdRow, DailyOrders
from tests.promotion_synth import START, WEEKLY, creative


def spend_series(seed: int, days: int = 120) -> list[tuple[date, float]]:
    r = random.Random(seed)
    level, noise, trend = r.uniform(80, 300), r.uniform(0.10, 0.25), r.choice([0.0, 0.002, -0.001])
    pauses = set(r.sample(range(days), r.randint(0, 3)))
    return [(START + timedelta(days=i), 0.0 if i in pauses else
             level * (1 + trend * i) * WEEKLY[(START + timedelta(days=i)).weekday()] * r.lognormvariate(0, noise))
            for i in range(days)]


def test_band_coverage_on_held_out_days():
    inside = total = 0
    for seed in range(15):
        s = spend_series(seed)
        fit, held = s[:-14], s[-14:]
        f = pf.money_forecast(fit, "spend", "EUR", "ads", horizon=14, level=80)
        for (d, v), (fd, _, lo, hi) in zip(held, f.points):
            assert d == fd
            inside += float(lo.amount) <= v <= float(hi.amount)
            total += 1
    assert total == 210
    assert inside / total >= 0.80, inside / total


def test_spend_and_shop_revenue_per_currency_from_today():
    rng = random.Random(5)
    rows = creative(rng, days=90, gaps=0.1) + creative(rng, channel="google", currency="USD", days=90, spend=20)
    today = START + timedelta(days=90)
    orders = [DailyOrders(START + timedelta(days=i), "EUR", 3, Decimal("75.00")) for i in range(0, 90, 2)]
    got = {(f.metric, f.currency): f for f in pf.promotion_forecast(rows, today, orders=orders)}
    assert set(got) == {("spend", "EUR"), ("revenue", "EUR"), ("spend", "USD"), ("revenue", "USD")}
    assert got[("revenue", "EUR")].source == "orders" and got[("revenue", "USD")].source == "ads"
    spend = got[("spend", "EUR")]
    assert spend.points[0][0] == today and len(spend.points) == 14
    assert 14 * 30 < spend.total.amount < 14 * 60 and spend.total_low <= spend.total <= spend.total_high
    assert spend.to_dict()["total"]["currency"] == "EUR"


def ad(day: date, spend: str, channel: str = "meta", cur: str = "EUR") -> DailyAdRow:
    return DailyAdRow(day, channel, "camp", "cr", cur, Decimal(spend), 1000, 10, 1, Decimal("0"))


def test_pacing_projects_the_end_and_the_day_the_money_runs_out():
    nov = date(2026, 11, 1)
    rows = [ad(nov + timedelta(days=i), "40.00") for i in range(20)]  # 40 a day for 20 days
    rows += [ad(nov + timedelta(days=20), "999.00")]  # today's partial numbers: not counted
    rows += [ad(nov + timedelta(days=i), "5.00", "google", "USD") for i in range(20)]
    budget = Budget("meta-nov", Money(Decimal("1000"), "EUR"), nov, date(2026, 11, 30))
    (p,) = pp.pacing(rows, [budget], today=nov + timedelta(days=20))
    assert p.spent == Money(Decimal("800"), "EUR") and p.daily_rate == Money(Decimal("40"), "EUR")
    assert p.days_left == 10 and p.projected == Money(Decimal("1200"), "EUR") and p.status == "over"
    assert p.days_until_exhausted == 4 and p.runs_out_on == date(2026, 11, 25)  # 200 left at 40 a day
    assert p.unconverted == ["USD"]  # the dollars were not added to the euros
    assert p.expected_by_now == Money(Decimal("666.67"), "EUR")
    slow = Budget("meta-big", Money(Decimal("3000"), "EUR"), nov, date(2026, 11, 30), channel="meta")
    (q,) = pp.pacing(rows, [slow], today=nov + timedelta(days=20))
    assert q.status == "under" and q.runs_out_on is None and q.days_until_exhausted is None
    (r,) = pp.pacing(rows, [Budget("dec", Money(Decimal("10"), "EUR"), date(2026, 12, 1), date(2026, 12, 31))],
                     today=nov + timedelta(days=20))
    assert r.status == "not started" and r.projected is None
    assert pp.pacing([], [budget], today=nov + timedelta(days=20))[0].daily_rate == Money(Decimal(0), "EUR")


def test_a_dollar_budget_counts_dollars_as_billed_even_when_the_brain_works_in_euros():
    from dreamsuite.analytics.money import RateTable
    from dreamsuite.analytics.promotion_data import ad_frame

    nov = date(2026, 11, 1)
    rows = [ad(nov + timedelta(days=i), "10.00", "google", "USD") for i in range(10)]
    rows += [ad(nov + timedelta(days=i), "9.00", "google", "EUR") for i in range(10)]  # a second account
    rates = RateTable("EUR", {(nov + timedelta(days=i), "USD"): Decimal("0.90") for i in range(10)})
    budget = Budget("g", Money(Decimal("500"), "USD"), nov, date(2026, 11, 30), channel="google")
    (p,) = pp.pacing(ad_frame(rows, rates), [budget], today=nov + timedelta(days=10), rates=rates)
    assert p.spent == Money(Decimal("200.00"), "USD") and p.unconverted == []  # 100 $ + 90 € at 0.90
    (q,) = pp.pacing(rows, [budget], today=nov + timedelta(days=10))
    assert q.spent == Money(Decimal("100.00"), "USD") and q.unconverted == ["EUR"]
