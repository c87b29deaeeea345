"""Deezer, emulated: connect.deezer.com (the OAuth dialog and access_token.php) and the
api.deezer.com paths we call, in Deezer's documented shapes (developers.deezer.com/api, and the
recorded answers in the deezer-python client's test cassettes).

- The dialog takes `app_id`, `redirect_uri` and comma-separated `perms`; a refusal comes back as
  `?error_reason=user_denied`. The code is traded by GET (or POST) at access_token.php with
  `app_id`, `secret`, `code` and `output=json`: `{"access_token", "expires"}`, `expires: 0` when
  `offline_access` was granted; without `output=json` the same as a query string; a bad code
  answers the text "wrong code". There is no refresh token.
- The token travels as the `access_token` query parameter.
- Errors come with HTTP 200: `{"error": {"type": "OAuthException", "message": "Invalid OAuth
  access token.", "code": 300}}`; 4 "Quota limit exceeded" (50 calls per 5 seconds), 200
  permission, 500 parameter, 700 service busy, 800 "no data".
- Lists: `{"data": [...], "total": n, "next": "<absolute link with index>"}` (index/limit).
"""

from __future__ import annotations

import hashlib
import secrets
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from dreamsuite.platforms.emulators import tokens
from dreamsuite.platforms.emulators.core import ApiError, Emulator
from dreamsuite.platforms.emulators.store import Account
from dreamsuite.platforms.emulators.story import rng

OFFLINE_TTL = 10 * 365 * 86400  # "does not expire"
CDN = "https://e-cdns-images.dzcdn.net/images"
# HTTP statuses the emulator core speaks in, as Deezer's codes (all answered with HTTP 200).
CODES = {401: (300, "OAuthException", "Invalid OAuth access token."), 403: (200, "OAuthException", ""),
         404: (800, "DataException", "no data"), 400: (500, "ParameterException", "Wrong parameter"),
         429: (4, "Exception", "Quota limit exceeded"), 503: (700, "Exception", "Service busy")}
TITLES = ("Afterglow", "Night Bus", "Paper Moons", "Glasshouse", "Low Tide", "Static Hearts", "Northbound",
          "Slow Fireworks", "Quiet Rooms", "Satellite", "Blue Hour", "Undertow")


def deezer_id(*parts: object, digits: int = 9) -> int:
    n = int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:8], "big")
    return 10 ** (digits - 1) + n % (9 * 10 ** (digits - 1))


def _pictures(kind: str, md5: str) -> dict:
    return {f"{kind}_{size}": f"{CDN}/{kind}/{md5}/{px}x{px}-000000-80-0-0.jpg"
            for size, px in (("small", 56), ("medium", 250), ("big", 500), ("xl", 1000))}


class DeezerEmulator(Emulator):
    platform = "deezer"
    label = "Deezer"
    scopes = ("basic_access", "email", "offline_access", "manage_library", "manage_community", "delete_library",
              "listening_history")
    authorize_path = "/connect/oauth/auth.php"
    token_path = "/connect/oauth/access_token.php"
    scope_separator = ","
    pkce = "none"
    access_ttl = 3600
    rotates_refresh = False
    token_prefix = "fr"
    rate_limit = (50, 5.0)  # the documented quota: 50 requests per 5 seconds

    def new_account_id(self, name: str) -> str:
        return str(secrets.randbelow(9 * 10**9) + 10**9)

    # ---------------------------------------------------------------- Deezer's envelopes
    def error(self, status: int, code: str, message: str, headers: dict | None = None) -> Response:
        """Deezer's errors are HTTP 200 with an `error` object; only a broken gateway says 5xx."""
        number, kind, text = CODES.get(status, (700, "Exception", "Service busy"))
        body = {"error": {"type": kind, "message": text or message, "code": number}}
        return JSONResponse(body, status_code=status if status >= 500 and status != 503 else 200)

    def rate_limited(self, retry_after: int) -> Response:
        return self.error(429, "quota", "")

    def _injected(self, status: int, headers: dict) -> Response:
        messages = {403: "An active access token must be used to query information about the current user"}
        return self.error(status, "", messages.get(status, ""))  # Deezer sends no Retry-After

    def bearer(self, request: Request) -> str:
        return str(request.query_params.get("access_token", ""))

    # ---------------------------------------------------------------- OAuth, Deezer's way
    def _validate(self, params) -> tuple[dict[str, str], str]:
        p = {k: str(params.get(k, "")) for k in ("app_id", "redirect_uri", "perms", "state")}
        p.update(code_challenge="", scope="")
        if p["app_id"] != self.client_id:
            return p, "You must enter a valid app_id."
        if p["redirect_uri"] not in self.redirect_uris:
            return p, "The redirect_uri is not allowed for this application."
        perms = [s for s in p["perms"].split(",") if s.strip()]
        unknown = [s for s in perms if s not in self.scopes]
        if unknown:
            return p, f"Unknown permission {unknown[0]!r}."
        p["perms"] = p["scope"] = ",".join(perms or ["basic_access"])
        return p, ""

    async def authorize_submit(self, request: Request) -> Response:
        form = await request.form()
        p, problem = self._validate(form)
        if not problem and form.get("decision") != "allow":
            return self._redirect(p["redirect_uri"], {"error_reason": "user_denied",
                                                      **({"state": p["state"]} if p["state"] else {})})
        return await super().authorize_submit(request)

    async def token(self, request: Request) -> Response:
        params = dict(request.query_params)
        if request.method == "POST":
            params.update({k: str(v) for k, v in (await request.form()).items()})
        claims = tokens.verify(self.secret, params.get("code", ""), self.platform, "code")
        if (params.get("app_id") != self.client_id or params.get("secret") != self.client_secret or claims is None
                or not await self.store.call(self.store.spend, claims.nonce, claims.exp)):
            return PlainTextResponse("wrong code")
        offline = "offline_access" in claims.scope.split(",")
        access = tokens.sign(self.secret, self.platform, claims.account, "access", claims.scope,
                             OFFLINE_TTL if offline else self.access_ttl, self.token_prefix)
        expires = 0 if offline else self.access_ttl
        if params.get("output") == "json":
            return JSONResponse({"access_token": access, "expires": expires})
        return PlainTextResponse(urlencode({"access_token": access, "expires": expires}))

    # ---------------------------------------------------------------- the catalogue
    @staticmethod
    def api_base(request: Request) -> str:
        return f"{request.url.scheme}://{request.url.netloc}{request.scope.get('root_path', '')}/api"

    def artist_id(self, account: Account) -> int:
        return deezer_id("artist", account.id, digits=8)

    def _artist(self, account: Account, base: str) -> dict:
        aid = self.artist_id(account)
        md5 = hashlib.md5(str(aid).encode()).hexdigest()
        return {"id": aid, "name": account.name, "link": f"https://www.deezer.com/artist/{aid}",
                "share": f"https://www.deezer.com/artist/{aid}?utm_source=deezer&utm_content=artist-{aid}",
                "picture": f"{base}/artist/{aid}/image", **_pictures("artist", md5),
                "nb_album": len(self._albums(account, base)),
                "nb_fan": self.story_of(account).followers("deezer", self.today()), "radio": True,
                "tracklist": f"{base}/artist/{aid}/top?limit=50", "type": "artist"}

    def _lookalikes(self, name: str, base: str) -> list[dict]:
        """Other pages a search for `name` finds (as Deezer's own "Tribute to ..." pages)."""
        out = []
        for title, fans in ((f"Tribute to {name}", 440), (f"Made famous by {name}", 236)):
            aid = deezer_id("lookalike", title, digits=8)
            out.append({"id": aid, "name": title, "link": f"https://www.deezer.com/artist/{aid}",
                        "picture": f"{base}/artist/{aid}/image", **_pictures("artist", ""), "nb_album": 1,
                        "nb_fan": fans, "radio": True, "tracklist": f"{base}/artist/{aid}/top?limit=50",
                        "type": "artist"})
        return out

    def _albums(self, account: Account, base: str) -> list[dict]:
        """The story's releases, newest first; the story's big release is an album of its own."""
        s = self.story_of(account)
        posts = s.posts("deezer", self.today())
        releases = [(p.posted_at.date(), p.id) for p in posts]
        if s.release <= self.today() and s.release not in {d for d, _ in releases}:
            releases.append((s.release, "release"))
        out = []
        for n, (day, key) in enumerate(sorted(releases)):
            r = rng(account.persona, "deezer", "album", key)
            big = key == "release"
            record = "album" if big else r.choices(("single", "ep", "album"), (75, 15, 10))[0]
            alb = deezer_id("album", account.id, key)
            md5 = hashlib.md5(str(alb).encode()).hexdigest()
            fans = int(s.followers("deezer", day) * (0.15 if big else 0.02 + 0.06 * r.random()))
            out.append({"id": alb, "title": "Afterglow" if big else self._title(n),
                        "link": f"https://www.deezer.com/album/{alb}", "cover": f"{base}/album/{alb}/image",
                        **_pictures("cover", md5), "md5_image": md5, "genre_id": 85 if len(account.name) % 2 else 152,
                        "fans": fans, "release_date": day.isoformat(), "record_type": record,
                        "tracklist": f"{base}/album/{alb}/tracks", "explicit_lyrics": False, "type": "album",
                        "_duration": 150 + r.randint(0, 150)})
        return list(reversed(out))

    @staticmethod
    def _title(n: int) -> str:
        name = TITLES[1 + n % (len(TITLES) - 1)]
        return name if n < len(TITLES) - 1 else f"{name} ({n // (len(TITLES) - 1) + 1})"

    def _tracks(self, account: Account, base: str) -> list[dict]:
        """Each release's title track, most popular first (`rank` as Deezer's popularity)."""
        aid = self.artist_id(account)
        out = []
        for album in self._albums(account, base):
            tid = deezer_id("track", album["id"])
            out.append({
                "id": tid, "readable": True, "title": album["title"], "title_short": album["title"],
                "title_version": "", "link": f"https://www.deezer.com/track/{tid}", "duration": album["_duration"],
                "rank": min(999_999, 90_000 + (album.get("fans") or 0) * 40), "explicit_lyrics": False,
                "explicit_content_lyrics": 0, "explicit_content_cover": 0,
                "preview": f"https://cdns-preview-1.dzcdn.net/stream/c-{album['md5_image']}-1.mp3",
                "md5_image": album["md5_image"],
                "contributors": [{"id": aid, "name": account.name, "type": "artist", "role": "Main"}],
                "artist": {"id": aid, "name": account.name, "tracklist": f"{base}/artist/{aid}/top?limit=50",
                           "type": "artist"},
                "album": {"id": album["id"], "title": album["title"], "cover": album["cover"],
                          **{k: album[k] for k in album if k.startswith("cover_")}, "md5_image": album["md5_image"],
                          "tracklist": album["tracklist"], "type": "album"},
                "type": "track", "_release_date": album["release_date"],
            })
        return sorted(out, key=lambda t: -t["rank"])

    def _account_for_artist(self, artist_id: str) -> Account | None:
        return next((a for a in self.store.accounts(self.platform) if str(self.artist_id(a)) == artist_id), None)

    # ---------------------------------------------------------------- routes
    def _paging(self, request: Request, items: list[dict], path: str, default_limit: int = 25) -> dict:
        q = request.query_params
        try:
            index, limit = int(q.get("index", 0)), int(q.get("limit", default_limit))
        except ValueError:
            raise ApiError(self.error(400, "parameter", "")) from None
        if index < 0 or limit < 1:
            raise ApiError(self.error(400, "parameter", ""))
        limit = min(limit, 100)
        data = [{k: v for k, v in i.items() if not k.startswith("_")} for i in items[index:index + limit]]
        params = {k: v for k, v in q.items() if k not in ("index", "access_token")}
        body: dict = {"data": data, "total": len(items)}
        if index > 0:
            body["prev"] = f"{self.api_base(request)}{path}?{urlencode({**params, 'index': max(0, index - limit)})}"
        if index + limit < len(items):
            body["next"] = f"{self.api_base(request)}{path}?{urlencode({**params, 'index': index + limit})}"
        return body

    async def _public(self, request: Request) -> None:
        """Catalogue calls need no token; one that is sent must be valid."""
        if self.bearer(request):
            await self.caller(request)

    async def _artist_account(self, request: Request) -> Account:
        await self._public(request)
        account = await self.store.call(self._account_for_artist, request.path_params["id"])
        if account is None:
            raise ApiError(self.error(404, "not_found", ""))
        return account

    async def me(self, request: Request) -> Response:
        caller = await self.caller(request, need="basic_access")
        a, base, uid = caller.account, self.api_base(request), int(caller.account.id)
        md5 = hashlib.md5(a.id.encode()).hexdigest()
        body = {"id": uid, "name": a.name, "lastname": "", "firstname": "", "status": 0, "birthday": "0000-00-00",
                "inscription_date": self.story_of(a).start.isoformat(), "gender": "",
                "link": f"https://www.deezer.com/profile/{uid}", "picture": f"{base}/user/{uid}/image",
                **_pictures("user", md5), "country": "DE", "lang": "en", "is_kid": False,
                "explicit_content_level": "explicit_display",
                "explicit_content_levels_available": ["explicit_display", "explicit_no_recommendation",
                                                      "explicit_hide"],
                "tracklist": f"{base}/user/{uid}/flow", "type": "user"}
        if "email" in caller.scopes:
            body["email"] = f"{a.handle}@example.com"
        return JSONResponse(body)

    async def search_artist(self, request: Request) -> Response:
        await self._public(request)
        query = request.query_params.get("q", "").strip().lower()
        if not query:
            raise ApiError(self.error(400, "parameter", ""))
        found = []
        for account in await self.store.call(self.store.accounts, self.platform):
            if query in account.name.lower():
                found.append(await self.store.call(self._artist, account, self.api_base(request)))
                found += self._lookalikes(account.name, self.api_base(request))
        return JSONResponse(self._paging(request, found, "/search/artist"))

    async def artist(self, request: Request) -> Response:
        account = await self._artist_account(request)
        return JSONResponse(await self.store.call(self._artist, account, self.api_base(request)))

    async def albums(self, request: Request) -> Response:
        account = await self._artist_account(request)
        items = await self.store.call(self._albums, account, self.api_base(request))
        return JSONResponse(self._paging(request, items, f"/artist/{request.path_params['id']}/albums"))

    async def top(self, request: Request) -> Response:
        account = await self._artist_account(request)
        items = await self.store.call(self._tracks, account, self.api_base(request))
        return JSONResponse(self._paging(request, items[:100], f"/artist/{request.path_params['id']}/top", 5))

    async def track(self, request: Request) -> Response:
        await self._public(request)
        base = self.api_base(request)
        for account in await self.store.call(self.store.accounts, self.platform):
            for t in await self.store.call(self._tracks, account, base):
                if str(t["id"]) == request.path_params["id"]:
                    body = {k: v for k, v in t.items() if not k.startswith("_")}
                    return JSONResponse({**body, "release_date": t["_release_date"], "bpm": 0, "gain": -9.1,
                                         "available_countries": ["DE", "FR", "GB", "US"], "track_position": 1,
                                         "disk_number": 1, "isrc": f"DEA{t['id'] % 10**9:09d}"})
        raise ApiError(self.error(404, "not_found", ""))

    def api_routes(self) -> list[Route]:
        return [
            Route(self.token_path, self.token, methods=["GET"]),
            Route("/api/user/me", self.guarded(self.me), methods=["GET"]),
            Route("/api/search/artist", self.guarded(self.search_artist), methods=["GET"]),
            Route("/api/artist/{id}", self.guarded(self.artist), methods=["GET"]),
            Route("/api/artist/{id}/albums", self.guarded(self.albums), methods=["GET"]),
            Route("/api/artist/{id}/top", self.guarded(self.top), methods=["GET"]),
            Route("/api/track/{id}", self.guarded(self.track), methods=["GET"]),
        ]


EMULATOR = DeezerEmulator
