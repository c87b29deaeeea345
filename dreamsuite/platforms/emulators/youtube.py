"""YouTube, emulated: Google's OAuth 2 server, the Data API v3 paths we call, resumable uploads,
and the YouTube Analytics API v2 reports, in the shapes of Google's discovery documents
(youtube.v3.json, youtubeAnalytics.v2.json).

- OAuth: Google's, shared with the other Google emulators (emulators/google_oauth.py): a refresh
  token only with `access_type=offline`, and only on the first consent unless `prompt=consent`;
  a refresh answers without a new refresh token (Google does not rotate them).
- Errors: `{"error": {"code", "message", "errors": [{"message", "domain", "reason"}], "status"}}`;
  an insufficient scope also says which scopes would do in WWW-Authenticate.
- Quota: every Data API call costs units (list 1, videos.insert 1600), 10,000 a day for the
  project, reset at midnight Pacific time; past it, 403 `quotaExceeded`. Analytics calls
  have their own quota and cost no Data API units.
- commentThreads.insert (POST, youtube.force-ssl only, 50 units) adds a top-level comment, listed
  first by commentThreads.list afterwards; comments.insert (a reply) and
  comments.setModerationStatus (hold or publish) are in emulators/youtube_comments.py.
- uint64 numbers are JSON strings; a count the owner turned off (comments, ratings) is absent.
"""

from __future__ import annotations

import json
import secrets
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from dreamsuite.platforms.emulators.core import ApiError, page_token, read_page_token
from dreamsuite.platforms.emulators.google_oauth import GoogleOAuthEmulator
from dreamsuite.platforms.emulators.store import Account
from dreamsuite.platforms.emulators.youtube_comments import CommentWrites
from dreamsuite.platforms.emulators.youtube_data import (
    AUTH, COMMENT, COMMENT_COST, PACIFIC, VIDEO_PARTS, ChannelData, b64id, iso,
)

READ = (AUTH + "youtube.readonly", AUTH + "youtube", AUTH + "youtube.force-ssl", AUTH + "youtubepartner")
UPLOAD = (AUTH + "youtube.upload", AUTH + "youtube", AUTH + "youtube.force-ssl")
ANALYTICS = (AUTH + "yt-analytics.readonly", AUTH + "yt-analytics-monetary.readonly", AUTH + "youtube",
             AUTH + "youtube.readonly", AUTH + "youtubepartner")
DAILY_QUOTA = 10_000
INSERT_COST = 1600

_STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
           429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}
# The core's error codes, as Google words them: (reason, domain, message or None for the caller's).
_REASONS = {
    "invalid_token": ("authError", "global", "Request had invalid authentication credentials. Expected OAuth 2 "
                                             "access token, login cookie or other valid authentication credential."),
    "insufficient_scope": ("insufficientPermissions", "global", "Request had insufficient authentication scopes."),
    "forbidden": ("forbidden", "youtube.common", "The request is not properly authorized."),
    "not_found": ("notFound", "global", None),
    "invalid_request": ("badRequest", "global", None),
    "server_error": ("backendError", "global", "Backend Error"),
}


class YouTubeEmulator(CommentWrites, GoogleOAuthEmulator):
    platform = "youtube"
    label = "YouTube"
    scopes = tuple(dict.fromkeys((*READ, *UPLOAD, *ANALYTICS)))
    # Replies a comment thread carries inline; the rest only through comments.list?parentId=.
    inline_replies = 5
    # Status reads an upload answers "uploaded" (processing) before "processed".
    processing_reads = 1

    def __init__(self, store):
        super().__init__(store)
        self.quota_limit = DAILY_QUOTA
        self._units: dict[str, int] = {}

    # ---------------------------------------------------------------- Google's envelopes
    def google_error(self, status: int, reason: str, domain: str, message: str,
                     headers: dict | None = None) -> Response:
        body = {"error": {"code": status, "message": message,
                          "errors": [{"message": message, "domain": domain, "reason": reason}],
                          "status": _STATUS.get(status, "UNKNOWN")}}
        return JSONResponse(body, status_code=status, headers=headers)

    def error(self, status: int, code: str, message: str, headers: dict | None = None) -> Response:
        reason, domain, fixed = _REASONS.get(code, (code, "global", None))
        if status == 503:
            fixed = "The service is currently unavailable."
        return self.google_error(status, reason, domain, fixed or message, headers)

    def rate_limited(self, retry_after: int) -> Response:
        return self.google_error(429, "rateLimitExceeded", "usageLimits",
                                 "Resource has been exhausted (e.g. check quota).", {"Retry-After": str(retry_after)})

    # ---------------------------------------------------------------- quota and callers
    def _charge(self, units: int) -> None:
        day = datetime.now(PACIFIC).date().isoformat()
        used = self._units.get(day, 0)
        if used + units > self.quota_limit:
            raise ApiError(self.google_error(
                403, "quotaExceeded", "youtube.quota", "The request cannot be completed because you have exceeded "
                "your <a href=\"/youtube/v3/getting-started#quota\">quota</a>."))
        self._units = {day: used + units}

    def units_used(self) -> int:
        return self._units.get(datetime.now(PACIFIC).date().isoformat(), 0)

    async def _user(self, request: Request, accepted: tuple[str, ...], cost: int = 0) -> Account:
        caller = await self.caller(request)
        if not caller.scopes & set(accepted):
            raise ApiError(self.error(403, "insufficient_scope", "", {
                "WWW-Authenticate": f'Bearer realm="https://accounts.google.com/", error="insufficient_scope", '
                                    f'scope="{" ".join(accepted)}"'}))
        if cost:
            self._charge(cost)
        return caller.account

    def _data(self, account: Account) -> ChannelData:
        return ChannelData(account, self.story_of(account), self.today(),
                           self.store.posts(self.platform, account.id))

    async def data_for(self, account: Account) -> ChannelData:
        return await self.store.call(self._data, account)

    def _bad(self, message: str, reason: str = "badRequest") -> ApiError:
        return ApiError(self.google_error(400, reason, "youtube.parameter" if reason != "badRequest" else "global",
                                          message))

    def _parts(self, request: Request, allowed: set[str]) -> set[str]:
        parts = {p.strip() for p in request.query_params.get("part", "").split(",") if p.strip()}
        if not parts:
            raise self._bad("Required parameter: part", "required")
        unknown = parts - allowed
        if unknown:
            raise self._bad(f"'{sorted(unknown)[0]}'", "unknownPart")
        return parts

    def _list_page(self, request: Request, items: list[dict], kind: str, default: int, most: int) -> dict:
        try:
            size = int(request.query_params.get("maxResults", default))
        except ValueError:
            raise self._bad("Invalid value for maxResults", "invalidValue") from None
        if not 0 <= size <= most:
            raise self._bad(f"Invalid value '{size}'. Values must be within the range: [0, {most}]", "invalidValue")
        token = request.query_params.get("pageToken")
        offset = read_page_token(token) if token else 0
        if offset is None:
            raise self._bad("The request specifies an invalid page token.", "invalidPageToken")
        body: dict[str, Any] = {"kind": kind, "etag": b64id("etag", kind, offset, len(items))}
        if offset + size < len(items):
            body["nextPageToken"] = page_token(offset + size)
        if offset:
            body["prevPageToken"] = page_token(max(0, offset - size))
        body["pageInfo"] = {"totalResults": len(items), "resultsPerPage": size}
        body["items"] = items[offset:offset + size]
        return body

    @staticmethod
    def _only(resource: dict, parts: set[str]) -> dict:
        return {k: v for k, v in resource.items() if k in ("kind", "etag", "id") or k in parts}

    # ---------------------------------------------------------------- Data API
    async def channels(self, request: Request) -> Response:
        account = await self._user(request, READ, cost=1)
        parts = self._parts(request, {"id", "snippet", "statistics", "contentDetails", "status", "brandingSettings"})
        if request.query_params.get("mine") != "true":
            raise self._bad("No filter selected. Expected one of: mine, id, forHandle", "missingRequiredParameter")
        data = await self.data_for(account)
        items = [self._only(self.channel(data), parts)] if data.has_channel else []
        return JSONResponse({"kind": "youtube#channelListResponse", "etag": b64id("etag", account.id),
                             "pageInfo": {"totalResults": len(items), "resultsPerPage": 5}, "items": items})

    def channel(self, data: ChannelData) -> dict:
        """The channel resource (tests may replace it to hide the subscriber count)."""
        return data.channel()

    async def playlist_items(self, request: Request) -> Response:
        account = await self._user(request, READ, cost=1)
        parts = self._parts(request, {"id", "snippet", "contentDetails", "status"})
        data = await self.data_for(account)
        if request.query_params.get("playlistId") != data.uploads_id or not data.videos:
            # An uploads playlist with nothing in it is not found, as on YouTube.
            return self.google_error(404, "playlistNotFound", "youtube.playlistItem", "The playlist identified with "
                                     "the request's <code>playlistId</code> parameter cannot be found.")
        items = [self._only(data.playlist_item(v), parts) for v in data.videos]
        return JSONResponse(self._list_page(request, items, "youtube#playlistItemListResponse", 5, 50))

    async def videos(self, request: Request) -> Response:
        account = await self._user(request, READ, cost=1)
        parts = self._parts(request, set(VIDEO_PARTS))
        ids = [i for i in request.query_params.get("id", "").split(",") if i]
        if not ids:
            raise self._bad("No filter selected. Expected one of: id, myRating, chart", "missingRequiredParameter")
        if len(ids) > 50:
            raise self._bad("The request specifies an invalid filter parameter.", "invalidFilters")
        data = await self.data_for(account)
        found = [data.video_by_id[i] for i in ids if i in data.video_by_id]
        items = [self._only(await self.store.call(self._with_processing, data.video(v)), parts) for v in found]
        return JSONResponse({"kind": "youtube#videoListResponse", "etag": b64id("etag", *ids),
                             "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)}, "items": items})

    def _with_processing(self, video: dict) -> dict:
        """A fresh upload reads "uploaded" (still processing) a few times, then "processed"."""
        key = f"youtube:processing:{video['id']}"
        left = self.store.get(key)
        if left is None:
            return video
        if left <= 0:
            video["status"]["uploadStatus"] = "processed"
            video["processingDetails"] = {"processingStatus": "succeeded"}
            return video
        self.store.put(key, left - 1)
        video["processingDetails"] = {"processingStatus": "processing"}
        return video

    async def comment_threads(self, request: Request) -> Response:
        account = await self._user(request, READ, cost=1)
        parts = self._parts(request, {"id", "snippet", "replies"})
        data = await self.data_for(account)
        video = data.video_by_id.get(request.query_params.get("videoId", ""))
        if video is None:
            return self.google_error(404, "videoNotFound", "youtube.commentThread", "The video identified by the "
                                     "<code><a href=\"/youtube/v3/docs/commentThreads/list#videoId\">videoId</a></code>"
                                     " parameter could not be found.")
        if not data.comments_enabled(video):
            return self.google_error(403, "commentsDisabled", "youtube.commentThread", "The video identified by the "
                                     "<code>videoId</code> parameter has disabled comments.")
        made = await self.store.call(self.store.get, f"youtube:threads:{account.id}", [])
        writes = await self.store.call(self.writes_of, account.id)
        every = [t for t in reversed(made) if t["snippet"]["videoId"] == video.id]
        every += [data.thread(t, self.inline_replies) for t in data.threads(video)]
        listed = (self.moderated(data, t, writes, self.inline_replies) for t in every)
        threads = [self._only(t, parts) for t in listed if t is not None]
        return JSONResponse(self._list_page(request, threads, "youtube#commentThreadListResponse", 20, 100))

    async def insert_thread(self, request: Request) -> Response:
        """commentThreads.insert: a new top-level comment under a video (youtube.force-ssl, 50 units)."""
        account = await self._user(request, COMMENT, cost=COMMENT_COST)
        parts = self._parts(request, {"id", "snippet", "replies"})
        try:
            snippet = (json.loads(await request.body() or b"{}").get("snippet") or {})
            video_id = str(snippet.get("videoId") or "")
            text = str(((snippet.get("topLevelComment") or {}).get("snippet") or {}).get("textOriginal") or "")
        except (ValueError, AttributeError):
            raise self._bad("Parse Error") from None
        data = await self.data_for(account)
        video = data.video_by_id.get(video_id)
        if video is None:
            return self.google_error(404, "videoNotFound", "youtube.commentThread", "The video identified by the "
                                     "<code>snippet.videoId</code> property could not be found.")
        if not data.comments_enabled(video):
            return self.google_error(403, "commentsDisabled", "youtube.commentThread", "The video identified by the "
                                     "<code>videoId</code> parameter has disabled comments.")
        if not text.strip():
            raise self._bad("The comment thread metadata is invalid: the comment text is empty.",
                            "invalidCommentMetadata")
        if len(text) > 10_000:
            raise self._bad("The comment text is too long.", "commentTextTooLong")
        tid = "Ugz" + b64id("api-thread", account.id, video_id, secrets.token_hex(6), n=23)
        now = iso(datetime.now(PACIFIC))
        top = {"kind": "youtube#comment", "etag": b64id("etag", tid), "id": tid, "snippet": {
            "channelId": data.channel_id, "videoId": video_id, "textDisplay": text, "textOriginal": text,
            "authorDisplayName": data.handle, "authorChannelId": {"value": data.channel_id},
            "authorChannelUrl": f"http://www.youtube.com/channel/{data.channel_id}", "canRate": True,
            "viewerRating": "none", "likeCount": 0, "publishedAt": now, "updatedAt": now}}
        thread = {"kind": "youtube#commentThread", "etag": b64id("etag", "thread", tid), "id": tid,
                  "snippet": {"channelId": data.channel_id, "videoId": video_id, "topLevelComment": top,
                              "canReply": True, "totalReplyCount": 0, "isPublic": True}}
        await self.store.call(self._add_thread, account.id, thread)
        await self.control.after_effect(request.url.path[len(request.scope.get("root_path", "")):])
        return JSONResponse(self._only(thread, parts))

    def _add_thread(self, account_id: str, thread: dict) -> None:
        made = self.store.get(f"youtube:threads:{account_id}", [])
        self.store.put(f"youtube:threads:{account_id}", [*made, thread][-1000:])

    async def comments(self, request: Request) -> Response:
        account = await self._user(request, READ, cost=1)
        parts = self._parts(request, {"id", "snippet"})
        parent = request.query_params.get("parentId", "")
        data = await self.data_for(account)
        made = await self.store.call(self.store.get, f"youtube:threads:{account.id}", [])
        replies = self.replies_listed(data, parent, await self.store.call(self.writes_of, account.id), made)
        if replies is None:
            return self.google_error(404, "commentNotFound", "youtube.comment", "The comment could not be found.")
        items = [self._only(r, parts) for r in replies]
        return JSONResponse(self._list_page(request, items, "youtube#commentListResponse", 20, 100))

    # ---------------------------------------------------------------- resumable upload
    def _session_url(self, request: Request, upload_id: str) -> str:
        base = f"{request.url.scheme}://{request.url.netloc}{request.scope.get('root_path', '')}"
        query = urlencode({"uploadType": "resumable", "part": request.query_params.get("part", "snippet,status"),
                           "upload_id": upload_id})
        return f"{base}/api/upload/youtube/v3/videos?{query}"

    async def upload_start(self, request: Request) -> Response:
        account = await self._user(request, UPLOAD)
        if request.query_params.get("uploadType") != "resumable":
            raise self._bad("Only resumable uploads are emulated: uploadType=resumable", "invalidValue")
        self._parts(request, {"snippet", "status", "contentDetails", "recordingDetails", "localizations"})
        try:
            meta = json.loads(await request.body() or b"{}")
            snippet = meta.get("snippet") or {}
            title, description = str(snippet.get("title", "")), str(snippet.get("description", ""))
        except (ValueError, AttributeError):
            raise self._bad("Parse Error") from None
        if not title.strip() or len(title) > 100 or "<" in title or ">" in title:
            raise self._bad("The request metadata specifies an invalid or empty video title.", "invalidTitle")
        if len(description.encode()) > 5000 or "<" in description or ">" in description:
            raise self._bad("The request metadata specifies an invalid video description.", "invalidDescription")
        self._charge(INSERT_COST)
        upload_id = secrets.token_urlsafe(24)
        await self.store.call(self.store.put, f"youtube:upload:{upload_id}", {
            "account": account.id, "meta": meta, "length": request.headers.get("x-upload-content-length"),
            "video": None})
        return Response(status_code=200, headers={"Location": self._session_url(request, upload_id),
                                                  "X-GUploader-UploadID": upload_id})

    async def upload_put(self, request: Request) -> Response:
        upload_id = request.query_params.get("upload_id", "")
        session = await self.store.call(self.store.get, f"youtube:upload:{upload_id}")
        if session is None:
            return self.google_error(404, "notFound", "global", "The upload session was not found or has expired.")
        content = await request.body()
        if session["video"]:  # complete: a status query or a repeated PUT answers with the video
            return JSONResponse(session["video"], status_code=200)
        if not content:  # "Content-Range: bytes */N": nothing received yet
            return Response(status_code=308)
        if session["length"] and int(session["length"]) != len(content):
            raise self._bad("The uploaded file size does not match X-Upload-Content-Length.", "uploadLimitExceeded")
        account = await self.store.call(self.store.account, self.platform, session["account"])
        video = ChannelData.uploaded(account, session["meta"], upload_id, len(content))
        await self.store.call(self.store.save_post, self.platform, account.id, video, upload_id)
        await self.store.call(self.store.put, f"youtube:processing:{video['id']}", self.processing_reads)
        await self.store.call(self.store.put, f"youtube:upload:{upload_id}", {**session, "video": video})
        await self.control.after_effect(request.url.path[len(request.scope.get("root_path", "")):])
        return JSONResponse(video, status_code=201)

    # ---------------------------------------------------------------- Analytics
    async def reports(self, request: Request) -> Response:
        account = await self._user(request, ANALYTICS)
        q = request.query_params
        data = await self.data_for(account)
        if q.get("ids") not in ("channel==MINE", f"channel=={data.channel_id}"):
            return self.error(403, "forbidden", "Forbidden")
        try:
            start, end = date.fromisoformat(q["startDate"]), date.fromisoformat(q["endDate"])
            metrics = [m for m in q["metrics"].split(",") if m]
        except (KeyError, ValueError):
            raise self._bad("Required: ids, startDate, endDate (YYYY-MM-DD) and metrics.") from None
        dimensions = [d for d in q.get("dimensions", "").split(",") if d]
        table = data.report(dimensions, metrics, start, end, q.get("sort", ""))
        if table is None:
            raise self._bad("The query is not supported. Check the documentation at "
                            "https://developers.google.com/youtube/analytics/v2/available_reports for a list of "
                            "supported queries.")
        return JSONResponse(table)

    # ---------------------------------------------------------------- routes
    async def sample_media(self, request: Request) -> Response:
        """A few bytes of "video" for tests to publish (an MP4 header and padding)."""
        return Response(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(232), media_type="video/mp4")

    async def set_quota(self, request: Request) -> Response:
        body = await request.json()
        self.quota_limit = int(body.get("limit", DAILY_QUOTA))
        if "used" in body:
            self._units = {datetime.now(PACIFIC).date().isoformat(): int(body["used"])}
        return JSONResponse({"ok": True, "used": self.units_used()})

    def _reset(self) -> None:
        super()._reset()
        self.quota_limit = DAILY_QUOTA
        self._units = {}

    def api_routes(self) -> list[Route]:
        v3 = "/api/youtube/v3"
        return [
            Route(f"{v3}/channels", self.guarded(self.channels), methods=["GET"]),
            Route(f"{v3}/playlistItems", self.guarded(self.playlist_items), methods=["GET"]),
            Route(f"{v3}/videos", self.guarded(self.videos), methods=["GET"]),
            Route(f"{v3}/commentThreads", self.guarded(self.comment_threads), methods=["GET"]),
            Route(f"{v3}/commentThreads", self.guarded(self.insert_thread), methods=["POST"]),
            Route(f"{v3}/comments", self.guarded(self.comments), methods=["GET"]),
            Route(f"{v3}/comments", self.guarded(self.insert_comment), methods=["POST"]),
            Route(f"{v3}/comments/setModerationStatus", self.guarded(self.set_moderation), methods=["POST"]),
            Route("/api/upload/youtube/v3/videos", self.guarded(self.upload_start), methods=["POST"]),
            Route("/api/upload/youtube/v3/videos", self.guarded(self.upload_put), methods=["PUT"]),
            Route("/analytics/v2/reports", self.guarded(self.reports), methods=["GET"]),
        ]

    def app(self, *, with_control: bool = False) -> Starlette:
        app = super().app(with_control=with_control)
        if with_control:
            app.router.routes.append(Route("/_control/quota", self.set_quota, methods=["POST"]))
            app.router.routes.append(Route("/_control/sample.mp4", self.sample_media, methods=["GET"]))
        return app


EMULATOR = YouTubeEmulator
