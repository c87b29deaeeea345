"""X: the account's followers and post count, each post's impressions, likes, reposts, replies and
bookmarks, the replies people leave, and posting (X API v2).

OAuth 2.0 Authorization Code with PKCE; `offline.access` gives a refresh token, which X rotates on
every refresh; a confidential client authenticates with Basic auth at the token endpoint. Every
answer carries `x-rate-limit-limit`, `-remaining` and `-reset` (epoch seconds): the base reads
them, so the rate gate waits for the window to reset before X has to answer 429. Errors are
problem+json (`title`, `type`, `status`, `detail`); a lookup of something missing may answer 200
with nothing but `{"errors": [...]}`.

Replies come from recent search (`to:` / `from:` the account, `is:reply`), which reaches back
seven days: older replies are not collected. X gives no follower demographics and no history, so
the daily numbers grow from the first sync.

Posting: media go through the v2 media upload endpoints (initialize, append, finalize, status),
then `POST /2/tweets` sends the post (and later its first comment, as a reply to it). X has no
idempotency key but refuses a post that repeats a recent one (403, duplicate content): a replayed
post finds the one already made and returns it.
Media items are `{"path": <local file>}` or `{"url": <address>}`, with an optional `mime`.
"""

from __future__ import annotations

import asyncio
import mimetypes
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar

import httpx

from dreamsuite.platforms.base import (
    AccountRef, CommentData, CollectResult, Malformed, MetricDay, OAuthConfig, OutcomeUnknown, PermanentError,
    PermissionMissing, PlatformAdapter, PlatformError, PostData, Profile, PublishRequest, PublishResult,
    TransientError,
)
from dreamsuite.platforms.media_rules import GB, MB, MediaRules
from dreamsuite.settings import get_settings

PAGE_SIZE = 100  # the documented maximum of the user Posts timeline and of recent search
REREAD_DAYS = 7  # an incremental collect re-reads a week of posts: their numbers keep moving
SEARCH_DAYS = 7  # recent search reaches back seven days
MEDIA_CHUNK = 4 * 1024 * 1024
STATUS_POLLS = 6
POLL_SECONDS = 2.0

READ = ("tweet.read", "users.read")
WRITE = ("tweet.read", "tweet.write", "users.read")
MEDIA = ("media.write",)
MODERATE = ("tweet.read", "users.read", "tweet.moderate.write")
USER_FIELDS = "public_metrics,created_at,description,profile_image_url,username,name,verified,subscription_type"
TWEET_FIELDS = "created_at,public_metrics,entities,attachments,conversation_id"
REPLY_FIELDS = "created_at,public_metrics,conversation_id,in_reply_to_user_id,referenced_tweets,author_id"
COUNTS = {"like_count": "likes", "reply_count": "comments", "retweet_count": "shares", "bookmark_count": "saves",
          "impression_count": "impressions"}


class DuplicatePost(PermanentError):
    """X refused a post that repeats a recent one of the same account."""


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _when(value: Any) -> datetime:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


class XAdapter(PlatformAdapter):
    name: ClassVar[str] = "x"
    label: ClassVar[str] = "X"
    color: ClassVar[str] = "#14171A"
    reads: ClassVar[str] = ("Your followers and each post's impressions, likes, reposts and replies, and the replies "
                            "of the last week, to measure the conversation around you; we post what you schedule.")
    connectable: ClassVar[bool] = True
    can_publish: ClassVar[bool] = True
    can_comment: ClassVar[bool] = True  # a reply to the post
    # POST /2/tweets: 100 requests per 15 minutes per user.
    posting_limits: ClassVar[tuple[tuple[int, int], ...]] = ((100, 900),)
    can_reply: ClassVar[bool] = True  # a post replying to the fan's post
    # Hide replies: only replies in a conversation the account started (X's rule); tweet.moderate.write.
    can_hide: ClassVar[bool] = True
    hide_limits: ClassVar[str] = ("X hides only replies to your own posts; a hidden reply stays behind \"View hidden "
                                  "replies\".")
    max_text_length: ClassVar[int | None] = 280  # longer only for Premium accounts
    # "You may attach up to 4 photos, 1 animated GIF or 1 video in a Post"; JPG, PNG, GIF, WEBP; images
    # up to 5 MB, animated GIFs 15 MB; video on a Post 0.5 s to 20 minutes and 8 GB for accounts without
    # Premium (DM video keeps the old 140 s / 512 MB), shape from 1:3 to 3:1.
    # https://docs.x.com/x-api/media/quickstart/best-practices
    media_rules: ClassVar[MediaRules | None] = MediaRules(
        source="https://docs.x.com/x-api/media/quickstart/best-practices",
        kinds=frozenset({"image", "video"}), max_items=4,
        image_mimes=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
        max_image_bytes=5 * MB, max_gif_bytes=15 * MB, max_video_bytes=8 * GB, min_video_s=0.5, max_video_s=20 * 60,
        video_aspect=(1 / 3, 3.0), video_aspect_words="from 1:3 (tall) to 3:1 (wide)",
        alone=frozenset({"video", "image/gif"}))
    hosts: ClassVar[dict[str, str]] = {"web": "https://x.com", "api": "https://api.x.com"}
    unavailable_metrics: ClassVar[dict[str, str]] = {
        "audience": "X shares no follower demographics through its API.",
        "older_replies": "Replies come from X's recent search, which covers the last seven days.",
        "reach": "X gives impressions per post, not reach.",
    }

    def profile_url(self, username: str) -> str:
        return f"https://x.com/{username}" if username else ""

    def oauth_config(self) -> OAuthConfig:
        return OAuthConfig(
            authorize_url=self.url("web", "/i/oauth2/authorize"), token_url=self.url("api", "/2/oauth2/token"),
            scopes=["tweet.read", "users.read", "tweet.write", "media.write", "tweet.moderate.write", "offline.access"],
            token_auth_method="client_secret_basic",
        )

    async def revoke(self, client: httpx.AsyncClient, token: str, account: AccountRef) -> bool:
        """X's revoke endpoint (Basic auth for a confidential client) withdraws the grant."""
        credentials = get_settings().platform_credentials(self.name)
        if not credentials:
            return False
        resp = await self.send(client, "POST", self.url("api", "/2/oauth2/revoke"),
                               account_key=account.platform_user_id, auth=httpx.BasicAuth(*credentials),
                               data={"token": token, "token_type_hint": "access_token"})
        body = self.parse_response(resp)
        return isinstance(body, dict) and body.get("revoked") is True

    # ------------------------------------------------------------ answers
    def classify(self, resp: httpx.Response, body: Any) -> PlatformError | None:
        if not isinstance(body, dict):
            return None
        status = resp.status_code
        if status < 300:
            if body.get("errors") and "data" not in body and "meta" not in body:  # "not found", with HTTP 200
                return PermanentError(f"{self.label}: {self.error_message(resp)}", status=status)
            return None
        if status == 403:
            message, kind = self.error_message(resp), str(body.get("type") or "about:blank")
            if "duplicate" in message.lower():
                return DuplicatePost(f"{self.label} refused a duplicate post: {message}", status=status)
            # A missing scope is a bare "Forbidden"; anything else (a suspended account, reply limits,
            # client-forbidden, unsupported-authentication...) says what it is.
            if kind != "about:blank" or message.strip().lower() not in ("", "forbidden"):
                return PermanentError(f"{self.label} refused the request: {message}", status=status)
        return None  # the status decides (401, 403 without scope, 429 with the rate-limit headers, 5xx)

    def error_message(self, resp: httpx.Response) -> str:
        body = self.body_of(resp)
        if isinstance(body, dict):
            errors = body.get("errors")
            first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
            parts = [body.get("detail") or body.get("title"), first.get("message") or first.get("detail")]
            text = " ".join(dict.fromkeys(str(p) for p in parts if p))
            if text:
                return text[:300]
        return super().error_message(resp)

    async def _api(self, client: httpx.AsyncClient, method: str, path: str, token: str, scopes: tuple[str, ...],
                   key: str = "", **kwargs: Any) -> dict:
        """One API v2 call; a 403 for a missing scope names the scopes the call needs."""
        try:
            body = await self.request_json(client, method, self.url("api", path), token, account_key=key, **kwargs)
        except PermissionMissing as exc:
            raise PermissionMissing(f"{exc.message} (this needs {', '.join(scopes)})", scope=" ".join(scopes),
                                    status=exc.status) from exc
        if not isinstance(body, dict):
            raise Malformed(f"{self.label} sent an answer we could not read")
        return body

    # ------------------------------------------------------------ connect
    async def fetch_profile(self, client: httpx.AsyncClient, token: str) -> Profile:
        me = (await self._api(client, "GET", "/2/users/me", token, READ,
                              params={"user.fields": USER_FIELDS})).get("data")
        if not isinstance(me, dict) or not me.get("id") or not me.get("username"):
            raise Malformed(f"{self.label} sent a profile we could not read")
        details = {k: me[k] for k in ("username", "verified", "subscription_type", "profile_image_url", "created_at")
                   if me.get(k) not in (None, "")}
        return Profile(platform_user_id=str(me["id"]), username=str(me["username"]),
                       display_name=str(me.get("name") or me["username"]), details=details)

    # ------------------------------------------------------------ collect
    async def collect(self, client: httpx.AsyncClient, token: str, since: date | None = None,
                      account: AccountRef | None = None) -> CollectResult:
        if account is None:
            raise PermanentError("Collecting X needs the connected account")
        key = account.platform_user_id
        me = (await self._api(client, "GET", "/2/users/me", token, READ, key,
                              params={"user.fields": USER_FIELDS})).get("data")
        if not isinstance(me, dict):
            raise Malformed(f"{self.label} sent a profile we could not read")
        username = str(me.get("username") or account.username)
        posts = await self._posts(client, token, key, since, username)
        replies = await self._replies(client, token, key, since, username)
        return CollectResult(days=self._today(me), posts=posts, comments=replies)

    async def _pages(self, client: httpx.AsyncClient, token: str, key: str, path: str, params: dict,
                     cursor_param: str, what: str) -> list[dict]:
        """Every page of a v2 list (meta.next_token), with its includes."""
        pages: list[dict] = []

        async def fetch(cursor: str | None) -> dict:
            return await self._api(client, "GET", path, token, READ, key,
                                   params={**params, **({cursor_param: cursor} if cursor else {})})

        async for page in self.pages(fetch, lambda p: (p.get("meta") or {}).get("next_token"), what=what):
            pages.append(page)
        return pages

    async def _posts(self, client: httpx.AsyncClient, token: str, key: str, since: date | None,
                     username: str) -> list[PostData]:
        params = {"max_results": PAGE_SIZE, "exclude": "replies,retweets", "tweet.fields": TWEET_FIELDS,
                  "expansions": "attachments.media_keys", "media.fields": "type,duration_ms"}
        if since:
            params["start_time"] = _iso(datetime.combine(since - timedelta(days=REREAD_DAYS), datetime.min.time(), UTC))
        out = []
        for page in await self._pages(client, token, key, f"/2/users/{key}/tweets", params, "pagination_token",
                                      "posts"):
            media = {m.get("media_key"): m for m in (page.get("includes") or {}).get("media") or []
                     if isinstance(m, dict)}
            try:
                out += [self._post(t, media, username) for t in page.get("data") or []]
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise Malformed(f"{self.label} sent a post we could not read: {type(exc).__name__} {exc}") from exc
        return out

    def _post(self, t: dict, media: dict, username: str) -> PostData:
        metrics = t.get("public_metrics") or {}
        counts = {field: int(metrics[src]) for src, field in COUNTS.items() if metrics.get(src) is not None}
        kinds = [media.get(k, {}).get("type") for k in (t.get("attachments") or {}).get("media_keys") or []]
        post_type = "video" if {"video", "animated_gif"} & set(kinds) else "photo" if "photo" in kinds else "post"
        details = {k: v for k, v in {"quote_count": metrics.get("quote_count"),
                                     "conversation_id": t.get("conversation_id"),
                                     "media": kinds or None}.items() if v is not None}
        missing = sorted(set(COUNTS.values()) - set(counts))
        if missing:  # stored as 0 in their columns; this says X did not give them
            details["not_given"] = missing
        tags = [h.get("tag") for h in (t.get("entities") or {}).get("hashtags") or [] if isinstance(h, dict)]
        return PostData(platform_post_id=str(t["id"]), posted_at=_when(t["created_at"]), post_type=post_type,
                        caption=str(t.get("text") or ""), url=f"https://x.com/{username}/status/{t['id']}",
                        hashtags=[str(tag).lower() for tag in tags if tag], details=details, **counts)

    async def _replies(self, client: httpx.AsyncClient, token: str, key: str, since: date | None,
                       username: str) -> list[CommentData]:
        params = {"query": f"(to:{username} OR from:{username}) is:reply", "max_results": PAGE_SIZE,
                  "tweet.fields": REPLY_FIELDS, "expansions": "author_id", "user.fields": "username"}
        earliest = datetime.now(UTC) - timedelta(days=SEARCH_DAYS) + timedelta(minutes=1)
        if since and datetime.combine(since, datetime.min.time(), UTC) > earliest:
            params["start_time"] = _iso(datetime.combine(since, datetime.min.time(), UTC))
        out = []
        for page in await self._pages(client, token, key, "/2/tweets/search/recent", params, "next_token",
                                      "replies"):
            users = {u.get("id"): u.get("username") for u in (page.get("includes") or {}).get("users") or []
                     if isinstance(u, dict)}
            try:
                out += [c for t in page.get("data") or [] if (c := self._reply(t, users))]
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise Malformed(f"{self.label} sent a reply we could not read: {type(exc).__name__} {exc}") from exc
        return out

    @staticmethod
    def _reply(t: dict, users: dict) -> CommentData | None:
        root = str(t.get("conversation_id") or "")
        if not root or root == str(t["id"]):
            return None  # a conversation's first post is not a reply
        parent = next((str(r["id"]) for r in t.get("referenced_tweets") or [] if r.get("type") == "replied_to"), root)
        return CommentData(platform_comment_id=str(t["id"]), platform_post_id=root, posted_at=_when(t["created_at"]),
                           author=str(users.get(t.get("author_id")) or t.get("author_id") or ""),
                           text=str(t.get("text") or ""),
                           likes=int((t.get("public_metrics") or {}).get("like_count") or 0),
                           parent_platform_id="" if parent == root else parent,
                           hidden=None)  # posts do not say whether they were hidden: the stored flag stays

    @staticmethod
    def _today(me: dict) -> list[MetricDay]:
        metrics = me.get("public_metrics") or {}
        if metrics.get("followers_count") is None:
            return []  # not given: no row rather than a zero
        own = {k: int(metrics[k]) for k in ("following_count", "listed_count", "like_count")
               if metrics.get(k) is not None}
        return [MetricDay(date=datetime.now(UTC).date(), follower_count=int(metrics["followers_count"]),
                          content_count=int(metrics.get("tweet_count") or 0), metrics=own)]

    # ------------------------------------------------------------ publish
    async def publish(self, client: httpx.AsyncClient, token: str, request: PublishRequest,
                      account: AccountRef | None = None) -> PublishResult:
        key = account.platform_user_id if account else ""
        username = account.username if account else ""
        media_ids = [await self._upload(client, token, key, m) for m in request.media[:4] if isinstance(m, dict)]
        body: dict[str, Any] = {"text": request.text}
        if media_ids:
            body["media"] = {"media_ids": media_ids}
        try:  # the effect: a lost answer from here on is never retried blindly
            data = (await self._api(client, "POST", "/2/tweets", token, WRITE, key, json=body,
                                    sends_effect=True)).get("data")
        except DuplicatePost:
            earlier = await self._same_text(client, token, key, request.text)
            if earlier is None:
                raise
            return PublishResult(earlier, f"https://x.com/{username}/status/{earlier}")
        if not isinstance(data, dict) or not data.get("id"):
            raise OutcomeUnknown(f"{self.label} accepted the post without saying which; check the account")
        return PublishResult(str(data["id"]), f"https://x.com/{username}/status/{data['id']}")

    async def comment(self, client: httpx.AsyncClient, token: str, platform_post_id: str, text: str,
                      account: AccountRef | None = None, *, idempotency_key: str = "") -> str:
        """The first comment is a reply to the post: POST /2/tweets with
        `{"text", "reply": {"in_reply_to_tweet_id"}}`, answered `{"data": {"id", "text"}}` (X API v2,
        Create or Edit Post: https://docs.x.com/x-api/posts/create-or-edit-post). X takes no
        idempotency key; a repeated reply is refused as duplicate content, and the reply already made
        is returned instead."""
        key = account.platform_user_id if account else ""
        body = {"text": text, "reply": {"in_reply_to_tweet_id": platform_post_id}}
        try:  # the effect: a lost answer from here on is never retried blindly
            data = (await self._api(client, "POST", "/2/tweets", token, WRITE, key, json=body,
                                    sends_effect=True)).get("data")
        except DuplicatePost:
            earlier = await self._same_reply(client, token, key, platform_post_id, text) if key else None
            if earlier is None:
                raise
            return earlier
        if not isinstance(data, dict) or not data.get("id"):
            raise OutcomeUnknown(f"{self.label} accepted the reply without saying which; check the post")
        return str(data["id"])

    async def hide(self, client: httpx.AsyncClient, token: str, comment_id: str, hidden: bool,
                   account: AccountRef | None = None) -> None:
        """`PUT /2/tweets/:id/hidden` with `{"hidden": true|false}`, answered `{"data": {"hidden"}}`; only
        replies to conversations the account started (X API v2, Hide replies:
        https://docs.x.com/x-api/posts/hide-reply)."""
        key = account.platform_user_id if account else ""
        body = await self._api(client, "PUT", f"/2/tweets/{comment_id}/hidden", token, MODERATE, key,
                               json={"hidden": bool(hidden)})
        if (body.get("data") or {}).get("hidden") is not bool(hidden):
            raise Malformed(f"{self.label} did not confirm the change to the reply")

    async def _same_reply(self, client: httpx.AsyncClient, token: str, key: str, post_id: str,
                          text: str) -> str | None:
        """The account's recent reply with this text under this post (what a duplicate refusal means)."""
        page = await self._api(client, "GET", f"/2/users/{key}/tweets", token, READ, key,
                               params={"max_results": 20, "exclude": "retweets", "tweet.fields": "referenced_tweets"})
        return next((str(t["id"]) for t in page.get("data") or [] if t.get("text") == text and any(
            r.get("type") == "replied_to" and str(r.get("id")) == post_id for r in t.get("referenced_tweets") or [])),
            None)

    async def _same_text(self, client: httpx.AsyncClient, token: str, key: str, text: str) -> str | None:
        """The account's recent post with exactly this text (what a duplicate refusal points at)."""
        page = await self._api(client, "GET", f"/2/users/{key}/tweets", token, READ, key,
                               params={"max_results": 10, "exclude": "retweets"})
        return next((str(t["id"]) for t in page.get("data") or [] if t.get("text") == text), None)

    async def _upload(self, client: httpx.AsyncClient, token: str, key: str, item: dict) -> str:
        raw, mime = await self._media_bytes(client, item)
        category = "tweet_video" if mime.startswith("video/") else "tweet_gif" if mime == "image/gif" else "tweet_image"
        init = (await self._api(client, "POST", "/2/media/upload/initialize", token, MEDIA, key,
                                json={"media_type": mime, "total_bytes": len(raw), "media_category": category}))
        media_id = str((init.get("data") or {}).get("id") or "")
        if not media_id:
            raise Malformed(f"{self.label} did not say where to upload the media")
        for i, start in enumerate(range(0, len(raw), MEDIA_CHUNK)):
            await self._api(client, "POST", f"/2/media/upload/{media_id}/append", token, MEDIA, key,
                            data={"segment_index": str(i)},
                            files={"media": ("media", raw[start:start + MEDIA_CHUNK], "application/octet-stream")})
        info = ((await self._api(client, "POST", f"/2/media/upload/{media_id}/finalize", token, MEDIA, key))
                .get("data") or {}).get("processing_info")
        for _ in range(STATUS_POLLS):
            state = (info or {}).get("state")
            if state in (None, "succeeded"):
                return media_id
            if state == "failed":
                raise PermanentError(f"{self.label} could not process the media ({mime})")
            await asyncio.sleep(min(POLL_SECONDS, float(info.get("check_after_secs") or POLL_SECONDS)))
            info = ((await self._api(client, "GET", "/2/media/upload", token, MEDIA, key,
                                     params={"command": "STATUS", "media_id": media_id})).get("data") or {}).get(
                "processing_info")
        raise TransientError(f"{self.label} is still processing the media; trying again later")

    async def _media_bytes(self, client: httpx.AsyncClient, item: dict) -> tuple[bytes, str]:
        source = str(item.get("path") or item.get("url") or "")
        mime = str(item.get("mime") or mimetypes.guess_type(source)[0] or "")
        if item.get("path"):
            with open(source, "rb") as f:
                raw = f.read()
        elif item.get("url"):
            try:
                resp = await client.get(source)
                resp.raise_for_status()
            except httpx.HTTPError as exc:
                raise TransientError(f"The media for {self.label} could not be fetched: {type(exc).__name__}") from exc
            raw, mime = resp.content, mime or resp.headers.get("content-type", "").split(";")[0]
        else:
            raise PermanentError(f"A media item for {self.label} needs a file or an address")
        if not mime.startswith(("image/", "video/")):
            raise PermanentError(f"{self.label} takes images and videos, not {mime or 'this file'}")
        return raw, mime


ADAPTER = XAdapter
