"""SoundCloud: the profile (followers), every track with its plays, likes, reposts, comments and
downloads, and the comments on each track, through the public API (api.soundcloud.com).

- OAuth 2.1 at secure.soundcloud.com: PKCE is required, access tokens last about an hour and
  refresh tokens are single use (each refresh returns the next one). SoundCloud has no scopes.
- Calls carry `Authorization: OAuth <token>` (SoundCloud's documented header, not `Bearer`).
- Resources are addressed by URN (`soundcloud:tracks:123`); numeric ids are deprecated.
- Lists are read with `linked_partitioning=true`, following `next_href` until it is absent.
- 429 answers say when the limit resets in the body (`errors[].meta.reset_time`), not in a
  Retry-After header: that time is what we wait for, and what the rate gate holds.
- A track in "quiet mode" hides its stats (`reveal_stats`) or its comments (`reveal_comments`):
  hidden numbers are recorded as hidden, never summed as zeros; its comments are marked hidden.
"""

from __future__ import annotations

import math
import shlex
from datetime import UTC, date, datetime
from typing import Any, ClassVar

import httpx

from dreamsuite.platforms.base import (
    AccountRef, CollectResult, CommentData, Malformed, MetricDay, OAuthConfig, PlatformAdapter, PostData, Profile,
)
from dreamsuite.platforms.media_rules import GB, MediaRules
from dreamsuite.platforms.http import Usage

PAGE_SIZE = 200  # the documented maximum of `limit`
COMMENT_PAGE_SIZE = 200
TIME_FORMAT = "%Y/%m/%d %H:%M:%S %z"  # "2026/01/02 12:34:56 +0000"
# Lifetime numbers per track, summed into the day's row (only from tracks that show them).
TOTALS = {"playback_count": "plays_total", "likes": "likes_total", "reposts_count": "reposts_total",
          "comment_count": "comments_total", "download_count": "downloads_total"}


def parse_time(value: Any) -> datetime:
    """SoundCloud's "2026/01/02 12:34:56 +0000" (and ISO 8601, which some fields use), as aware UTC."""
    text = str(value).strip()
    try:
        return datetime.strptime(text, TIME_FORMAT).astimezone(UTC)
    except ValueError:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def parse_tags(tag_list: Any) -> list[str]:
    """`tag_list` is space separated, multi-word tags in double quotes: 'indie "bedroom pop"'."""
    text = str(tag_list or "").strip()
    if not text:
        return []
    try:
        words = shlex.split(text)
    except ValueError:  # an unbalanced quote: keep the words as they are
        words = text.replace('"', " ").split()
    return list(dict.fromkeys(w.strip() for w in words if w.strip()))


class SoundCloudAdapter(PlatformAdapter):
    name: ClassVar[str] = "soundcloud"
    label: ClassVar[str] = "SoundCloud"
    color: ClassVar[str] = "#FF5500"
    reads: ClassVar[str] = ("Your followers, each of your tracks with its plays, likes, reposts, comments and "
                            "downloads, and the comments people leave on them, to see which tracks people replay.")
    connectable: ClassVar[bool] = True
    # A track is one audio file (AIFF, WAVE, FLAC, OGG, MP2, MP3, AAC...), up to 4 GB and 24 hours
    # ("Upload limits", SoundCloud's API guide). Publishing to SoundCloud is not offered yet.
    # https://developers.soundcloud.com/docs/api/guide
    media_rules: ClassVar[MediaRules | None] = MediaRules(
        source="https://developers.soundcloud.com/docs/api/guide",
        kinds=frozenset({"audio"}), max_items=1, max_audio_bytes=4 * GB, max_audio_s=24 * 3600, text_alone=False)
    hosts: ClassVar[dict[str, str]] = {"secure": "https://secure.soundcloud.com", "api": "https://api.soundcloud.com"}
    unavailable_metrics: ClassVar[dict[str, str]] = {
        "daily_plays": "SoundCloud's API gives each track's lifetime plays, not plays per day; the daily picture "
                       "grows from one sync to the next.",
        "audience": "Where listeners are and how old they are is in SoundCloud Insights, not in the public API.",
    }

    def profile_url(self, username: str) -> str:
        return f"https://soundcloud.com/{username}" if username else ""

    def oauth_config(self) -> OAuthConfig:
        # No scopes exist ("leave blank"); PKCE is mandatory.
        return OAuthConfig(authorize_url=self.url("secure", "/authorize"), token_url=self.url("secure", "/oauth/token"),
                           scopes=[], token_auth_method="client_secret_post", pkce=True)

    # ------------------------------------------------------------ answers
    async def _get(self, client: httpx.AsyncClient, url: str, token: str, key: str,
                   params: dict | None = None) -> Any:
        return await self.request_json(client, "GET", url, None, account_key=key, params=params,
                                       headers={"Authorization": f"OAuth {token}",
                                                "Accept": "application/json; charset=utf-8"})

    def error_message(self, resp: httpx.Response) -> str:
        body = self.body_of(resp)
        if isinstance(body, dict):
            details = [e.get("error_message") for e in body.get("errors") or [] if isinstance(e, dict)]
            text = body.get("message") or next((d for d in details if d), None) or body.get("error")
            if text:
                return str(text)[:300]
        return super().error_message(resp)

    def read_usage(self, resp: httpx.Response) -> Usage | None:
        """A 429 names the time its limit resets (`errors[].meta.reset_time`); that is our wait."""
        if resp.status_code == 429:
            body = self.body_of(resp)
            resets = []
            for err in (body.get("errors") or []) if isinstance(body, dict) else []:
                meta = err.get("meta") if isinstance(err, dict) else None
                if isinstance(meta, dict) and meta.get("reset_time"):
                    try:
                        resets.append(parse_time(meta["reset_time"]))
                    except ValueError:
                        continue
            if resets:
                wait = (max(resets) - datetime.now(UTC)).total_seconds()
                return Usage(used=1.0, retry_after=max(1.0, float(math.ceil(wait))))
        return super().read_usage(resp)

    # ------------------------------------------------------------ connect
    async def fetch_profile(self, client: httpx.AsyncClient, token: str) -> Profile:
        me = await self._get(client, self.url("api", "/me"), token, "")
        try:
            urn = str(me["urn"])
            name = str(me.get("username") or me.get("permalink") or urn)
        except (KeyError, TypeError) as exc:
            raise Malformed(f"{self.label} sent a profile we could not read") from exc
        details = {k: me[k] for k in ("permalink_url", "avatar_url", "city", "country") if me.get(k)}
        return Profile(platform_user_id=urn, username=str(me.get("permalink") or name), display_name=name,
                       details=details)

    # ------------------------------------------------------------ collect
    async def collect(self, client: httpx.AsyncClient, token: str, since: date | None = None,
                      account: AccountRef | None = None) -> CollectResult:
        key = account.platform_user_id if account else ""
        me = await self._get(client, self.url("api", "/me"), token, key)
        tracks = await self._list(client, token, key, self.url("api", "/me/tracks"), PAGE_SIZE, "tracks")
        try:
            posts = [self._track(t) for t in tracks]
            comments: list[CommentData] = []
            for track, post in zip(tracks, posts):
                if track.get("comment_count") == 0:
                    continue  # nothing to read (a missing count is read anyway)
                comments += await self._comments(client, token, key, track, post.platform_post_id, since)
            return CollectResult(days=self._today(me, tracks), posts=posts, comments=comments)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise Malformed(f"{self.label} sent data we could not read: {type(exc).__name__} {exc}") from exc

    async def _list(self, client: httpx.AsyncClient, token: str, key: str, url: str, limit: int, what: str,
                    stop=None) -> list[dict]:
        """Every item of a linked-partitioning list (or until `stop(page)` says the rest is old)."""
        items: list[dict] = []

        async def fetch(next_href: str | None) -> dict:
            # `next_href` is absolute and carries the cursor and our parameters already.
            if next_href:
                return await self._get(client, next_href, token, key)
            return await self._get(client, url, token, key, {"linked_partitioning": "true", "limit": limit})

        async for page in self.pages(fetch, lambda p: None if stop and stop(p) else p.get("next_href"), what=what):
            collection = page.get("collection")
            if not isinstance(collection, list):
                raise Malformed(f"{self.label} sent a page of {what} without its collection")
            items.extend(i for i in collection if isinstance(i, dict))
        return items

    async def _comments(self, client: httpx.AsyncClient, token: str, key: str, track: dict, post_id: str,
                        since: date | None) -> list[CommentData]:
        def older_than_since(page: dict) -> bool:
            # Newest first: once a page reaches back before `since`, the pages after it are older still.
            times = [parse_time(c["created_at"]) for c in page.get("collection") or [] if c.get("created_at")]
            return since is not None and bool(times) and min(times).date() < since

        url = self.url("api", f"/tracks/{track['urn']}/comments")
        raw = await self._list(client, token, key, url, COMMENT_PAGE_SIZE, "comments", stop=older_than_since)
        hidden = track.get("reveal_comments") is False
        out = []
        for c in raw:
            user = c.get("user") or {}
            out.append(CommentData(
                platform_comment_id=str(c["urn"]), platform_post_id=post_id, posted_at=parse_time(c["created_at"]),
                author=str(user.get("username") or user.get("permalink") or ""), text=str(c.get("body") or ""),
                hidden=hidden))
        return out

    @staticmethod
    def _count(track: dict, *names: str) -> int | None:
        for name in names:
            value = track.get(name)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return int(value)
        return None

    def _track(self, t: dict) -> PostData:
        numbers = {"playback_count": self._count(t, "playback_count"),
                   "likes": self._count(t, "favoritings_count", "likes_count"),
                   "reposts_count": self._count(t, "reposts_count"), "comment_count": self._count(t, "comment_count"),
                   "download_count": self._count(t, "download_count")}
        shown = {k: v for k, v in numbers.items() if v is not None}
        details: dict[str, Any] = {
            "title": t.get("title"), "duration_ms": t.get("duration"), "genre": t.get("genre") or None,
            "artwork_url": t.get("artwork_url"), "sharing": t.get("sharing"), "access": t.get("access"),
            "download_count": shown.get("download_count"),
        }
        # Numbers the track does not show are named, so no reader mistakes a stored 0 for a real one.
        hidden = sorted(set(numbers) - set(shown))
        if hidden:
            details["hidden_numbers"] = hidden
        if t.get("reveal_stats") is False:
            details["stats_hidden"] = True
        return PostData(
            platform_post_id=str(t["urn"]), posted_at=parse_time(t["created_at"]), post_type="track",
            caption=str(t.get("title") or ""), url=str(t.get("permalink_url") or ""),
            likes=shown.get("likes", 0), comments=shown.get("comment_count", 0), shares=shown.get("reposts_count", 0),
            plays=shown.get("playback_count", 0), hashtags=parse_tags(t.get("tag_list")),
            details={k: v for k, v in details.items() if v is not None},
        )

    def _today(self, me: dict, tracks: list[dict]) -> list[MetricDay]:
        followers = self._count(me, "followers_count")
        if followers is None:  # not given: no row rather than a zero
            return []
        metrics: dict[str, Any] = {k: me[k] for k in ("followings_count", "track_count", "playlist_count")
                                   if self._count(me, k) is not None}
        for field, total in TOTALS.items():
            names = ("favoritings_count", "likes_count") if field == "likes" else (field,)
            values = [v for v in (self._count(t, *names) for t in tracks) if v is not None]
            if values:
                metrics[total] = sum(values)
        content = self._count(me, "track_count")
        return [MetricDay(date=datetime.now(UTC).date(), follower_count=followers,
                          content_count=content if content is not None else len(tracks), metrics=metrics)]


ADAPTER = SoundCloudAdapter
