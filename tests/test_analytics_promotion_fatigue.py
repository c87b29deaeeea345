"""Creative fatigue on seeded creatives: a planted decay found with its start day (±2 days),
a sudden drop too, and nothing on healthy creatives — with gaps, pauses, a creative launched
mid-series, and a small creative whose noise is large."""

import random
from datetime import timedelta

import pytest

from dreamsuite.analytics import promotion_fatigue as pf
from tests.promotion_synth import START, creative


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_a_planted_decay_is_found_with_its_start_day(seed):
    rng = random.Random(seed)
    launch = START + timedelta(days=20)  # launched mid-series
    rows = creative(rng, creative_id="tired", start=launch, days=70, fatigue_from=30, gaps=0.08, paused=(12, 13))
    rows += creative(rng, creative_id="healthy", days=120, gaps=0.1, paused=(40, 41, 42))
    rows += creative(rng, channel="google", creative_id="healthy-usd", currency="USD", days=120, ctr=0.008)
    rows += creative(rng, creative_id="small", days=120, spend=3.0)  # ~6 clicks a day: noisy, never judged
    found = pf.fatigue(rows)
    assert [f.creative for f in found] == ["tired"]
    f = found[0]
    assert f.launched == launch
    assert abs((f.start - (launch + timedelta(days=30))).days) <= 2, f.start
    assert f.start < f.detected and f.ongoing
    assert -65 < f.drop_pct < -45  # planted: 55 % under its own baseline after the decay
    assert f.frequency_rise_pct > 100 and f.to_dict()["start"] == f.start.isoformat()


def test_a_sudden_drop_is_dated_where_it_happened():
    rng = random.Random(9)
    rows = creative(rng, creative_id="cliff", days=60, fatigue_from=25, decay_days=1, floor=0.6)
    (f,) = pf.fatigue(rows)
    assert abs((f.start - (START + timedelta(days=25))).days) <= 2
    assert -48 < f.drop_pct < -32


def test_a_recovered_creative_is_reported_as_no_longer_ongoing_and_noise_is_not_fatigue():
    rng = random.Random(4)
    tired = creative(rng, creative_id="x", days=40, fatigue_from=15, decay_days=3)
    fresh = creative(rng, creative_id="x", start=START + timedelta(days=40), days=20)  # CTR back to normal
    (f,) = pf.fatigue(tired + fresh)
    assert not f.ongoing
    assert pf.fatigue(creative(random.Random(8), days=365, gaps=0.2)) == []
    assert pf.fatigue([]) == []
