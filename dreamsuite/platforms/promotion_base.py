"""What the promotion channels share (paid ads, a shop's orders): their plain-data results, money,
and their own registry.

Money is a `Decimal` with its currency, parsed from the platform's decimal string (never through a
float) and rounded once, at parse, to the currency's minor unit (babel's CLDR data: JPY 0, USD and
EUR 2, KWD 3) with ROUND_HALF_EVEN. Spend and order totals already come in minor units, so this
changes nothing there; conversion values from a pixel may carry more digits, and rounding each
amount as it arrives keeps every stored row a real amount and every sum exact.

Promotion channels are adapters on the same base as the social platforms (PlatformAdapter and its
HTTP plumbing) but are not social accounts: they are kept out of the Connections catalog and
listed here, in `PROMOTION_CHANNELS`, instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache
from importlib import import_module
from typing import Any

from babel.numbers import UnknownCurrencyError, get_currency_precision

from dreamsuite.platforms.base import Malformed, PlatformAdapter

# name -> module under platforms/ (each with ADAPTER), imported on first use.
PROMOTION_MODULES = {"meta_ads": "meta_ads", "google_ads": "google_ads", "tiktok_ads": "tiktok_ads",
                     "shopify": "shopify"}


@lru_cache(maxsize=512)
def minor_unit(currency: str) -> int:
    """Digits after the decimal point of a currency (ISO 4217 via CLDR); 2 when unknown."""
    try:
        return int(get_currency_precision(currency.upper()))
    except (UnknownCurrencyError, ValueError, AttributeError):
        return 2


def money(value: Any, currency: str, what: str = "amount") -> Decimal:
    """A platform's decimal string (or int) as an exact amount in `currency`, rounded half-even to
    its minor unit. A float is refused: it has already lost the exact value."""
    if isinstance(value, (float, bool)) or value is None:
        raise Malformed(f"An {what} came as {type(value).__name__}, not a decimal string")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise Malformed(f"An {what} could not be read: {str(value)[:40]!r}") from None
    if not amount.is_finite():
        raise Malformed(f"An {what} is not a number: {value!r}")
    return amount.quantize(Decimal(1).scaleb(-minor_unit(currency)), rounding=ROUND_HALF_EVEN)


def from_minor(value: Any, currency: str, what: str = "amount") -> Decimal:
    """An amount given in the currency's minor units ("1050" cents → 10.50; "1050" yen → 1050)."""
    return money(value, currency, what).scaleb(-minor_unit(currency)).quantize(
        Decimal(1).scaleb(-minor_unit(currency)))


def count(value: Any, what: str = "count") -> int:
    """A whole number a platform may send as a string ("1234"); absent is 0."""
    if value is None or value == "":
        return 0
    try:
        return int(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        raise Malformed(f"A {what} could not be read: {str(value)[:40]!r}") from None


# ---------------------------------------------------------------- results
@dataclass
class AdAccount:
    id: str  # act_<number>
    name: str
    currency: str
    timezone: str = ""
    status: int | None = None  # Meta: 1 active, 2 disabled, 3 unsettled, ...


@dataclass
class Campaign:
    id: str
    name: str
    objective: str = ""
    status: str = ""
    daily_budget: Decimal | None = None
    lifetime_budget: Decimal | None = None
    created_at: datetime | None = None


@dataclass
class AdSet:
    id: str
    name: str
    campaign_id: str
    status: str = ""
    daily_budget: Decimal | None = None


@dataclass
class Ad:
    id: str
    name: str
    adset_id: str
    campaign_id: str
    creative_id: str = ""
    status: str = ""


@dataclass
class Creative:
    id: str
    name: str = ""
    title: str = ""
    body: str = ""
    thumbnail_url: str = ""
    object_type: str = ""


@dataclass
class AdDay:
    """One ad's numbers for one day of the account's time zone, in the account's currency."""

    day: date
    campaign_id: str
    campaign_name: str
    adset_id: str
    ad_id: str
    creative_id: str
    currency: str
    spend: Decimal
    impressions: int
    reach: int | None  # None where Meta leaves it out (unknown, not zero)
    clicks: int
    conversions: int  # purchases
    revenue: Decimal  # purchase value


@dataclass
class AdsReport:
    account: AdAccount
    campaigns: list[Campaign] = field(default_factory=list)
    adsets: list[AdSet] = field(default_factory=list)
    ads: list[Ad] = field(default_factory=list)
    creatives: list[Creative] = field(default_factory=list)
    days: list[AdDay] = field(default_factory=list)


@dataclass
class OrderLine:
    title: str
    quantity: int
    unit_price: Decimal
    sku: str = ""
    product_id: str = ""


@dataclass
class Order:
    id: str
    name: str
    created_at: datetime
    currency: str  # the shop's currency (shopMoney)
    total: Decimal
    items: list[OrderLine] = field(default_factory=list)
    customer_id: str = ""
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    referring_site: str = ""
    landing_page: str = ""
    cancelled: bool = False
    more_items: bool = False  # the order has more line items than were read (the total is still whole)


@dataclass
class OrderDay:
    """A day's orders in one currency, credited to the utm_source they came with ("" when none)."""

    day: date
    currency: str
    utm_source: str
    orders: int
    revenue: Decimal


def order_days(orders: list[Order], tz: Any = None) -> list[OrderDay]:
    """Orders summed per day (in `tz`, the shop's zone, when given), currency and source; cancelled
    orders left out."""
    out: dict[tuple[date, str, str], OrderDay] = {}
    for o in orders:
        if o.cancelled:
            continue
        day = (o.created_at.astimezone(tz) if tz else o.created_at).date()
        key = (day, o.currency, o.utm_source)
        found = out.setdefault(key, OrderDay(day, o.currency, o.utm_source, 0, Decimal(0)))
        found.orders += 1
        found.revenue += o.total
    return sorted(out.values(), key=lambda d: (d.day, d.currency, d.utm_source))


@dataclass
class Shop:
    domain: str
    name: str
    currency: str
    timezone: str = ""


# ---------------------------------------------------------------- registry
class PromotionChannel(PlatformAdapter):
    """Marks a promotion channel: same contract and plumbing, its own results (above)."""

    kind: str = "promotion"


def promotion_class(name: str) -> type[PlatformAdapter]:
    module = PROMOTION_MODULES.get(name)
    if module is None:
        raise KeyError(f"Unknown promotion channel {name!r}; known: {', '.join(PROMOTION_MODULES)}")
    return import_module(f"dreamsuite.platforms.{module}").ADAPTER


def promotion_channel(name: str, gate=None) -> PlatformAdapter:
    return promotion_class(name)(gate)


PROMOTION_CHANNELS = tuple(PROMOTION_MODULES)
