"""Facebook Pages: the artist's Page through the Pages API of the Graph API (the Graph plumbing
shared with Instagram is in platforms/meta.py).

Connect picks the Page the person manages (from /me/accounts; the one they can analyse, the most
followed if several). Collect asks for the Page access token each time (it is never stored),
then reads the Page's followers and fans; its daily insights, 90 days per call (views, reach,
post engagements, Page views, follows and unfollows, video views, and page_follows, the day's
follower total, which gives the follower history); its posts with reactions, comments (with
replies and the hidden flag) and shares counted in the same call, and their views and reach; its
videos with their views. Publishing: a text post to /feed, a photo to /photos or a video to
/videos, with the Page token; one call each, the one that posts. The first comment goes to the
post's /comments as the Page.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar

import httpx

from dreamsuite.platforms.base import (
    AccountRef, CollectResult, CommentData, Malformed, MetricDay, OutcomeUnknown, PermanentError, PostData, Profile,
    PublishRequest, PublishResult,
)
from dreamsuite.platforms.media_rules import MB, MediaRules
from dreamsuite.platforms.meta import MetaAdapter, graph_time, hashtags, series

PAGE_SIZE = 25
HISTORY = timedelta(days=729)  # Meta keeps two years of Page insights
WINDOW = 90  # days of insights one call may ask for
RECENT = timedelta(days=7)  # posts re-read on each sync: reactions keep arriving
PAGE_METRICS = {"page_media_view": "views", "page_total_media_view_unique": "reach",
                "page_post_engagements": "post_engagements", "page_views_total": "page_views",
                "page_daily_follows_unique": "new_follows", "page_daily_unfollows_unique": "unfollows",
                "page_video_views": "video_views"}
_COMMENT = "id,message,created_time,from,like_count,is_hidden"
POST_FIELDS = (f"id,message,created_time,permalink_url,status_type,full_picture,shares,"
               f"reactions.summary(total_count).limit(0),"
               f"comments.limit({PAGE_SIZE}).summary(total_count){{{_COMMENT},comments.limit({PAGE_SIZE}){{{_COMMENT}}}}},"
               f"insights.metric(post_media_view,post_total_media_view_unique){{name,values}}")
VIDEO_FIELDS = "id,title,description,created_time,length,permalink_url,views,post_id"
KINDS = {"added_photos": "photo", "added_video": "video", "shared_story": "link"}
VIDEO_EXTENSIONS = (".mp4", ".mov", ".m4v")


class FacebookAdapter(MetaAdapter):
    name: ClassVar[str] = "facebook"
    label: ClassVar[str] = "Facebook"
    color: ClassVar[str] = "#1877F2"
    reads: ClassVar[str] = ("Your Page's followers and fans, its views, reach, engagement and follows per day, and "
                            "each post and video with its reactions, comments and shares, to compare your Page with "
                            "your other channels. Publishing posts text, a photo or a video to your Page.")
    connectable: ClassVar[bool] = True
    can_publish: ClassVar[bool] = True
    can_comment: ClassVar[bool] = True
    can_reply: ClassVar[bool] = True  # a comment under the comment, as the Page
    can_hide: ClassVar[bool] = True
    hide_limits: ClassVar[str] = "A hidden comment stays visible to its author and their friends."
    max_text_length: ClassVar[int | None] = 63206
    # Page posts: text alone, or one photo or one video (publish() sends one). Photos as JPEG, PNG or
    # GIF up to 10 MB (Meta's Page photo specification, which also lists BMP and TIFF); videos through
    # the Video API, whose limits Meta gives per Page (video_upload_limits): the library's own cap holds.
    # https://developers.facebook.com/docs/graph-api/reference/page/photos/ ,
    # https://developers.facebook.com/docs/page-stories-api (photo specifications),
    # https://developers.facebook.com/docs/video-api/guides/publishing
    media_rules: ClassVar[MediaRules | None] = MediaRules(
        source="https://developers.facebook.com/docs/graph-api/reference/page/photos/",
        kinds=frozenset({"image", "video"}), max_items=1,
        image_mimes=frozenset({"image/jpeg", "image/png", "image/gif"}), max_image_bytes=10 * MB)
    # pages_manage_engagement: the first comment under a post (Pages API, Comments and @mentions).
    scopes: ClassVar[tuple[str, ...]] = ("pages_show_list", "pages_read_engagement", "pages_read_user_content",
                                         "pages_manage_posts", "pages_manage_engagement", "read_insights",
                                         "business_management")
    unavailable_metrics: ClassVar[dict[str, str]] = {
        "impressions": "Meta retired Page and post impressions in November 2025; views replace them.",
        "saves": "Facebook does not report saves of Page posts.",
    }

    def profile_url(self, username: str) -> str:
        return f"https://www.facebook.com/{username}"

    # ------------------------------------------------------------ connect
    async def fetch_profile(self, client: httpx.AsyncClient, token: str) -> Profile:
        pages = [p async for p in self.edge(client, "/me/accounts", token, need="pages_show_list", what="Pages",
                                            params={"fields": "id,name,username,link,category,followers_count,tasks",
                                                    "limit": 100})]
        usable = [p for p in pages if p.get("id") and "ANALYZE" in (p.get("tasks") or ["ANALYZE"])]
        if not usable:
            raise PermanentError("You manage no Facebook Page this app may read: create a Page or ask its admin for "
                                 "access, then connect again.")
        page = max(usable, key=lambda p: p.get("followers_count") or 0)
        details = {"page_id": str(page["id"]), "page_name": page.get("name", ""), "category": page.get("category"),
                   "link": page.get("link")}
        return Profile(platform_user_id=str(page["id"]), username=str(page.get("username") or page["id"]),
                       display_name=str(page.get("name") or ""), details={k: v for k, v in details.items() if v})

    @staticmethod
    def _page(account: AccountRef | None) -> str:
        page = (account.details.get("page_id") or account.platform_user_id) if account else ""
        if not page:
            raise PermanentError("This Facebook connection does not name its Page: connect it again.")
        return str(page)

    # ------------------------------------------------------------ collect
    async def collect(self, client: httpx.AsyncClient, token: str, since: date | None = None,
                      account: AccountRef | None = None) -> CollectResult:
        page_id = self._page(account)
        key = page_id
        page_token = await self.page_token(client, token, page_id, key)
        today = datetime.now(UTC).date()
        try:
            page = await self.graph(client, f"/{page_id}", page_token, key=key, need="pages_read_engagement",
                                    params={"fields": "id,name,followers_count,fan_count,link"})
            found = await self._insights(client, page_token, page_id, since or today - HISTORY, today)
            cutoff = datetime.combine(since, datetime.min.time(), UTC) - RECENT if since else None
            posts = [p async for p in self.edge(client, f"/{page_id}/posts", page_token, key=key, what="posts",
                                                need="pages_read_engagement", params={
                                                    "fields": POST_FIELDS, "limit": PAGE_SIZE,
                                                    **({"since": int(cutoff.timestamp())} if cutoff else {})})]
            # The whole list, light, for how many posts the Page had each day.
            listed = posts if cutoff is None else [p async for p in self.edge(
                client, f"/{page_id}/posts", page_token, key=key, what="posts", need="pages_read_engagement",
                params={"fields": "id,created_time", "limit": 100})]
            videos = await self._videos(client, page_token, page_id, cutoff)
            result = CollectResult(days=self._days(page, found, listed, since or today - HISTORY, today),
                                   posts=self._posts(posts, videos))
            for post in posts:
                result.comments += await self._comments(client, page_token, key, post)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise Malformed(f"{self.label} sent data we could not read: {type(exc).__name__} {exc}") from exc
        return result

    async def _insights(self, client: httpx.AsyncClient, token: str, page_id: str, start: date,
                        today: date) -> dict[str, dict[date, Any]]:
        out: dict[str, dict[date, Any]] = {}
        metrics = ",".join([*PAGE_METRICS, "page_follows"])
        begin = start
        while begin <= today:
            end = min(today + timedelta(days=1), begin + timedelta(days=WINDOW))
            found = series(await self.graph(client, f"/{page_id}/insights", token, key=page_id, need="read_insights",
                                            params={"metric": metrics, "period": "day", "since": begin.isoformat(),
                                                    "until": end.isoformat()}))
            for name, days in found.items():
                out.setdefault(name, {}).update(days)
            begin = end
        return out

    async def _videos(self, client: httpx.AsyncClient, token: str, page_id: str,
                      cutoff: datetime | None) -> list[dict]:
        out = []
        async for v in self.edge(client, f"/{page_id}/videos", token, key=page_id, what="videos",
                                 need="pages_read_engagement", params={"fields": VIDEO_FIELDS, "limit": PAGE_SIZE}):
            if cutoff and graph_time(v["created_time"]) < cutoff:
                break  # newest first: the rest is older than this sync needs
            out.append(v)
        return out

    def _days(self, page: dict, found: dict[str, dict[date, Any]], listed: list[dict], start: date,
              today: date) -> list[MetricDay]:
        follows = found.get("page_follows", {})
        posted = sorted(graph_time(p["created_time"]).date() for p in listed)
        out = []
        day = start
        while day <= today:
            total = page.get("followers_count") if day == today else follows.get(day)
            if total is not None:  # a day without its follower total is left out, never written as 0
                metrics = {name: found.get(metric, {}).get(day) for metric, name in PAGE_METRICS.items()}
                if day == today:
                    metrics["fan_count"] = page.get("fan_count")
                out.append(MetricDay(date=day, follower_count=int(total),
                                     engagement_total=int(metrics.get("post_engagements") or 0),
                                     content_count=sum(1 for d in posted if d <= day),
                                     metrics={k: v for k, v in metrics.items() if v is not None}))
            day += timedelta(days=1)
        return out

    def _posts(self, posts: list[dict], videos: list[dict]) -> list[PostData]:
        by_post = {str(v.get("post_id")): v for v in videos if v.get("post_id")}
        out = []
        for p in posts:
            video = by_post.pop(str(p["id"]), None)
            found = {i["name"]: i["values"][0]["value"] for i in (p.get("insights") or {}).get("data") or []
                     if i.get("values")}
            reactions = ((p.get("reactions") or {}).get("summary") or {}).get("total_count")
            comments = ((p.get("comments") or {}).get("summary") or {}).get("total_count")
            views = found.get("post_media_view")
            caption = str(p.get("message") or "")
            details = {"status_type": p.get("status_type"), "picture": p.get("full_picture"),
                       **({"video_id": video["id"], "video_views": video.get("views"), "length": video.get("length"),
                           "title": video.get("title")} if video else {}),
                       "unavailable": sorted(k for k, v in (("likes", reactions), ("comments", comments),
                                                            ("views", views)) if v is None) or None}
            out.append(PostData(
                platform_post_id=str(p["id"]), posted_at=graph_time(p["created_time"]),
                post_type=KINDS.get(str(p.get("status_type")), "post"), caption=caption,
                url=str(p.get("permalink_url") or ""), likes=int(reactions or 0), comments=int(comments or 0),
                # Meta leaves `shares` out when nobody shared: that absence is a real zero.
                shares=int((p.get("shares") or {}).get("count") or 0), views=int(views or 0),
                reach=int(found.get("post_total_media_view_unique") or 0), hashtags=hashtags(caption),
                details={k: v for k, v in details.items() if v is not None}))
        for v in by_post.values():  # a video that is not (or no longer) a post of the Page
            text = str(v.get("description") or v.get("title") or "")
            out.append(PostData(platform_post_id=f"video:{v['id']}", posted_at=graph_time(v["created_time"]),
                                post_type="video", caption=text, url=str(v.get("permalink_url") or ""),
                                views=int(v.get("views") or 0), hashtags=hashtags(text),
                                details={"length": v.get("length"), "title": v.get("title")}))
        return out

    async def _comments(self, client: httpx.AsyncClient, token: str, key: str, post: dict) -> list[CommentData]:
        out: list[CommentData] = []
        if not isinstance(post.get("comments"), dict):
            return out
        async for c in self.edge(client, "", token, params={}, key=key, first=post["comments"], what="comments"):
            out.append(self._comment(c, post["id"], ""))
            if isinstance(c.get("comments"), dict):
                async for r in self.edge(client, "", token, params={}, key=key, first=c["comments"], what="replies"):
                    out.append(self._comment(r, post["id"], str(c["id"])))
        return out

    @staticmethod
    def _comment(c: dict, post_id: str, parent: str) -> CommentData:
        return CommentData(platform_comment_id=str(c["id"]), platform_post_id=str(post_id),
                           posted_at=graph_time(c["created_time"]), author=str((c.get("from") or {}).get("name") or ""),
                           text=str(c.get("message") or ""), likes=int(c.get("like_count") or 0),
                           parent_platform_id=parent, hidden=bool(c.get("is_hidden")))

    # ------------------------------------------------------------ publish
    async def publish(self, client: httpx.AsyncClient, token: str, request: PublishRequest,
                      account: AccountRef | None = None) -> PublishResult:
        if len(request.media) > 1:
            raise PermanentError("A Facebook post from Dream Suite carries one photo or one video.")
        page_id = self._page(account)
        page_token = await self.page_token(client, token, page_id, page_id)
        if not request.media:
            edge, data = "feed", {"message": request.text}
        else:
            url = str(request.media[0].get("url") or "")
            kind = str(request.media[0].get("type") or request.media[0].get("mime_type") or "")
            if "video" in kind or url.lower().split("?")[0].endswith(VIDEO_EXTENSIONS):
                edge, data = "videos", {"file_url": url, "description": request.text}
            else:
                edge, data = "photos", {"url": url, "caption": request.text}
        body = await self.graph(client, f"/{page_id}/{edge}", page_token, method="POST", data=data, key=page_id,
                                need="pages_manage_posts", sends_effect=True)
        post_id = str((body or {}).get("post_id") or (body or {}).get("id") or "") if isinstance(body, dict) else ""
        if not post_id:
            raise OutcomeUnknown(f"{self.label} accepted the post but did not say which it is; check the Page")
        page, _, number = post_id.partition("_")
        url = f"https://www.facebook.com/{page}/posts/{number}" if number else f"https://www.facebook.com/{post_id}"
        return PublishResult(platform_post_id=post_id, url=url)

    async def comment(self, client: httpx.AsyncClient, token: str, platform_post_id: str, text: str,
                      account: AccountRef | None = None, *, idempotency_key: str = "") -> str:
        """`POST /{post-id}/comments` with `message`, as the Page (its access token, pages_manage_engagement),
        answered `{"id": ...}` (Graph API /{object-id}/comments: https://developers.facebook.com/docs/
        graph-api/reference/object/comments; Pages API, Comments and @mentions:
        https://developers.facebook.com/documentation/pages-api/comments-mentions). No idempotency key."""
        page_id = self._page(account)
        page_token = await self.page_token(client, token, page_id, page_id)
        body = await self.graph(client, f"/{platform_post_id}/comments", page_token, method="POST", key=page_id,
                                data={"message": text}, need="pages_manage_engagement", sends_effect=True)
        comment_id = str(body.get("id") or "") if isinstance(body, dict) else ""
        if not comment_id:
            raise OutcomeUnknown(f"{self.label} accepted the comment but did not say which it is; check the Page")
        return comment_id


    async def reply(self, client: httpx.AsyncClient, token: str, comment_id: str, text: str,
                    account: AccountRef | None = None, *, thread_id: str = "", idempotency_key: str = "") -> str:
        """A comment under the comment (`POST /{comment-id}/comments`, as `comment()` does). Facebook's
        threads are one level deep: a reply to a reply goes under the thread's top-level comment."""
        return await self.comment(client, token, thread_id or comment_id, text, account,
                                  idempotency_key=idempotency_key)

    async def hide(self, client: httpx.AsyncClient, token: str, comment_id: str, hidden: bool,
                   account: AccountRef | None = None) -> None:
        """`POST /{comment-id}` with `is_hidden=true|false`, as the Page (its token,
        pages_manage_engagement), answered `{"success": true}` (Graph API Comment reference:
        https://developers.facebook.com/docs/graph-api/reference/comment/#Updating)."""
        page_id = self._page(account)
        page_token = await self.page_token(client, token, page_id, page_id)
        await self.set_hidden(client, comment_id, page_token, {"is_hidden": "true" if hidden else "false"},
                              key=page_id, need="pages_manage_engagement")


ADAPTER = FacebookAdapter
