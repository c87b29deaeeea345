"""The promotion story the Meta Ads and Shopify emulators tell, deterministic per artist (seeded by
the persona) over the last 180 days: an always-on video campaign whose first creative fatigues
(its click rate decays as the same people see it again and again), a release push around day 95-130
that sells, a broad-interests test that spends and sells almost nothing, and a merch drop (a tour
hoodie) on days 150-168 whose orders arrive in the shop tagged with the campaign's UTM.

Amounts are integers of the currency's minor unit here; the emulators write them as the platforms
do (decimal strings).
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

DAYS = 180


@dataclass(frozen=True)
class PlannedAd:
    key: str
    name: str
    kind: str  # the creative's object_type
    adset: str
    adset_name: str
    campaign: str
    campaign_name: str
    objective: str
    first: int  # day index it runs from (0 = 179 days ago) ...
    last: int  # ... to, inclusive
    spend: int  # daily spend in cents (before the weekday swing)
    ctr: float
    cvr: float  # purchases per click
    basket: int  # cents per purchase
    fatigues: bool = False


_C = {"release": ("Release push — Night Drive", "OUTCOME_SALES", 95, 130),
      "always_on": ("Always-on — Studio diaries", "OUTCOME_AWARENESS", 0, DAYS - 1),
      "broad_test": ("Broad interests test", "OUTCOME_TRAFFIC", 40, 110),
      "merch": ("Merch drop — Tour hoodie", "OUTCOME_SALES", 150, 168)}
_PLAN = (  # campaign, ad set, ad set name, ad, ad name, creative kind, spend, ctr, cvr, basket, fatigues
    ("release", "fans", "Fans & lookalikes", "teaser", "Night Drive teaser 15s", "VIDEO", 2400, .021, .045, 1299,
     False),
    ("release", "fans", "Fans & lookalikes", "cover", "Cover art carousel", "SHARE", 1600, .016, .035, 1299, False),
    ("release", "retarget", "Listeners retargeting", "presave", "Pre-save reminder", "SHARE", 900, .030, .060, 1299,
     False),
    ("always_on", "broad", "Music fans 18-34", "studio_a", "Studio diary #1", "VIDEO", 800, .028, .004, 1299, True),
    ("always_on", "broad", "Music fans 18-34", "studio_b", "Studio diary #2", "VIDEO", 500, .015, .004, 1299, False),
    ("broad_test", "interests", "Broad interests", "generic", "Generic banner", "SHARE", 1800, .009, .0005, 1299,
     False),
    ("merch", "buyers", "Past buyers & fans", "hoodie", "Hoodie lookbook", "SHARE", 3000, .024, .020, 5500, False),
)
PLAN: tuple[PlannedAd, ...] = tuple(
    PlannedAd(key=ad, name=name, kind=kind, adset=adset, adset_name=adset_name, campaign=c, campaign_name=_C[c][0],
              objective=_C[c][1], first=_C[c][2], last=_C[c][3], spend=spend, ctr=ctr, cvr=cvr, basket=basket,
              fatigues=fatigues)
    for c, adset, adset_name, ad, name, kind, spend, ctr, cvr, basket, fatigues in _PLAN)


@dataclass(frozen=True)
class AdNumbers:
    day: date
    ad: PlannedAd
    spend: int
    impressions: int
    reach: int
    clicks: int
    purchases: int
    value: int


def _rng(*parts: object) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:8], "big"))


def start(today: date) -> date:
    return today - timedelta(days=DAYS - 1)


def ad_days(persona: str, today: date, scale: float = 1.0) -> list[AdNumbers]:
    """Every ad's numbers for every day it ran, oldest first; `scale` multiplies money (JPY: 1 yen
    per cent would be too little, so the emulator passes 1.5 for a yen account)."""
    out, first_day = [], start(today)
    for i in range(DAYS):
        day = first_day + timedelta(days=i)
        swing = 1.15 if day.weekday() >= 5 else 1.0
        for ad in PLAN:
            if not ad.first <= i <= ad.last:
                continue
            r, age = _rng(persona, ad.key, day), i - ad.first
            spend = int(ad.spend * swing * r.uniform(0.85, 1.15) * scale)
            impressions = int(spend / scale / r.uniform(6.0, 9.0) * 10)  # a CPM of 6-9 a thousand
            ctr = ad.ctr * (math.exp(-age / 35) * 0.85 + 0.15) if ad.fatigues else ad.ctr * r.uniform(0.9, 1.1)
            frequency = 1.1 + (age / 25 if ad.fatigues else age / 120)
            clicks = int(impressions * ctr)
            purchases = sum(1 for _ in range(clicks) if r.random() < ad.cvr)
            value = sum(int(ad.basket * scale * r.choice((1, 1, 1, 2))) for _ in range(purchases))
            out.append(AdNumbers(day, ad, spend, impressions, max(1, int(impressions / frequency)), clicks, purchases,
                                 value))
    return out


@dataclass(frozen=True)
class PlannedOrder:
    number: int
    day: date
    hour: int
    items: tuple[tuple[str, str, int, int], ...]  # (sku, title, quantity, unit price in cents)
    customer: int
    utm: tuple[str, str, str] | None  # (source, medium, campaign)
    referrer: str


PRODUCTS = (("NDV-LP", "Night Drive — vinyl LP", 2999), ("NDV-CD", "Night Drive — CD", 1299),
            ("HOOD-TOUR", "Tour hoodie", 5500), ("TEE-LOGO", "Logo tee", 2500))


def orders(persona: str, today: date) -> list[PlannedOrder]:
    """The shop's orders, oldest first: a trickle from search and direct visits, more in the release
    week, and the hoodie drop, much of it arriving from the Meta ads (utm_source=facebook)."""
    out, first_day, n = [], start(today), 1000
    for i in range(DAYS):
        day, r = first_day + timedelta(days=i), _rng(persona, "orders", first_day + timedelta(days=i))
        release, drop = 95 <= i <= 130, 150 <= i <= 168
        extra = (r.randint(2, 5) if release else 0) + (r.randint(4, 9) if drop else 0)
        for _ in range(r.choice((0, 0, 1, 1, 2)) + extra):
            n += 1
            if drop and r.random() < 0.7:
                items, campaign = [("HOOD-TOUR", "Tour hoodie", r.choice((1, 1, 2)), 5500)], "merch_drop_tour_hoodie"
            elif release and r.random() < 0.6:
                sku, title, price = PRODUCTS[r.choice((0, 1))]
                items, campaign = [(sku, title, 1, price)], "release_push_night_drive"
            else:
                sku, title, price = r.choice(PRODUCTS)
                items, campaign = [(sku, title, 1, price)], ""
            if r.random() < 0.25:
                sku, title, price = PRODUCTS[3]
                items.append((sku, title, 1, price))
            paid = campaign and r.random() < 0.8
            utm = ("facebook", "paid_social", campaign) if paid else None
            referrer = ("https://l.facebook.com/" if paid else r.choice(("https://www.google.com/", "", "",
                                                                         "https://www.instagram.com/")))
            out.append(PlannedOrder(n, day, r.randint(0, 23), tuple(items), r.randint(1, 400), utm, referrer))
    return out


# ---------------------------------------------------------------- Google Ads (YouTube and Search)
# The same artist on Google: YouTube in-stream ads pushing the release (days 90-135) whose sales grow
# only with the square root of spend (the same fans see the ad again), so each extra dollar returns
# far less than on Meta, and a small search campaign on the artist's name that sells merch all along.
# `objective` holds the campaign's advertising_channel_type, `kind` the ad's type, `adset` its ad group.
_G_C = {"g_release": ("YouTube — Night Drive release", "VIDEO", 90, 135),
        "g_brand": ("Search — artist name", "SEARCH", 0, DAYS - 1)}
_GOOGLE_PLAN = (  # campaign, ad group, its name, ad, ad name, ad type, spend, ctr, cvr, basket
    ("g_release", "g_instream", "Music fans 18-34 — in-stream", "g_instream_30", "Night Drive — in-stream 30s",
     "VIDEO_RESPONSIVE_AD", 2600, .008, .050, 1299),
    ("g_release", "g_instream", "Music fans 18-34 — in-stream", "g_bumper_6", "Night Drive — bumper 6s",
     "VIDEO_BUMPER_AD", 1200, .004, .030, 1299),
    ("g_brand", "g_brand_terms", "Artist name", "g_brand_rsa", "Official merch — responsive search ad",
     "RESPONSIVE_SEARCH_AD", 300, .080, .040, 4000),
)
GOOGLE_PLAN: tuple[PlannedAd, ...] = tuple(
    PlannedAd(key=ad, name=name, kind=kind, adset=group, adset_name=group_name, campaign=c,
              campaign_name=_G_C[c][0], objective=_G_C[c][1], first=_G_C[c][2], last=_G_C[c][3], spend=spend,
              ctr=ctr, cvr=cvr, basket=basket)
    for c, group, group_name, ad, name, kind, spend, ctr, cvr, basket in _GOOGLE_PLAN)
# Thousand-impression prices (in the currency's major unit) by channel: video is cheap, search dear.
_GOOGLE_CPM = {"VIDEO": (6.0, 10.0), "SEARCH": (40.0, 60.0)}


def google_ad_days(persona: str, today: date, scale: float = 1.0) -> list[AdNumbers]:
    """Every Google ad's numbers for every day it ran, oldest first (reach is not reported: 0).
    Daily spend swings widely (budgets and auctions), so spend and sales can be compared."""
    out, first_day = [], start(today)
    for i in range(DAYS):
        day = first_day + timedelta(days=i)
        for ad in GOOGLE_PLAN:
            if not ad.first <= i <= ad.last:
                continue
            r = _rng(persona, "google", ad.key, day)
            level = r.uniform(0.5, 1.5)
            spend = int(ad.spend * level * scale)
            impressions = int(spend / scale / r.uniform(*_GOOGLE_CPM[ad.objective]) * 10)
            clicks = int(impressions * ad.ctr * r.uniform(0.9, 1.1))
            # Video saturates: doubling the spend buys about 1.4 times the sales.
            cvr = ad.cvr / math.sqrt(level) if ad.objective == "VIDEO" else ad.cvr
            purchases = sum(1 for _ in range(clicks) if r.random() < cvr)
            value = sum(int(ad.basket * scale * r.choice((1, 1, 1, 2))) for _ in range(purchases))
            out.append(AdNumbers(day, ad, spend, impressions, 0, clicks, purchases, value))
    return out


# ---------------------------------------------------------------- TikTok Ads (Spark Ads)
# The same artist on TikTok: a Spark Ads campaign boosting the artist's own release posts (days
# 96-128). Its 9-second hook sells well at first, then tires within days, as TikTok creatives do
# (the For You feed shows it to the same people over and over): its click rate falls to a fifth in
# about a week and its frequency climbs. The same hook video runs in two ad groups (one creative,
# two ads); a fresh duet clip takes over from day 108. A small always-on reach campaign of studio
# clips keeps the account warm all along. `kind` holds the ad's format, `TIKTOK_VIDEOS` each ad's
# video (a shared key is one video).
_T_C = {"t_spark": ("Spark Ads — Night Drive", "WEB_CONVERSIONS", 96, 128),
        "t_reach": ("Always-on — Studio clips", "REACH", 0, DAYS - 1)}
_TIKTOK_PLAN = (  # campaign, ad group, its name, ad, ad name, format, from, spend, ctr, cvr, basket, fatigues
    ("t_spark", "t_fans", "Fans & lookalikes", "t_hook", "Night Drive hook 9s", "SPARK", 96, 2200, .032, .050,
     1299, True),
    ("t_spark", "t_broad", "Broad 18-24", "t_hook_broad", "Night Drive hook 9s — broad", "SPARK", 96, 1400, .024,
     .035, 1299, True),
    ("t_spark", "t_fans", "Fans & lookalikes", "t_duet", "Studio duet 15s", "SPARK", 108, 1500, .026, .040, 1299,
     True),
    ("t_reach", "t_clips", "Music fans 18-34", "t_clip", "Studio clip 20s", "SINGLE_VIDEO", 0, 350, .008, .003,
     1299, False),
)
TIKTOK_PLAN: tuple[PlannedAd, ...] = tuple(
    PlannedAd(key=ad, name=name, kind=kind, adset=group, adset_name=group_name, campaign=c,
              campaign_name=_T_C[c][0], objective=_T_C[c][1], first=first, last=_T_C[c][3], spend=spend, ctr=ctr,
              cvr=cvr, basket=basket, fatigues=fatigues)
    for c, group, group_name, ad, name, kind, first, spend, ctr, cvr, basket, fatigues in _TIKTOK_PLAN)
TIKTOK_VIDEOS = {"t_hook": "v_hook", "t_hook_broad": "v_hook", "t_duet": "v_duet", "t_clip": "v_clip"}


def tiktok_ad_days(persona: str, today: date, scale: float = 1.0) -> list[AdNumbers]:
    """Every TikTok ad's numbers for every day it ran, oldest first. A tiring creative loses most of
    its clicks within a week (e-folding in 5 days, to a floor of a fifth)."""
    out, first_day = [], start(today)
    for i in range(DAYS):
        day = first_day + timedelta(days=i)
        swing = 1.2 if day.weekday() >= 4 else 1.0  # TikTok's audience peaks Friday to Sunday
        for ad in TIKTOK_PLAN:
            if not ad.first <= i <= ad.last:
                continue
            r, age = _rng(persona, "tiktok", ad.key, day), i - ad.first
            spend = int(ad.spend * swing * r.uniform(0.85, 1.15) * scale)
            impressions = int(spend / scale / r.uniform(3.0, 5.0) * 10)  # a CPM of 3-5 a thousand
            tired = math.exp(-age / 5) * 0.8 + 0.2 if ad.fatigues else 1.0
            clicks = int(impressions * ad.ctr * tired * r.uniform(0.9, 1.1))
            frequency = 1.05 + (age / 6 if ad.fatigues else age / 150)
            purchases = sum(1 for _ in range(clicks) if r.random() < ad.cvr)
            value = sum(int(ad.basket * scale * r.choice((1, 1, 1, 2))) for _ in range(purchases))
            out.append(AdNumbers(day, ad, spend, impressions, max(1, int(impressions / frequency)), clicks, purchases,
                                 value))
    return out
