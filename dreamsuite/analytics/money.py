"""Money: a Decimal with its currency, rounded half-even to the currency's minor unit.

Amounts in different currencies are never summed silently: `Money + Money` of two currencies
raises `CurrencyMismatch`; `convert` uses a `RateTable` of daily rates, and `by_currency`
keeps totals apart. Ratios (ROAS, CPA, CTR) are derived, never stored, and are None — not 0
nor infinity — when their denominator is 0.

Inside the analytics amounts travel as integers of minor units (cents; yen for JPY), so
sums over hundreds of thousands of rows stay exact and vectorised; `Money` is what comes out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from typing import Iterable, Mapping

from babel.numbers import UnknownCurrencyError, get_currency_precision

RATE_LOOKBACK = 7  # days a rate may be carried forward (weekends and holidays have no fixing)


class CurrencyMismatch(ValueError):
    """Two currencies met where no rate was given."""


class MissingRate(LookupError):
    """No rate for a currency on or shortly before a day."""


@lru_cache(maxsize=512)
def minor_units(currency: str) -> int:
    """Digits after the decimal point of a currency: ISO 4217 as CLDR (babel) gives it — the same
    table the connectors round with (platforms/promotion_base.minor_unit); 2 when unknown."""
    try:
        return int(get_currency_precision(currency.upper()))
    except (UnknownCurrencyError, ValueError, AttributeError):
        return 2


def quantize(amount: Decimal | int | str, currency: str) -> Decimal:
    """Rounded half-even (banker's rounding: no drift upwards over many roundings) to the minor unit."""
    return Decimal(amount).quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_EVEN)


def to_minor(amount: Decimal | int | str, currency: str) -> int:
    return int(quantize(amount, currency).scaleb(minor_units(currency)))


def from_minor(n: int | float, currency: str) -> Decimal:
    return quantize(Decimal(int(round(n))).scaleb(-minor_units(currency)), currency)


@dataclass(frozen=True, order=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self):
        object.__setattr__(self, "currency", self.currency.upper())
        object.__setattr__(self, "amount", quantize(self.amount, self.currency))

    @classmethod
    def minor(cls, n: int | float, currency: str) -> "Money":
        return cls(from_minor(n, currency), currency)

    def _same(self, other: "Money") -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency} need a rate to be combined")

    def __add__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, k: Decimal | int | float) -> "Money":
        return Money(self.amount * (k if isinstance(k, Decimal) else Decimal(str(k))), self.currency)

    def __neg__(self) -> "Money":
        return Money(-self.amount, self.currency)

    def to_dict(self) -> dict:
        return {"amount": str(self.amount), "currency": self.currency}

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def by_currency(amounts: Iterable[Money]) -> dict[str, Money]:
    """Totals kept per currency (what to show when there is no rate)."""
    out: dict[str, Money] = {}
    for m in amounts:
        out[m.currency] = out[m.currency] + m if m.currency in out else m
    return dict(sorted(out.items()))


def total(amounts: Iterable[Money]) -> Money | None:
    """The sum of amounts all in one currency; CurrencyMismatch otherwise; None for none."""
    out = None
    for m in amounts:
        out = m if out is None else out + m
    return out


@dataclass(frozen=True)
class RateTable:
    """Daily rates into `base`: rates[(day, "USD")] = how many `base` units one USD bought that day.
    A day without a fixing uses the latest one of the `RATE_LOOKBACK` days before it."""
    base: str
    rates: Mapping[tuple[date, str], Decimal]

    def rate(self, day: date, currency: str) -> Decimal:
        currency = currency.upper()
        if currency == self.base.upper():
            return Decimal(1)
        for back in range(RATE_LOOKBACK + 1):
            r = self.rates.get((day - timedelta(days=back), currency))
            if r is not None:
                return Decimal(r)
        raise MissingRate(f"no {currency}→{self.base} rate on or within {RATE_LOOKBACK} days before {day}")

    def convert(self, money: Money, day: date) -> Money:
        return Money(money.amount * self.rate(day, money.currency), self.base)


def ratio(num: float | int | Decimal, den: float | int | Decimal, digits: int = 4) -> float | None:
    """num / den rounded, None when den is 0 (a ROAS with no spend is unknown, not 0 nor ∞)."""
    if not den:
        return None
    return round(float(num) / float(den), digits)


def roas(revenue_minor: int, spend_minor: int) -> float | None:
    return ratio(revenue_minor, spend_minor)


def cpa(spend: Money, conversions: int) -> Money | None:
    return Money(spend.amount / conversions, spend.currency) if conversions else None


def ctr(clicks: int, impressions: int) -> float | None:
    return ratio(clicks, impressions, 6)
