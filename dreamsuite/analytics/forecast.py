"""Where a series is heading: the next `horizon` days with an uncertainty band.

Method: exponential smoothing (ETS) state-space models from statsmodels — additive errors
with no trend, a trend or a damped trend, and, from four weeks of history, an additive
weekly season — fitted to the last year of days and chosen by AICc. Additive errors give
analytic prediction intervals, so the same series always gives the same forecast (no
simulation, no seed).

Why statsmodels rather than statsforecast (both measured on 3 years of daily data,
2 cores, Python 3.11): statsforecast 2.1's AutoETS(season_length=7) took 0.67 s per series,
4.8 s to import and 247 MB of memory, and installs 443 MB (it pulls statsmodels, pandas,
pyarrow and fugue in as well); statsmodels 0.15's ETSModel took 0.35–0.55 s for one model
and 0.6–0.8 s for the six-model AICc choice on the full 3 years, 3.6 s to import, 168 MB,
and installs 48 MB with numpy, scipy and pandas. Speed is alike; statsmodels is a tenth of
the install and two thirds of the memory. On the last 365 days, as used here, the six-model
choice took 0.30–0.40 s per series (the first in a process up to 1 s more) in 160 MB. Too
slow for a page load either way: the worker computes forecasts and stores them. statsmodels
is imported on the first forecast, not with this module.

Fewer than 14 points: None — there is no honest band to draw from less than two weeks.
A series that never moved (or on which no model fits) gets the method "flat": the last
value, with a band that widens like a random walk of its daily steps (none if it never moved).

No band is narrower than a random walk's with drift (√h × the spread of the daily steps):
an ETS fit whose smoothing weights go to zero on a smooth series (a straight line plus
noise) would otherwise draw the same narrow band at day 90 as at day 1, claiming to know
next quarter to the follower.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist

from dreamsuite.analytics.growth import _clean_numbers

MIN_POINTS = 14
SEASONAL_FROM = 28  # days of history before a weekly season is tried
MAX_HISTORY = 365  # days fitted: the last year says more about next month than three do
MAX_HORIZON = 366
CANDIDATES = (  # (trend, damped, seasonal)
    (None, False, None), ("add", False, None), ("add", True, None),
    (None, False, "add"), ("add", False, "add"), ("add", True, "add"),
)


@dataclass(frozen=True)
class Forecast:
    method: str  # e.g. "ETS(A,Ad,A)": additive error, damped trend, weekly season; or "flat"
    points: list[tuple[date, float, float, float]]  # (day, mean, lo, hi)
    level: int  # % of the band

    def as_dict(self) -> dict:
        return {"method": self.method, "level": self.level,
                "points": [[d.isoformat(), m, lo, hi] for d, m, lo, hi in self.points]}


def daily(series) -> list[tuple[date, float]]:
    """One value a day from the first point to the last, gaps filled on a straight line
    between their neighbours, the last `MAX_HISTORY` days only."""
    s = _clean_numbers(series or [])
    out: list[tuple[date, float]] = []
    for (d0, v0), (d1, v1) in zip(s, s[1:]):
        span = (d1 - d0).days
        out += [(d0 + timedelta(days=k), v0 + (v1 - v0) * k / span) for k in range(span)]
    if s:
        out.append((s[-1][0], float(s[-1][1])))
    return out[-MAX_HISTORY:]


def _label(trend, damped, seasonal) -> str:
    t = "N" if trend is None else "Ad" if damped else "A"
    return f"ETS(A,{t},{'A' if seasonal else 'N'})"


def _fit_best(y: list[float], first: date):
    import numpy as np
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    # statsmodels 0.15 needs a dated index for get_prediction (a bare array fails there).
    endog = pd.Series(np.asarray(y, dtype=float), index=pd.date_range(first, periods=len(y), freq="D"))
    best = None
    for trend, damped, seasonal in CANDIDATES:
        if seasonal and len(y) < SEASONAL_FROM:
            continue
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                fit = ETSModel(endog, error="add", trend=trend, damped_trend=damped, seasonal=seasonal,
                               seasonal_periods=7 if seasonal else None).fit(disp=False)
        except (ValueError, np.linalg.LinAlgError):
            continue
        if math.isfinite(fit.aicc) and (best is None or fit.aicc < best[0].aicc):
            best = (fit, _label(trend, damped, seasonal))
    return best


def _step_sd(y: list[float]) -> float:
    steps = [b - a for a, b in zip(y, y[1:])]
    mean = sum(steps) / len(steps)
    return math.sqrt(sum((s - mean) ** 2 for s in steps) / max(1, len(steps) - 1))


def _flat(y: list[float], last: date, horizon: int, z: float) -> list[tuple[date, float, float, float]]:
    """No change expected; the band widens like a random walk's (√h × the daily step's spread)."""
    sd = _step_sd(y)
    return [(last + timedelta(days=h), y[-1], y[-1] - z * sd * math.sqrt(h), y[-1] + z * sd * math.sqrt(h))
            for h in range(1, horizon + 1)]


def forecast(series, horizon: int = 30, level: int = 80) -> Forecast | None:
    """The next `horizon` days after the last point, with a `level` % band (10–99)."""
    s = daily(series)
    real = len(_clean_numbers(series or []))
    if real < MIN_POINTS or len(s) < MIN_POINTS or not 1 <= horizon <= MAX_HORIZON or not 10 <= level <= 99:
        return None
    y = [v for _, v in s]
    first, last = s[0][0], s[-1][0]
    z = NormalDist().inv_cdf(0.5 + level / 200)
    best = _fit_best(y, first) if max(y) > min(y) else None
    if best is None:
        method, raw = "flat", _flat(y, last, horizon, z)
    else:
        fit, method = best
        frame = fit.get_prediction(start=len(y), end=len(y) + horizon - 1).summary_frame(alpha=1 - level / 100)
        sd = _step_sd(y)
        raw = [(last + timedelta(days=h + 1), float(m), min(float(lo), float(m) - z * sd * math.sqrt(h + 1)),
                max(float(hi), float(m) + z * sd * math.sqrt(h + 1)))
               for h, (m, lo, hi) in enumerate(zip(frame["mean"], frame["pi_lower"], frame["pi_upper"]))]
    floor = 0.0 if min(y) >= 0 else -math.inf  # counts never go below zero
    points = [(d, round(max(m, floor), 2), round(max(lo, floor), 2), round(max(hi, floor), 2))
              for d, m, lo, hi in raw]
    return Forecast(method, points, level)
