"""YouTube: the channel (Data API v3) and its YouTube Analytics (v2), and video uploads.

Google OAuth: offline access with `prompt=consent` so every consent returns a refresh token;
Google never rotates it and a refresh answers without one (the stored one is kept). Every Data
API call costs quota units (a list 1, an upload 1,600; 10,000 a day, reset at midnight Pacific
time): each call passes its cost, so the rate gate counts them per account and refuses before
the quota runs out. Analytics calls have their own quota and cost no Data API units.

Collect: the channel's statistics; its uploads playlist, page by page, then the videos in
batches of 50; comment threads (and the replies a thread does not carry inline); daily views,
watch time and subscribers gained/lost from Analytics, with subscribers per day rebuilt from
today's (rounded) total; traffic sources, devices, age/gender and countries of the last 28 days.
Publish: a resumable upload (the metadata starts a session, the PUT of the bytes is the effect);
the first comment is a top-level comment thread under the video (youtube.force-ssl).
"""

from __future__ import annotations

import asyncio
import re
from datetime import date, timedelta
from typing import Any, ClassVar

import httpx

from dreamsuite.platforms import youtube_shapes as shapes
from dreamsuite.platforms.base import (
    AccountRef, AuthExpired, CollectResult, Malformed, OAuthConfig, OutcomeUnknown, PermanentError,
    PermissionMissing, PlatformAdapter, PlatformError, Profile, PublishRequest, PublishResult, RateLimited,
    TransientError,
)
from dreamsuite.platforms.google_oauth import GOOGLE_OAUTH_HOSTS, google_oauth_config, google_revoke
from dreamsuite.platforms.media_rules import GB, MediaRules
from dreamsuite.platforms.http import Usage

AUTH = "https://www.googleapis.com/auth/"
READ, ANALYTICS, UPLOAD = AUTH + "youtube.readonly", AUTH + "yt-analytics.readonly", AUTH + "youtube.upload"
COMMENT = AUTH + "youtube.force-ssl"  # commentThreads.insert takes this scope only
PAGE_SIZE = 50  # playlistItems: at most 50 a page
BATCH = 50  # videos.list: at most 50 ids a call
THREAD_PAGE = 100  # commentThreads / comments: at most 100 a page
STATS_WINDOW = timedelta(days=14)  # an incremental collect re-reads recent videos' numbers
ANALYTICS_OVERLAP = timedelta(days=3)  # Analytics day rows arrive a few days late
AUDIENCE_DAYS = 28
LIST_COST, INSERT_COST, COMMENT_COST = 1, 1600, 50
PROCESSING_POLLS, POLL_SECONDS = 3, 2.0
MUSIC_CATEGORY = "10"


class CommentsUnavailable(PermanentError):
    """A video's comments cannot be read any more (turned off, or the video is gone): skipped."""


class YouTubeAdapter(PlatformAdapter):
    name: ClassVar[str] = "youtube"
    label: ClassVar[str] = "YouTube"
    color: ClassVar[str] = "#FF0000"
    reads: ClassVar[str] = ("Your channel's subscribers and views, each video's views, likes and comments (with "
                            "replies), and YouTube Analytics: watch time, traffic sources, devices, and your "
                            "audience's age, gender and countries, to see which videos bring new fans. Uploading "
                            "lets Dream Suite publish the videos you schedule.")
    connectable: ClassVar[bool] = True
    can_publish: ClassVar[bool] = True
    can_comment: ClassVar[bool] = True
    can_reply: ClassVar[bool] = True
    # Hiding holds the comment for review (comments.setModerationStatus, heldForReview): it leaves
    # the video's page and waits under "Held for review" in YouTube Studio; unhiding publishes it
    # again. Not "rejected", which also hides every reply and is meant for good. YouTube lets only
    # the owner of the video moderate, and every comment we collect is on the channel's own uploads.
    can_hide: ClassVar[bool] = True
    hide_limits: ClassVar[str] = "Hidden comments wait under \"Held for review\" in YouTube Studio."
    max_text_length: ClassVar[int | None] = 5000  # a video description
    # videos.insert: one video per upload, "Maximum file size: 256GB", accepted media video/*.
    # https://developers.google.com/youtube/v3/docs/videos/insert
    media_rules: ClassVar[MediaRules | None] = MediaRules(
        source="https://developers.google.com/youtube/v3/docs/videos/insert",
        kinds=frozenset({"video"}), max_items=1, max_video_bytes=256 * GB, text_alone=False)
    daily_quota: ClassVar[int] = 10_000
    quota_timezone: ClassVar[str] = "America/Los_Angeles"
    hosts: ClassVar[dict[str, str]] = {
        **GOOGLE_OAUTH_HOSTS,
        "api": "https://youtube.googleapis.com", "analytics": "https://youtubeanalytics.googleapis.com"}
    unavailable_metrics: ClassVar[dict[str, str]] = {
        "impressions": "Thumbnail impressions and their click-through rate are only in YouTube Studio, not in "
                       "YouTube's APIs.",
        "saves": "YouTube has no saves count.",
    }

    def profile_url(self, username: str) -> str:
        return f"https://www.youtube.com/@{username}" if username else ""

    def oauth_config(self) -> OAuthConfig:
        return google_oauth_config(self, [READ, ANALYTICS, UPLOAD, COMMENT])

    # ------------------------------------------------------------ Google's errors
    def classify(self, resp: httpx.Response, body: Any) -> PlatformError | None:
        if resp.status_code < 400:
            return None
        reasons, message = shapes.error_reasons(body), self.error_message(resp)
        if reasons & {"quotaExceeded", "dailyLimitExceeded"}:
            return RateLimited(f"{self.label}'s daily quota is used up; it resets at midnight Pacific time: "
                               f"{message}", retry_after=shapes.seconds_to_pacific_midnight(), status=resp.status_code)
        if resp.status_code == 429 or reasons & {"rateLimitExceeded", "userRateLimitExceeded"}:
            usage = self.read_usage(resp)
            return RateLimited(f"{self.label} rate limit: {message}", status=resp.status_code,
                               retry_after=usage.retry_after if usage and usage.retry_after else 60.0)
        if reasons & {"commentsDisabled", "videoNotFound"}:
            return CommentsUnavailable(f"{self.label}: {message}", status=resp.status_code)
        if resp.status_code == 401 or "authError" in reasons:
            return AuthExpired(f"{self.label} rejected the access token: {message}", status=resp.status_code)
        if reasons & {"insufficientPermissions", "forbidden", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"}:
            return PermissionMissing(f"{self.label} refused the request: {message}", scope=self._wanted_scope(resp),
                                     status=resp.status_code)
        return None

    @staticmethod
    def _wanted_scope(resp: httpx.Response) -> str:
        """The scope Google's WWW-Authenticate names (one of ours, when it lists several)."""
        header = resp.headers.get("www-authenticate", "")
        listed = header.split('scope="', 1)[1].split('"', 1)[0].split() if 'scope="' in header else []
        return next((s for s in listed if s in (READ, ANALYTICS, UPLOAD, COMMENT)), listed[0] if listed else "")

    def read_usage(self, resp: httpx.Response) -> Usage | None:
        usage = super().read_usage(resp)
        if resp.status_code == 403 and "quotaExceeded" in shapes.error_reasons(self.body_of(resp)):
            return Usage(retry_after=shapes.seconds_to_pacific_midnight())  # the gate waits until the reset
        return usage

    async def _get(self, client: httpx.AsyncClient, token: str, host: str, path: str, params: dict, key: str,
                   scope: str, cost: int = LIST_COST) -> dict:
        try:
            body = await self.request_json(client, "GET", self.url(host, path), token, account_key=key, cost=cost,
                                           params=params)
        except PermissionMissing as exc:
            scope = exc.scope or scope
            raise PermissionMissing(f"{self.label} needs the permission {scope.rsplit('/', 1)[-1]!r}: reconnect "
                                    f"YouTube and allow it. ({exc.message})", scope=scope, status=exc.status) from exc
        if not isinstance(body, dict):
            raise Malformed(f"{self.label} sent an answer we could not read")
        return body

    async def revoke(self, client: httpx.AsyncClient, token: str, account: AccountRef) -> bool:
        return await google_revoke(self, client, token, account.platform_user_id)

    # ------------------------------------------------------------ connect
    async def _channel(self, client: httpx.AsyncClient, token: str, key: str) -> dict:
        found = await self._get(client, token, "api", "/youtube/v3/channels", key=key, scope=READ,
                                params={"part": "snippet,statistics,contentDetails", "mine": "true"})
        items = found.get("items") or []
        if not items:
            raise PermanentError("This Google account has no YouTube channel yet: create one on YouTube, then "
                                 "connect again.")
        return items[0]

    async def fetch_profile(self, client: httpx.AsyncClient, token: str) -> Profile:
        ch = await self._channel(client, token, "")
        try:
            snippet = ch["snippet"]
            handle = str(snippet.get("customUrl") or "").lstrip("@")
            return Profile(platform_user_id=str(ch["id"]), username=handle or str(snippet["title"]),
                           display_name=str(snippet["title"]),
                           details={"channel_id": ch["id"],
                                    "uploads_playlist": ch["contentDetails"]["relatedPlaylists"]["uploads"],
                                    "created_at": snippet.get("publishedAt")})
        except (KeyError, TypeError) as exc:
            raise Malformed(f"{self.label} sent a channel we could not read") from exc

    # ------------------------------------------------------------ collect
    async def collect(self, client: httpx.AsyncClient, token: str, since: date | None = None,
                      account: AccountRef | None = None) -> CollectResult:
        key = account.platform_user_id if account else ""
        ch = await self._channel(client, token, key)
        try:
            stats, uploads = ch.get("statistics") or {}, ch["contentDetails"]["relatedPlaylists"]["uploads"]
            created = shapes.timestamp(ch["snippet"]["publishedAt"]).date()
            cutoff = since - STATS_WINDOW if since else None
            videos = await self._videos(client, token, key, uploads, cutoff)
            threads = await self._comments(client, token, key, videos, str(ch["id"]))
            today = shapes.pacific_today()
            start = max(created, since - ANALYTICS_OVERLAP) if since else created
            daily = await self._report(client, token, key, start, today, "day", ",".join(shapes.DAY_METRICS), "day")
            audience = await self._audience(client, token, key, today)
            subscribers = None if stats.get("hiddenSubscriberCount") or stats.get("subscriberCount") is None \
                else int(stats["subscriberCount"])
            posts = [shapes.video(v, threads["owner"].get(v["id"], [])) for v in videos]
            published = [p.posted_at.astimezone(shapes.PACIFIC).date() for p in posts]
            days = shapes.days(daily, subscribers, _int(stats.get("viewCount")), _int(stats.get("videoCount")),
                               published, today)
            return CollectResult(days=days, posts=posts, comments=threads["comments"], audience=audience)
        except (KeyError, TypeError, ValueError) as exc:
            raise Malformed(f"{self.label} sent data we could not read: {type(exc).__name__} {exc}") from exc

    async def _videos(self, client: httpx.AsyncClient, token: str, key: str, playlist: str,
                      cutoff: date | None) -> list[dict]:
        """The uploads playlist (newest first) to its end, or to `cutoff`; then the videos in batches."""
        ids: list[str] = []

        async def fetch(page: str | None) -> dict:
            params = {"part": "contentDetails", "playlistId": playlist, "maxResults": PAGE_SIZE,
                      **({"pageToken": page} if page else {})}
            try:
                return await self._get(client, token, "api", "/youtube/v3/playlistItems", params, key, READ)
            except PermanentError as exc:
                if exc.status == 404:  # a channel with no uploads has no uploads playlist to find
                    return {"items": []}
                raise

        def next_of(page: dict) -> str | None:
            older = any(cutoff and shapes.timestamp(i["contentDetails"]["videoPublishedAt"]).date() < cutoff
                        for i in page.get("items") or [])
            return None if older else page.get("nextPageToken")

        async for page in self.pages(fetch, next_of, what="uploads"):
            for item in page.get("items") or []:
                details = item["contentDetails"]
                published = details.get("videoPublishedAt")
                if cutoff is None or published is None or shapes.timestamp(published).date() >= cutoff:
                    ids.append(str(details["videoId"]))
        ids = list(dict.fromkeys(ids))
        out: list[dict] = []
        for i in range(0, len(ids), BATCH):
            found = await self._get(client, token, "api", "/youtube/v3/videos", key=key, scope=READ, params={
                "part": "snippet,contentDetails,statistics,status", "id": ",".join(ids[i:i + BATCH]),
                "maxResults": BATCH})
            out.extend(v for v in found.get("items") or [] if isinstance(v, dict))
        return out

    async def _comments(self, client: httpx.AsyncClient, token: str, key: str, videos: list[dict],
                        channel_id: str) -> dict[str, Any]:
        comments, owner = [], {}
        for v in videos:
            count = (v.get("statistics") or {}).get("commentCount")
            if count is None or int(count) == 0:  # comments off (absent), or none yet: no call spent
                continue
            vid, found, mine = str(v["id"]), [], []
            try:
                async for page in self._paged(client, token, key, "/youtube/v3/commentThreads", {
                        "part": "snippet,replies", "videoId": vid, "textFormat": "plainText"}):
                    for t in page.get("items") or []:
                        top = t["snippet"]["topLevelComment"]
                        replies = (t.get("replies") or {}).get("comments") or []
                        if int(t["snippet"].get("totalReplyCount") or 0) > len(replies):
                            replies = [r async for p in self._paged(client, token, key, "/youtube/v3/comments", {
                                "part": "snippet", "parentId": t["id"], "textFormat": "plainText"})
                                for r in p.get("items") or []]
                        for c, parent in [(top, ""), *[(r, str(t["id"])) for r in replies]]:
                            found.append(shapes.comment(c, vid, parent))
                            if shapes.author_channel(c) == channel_id:
                                mine.append(str(c["id"]))
            except CommentsUnavailable:
                continue  # turned off (or deleted) since the video was read
            comments.extend(found)
            owner[vid] = mine
        return {"comments": comments, "owner": owner}

    def _paged(self, client: httpx.AsyncClient, token: str, key: str, path: str, params: dict):
        async def fetch(page: str | None) -> dict:
            return await self._get(client, token, "api", path, key=key, scope=READ, params={
                **params, "maxResults": THREAD_PAGE, **({"pageToken": page} if page else {})})
        return self.pages(fetch, lambda p: p.get("nextPageToken"), what="comments")

    async def _report(self, client: httpx.AsyncClient, token: str, key: str, start: date, end: date,
                      dimensions: str, metrics: str, sort: str) -> list[dict]:
        params = {"ids": "channel==MINE", "startDate": start.isoformat(), "endDate": end.isoformat(),
                  "metrics": metrics, "dimensions": dimensions, "sort": sort}
        return shapes.table(await self._get(client, token, "analytics", "/v2/reports", params, key, ANALYTICS,
                                            cost=0))  # Analytics has its own quota, not Data API units

    async def _audience(self, client: httpx.AsyncClient, token: str, key: str, today: date) -> dict | None:
        start = today - timedelta(days=AUDIENCE_DAYS)
        demo = await self._report(client, token, key, start, today, "ageGroup,gender", "viewerPercentage",
                                  "gender,ageGroup")
        split = {name: await self._report(client, token, key, start, today, dim, "views", "-views")
                 for name, dim in (("countries", "country"), ("traffic_sources", "insightTrafficSourceType"),
                                   ("devices", "deviceType"))}
        audience = {**shapes.demographics(demo),
                    **{name: shapes.shares(rows, dim) for (name, rows), dim in
                       zip(split.items(), ("country", "insightTrafficSourceType", "deviceType"), strict=True)}}
        audience = {k: v for k, v in audience.items() if v}
        return audience or None

    # ------------------------------------------------------------ publish
    async def publish(self, client: httpx.AsyncClient, token: str, request: PublishRequest,
                      account: AccountRef | None = None) -> PublishResult:
        media = request.media[0] if request.media and isinstance(request.media[0], dict) else {}
        if not media.get("url") or str(media.get("type", "video")).split("/")[0] not in ("video", ""):
            raise PermanentError("A YouTube post needs a video: attach one and schedule it again.")
        data, mime = await self._media(client, str(media["url"]), str(media.get("mime") or "video/mp4"))
        key = account.platform_user_id if account else ""
        text = request.text.strip()
        title = next((line.strip() for line in text.splitlines() if line.strip()), "New video")
        title = title.replace("<", "").replace(">", "")[:100]
        description = text.replace("<", "").replace(">", "").encode()[:5000].decode(errors="ignore")
        tags = list(dict.fromkeys(re.findall(r"#(\w+)", text)))[:30]
        meta = {"snippet": {"title": title, "description": description, "categoryId": MUSIC_CATEGORY,
                            **({"tags": tags} if tags else {})},
                "status": {"privacyStatus": "public", "selfDeclaredMadeForKids": False}}
        start = await self.send(client, "POST", self.url("api", "/upload/youtube/v3/videos"), token, account_key=key,
                                cost=INSERT_COST, json=meta, params={"uploadType": "resumable", "part": "snippet,status"},
                                headers={"X-Upload-Content-Length": str(len(data)), "X-Upload-Content-Type": mime})
        if start.status_code >= 300:
            try:
                self.parse_response(start)
            except PermissionMissing as exc:
                raise PermissionMissing(f"{self.label} needs the permission 'youtube.upload' to publish: reconnect "
                                        f"YouTube and allow it. ({exc.message})", scope=UPLOAD) from exc
        session = start.headers.get("location")
        if not session:
            raise TransientError(f"{self.label} did not start the upload (no upload URL); nothing was sent")
        try:
            video = await self.request_json(client, "PUT", session, token, sends_effect=True, account_key=key, cost=0,
                                            content=data, headers={"Content-Type": mime})
        except OutcomeUnknown:
            video = await self._upload_outcome(client, token, session, len(data), key)
        try:
            vid = str(video["id"])
        except (KeyError, TypeError) as exc:
            raise OutcomeUnknown(f"{self.label} accepted the upload but its answer was unreadable") from exc
        await self._processed(client, token, vid, key)
        return PublishResult(platform_post_id=vid, url=f"https://www.youtube.com/watch?v={vid}")

    async def comment(self, client: httpx.AsyncClient, token: str, platform_post_id: str, text: str,
                      account: AccountRef | None = None, *, idempotency_key: str = "") -> str:
        """commentThreads.insert: `POST /youtube/v3/commentThreads?part=snippet` with
        `{"snippet": {"channelId", "videoId", "topLevelComment": {"snippet": {"textOriginal"}}}}`, scope
        youtube.force-ssl, 50 quota units; answers the commentThread, whose id we keep
        (https://developers.google.com/youtube/v3/docs/commentThreads/insert). No idempotency key."""
        key = account.platform_user_id if account else ""
        channel = str((account.details.get("channel_id") or account.platform_user_id) if account else "")
        snippet: dict[str, Any] = {"videoId": platform_post_id, "topLevelComment": {"snippet": {"textOriginal": text}}}
        if channel:
            snippet["channelId"] = channel
        thread = await self._moderate(client, token, key, "/youtube/v3/commentThreads", {"part": "snippet"},
                                      json={"snippet": snippet}, sends_effect=True)
        thread_id = str(thread.get("id") or "") if isinstance(thread, dict) else ""
        if not thread_id:
            raise OutcomeUnknown(f"{self.label} accepted the comment but did not say which it is; check the video")
        return thread_id

    async def reply(self, client: httpx.AsyncClient, token: str, comment_id: str, text: str,
                    account: AccountRef | None = None, *, thread_id: str = "", idempotency_key: str = "") -> str:
        """comments.insert: `POST /youtube/v3/comments?part=snippet` with `{"snippet": {"parentId",
        "textOriginal"}}`, the parent being the thread's top-level comment (a reply to a reply joins
        its thread), youtube.force-ssl, 50 units; answers the comment resource
        (https://developers.google.com/youtube/v3/docs/comments/insert). No idempotency key."""
        key = account.platform_user_id if account else ""
        body = {"snippet": {"parentId": thread_id or comment_id, "textOriginal": text}}
        made = await self._moderate(client, token, key, "/youtube/v3/comments", {"part": "snippet"}, json=body,
                                    sends_effect=True)
        reply_id = str(made.get("id") or "") if isinstance(made, dict) else ""
        if not reply_id:
            raise OutcomeUnknown(f"{self.label} accepted the reply but did not say which it is; check the video")
        return reply_id

    async def hide(self, client: httpx.AsyncClient, token: str, comment_id: str, hidden: bool,
                   account: AccountRef | None = None) -> None:
        """comments.setModerationStatus: `POST /youtube/v3/comments/setModerationStatus?id=...&
        moderationStatus=heldForReview|published`, 50 units, answered 204 (https://developers.google.com/
        youtube/v3/docs/comments/setModerationStatus). See `can_hide` for why heldForReview."""
        key = account.platform_user_id if account else ""
        await self._moderate(client, token, key, "/youtube/v3/comments/setModerationStatus",
                             {"id": comment_id, "moderationStatus": "heldForReview" if hidden else "published"})

    async def _moderate(self, client: httpx.AsyncClient, token: str, key: str, path: str, params: dict, *,
                        json: dict | None = None, sends_effect: bool = False) -> Any:
        """A write to comments (youtube.force-ssl, 50 units); a refusal for want of the scope says so."""
        try:
            return await self.request_json(client, "POST", self.url("api", path), token, sends_effect=sends_effect,
                                           account_key=key, cost=COMMENT_COST, params=params,
                                           **({"json": json} if json is not None else {}))
        except PermissionMissing as exc:
            raise PermissionMissing(f"{self.label} needs the permission 'youtube.force-ssl' to comment: reconnect "
                                    f"YouTube and allow it. ({exc.message})", scope=COMMENT,
                                    status=exc.status) from exc

    async def _media(self, client: httpx.AsyncClient, url: str, mime: str) -> tuple[bytes, str]:
        try:
            resp = await client.get(url, follow_redirects=True)
        except httpx.HTTPError as exc:
            raise TransientError(f"The video could not be read ({type(exc).__name__}); nothing was sent") from exc
        if resp.status_code >= 400 or not resp.content:
            raise PermanentError(f"The video could not be read (HTTP {resp.status_code}); nothing was sent")
        kind = resp.headers.get("content-type", "").split(";")[0].strip()
        return resp.content, kind if kind.startswith("video/") else mime

    async def _upload_outcome(self, client: httpx.AsyncClient, token: str, session: str, size: int,
                              key: str) -> dict:
        """The answer to the upload was lost: ask the session whether it completed (resumable
        protocol: an empty PUT with `Content-Range: bytes */size`). 200/201: the video exists."""
        try:
            resp = await self.send(client, "PUT", session, token, account_key=key, cost=0, content=b"",
                                   headers={"Content-Range": f"bytes */{size}"})
        except PlatformError as exc:
            raise OutcomeUnknown(f"{self.label} did not answer after the video was sent; check the channel before "
                                 "posting it again") from exc
        body = self.body_of(resp)
        if resp.status_code in (200, 201) and isinstance(body, dict) and body.get("id"):
            return body
        raise OutcomeUnknown(f"{self.label} did not confirm the upload (HTTP {resp.status_code}); check the channel "
                             "before posting it again")

    async def _processed(self, client: httpx.AsyncClient, token: str, vid: str, key: str) -> None:
        """A fresh upload is "uploaded" while YouTube processes it: a few status reads, then we go on
        (it finishes on its own). A rejected or failed upload is reported."""
        for attempt in range(PROCESSING_POLLS):
            try:
                found = await self._get(client, token, "api", "/youtube/v3/videos", key=key, scope=READ,
                                        params={"part": "status,processingDetails", "id": vid})
            except PlatformError:
                return  # the video exists; its processing state can wait for the next collect
            status = ((found.get("items") or [{}])[0].get("status") or {})
            if status.get("uploadStatus") in ("failed", "rejected", "deleted"):
                reason = status.get("rejectionReason") or status.get("failureReason") or status["uploadStatus"]
                raise PermanentError(f"{self.label} did not accept the video: {reason}")
            if status.get("uploadStatus") != "uploaded":
                return
            if attempt + 1 < PROCESSING_POLLS:
                await asyncio.sleep(POLL_SECONDS)


def _int(value: Any) -> int | None:
    return int(value) if value is not None else None


ADAPTER = YouTubeAdapter
