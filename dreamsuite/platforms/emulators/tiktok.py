"""TikTok, emulated: Login Kit v2, the Display API and the Content Posting API (direct post), in
TikTok's documented shapes.

- Authorize at `/v2/auth/authorize/` (www.tiktok.com) with `client_key` (a `client_id` is refused)
  and comma-separated scopes; no PKCE for web apps.
- Token at `/v2/oauth/token/` (open.tiktokapis.com): `client_key`, `client_secret`, `code`,
  `grant_type`, `redirect_uri` as form fields. Answer: `{"access_token", "expires_in",
  "open_id", "refresh_expires_in", "refresh_token", "scope": "a,b", "token_type": "Bearer"}`;
  access tokens live 2 hours, refresh tokens 180 days and rotate on every refresh. OAuth errors
  are `{"error", "error_description", "log_id"}` with HTTP 200.
- API answers: `{"data": {...}, "error": {"code": "ok", "message": "", "log_id"}}`; errors use
  the same envelope (`access_token_invalid` 401, `scope_not_authorized` 401, `invalid_params`
  400, `rate_limit_exceeded` 429, `internal_error` 500). Only the `fields` asked for are
  returned, and asking for a field whose scope was not granted is `scope_not_authorized`.
- `/v2/video/list/` pages newest first by `cursor` (a create_time in ms) and `has_more`,
  at most 20 a page. Limits: a one-minute sliding window, no usage headers, no Retry-After.
- Posting: `creator_info/query/` → `video/init/` (PULL_FROM_URL, or FILE_UPLOAD answered with an
  `upload_url`) → chunks PUT with Content-Range → `status/fetch/` moves to PUBLISH_COMPLETE with
  `publicaly_available_post_id` (sic). A video pulled from a host that cannot resolve (`.invalid`)
  ends FAILED with `video_pull_failed`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
import uuid
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from dreamsuite.platforms.emulators import tokens
from dreamsuite.platforms.emulators.core import ApiError, Caller, Emulator
from dreamsuite.platforms.emulators.store import Account
from dreamsuite.platforms.emulators.story import Post

USER_FIELDS = {
    "open_id": "user.info.basic", "union_id": "user.info.basic", "avatar_url": "user.info.basic",
    "avatar_url_100": "user.info.basic", "avatar_large_url": "user.info.basic", "display_name": "user.info.basic",
    "bio_description": "user.info.profile", "profile_deep_link": "user.info.profile",
    "is_verified": "user.info.profile", "username": "user.info.profile", "follower_count": "user.info.stats",
    "following_count": "user.info.stats", "likes_count": "user.info.stats", "video_count": "user.info.stats",
}
VIDEO_FIELDS = {"id", "create_time", "cover_image_url", "share_url", "video_description", "duration", "height",
                "width", "title", "embed_html", "embed_link", "like_count", "comment_count", "share_count",
                "view_count"}
PRIVACY = ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"]
_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


def _log_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S") + secrets.token_hex(10).upper()


def _ok() -> dict:
    return {"code": "ok", "message": "", "log_id": _log_id()}


def _digits(*parts: object, n: int = 18) -> str:
    return str(int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:8], "big") % 10**n).zfill(n)


class TikTokEmulator(Emulator):
    platform = "tiktok"
    label = "TikTok"
    scopes = ("user.info.basic", "user.info.profile", "user.info.stats", "video.list", "video.publish",
              "video.upload")
    authorize_path = "/www/v2/auth/authorize/"
    token_path = "/open/v2/oauth/token/"
    scope_separator = ","
    pkce = "optional"  # web apps send none; mobile and desktop apps do
    access_ttl = 2 * 3600
    refresh_ttl = 180 * 86400
    rotates_refresh = True
    token_prefix = "act"
    rate_limit = (600, 60.0)

    def new_account_id(self, name: str) -> str:
        return str(uuid.uuid4())  # an open_id: one per user and app

    def now(self) -> datetime:
        return datetime.now(UTC)

    # ---------------------------------------------------------------- OAuth quirks
    def _validate(self, params):
        if params.get("client_key") is not None:  # TikTok's name for the client id
            params = {**dict(params.items()), "client_id": params.get("client_key")}
        return super()._validate(params)

    async def authorize_form(self, request: Request) -> Response:
        if "client_key" not in request.query_params:
            return self._page("Invalid request", "<h1>Invalid authorization request</h1><p>client_key is missing.</p>",
                              400)
        page = await super().authorize_form(request)
        # The authorize address ends in "/": the consent form posts back to that same address.
        return HTMLResponse(page.body.replace(b"action=''", b"action='./'"), status_code=page.status_code)

    def client_auth(self, request: Request, form) -> tuple[str, str]:
        return str(form.get("client_key", "")), str(form.get("client_secret", ""))

    def oauth_error(self, code: str, message: str, status: int = 400) -> Response:
        return JSONResponse({"error": code, "error_description": message, "log_id": _log_id()},
                            headers={"Cache-Control": "no-store"})

    def token_body(self, access: str, refresh: str | None, scope: str, account: Account | None) -> dict:
        return {"access_token": access, "expires_in": self.access_ttl, "open_id": account.id if account else "",
                "refresh_expires_in": self.refresh_ttl, "refresh_token": refresh or "", "scope": scope,
                "token_type": "Bearer"}

    # ---------------------------------------------------------------- revoking (ends the whole grant)
    async def revoke(self, request: Request) -> Response:
        form = await request.form()
        key, secret = self.client_auth(request, form)
        if key != self.client_id or not hmac.compare_digest(secret.encode(), self.client_secret.encode()):
            return self.oauth_error("invalid_client", "Client authentication failed")
        claims = tokens.verify(self.secret, str(form.get("token", "")), self.platform, "access")
        if claims is None or await self._revoked(claims.account, claims.exp - self.access_ttl):
            return self.oauth_error("invalid_request", "The access token is invalid or already revoked")
        await self.store.call(self.store.put, f"tiktok:revoked:{claims.account}", time.time())
        return JSONResponse({})

    async def _revoked(self, account: str, issued: int) -> bool:
        at = await self.store.call(self.store.get, f"tiktok:revoked:{account}")
        return at is not None and issued < at

    async def _grant_refresh(self, form) -> Response:
        claims = tokens.verify(self.secret, str(form.get("refresh_token", "")), self.platform, "refresh")
        if claims is not None and await self._revoked(claims.account, claims.exp - self.refresh_ttl):
            return self.oauth_error("invalid_grant", "The refresh token was revoked")
        return await super()._grant_refresh(form)

    async def caller(self, request: Request, *, need: str | None = None, app_token_ok: bool = False) -> Caller:
        found = await super().caller(request, need=need, app_token_ok=app_token_ok)
        claims = tokens.verify(self.secret, found.token, self.platform, "access")
        if claims and await self._revoked(claims.account, claims.exp - self.access_ttl):
            raise ApiError(self.error(401, "invalid_token", "The access token was revoked"))
        return found

    # ---------------------------------------------------------------- errors
    _CODES = {"invalid_token": ("access_token_invalid", 401), "insufficient_scope": ("scope_not_authorized", 401),
              "invalid_request": ("invalid_params", 400), "server_error": ("internal_error", None),
              "forbidden": ("scope_permission_missed", None), "rate_limited": ("rate_limit_exceeded", 429)}

    def error(self, status: int, code: str, message: str, headers: dict | None = None) -> Response:
        tt_code, tt_status = self._CODES.get(code, (code, None))
        return JSONResponse({"data": {}, "error": {"code": tt_code, "message": message, "log_id": _log_id()}},
                            status_code=tt_status or status, headers=headers)

    def rate_limited(self, retry_after: int) -> Response:
        return self.error(429, "rate_limit_exceeded", "The API rate limit was exceeded. Please try again later.")

    def _bad(self, message: str) -> ApiError:
        return ApiError(self.error(400, "invalid_params", message))

    def _fields(self, request: Request, known) -> list[str]:
        fields = [f for f in request.query_params.get("fields", "").split(",") if f]
        if not fields:
            raise self._bad("fields is required")
        unknown = [f for f in fields if f not in known]
        if unknown:
            raise self._bad(f"Invalid field: {unknown[0]}")
        return fields

    async def _body(self, request: Request) -> dict:
        try:
            body = await request.json()
        except ValueError:
            raise self._bad("The request body is not valid JSON") from None
        if not isinstance(body, dict):
            raise self._bad("The request body must be a JSON object")
        return body

    @staticmethod
    def _path(request: Request) -> str:
        return request.url.path[len(request.scope.get("root_path", "")):]

    # ---------------------------------------------------------------- the account's TikTok
    def _story_video(self, account: Account, post: Post) -> dict:
        vid = f"7{int(post.id):018d}"
        title = post.caption.split(" #")[0]
        return {"id": vid, "create_time": int(post.posted_at.timestamp()),
                "cover_image_url": f"https://p16-sign.tiktokcdn.com/obj/tos-maliva-p-0068/{vid}~tplv-noop.image",
                "share_url": f"https://www.tiktok.com/@{account.handle}/video/{vid}", "video_description": post.caption,
                "duration": post.duration_s, "height": 1920, "width": 1080, "title": title,
                "embed_link": f"https://www.tiktok.com/player/v1/{vid}",
                "embed_html": f"<blockquote class=\"tiktok-embed\" data-video-id=\"{vid}\"></blockquote>",
                "like_count": post.likes, "comment_count": post.comments, "share_count": post.shares,
                "view_count": post.views}

    def _videos(self, account: Account) -> list[dict]:
        """Every public video up to now, newest first (the story's, then what was posted here)."""
        now = self.now()
        story = self.story_of(account)
        out = [self._story_video(account, p) for p in story.posts("tiktok", now.date()) if p.posted_at <= now]
        out += [v for v in self.store.posts(self.platform, account.id) if v["create_time"] <= now.timestamp()]
        return sorted(out, key=lambda v: (v["create_time"], v["id"]), reverse=True)

    def _user(self, account: Account) -> dict:
        story, videos = self.story_of(account), self._videos(account)
        seed = _digits(account.id, "union", n=19)
        avatar = f"https://p16-sign-va.tiktokcdn.com/tos-maliva-avt-0068/{seed}~c5_168x168.jpeg"
        return {"open_id": account.id, "union_id": f"c9c60f44-{seed[:4]}-{seed[4:8]}-{seed[8:12]}-{seed[12:]}",
                "avatar_url": avatar, "avatar_url_100": avatar.replace("168x168", "100x100"),
                "avatar_large_url": avatar.replace("168x168", "720x720"), "display_name": account.name,
                "bio_description": f"{account.name} · new music every Friday", "username": account.handle,
                "profile_deep_link": f"https://vm.tiktok.com/ZM{seed[:7]}/", "is_verified": False,
                "follower_count": story.followers("tiktok", self.now().date()),
                "following_count": 80 + int(seed[:3]) % 300, "likes_count": sum(v["like_count"] for v in videos),
                "video_count": len(videos)}

    # ---------------------------------------------------------------- Display API
    async def user_info(self, request: Request) -> Response:
        caller = await self.caller(request, need="user.info.basic")
        fields = self._fields(request, USER_FIELDS)
        for f in fields:
            if USER_FIELDS[f] not in caller.scopes:
                raise ApiError(self.error(401, "insufficient_scope", "The user did not authorize the scope required "
                                          f"for completing this request: {USER_FIELDS[f]}"))
        user = await self.store.call(self._user, caller.account)
        return JSONResponse({"data": {"user": {f: user[f] for f in fields if f in user}}, "error": _ok()})

    async def video_list(self, request: Request) -> Response:
        caller = await self.caller(request, need="video.list")
        fields = self._fields(request, VIDEO_FIELDS)
        body = await self._body(request)
        max_count, cursor = body.get("max_count", 10), body.get("cursor")
        if not isinstance(max_count, int) or not 1 <= max_count <= 20:
            raise self._bad("max_count must be between 1 and 20")
        if cursor is not None and (not isinstance(cursor, int) or cursor < 0):
            raise self._bad("cursor must be a timestamp in milliseconds")
        videos = await self.store.call(self._videos, caller.account)
        if cursor:
            videos = [v for v in videos if v["create_time"] * 1000 < cursor]
        page = videos[:max_count]
        data = {"videos": [{f: v[f] for f in fields if f in v} for v in page],
                "cursor": page[-1]["create_time"] * 1000 if page else (cursor or 0),
                "has_more": len(videos) > max_count}
        return JSONResponse({"data": data, "error": _ok()})

    # ---------------------------------------------------------------- Content Posting API
    async def creator_info(self, request: Request) -> Response:
        caller = await self.caller(request, need="video.publish")
        a = caller.account
        return JSONResponse({"data": {
            "creator_avatar_url": (await self.store.call(self._user, a))["avatar_url"], "creator_username": a.handle,
            "creator_nickname": a.name, "privacy_level_options": PRIVACY, "comment_disabled": False,
            "duet_disabled": False, "stitch_disabled": True, "max_video_post_duration_sec": 600}, "error": _ok()})

    async def video_init(self, request: Request) -> Response:
        caller = await self.caller(request, need="video.publish")
        body = await self._body(request)
        post, source = body.get("post_info"), body.get("source_info")
        if not isinstance(post, dict) or not isinstance(source, dict):
            raise self._bad("post_info and source_info are required")
        title, privacy = str(post.get("title") or ""), post.get("privacy_level")
        if privacy not in PRIVACY:
            raise ApiError(self.error(400, "privacy_level_option_mismatch",
                                      "privacy_level must be one of the creator's privacy_level_options"))
        if len(title.encode("utf-16-le")) // 2 > 2200:
            raise self._bad("title is longer than 2200 UTF-16 runes")
        record = {"account": caller.account.id, "video_id": "7" + _digits(secrets.token_hex(8)), "title": title,
                  "privacy": privacy, "source": source.get("source"), "polls": 0, "done": False}
        if source.get("source") == "PULL_FROM_URL":
            url = str(source.get("video_url") or "")
            if urlsplit(url).scheme != "https":
                raise self._bad("video_url must be an https URL")
            record["failed"] = (urlsplit(url).hostname or "").endswith(".invalid")
            publish_id = f"v_pub_url~v2-1.{_digits(record['video_id'], 'p', n=19)}"
        elif source.get("source") == "FILE_UPLOAD":
            try:
                size, chunk, count = (int(source[k]) for k in ("video_size", "chunk_size", "total_chunk_count"))
            except (KeyError, TypeError, ValueError):
                raise self._bad("video_size, chunk_size and total_chunk_count are required for FILE_UPLOAD") from None
            if size <= 0 or chunk <= 0 or count != max(1, size // chunk):
                raise self._bad("total_chunk_count must be video_size / chunk_size, rounded down")
            record.update(size=size, chunk=chunk, received=0, upload_id=_digits(secrets.token_hex(8), n=19),
                          upload_token=secrets.token_urlsafe(12))
            publish_id = f"v_pub_file~v2-1.{_digits(record['video_id'], 'p', n=19)}"
        else:
            raise self._bad("source must be FILE_UPLOAD or PULL_FROM_URL")
        await self.store.call(self.store.put, f"tiktok:publish:{publish_id}", record)
        data = {"publish_id": publish_id}
        if record["source"] == "FILE_UPLOAD":
            await self.store.call(self.store.put, f"tiktok:upload:{record['upload_id']}", publish_id)
            base = f"{request.url.scheme}://{request.url.netloc}{request.scope.get('root_path', '')}"
            data["upload_url"] = f"{base}/upload/video/?" + urlencode(
                {"upload_id": record["upload_id"], "upload_token": record["upload_token"]})
        elif not record["failed"]:
            await self._publish(caller.account, record)  # TikTok pulls the video and posts it
        await self.control.after_effect(self._path(request))
        return JSONResponse({"data": data, "error": _ok()})

    async def _publish(self, account: Account, record: dict) -> None:
        vid = record["video_id"]
        video = {"id": vid, "create_time": int(self.now().timestamp()), "title": record["title"],
                 "video_description": record["title"], "duration": 30, "height": 1920, "width": 1080,
                 "share_url": f"https://www.tiktok.com/@{account.handle}/video/{vid}",
                 "cover_image_url": f"https://p16-sign.tiktokcdn.com/obj/tos-maliva-p-0068/{vid}~tplv-noop.image",
                 "embed_link": f"https://www.tiktok.com/player/v1/{vid}", "like_count": 0, "comment_count": 0,
                 "share_count": 0, "view_count": 0}
        if record["privacy"] != "SELF_ONLY":  # a private video is not in the public list
            await self.store.call(self.store.save_post, self.platform, account.id, video)

    async def upload(self, request: Request) -> Response:
        upload_id = request.query_params.get("upload_id", "")
        publish_id = await self.store.call(self.store.get, f"tiktok:upload:{upload_id}")
        record = await self.store.call(self.store.get, f"tiktok:publish:{publish_id}") if publish_id else None
        if record is None or request.query_params.get("upload_token") != record["upload_token"]:
            raise ApiError(self.error(404, "invalid_params", "Unknown upload_id or upload_token"))
        match = _RANGE.match(request.headers.get("content-range", ""))
        data = await request.body()
        if not match:
            raise ApiError(self.error(400, "invalid_file_upload", "Content-Range is required"))
        start, end, total = map(int, match.groups())
        if total != record["size"] or start != record["received"] or end - start + 1 != len(data):
            raise ApiError(self.error(416, "invalid_file_upload", "The chunk does not continue the upload"))
        record["received"] = end + 1
        await self.store.call(self.store.put, f"tiktok:publish:{publish_id}", record)
        if record["received"] < total:
            return Response(status_code=206)
        account = await self.store.call(self.store.account, self.platform, record["account"])
        await self._publish(account, record)
        await self.control.after_effect(self._path(request))
        return Response(status_code=201)

    async def status_fetch(self, request: Request) -> Response:
        caller = await self.caller(request, need="video.publish")
        publish_id = str((await self._body(request)).get("publish_id") or "")
        key = f"tiktok:publish:{publish_id}"
        record = await self.store.call(self.store.get, key)
        if record is None or record["account"] != caller.account.id:
            raise self._bad("publish_id is invalid")
        data: dict = {"publicaly_available_post_id": []}
        if record["source"] == "FILE_UPLOAD" and record["received"] < record["size"]:
            data.update(status="PROCESSING_UPLOAD", uploaded_bytes=record["received"])
        elif record.get("failed"):
            data.update(status="FAILED", fail_reason="video_pull_failed")
        else:
            record["polls"] += 1
            await self.store.call(self.store.put, key, record)
            if record["polls"] == 1:  # processing, then done on the next look
                data["status"] = "PROCESSING_DOWNLOAD" if record["source"] == "PULL_FROM_URL" else "PROCESSING_UPLOAD"
            else:
                data["status"] = "PUBLISH_COMPLETE"
                if record["privacy"] == "PUBLIC_TO_EVERYONE":  # public ids come after moderation
                    data["publicaly_available_post_id"] = [int(record["video_id"])]
        return JSONResponse({"data": data, "error": _ok()})

    def api_routes(self) -> list[Route]:
        g = self.guarded
        return [
            Route("/open/v2/oauth/revoke/", self.revoke, methods=["POST"]),
            Route("/open/v2/user/info/", g(self.user_info), methods=["GET"]),
            Route("/open/v2/video/list/", g(self.video_list), methods=["POST"]),
            Route("/open/v2/post/publish/creator_info/query/", g(self.creator_info), methods=["POST"]),
            Route("/open/v2/post/publish/video/init/", g(self.video_init), methods=["POST"]),
            Route("/open/v2/post/publish/status/fetch/", g(self.status_fetch), methods=["POST"]),
            Route("/upload/video/", g(self.upload), methods=["PUT"]),
        ]


EMULATOR = TikTokEmulator
