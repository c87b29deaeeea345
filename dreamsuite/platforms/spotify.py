"""Spotify: the artist profile (followers, popularity, genres), releases and top tracks, through
the Web API.

A Spotify login is a listener account, not an artist: after OAuth we search the catalog for the
artist profile of the same name (the most followed exact match) and keep its id; the artist can
change it later. Streams and listeners are not in the public API (they need Spotify for
Artists): they are declared unavailable, never stored as zero. Spotify gives no history: each
sync adds that day's followers, and the history grows from the first sync on.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

import httpx

from dreamsuite.platforms.base import (
    AccountRef, CollectResult, Malformed, MetricDay, OAuthConfig, PermanentError, PlatformAdapter, PlatformError,
    PostData, Profile,
)

PAGE_SIZE = 50
MARKET = "US"


class SpotifyAdapter(PlatformAdapter):
    name: ClassVar[str] = "spotify"
    label: ClassVar[str] = "Spotify"
    color: ClassVar[str] = "#1DB954"
    reads: ClassVar[str] = ("Your artist profile's followers and popularity, your releases and top tracks, to track "
                            "how releases land with listeners. Streams and listeners need Spotify for Artists.")
    connectable: ClassVar[bool] = True
    handle_prefix: ClassVar[str] = ""
    hosts: ClassVar[dict[str, str]] = {"accounts": "https://accounts.spotify.com", "api": "https://api.spotify.com"}
    unavailable_metrics: ClassVar[dict[str, str]] = {
        "streams": "Spotify does not share stream counts through its public API; they are in Spotify for Artists.",
        "monthly_listeners": "Monthly listeners are only in Spotify for Artists, not in the public API.",
        "saves": "Saves are only in Spotify for Artists, not in the public API.",
    }

    def profile_url(self, username: str) -> str:
        return ""  # the artist's page needs its id, which the card shows instead

    def oauth_config(self) -> OAuthConfig:
        return OAuthConfig(
            authorize_url=self.url("accounts", "/authorize"), token_url=self.url("accounts", "/api/token"),
            scopes=["user-read-private", "user-read-email"], token_auth_method="client_secret_basic",
        )

    def classify(self, resp: httpx.Response, body: Any) -> PlatformError | None:
        return None  # Spotify's status codes say it all; error_message reads {"error": {"status", "message"}}

    # ------------------------------------------------------------ connect
    async def fetch_profile(self, client: httpx.AsyncClient, token: str) -> Profile:
        me = await self.request_json(client, "GET", self.url("api", "/v1/me"), token)
        try:
            user_id, name = str(me["id"]), str(me.get("display_name") or me["id"])
        except (KeyError, TypeError) as exc:
            raise Malformed(f"{self.label} sent a profile we could not read") from exc
        artist = await self._find_artist(client, token, name, user_id)
        details = {"artist_id": artist["id"], "artist_name": artist.get("name", name)} if artist else {}
        return Profile(platform_user_id=user_id, username=(artist or {}).get("name") or name, display_name=name,
                       details=details)

    async def _find_artist(self, client: httpx.AsyncClient, token: str, name: str, key: str) -> dict | None:
        found = await self.request_json(client, "GET", self.url("api", "/v1/search"), token, account_key=key,
                                        params={"q": name, "type": "artist", "limit": 10})
        items = ((found or {}).get("artists") or {}).get("items") or []
        exact = [a for a in items if isinstance(a, dict) and str(a.get("name", "")).casefold() == name.casefold()]
        return max(exact, key=lambda a: (a.get("followers") or {}).get("total") or 0, default=None)

    # ------------------------------------------------------------ collect
    async def collect(self, client: httpx.AsyncClient, token: str, since: date | None = None,
                      account: AccountRef | None = None) -> CollectResult:
        artist_id = (account.details if account else {}).get("artist_id")
        if not artist_id:
            raise PermanentError("No Spotify artist profile is linked to this account yet: choose yours on the "
                                 "Connections page.")
        key = account.platform_user_id if account else ""
        artist = await self.request_json(client, "GET", self.url("api", f"/v1/artists/{artist_id}"), token,
                                         account_key=key)
        releases = await self._releases(client, token, artist_id, key)
        top = await self.request_json(client, "GET", self.url("api", f"/v1/artists/{artist_id}/top-tracks"), token,
                                      account_key=key, params={"market": MARKET})
        try:
            return CollectResult(days=self._today(artist),
                                 posts=[self._release(r) for r in releases] + [self._track(t) for t in top["tracks"]])
        except (KeyError, TypeError, ValueError) as exc:
            raise Malformed(f"{self.label} sent data we could not read: {type(exc).__name__} {exc}") from exc

    async def _releases(self, client: httpx.AsyncClient, token: str, artist_id: str, key: str) -> list[dict]:
        url = self.url("api", f"/v1/artists/{artist_id}/albums")
        params = {"include_groups": "album,single", "limit": PAGE_SIZE, "offset": 0}
        items: list[dict] = []

        async def fetch(next_url: str | None) -> dict:
            # Spotify's `next` is a full URL with the query already in it.
            return await self.request_json(client, "GET", next_url or url, token, account_key=key,
                                           params=None if next_url else params)

        async for page in self.pages(fetch, lambda p: p.get("next"), what="releases"):
            items.extend(i for i in page.get("items") or [] if isinstance(i, dict))
        return items

    @staticmethod
    def _today(artist: dict) -> list[MetricDay]:
        followers = (artist.get("followers") or {}).get("total")
        if followers is None:  # not given (newer apps do not see it): no row rather than a zero
            return []
        metrics = {"popularity": artist.get("popularity"), "genres": list(artist.get("genres") or [])}
        return [MetricDay(date=datetime.now(UTC).date(), follower_count=int(followers),
                          metrics={k: v for k, v in metrics.items() if v not in (None, [])})]

    @staticmethod
    def _released_at(item: dict) -> datetime:
        raw, precision = str(item["release_date"]), item.get("release_date_precision", "day")
        value = {"year": f"{raw}-01-01", "month": f"{raw}-01"}.get(precision, raw)
        return datetime.fromisoformat(value if len(value) > 7 else value + "-01").replace(tzinfo=UTC)

    def _release(self, r: dict) -> PostData:
        return PostData(
            platform_post_id=f"album:{r['id']}", posted_at=self._released_at(r),
            post_type=str(r.get("album_type") or "album"), caption=str(r.get("name", "")),
            url=(r.get("external_urls") or {}).get("spotify", ""),
            details={"tracks": r.get("total_tracks"), "kind": "release"},
        )

    def _track(self, t: dict) -> PostData:
        album = t.get("album") or {}
        return PostData(
            platform_post_id=f"track:{t['id']}", posted_at=self._released_at(album) if album.get("release_date")
            else datetime.now(UTC), post_type="track", caption=str(t.get("name", "")),
            url=(t.get("external_urls") or {}).get("spotify", ""),
            details={"popularity": t.get("popularity"), "duration_ms": t.get("duration_ms"),
                     "album": album.get("name"), "top_track": True},
        )


ADAPTER = SpotifyAdapter
