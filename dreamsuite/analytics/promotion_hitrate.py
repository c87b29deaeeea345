"""How good the brain's advice has been: how often it is taken ("action adoption") and how
close its promised impact came to what followed ("prediction accuracy").

An action is a hit when what was observed after it went the promised way and reached at
least `HIT_SHARE` (half) of the promise — the promise is an estimate, and half of it still
tells the artist the advice was worth taking; less (or the wrong way) is a miss. Beside the
hit rate: the median ratio observed / predicted (1.0 is calibrated, under 1 is promising too
much) and the mean absolute error as a share of the promise. Each action compares its own
prediction with its own outcome, in its own currency, so no rate is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from dreamsuite.analytics.money import CurrencyMismatch, Money

HIT_SHARE = 0.5


@dataclass(frozen=True)
class PastAction:
    key: str
    kind: str
    predicted: Money  # the impact the action promised (per day, as it was shown)
    accepted: bool | None  # None: shown, never answered
    observed: Money | None = None  # measured afterwards over the same unit (per day); None: not yet


@dataclass(frozen=True)
class HitRate:
    shown: int
    decided: int  # accepted or dismissed
    accepted: int
    adoption: float | None  # accepted / decided
    measured: int  # accepted with an outcome
    hits: int
    prediction_accuracy: float | None  # hits / measured
    median_ratio: float | None  # observed / predicted
    mean_abs_error_pct: float | None
    by_kind: dict

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def _ratio(a: PastAction) -> float | None:
    if a.observed.currency != a.predicted.currency:
        raise CurrencyMismatch(
            f"action {a.key}: predicted in {a.predicted.currency}, observed in {a.observed.currency}")
    return float(a.observed.amount / a.predicted.amount) if a.predicted.amount else None


def hit_rate(history: list[PastAction], _by_kind: bool = True) -> HitRate:
    decided = [a for a in history if a.accepted is not None]
    accepted = [a for a in decided if a.accepted]
    ratios = [r for a in accepted if a.observed is not None and (r := _ratio(a)) is not None]
    hits = sum(r >= HIT_SHARE for r in ratios)
    by_kind = {}
    if _by_kind:
        for kind in sorted({a.kind for a in history}):
            k = hit_rate([a for a in history if a.kind == kind], False)
            by_kind[kind] = {"adoption": k.adoption, "prediction_accuracy": k.prediction_accuracy,
                             "shown": k.shown, "measured": k.measured}
    return HitRate(
        len(history), len(decided), len(accepted), round(len(accepted) / len(decided), 4) if decided else None,
        len(ratios), hits, round(hits / len(ratios), 4) if ratios else None,
        round(median(ratios), 4) if ratios else None,
        round(sum(abs(r - 1) for r in ratios) / len(ratios) * 100, 1) if ratios else None, by_kind)
