"""What Instagram and Facebook share: Meta's Graph API, written once for both adapters.

- OAuth is Facebook Login: the dialog at www.facebook.com/<version>/dialog/oauth (scopes comma
  separated; a person may untick some of them), the code traded at
  graph.facebook.com/<version>/oauth/access_token for a short-lived user token (about two hours,
  no refresh token, no scope in the answer), then traded again with grant_type=fb_exchange_token
  for a long-lived one (about 60 days). Meta has no refresh grant: the long-lived token is kept as
  the refresh token and exchanged once more to renew it. What was granted is read from
  /me/permissions.
- Errors come in one envelope, `{"error": {"message", "type", "code", "error_subcode",
  "fbtrace_id"}}`, mostly with HTTP 400 whatever happened: the code decides. 190 is an expired or
  revoked token; 4, 17, 32, 613 and 80001-80009 are rate limits; 10 and 200-299 a missing
  permission; 1 and 2 (or `is_transient`) a hiccup on Meta's side.
- Usage headers: x-app-usage `{"call_count", "total_time", "total_cputime"}` (percent of the app's
  rolling hour) and x-business-use-case-usage `{"<object id>": [{"type", "call_count",
  "total_cputime", "total_time", "estimated_time_to_regain_access"}]}` (the last in minutes). The
  rate gate pauses an account at 95 % so Meta never has to block it.
- Lists are `{"data": [...], "paging": {"cursors": {"before", "after"}, "next"}}`; `next` is an
  absolute URL that carries the access token in its query, which we drop (ours travels in the
  Authorization header, never in a URL).
- Daily insights label each value with `end_time`, the end of its day in Pacific time.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any, AsyncIterator, ClassVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import httpx

from dreamsuite.platforms.base import (
    AccountRef, AuthExpired, Malformed, OAuthConfig, PermanentError, PermissionMissing, PlatformAdapter,
    PlatformError, RateLimited, TokenSet, TransientError,
)
from dreamsuite.platforms.http import Usage, parse_json_header, retry_after

GRAPH_VERSION = "v25.0"
PACIFIC = ZoneInfo("America/Los_Angeles")
AUTH_CODES = {102, 190}
RATE_CODES = {4, 17, 32, 613, *range(80001, 80010)}
TRANSIENT_CODES = {1, 2}
# Not a permission problem although Meta says #10: a story seen by too few people, media
# posted before the account became professional.
NO_INSIGHTS_SUBCODES = {2108006}
LONG_LIVED = timedelta(days=60)
# Meta's platform limits are a rolling hour: near the top, wait for the share above 90 % to age out.
USAGE_WINDOW = 3600.0
DEFAULT_RATE_WAIT = 300.0
_HASHTAG = re.compile(r"#(\w+)")
_PERMISSION = re.compile(r"\b((?:instagram|pages|read|business|publish|ads)_[a-z_]+)\b")


class InsightsUnavailable(PermanentError):
    """Meta keeps no insights for this item (too few viewers, posted before the account turned
    professional): the item is still collected, without those numbers."""


def graph_time(value: Any) -> datetime:
    """Meta's timestamps, e.g. 2026-05-04T17:59:12+0000."""
    return datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S%z").astimezone(UTC)


def insight_day(end_time: Any) -> date:
    """The day a daily value belongs to: its end_time is the following midnight, Pacific time."""
    return (graph_time(end_time).astimezone(PACIFIC) - timedelta(seconds=1)).date()


def hashtags(caption: str) -> list[str]:
    return list(dict.fromkeys(t.lower() for t in _HASHTAG.findall(caption or "")))


def series(body: Any) -> dict[str, dict[date, Any]]:
    """Time-series insights: {metric: {day: value}} (a day without data is absent, never 0)."""
    out: dict[str, dict[date, Any]] = {}
    for item in _data(body):
        values = item.get("values")
        if not isinstance(values, list):
            raise Malformed("Meta sent insights without values")
        days = out.setdefault(str(item["name"]), {})
        for v in values:
            if isinstance(v, dict) and "value" in v and v.get("end_time"):
                days[insight_day(v["end_time"])] = v["value"]
    return out


def totals(body: Any) -> dict[str, dict]:
    """Total-value insights: {metric: {"value": n, "breakdowns": {dimension value: n}}}."""
    out: dict[str, dict] = {}
    for item in _data(body):
        total = item.get("total_value")
        if not isinstance(total, dict):
            raise Malformed("Meta sent a total without total_value")
        entry: dict[str, Any] = {"value": total.get("value")}
        for breakdown in total.get("breakdowns") or []:
            for row in breakdown.get("results") or []:
                key = "/".join(str(v) for v in row.get("dimension_values") or [])
                entry.setdefault("breakdowns", {})[key] = row.get("value")
        out[str(item["name"])] = entry
    return out


def _data(body: Any) -> list[dict]:
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, list) or not all(isinstance(i, dict) and "name" in i for i in data):
        raise Malformed("Meta sent insights we could not read")
    return data


def shares(counts: dict[str, Any]) -> dict[str, float]:
    """Counts per group as shares of their sum (what the audience snapshot stores)."""
    clean = {k: float(v) for k, v in counts.items() if isinstance(v, (int, float)) and v >= 0}
    total = sum(clean.values())
    return {k: round(v / total, 4) for k, v in clean.items()} if total else {}


def _without_token(url: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k not in ("access_token", "appsecret_proof")]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class MetaAdapter(PlatformAdapter):
    """The Graph API plumbing; Instagram and Facebook add what they read and publish."""

    hosts: ClassVar[dict[str, str]] = {"www": "https://www.facebook.com", "graph": "https://graph.facebook.com"}
    scopes: ClassVar[tuple[str, ...]] = ()

    def graph_url(self, path: str) -> str:
        return self.url("graph", f"/{GRAPH_VERSION}{path}")

    def oauth_config(self) -> OAuthConfig:
        return OAuthConfig(authorize_url=self.url("www", f"/{GRAPH_VERSION}/dialog/oauth"),
                           token_url=self.graph_url("/oauth/access_token"), scopes=list(self.scopes),
                           scope_separator=",")

    # ------------------------------------------------------------ tokens
    async def exchange_code(self, client: httpx.AsyncClient, code: str, verifier: str, redirect_uri: str,
                            credentials: tuple[str, str]) -> TokenSet:
        body = await self._token_call(client, credentials, code=code, redirect_uri=redirect_uri,
                                      code_verifier=verifier)
        return self._token_set(body, long_lived=False)

    async def after_token(self, client: httpx.AsyncClient, tokens: TokenSet,
                          credentials: tuple[str, str]) -> TokenSet:
        """The short-lived token becomes a long-lived one; the granted permissions and the
        person's Facebook id come along."""
        long = await self._exchange(client, tokens.access_token, credentials)
        me = await self.graph(client, "/me", long.access_token, params={"fields": "id,name"})
        granted = await self.graph(client, "/me/permissions", long.access_token)
        long.scope = ",".join(p["permission"] for p in granted.get("data") or []
                              if isinstance(p, dict) and p.get("status") == "granted" and p.get("permission"))
        if isinstance(me, dict) and me.get("id"):
            long.extra["user_id"] = str(me["id"])
        return long

    async def refresh_tokens(self, client: httpx.AsyncClient, tokens: TokenSet,
                             credentials: tuple[str, str]) -> TokenSet:
        return await self._exchange(client, tokens.refresh_token, credentials)

    async def revoke(self, client: httpx.AsyncClient, token: str, account: AccountRef) -> bool:
        """DELETE /me/permissions removes the app from the person's account: the whole grant ends
        (its Page tokens too). A token Meta no longer accepts has nothing left to withdraw."""
        try:
            body = await self.graph(client, "/me/permissions", token, method="DELETE", key=account.platform_user_id)
        except AuthExpired:
            return False
        return isinstance(body, dict) and body.get("success") is True

    async def _exchange(self, client: httpx.AsyncClient, token: str, credentials: tuple[str, str]) -> TokenSet:
        body = await self._token_call(client, credentials, grant_type="fb_exchange_token", fb_exchange_token=token)
        return self._token_set(body, long_lived=True)

    async def _token_call(self, client: httpx.AsyncClient, credentials: tuple[str, str], **params: str) -> dict:
        # Sent as a form body (Meta also takes the query string, which would put the secret in logs).
        data = {"client_id": credentials[0], "client_secret": credentials[1], **params}
        body = await self.request_json(client, "POST", self.graph_url("/oauth/access_token"), data=data)
        if not isinstance(body, dict):
            raise Malformed(f"{self.label} sent a token answer we could not read")
        return body

    def _token_set(self, body: dict, *, long_lived: bool) -> TokenSet:
        access = body.get("access_token")
        if not isinstance(access, str) or not access:
            raise Malformed(f"{self.label} answered without an access token")
        seconds = _number(body.get("expires_in"))
        # Long-lived answers sometimes leave expires_in out: Meta documents about 60 days.
        expires = (datetime.now(UTC) + timedelta(seconds=seconds) if seconds
                   else datetime.now(UTC) + LONG_LIVED if long_lived else None)
        return TokenSet(access_token=access, refresh_token=access if long_lived else "", expires_at=expires, scope="")

    # ------------------------------------------------------------ calls
    async def graph(self, client: httpx.AsyncClient, path: str, token: str, *, method: str = "GET",
                    params: dict | None = None, data: dict | None = None, key: str = "", need: str = "",
                    sends_effect: bool = False) -> Any:
        """One Graph call (`path` under the version, or an absolute `next` link). `need` names the
        permission the call needs, for when Meta's refusal does not."""
        url = _without_token(path) if path.startswith("http") else self.graph_url(path)
        try:
            return await self.request_json(client, method, url, token, params=params, data=data, account_key=key,
                                           sends_effect=sends_effect)
        except PermissionMissing as exc:
            scope = exc.scope or need
            raise PermissionMissing(f"{self.label} needs the '{scope}' permission; reconnect and allow it "
                                    f"({exc.message})" if scope else exc.message, scope=scope,
                                    status=exc.status) from exc

    async def edge(self, client: httpx.AsyncClient, path: str, token: str, *, params: dict, key: str = "",
                   need: str = "", what: str = "items", first: dict | None = None) -> AsyncIterator[dict]:
        """Every item of a list, following `paging.next` to the end (`first`: a nested list already
        in hand, e.g. the comments inside a media object)."""
        async def fetch(link: str | None) -> dict:
            if first is not None and link is None:
                return first
            return await self.graph(client, link or path, token, params=None if link else params, key=key, need=need)

        async for page in self.pages(fetch, _next_link, what=what):
            data = page.get("data")
            if not isinstance(data, list):
                raise Malformed(f"{self.label} sent a page of {what} without data")
            for item in data:
                if isinstance(item, dict):
                    yield item

    async def page_token(self, client: httpx.AsyncClient, token: str, page_id: str, key: str) -> str:
        """The Page's own access token (publishing and Page insights need it), asked fresh each time
        so it is never stored in the clear."""
        body = await self.graph(client, f"/{page_id}", token, params={"fields": "access_token"}, key=key,
                                need="pages_show_list")
        value = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(value, str) or not value:
            raise PermanentError(f"{self.label} gave no access to the Page any more: check that you still manage "
                                 "it and reconnect.")
        return value

    async def set_hidden(self, client: httpx.AsyncClient, comment_id: str, token: str, data: dict, *, key: str,
                         need: str) -> None:
        """`POST /{comment-id}` with the platform's hide field, answered `{"success": true}`; anything
        else is not a confirmation (the call is idempotent: the job tries again)."""
        body = await self.graph(client, f"/{comment_id}", token, method="POST", data=data, key=key, need=need)
        if not (isinstance(body, dict) and body.get("success") is True):
            raise Malformed(f"{self.label} did not confirm the change to the comment")

    # ------------------------------------------------------------ answers
    def classify(self, resp: httpx.Response, body: Any) -> PlatformError | None:
        err = body.get("error") if isinstance(body, dict) else None
        if not isinstance(err, dict):
            return None
        code, sub = int(_number(err.get("code")) or 0), int(_number(err.get("error_subcode")) or 0)
        message, status = self.error_message(resp), resp.status_code
        if code in AUTH_CODES:
            return AuthExpired(f"{self.label} rejected the access token: {message}", status=status)
        if code in RATE_CODES:
            usage = self.read_usage(resp)
            wait = usage.retry_after if usage and usage.retry_after else DEFAULT_RATE_WAIT
            return RateLimited(f"{self.label} rate limit: {message}", retry_after=wait, status=status)
        if sub in NO_INSIGHTS_SUBCODES or (code == 10 and "viewers" in message.lower()):
            return InsightsUnavailable(f"{self.label} has no insights for this item: {message}", status=status)
        if code == 10 or 200 <= code <= 299:
            found = _PERMISSION.search(message)
            return PermissionMissing(message, scope=found.group(1) if found else "", status=status)
        if code in TRANSIENT_CODES or err.get("is_transient") or status >= 500:
            return TransientError(f"{self.label} server error {status}: {message}", status=status)
        return PermanentError(f"{self.label} refused the request: {message}", status=status)

    def error_message(self, resp: httpx.Response) -> str:
        body = self.body_of(resp)
        err = body.get("error") if isinstance(body, dict) else None
        if isinstance(err, dict):
            text = str(err.get("error_user_msg") or err.get("message") or "unknown error")
            code = err.get("code")
            return (text if text.startswith("(#") or code is None else f"{text} (code {code})")[:300]
        return super().error_message(resp)

    def read_usage(self, resp: httpx.Response) -> Usage | None:
        used: list[float] = []
        regain = 0.0
        for name in ("x-app-usage", "x-page-usage", "x-ad-account-usage"):
            found = parse_json_header(resp.headers.get(name))
            if isinstance(found, dict):
                used += [n for k in ("call_count", "total_time", "total_cputime") if (n := _number(found.get(k)))
                         is not None]
        buc = parse_json_header(resp.headers.get("x-business-use-case-usage"))
        for entries in (buc.values() if isinstance(buc, dict) else []):
            for e in entries if isinstance(entries, list) else []:
                if isinstance(e, dict):
                    used += [n for k in ("call_count", "total_time", "total_cputime")
                             if (n := _number(e.get(k))) is not None]
                    regain = max(regain, _number(e.get("estimated_time_to_regain_access")) or 0.0)
        retry = max(retry_after(resp) or 0.0, regain * 60) or None
        if not used and retry is None:
            return None
        share = max(used) / 100 if used else None
        reset_in = max(60.0, USAGE_WINDOW * (share - 0.9)) if share is not None and share >= 0.9 else None
        return Usage(used=share, reset_in=reset_in, retry_after=retry)


def _next_link(page: dict) -> str | None:
    if not page.get("data"):
        return None  # Meta may hand out one more link to an empty page
    link = (page.get("paging") or {}).get("next")
    return link if isinstance(link, str) and link else None
