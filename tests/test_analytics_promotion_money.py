"""Money in the promotion brain: Decimal with its currency, half-even to the minor unit, never
two currencies summed without a rate, ratios None on a zero denominator."""

from datetime import date
from decimal import Decimal

import pytest

from dreamsuite.analytics import money as mo
from dreamsuite.analytics.promotion_data import DailyAdRow, ad_frame

D = date(2026, 3, 2)


def test_rounding_is_half_even_to_the_minor_unit():
    assert mo.Money(Decimal("2.345"), "EUR").amount == Decimal("2.34")  # 4 is even: stays
    assert mo.Money(Decimal("2.355"), "EUR").amount == Decimal("2.36")  # 5 odd: up to 6
    assert mo.Money(Decimal("2.5"), "JPY").amount == Decimal("2")  # yen have no decimals
    assert mo.Money(Decimal("3.5"), "JPY").amount == Decimal("4")
    assert mo.Money(Decimal("1.2345"), "KWD").amount == Decimal("1.234")  # three decimals
    assert mo.Money(Decimal("10"), "usd").to_dict() == {"amount": "10.00", "currency": "USD"}
    assert mo.Money.minor(1050, "JPY").amount == Decimal("1050")
    assert mo.Money.minor(1050, "EUR").amount == Decimal("10.50")


def test_euros_and_dollars_are_never_summed_without_a_rate():
    eur, usd = mo.Money(Decimal("10"), "EUR"), mo.Money(Decimal("5"), "USD")
    with pytest.raises(mo.CurrencyMismatch):
        eur + usd
    with pytest.raises(mo.CurrencyMismatch):
        mo.total([eur, usd])
    assert mo.by_currency([eur, usd, eur]) == {"EUR": mo.Money(Decimal("20"), "EUR"), "USD": usd}
    rates = mo.RateTable("EUR", {(D, "USD"): Decimal("0.92")})
    assert eur + rates.convert(usd, D) == mo.Money(Decimal("14.60"), "EUR")
    # A Saturday without a fixing takes Friday's; a month-old rate is refused.
    assert rates.rate(date(2026, 3, 7), "USD") == Decimal("0.92")
    with pytest.raises(mo.MissingRate):
        rates.rate(date(2026, 4, 2), "USD")


def test_ratios_are_none_not_zero_or_infinite_without_a_denominator():
    assert mo.roas(1000, 0) is None and mo.roas(0, 500) == 0.0 and mo.roas(1500, 500) == 3.0
    assert mo.cpa(mo.Money(Decimal("30"), "EUR"), 0) is None
    assert mo.cpa(mo.Money(Decimal("10"), "EUR"), 3).amount == Decimal("3.33")
    assert mo.ctr(5, 0) is None and mo.ctr(3, 200) == 0.015


def row(cur: str, spend: str, revenue: str = "0") -> DailyAdRow:
    return DailyAdRow(D, "meta", "c", "x", cur, Decimal(spend), 100, 2, 1, Decimal(revenue))


def test_the_table_keeps_currencies_apart_or_converts_each_day():
    rows = [row("EUR", "10.005"), row("JPY", "1500"), row("USD", "3.10", "9.99")]
    kept = ad_frame(rows).df
    assert list(kept["currency"]) == ["EUR", "JPY", "USD"]
    assert list(kept["spend"]) == [1000, 1500, 310]  # minor units, 10.005 → 10.00 half-even
    rates = mo.RateTable("EUR", {(D, "JPY"): Decimal("0.0061"), (D, "USD"): Decimal("0.92")})
    conv = ad_frame(rows, rates)
    assert conv.base == "EUR" and set(conv.df["currency"]) == {"EUR"}
    assert list(conv.df["spend"]) == [1000, 915, 285]  # 9.15 EUR; 2.852 → 2.85
    assert list(conv.df["revenue"]) == [0, 0, 919]
