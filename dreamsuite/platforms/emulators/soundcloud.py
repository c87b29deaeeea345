"""SoundCloud, emulated: secure.soundcloud.com (authorize, /oauth/token) and the api.soundcloud.com
paths we call, in the shapes of SoundCloud's OpenAPI document (github.com/soundcloud/api,
openapi/api.yaml) and its API guide.

- OAuth 2.1: PKCE is required; no scopes; tokens `{"access_token", "token_type": "bearer",
  "expires_in": 3599, "scope": "", "refresh_token"}`; refresh tokens are single use.
- Calls must carry `Authorization: OAuth <token>` (the guide's "required header").
- Errors: `{"code", "message", "link", "status", "errors": [{"error_message"}], "error"}`; a 429
  says when the limit resets in its body (`errors[].meta.reset_time`, "2026/01/02 12:34:56 +0000"),
  as the rate-limits page documents, with no Retry-After header.
- Lists with `linked_partitioning=true`: `{"collection": [...], "next_href"}` (a cursor in the
  link); without it the deprecated bare list.
- Times are "YYYY/MM/DD HH:MM:SS +0000"; resources are named by URN (`soundcloud:tracks:<n>`).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from dreamsuite.platforms.emulators.core import ApiError, Emulator, page_token, read_page_token
from dreamsuite.platforms.emulators.store import Account
from dreamsuite.platforms.emulators.story import Post, rng

API_LINK = "https://developers.soundcloud.com/docs/api/explorer/open-api"
AUTH_LINK = "https://developers.soundcloud.com/docs/api/guide#authentication"
LIMIT_LINK = "https://developers.soundcloud.com/docs/api/rate-limits#errors"
REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 422: "Unprocessable Entity",
           429: "Too Many Requests"}
MULTI_WORD_TAGS = ("bedroom pop", "live session", "new music friday", "lo fi")
GENRES = ("Indie", "Singer-Songwriter")


def sc_time(when: datetime | date) -> str:
    if not isinstance(when, datetime):
        when = datetime.combine(when, time(9, 30), tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y/%m/%d %H:%M:%S +0000")


def number(*parts: object, digits: int = 9) -> int:
    return int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:8], "big") % 10**digits


class SoundCloudEmulator(Emulator):
    platform = "soundcloud"
    label = "SoundCloud"
    scopes = ()  # SoundCloud has none ("leave blank")
    authorize_path = "/secure/authorize"
    token_path = "/secure/oauth/token"
    pkce = "required"
    access_ttl = 3599
    rotates_refresh = True
    client_credentials = True
    token_prefix = "2-290059"

    def new_account_id(self, name: str) -> str:
        return str(secrets.randbelow(9 * 10**8) + 10**8)

    # ---------------------------------------------------------------- SoundCloud's envelopes
    def token_body(self, access: str, refresh: str | None, scope: str, account: Account | None) -> dict:
        body = {"access_token": access, "token_type": "bearer", "expires_in": self.access_ttl, "scope": scope}
        if refresh:
            body["refresh_token"] = refresh
        return body

    def oauth_error(self, code: str, message: str, status: int = 400) -> Response:
        # The OpenAPI examples: {"code": 400, "message": "invalid_grant", "link": ...}; the
        # deprecated `error` field still names the OAuth error for OAuth clients.
        return JSONResponse({"code": status, "message": code, "link": AUTH_LINK, "error": code},
                            status_code=status, headers={"Cache-Control": "no-store"})

    def error(self, status: int, code: str, message: str, headers: dict | None = None) -> Response:
        body = {"code": status, "message": message, "link": API_LINK,
                "status": f"{status} - {REASONS.get(status, 'Error')}", "errors": [{"error_message": message}],
                "error": None}
        return JSONResponse(body, status_code=status, headers=headers)

    def rate_limited(self, retry_after: int) -> Response:
        limit, window = self.limit
        reset = datetime.now(UTC) + timedelta(seconds=retry_after)
        body = {"code": 429, "message": "Too Many Requests", "link": LIMIT_LINK,
                "errors": [{"meta": {"rate_limit": {"group": "api", "max_nr_of_requests": limit,
                                                    "time_window": f"PT{int(window)}S"},
                                     "remaining_requests": 0, "reset_time": sc_time(reset)}}]}
        return JSONResponse(body, status_code=429)

    def _injected(self, status: int, headers: dict) -> Response:
        if status == 429:  # SoundCloud puts the reset time in the body, with no Retry-After header
            wait = headers.get("Retry-After", "60")
            return self.rate_limited(int(wait) if wait.isdigit() else 60)
        return super()._injected(status, headers)

    def bearer(self, request: Request) -> str:
        """Only SoundCloud's documented header: `Authorization: OAuth <token>`."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        return token.strip() if scheme == "OAuth" else ""

    # ---------------------------------------------------------------- the account's data
    @staticmethod
    def api_base(request: Request) -> str:
        """Where this emulator's API is (SoundCloud's own https://api.soundcloud.com in links)."""
        return f"{request.url.scheme}://{request.url.netloc}{request.scope.get('root_path', '')}/api"

    def _mini_user(self, account: Account, base: str) -> dict:
        return {"urn": f"soundcloud:users:{account.id}", "kind": "user", "permalink": account.handle,
                "username": account.name, "uri": f"{base}/users/soundcloud:users:{account.id}",
                "permalink_url": f"https://soundcloud.com/{account.handle}",
                "avatar_url": f"https://i1.sndcdn.com/avatars-{number('avatar', account.id)}-large.jpg",
                "last_modified": sc_time(self.story_of(account).start)}

    def _me(self, account: Account, base: str) -> dict:
        s = self.story_of(account)
        r = rng(account.persona, "soundcloud", "me")
        tracks = s.posts("soundcloud", self.today())
        return {
            **self._mini_user(account, base), "city": "Berlin", "country": "Germany", "created_at": sc_time(s.start),
            "description": None,
            "discogs_name": None, "first_name": "", "last_name": "", "full_name": "",
            "followers_count": s.followers("soundcloud", self.today()), "followings_count": 80 + r.randint(0, 300),
            "likes_count": r.randint(50, 900), "public_favorites_count": r.randint(50, 900), "online": False,
            "plan": "Free", "playlist_count": 1 + len(tracks) // 10, "private_playlists_count": 0,
            "private_tracks_count": 0, "reposts_count": r.randint(0, 60), "track_count": len(tracks),
            "comments_count": 0, "primary_email_confirmed": True, "locale": None, "website": None,
            "website_title": None, "upload_seconds_left": 10800,
            "quota": {"unlimited_upload_quota": False, "upload_seconds_used": 0, "upload_seconds_left": 10800},
        }

    def _comments_of(self, account: Account, post: Post, base: str, duration_ms: int) -> list[dict]:
        """The post's comments, newest first; replies are flat comments by the artist, as on the API."""
        s = self.story_of(account)
        found = s.comments("soundcloud", post, self.today())
        authors = {c.id: c.author for c in found}
        out = []
        for c in found:
            cid = int(c.id.replace("r", "1"))
            if c.author == "artist":
                user = self._mini_user(account, base)
                body = f"@{authors.get(c.parent_id, 'you')} {c.text}" if c.parent_id else c.text
            else:
                uid = number("fan", c.author)
                user = {"urn": f"soundcloud:users:{uid}", "kind": "user", "permalink": c.author.replace(".", "-"),
                        "username": c.author, "uri": f"{base}/users/soundcloud:users:{uid}",
                        "permalink_url": f"https://soundcloud.com/{c.author.replace('.', '-')}",
                        "avatar_url": f"https://i1.sndcdn.com/avatars-{uid}-large.jpg",
                        "followers_count": uid % 400, "followings_count": uid % 150, "reposts_count": 0}
                body = c.text
            out.append({"kind": "comment", "urn": f"soundcloud:comments:{cid}", "body": body,
                        "created_at": sc_time(c.created_at), "timestamp": cid % max(1, duration_ms),
                        "track_urn": f"soundcloud:tracks:{int(post.id)}", "user_urn": user["urn"], "user": user,
                        "uri": f"{base}/comments/soundcloud:comments:{cid}"})
        return sorted(out, key=lambda c: c["created_at"], reverse=True)

    def _track(self, account: Account, post: Post, base: str) -> dict:
        tid = int(post.id)
        r = rng(account.persona, "soundcloud", "track", post.id)
        title = post.caption.split(" #", 1)[0]
        tags = list(post.hashtags) + ([f'"{r.choice(MULTI_WORD_TAGS)}"'] if r.random() < 0.5 else [])
        duration = post.duration_s * 1000
        comments = len(self._comments_of(account, post, base, duration))
        slug = f"{title.lower().replace(' ', '-')}-{tid % 10000}"
        return {
            "kind": "track", "urn": f"soundcloud:tracks:{tid}", "title": title, "description": post.caption,
            "created_at": sc_time(post.posted_at), "duration": duration, "genre": GENRES[len(account.name) % 2],
            "tag_list": " ".join(tags), "permalink_url": f"https://soundcloud.com/{account.handle}/{slug}",
            "artwork_url": f"https://i1.sndcdn.com/artworks-{tid}-large.jpg", "waveform_url":
                f"https://wave.sndcdn.com/{tid}_m.png", "uri": f"{base}/tracks/soundcloud:tracks:{tid}",
            "stream_url": f"{base}/tracks/soundcloud:tracks:{tid}/stream", "playback_count": post.views,
            "favoritings_count": post.likes, "likes_count": post.likes, "reposts_count": post.shares,
            "comment_count": comments, "download_count": post.saves, "downloadable": False, "download_url": None,
            "commentable": True, "streamable": True, "sharing": "public", "access": "playable", "embeddable_by": "all",
            "reveal_stats": True, "reveal_comments": True, "license": "all-rights-reserved", "bpm": None,
            "key_signature": None, "isrc": None, "label_name": None, "purchase_url": None, "purchase_title": None,
            "release_year": post.posted_at.year, "release_month": post.posted_at.month,
            "release_day": post.posted_at.day, "secret_uri": None, "user_favorite": False, "user_playback_count": 0,
            "available_country_codes": None, "user": self._mini_user(account, base),
        }

    def _tracks(self, account: Account, base: str) -> list[dict]:
        """The account's tracks, newest upload first (the documented default `sort=desc`)."""
        posts = self.story_of(account).posts("soundcloud", self.today())
        return [self._track(account, p, base) for p in reversed(posts)]

    def _find_track(self, urn: str, base: str) -> tuple[Account, Post] | None:
        for account in self.store.accounts(self.platform):
            for post in self.story_of(account).posts("soundcloud", self.today()):
                if f"soundcloud:tracks:{int(post.id)}" == urn:
                    return account, post
        return None

    # ---------------------------------------------------------------- routes
    def _paged(self, request: Request, items: list[dict], path: str) -> Response:
        q = request.query_params
        try:
            limit = int(q.get("limit", 50))
            offset = read_page_token(q["cursor"]) if q.get("cursor") else int(q.get("offset", 0))
        except ValueError:
            offset = None
            limit = 0
        if offset is None or not 1 <= limit <= 200 or offset < 0:
            raise ApiError(self.error(400, "invalid_request", "Invalid limit, offset or cursor"))
        page = items[offset:offset + limit]
        if q.get("linked_partitioning", "").lower() not in ("true", "1"):
            return JSONResponse(page)  # the deprecated bare list
        params = {k: v for k, v in q.items() if k not in ("cursor", "offset")}
        nxt = None
        if offset + limit < len(items):
            nxt = f"{self.api_base(request)}{path}?{urlencode({**params, 'cursor': page_token(offset + limit)})}"
        return JSONResponse({"collection": page, "next_href": nxt})

    async def me(self, request: Request) -> Response:
        caller = await self.caller(request)
        return JSONResponse(await self.store.call(self._me, caller.account, self.api_base(request)))

    async def my_tracks(self, request: Request) -> Response:
        caller = await self.caller(request)
        tracks = await self.store.call(self._tracks, caller.account, self.api_base(request))
        if request.query_params.get("sort", "desc") == "asc":
            tracks.reverse()
        return self._paged(request, tracks, "/me/tracks")

    async def comments(self, request: Request) -> Response:
        await self.caller(request, app_token_ok=True)
        base = self.api_base(request)
        found = await self.store.call(self._find_track, request.path_params["track_urn"], base)
        if found is None:
            raise ApiError(self.error(404, "not_found", "Not Found"))
        account, post = found
        comments = await self.store.call(self._comments_of, account, post, base, post.duration_s * 1000)
        return self._paged(request, comments, f"/tracks/{request.path_params['track_urn']}/comments")

    def api_routes(self) -> list[Route]:
        return [
            Route("/api/me", self.guarded(self.me), methods=["GET"]),
            Route("/api/me/tracks", self.guarded(self.my_tracks), methods=["GET"]),
            Route("/api/tracks/{track_urn}/comments", self.guarded(self.comments), methods=["GET"]),
        ]


EMULATOR = SoundCloudEmulator
