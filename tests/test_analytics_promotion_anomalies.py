"""Spend and CPA anomalies per channel on seeded series with busy weekends: a planted spend
spike and a CPA jump found on their day, and nothing on the ordinary weekends or pauses."""

import random
from datetime import timedelta
from decimal import Decimal

from dreamsuite.analytics import promotion_anomalies as pa
from tests.promotion_synth import START, creative

SPIKE, JUMP = 70, 88  # day indexes: a Monday and a Friday


def workspace(seed: int):
    rng = random.Random(seed)
    pauses = (30, 31, 32)  # the whole channel paused: zero-spend rows
    rows = creative(rng, creative_id="a", days=120, spend=200, cvr=0.08, spikes={SPIKE: 3.0},
                    cvr_at={JUMP: 0.03}, paused=pauses)
    rows += creative(rng, creative_id="b", days=120, spend=150, cvr=0.08, cvr_at={JUMP: 0.03}, paused=pauses)
    rows += creative(rng, channel="google", creative_id="g", currency="USD", days=120, spend=120, cvr=0.08,
                     gaps=0.1)  # days without a row: skipped, not zeros
    return rows


def test_a_spend_spike_and_a_cpa_jump_are_found_on_their_day_and_nothing_else():
    for seed in range(1, 11):
        found = pa.promotion_anomalies(workspace(seed))
        got = {(a.channel, a.metric, a.day, a.kind) for a in found}
        assert ("meta", "spend", START + timedelta(days=SPIKE), "spike") in got, (seed, got)
        assert ("meta", "cpa", START + timedelta(days=JUMP), "spike") in got, (seed, got)
        others = got - {("meta", "spend", START + timedelta(days=SPIKE), "spike"),
                        ("meta", "cpa", START + timedelta(days=JUMP), "spike")}
        assert len(others) <= 2, (seed, others)  # at 3.5 noise units, about one a year per series
        assert not any(d.weekday() >= 5 and k == "spike" for _, _, d, k in others)  # busy weekends are normal
        assert not any(START + timedelta(days=30) <= d <= START + timedelta(days=32) for _, _, d, _ in got)


def test_money_of_an_anomaly_and_since():
    found = pa.promotion_anomalies(workspace(1), since=START + timedelta(days=SPIKE))
    spike = next(a for a in found if a.metric == "spend")
    assert spike.day == START + timedelta(days=SPIKE) and spike.currency == "EUR"
    assert spike.value.amount > Decimal("1.8") * spike.expected.amount  # one of two creatives tripled
    assert spike.to_dict()["value"]["currency"] == "EUR"
    assert all(a.day >= START + timedelta(days=SPIKE) for a in found)
