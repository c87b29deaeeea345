"""The sandbox platform's adapter: the reference implementation of the contract in base.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, ClassVar

import httpx
from urllib.parse import quote

from dreamsuite.platforms.base import (
    AccountRef,
    CollectResult,
    CommentData,
    MetricDay,
    OAuthConfig,
    OutcomeUnknown,
    PlatformAdapter,
    PostData,
    Profile,
    PublishRequest,
    PublishResult,
    TransientError,
)
from dreamsuite.platforms.media_rules import MediaRules
from dreamsuite.settings import get_settings

PAGE_SIZE = 50
MAX_PAGES = 200  # a guard against a cursor that never ends
# Reactions keep arriving for days: an incremental collect re-reads recent posts' numbers.
STATS_WINDOW = timedelta(days=14)


def _naive_utc(value: str) -> datetime:
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return dt.astimezone(UTC).replace(tzinfo=None) if dt.tzinfo else dt


class SandboxAdapter(PlatformAdapter):
    name: ClassVar[str] = "sandbox"
    label: ClassVar[str] = "Sandbox"
    color: ClassVar[str] = "#7C5CFF"
    reads: ClassVar[str] = ("A demo artist with realistic numbers: followers, posts and comments to explore "
                            "Dream Suite, and a place to try publishing safely.")
    connectable: ClassVar[bool] = True
    can_publish: ClassVar[bool] = True
    can_comment: ClassVar[bool] = True
    max_text_length: ClassVar[int | None] = 2200
    # Our own test platform takes anything the library holds, up to ten items, or text alone.
    media_rules: ClassVar[MediaRules | None] = MediaRules(
        source="dreamsuite/platforms/sandbox/server.py", kinds=frozenset({"image", "video", "audio"}), max_items=10)

    @classmethod
    def enabled(cls) -> bool:
        s = get_settings()
        return bool(s.mount_sandbox or s.sandbox_url)

    def profile_url(self, username: str) -> str:
        return self._url(f"/u/{quote(username)}")

    def _url(self, path: str) -> str:
        return f"{get_settings().sandbox_base}{path}"

    def oauth_config(self) -> OAuthConfig:
        return OAuthConfig(
            authorize_url=self._url("/oauth/authorize"),
            token_url=self._url("/oauth/token"),
            scopes=["profile", "read", "publish"],
            token_auth_method="client_secret_basic",
        )

    async def fetch_profile(self, client: httpx.AsyncClient, token: str) -> Profile:
        me = await self.request_json(client, "GET", self._url("/api/v1/me"), token)
        try:
            return Profile(platform_user_id=str(me["id"]), username=me["username"],
                           display_name=me.get("display_name", ""))
        except (KeyError, TypeError) as exc:
            raise TransientError(f"{self.label} sent an unexpected profile") from exc

    async def _paged(self, client: httpx.AsyncClient, token: str, path: str, params: dict) -> list[dict]:
        items: list[dict] = []
        cursor = None
        for _ in range(MAX_PAGES):
            query = {**params, "limit": PAGE_SIZE, **({"cursor": cursor} if cursor else {})}
            page = await self.request_json(client, "GET", self._url(path), token, params=query)
            items.extend(page.get("data", []))
            cursor = page.get("next_cursor")
            if not cursor:
                return items
        raise TransientError(f"{self.label} kept paginating {path}; giving up")

    async def collect(self, client: httpx.AsyncClient, token: str, since: date | None = None,
                      account: AccountRef | None = None) -> CollectResult:
        day_params: dict[str, Any] = {"since": since.isoformat()} if since else {}
        content_params: dict[str, Any] = {}
        if since:
            content_params["since"] = (datetime.combine(since, time()) - STATS_WINDOW).isoformat()
        days = await self.request_json(client, "GET", self._url("/api/v1/metrics/daily"), token, params=day_params)
        posts = await self._paged(client, token, "/api/v1/posts", content_params)
        comments = await self._paged(client, token, "/api/v1/comments", content_params)
        try:
            return CollectResult(
                days=[self._day(d) for d in days.get("data", [])],
                posts=[self._post(p) for p in posts],
                comments=[self._comment(c) for c in comments],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise TransientError(f"{self.label} sent data we could not read: {exc!r}") from exc

    @staticmethod
    def _day(d: dict) -> MetricDay:
        return MetricDay(date=date.fromisoformat(d["date"]), follower_count=int(d["follower_count"]),
                         engagement_total=int(d.get("engagement_total", 0)),
                         content_count=int(d.get("content_count", 0)), metrics=dict(d.get("metrics") or {}))

    @staticmethod
    def _post(p: dict) -> PostData:
        counts = {k: int(p.get(k, 0)) for k in
                  ("likes", "comments", "shares", "saves", "views", "plays", "reach", "impressions")}
        return PostData(platform_post_id=str(p["id"]), posted_at=_naive_utc(p["created_at"]),
                        post_type=p.get("type", "post"), caption=p.get("caption", ""), url=p.get("url", ""),
                        hashtags=list(p.get("hashtags") or []), **counts)

    @staticmethod
    def _comment(c: dict) -> CommentData:
        return CommentData(platform_comment_id=str(c["id"]), platform_post_id=str(c["post_id"]),
                           posted_at=_naive_utc(c["created_at"]), author=c.get("author", ""),
                           text=c.get("text", ""), likes=int(c.get("likes", 0)),
                           parent_platform_id=c.get("parent_id") or "", hidden=bool(c.get("hidden", False)))

    async def publish(self, client: httpx.AsyncClient, token: str, request: PublishRequest,
                      account: AccountRef | None = None) -> PublishResult:
        headers = {"Idempotency-Key": request.idempotency_key} if request.idempotency_key else {}
        # Limits are the account's own: one account's 429 must not hold back every other account.
        body = await self.request_json(client, "POST", self._url("/api/v1/posts"), token, sends_effect=True,
                                       json={"text": request.text, "media": request.media}, headers=headers,
                                       account_key=account.platform_user_id if account else "")
        try:
            return PublishResult(platform_post_id=str(body["id"]), url=body.get("url", ""))
        except (KeyError, TypeError) as exc:
            # The platform accepted something but we cannot tell what: not safe to resend.
            raise OutcomeUnknown(f"{self.label} accepted the post but its answer was unreadable") from exc

    async def comment(self, client: httpx.AsyncClient, token: str, platform_post_id: str, text: str,
                      account: AccountRef | None = None, *, idempotency_key: str = "") -> str:
        # POST /api/v1/comments {"post_id", "text"} with an Idempotency-Key, like a post
        # (dreamsuite/platforms/sandbox/api.py, create_comment).
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        body = await self.request_json(client, "POST", self._url("/api/v1/comments"), token, sends_effect=True,
                                       json={"post_id": platform_post_id, "text": text}, headers=headers,
                                       account_key=account.platform_user_id if account else "")
        try:
            return str(body["id"])
        except (KeyError, TypeError) as exc:
            raise OutcomeUnknown(f"{self.label} accepted the comment but its answer was unreadable") from exc
