"""TikTok: the creator's profile and numbers (Display API), every public video with its views,
likes, comments and shares, and direct posting of videos (Content Posting API).

Login Kit v2 is OAuth 2 with TikTok's own names: the authorize URL takes `client_key` and
comma-separated scopes (no PKCE for web apps); the token endpoint takes `client_key` and
`client_secret` as form fields and answers with the user's `open_id` beside the tokens, which is
kept in the connection's details. Refresh tokens rotate. OAuth errors are
`{"error", "error_description", "log_id"}`, possibly with HTTP 200.

Every API answer is `{"data": ..., "error": {"code": "ok" | <code>, "message", "log_id"}}`: the
error code decides, whatever the HTTP status (`scope_not_authorized` comes as a 401 but is a
missing permission, not an expired token). Limits are a one-minute sliding window per endpoint,
with no usage headers: a 429 waits the window out.

The Display API gives today's totals only (followers, likes, videos), so the history grows from
the first sync; it has no comment texts and no audience demographics.

Publishing posts one video: `media[0]` is `{"url": <https URL of the video>}` (TikTok pulls it,
from a domain verified for the app) or `{"path": <local file>}` (uploaded in chunks).
"""

from __future__ import annotations

import asyncio
import os
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar

import httpx

from dreamsuite.platforms.base import (
    AccountRef, AuthExpired, CollectResult, Malformed, MetricDay, OAuthConfig, OutcomeUnknown, PermanentError,
    PermissionMissing, PlatformAdapter, PlatformError, PostData, ProcessingFailed, Profile, PublishRequest,
    PublishResult, RateLimited, TokenSet, TransientError,
)
from dreamsuite.platforms.media_rules import GB, MediaRules
from dreamsuite.platforms.http import retry_after
from dreamsuite.settings import get_settings

PAGE_SIZE = 20  # the documented maximum of /v2/video/list/
REREAD_DAYS = 7  # an incremental collect re-reads a week of videos: their numbers keep moving
WINDOW_SECONDS = 60.0  # TikTok's rate limits are a one-minute sliding window
STATUS_POLLS = 6
POLL_SECONDS = 2.0
SINGLE_CHUNK_MAX = 64 * 1024 * 1024  # TikTok takes a file under 64 MB as one chunk
CHUNK = 10 * 1024 * 1024

PROFILE_FIELDS = "open_id,union_id,avatar_url,display_name,username,bio_description,profile_deep_link,is_verified"
BASIC_FIELDS = "open_id,union_id,avatar_url,display_name"
STATS_FIELDS = "open_id,display_name,follower_count,following_count,likes_count,video_count"
VIDEO_FIELDS = ("id,create_time,cover_image_url,share_url,video_description,duration,title,like_count,"
                "comment_count,share_count,view_count")
COUNTS = {"like_count": "likes", "comment_count": "comments", "share_count": "shares", "view_count": "views"}
_HASHTAG = re.compile(r"#(\w+)")


class TikTokAdapter(PlatformAdapter):
    name: ClassVar[str] = "tiktok"
    label: ClassVar[str] = "TikTok"
    color: ClassVar[str] = "#000000"
    reads: ClassVar[str] = ("Your followers, total likes and each public video's views, likes, comments and shares, "
                            "to spot the clips that travel; with your permission we post the videos you schedule.")
    connectable: ClassVar[bool] = True
    can_publish: ClassVar[bool] = True
    max_text_length: ClassVar[int | None] = 2200
    # "Each user access_token is limited to 6 requests per minute" on the post init endpoint.
    posting_limits: ClassVar[tuple[tuple[int, int], ...]] = ((6, 60),)
    # Direct Post of one video (publish() posts videos, not photo posts): 3 s to 10 minutes, up to 4 GB
    # (TikTok's "Video restrictions" of the Content Posting API, beside its media transfer guide).
    # https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide
    media_rules: ClassVar[MediaRules | None] = MediaRules(
        source="https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide",
        kinds=frozenset({"video"}), max_items=1, max_video_bytes=4 * GB, min_video_s=3, max_video_s=10 * 60,
        text_alone=False)
    hosts: ClassVar[dict[str, str]] = {"www": "https://www.tiktok.com", "open": "https://open.tiktokapis.com"}
    unavailable_metrics: ClassVar[dict[str, str]] = {
        "comment_texts": "TikTok's Display API gives each video's comment count, not the comments themselves.",
        "audience": "TikTok shares no follower demographics through its Display API.",
        "saves": "TikTok's Display API does not give how often a video was saved.",
        "reach": "Reach and impressions are only in TikTok's own analytics, not in the Display API.",
    }

    def profile_url(self, username: str) -> str:
        return f"https://www.tiktok.com/@{username}" if username else ""

    def oauth_config(self) -> OAuthConfig:
        return OAuthConfig(
            authorize_url=self.url("www", "/v2/auth/authorize/"), token_url=self.url("open", "/v2/oauth/token/"),
            scopes=["user.info.basic", "user.info.profile", "user.info.stats", "video.list", "video.publish"],
            pkce=False, scope_separator=",", client_id_param="client_key",
        )

    # ------------------------------------------------------------ tokens (TikTok's own token endpoint)
    async def exchange_code(self, client: httpx.AsyncClient, code: str, verifier: str, redirect_uri: str,
                            credentials: tuple[str, str]) -> TokenSet | None:
        return await self._token(client, credentials, grant_type="authorization_code", code=code,
                                 redirect_uri=redirect_uri)

    async def refresh_tokens(self, client: httpx.AsyncClient, tokens: TokenSet,
                             credentials: tuple[str, str]) -> TokenSet | None:
        return await self._token(client, credentials, grant_type="refresh_token", refresh_token=tokens.refresh_token,
                                 previous=tokens.refresh_token)

    async def _token(self, client: httpx.AsyncClient, credentials: tuple[str, str], previous: str = "",
                     **fields: str) -> TokenSet:
        resp = await self.send(client, "POST", self.url("open", "/v2/oauth/token/"),
                               data={"client_key": credentials[0], "client_secret": credentials[1], **fields},
                               headers={"Cache-Control": "no-cache"})
        body = self.body_of(resp)
        if isinstance(body, dict) and body.get("error"):  # sometimes with HTTP 200
            message = f"{body['error']}: {body.get('error_description') or ''}".strip(": ")
            if resp.status_code >= 500 or body["error"] in ("server_error", "temporarily_unavailable"):
                raise TransientError(f"{self.label} token endpoint: {message}", status=resp.status_code)
            raise PermanentError(f"{self.label} refused the token request: {message}", status=resp.status_code)
        if resp.status_code >= 300 or not isinstance(body, dict):
            raise self.default_error(resp) if resp.status_code >= 300 else Malformed(
                f"{self.label} sent a token response that is not JSON")
        try:
            access, expires_in = str(body["access_token"]), int(body["expires_in"])
        except (KeyError, TypeError, ValueError) as exc:
            raise Malformed(f"{self.label} sent a token response without an access token") from exc
        extra = {k: body[k] for k in ("open_id", "refresh_expires_in") if body.get(k) is not None}
        return TokenSet(access_token=access, refresh_token=str(body.get("refresh_token") or previous),
                        expires_at=datetime.now(UTC) + timedelta(seconds=expires_in),
                        scope=" ".join(s for s in str(body.get("scope") or "").split(",") if s), extra=extra)

    async def revoke(self, client: httpx.AsyncClient, token: str, account: AccountRef) -> bool:
        """TikTok's revoke endpoint: the app leaves the user's connected apps, its tokens end."""
        credentials = get_settings().platform_credentials(self.name)
        if not credentials:
            return False
        resp = await self.send(client, "POST", self.url("open", "/v2/oauth/revoke/"),
                               account_key=account.platform_user_id, headers={"Cache-Control": "no-cache"},
                               data={"client_key": credentials[0], "client_secret": credentials[1], "token": token})
        body = self.body_of(resp)
        if isinstance(body, dict) and body.get("error"):  # an expired or revoked token: nothing left to withdraw
            return False
        self.parse_response(resp)
        return True

    # ------------------------------------------------------------ answers
    def classify(self, resp: httpx.Response, body: Any) -> PlatformError | None:
        err = body.get("error") if isinstance(body, dict) else None
        if not isinstance(err, dict) or str(err.get("code") or "ok") == "ok":
            return None  # no envelope (a proxy's page): the status code decides
        code, status, message = str(err["code"]), resp.status_code, self.error_message(resp)
        if code == "access_token_invalid":
            return AuthExpired(f"{self.label} rejected the access token: {message}", status=status)
        if code == "rate_limit_exceeded":
            return RateLimited(f"{self.label} rate limit: {message}", retry_after=retry_after(resp) or WINDOW_SECONDS,
                               status=status)
        if code in ("scope_not_authorized", "scope_permission_missed"):
            return PermissionMissing(f"{self.label} needs a permission you did not grant: {message}", status=status)
        if code == "internal_error" or status >= 500:
            return TransientError(f"{self.label} server error: {message}", status=status)
        return PermanentError(f"{self.label} refused the request: {message}", status=status)

    def error_message(self, resp: httpx.Response) -> str:
        body = self.body_of(resp)
        err = body.get("error") if isinstance(body, dict) else None
        if isinstance(err, dict):
            text = str(err.get("message") or "").strip()
            return f"{err.get('code')}{': ' + text if text else ''}"[:300]
        return super().error_message(resp)

    async def _api(self, client: httpx.AsyncClient, method: str, path: str, token: str, need: str, key: str = "",
                   **kwargs: Any) -> dict:
        """One Display/Content Posting call; a missing permission names the scope the call needs."""
        try:
            body = await self.request_json(client, method, self.url("open", path), token, account_key=key, **kwargs)
        except PermissionMissing as exc:
            raise PermissionMissing(f"{exc.message} (grant {need!r} when connecting TikTok)", scope=need,
                                    status=exc.status) from exc
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise Malformed(f"{self.label} sent an answer without data")
        return data

    # ------------------------------------------------------------ connect
    async def fetch_profile(self, client: httpx.AsyncClient, token: str) -> Profile:
        try:
            data = await self._api(client, "GET", "/v2/user/info/", token, "user.info.profile",
                                   params={"fields": PROFILE_FIELDS})
        except PermissionMissing:  # the profile scope is optional on TikTok's consent screen
            data = await self._api(client, "GET", "/v2/user/info/", token, "user.info.basic",
                                   params={"fields": BASIC_FIELDS})
        user = data.get("user")
        if not isinstance(user, dict) or not user.get("open_id"):
            raise Malformed(f"{self.label} sent a profile we could not read")
        name = str(user.get("display_name") or user.get("username") or user["open_id"])
        details = {k: user[k] for k in ("open_id", "union_id", "username", "profile_deep_link", "avatar_url",
                                        "is_verified") if user.get(k) not in (None, "")}
        return Profile(platform_user_id=str(user["open_id"]), username=str(user.get("username") or name),
                       display_name=name, details=details)

    # ------------------------------------------------------------ collect
    async def collect(self, client: httpx.AsyncClient, token: str, since: date | None = None,
                      account: AccountRef | None = None) -> CollectResult:
        key = account.platform_user_id if account else ""
        stats = await self._api(client, "GET", "/v2/user/info/", token, "user.info.stats", key,
                                params={"fields": STATS_FIELDS})
        videos = await self._videos(client, token, key, since)
        try:
            return CollectResult(days=self._today(stats.get("user")), posts=[self._video(v) for v in videos])
        except (KeyError, TypeError, ValueError) as exc:
            raise Malformed(f"{self.label} sent data we could not read: {type(exc).__name__} {exc}") from exc

    async def _videos(self, client: httpx.AsyncClient, token: str, key: str, since: date | None) -> list[dict]:
        cutoff = (datetime.combine(since - timedelta(days=REREAD_DAYS), datetime.min.time(), UTC).timestamp()
                  if since else None)
        found: list[dict] = []

        async def fetch(cursor: int | None) -> dict:
            body = {"max_count": PAGE_SIZE, **({"cursor": cursor} if cursor is not None else {})}
            return await self._api(client, "POST", "/v2/video/list/", token, "video.list", key,
                                   params={"fields": VIDEO_FIELDS}, json=body)

        def next_of(page: dict) -> int | None:
            videos = [v for v in page.get("videos") or [] if isinstance(v, dict)]
            if cutoff is not None and videos and min(int(v.get("create_time") or 0) for v in videos) < cutoff:
                return None  # newest first: everything further back is older than the re-read window
            return page.get("cursor") if page.get("has_more") else None

        async for page in self.pages(fetch, next_of, what="videos"):
            videos = [v for v in page.get("videos") or [] if isinstance(v, dict)]
            found.extend(v for v in videos if cutoff is None or int(v.get("create_time") or 0) >= cutoff)
        return found

    @staticmethod
    def _today(user: Any) -> list[MetricDay]:
        if not isinstance(user, dict) or user.get("follower_count") is None:
            return []  # not given: no row rather than a zero
        metrics = {k: int(user[k]) for k in ("following_count", "likes_count") if user.get(k) is not None}
        return [MetricDay(date=datetime.now(UTC).date(), follower_count=int(user["follower_count"]),
                          content_count=int(user.get("video_count") or 0), metrics=metrics)]

    @staticmethod
    def _video(v: dict) -> PostData:
        caption = str(v.get("video_description") or v.get("title") or "")
        counts = {field: int(v[src]) for src, field in COUNTS.items() if v.get(src) is not None}
        details = {k: v[k] for k in ("title", "duration", "cover_image_url") if v.get(k) not in (None, "")}
        missing = sorted(set(COUNTS.values()) - set(counts))
        if missing:  # stored as 0 in their columns; this says they were not given
            details["not_given"] = missing
        return PostData(platform_post_id=str(v["id"]), posted_at=datetime.fromtimestamp(int(v["create_time"]), UTC),
                        post_type="video", caption=caption, url=str(v.get("share_url") or ""),
                        hashtags=list(dict.fromkeys(t.lower() for t in _HASHTAG.findall(caption))), details=details,
                        **counts)

    # ------------------------------------------------------------ publish
    async def publish(self, client: httpx.AsyncClient, token: str, request: PublishRequest,
                      account: AccountRef | None = None) -> PublishResult:
        media = next((m for m in request.media if isinstance(m, dict) and (m.get("url") or m.get("path"))), None)
        if media is None or str(media.get("type") or "video") != "video":
            raise PermanentError("TikTok posts need a video: add one to the post.")
        key = account.platform_user_id if account else ""
        username = (account.details.get("username") or account.username) if account else ""
        creator = await self._api(client, "POST", "/v2/post/publish/creator_info/query/", token, "video.publish", key,
                                  json={})
        options = [str(o) for o in creator.get("privacy_level_options") or []]
        privacy = "PUBLIC_TO_EVERYONE" if "PUBLIC_TO_EVERYONE" in options or not options else options[0]  # widest
        post_info = {"title": request.text, "privacy_level": privacy,
                     "disable_comment": bool(creator.get("comment_disabled")),
                     "disable_duet": bool(creator.get("duet_disabled")),
                     "disable_stitch": bool(creator.get("stitch_disabled"))}
        path = str(media.get("path") or "")
        size = os.path.getsize(path) if path else 0
        if path:
            chunk = size if size <= SINGLE_CHUNK_MAX else CHUNK
            source = {"source": "FILE_UPLOAD", "video_size": size, "chunk_size": chunk,
                      "total_chunk_count": max(1, size // chunk)}
        else:
            source = {"source": "PULL_FROM_URL", "video_url": str(media["url"])}
        # The effect: from here on TikTok may publish the video, so a lost answer is never retried.
        init = await self._api(client, "POST", "/v2/post/publish/video/init/", token, "video.publish", key,
                               json={"post_info": post_info, "source_info": source}, sends_effect=True)
        publish_id = str(init.get("publish_id") or "")
        if not publish_id:
            raise OutcomeUnknown(f"{self.label} accepted the post without saying which; check the account")
        if path:
            await self._upload(client, str(init.get("upload_url") or ""), path, size, source)
        return await self._await_status(client, token, key, publish_id, username)

    async def _upload(self, client: httpx.AsyncClient, url: str, path: str, size: int, source: dict) -> None:
        if not url:
            raise OutcomeUnknown(f"{self.label} gave no upload address for the video; check the account")
        count, chunk = source["total_chunk_count"], source["chunk_size"]
        with open(path, "rb") as f:
            for i in range(count):
                start = i * chunk
                end = size - 1 if i == count - 1 else start + chunk - 1  # the last chunk takes the rest
                f.seek(start)
                data = f.read(end - start + 1)
                last = i == count - 1
                resp = await self.send(client, "PUT", url, sends_effect=last, content=data, headers={
                    "Content-Type": "video/mp4", "Content-Length": str(len(data)),
                    "Content-Range": f"bytes {start}-{end}/{size}"})
                if resp.status_code not in (200, 201, 206):
                    self.parse_response(resp)  # raises TikTok's error (nothing is published without every chunk)
                    raise TransientError(f"{self.label} did not take the video ({resp.status_code})")

    async def _await_status(self, client: httpx.AsyncClient, token: str, key: str, publish_id: str,
                            username: str) -> PublishResult:
        """A few looks while the job is here; a video still processing after them is left to
        `check_publish` (services/publish_check), so a long transcode holds no worker."""
        result = PublishResult(publish_id, self.profile_url(username), processing=True)
        for attempt in range(STATUS_POLLS):
            try:
                status = await self._fetch_status(client, token, key, publish_id)
            except PlatformError as exc:  # the init was accepted: whatever went wrong since, TikTok may post it
                raise OutcomeUnknown(f"{self.label} accepted the video but its status could not be read "
                                     f"({exc.message}); check the account before posting it again") from exc
            result = self._read_status(status, publish_id, username)
            if not result.processing:
                return result
            if attempt < STATUS_POLLS - 1:
                await asyncio.sleep(POLL_SECONDS)
        return result

    async def check_publish(self, client: httpx.AsyncClient, token: str, remote_id: str,
                            account: AccountRef | None = None) -> PublishResult:
        key = account.platform_user_id if account else ""
        status = await self._fetch_status(client, token, key, remote_id)
        return self._read_status(status, remote_id, account.username if account else "")

    async def _fetch_status(self, client: httpx.AsyncClient, token: str, key: str, publish_id: str) -> dict:
        """`POST /v2/post/publish/status/fetch/` (Content Posting API, "Get Post Status"): read only."""
        return await self._api(client, "POST", "/v2/post/publish/status/fetch/", token, "video.publish", key,
                               json={"publish_id": publish_id})

    def _read_status(self, status: dict, publish_id: str, username: str) -> PublishResult:
        state = str(status.get("status") or "")
        if state == "FAILED":
            raise ProcessingFailed(f"{self.label} did not publish the video: {status.get('fail_reason') or 'failed'}")
        if state == "PUBLISH_COMPLETE":
            ids = [str(i) for i in status.get("publicaly_available_post_id") or []]  # sic, TikTok's spelling
            if ids:
                return PublishResult(ids[0], f"https://www.tiktok.com/@{username}/video/{ids[0]}" if username else "")
            # Complete but private (or awaiting moderation): no public id; the publish id stands for it.
            return PublishResult(publish_id, self.profile_url(username))
        return PublishResult(publish_id, self.profile_url(username), processing=True)


ADAPTER = TikTokAdapter
