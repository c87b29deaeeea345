"""Spotify, emulated: the accounts service (authorize, /api/token) and the Web API v1 paths we
call, in Spotify's documented shapes.

- Tokens: `{"access_token", "token_type": "Bearer", "scope", "expires_in": 3600,
  "refresh_token"}`; client credentials give app tokens that read the catalog but not /me.
- Errors: `{"error": {"status": 401, "message": "The access token expired"}}` on the API,
  `{"error": "invalid_grant", "error_description": ...}` on the accounts service; 429 with
  Retry-After in seconds.
- Paging objects: `{"href", "items", "limit", "next", "offset", "previous", "total"}`.

A Spotify user is not an artist: each emulated user here has an artist profile of the same
name, found (as on Spotify) by searching the catalog, among a few similarly named others.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from dreamsuite.platforms.emulators.core import ApiError, Emulator
from dreamsuite.platforms.emulators.store import Account

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def spotify_id(*parts: object) -> str:
    n = int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:16], "big")
    out = ""
    for _ in range(22):
        n, r = divmod(n, 62)
        out += BASE62[r]
    return out


def _image(seed: str) -> list[dict]:
    return [{"url": f"https://i.scdn.co/image/{spotify_id('img', seed)}", "height": h, "width": h}
            for h in (640, 320, 160)]


class SpotifyEmulator(Emulator):
    platform = "spotify"
    label = "Spotify"
    scopes = ("user-read-private", "user-read-email", "user-follow-read", "user-top-read")
    authorize_path = "/accounts/authorize"
    token_path = "/accounts/api/token"
    client_credentials = True
    rotates_refresh = False  # Spotify keeps the refresh token of the authorization-code flow
    token_prefix = "BQ"

    def new_account_id(self, name: str) -> str:
        return spotify_id("user", name, secrets.token_hex(4)).lower()

    def error(self, status: int, code: str, message: str, headers: dict | None = None) -> Response:
        return JSONResponse({"error": {"status": status, "message": message}}, status_code=status, headers=headers)

    def rate_limited(self, retry_after: int) -> Response:
        return JSONResponse({"error": {"status": 429, "message": "API rate limit exceeded"}}, status_code=429,
                            headers={"Retry-After": str(retry_after)})

    # ---------------------------------------------------------------- catalog
    def artist_id(self, account: Account) -> str:
        return spotify_id("artist", account.platform, account.id)

    def _artist(self, account: Account, base: str) -> dict:
        s = self.story_of(account)
        aid = self.artist_id(account)
        genres = ["indie pop", "bedroom pop"] if len(account.name) % 2 else ["singer-songwriter", "indie folk"]
        return {
            "external_urls": {"spotify": f"https://open.spotify.com/artist/{aid}"},
            "followers": {"href": None, "total": s.followers("spotify", self.today())},
            "genres": genres, "href": f"{base}/artists/{aid}", "id": aid, "images": _image(aid),
            "name": account.name, "popularity": min(100, 20 + s.followers("spotify", self.today()) // 400),
            "type": "artist", "uri": f"spotify:artist:{aid}",
        }

    def _decoys(self, name: str, base: str) -> list[dict]:
        """Other artists a search for `name` finds (tributes, covers): never the account's own."""
        out = []
        for suffix, followers in ((" Tribute", 120), (" & The Night Shift", 3_400)):
            aid = spotify_id("decoy", name, suffix)
            out.append({"external_urls": {"spotify": f"https://open.spotify.com/artist/{aid}"},
                        "followers": {"href": None, "total": followers}, "genres": [], "href": f"{base}/artists/{aid}",
                        "id": aid, "images": [], "name": name + suffix, "popularity": 5, "type": "artist",
                        "uri": f"spotify:artist:{aid}"})
        return out

    def _account_for_artist(self, artist_id: str) -> Account | None:
        for account in self.store.accounts(self.platform):
            if self.artist_id(account) == artist_id:
                return account
        return None

    def _releases(self, account: Account, base: str) -> list[dict]:
        """Albums and singles, newest first: one single every ~two months, and the release."""
        s = self.story_of(account)
        aid = self.artist_id(account)
        out, day, n = [], s.release, 0
        while day >= s.start:
            rid = spotify_id("album", aid, day)
            single = n % 4 != 3
            title = f"{'Single' if single else 'Album'} {n + 1}" if n else "Afterglow"
            out.append({
                "album_type": "single" if single else "album", "album_group": "single" if single else "album",
                "total_tracks": 1 if single else 10, "available_markets": ["DE", "GB", "US"],
                "external_urls": {"spotify": f"https://open.spotify.com/album/{rid}"}, "href": f"{base}/albums/{rid}",
                "id": rid, "images": _image(rid), "name": title, "release_date": day.isoformat(),
                "release_date_precision": "day", "type": "album", "uri": f"spotify:album:{rid}",
                "artists": [{"id": aid, "name": account.name, "type": "artist", "uri": f"spotify:artist:{aid}",
                             "href": f"{base}/artists/{aid}", "external_urls": {"spotify": ""}}],
            })
            day -= timedelta(days=61)
            n += 1
        return out

    def _tracks(self, account: Account, base: str) -> list[dict]:
        releases = self._releases(account, base)
        tracks = []
        for i, album in enumerate(releases[:10]):
            tid = spotify_id("track", album["id"])
            tracks.append({
                "album": {k: album[k] for k in ("album_type", "id", "name", "release_date", "images", "uri")},
                "artists": album["artists"], "disc_number": 1, "duration_ms": 150_000 + (i * 17_321) % 90_000,
                "explicit": False, "external_ids": {"isrc": f"DEA{int.from_bytes(tid.encode()[:4], 'big') % 10**9:09d}"},
                "external_urls": {"spotify": f"https://open.spotify.com/track/{tid}"}, "href": f"{base}/tracks/{tid}",
                "id": tid, "is_playable": True, "name": f"{album['name']} (Title Track)" if i else album["name"],
                "popularity": max(5, 70 - i * 6), "preview_url": None, "track_number": 1, "type": "track",
                "uri": f"spotify:track:{tid}", "is_local": False,
            })
        return tracks

    # ---------------------------------------------------------------- routes
    @staticmethod
    def api_base(request: Request) -> str:
        """Where this emulator's Web API is, as Spotify puts its own https://api.spotify.com/v1 in
        hrefs and `next` links (absolute), so callers follow them back here."""
        return f"{request.url.scheme}://{request.url.netloc}{request.scope.get('root_path', '')}/api/v1"

    def _paging(self, request: Request, items: list[dict], path: str, key: str | None = None,
                default_limit: int = 20) -> dict:
        base = self.api_base(request)
        try:
            limit = int(request.query_params.get("limit", default_limit))
            offset = int(request.query_params.get("offset", 0))
        except ValueError:
            raise ApiError(self.error(400, "invalid_request", "Invalid limit or offset")) from None
        if not 1 <= limit <= 50 or offset < 0:
            raise ApiError(self.error(400, "invalid_request", "Invalid limit"))
        page = items[offset:offset + limit]
        params = {k: v for k, v in request.query_params.items() if k not in ("limit", "offset")}

        def link(o: int) -> str:
            return f"{base}{path}?{urlencode({**params, 'offset': o, 'limit': limit})}"

        body = {"href": link(offset), "items": page, "limit": limit,
                "next": link(offset + limit) if offset + limit < len(items) else None, "offset": offset,
                "previous": link(max(0, offset - limit)) if offset else None, "total": len(items)}
        return {key: body} if key else body

    async def me(self, request: Request) -> Response:
        caller = await self.caller(request)
        a, base = caller.account, self.api_base(request)
        body = {"country": "DE", "display_name": a.name, "external_urls": {"spotify": f"https://open.spotify.com/user/{a.id}"},
                "followers": {"href": None, "total": 12}, "href": f"{base}/users/{a.id}", "id": a.id, "images": [],
                "product": "premium", "type": "user", "uri": f"spotify:user:{a.id}"}
        if "user-read-email" in caller.scopes:
            body["email"] = f"{a.handle}@example.com"
        return JSONResponse(body)

    async def search(self, request: Request) -> Response:
        await self.caller(request, app_token_ok=True)
        query = request.query_params.get("q", "").strip().lower()
        if not query or "artist" not in request.query_params.get("type", "").split(","):
            raise ApiError(self.error(400, "invalid_request", "Missing q or type=artist"))
        found = []
        for account in await self.store.call(self.store.accounts, self.platform):
            if query in account.name.lower():
                found.append(await self.store.call(self._artist, account, self.api_base(request)))
                found += self._decoys(account.name, self.api_base(request))
        return JSONResponse(self._paging(request, found, "/search", key="artists"))

    async def _artist_account(self, request: Request) -> Account:
        await self.caller(request, app_token_ok=True)
        account = await self.store.call(self._account_for_artist, request.path_params["id"])
        if account is None:
            raise ApiError(self.error(404, "not_found", "Non existing id"))
        return account

    async def artist(self, request: Request) -> Response:
        account = await self._artist_account(request)
        return JSONResponse(await self.store.call(self._artist, account, self.api_base(request)))

    async def albums(self, request: Request) -> Response:
        account = await self._artist_account(request)
        groups = set((request.query_params.get("include_groups") or "album,single").split(","))
        items = [r for r in await self.store.call(self._releases, account, self.api_base(request))
                 if r["album_group"] in groups]
        return JSONResponse(self._paging(request, items, f"/artists/{request.path_params['id']}/albums"))

    async def top_tracks(self, request: Request) -> Response:
        account = await self._artist_account(request)
        return JSONResponse({"tracks": await self.store.call(self._tracks, account, self.api_base(request))})

    def api_routes(self) -> list[Route]:
        return [
            Route("/api/v1/me", self.guarded(self.me), methods=["GET"]),
            Route("/api/v1/search", self.guarded(self.search), methods=["GET"]),
            Route("/api/v1/artists/{id}", self.guarded(self.artist), methods=["GET"]),
            Route("/api/v1/artists/{id}/albums", self.guarded(self.albums), methods=["GET"]),
            Route("/api/v1/artists/{id}/top-tracks", self.guarded(self.top_tracks), methods=["GET"]),
        ]


EMULATOR = SpotifyEmulator
