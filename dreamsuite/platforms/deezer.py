"""Deezer: the artist page's fans, albums (with each album's fans) and top tracks, through the
public API (api.deezer.com).

- OAuth is Deezer's own: the dialog at connect.deezer.com/oauth/auth.php takes `app_id` and
  comma-separated `perms`; the code is traded at oauth/access_token.php (app_id, secret, code,
  output=json) for `{"access_token", "expires"}`. With `offline_access` the token does not
  expire (`expires: 0`) and there is no refresh token at all. A refused code answers "wrong code"
  as plain text.
- Every call carries `access_token` in the query. Errors come back with HTTP 200 as
  `{"error": {"type", "message", "code"}}`: 4 quota (50 calls per 5 seconds), 200 permission,
  300 invalid token, 700 service busy, 800 no data...
- A Deezer login is a listener, not an artist: the artist page is found by searching for the
  same name (the exact match with the most fans) and its id kept in the connection's details.
- Lists are `{"data", "total", "next"}` pages addressed by `index` and `limit`.
- Streams, listeners and demographics are only in Deezer for Creators: declared unavailable.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import httpx

from dreamsuite.platforms.base import (
    AccountRef, AuthExpired, CollectResult, Malformed, MetricDay, OAuthConfig, PermanentError, PermissionMissing,
    PlatformAdapter, PlatformError, PostData, Profile, RateLimited, TokenSet, TransientError,
)
from dreamsuite.platforms.http import Usage

PAGE_SIZE = 100
TOP_TRACKS = 50
# basic_access: the user's name (to find their artist page); offline_access: a token that does
# not expire, since Deezer has no refresh. Nothing in the library or the email is read.
PERMS = ("basic_access", "offline_access")
QUOTA_WAIT = 5.0  # the quota is counted over 5 seconds
# What each endpoint needs (to name the permission when Deezer answers code 200).
NEEDS = (("/user/me", "basic_access"),)


class DeezerAdapter(PlatformAdapter):
    name: ClassVar[str] = "deezer"
    label: ClassVar[str] = "Deezer"
    color: ClassVar[str] = "#A238FF"
    reads: ClassVar[str] = ("Your name, to find your artist page; then its fans, your albums and singles with "
                            "their fans, and your top tracks, to follow your audience on Deezer.")
    connectable: ClassVar[bool] = True
    handle_prefix: ClassVar[str] = ""
    hosts: ClassVar[dict[str, str]] = {"connect": "https://connect.deezer.com", "api": "https://api.deezer.com"}
    unavailable_metrics: ClassVar[dict[str, str]] = {
        "streams": "Deezer does not share stream counts through its public API; they are in Deezer for Creators.",
        "monthly_listeners": "Listeners are only in Deezer for Creators, not in the public API.",
        "audience": "Who listens (ages, countries) is only in Deezer for Creators, not in the public API.",
    }

    def oauth_config(self) -> OAuthConfig:
        return OAuthConfig(
            authorize_url=self.url("connect", "/oauth/auth.php"),
            token_url=self.url("connect", "/oauth/access_token.php"),
            scopes=[], pkce=False, client_id_param="app_id", extra_authorize_params={"perms": ",".join(PERMS)},
        )

    async def exchange_code(self, client: httpx.AsyncClient, code: str, verifier: str, redirect_uri: str,
                            credentials: tuple[str, str]) -> TokenSet | None:
        resp = await self.send(client, "GET", self.url("connect", "/oauth/access_token.php"),
                               params={"app_id": credentials[0], "secret": credentials[1], "code": code,
                                       "output": "json"})
        if resp.status_code >= 500:
            raise TransientError(f"{self.label} answered {resp.status_code} to the code exchange",
                                 status=resp.status_code)
        body = self.body_of(resp)
        if not isinstance(body, dict) or not body.get("access_token"):
            # Deezer refuses a code with a bare text ("wrong code"), still with HTTP 200.
            raise PermanentError(f"{self.label} refused the code: {(resp.text or 'no token').strip()[:100]}")
        try:
            expires = int(body.get("expires") or body.get("expires_in") or 0)
        except (TypeError, ValueError) as exc:
            raise Malformed(f"{self.label} sent an expiry we could not read") from exc
        return TokenSet(access_token=str(body["access_token"]), refresh_token="", scope=",".join(PERMS),
                        expires_at=datetime.now(UTC) + timedelta(seconds=expires) if expires > 0 else None)

    # ------------------------------------------------------------ answers
    @staticmethod
    def _error(body: Any) -> dict | None:
        err = body.get("error") if isinstance(body, dict) else None
        return err if isinstance(err, dict) else None

    def classify(self, resp: httpx.Response, body: Any) -> PlatformError | None:
        """Deezer's errors arrive with HTTP 200 inside `{"error": {...}}`."""
        err = self._error(body)
        if err is None:
            return None
        code, message = err.get("code"), str(err.get("message") or err.get("type") or "error")[:300]
        status = resp.status_code
        if code == 4:
            return RateLimited(f"{self.label} quota: {message}", retry_after=QUOTA_WAIT, status=status)
        if code == 300:
            return AuthExpired(f"{self.label} rejected the access token: {message}", status=status)
        if code == 200:
            path = resp.request.url.path if resp.request else ""
            scope = next((perm for prefix, perm in NEEDS if path.endswith(prefix)), "basic_access")
            return PermissionMissing(f"{self.label} needs the {scope} permission: {message}", scope=scope,
                                     status=status)
        if code == 700 or status >= 500:
            return TransientError(f"{self.label} is busy: {message}", status=status)
        if code == 800:
            return PermanentError(f"{self.label} has no such item: {message}", status=404)
        return PermanentError(f"{self.label} refused the request ({code}): {message}", status=status)

    def read_usage(self, resp: httpx.Response) -> Usage | None:
        """A quota answer (code 4) holds the account for the 5-second window, across workers."""
        if resp.headers.get("content-type", "").startswith("application/json") and b'"error"' in resp.content[:200]:
            err = self._error(self.body_of(resp))
            if err and err.get("code") == 4:
                return Usage(used=1.0, retry_after=QUOTA_WAIT)
        return super().read_usage(resp)

    async def _get(self, client: httpx.AsyncClient, url: str, token: str, key: str, **params: Any) -> Any:
        return await self.request_json(client, "GET", url, account_key=key,
                                       params={**params, "access_token": token})

    # ------------------------------------------------------------ connect
    async def fetch_profile(self, client: httpx.AsyncClient, token: str) -> Profile:
        me = await self._get(client, self.url("api", "/user/me"), token, "")
        try:
            user_id, name = str(me["id"]), str(me.get("name") or me["id"])
        except (KeyError, TypeError) as exc:
            raise Malformed(f"{self.label} sent a profile we could not read") from exc
        artist = await self._find_artist(client, token, name, user_id)
        details = {"artist_id": artist["id"], "artist_name": artist.get("name", name)} if artist else {}
        return Profile(platform_user_id=user_id, username=(artist or {}).get("name") or name, display_name=name,
                       details=details)

    async def _find_artist(self, client: httpx.AsyncClient, token: str, name: str, key: str) -> dict | None:
        found = await self._get(client, self.url("api", "/search/artist"), token, key, q=name, limit=25)
        items = (found or {}).get("data") or []
        exact = [a for a in items if isinstance(a, dict) and str(a.get("name", "")).casefold() == name.casefold()]
        return max(exact, key=lambda a: a.get("nb_fan") or 0, default=None)

    # ------------------------------------------------------------ collect
    async def collect(self, client: httpx.AsyncClient, token: str, since: date | None = None,
                      account: AccountRef | None = None) -> CollectResult:
        """Deezer has no history and no "since" filter; the whole catalogue is a handful of calls."""
        artist_id = (account.details if account else {}).get("artist_id")
        if not artist_id:
            raise PermanentError("No Deezer artist page is linked to this account yet: choose yours on the "
                                 "Connections page.")
        key = account.platform_user_id if account else ""
        artist = await self._get(client, self.url("api", f"/artist/{artist_id}"), token, key)
        albums = await self._albums(client, token, artist_id, key)
        top = await self._get(client, self.url("api", f"/artist/{artist_id}/top"), token, key, limit=TOP_TRACKS)
        try:
            released = {a["id"]: self._date(a["release_date"]) for a in albums if a.get("release_date")}
            posts = [self._album(a) for a in albums]
            for track in top["data"]:
                album_id = (track.get("album") or {}).get("id")
                when = released.get(album_id) or await self._track_release(client, token, key, track["id"])
                posts.append(self._track(track, when))
            return CollectResult(days=self._today(artist), posts=posts)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise Malformed(f"{self.label} sent data we could not read: {type(exc).__name__} {exc}") from exc

    async def _albums(self, client: httpx.AsyncClient, token: str, artist_id: Any, key: str) -> list[dict]:
        url = self.url("api", f"/artist/{artist_id}/albums")
        items: list[dict] = []

        async def fetch(index: int | None) -> dict:
            return await self._get(client, url, token, key, index=index or 0, limit=PAGE_SIZE)

        def next_index(page: dict) -> int | None:
            # `next` is an absolute link; only its index is ours to follow (our token stays ours).
            nxt = page.get("next")
            if not nxt:
                return None
            found = parse_qs(urlsplit(str(nxt)).query).get("index")
            if not found or not found[0].isdigit():
                raise Malformed(f"{self.label} sent a next page we could not follow")
            return int(found[0])

        async for page in self.pages(fetch, next_index, what="albums"):
            data = page.get("data")
            if not isinstance(data, list):
                raise Malformed(f"{self.label} sent a page of albums without its data")
            items.extend(i for i in data if isinstance(i, dict))
        return items

    async def _track_release(self, client: httpx.AsyncClient, token: str, key: str, track_id: Any) -> datetime:
        """A top track from an album not among the artist's own (a feature): its own release date."""
        track = await self._get(client, self.url("api", f"/track/{track_id}"), token, key)
        return self._date(track["release_date"])

    @staticmethod
    def _date(value: Any) -> datetime:
        return datetime.fromisoformat(str(value)[:10]).replace(tzinfo=UTC)

    @staticmethod
    def _today(artist: dict) -> list[MetricDay]:
        fans = artist.get("nb_fan")
        if not isinstance(fans, int) or isinstance(fans, bool):  # not given: no row rather than a zero
            return []
        albums = artist.get("nb_album")
        metrics = {"nb_album": albums} if isinstance(albums, int) else {}
        return [MetricDay(date=datetime.now(UTC).date(), follower_count=fans,
                          content_count=albums if isinstance(albums, int) else 0, metrics=metrics)]

    def _album(self, a: dict) -> PostData:
        fans = a.get("fans")
        details = {"kind": "release", "fans": fans, "cover": a.get("cover_medium") or a.get("cover"),
                   "genre_id": a.get("genre_id"), "explicit_lyrics": a.get("explicit_lyrics")}
        return PostData(
            platform_post_id=f"album:{a['id']}", posted_at=self._date(a["release_date"]),
            post_type=str(a.get("record_type") or "album"), caption=str(a.get("title") or ""),
            url=str(a.get("link") or ""), saves=fans if isinstance(fans, int) else 0,
            details={k: v for k, v in details.items() if v is not None},
        )

    def _track(self, t: dict, released: datetime) -> PostData:
        album = t.get("album") or {}
        details = {"rank": t.get("rank"), "duration_s": t.get("duration"), "album": album.get("title"),
                   "album_id": album.get("id"), "top_track": True, "explicit_lyrics": t.get("explicit_lyrics")}
        return PostData(
            platform_post_id=f"track:{t['id']}", posted_at=released, post_type="track",
            caption=str(t.get("title") or ""), url=str(t.get("link") or ""),
            details={k: v for k, v in details.items() if v is not None},
        )


ADAPTER = DeezerAdapter
