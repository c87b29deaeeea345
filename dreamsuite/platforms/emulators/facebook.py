"""Facebook Pages, emulated: the Pages API of the Graph API in Meta's documented shapes (the shared
Graph plumbing is in emulators/meta.py).

Each person who logs in manages one Page (`/me/accounts` lists it with its Page access token).
The Page node has followers_count and fan_count; `/posts` lists its posts newest first (since/until,
cursor paging) with `shares` (left out when nobody shared), `reactions.summary(total_count)`,
`comments{...,comments{...}}` (replies, is_hidden, `from` only for a Page token) and
`insights.metric(post_media_view,...)`; `/videos` its videos with their views; `/insights` the
daily Page metrics Meta still serves after the 2025 retirements (page_media_view,
page_total_media_view_unique, page_post_engagements, page_views_total, page_follows,
page_daily_follows_unique, page_daily_unfollows_unique, page_video_views; page_impressions and
page_fans are errors now), at most 90 days per call. Posts, Page insights, videos and publishing
need the Page access token: a user token gets (#210). Publishing: POST /feed (message) and POST
/photos (url + caption) and /videos (file_url + description); POST /{post-id}/comments (message) comments
as the Page (Page token, pages_manage_engagement), POST /{comment-id}/comments replies under a comment,
and POST /{comment-id} (is_hidden) hides a fan's comment or shows it again (the collected is_hidden follows).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from dreamsuite.platforms.emulators.core import ApiError
from dreamsuite.platforms.emulators.meta import Field, MetaEmulator, end_time, graph_time, number_id
from dreamsuite.platforms.emulators.store import Account
from dreamsuite.platforms.emulators.story import rng

P = "facebook"
STATUS = {"post": "mobile_status_update", "photo": "added_photos", "video": "added_video"}
PAGE_METRICS = {"page_media_view": "views", "page_total_media_view_unique": "reach",
                "page_post_engagements": "total_interactions", "page_views_total": "profile_views",
                "page_daily_follows_unique": "follows", "page_daily_unfollows_unique": "unfollows",
                "page_video_views": "video_views", "page_follows": None}
RETIRED = {"page_impressions", "page_impressions_unique", "page_fans", "page_fan_adds", "page_fan_removes",
           "page_engaged_users", "page_impressions_paid", "post_impressions", "post_impressions_unique"}
POST_KEYS = ("id", "message", "created_time", "status_type", "permalink_url", "full_picture", "shares", "is_hidden",
             "is_published")
POST_METRICS = {"post_media_view", "post_total_media_view_unique", "post_clicks", "post_reactions_by_type_total",
                "post_video_views"}


class FacebookEmulator(MetaEmulator):
    platform = "facebook"
    label = "Facebook"
    scopes = ("pages_show_list", "pages_read_engagement", "pages_read_user_content", "pages_manage_posts",
              "pages_manage_engagement", "read_insights", "business_management")
    rate_error = (80001, "There have been too many calls to this Page account. Wait a bit and try again.")
    buc_type = "pages"

    def business_id(self, account_id: str) -> str:
        return self.page_id(account_id)

    def page_of(self, account: Account, claims) -> tuple[dict, dict]:
        scalars, edges = super().page_of(account, claims)
        s = self.story_of(account)
        followers = s.followers(P, self.today())
        scalars.update(followers_count=followers, fan_count=int(followers * 0.93),
                       about=f"Official Page of {account.name}.")
        return scalars, edges

    # ---------------------------------------------------------------- the Page's posts
    def _posts(self, account: Account) -> list[dict]:
        s, pid, now = self.story_of(account), self.page_id(account.id), datetime.now(UTC)
        out = []
        for p in s.posts(P, self.today()):
            if p.posted_at > now:
                continue
            num = number_id("post", account.id, p.id)
            out.append({"id": f"{pid}_{num}", "message": p.caption, "created_time": graph_time(p.posted_at),
                        "status_type": STATUS[p.type], "permalink_url": f"https://www.facebook.com/{pid}/posts/{num}",
                        "full_picture": f"https://scontent.xx.fbcdn.net/v/{num}.jpg" if p.type != "post" else None,
                        "shares": {"count": p.shares} if p.shares else None, "is_hidden": False, "is_published": True,
                        "_post": p, "_video": number_id("video", account.id, p.id) if p.type == "video" else None})
        out += [{**dict.fromkeys(POST_KEYS), **p, "_post": None} for p in self.store.posts(P, account.id)]
        made = self.store.get(f"{P}:comments:{account.id}", {})  # comments made through the API, by post
        for post in out:
            post["_made"] = made.get(post["id"], [])
        return sorted(out, key=lambda x: x["created_time"], reverse=True)

    def _comments(self, account: Account, post: dict) -> list[dict]:
        p = post["_post"]
        pid = self.page_id(account.id)
        out = []
        for c in self.story_of(account).comments(P, p, self.today()) if p is not None else []:
            cid = f"{post['id'].split('_')[1]}_{number_id('comment', account.id, c.id)}"
            who = {"name": account.name, "id": pid} if c.author == "artist" else \
                {"name": c.author.replace(".", " ").replace("_", " ").title(), "id": number_id("fan", c.author)}
            parent = (f"{post['id'].split('_')[1]}_{number_id('comment', account.id, c.parent_id)}"
                      if c.parent_id else "")
            out.append({"id": cid, "message": c.text, "created_time": graph_time(c.created_at), "from": who,
                        "like_count": c.likes, "is_hidden": rng(c.id, "hidden").random() < 0.1, "_parent": parent,
                        "comment_count": 0})
        out += list(post.get("_made") or [])
        hidden = self.store.get(f"{P}:hidden:{account.id}", {})  # hidden or shown through the API
        for c in out:
            c["comment_count"] = sum(1 for r in out if r["_parent"] == c["id"])
            c["is_hidden"] = hidden.get(c["id"], c["is_hidden"])
        return out

    def render_post(self, request: Request, account: Account, post: dict, fields, claims, scopes) -> dict:
        p = post["_post"]
        scalars = {k: v for k, v in post.items() if not k.startswith("_")}
        page_token = claims.kind == "page"

        def comments(f: Field) -> dict:
            self._need(scopes, "pages_read_user_content")
            every = self._comments(account, post)
            top = [c for c in every if not c["_parent"]]
            return self.paged(request, top, f"{post['id']}/comments", lambda c, sub: self.render_comment(
                request, c, [r for r in every if r["_parent"] == c["id"]], sub, page_token), field=f,
                summary={"order": "chronological", "can_comment": True,
                         "total_count": (p.comments if p else 0) + len(post.get("_made") or [])}
                if "summary" in f.mods else None)

        def reactions(f: Field) -> dict:
            likes = p.likes if p else 0
            fans = [{"id": number_id("fan", i), "name": f"Fan {i}", "type": "LIKE"} for i in range(min(likes, 100))]
            summary = {"total_count": likes, "viewer_reaction": "NONE"} if "summary" in f.mods else None
            return self.paged(request, fans, f"{post['id']}/reactions",
                              lambda r, sub: self.render("Reaction", r, {}, sub), field=f, summary=summary)

        edges = {"comments": comments, "reactions": reactions,
                 "insights": lambda f: self.post_insights(post, f.mods.get("metric", ""), scopes)}
        return self.render("Post", scalars, edges, fields)

    def render_comment(self, request: Request, c: dict, replies: list[dict], fields, page_token: bool) -> dict:
        scalars = {k: v for k, v in c.items() if not k.startswith("_")}
        if not page_token:  # who commented is only shown to the Page itself
            scalars["from"] = None
        edges = {"comments": lambda f: self.paged(request, replies, f"{c['id']}/comments",
                                                  lambda r, sub: self.render_comment(request, r, [], sub, page_token),
                                                  field=f)}
        return self.render("Comment", scalars, edges, fields)

    def post_insights(self, post: dict, metric_text: str, scopes) -> dict:
        self._need(scopes, "read_insights")
        names = [n.strip() for n in metric_text.split(",") if n.strip()]
        for n in names:
            if n not in POST_METRICS:
                raise self.bad_param("The value must be a valid insights metric")
        p = post["_post"]
        if p is None:
            return {"data": []}
        values = {"post_media_view": p.views, "post_total_media_view_unique": p.reach, "post_clicks": p.reach // 25,
                  "post_reactions_by_type_total": {"like": int(p.likes * 0.8), "love": p.likes - int(p.likes * 0.8)},
                  "post_video_views": p.views if p.type == "video" else 0}
        return {"data": [self.insight(post["id"], n, "lifetime", values=[{"value": values[n]}]) for n in names]}

    def _need(self, scopes, permission: str) -> None:
        if permission not in scopes:
            raise ApiError(self.missing(permission))

    def _videos(self, account: Account, posts: list[dict]) -> list[dict]:
        out = []
        for post in posts:
            if post.get("_video") or post.get("status_type") == "added_video":
                p = post["_post"]
                out.append({"id": post.get("_video") or post.get("video_id"), "title": (p.caption.split(" #")[0] if p
                            else post.get("message")), "description": post.get("message"),
                            "created_time": post["created_time"], "length": float(p.duration_s) if p else None,
                            "permalink_url": post["permalink_url"].replace("/posts/", "/videos/"),
                            "views": p.views if p else 0, "post_id": post["id"]})
        return out

    # ---------------------------------------------------------------- routes
    async def route(self, request: Request, segs: list[str]) -> Response:
        caller, claims = await self.who(request, kinds=("access", "page"))
        account, head, rest = caller.account, segs[0], segs[1:]
        pid = self.page_id(account.id)
        if head == pid:
            if not rest:
                if request.method != "GET":
                    raise self.bad_param("Unsupported method")
                scalars, edges = self.page_of(account, claims)
                fields = self.fields_of(request.query_params.get("fields"))
                if any(f.name not in ("id", "name", "access_token") for f in fields or []):
                    self._need(caller.scopes, "pages_read_engagement")
                if claims.kind == "page":
                    scalars["access_token"] = None
                return JSONResponse(self.render("Page", scalars, edges, fields))
            if claims.kind != "page":
                raise ApiError(self.graph_error(400, 210, "(#210) A page access token is required to request this "
                                                          "resource."))
            if request.method == "POST" and rest in (["feed"], ["photos"], ["videos"]):
                return await self.publish(request, caller, account, rest[0])
            self._need(caller.scopes, "pages_read_engagement")
            if rest == ["insights"] or (len(rest) == 2 and rest[0] == "insights"):
                self._need(caller.scopes, "read_insights")
                return JSONResponse(await self.store.call(self.page_insights, request, account, rest[1:]))
            if rest in (["posts"], ["feed"], ["published_posts"], ["videos"]):
                posts = await self.store.call(self._posts, account)
                posts = self._between(request, posts)
                if rest == ["videos"]:
                    return JSONResponse(self.paged(request, self._videos(account, posts), f"{pid}/videos",
                                                   lambda v, f: self.render("Video", v, {}, f)))
                return JSONResponse(self.paged(request, posts, f"{pid}/{rest[0]}", lambda post, f: self.render_post(
                    request, account, post, f, claims, caller.scopes)))
        if rest == ["comments"] and request.method == "POST":
            post = next((p for p in await self.store.call(self._posts, account)
                         if head in (p["id"], p.get("video_id"))), None)
            if post is not None:
                return await self.create_comment(request, caller, claims, account, post)
        if "_" in head and not head.startswith(pid + "_") and request.method == "POST" and rest in ([], ["comments"]):
            found = await self.store.call(self._comment_by_id, account, head)
            if found is not None:
                if rest:  # a reply: a comment under the comment
                    return await self.create_comment(request, caller, claims, account, found[0], parent=found[1])
                return await self.set_hidden(request, caller, claims, account, found[1])
        if head.startswith(pid + "_") and not rest:
            post = next((p for p in await self.store.call(self._posts, account) if p["id"] == head), None)
            if post is not None:
                return JSONResponse(self.render_post(request, account, post, self.fields_of(
                    request.query_params.get("fields")), claims, caller.scopes))
        raise ApiError(self.no_object(head))

    def _between(self, request: Request, items: list[dict]) -> list[dict]:
        lo, hi = self.day_param(request, "since"), self.day_param(request, "until")
        raw_lo, raw_hi = request.query_params.get("since", ""), request.query_params.get("until", "")
        out = []
        for item in items:
            at = datetime.strptime(item["created_time"], "%Y-%m-%dT%H:%M:%S%z")
            if raw_lo.isdigit() and at.timestamp() < int(raw_lo) or raw_hi.isdigit() and at.timestamp() > int(raw_hi):
                continue
            if (lo and not raw_lo.isdigit() and at.date() < lo) or (hi and not raw_hi.isdigit() and at.date() >= hi):
                continue
            out.append(item)
        return out

    def page_insights(self, request: Request, account: Account, path_metric: list[str]) -> dict:
        names = path_metric or self.metrics_param(request)
        for n in names:
            if n in RETIRED or n not in PAGE_METRICS:
                raise self.bad_param("The value must be a valid insights metric")
        if request.query_params.get("period", "day") != "day":
            raise self.bad_param("These metrics are only available with period=day")
        days = self.window(request, max_days=90)
        if days[0] < self.today() - timedelta(days=730):
            raise self.bad_param("Insights are kept for two years: since is too far back")
        s, pid = self.story_of(account), self.page_id(account.id)
        if s.followers(P, self.today()) < 100:  # Meta keeps no insights for Pages under 100 likes
            return {"data": []}

        def value(name: str):
            key = PAGE_METRICS[name]
            return lambda d: (s.followers(P, d) or None) if key is None else s.account_day(P, d).get(key)

        base = f"{self.api_base(request)}/{pid}/insights?metric={','.join(names)}&period=day"
        span = timedelta(days=len(days))
        return {"data": [self.insight(pid, n, "day", values=self.daily(days, value(n))) for n in names],
                "paging": {"previous": f"{base}&since={(days[0] - span).isoformat()}&until={days[0].isoformat()}",
                           "next": f"{base}&since={end_time(days[-1])[:10]}&until="
                                   f"{(days[-1] + span + timedelta(days=1)).isoformat()}"}}

    # ---------------------------------------------------------------- publishing
    def _comment_by_id(self, account: Account, comment_id: str) -> tuple[dict, dict] | None:
        """(post, comment) of one of the Page's comments."""
        for post in self._posts(account):
            for c in self._comments(account, post):
                if c["id"] == comment_id:
                    return post, c
        return None

    def _page_write(self, claims, caller) -> None:
        if claims.kind != "page":
            raise ApiError(self.graph_error(400, 210, "(#210) A page access token is required to request this "
                                                      "resource."))
        self._need(caller.scopes, "pages_manage_engagement")

    async def set_hidden(self, request: Request, caller, claims, account: Account, comment: dict) -> Response:
        """POST /{comment-id} (is_hidden=true|false): hide a comment on the Page or show it again, as the
        Page; answers {"success": true}."""
        self._page_write(claims, caller)
        p = {k: str(v) for k, v in request.query_params.items()}
        p.update({k: str(v) for k, v in (await request.form()).items()})
        value = p.get("is_hidden", "").lower()
        if value not in ("true", "false"):
            raise self.bad_param("Param is_hidden must be a boolean")
        if comment["from"]["id"] == self.page_id(account.id):
            raise ApiError(self.graph_error(400, 100, "(#100) The Page's own comments cannot be hidden"))
        await self.store.call(self._remember_hidden, account.id, comment["id"], value == "true")
        return JSONResponse({"success": True})

    def _remember_hidden(self, account_id: str, comment_id: str, hidden: bool) -> None:
        found = self.store.get(f"{P}:hidden:{account_id}", {})
        self.store.put(f"{P}:hidden:{account_id}", {**found, comment_id: hidden})

    async def create_comment(self, request: Request, caller, claims, account: Account, post: dict,
                             parent: dict | None = None) -> Response:
        """POST /{post-id}/comments (message): a comment as the Page, with its Page token and
        pages_manage_engagement; answers {"id"}. On a comment id: a reply under that comment (one
        level deep: a reply to a reply joins its parent's thread, as on Facebook)."""
        self._page_write(claims, caller)
        p = {k: str(v) for k, v in request.query_params.items()}
        p.update({k: str(v) for k, v in (await request.form()).items()})
        message = p.get("message", "")
        if not message.strip() and not p.get("attachment_url"):
            raise self.bad_param("Param message or attachment_url is required")
        pid = self.page_id(account.id)
        cid = f"{post['id'].split('_')[-1]}_{number_id('api-comment', account.id, secrets.token_hex(8))}"
        comment = {"id": cid, "message": message, "created_time": graph_time(datetime.now(UTC)),
                   "from": {"name": account.name, "id": pid}, "like_count": 0, "is_hidden": False,
                   "_parent": (parent["_parent"] or parent["id"]) if parent else "", "comment_count": 0}
        await self.store.call(self._add_comment, account.id, post["id"], comment)
        await self.control.after_effect(request.url.path[len(request.scope.get("root_path", "")):])
        return JSONResponse({"id": cid})

    def _add_comment(self, account_id: str, post_id: str, comment: dict) -> None:
        made = self.store.get(f"{P}:comments:{account_id}", {})
        made.setdefault(post_id, []).append(comment)
        self.store.put(f"{P}:comments:{account_id}", made)

    async def publish(self, request: Request, caller, account: Account, edge: str) -> Response:
        self._need(caller.scopes, "pages_manage_posts")
        p = {k: str(v) for k, v in request.query_params.items()}
        p.update({k: str(v) for k, v in (await request.form()).items()})
        pid, num = self.page_id(account.id), number_id("published", account.id, secrets.token_hex(8))
        text = p.get("message") or p.get("caption") or p.get("description") or ""
        url = p.get("url") or p.get("file_url") or ""
        if edge == "feed" and not (text or p.get("link")):
            raise self.bad_param("Param message or link is required")
        if edge != "feed" and not url.startswith(("https://", "http://")):
            raise ApiError(self.graph_error(400, 324, "(#324) Requires upload file"))
        post: dict[str, Any] = {
            "id": f"{pid}_{num}", "message": text or None, "created_time": graph_time(datetime.now(UTC)),
            "status_type": {"feed": "mobile_status_update", "photos": "added_photos", "videos": "added_video"}[edge],
            "permalink_url": f"https://www.facebook.com/{pid}/posts/{num}", "is_hidden": False, "is_published": True,
            "full_picture": url if edge == "photos" else None}
        if edge == "videos":
            post["video_id"] = number_id("video", account.id, num)
        await self.store.call(self.store.save_post, P, account.id, post)
        await self.control.after_effect(request.url.path[len(request.scope.get("root_path", "")):])
        if edge == "photos":
            return JSONResponse({"id": number_id("photo", account.id, num), "post_id": post["id"]})
        return JSONResponse({"id": post.get("video_id") or post["id"]})


EMULATOR = FacebookEmulator
