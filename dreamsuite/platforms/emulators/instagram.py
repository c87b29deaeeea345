"""Instagram, emulated: the Instagram Graph API for professional accounts (Facebook Login), in
Meta's documented shapes (the shared Graph plumbing is in emulators/meta.py).

Each person who logs in has one Facebook Page with an Instagram professional account linked
(`/me/accounts?fields=instagram_business_account`). The IG user node has followers_count,
follows_count, media_count, biography...; `/media` lists reels, photos and carousels newest first
(since/until filters, cursor paging, nested `insights.metric(...)`, `comments{...,replies{...}}`,
`children`), `/stories` the stories of the last 24 hours. `/insights` follows the current rules:
time series (`reach`, `follower_count` = new followers per day, last 30 days only) at most 30 days
per call; `views`, `profile_views`, `profile_links_taps`, `follows_and_unfollows`... only with
metric_type=total_value; the retired time series (impressions, website_clicks...) are errors;
`follower_demographics` by age, gender, country or city and `online_followers` for lifetime; no
follower numbers below 100 followers. Publishing: POST /media makes a container (images are ready
at once, videos after a few status polls), POST /media_publish publishes it once; POST
/{media-id}/comments?message= comments on the account's own media (not on stories); POST
/{comment-id}/replies?message= answers a top-level comment; POST /{comment-id}?hide=true|false hides a
comment or shows it again (the collected `hidden` follows).
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from dreamsuite.platforms.emulators.core import ApiError
from dreamsuite.platforms.emulators.meta import Field, MetaEmulator, end_time, graph_time, number_id
from dreamsuite.platforms.emulators.store import Account
from dreamsuite.platforms.emulators.story import Post, rng

P = "instagram"
KINDS = {"reel": ("VIDEO", "REELS"), "photo": ("IMAGE", "FEED"), "carousel": ("CAROUSEL_ALBUM", "FEED"),
         "story": ("VIDEO", "STORY")}
MEDIA_METRICS = {"FEED": {"reach", "saved", "shares", "views", "likes", "comments", "total_interactions",
                          "profile_visits", "follows"},
                 "STORY": {"reach", "replies", "views", "shares", "navigation", "total_interactions", "follows",
                           "profile_visits"}}
MEDIA_METRICS["REELS"] = MEDIA_METRICS["FEED"] | {"ig_reels_avg_watch_time", "ig_reels_video_view_total_time"}
RETIRED = {"impressions", "plays", "video_views", "clips_replays_count", "ig_reels_aggregated_all_plays_count",
           "email_contacts", "get_directions_clicks", "phone_call_clicks", "text_message_clicks",
           "audience_gender_age", "audience_city", "audience_country", "audience_locale"}
TOTAL_ONLY = {"views", "accounts_engaged", "total_interactions", "likes", "comments", "shares", "saves", "replies",
              "profile_views", "website_clicks", "profile_links_taps", "follows_and_unfollows"}
SERIES = {"reach", "follower_count"}
DEMOGRAPHICS = {"follower_demographics", "engaged_audience_demographics", "reached_audience_demographics"}
BREAKDOWNS = {"profile_links_taps": "contact_button_type", "follows_and_unfollows": "follow_type",
              "views": "media_product_type"}
VIDEO_POLLS = 2  # status polls a video container answers IN_PROGRESS before FINISHED
# Every field an IG Media node has (one that a media object lacks is left out of the answer).
MEDIA_KEYS = ("id", "caption", "media_type", "media_product_type", "timestamp", "like_count", "comments_count",
              "permalink", "shortcode", "media_url", "thumbnail_url", "is_comment_enabled", "username", "owner")


class InstagramEmulator(MetaEmulator):
    platform = "instagram"
    label = "Instagram"
    scopes = ("instagram_basic", "instagram_manage_insights", "instagram_manage_comments", "instagram_content_publish",
              "pages_show_list", "pages_read_engagement", "business_management")
    rate_error = (80002, "There have been too many calls to this Instagram account. Wait a bit and try again.")
    buc_type = "instagram"

    def __init__(self, store):
        super().__init__(store)
        self._cache: dict[tuple, tuple[datetime, dict]] = {}

    def _reset(self) -> None:
        super()._reset()
        self._cache.clear()

    def ig_id(self, account_id: str) -> str:
        return "1784" + number_id("ig", account_id, digits=13)

    def business_id(self, account_id: str) -> str:
        return self.ig_id(account_id)

    def page_of(self, account: Account, claims) -> tuple[dict, dict]:
        scalars, edges = super().page_of(account, claims)
        ig = {"id": self.ig_id(account.id), "username": account.handle}
        scalars["instagram_business_account"] = lambda f: self.render("IGUser", ig, {}, f.sub)
        return scalars, edges

    # ---------------------------------------------------------------- the account's world
    def _world(self, account: Account) -> dict[str, Any]:
        """The account's media, stories and comments as of now (kept a few seconds: a sync asks
        for them page after page)."""
        published = self.store.posts(P, account.id)
        made = self.store.get(f"{P}:comments:{account.id}", {})  # comments made through the API, by media
        hidden = self.store.get(f"{P}:hidden:{account.id}", {})  # comments hidden or shown through the API
        now = datetime.now(UTC)
        key = (account.id, account.persona, self.today(), tuple(p["id"] for p in published),
               sum(len(v) for v in made.values()), tuple(sorted(hidden.items())))
        cached = self._cache.get(key)
        if cached and cached[0] > now:
            return cached[1]
        s = self.story_of(account)
        media = [self._media(account, p) for p in reversed(s.posts(P, self.today())) if p.posted_at <= now]
        media += [{**p, "_post": None} for p in published]
        media.sort(key=lambda m: m["timestamp"], reverse=True)
        for m in media:
            if made.get(m["id"]):
                m["_comments"] = [*m.get("_comments", []), *made[m["id"]]]
                m["comments_count"] = (m.get("comments_count") or 0) + len(made[m["id"]])
        stories = [self._media(account, p) for p in s.stories(P, now)]
        comments = {c["id"]: c for m in media for c in m.get("_comments", [])}
        for cid, value in hidden.items():
            if cid in comments:
                comments[cid]["hidden"] = value
        world = {"story": s, "media": media, "stories": stories, "comments": comments,
                 "by_id": {m["id"]: m for m in media + stories}}
        self._cache = {k: v for k, v in self._cache.items() if v[0] > now}
        self._cache[key] = (now + timedelta(seconds=20), world)
        return world

    def _media(self, account: Account, post: Post) -> dict[str, Any]:
        media_type, product = KINDS[post.type]
        mid = number_id("media", account.id, post.id, digits=17)
        code = number_id("code", mid)[:11]
        item: dict[str, Any] = {
            "id": mid, "caption": post.caption or None, "media_type": media_type, "media_product_type": product,
            "timestamp": graph_time(post.posted_at), "like_count": post.likes, "comments_count": post.comments,
            "permalink": f"https://www.instagram.com/{'reel' if product == 'REELS' else 'p'}/{code}/",
            "shortcode": code, "media_url": f"https://scontent.cdninstagram.com/v/{mid}.jpg",
            "thumbnail_url": f"https://scontent.cdninstagram.com/v/{mid}_t.jpg" if media_type == "VIDEO" else None,
            "is_comment_enabled": True, "username": account.handle, "owner": {"id": self.ig_id(account.id)},
            "_post": post,
        }
        if product != "STORY":
            story = self.story_of(account)
            cs = story.comments(P, post, self.today())
            item["_comments"] = [self._comment(account, mid, c) for c in cs]
        return item

    def _comment(self, account: Account, media_id: str, c) -> dict[str, Any]:
        cid = number_id("comment", account.id, c.id, digits=17)
        parent = number_id("comment", account.id, c.parent_id, digits=17) if c.parent_id else None
        author = account.handle if c.author == "artist" else c.author
        return {"id": cid, "text": c.text, "timestamp": graph_time(c.created_at), "username": author,
                "like_count": c.likes, "hidden": rng(c.id, "hidden").random() < 0.15, "media": {"id": media_id},
                "from": {"id": number_id("fan", author), "username": author}, "parent_id": parent}

    async def world(self, account: Account) -> dict[str, Any]:
        return await self.store.call(self._world, account)

    # ---------------------------------------------------------------- rendering
    def render_media(self, request: Request, m: dict, fields: list[Field] | None, scopes) -> dict:
        scalars = {k: m.get(k) for k in MEDIA_KEYS}
        top, replies = self._threads(m)

        def comments(f: Field) -> dict:
            self._need(scopes, "instagram_manage_comments")
            return self.paged(request, top, f"{m['id']}/comments",
                              lambda c, sub: self.render_comment(request, c, replies.get(c["id"], []), sub), field=f)

        edges = {"comments": comments,
                 "insights": lambda f: self._need(scopes, "instagram_manage_insights") or self.media_insights(
                     m, f.mods.get("metric", "")),
                 "children": lambda f: self.paged(request, self._children(m), f"{m['id']}/children",
                                                  lambda c, sub: self.render("IGMedia", c, {}, sub), field=f)}
        return self.render("IGMedia", scalars, edges, fields)

    def render_comment(self, request: Request, c: dict, replies: list[dict], fields) -> dict:
        edges = {"replies": lambda f: self.paged(request, replies, f"{c['id']}/replies",
                                                 lambda r, sub: self.render("IGComment", r, {}, sub), field=f)}
        return self.render("IGComment", c, edges, fields)

    @staticmethod
    def _threads(m: dict) -> tuple[list[dict], dict[str, list[dict]]]:
        """Top-level comments, and the replies under each."""
        top, replies = [], {}
        for c in m.get("_comments", []):
            if c["parent_id"]:
                replies.setdefault(c["parent_id"], []).append(c)
            else:
                top.append(c)
        return top, replies

    def _children(self, m: dict) -> list[dict]:
        if m["media_type"] != "CAROUSEL_ALBUM":
            return []
        return [{"id": number_id("child", m["id"], i, digits=17), "media_type": "IMAGE",
                 "media_url": f"{m['media_url']}?slide={i}", "timestamp": m["timestamp"]} for i in range(3)]

    def _need(self, scopes, permission: str) -> None:
        if permission not in scopes:
            raise ApiError(self.missing(permission))

    def media_insights(self, m: dict, metric_text: str) -> dict:
        names = [n.strip() for n in metric_text.split(",") if n.strip()]
        product, post = m["media_product_type"], m.get("_post")
        if not names:
            raise ApiError(self.graph_error(400, 100, "(#100) The parameter metric is required"))
        for name in names:
            if name in RETIRED:
                raise self.bad_param(f"{name} metric is no longer supported for this version (use views)")
            if name not in MEDIA_METRICS[product]:
                raise self.bad_param(f"The Media Insights API does not support the {name} metric for this media "
                                     "product type.")
        if product == "STORY" and post is not None and post.reach < 5:
            raise ApiError(self.graph_error(400, 10, "(#10) Not enough viewers for the media to show insights",
                                            subcode=2108006))
        if post is None:  # published through the API a moment ago: nothing counted yet
            return {"data": []}
        values = {"reach": post.reach, "saved": post.saves, "shares": post.shares, "views": post.views,
                  "likes": post.likes, "comments": post.comments, "replies": post.comments,
                  "total_interactions": post.likes + post.comments + post.shares + post.saves,
                  "profile_visits": post.reach // 40, "follows": post.reach // 300, "navigation": post.views // 3,
                  "ig_reels_avg_watch_time": post.duration_s * 450,
                  "ig_reels_video_view_total_time": post.duration_s * 450 * post.views}
        return {"data": [self.insight(m["id"], n, "lifetime", values=[{"value": values[n]}]) for n in names]}

    # ---------------------------------------------------------------- routes
    async def route(self, request: Request, segs: list[str]) -> Response:
        caller, claims = await self.who(request, kinds=("access", "page"))
        account = caller.account
        head, rest, method = segs[0], segs[1:], request.method
        ig = self.ig_id(account.id)
        if head == self.page_id(account.id) and not rest:
            scalars, edges = self.page_of(account, claims)
            return self.node(request, "Page", scalars, edges)
        if head == ig:
            self._need(caller.scopes, "instagram_basic")
            if not rest:
                return self.node(request, "IGUser", await self.store.call(self._user, account), {})
            if rest == ["media"] and method == "POST":
                return await self.create_container(request, caller, account)
            if rest == ["media_publish"] and method == "POST":
                return await self.publish(request, caller, account)
            if rest == ["insights"]:
                self._need(caller.scopes, "instagram_manage_insights")
                return JSONResponse(await self.store.call(self.user_insights, request, account))
            if rest in (["media"], ["stories"]):
                world = await self.world(account)
                items = world["media"] if rest == ["media"] else world["stories"]
                items = self._between(request, items) if rest == ["media"] else items
                return JSONResponse(self.paged(request, items, f"{ig}/{rest[0]}",
                                               lambda m, f: self.render_media(request, m, f, caller.scopes)))
        container = await self.store.call(self.store.get, f"{P}:container:{head}")
        if container and container["owner"] == account.id and not rest:
            return self.node(request, "ShadowIGMediaBuilder", await self.store.call(self._poll, head), {})
        world = await self.world(account)
        if head in world["by_id"]:
            m = world["by_id"][head]
            if not rest:
                return JSONResponse(self.render_media(request, m, self.fields_of(
                    request.query_params.get("fields")), caller.scopes))
            if rest == ["insights"]:
                self._need(caller.scopes, "instagram_manage_insights")
                return JSONResponse(self.media_insights(m, request.query_params.get("metric", "")))
            if rest == ["comments"] and method == "POST":
                return await self.create_comment(request, caller, account, m)
            if rest == ["comments"]:
                self._need(caller.scopes, "instagram_manage_comments")
                top, replies = self._threads(m)
                return JSONResponse(self.paged(request, top, f"{head}/comments", lambda c, sub: self.render_comment(
                    request, c, replies.get(c["id"], []), sub)))
            if rest == ["children"]:
                return JSONResponse(self.paged(request, self._children(m), f"{head}/children",
                                               lambda c, sub: self.render("IGMedia", c, {}, sub)))
        if head in world["comments"] and method == "POST" and rest in ([], ["replies"]):
            self._need(caller.scopes, "instagram_manage_comments")
            c = world["comments"][head]
            if rest:
                return await self.create_reply(request, account, c, world["by_id"].get(c["media"]["id"], {}))
            return await self.set_hidden(request, account, c)
        if head in world["comments"] and rest in ([], ["replies"]):
            self._need(caller.scopes, "instagram_manage_comments")
            c = world["comments"][head]
            replies = [r for r in world["comments"].values() if r["parent_id"] == head]
            fields = self.fields_of(request.query_params.get("fields"))
            if rest:
                return JSONResponse(self.paged(request, replies, f"{head}/replies",
                                               lambda r, sub: self.render("IGComment", r, {}, sub)))
            return JSONResponse(self.render_comment(request, c, replies, fields))
        raise ApiError(self.no_object(head))

    def _between(self, request: Request, items: list[dict]) -> list[dict]:
        since, until = request.query_params.get("since"), request.query_params.get("until")
        try:
            lo = datetime.fromtimestamp(int(since), UTC) if since else None
            hi = datetime.fromtimestamp(int(until), UTC) if until else None
        except ValueError:
            raise self.bad_param("since and until must be Unix timestamps") from None
        stamp = lambda m: datetime.strptime(m["timestamp"], "%Y-%m-%dT%H:%M:%S%z")  # noqa: E731
        return [m for m in items if (lo is None or stamp(m) >= lo) and (hi is None or stamp(m) <= hi)]

    def _user(self, account: Account) -> dict[str, Any]:
        s, today = self.story_of(account), self.today()
        media = len(s.posts(P, today)) + len(self.store.posts(P, account.id))
        return {"id": self.ig_id(account.id), "ig_id": int(number_id("igid", account.id, digits=10)),
                "username": account.handle, "name": account.name, "followers_count": s.followers(P, today),
                "follows_count": 180 + len(account.name) * 7, "media_count": media,
                "biography": f"{account.name}. New single out now.", "website": f"https://{account.handle}.example",
                "profile_picture_url": f"https://scontent.cdninstagram.com/v/{account.id}_pic.jpg"}

    # ---------------------------------------------------------------- account insights
    def user_insights(self, request: Request, account: Account) -> dict:
        s, ig, q = self.story_of(account), self.ig_id(account.id), request.query_params
        names, period = self.metrics_param(request), q.get("period", "")
        metric_type, breakdown = q.get("metric_type", "time_series"), q.get("breakdown", "")
        small = s.followers(P, self.today()) < 100  # Meta keeps these numbers from small accounts
        data = []
        for name in names:
            if name in RETIRED or name not in SERIES | TOTAL_ONLY | DEMOGRAPHICS | {"online_followers"}:
                raise self.bad_param(f"metric[{names.index(name)}] must be one of the following values: "
                                     + ", ".join(sorted(SERIES | TOTAL_ONLY | DEMOGRAPHICS | {"online_followers"})))
            if name in TOTAL_ONLY and metric_type != "total_value":
                raise self.bad_param(f"The following metrics ({name}) should be specified with parameter "
                                     "metric_type=total_value")
            if breakdown and name not in DEMOGRAPHICS and BREAKDOWNS.get(name) != breakdown:
                raise self.bad_param(f"The breakdown {breakdown} is not supported for the metric {name}")
        if any(n in DEMOGRAPHICS or n == "online_followers" for n in names):
            if period != "lifetime":
                raise self.bad_param("Demographic and online_followers metrics only support period=lifetime")
            return {"data": [] if small else [self._lifetime(s, ig, n, breakdown, request) for n in names]}
        if period != "day":
            raise self.bad_param(f"Period {period or '(none)'} is not supported for these metrics: use day")
        days = self.window(request, max_days=30)
        today = self.today()
        for name in names:
            if metric_type == "total_value":
                data += self._total(s, self._world(account), ig, name, days, breakdown)
            elif name == "follower_count":
                recent = [d for d in days if today - timedelta(days=30) <= d < today]
                data.append(self.insight(ig, name, "day", values=[] if small else self.daily(
                    recent, lambda d: s.account_day(P, d).get("follows"))))
            else:
                data.append(self.insight(ig, name, "day", values=self.daily(
                    days, lambda d: s.account_day(P, d).get("reach"))))
        return {"data": data, "paging": {"previous": f"{self.api_base(request)}/{ig}/insights?since="
                                                     f"{(days[0] - timedelta(days=len(days))).isoformat()}",
                                         "next": f"{self.api_base(request)}/{ig}/insights?since="
                                                 f"{end_time(days[-1])[:10]}"}}

    def _total(self, s, world: dict, ig: str, name: str, days: list[date], breakdown: str) -> list[dict]:
        per_day = [s.account_day(P, d) for d in days]
        per_day = [d for d in per_day if d]
        if not per_day:
            return []  # no data: an empty set, never a zero
        posts = [m["_post"] for m in world["media"]
                 if m["_post"] and days[0] <= m["_post"].posted_at.date() <= days[-1]]
        sums = {k: sum(d[k] for d in per_day) for k in per_day[0]}
        value = {"likes": sum(p.likes for p in posts), "comments": sum(p.comments for p in posts),
                 "shares": sum(p.shares for p in posts), "saves": sum(p.saves for p in posts), "replies": 0,
                 "profile_links_taps": sums["website_clicks"] + sums["email_clicks"] + sums["call_clicks"]
                 + sums["text_clicks"] + sums["direction_clicks"],
                 "follows_and_unfollows": sums["follows"] + sums["unfollows"]}.get(name, sums.get(name))
        total: dict[str, Any] = {"value": value}
        parts = {"contact_button_type": {"CALL": "call_clicks", "EMAIL": "email_clicks", "TEXT": "text_clicks",
                                         "DIRECTION": "direction_clicks"},
                 "follow_type": {"FOLLOWER": "follows", "NON_FOLLOWER": "unfollows"}}.get(breakdown)
        if parts:
            total["breakdowns"] = [{"dimension_keys": [breakdown], "results": [
                {"dimension_values": [k], "value": sums[v]} for k, v in parts.items()]}]
        return [self.insight(ig, name, "day", total=total)]

    def _lifetime(self, s, ig: str, name: str, breakdown: str, request: Request) -> dict:
        followers = s.followers(P, self.today())
        if name == "online_followers":
            days = self.window(request, max_days=30)
            hours = s.online_hours(P)
            return self.insight(ig, name, "lifetime", values=[
                {"value": {str(h): int(share * followers) for h, share in hours.items()}, "end_time": end_time(d)}
                for d in days])
        key = {"age": "age", "gender": "gender", "country": "countries", "city": "cities"}.get(breakdown)
        if key is None:
            raise self.bad_param("follower_demographics needs a breakdown: age, gender, country or city")
        groups = s.audience(P)[key]
        rows = sorted(((k.split(",")[0] if key == "cities" else k, int(v * followers)) for k, v in groups.items()),
                      key=lambda kv: -kv[1])[:45]  # Meta returns the top 45 only
        return self.insight(ig, name, "lifetime", total={"breakdowns": [{"dimension_keys": [breakdown], "results": [
            {"dimension_values": [k], "value": v} for k, v in rows]}]})

    # ---------------------------------------------------------------- publishing
    async def _params(self, request: Request) -> dict[str, str]:
        params = {k: str(v) for k, v in request.query_params.items()}
        params.update({k: str(v) for k, v in (await request.form()).items()})
        return params

    async def create_container(self, request: Request, caller, account: Account) -> Response:
        self._need(caller.scopes, "instagram_content_publish")
        p = await self._params(request)
        media_type, caption = p.get("media_type", "").upper(), p.get("caption", "")
        if len(caption) > 2200:
            raise ApiError(self.graph_error(400, 36004, "The caption is too long", subcode=2207010))
        url = p.get("image_url") or p.get("video_url") or ""
        children = [c for c in p.get("children", "").split(",") if c]
        if media_type == "CAROUSEL":
            owned = [await self.store.call(self.store.get, f"{P}:container:{c}") for c in children]
            if not 2 <= len(children) <= 10 or not all(o and o["owner"] == account.id and o["child"] for o in owned):
                raise ApiError(self.graph_error(400, 100, "Your post won't work as a carousel. Carousels need at least "
                                                          "2 photos/videos and no more than 10.", subcode=2207028))
            kind = "carousel"
        elif media_type == "VIDEO" and p.get("is_carousel_item") != "true":
            raise self.bad_param("The VIDEO media type is no longer supported for feed posts: use REELS")
        elif media_type in ("REELS", "VIDEO", "STORIES") and p.get("video_url"):
            kind = "video"
        elif media_type in ("", "STORIES") and p.get("image_url"):
            kind = "image"
        else:
            raise self.bad_param("Only photo or video can be accepted as media type.")
        if kind != "carousel" and not url.startswith(("https://", "http://")):
            raise ApiError(self.graph_error(400, 9004, "The media could not be fetched from this uri",
                                            subcode=2207052))
        cid = number_id("container", account.id, secrets.token_hex(8), digits=17)
        await self.store.call(self.store.put, f"{P}:container:{cid}", {
            "id": cid, "owner": account.id, "kind": kind, "caption": caption, "url": url, "children": children,
            "child": p.get("is_carousel_item") == "true", "reel": media_type == "REELS", "polls": 0, "media": None})
        return JSONResponse({"id": cid})

    async def create_comment(self, request: Request, caller, account: Account, m: dict) -> Response:
        """POST /{ig-media-id}/comments?message=...: a comment by the account on its own media, {"id"}."""
        self._need(caller.scopes, "instagram_manage_comments")
        message = (await self._params(request)).get("message", "")
        if not message.strip():
            raise self.bad_param("The parameter message is required")
        if len(message) > 2200:
            raise ApiError(self.graph_error(400, 100, "(#100) The comment is too long", subcode=2207010))
        if m["media_product_type"] == "STORY" or not m.get("is_comment_enabled", True):
            raise ApiError(self.graph_error(400, 20, "(#20) Comments on this media are not allowed"))
        cid = number_id("api-comment", account.id, m["id"], secrets.token_hex(8), digits=17)
        comment = {"id": cid, "text": message, "timestamp": graph_time(datetime.now(UTC)),
                   "username": account.handle, "like_count": 0, "hidden": False, "media": {"id": m["id"]},
                   "from": {"id": self.ig_id(account.id), "username": account.handle}, "parent_id": None}
        await self.store.call(self._add_comment, account.id, m["id"], comment)
        await self.control.after_effect(request.url.path[len(request.scope.get("root_path", "")):])
        return JSONResponse({"id": cid})

    async def create_reply(self, request: Request, account: Account, c: dict, m: dict) -> Response:
        """POST /{ig-comment-id}/replies?message=...: the account's reply under a top-level comment, {"id"}."""
        message = (await self._params(request)).get("message", "")
        if not message.strip():
            raise self.bad_param("The parameter message is required")
        if len(message) > 2200:
            raise ApiError(self.graph_error(400, 100, "(#100) The comment is too long", subcode=2207010))
        if c["parent_id"]:  # replies are one level deep on Instagram
            raise ApiError(self.graph_error(400, 100, "(#100) Replies can only be made to top-level comments"))
        if not m.get("is_comment_enabled", True):
            raise ApiError(self.graph_error(400, 20, "(#20) Comments on this media are not allowed"))
        rid = number_id("api-reply", account.id, c["id"], secrets.token_hex(8), digits=17)
        reply = {"id": rid, "text": message, "timestamp": graph_time(datetime.now(UTC)), "username": account.handle,
                 "like_count": 0, "hidden": False, "media": dict(c["media"]),
                 "from": {"id": self.ig_id(account.id), "username": account.handle}, "parent_id": c["id"]}
        await self.store.call(self._add_comment, account.id, c["media"]["id"], reply)
        await self.control.after_effect(request.url.path[len(request.scope.get("root_path", "")):])
        return JSONResponse({"id": rid})

    async def set_hidden(self, request: Request, account: Account, c: dict) -> Response:
        """POST /{ig-comment-id}?hide=true|false: hide a comment on the account's media (or show it), {"success"}."""
        value = (await self._params(request)).get("hide", "").lower()
        if value not in ("true", "false"):
            raise self.bad_param("Param hide must be a boolean")
        await self.store.call(self._remember_hidden, account.id, c["id"], value == "true")
        return JSONResponse({"success": True})

    def _remember_hidden(self, account_id: str, comment_id: str, hidden: bool) -> None:
        found = self.store.get(f"{P}:hidden:{account_id}", {})
        self.store.put(f"{P}:hidden:{account_id}", {**found, comment_id: hidden})

    def _add_comment(self, account_id: str, media_id: str, comment: dict) -> None:
        made = self.store.get(f"{P}:comments:{account_id}", {})
        made.setdefault(media_id, []).append(comment)
        self.store.put(f"{P}:comments:{account_id}", made)

    def _poll(self, cid: str) -> dict:
        """A status check; processing moves on with each (a carousel's items with it)."""
        c = self.store.get(f"{P}:container:{cid}")
        for key in [cid, *c["children"]]:
            item = self.store.get(f"{P}:container:{key}")
            self.store.put(f"{P}:container:{key}", {**item, "polls": item["polls"] + 1})
        c = self.store.get(f"{P}:container:{cid}")
        return {"id": cid, "status_code": self._status(c),
                "status": {"FINISHED": "Finished: Media has been uploaded and it is ready to be published.",
                           "PUBLISHED": "Published", "IN_PROGRESS": "In Progress: Media is still being processed."
                           }[self._status(c)]}

    def _status(self, c: dict) -> str:
        if c["media"]:
            return "PUBLISHED"
        if c["kind"] == "carousel":
            kids = [self.store.get(f"{P}:container:{k}") for k in c["children"]]
            return "FINISHED" if all(self._status(k) == "FINISHED" for k in kids) else "IN_PROGRESS"
        return "IN_PROGRESS" if c["kind"] == "video" and c["polls"] <= VIDEO_POLLS else "FINISHED"

    async def publish(self, request: Request, caller, account: Account) -> Response:
        self._need(caller.scopes, "instagram_content_publish")
        cid = (await self._params(request)).get("creation_id", "")
        c = await self.store.call(self.store.get, f"{P}:container:{cid}")
        if not c or c["owner"] != account.id or c["child"]:
            raise ApiError(self.no_object(cid or "creation_id"))
        done = await self.store.call(self.store.post_by_key, P, account.id, cid)
        if done:  # a container is published once; asking again names the same media
            return JSONResponse({"id": done["id"]})
        if await self.store.call(self._status, c) != "FINISHED":
            raise ApiError(self.graph_error(400, 9007, "Media ID is not available", subcode=2207027,
                                            user_msg="The media is not ready for publishing, please wait for a moment"))
        mid = number_id("published", account.id, cid, digits=17)
        code = number_id("code", mid)[:11]
        media_type, product = (("CAROUSEL_ALBUM", "FEED") if c["kind"] == "carousel" else
                               ("VIDEO", "REELS") if c["kind"] == "video" else ("IMAGE", "FEED"))
        post = {"id": mid, "caption": c["caption"] or None, "media_type": media_type, "media_product_type": product,
                "timestamp": graph_time(datetime.now(UTC)), "like_count": 0, "comments_count": 0,
                "permalink": f"https://www.instagram.com/{'reel' if product == 'REELS' else 'p'}/{code}/",
                "shortcode": code, "media_url": c["url"] or None, "is_comment_enabled": True,
                "username": account.handle, "owner": {"id": self.ig_id(account.id)}}
        await self.store.call(self.store.save_post, P, account.id, post, cid)
        await self.store.call(self.store.put, f"{P}:container:{cid}", {**c, "media": mid})
        await self.control.after_effect(request.url.path[len(request.scope.get("root_path", "")):])
        return JSONResponse({"id": mid})


EMULATOR = InstagramEmulator
