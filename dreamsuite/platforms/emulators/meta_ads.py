"""The Meta Marketing API, emulated on the Graph emulator (emulators/meta.py: Facebook Login, the
error envelope, field syntax, cursor paging, usage headers).

- `/me/adaccounts`, `/act_{id}` (id, account_id, name, currency, timezone_name, account_status) and
  its edges `campaigns`, `adsets`, `ads` (creative{id}), `adcreatives`, each paged by cursors.
- `/act_{id}/insights?level=ad&time_increment=1|all_days&fields=...&time_range={"since","until"}`:
  one row per ad and day, every number a string (spend in the account currency, as Meta writes it:
  "23.4"), `actions` / `action_values` lists left out when there were none, `reach` per row. More
  than 93 days of daily ad rows in one call times out as Meta's synchronous reports do (code 100,
  subcode 1504018).
- Rate limits: code 80000 (ads insights) with x-business-use-case-usage (type ads_insights,
  estimated_time_to_regain_access in minutes) and x-ad-account-usage (acc_id_util_pct,
  reset_time_duration in seconds); every answer carries both, and x-fb-ads-insights-throttle.
- Budgets are strings in the currency's minor units.

Each account's numbers come from emulators/promotion_story.py. Test helpers: `configure(account_id,
currency=..., empty=...)` changes an account (a yen account, one without any ads), `grant()` signs a
token as the consent page would.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from dreamsuite.platforms.emulators import tokens
from dreamsuite.platforms.emulators.core import ApiError
from dreamsuite.platforms.emulators.meta import LONG_TTL, MetaEmulator, graph_time, number_id
from dreamsuite.platforms.emulators.promotion_story import PLAN, AdNumbers, ad_days, start
from dreamsuite.platforms.emulators.store import Account
from dreamsuite.platforms.promotion_base import minor_unit

P = "meta_ads"
MAX_DAILY_AD_DAYS = 93
INSIGHT_KEYS = ("account_id", "campaign_id", "campaign_name", "adset_id", "adset_name", "ad_id", "ad_name",
                "date_start", "date_stop", "spend", "impressions", "reach", "clicks", "ctr", "frequency", "actions",
                "action_values", "account_currency")
DEFAULT_FIELDS = "spend,impressions,date_start,date_stop"


def decimal_text(minor: int, currency: str) -> str:
    """An amount in minor units written as Meta writes spend: "23.4", "5339.5", "1200"."""
    text = format(Decimal(minor).scaleb(-minor_unit(currency)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class MetaAdsEmulator(MetaEmulator):
    platform = P
    label = "Meta Ads"
    scopes = ("ads_read", "ads_management", "business_management")
    rate_error = (80000, "(#80000) There have been too many calls from this ad-account. Wait a bit and try again.")
    buc_type = "ads_insights"

    # ---------------------------------------------------------------- accounts
    def act_number(self, account_id: str) -> str:
        return number_id("adaccount", account_id)

    def business_id(self, account_id: str) -> str:
        return self.act_number(account_id)

    def settings_of(self, account: Account) -> dict:
        return self.store.get(f"{P}:settings:{account.id}", {})

    def configure(self, account_id: str, **settings: Any) -> None:
        self.store.put(f"{P}:settings:{account_id}", {**self.store.get(f"{P}:settings:{account_id}", {}), **settings})

    def grant(self, account_id: str, scope: str = "ads_read,business_management", ttl: int = LONG_TTL) -> str:
        return tokens.sign(self.secret, P, account_id, "access", scope, ttl, self.token_prefix, long=1)

    def currency(self, account: Account) -> str:
        return str(self.settings_of(account).get("currency", "USD"))

    def account_node(self, account: Account) -> dict:
        num = self.act_number(account.id)
        return {"id": f"act_{num}", "account_id": num, "name": f"{account.name} ads",
                "currency": self.currency(account),
                "timezone_name": "America/Los_Angeles", "account_status": 1}

    def _usage(self, business: str, share: int, regain_minutes: int = 0) -> dict[str, str]:
        headers = super()._usage(business, share, regain_minutes)
        headers["x-ad-account-usage"] = json.dumps({"acc_id_util_pct": share,
                                                    "reset_time_duration": regain_minutes * 60,
                                                    "ads_api_access_tier": "standard_access"})
        headers["x-fb-ads-insights-throttle"] = json.dumps({"app_id_util_pct": share // 2, "acc_id_util_pct": share,
                                                            "ads_api_access_tier": "standard_access"})
        return headers

    # ---------------------------------------------------------------- objects
    def objects(self, account: Account) -> dict[str, list[dict]]:
        if self.settings_of(account).get("empty"):
            return {"campaigns": [], "adsets": [], "ads": [], "adcreatives": []}
        act, cur, today = self.act_number(account.id), self.currency(account), self.today()
        ids = self.ids(account)
        first = start(today)
        out: dict[str, list[dict]] = {"campaigns": [], "adsets": [], "ads": [], "adcreatives": []}
        seen: set[str] = set()
        for ad in PLAN:
            running = (today - first).days <= ad.last
            status = "ACTIVE" if running else "PAUSED"
            created = graph_time(datetime.combine(first + timedelta(days=ad.first), time(9), UTC))
            budget = str(int(ad.spend * 1.2 * (1.5 if minor_unit(cur) == 0 else 1)))
            if ad.campaign not in seen:
                seen.add(ad.campaign)
                out["campaigns"].append({"id": ids[ad.campaign], "name": ad.campaign_name, "objective": ad.objective,
                                         "status": status, "effective_status": status, "daily_budget": None,
                                         "lifetime_budget": None, "created_time": created, "account_id": act})
            if ad.adset not in seen:
                seen.add(ad.adset)
                out["adsets"].append({"id": ids[ad.adset], "name": ad.adset_name, "campaign_id": ids[ad.campaign],
                                      "status": status, "effective_status": status, "daily_budget": budget,
                                      "created_time": created})
            out["ads"].append({"id": ids[ad.key], "name": ad.name, "adset_id": ids[ad.adset],
                               "campaign_id": ids[ad.campaign], "status": status, "effective_status": status,
                               "created_time": created, "_creative": ids["creative:" + ad.key]})
            out["adcreatives"].append({"id": ids["creative:" + ad.key], "name": f"{ad.name} creative",
                                       "title": ad.name, "body": f"{ad.campaign_name}: {ad.name}",
                                       "object_type": ad.kind, "thumbnail_url":
                                       f"https://scontent.xx.fbcdn.net/v/t45/{ids['creative:' + ad.key]}.jpg"})
        return out

    def ids(self, account: Account) -> dict[str, str]:
        act = self.act_number(account.id)
        keys = {k for ad in PLAN for k in (ad.campaign, ad.adset, ad.key)}
        return {**{k: number_id(P, act, k) for k in keys},
                **{"creative:" + ad.key: number_id(P, act, "creative", ad.key) for ad in PLAN}}

    def ad_numbers(self, account: Account) -> list[AdNumbers]:
        """The story's rows for this account (tests replace this to send chosen numbers)."""
        if self.settings_of(account).get("empty"):
            return []
        return ad_days(account.persona, self.today(), 1.5 if minor_unit(self.currency(account)) == 0 else 1.0)

    # ---------------------------------------------------------------- insights
    def insight_rows(self, account: Account, since: date, until: date, daily: bool) -> list[dict]:
        cur, ids, act = self.currency(account), self.ids(account), self.act_number(account.id)
        groups: dict[tuple, list[AdNumbers]] = defaultdict(list)
        for n in self.ad_numbers(account):
            if since <= n.day <= until:
                groups[(n.day if daily else since, n.ad.key)].append(n)
        rows = []
        for (day, _), found in sorted(groups.items(), key=lambda kv: (kv[0][0], ids[kv[0][1]])):
            ad = found[0].ad
            spend, imps, reach, clicks = (sum(getattr(n, k) for n in found) for k in
                                          ("spend", "impressions", "reach", "clicks"))
            buys, value = sum(n.purchases for n in found), sum(n.value for n in found)
            actions = [{"action_type": "link_click", "value": str(clicks)}] if clicks else []
            values = []
            for kind in ("offsite_conversion.fb_pixel_purchase", "purchase", "omni_purchase") if buys else ():
                actions.append({"action_type": kind, "value": str(buys)})
                values.append({"action_type": kind, "value": decimal_text(value, cur)})
            rows.append({"account_id": act, "campaign_id": ids[ad.campaign], "campaign_name": ad.campaign_name,
                         "adset_id": ids[ad.adset], "adset_name": ad.adset_name, "ad_id": ids[ad.key],
                         "ad_name": ad.name, "date_start": day.isoformat(),
                         "date_stop": (day if daily else until).isoformat(), "spend": decimal_text(spend, cur),
                         "impressions": str(imps), "reach": str(reach), "clicks": str(clicks),
                         "ctr": f"{100 * clicks / imps:.6f}" if imps else "0",
                         "frequency": f"{imps / reach:.6f}" if reach else "0", "actions": actions or None,
                         "action_values": values or None, "account_currency": cur})
        return rows

    def _range(self, request: Request) -> tuple[date, date]:
        q = request.query_params
        if q.get("time_range"):
            try:
                span = json.loads(q["time_range"])
                since, until = date.fromisoformat(span["since"]), date.fromisoformat(span["until"])
            except (ValueError, KeyError, TypeError):
                raise self.bad_param("time_range must be {'since':'YYYY-MM-DD','until':'YYYY-MM-DD'}") from None
        else:  # Meta's default: last_30d, up to yesterday
            until = self.today() - timedelta(days=1)
            since = until - timedelta(days=29)
        if since > until:
            raise self.bad_param("time_range's since must not be after until")
        if since < self.today() - timedelta(days=37 * 30):
            raise self.bad_param("time_range's since is beyond the 37 months Meta keeps")
        return since, until

    def insights(self, request: Request, account: Account) -> dict:
        q = request.query_params
        if q.get("level", "ad") != "ad":
            raise self.bad_param("This emulator serves level=ad")
        increment = q.get("time_increment", "all_days")
        if increment not in ("1", "all_days"):
            raise self.bad_param("time_increment must be 1 or all_days here")
        since, until = self._range(request)
        if increment == "1" and (until - since).days + 1 > MAX_DAILY_AD_DAYS:
            raise ApiError(self.graph_error(400, 100, "Please reduce the amount of data you're asking for, then "
                                                      "retry your request", subcode=1504018))
        fields = self.fields_of(q.get("fields") or DEFAULT_FIELDS)
        for f in fields or []:
            if f.name not in INSIGHT_KEYS:
                raise self.bad_param(f"{f.name} is not valid for fields param")
        rows = self.insight_rows(account, since, until, increment == "1")
        return self.paged(request, rows, f"act_{self.act_number(account.id)}/insights",
                          lambda r, fs: self.render("AdsInsights", {**dict.fromkeys(INSIGHT_KEYS), **r}, {}, fs),
                          keep=("level", "time_increment", "time_range", "date_preset"))

    # ---------------------------------------------------------------- routes
    async def me(self, request: Request, rest: list[str]) -> Response:
        if rest == ["adaccounts"]:
            caller, _ = await self.who(request, need="ads_read")
            return JSONResponse(self.paged(request, [self.account_node(caller.account)], "me/adaccounts",
                                           lambda a, f: self.render("AdAccount", a, {}, f)))
        return await super().me(request, rest)

    async def route(self, request: Request, segs: list[str]) -> Response:
        caller, _ = await self.who(request, need="ads_read")
        account, head, rest = caller.account, segs[0], segs[1:]
        if head != f"act_{self.act_number(account.id)}" or request.method != "GET":
            raise ApiError(self.no_object(head))
        if not rest:
            return self.node(request, "AdAccount", self.account_node(account), {})
        if rest == ["insights"]:
            return JSONResponse(await self.store.call(self.insights, request, account))
        found = await self.store.call(self.objects, account)
        if len(rest) == 1 and rest[0] in found:
            return JSONResponse(self.paged(request, found[rest[0]], f"{head}/{rest[0]}", self._renderer(rest[0])))
        raise ApiError(self.graph_error(400, 100, f"(#100) Unknown path components: /{'/'.join(rest)}"))

    def _renderer(self, edge: str):
        def render(item: dict, fields) -> dict:
            scalars = {k: v for k, v in item.items() if not k.startswith("_")}
            edges = {"creative": lambda f: self.render("AdCreative", {"id": item["_creative"]}, {}, f.sub)} \
                if "_creative" in item else {}
            return self.render(edge, scalars, edges, fields)
        return render


EMULATOR = MetaAdsEmulator
