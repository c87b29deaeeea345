"""Instagram: a professional (business or creator) account, through the Instagram Graph API with
Facebook Login (the Graph plumbing shared with Facebook is in platforms/meta.py).

Connect finds the Instagram account through the person's Facebook Pages (/me/accounts →
instagram_business_account). Collect reads the profile; every reel, photo and carousel with its
insights and its comments (replies and the hidden flag) nested in the same call; the stories
still live with their insights; each day's account insights (reach and new followers as time
series; views, profile visits, link taps by button, follows and unfollows as daily totals); the
followers' age, gender, countries, cities and online hours.

Meta keeps no past follower totals: each earlier day is the current total minus the follows and
plus the unfollows since, back 30 days (the insights' window); from the first sync on the
history grows a day at a time. Publishing: a container (image_url or video_url with the caption;
a carousel from child containers), its status polled until FINISHED, then media_publish, the one
call that posts. Instagram has no text-only posts. The first comment goes to the media's /comments.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar

import httpx

from dreamsuite.platforms.base import (
    AccountRef, CollectResult, CommentData, Malformed, MetricDay, OutcomeUnknown, PermanentError, PlatformError,
    PostData, Profile, PublishRequest, PublishResult, TransientError,
)
from dreamsuite.platforms.media_rules import MB, MediaRules
from dreamsuite.platforms.meta import (
    InsightsUnavailable, MetaAdapter, graph_time, hashtags, series, shares, totals,
)

PAGE_SIZE = 50
HISTORY_DAYS = 29  # the insights' 30-day window, today included
RECENT = timedelta(days=7)  # posts re-read on each sync: likes and comments keep arriving
STATUS_POLLS = 40
POLL_SECONDS = 3.0
PROFILE_FIELDS = "id,username,name,biography,website,followers_count,follows_count,media_count,profile_picture_url"
_REPLY = "id,text,timestamp,username,like_count,hidden"
MEDIA_FIELDS = (f"id,caption,media_type,media_product_type,permalink,shortcode,timestamp,like_count,comments_count,"
                f"thumbnail_url,insights.metric(reach,saved,shares,views,total_interactions){{name,values}},"
                f"comments.limit({PAGE_SIZE}){{{_REPLY},replies.limit({PAGE_SIZE}){{{_REPLY}}}}}")
STORY_METRICS = "reach,replies,views,shares,navigation"
DAY_TOTALS = "views,accounts_engaged,total_interactions,profile_views,website_clicks"
BUTTONS = {"EMAIL": "email_clicks", "CALL": "call_clicks", "TEXT": "text_clicks", "DIRECTION": "direction_clicks"}
VIDEO_EXTENSIONS = (".mp4", ".mov", ".m4v")


class InstagramAdapter(MetaAdapter):
    name: ClassVar[str] = "instagram"
    label: ClassVar[str] = "Instagram"
    color: ClassVar[str] = "#E1306C"
    reads: ClassVar[str] = ("Your professional account's followers, reach, profile visits and link taps per day, "
                            "each reel, photo, carousel and live story with its likes, comments, saves, shares and "
                            "views, comments and replies, and who your followers are and when they are online, to "
                            "show what content grows you. Publishing posts your photos, videos and carousels.")
    connectable: ClassVar[bool] = True
    can_publish: ClassVar[bool] = True
    can_comment: ClassVar[bool] = True
    # "100 API-published posts within a 24-hour moving period" (content_publishing_limit); a
    # carousel counts as one.
    posting_limits: ClassVar[tuple[tuple[int, int], ...]] = ((100, 86_400),)
    can_reply: ClassVar[bool] = True
    can_hide: ClassVar[bool] = True
    hide_limits: ClassVar[str] = "A hidden comment stays visible to its author."
    max_text_length: ClassVar[int | None] = 2200
    # Instagram's announcement of December 2025: "the number of hashtags that you can include in a
    # caption for a reel or post" goes to five (it was 30).
    max_hashtags: ClassVar[int | None] = 5
    # Content publishing (IG User Media reference): JPEG is the only image format, at most 8 MB, from
    # 4:5 to 1.91:1; reels of 3 s to 15 min, at most 300 MB; a carousel holds up to 10 items; no post
    # without media. https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media
    media_rules: ClassVar[MediaRules | None] = MediaRules(
        source="https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media",
        kinds=frozenset({"image", "video"}), max_items=10, image_mimes=frozenset({"image/jpeg"}),
        max_image_bytes=8 * MB, max_video_bytes=300 * MB, min_video_s=3, max_video_s=15 * 60,
        image_aspect=(0.8, 1.91), image_aspect_words="from 4:5 (portrait) to 1.91:1 (landscape)", text_alone=False)
    scopes: ClassVar[tuple[str, ...]] = ("instagram_basic", "instagram_manage_insights", "instagram_manage_comments",
                                         "instagram_content_publish", "pages_show_list", "pages_read_engagement",
                                         "business_management")
    unavailable_metrics: ClassVar[dict[str, str]] = {
        "impressions": "Meta retired impressions for Instagram in Graph API v22; views replaces them.",
        "plays": "Meta retired plays for reels; their views are counted under views.",
    }

    def profile_url(self, username: str) -> str:
        return f"https://www.instagram.com/{username}/"

    # ------------------------------------------------------------ connect
    async def fetch_profile(self, client: httpx.AsyncClient, token: str) -> Profile:
        pages = [p async for p in self.edge(client, "/me/accounts", token, need="pages_show_list", what="Pages",
                                            params={"fields": "id,name,instagram_business_account{id,username}",
                                                    "limit": 100})]
        linked = next((p for p in pages if isinstance(p.get("instagram_business_account"), dict)), None)
        if linked is None:
            raise PermanentError("None of your Facebook Pages has an Instagram professional account linked: link "
                                 "yours to a Page (Instagram app → Settings → Account type and tools), then connect "
                                 "again.")
        ig = str(linked["instagram_business_account"].get("id") or "")
        user = await self.graph(client, f"/{ig}", token, params={"fields": PROFILE_FIELDS}, key=ig,
                                need="instagram_basic")
        if not ig or not isinstance(user, dict) or not user.get("id"):
            raise Malformed(f"{self.label} sent an account we could not read")
        details = {"ig_user_id": ig, "page_id": str(linked.get("id", "")), "page_name": linked.get("name", ""),
                   "account_type": "professional", **{k: user[k] for k in ("biography", "website",
                                                                           "profile_picture_url") if user.get(k)}}
        return Profile(platform_user_id=ig, username=str(user.get("username") or ig),
                       display_name=str(user.get("name") or user.get("username") or ""), details=details)

    @staticmethod
    def _ig(account: AccountRef | None) -> str:
        ig = (account.details.get("ig_user_id") or account.platform_user_id) if account else ""
        if not ig:
            raise PermanentError("This Instagram connection does not name its account: connect it again.")
        return str(ig)

    # ------------------------------------------------------------ collect
    async def collect(self, client: httpx.AsyncClient, token: str, since: date | None = None,
                      account: AccountRef | None = None) -> CollectResult:
        ig = self._ig(account)
        today = datetime.now(UTC).date()
        start = today - timedelta(days=HISTORY_DAYS)
        start = max(start, since) if since else start
        try:
            user = await self.graph(client, f"/{ig}", token, params={"fields": PROFILE_FIELDS}, key=ig,
                                    need="instagram_basic")
            # Account insights first: a refusal there can only be about instagram_manage_insights.
            found = await self._insights(client, token, ig, start, today) if user.get("followers_count") is not None \
                else ({}, {})
            media = await self._media(client, token, ig, since)
            stories = await self._stories(client, token, ig)
            days = self._days(user, media, *found, start, today)
            audience = await self._audience(client, token, ig, user.get("followers_count"))
            posts = [self._post(m) for m in media + stories]
            comments = [c for m in media for c in await self._comments(client, token, ig, m)]
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise Malformed(f"{self.label} sent data we could not read: {type(exc).__name__} {exc}") from exc
        return CollectResult(days=days, posts=posts, comments=comments, audience=audience)

    async def _media(self, client: httpx.AsyncClient, token: str, ig: str, since: date | None) -> list[dict]:
        params: dict[str, Any] = {"fields": MEDIA_FIELDS, "limit": PAGE_SIZE}
        if since:  # new posts, and the last week's again (their numbers keep moving)
            params["since"] = int((datetime.combine(since, datetime.min.time(), UTC) - RECENT).timestamp())
        # instagram_basic was checked by the profile call just before: a refusal here is the comments'.
        return [m async for m in self.edge(client, f"/{ig}/media", token, params=params, key=ig, what="media",
                                           need="instagram_manage_comments")]

    async def _stories(self, client: httpx.AsyncClient, token: str, ig: str) -> list[dict]:
        out = []
        async for s in self.edge(client, f"/{ig}/stories", token, key=ig, what="stories", need="instagram_basic",
                                 params={"fields": "id,media_type,media_product_type,permalink,timestamp,caption"}):
            try:
                s["insights"] = await self.graph(client, f"/{s['id']}/insights", token, key=ig,
                                                 need="instagram_manage_insights", params={"metric": STORY_METRICS})
            except InsightsUnavailable:
                pass  # fewer than five viewers: Meta shows no numbers, nor do we
            out.append({**s, "media_product_type": "STORY"})
        return out

    async def _comments(self, client: httpx.AsyncClient, token: str, ig: str, m: dict) -> list[CommentData]:
        out = []
        nested = m.get("comments")
        if not isinstance(nested, dict):
            return out
        async for c in self.edge(client, "", token, params={}, key=ig, first=nested, what="comments"):
            out.append(self._comment(c, m["id"], ""))
            if isinstance(c.get("replies"), dict):
                async for r in self.edge(client, "", token, params={}, key=ig, first=c["replies"], what="replies"):
                    out.append(self._comment(r, m["id"], str(c["id"])))
        return out

    @staticmethod
    def _comment(c: dict, media_id: str, parent: str) -> CommentData:
        return CommentData(platform_comment_id=str(c["id"]), platform_post_id=str(media_id),
                           posted_at=graph_time(c["timestamp"]), author=str(c.get("username") or ""),
                           text=str(c.get("text") or ""), likes=int(c.get("like_count") or 0),
                           parent_platform_id=parent, hidden=bool(c.get("hidden")))

    def _post(self, m: dict) -> PostData:
        product, media_type = m.get("media_product_type"), m.get("media_type")
        kind = ("story" if product == "STORY" else "reel" if product == "REELS" else
                "carousel" if media_type == "CAROUSEL_ALBUM" else "video" if media_type == "VIDEO" else "photo")
        found = {i["name"]: i["values"][0]["value"] for i in (m.get("insights") or {}).get("data") or []
                 if i.get("values")}
        counts = {"likes": m.get("like_count"), "comments": m.get("comments_count", found.get("replies")),
                  "shares": found.get("shares"), "saves": found.get("saved"), "views": found.get("views"),
                  "reach": found.get("reach")}
        caption = str(m.get("caption") or "")
        details = {"media_type": media_type, "media_product_type": product, "shortcode": m.get("shortcode"),
                   "thumbnail_url": m.get("thumbnail_url"), "total_interactions": found.get("total_interactions"),
                   "navigation": found.get("navigation"),
                   # What Instagram did not give (hidden like counts, no insights yet): shown as unknown, not 0.
                   "unavailable": sorted(k for k, v in counts.items() if v is None) or None}
        return PostData(platform_post_id=str(m["id"]), posted_at=graph_time(m["timestamp"]), post_type=kind,
                        caption=caption, url=str(m.get("permalink") or ""), hashtags=hashtags(caption),
                        **{k: int(v or 0) for k, v in counts.items()},
                        details={k: v for k, v in details.items() if v is not None})

    async def _insights(self, client: httpx.AsyncClient, token: str, ig: str, start: date,
                        today: date) -> tuple[dict, dict[date, dict[str, Any]]]:
        """Reach and new followers as time series; each day's totals (three asks: the plain ones,
        link taps by button, follows and unfollows), newest day first."""
        key, need = ig, "instagram_manage_insights"
        window = {"since": start.isoformat(), "until": (today + timedelta(days=1)).isoformat()}
        found = series(await self.graph(client, f"/{ig}/insights", token, key=key, need=need, params={
            "metric": "reach,follower_count", "period": "day", **window}))
        per_day: dict[date, dict[str, Any]] = {}
        day = today
        while day >= start:
            one = {"since": day.isoformat(), "until": (day + timedelta(days=1)).isoformat(), "period": "day",
                   "metric_type": "total_value"}
            asks = ({"metric": DAY_TOTALS}, {"metric": "profile_links_taps", "breakdown": "contact_button_type"},
                    {"metric": "follows_and_unfollows", "breakdown": "follow_type"})
            plain, taps, follows = [totals(b) for b in await asyncio.gather(*(self.graph(
                client, f"/{ig}/insights", token, key=key, need=need, params={**ask, **one}) for ask in asks))]
            per_day[day] = {**{k: v["value"] for k, v in plain.items()},
                            **self._breakdown(taps, "profile_links_taps", BUTTONS, total="profile_links_taps"),
                            **self._breakdown(follows, "follows_and_unfollows",
                                              {"FOLLOWER": "follows", "NON_FOLLOWER": "unfollows"})}
            day -= timedelta(days=1)
        return found, per_day

    def _days(self, user: dict, media: list[dict], found: dict, per_day: dict[date, dict[str, Any]], start: date,
              today: date) -> list[MetricDay]:
        followers = user.get("followers_count")
        if followers is None:
            return []  # no total to start from: no rows rather than zeros
        media_count = user.get("media_count")
        posted = sorted(graph_time(m["timestamp"]).date() for m in media)
        out, total, day = [], int(followers), today
        while day >= start:
            numbers = per_day[day]
            metrics = {"reach": found.get("reach", {}).get(day),
                       "new_followers": found.get("follower_count", {}).get(day), **numbers}
            if day == today:
                metrics.update(follows_count=user.get("follows_count"), media_count=media_count)
            later = sum(1 for p in posted if p > day)
            out.append(MetricDay(date=day, follower_count=total, engagement_total=int(numbers.get("total_interactions")
                                                                                      or 0),
                                 content_count=max(0, int(media_count) - later) if media_count is not None else 0,
                                 metrics={k: v for k, v in metrics.items() if v is not None}))
            if numbers.get("follows") is None or numbers.get("unfollows") is None:
                break  # without the day's follows and unfollows the earlier totals would be guesses
            total -= int(numbers["follows"]) - int(numbers["unfollows"])
            day -= timedelta(days=1)
        return out

    @staticmethod
    def _breakdown(found: dict, metric: str, names: dict[str, str], total: str = "") -> dict[str, Any]:
        entry = found.get(metric)
        if not entry:
            return {}
        parts = entry.get("breakdowns") or {}
        out = {name: parts[key] for key, name in names.items() if key in parts}
        if total and entry.get("value") is not None:
            out[total] = entry["value"]
        return out

    async def _audience(self, client: httpx.AsyncClient, token: str, ig: str, followers: Any) -> dict | None:
        out: dict[str, Any] = {}
        for breakdown, name in (("age", "age"), ("gender", "gender"), ("country", "countries"), ("city", "cities")):
            found = totals(await self.graph(client, f"/{ig}/insights", token, key=ig, need="instagram_manage_insights",
                                            params={"metric": "follower_demographics", "period": "lifetime",
                                                    "metric_type": "total_value", "breakdown": breakdown}))
            groups = shares((found.get("follower_demographics") or {}).get("breakdowns") or {})
            if groups:
                out[name] = groups
        online = series(await self.graph(client, f"/{ig}/insights", token, key=ig, need="instagram_manage_insights",
                                         params={"metric": "online_followers", "period": "lifetime"}))
        hours = [v for _, v in sorted((online.get("online_followers") or {}).items()) if isinstance(v, dict) and v]
        if hours and followers:
            out["online_hours"] = {str(h): round(float(n) / int(followers), 4) for h, n in hours[-1].items()}
        return out or None

    # ------------------------------------------------------------ publish
    async def publish(self, client: httpx.AsyncClient, token: str, request: PublishRequest,
                      account: AccountRef | None = None) -> PublishResult:
        if not request.media:
            raise PermanentError("Instagram cannot publish text alone: add a photo or a video to this post.")
        if len(request.media) > 10:
            raise PermanentError("An Instagram carousel holds at most 10 photos and videos.")
        ig = self._ig(account)
        if len(request.media) == 1:
            container = await self._container(client, token, ig, request.media[0], caption=request.text)
        else:
            children = [await self._container(client, token, ig, item, child=True) for item in request.media]
            container = await self._create(client, token, ig, {"media_type": "CAROUSEL", "children": ",".join(children),
                                                               "caption": request.text})
        await self._wait(client, token, ig, container)
        done = await self.graph(client, f"/{ig}/media_publish", token, method="POST", key=ig,
                                need="instagram_content_publish", data={"creation_id": container}, sends_effect=True)
        media_id = str(done.get("id") or "") if isinstance(done, dict) else ""
        if not media_id:
            raise OutcomeUnknown(f"{self.label} accepted the post but did not say which it is; check the account")
        try:  # the permalink is a courtesy: the post is live whatever this answers
            found = await self.graph(client, f"/{media_id}", token, key=ig, params={"fields": "permalink"})
            url = str(found.get("permalink") or "")
        except PlatformError:
            url = ""
        return PublishResult(platform_post_id=media_id, url=url)

    async def comment(self, client: httpx.AsyncClient, token: str, platform_post_id: str, text: str,
                      account: AccountRef | None = None, *, idempotency_key: str = "") -> str:
        """`POST /{ig-media-id}/comments?message=...`, answered `{"id": ...}`, with instagram_basic and
        instagram_manage_comments (IG Media Comments reference: https://developers.facebook.com/docs/
        instagram-platform/instagram-graph-api/reference/ig-media/comments). Meta takes no idempotency key."""
        ig = self._ig(account)
        body = await self.graph(client, f"/{platform_post_id}/comments", token, method="POST", key=ig,
                                need="instagram_manage_comments", params={"message": text}, sends_effect=True)
        comment_id = str(body.get("id") or "") if isinstance(body, dict) else ""
        if not comment_id:
            raise OutcomeUnknown(f"{self.label} accepted the comment but did not say which it is; check the post")
        return comment_id

    async def reply(self, client: httpx.AsyncClient, token: str, comment_id: str, text: str,
                    account: AccountRef | None = None, *, thread_id: str = "", idempotency_key: str = "") -> str:
        """`POST /{ig-comment-id}/replies?message=...`, answered `{"id": ...}` (IG Comment Replies
        reference: https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/
        ig-comment/replies). Replies hang on top-level comments only: a reply to a reply goes to its
        thread, as in the app. No idempotency key."""
        ig = self._ig(account)
        body = await self.graph(client, f"/{thread_id or comment_id}/replies", token, method="POST", key=ig,
                                need="instagram_manage_comments", params={"message": text}, sends_effect=True)
        reply_id = str(body.get("id") or "") if isinstance(body, dict) else ""
        if not reply_id:
            raise OutcomeUnknown(f"{self.label} accepted the reply but did not say which it is; check the post")
        return reply_id

    async def hide(self, client: httpx.AsyncClient, token: str, comment_id: str, hidden: bool,
                   account: AccountRef | None = None) -> None:
        """`POST /{ig-comment-id}?hide=true|false`, answered `{"success": true}` (IG Comment reference:
        https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment)."""
        await self.set_hidden(client, comment_id, token, {"hide": "true" if hidden else "false"},
                              key=self._ig(account), need="instagram_manage_comments")

    async def _container(self, client: httpx.AsyncClient, token: str, ig: str, item: dict, *, caption: str = "",
                         child: bool = False) -> str:
        url = str(item.get("url") or "")
        if not url:
            raise PermanentError("A photo or video for Instagram has no address to fetch it from.")
        kind = str(item.get("type") or item.get("mime_type") or "")
        video = "video" in kind or url.lower().split("?")[0].endswith(VIDEO_EXTENSIONS)
        params = {"video_url": url, "media_type": "VIDEO" if child else "REELS"} if video else {"image_url": url}
        if child:
            params["is_carousel_item"] = "true"
        elif caption:
            params["caption"] = caption
        return await self._create(client, token, ig, params)

    async def _create(self, client: httpx.AsyncClient, token: str, ig: str, params: dict) -> str:
        body = await self.graph(client, f"/{ig}/media", token, method="POST", data=params, key=ig,
                                need="instagram_content_publish")
        if not isinstance(body, dict) or not body.get("id"):
            raise Malformed(f"{self.label} created a media container without an id")
        return str(body["id"])

    async def _wait(self, client: httpx.AsyncClient, token: str, ig: str, container: str) -> None:
        """Until the container is ready (videos take a while); nothing is posted yet."""
        for _ in range(STATUS_POLLS):
            body = await self.graph(client, f"/{container}", token, key=ig, params={"fields": "status_code,status"})
            status = str((body or {}).get("status_code") or "")
            if status in ("FINISHED", "PUBLISHED"):
                return
            if status in ("ERROR", "EXPIRED"):
                raise PermanentError(f"{self.label} could not use the media ({status.lower()}): "
                                     f"{body.get('status') or 'no reason given'}")
            await asyncio.sleep(POLL_SECONDS)
        raise TransientError(f"{self.label} is still processing the media; trying again later")


ADAPTER = InstagramAdapter
