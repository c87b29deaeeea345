"""X, emulated: OAuth 2.0 with PKCE (x.com/i/oauth2/authorize, api.x.com/2/oauth2/token) and the
API v2 paths we call, in X's documented shapes.

- Tokens: `{"token_type": "bearer", "expires_in": 7200, "access_token", "scope"}` plus a
  `refresh_token` only with `offline.access`; refresh tokens rotate; PKCE is required; a
  confidential client authenticates with Basic auth.
- Every answer carries `x-rate-limit-limit`, `x-rate-limit-remaining` and `x-rate-limit-reset`
  (epoch seconds); a 429 says when to come back only through them (no Retry-After).
- Errors are problem+json `{"title", "type", "status", "detail"}`; invalid parameters add
  `errors: [{"parameters", "message"}]`; a user that does not exist answers 200 with only
  `errors`; a repeated post is 403 "duplicate content"; a missing scope is 403 Forbidden.
- Lists: `{"data": [...], "includes": {...}, "meta": {"result_count", "newest_id",
  "oldest_id", "next_token"}}`, `{"meta": {"result_count": 0}}` when empty. Only the fields asked
  for come back (id, text and edit_history_tweet_ids by default). Post ids are snowflakes, so
  since_id/until_id and next tokens follow time.
- Recent search covers seven days (an older start_time is a 400), queries up to 512 characters,
  operators from:, to:, conversation_id:, in_reply_to_tweet_id:, is:reply, has:media, OR,
  parentheses and negation.
- Replies: `POST /2/tweets` with `reply.in_reply_to_tweet_id` answers a post the caller can see
  (400 otherwise); the reply joins that post's conversation and shows up in recent search.
- Hide replies: `PUT /2/tweets/:id/hidden` {"hidden": bool} (tweet.moderate.write) hides a reply to
  a conversation the caller started, never their own; `{"data": {"hidden": bool}}`.
- Media: /2/media/upload/initialize, /{id}/append (multipart, segment_index), /{id}/finalize,
  and GET /2/media/upload?command=STATUS; videos are processed (pending → in_progress →
  succeeded), images are ready at once.
"""

from __future__ import annotations

import hmac
import math
import secrets
import time
from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from dreamsuite.platforms.emulators import tokens
from dreamsuite.platforms.emulators.core import ApiError, Caller, Emulator
from dreamsuite.platforms.emulators.store import Account
from dreamsuite.platforms.emulators.story import Post
from dreamsuite.platforms.emulators.x_shapes import b36, compile_query, parse_time, seed_hash, snowflake, stamp

READ, WRITE, MEDIA = ("tweet.read", "users.read"), ("tweet.read", "tweet.write", "users.read"), ("media.write",)
DEFAULT_FIELDS = ("id", "text", "edit_history_tweet_ids")
MEDIA_TYPES = {"video/mp4", "video/webm", "video/quicktime", "image/jpeg", "image/gif", "image/png", "image/webp"}


class XEmulator(Emulator):
    platform = "x"
    label = "X"
    scopes = ("tweet.read", "tweet.write", "tweet.moderate.write", "users.email", "users.read", "follows.read",
              "follows.write", "offline.access", "space.read", "mute.read", "mute.write", "like.read", "like.write",
              "list.read", "list.write", "block.read", "block.write", "bookmark.read", "bookmark.write", "dm.read",
              "dm.write", "media.write")
    authorize_path = "/web/i/oauth2/authorize"
    token_path = "/api/2/oauth2/token"
    pkce = "required"
    access_ttl = 7200
    rotates_refresh = True
    token_prefix = "x"
    rate_limit = (900, 900.0)  # per user and 15-minute window

    def new_account_id(self, name: str) -> str:
        return str(secrets.randbelow(9 * 10**17) + 10**17)

    def now(self) -> datetime:
        return datetime.now(UTC)

    def token_body(self, access: str, refresh: str | None, scope: str, account: Account | None) -> dict:
        body = {"token_type": "bearer", "expires_in": self.access_ttl, "access_token": access, "scope": scope}
        if refresh and "offline.access" in scope.split():  # no refresh token without offline.access
            body["refresh_token"] = refresh
        return body

    # ---------------------------------------------------------------- revoking (ends the whole grant)
    async def revoke(self, request: Request) -> Response:
        form = await request.form()
        cid, secret = self.client_auth(request, form)
        if cid != self.client_id or not hmac.compare_digest(secret.encode(), self.client_secret.encode()):
            return self.oauth_error("invalid_client", "Client authentication failed", 401)
        token = str(form.get("token", ""))
        for kind, ttl in (("access", self.access_ttl), ("refresh", self.refresh_ttl)):
            claims = tokens.verify(self.secret, token, self.platform, kind)
            if claims is not None:
                if not await self._revoked(claims.account, claims.exp - ttl):
                    await self.store.call(self.store.put, f"x:revoked:{claims.account}", time.time())
                break
        return JSONResponse({"revoked": True})  # a token already gone is revoked too

    async def _revoked(self, account: str, issued: int) -> bool:
        at = await self.store.call(self.store.get, f"x:revoked:{account}")
        return at is not None and issued < at

    async def _grant_refresh(self, form) -> Response:
        claims = tokens.verify(self.secret, str(form.get("refresh_token", "")), self.platform, "refresh")
        if claims is not None and await self._revoked(claims.account, claims.exp - self.refresh_ttl):
            return self.oauth_error("invalid_request", "Value passed for the token was invalid.")
        return await super()._grant_refresh(form)

    async def _caller(self, request: Request, needs: tuple[str, ...]) -> Caller:
        caller = await self.caller(request)
        claims = tokens.verify(self.secret, caller.token, self.platform, "access")
        if claims and await self._revoked(claims.account, claims.exp - self.access_ttl):
            raise ApiError(self.error(401, "invalid_token", "Unauthorized"))
        if any(s not in caller.scopes for s in needs):
            raise ApiError(self.error(403, "forbidden", "Forbidden"))
        return caller

    # ---------------------------------------------------------------- errors and limits
    _TITLES = {400: ("Invalid Request", "https://api.x.com/2/problems/invalid-request"), 401: ("Unauthorized", None),
               403: ("Forbidden", None), 404: ("Not Found Error", "https://api.x.com/2/problems/resource-not-found"),
               429: ("Too Many Requests", None), 503: ("Service Unavailable", None)}

    def error(self, status: int, code: str, message: str, headers: dict | None = None,
              errors: list | None = None) -> Response:
        title, kind = self._TITLES.get(status, ("Internal Server Error", None))
        body = {"title": title, "type": kind or "about:blank", "status": status, "detail": message,
                **({"errors": errors} if errors else {})}
        return JSONResponse(body, status_code=status, headers=headers, media_type="application/problem+json")

    def usage_headers(self, used: int, limit: int, reset_in: float) -> dict[str, str]:
        return {"x-rate-limit-limit": str(limit), "x-rate-limit-remaining": str(max(0, limit - used)),
                "x-rate-limit-reset": str(math.ceil(time.time() + reset_in))}

    def rate_limited(self, retry_after: int) -> Response:
        return self.error(429, "rate_limited", "Too Many Requests",
                          self.usage_headers(self.limit[0], self.limit[0], retry_after))

    def _injected(self, status: int, headers: dict) -> Response:
        if status == 429:  # X says when through x-rate-limit-reset, never Retry-After
            wait = headers.get("Retry-After", "60")
            return self.rate_limited(int(wait) if wait.isdigit() else 60)
        return super()._injected(status, headers)

    def _invalid(self, name: str, value: object, message: str) -> ApiError:
        return ApiError(self.error(400, "invalid_request", "One or more parameters to your request was invalid.",
                                   errors=[{"parameters": {name: [str(value)]}, "message": message}]))

    @staticmethod
    def _path(request: Request) -> str:
        return request.url.path[len(request.scope.get("root_path", "")):]

    def _int(self, request: Request, name: str, default: int, low: int, high: int) -> int:
        raw = request.query_params.get(name)
        try:
            value = default if raw is None else int(raw)
        except ValueError:
            raise self._invalid(name, raw, f"The `{name}` query parameter value [{raw}] is not a number") from None
        if not low <= value <= high:
            raise self._invalid(name, raw,
                                f"The `{name}` query parameter value [{raw}] is not between {low} and {high}")
        return value

    # ---------------------------------------------------------------- the account's X
    @staticmethod
    def _fan(name: str) -> dict:
        return {"id": str(seed_hash("fan", name) % 10**18), "username": name.replace(".", "_"), "name": name.title()}

    def _story_post(self, account: Account, p: Post) -> dict:
        tid = snowflake(p.posted_at, "x", account.id, p.id)
        tweet = {"id": tid, "text": p.caption, "created_at": stamp(p.posted_at), "author_id": account.id,
                 "conversation_id": tid, "edit_history_tweet_ids": [tid], "_from": account.handle,
                 "public_metrics": {"retweet_count": p.shares, "reply_count": p.comments, "like_count": p.likes,
                                    "quote_count": p.shares // 4, "bookmark_count": p.saves,
                                    "impression_count": p.impressions},
                 "entities": {"hashtags": [{"start": p.caption.find(f"#{t}"),
                                            "end": p.caption.find(f"#{t}") + len(t) + 1, "tag": t}
                                           for t in p.hashtags]}}
        if p.type == "video":
            tweet["attachments"] = {"media_keys": [f"7_{tid}"]}
            tweet["_media"] = [{"media_key": f"7_{tid}", "type": "video", "duration_ms": p.duration_s * 1000}]
        return tweet

    def _replies_of(self, account: Account, now: datetime) -> list[dict]:
        """Replies under the account's posts of the last eight days: fans', and the artist's answers."""
        story, out = self.story_of(account), []
        for p in story.posts("x", now.date()):
            if p.posted_at < now - timedelta(days=8) or p.posted_at > now:
                continue
            root, ids, comments = self._story_post(account, p), {}, story.comments("x", p, now.date())
            authors = {c.id: c.author for c in comments}
            for c in comments:
                if c.created_at > now:
                    continue
                tid = ids[c.id] = snowflake(c.created_at, "x-reply", account.id, c.id)
                if c.parent_id:  # the artist answering a fan
                    fan = self._fan(authors.get(c.parent_id, "fan"))
                    author, to, parent, to_id = account.id, fan["username"], ids.get(c.parent_id, root["id"]), fan["id"]
                    text, handle = f"@{fan['username']} {c.text}", account.handle
                else:
                    fan = self._fan(c.author)
                    author, to, parent, to_id = fan["id"], account.handle, root["id"], account.id
                    text, handle = f"@{account.handle} {c.text}", fan["username"]
                out.append({"id": tid, "text": text, "created_at": stamp(c.created_at), "author_id": author,
                            "conversation_id": root["id"], "in_reply_to_user_id": to_id,
                            "edit_history_tweet_ids": [tid],
                            "referenced_tweets": [{"type": "replied_to", "id": parent}], "_from": handle, "_to": to,
                            "_parent": parent, "_author": fan if author != account.id else None,
                            "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": c.likes,
                                               "quote_count": 0, "bookmark_count": 0,
                                               "impression_count": c.likes * 12}})
        return out

    def _timeline(self, account: Account, with_replies: bool) -> list[dict]:
        now = self.now()
        tweets = [self._story_post(account, p) for p in self.story_of(account).posts("x", now.date())
                  if p.posted_at <= now]
        tweets += [t for t in self.store.posts(self.platform, account.id) if parse_time(t["created_at"]) <= now
                   and (with_replies or not t.get("_parent"))]
        if with_replies:
            tweets += [t for t in self._replies_of(account, now) if t["author_id"] == account.id]
        tweets.sort(key=lambda t: int(t["id"]), reverse=True)
        return tweets[:3200 if with_replies else 800]  # the documented reach of the user Posts timeline

    def _user(self, account: Account) -> dict:
        posts = self._timeline(account, with_replies=True)
        return {"id": account.id, "name": account.name, "username": account.handle,
                "created_at": stamp(datetime(2019, 3, 1, tzinfo=UTC)), "description": f"{account.name} · music",
                "profile_image_url": f"https://pbs.twimg.com/profile_images/{account.id}/avatar_normal.jpg",
                "verified": False, "subscription_type": "None", "protected": False,
                "public_metrics": {"followers_count": self.story_of(account).followers("x", self.now().date()),
                                   "following_count": 200 + seed_hash(account.id) % 500, "tweet_count": len(posts),
                                   "listed_count": 12 + seed_hash(account.id, "l") % 40,
                                   "like_count": 1000 + seed_hash(account.id, "k") % 5000}}

    @staticmethod
    def _shape(item: dict, request: Request, kind: str, default: tuple[str, ...]) -> dict:
        wanted = set(default) | {f for f in request.query_params.get(f"{kind}.fields", "").split(",") if f}
        return {k: v for k, v in item.items() if k in wanted and not k.startswith("_")}

    def _list(self, request: Request, items: list[dict], max_results: int, users: dict[str, dict]) -> dict:
        token = request.query_params.get("pagination_token") or request.query_params.get("next_token")
        if token:
            try:
                before = int(token, 36)
            except ValueError:
                raise self._invalid("pagination_token", token, "The pagination token is invalid") from None
            items = [t for t in items if int(t["id"]) < before]
        page = items[:max_results]
        if not page:
            return {"meta": {"result_count": 0}}
        body: dict = {"data": [self._shape(t, request, "tweet", DEFAULT_FIELDS) for t in page],
                      "meta": {"newest_id": page[0]["id"], "oldest_id": page[-1]["id"], "result_count": len(page)}}
        if len(items) > max_results:
            body["meta"]["next_token"] = b36(int(page[-1]["id"]))
        expansions = set(request.query_params.get("expansions", "").split(","))
        includes: dict = {}
        if "author_id" in expansions:
            authors = {t["author_id"]: users.get(t["author_id"]) or t.get("_author") for t in page}
            includes["users"] = [self._shape(u, request, "user", ("id", "name", "username"))
                                 for u in authors.values() if u]
        if "attachments.media_keys" in expansions:
            includes["media"] = [self._shape(m, request, "media", ("media_key", "type"))
                                 for t in page for m in t.get("_media") or []]
        if any(includes.values()):
            body["includes"] = {k: v for k, v in includes.items() if v}
        return body

    def _window(self, request: Request, items: list[dict], earliest: datetime | None = None) -> list[dict]:
        q = request.query_params
        for name in ("start_time", "end_time"):
            if q.get(name):
                try:
                    moment = parse_time(q[name])
                except ValueError:
                    raise self._invalid(name, q[name], f"Invalid '{name}': expected YYYY-MM-DDTHH:mm:ssZ") from None
                if name == "start_time" and earliest and moment < earliest:
                    raise self._invalid(name, q[name], f"Invalid 'start_time':'{q[name]}'. 'start_time' must be on "
                                                       f"or after {stamp(earliest)}")
                items = [t for t in items if (parse_time(t["created_at"]) >= moment if name == "start_time"
                                              else parse_time(t["created_at"]) < moment)]
        if q.get("since_id"):
            items = [t for t in items if int(t["id"]) > int(q["since_id"])]
        if q.get("until_id"):
            items = [t for t in items if int(t["id"]) < int(q["until_id"])]
        return items

    # ---------------------------------------------------------------- reading
    async def users_me(self, request: Request) -> Response:
        caller = await self._caller(request, READ)
        user = await self.store.call(self._user, caller.account)
        return JSONResponse({"data": self._shape(user, request, "user", ("id", "name", "username"))})

    async def user_tweets(self, request: Request) -> Response:
        caller = await self._caller(request, READ)
        uid = request.path_params["id"]
        account = caller.account if uid == caller.account.id else await self.store.call(self.store.account,
                                                                                         self.platform, uid)
        if account is None:
            return JSONResponse({"errors": [{"value": uid, "detail": f"Could not find user with id: [{uid}].",
                                             "title": "Not Found Error", "resource_type": "user", "parameter": "id",
                                             "resource_id": uid,
                                             "type": "https://api.x.com/2/problems/resource-not-found"}]})
        max_results = self._int(request, "max_results", 10, 5, 100)
        exclude = set(request.query_params.get("exclude", "").split(","))
        tweets = await self.store.call(self._timeline, account, "replies" not in exclude)
        return JSONResponse(self._list(request, self._window(request, tweets), max_results, {}))

    def _corpus(self) -> tuple[list[dict], dict[str, dict]]:
        now, tweets, users = self.now(), [], {}
        for account in self.store.accounts(self.platform):
            users[account.id] = {"id": account.id, "name": account.name, "username": account.handle}
            tweets += self._replies_of(account, now)
            tweets += [t for t in self.store.posts(self.platform, account.id) if t.get("_parent")]
        week = now - timedelta(days=7)
        return sorted((t for t in tweets if parse_time(t["created_at"]) >= week), key=lambda t: -int(t["id"])), users

    async def search_recent(self, request: Request) -> Response:
        await self._caller(request, READ)
        query = request.query_params.get("query", "")
        if not query or len(query) > 512:
            raise self._invalid("query", query, "The `query` parameter is required and at most 512 characters long")
        try:
            match = compile_query(query)
        except ValueError as exc:
            raise self._invalid("query", query, f"There were errors processing your request: {exc}") from None
        max_results = self._int(request, "max_results", 10, 10, 100)
        tweets, users = await self.store.call(self._corpus)
        tweets = self._window(request, tweets, earliest=self.now() - timedelta(days=7))
        return JSONResponse(self._list(request, [t for t in tweets if match(t)], max_results, users))

    # ---------------------------------------------------------------- posting
    async def create_tweet(self, request: Request) -> Response:
        caller = await self._caller(request, WRITE)
        try:
            body = await request.json()
        except ValueError:
            raise ApiError(self.error(400, "invalid_request", "The request body is not valid JSON")) from None
        text = str((body or {}).get("text") or "")
        media_ids = [str(m) for m in ((body or {}).get("media") or {}).get("media_ids") or []]
        if not text and not media_ids:
            raise self._invalid("text", "", "A post needs text or media")
        if len(text) > 280:  # longer posts need a Premium subscription
            raise self._invalid("text", text[:20] + "…", "Your Tweet text is too long.")
        media = []
        for mid in media_ids[:5]:
            upload = await self.store.call(self.store.get, f"x:media:{mid}")
            usable = upload and upload["owner"] == caller.account.id and upload["state"] == "succeeded"
            if not usable or len(media_ids) > 4:
                raise self._invalid("media.media_ids", mid, "Your media IDs are invalid.")
            media.append({"media_key": upload["media_key"], "type": upload["kind"]})
        a, now = caller.account, self.now()
        replying = await self._replied_to(a, body)
        recent = await self.store.call(self.store.posts, self.platform, a.id)
        if text and any(t["text"] == text and now - parse_time(t["created_at"]) < timedelta(hours=24) for t in recent):
            raise ApiError(self.error(403, "forbidden",
                                      "You are not allowed to create a Tweet with duplicate content."))
        tid = snowflake(now, "x-post", a.id, secrets.token_hex(4))
        tweet = {"id": tid, "text": text, "created_at": stamp(now), "author_id": a.id, "conversation_id": tid,
                 "edit_history_tweet_ids": [tid], "_from": a.handle, "entities": {"hashtags": []},
                 "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 0, "quote_count": 0,
                                    "bookmark_count": 0, "impression_count": 0}}
        if media:
            tweet["attachments"], tweet["_media"] = {"media_keys": [m["media_key"] for m in media]}, media
        if replying:  # a reply joins the conversation of the post it answers
            tweet.update(conversation_id=replying["conversation_id"], in_reply_to_user_id=replying["author_id"],
                         referenced_tweets=[{"type": "replied_to", "id": replying["id"]}],
                         _to=replying.get("_from", ""), _parent=replying["id"])
        await self.store.call(self.store.save_post, self.platform, a.id, tweet)
        await self.control.after_effect(self._path(request))
        return JSONResponse({"data": {"id": tid, "text": text, "edit_history_tweet_ids": [tid]}}, status_code=201)

    async def _replied_to(self, account: Account, body: dict | None) -> dict | None:
        """The post a `reply.in_reply_to_tweet_id` names (one of the account's, or any stored post),
        or a 400 as X gives for a post that does not exist or cannot be seen."""
        reply = (body or {}).get("reply")
        if not reply:
            return None
        target = str(reply.get("in_reply_to_tweet_id") or "") if isinstance(reply, dict) else ""
        if not target.isdigit():
            raise self._invalid("reply.in_reply_to_tweet_id", target, "reply.in_reply_to_tweet_id must be a post id")
        own = await self.store.call(self._timeline, account, True)
        found = next((t for t in own if t["id"] == target), None)
        if found is None:
            stored = await self.store.call(self.store.find_post, self.platform, target)
            found = stored[1] if stored else None
        if found is None:
            raise self._invalid("reply.in_reply_to_tweet_id", target,
                                "The Post you are replying to has been deleted or is not visible to you.")
        return found

    async def hide_reply(self, request: Request) -> Response:
        """PUT /2/tweets/:id/hidden {"hidden": bool}: hide a reply to one of the caller's conversations (or
        show it again); {"data": {"hidden": bool}}. tweet.moderate.write."""
        caller = await self._caller(request, ("tweet.read", "users.read", "tweet.moderate.write"))
        try:
            hidden = (await request.json() or {}).get("hidden")
        except ValueError:
            raise ApiError(self.error(400, "invalid_request", "The request body is not valid JSON")) from None
        if not isinstance(hidden, bool):
            raise self._invalid("hidden", hidden, "hidden must be true or false")
        tid, a = request.path_params["id"], caller.account
        replies = await self.store.call(self._corpus)
        found = next((t for t in replies[0] if t["id"] == tid), None)
        if found is None:
            stored = await self.store.call(self.store.find_post, self.platform, tid)
            found = stored[1] if stored else None
        if found is None:
            raise ApiError(self.error(404, "not_found", f"Could not find tweet with id: [{tid}]."))
        own = {t["id"] for t in await self.store.call(self._timeline, a, False)}
        if not found.get("_parent") or found.get("conversation_id") not in own or found.get("author_id") == a.id:
            raise ApiError(self.error(403, "forbidden", "You can only hide or unhide replies to conversations you "
                                                        "authored, and not your own replies."))
        await self.store.call(self._remember_hidden, a.id, tid, hidden)
        return JSONResponse({"data": {"hidden": hidden}})

    def _remember_hidden(self, account_id: str, tweet_id: str, hidden: bool) -> None:
        found = set(self.store.get(f"x:hidden:{account_id}", []))
        found = found | {tweet_id} if hidden else found - {tweet_id}
        self.store.put(f"x:hidden:{account_id}", sorted(found))

    async def media_init(self, request: Request) -> Response:
        caller = await self._caller(request, MEDIA)
        try:
            body = await request.json()
            mime, total = str(body["media_type"]), int(body["total_bytes"])
        except (ValueError, KeyError, TypeError):
            raise self._invalid("media_type", "", "media_type and total_bytes are required") from None
        if mime not in MEDIA_TYPES or total <= 0:
            raise self._invalid("media_type", mime, "Unsupported media_type or total_bytes")
        kind = "video" if mime.startswith("video/") else "animated_gif" if mime == "image/gif" else "photo"
        mid = snowflake(self.now(), "x-media", secrets.token_hex(4))
        key = f"{7 if kind == 'video' else 16 if kind == 'animated_gif' else 3}_{mid}"
        await self.store.call(self.store.put, f"x:media:{mid}", {
            "owner": caller.account.id, "kind": kind, "media_key": key, "total": total, "segments": {},
            "state": "uploading"})
        return JSONResponse({"data": {"id": mid, "media_key": key, "expires_after_secs": 86400}})

    async def _upload_of(self, request: Request) -> tuple[str, dict]:
        caller = await self._caller(request, MEDIA)
        mid = request.path_params.get("id") or request.query_params.get("media_id", "")
        upload = await self.store.call(self.store.get, f"x:media:{mid}")
        if upload is None or upload["owner"] != caller.account.id:
            raise self._invalid("media_id", mid, "The media_id is invalid")
        return mid, upload

    async def media_append(self, request: Request) -> Response:
        mid, upload = await self._upload_of(request)
        form = await request.form()
        segment, part = str(form.get("segment_index", "")), form.get("media")
        if not segment.isdigit() or int(segment) > 999 or part is None or isinstance(part, str):
            raise self._invalid("segment_index", segment, "segment_index (0-999) and a media part are required")
        upload["segments"][segment] = len(await part.read())
        await self.store.call(self.store.put, f"x:media:{mid}", upload)
        return JSONResponse({"data": {"expires_at": int(time.time()) + 86400}})

    async def media_finalize(self, request: Request) -> Response:
        mid, upload = await self._upload_of(request)
        size = sum(upload["segments"].values())
        if size != upload["total"]:
            raise self._invalid("media_id", mid, f"File size mismatch: received {size} of {upload['total']} bytes")
        upload["state"] = "pending" if upload["kind"] == "video" else "succeeded"
        await self.store.call(self.store.put, f"x:media:{mid}", upload)
        data = {"id": mid, "media_key": upload["media_key"], "size": size, "expires_after_secs": 86400}
        if upload["state"] != "succeeded":
            data["processing_info"] = {"state": "pending", "check_after_secs": 1}
        return JSONResponse({"data": data})

    async def media_status(self, request: Request) -> Response:
        if request.query_params.get("command") != "STATUS":
            raise self._invalid("command", request.query_params.get("command"), "command must be STATUS")
        mid, upload = await self._upload_of(request)
        upload["state"] = {"pending": "in_progress", "in_progress": "succeeded"}.get(upload["state"], upload["state"])
        await self.store.call(self.store.put, f"x:media:{mid}", upload)
        info = {"state": upload["state"], **({"check_after_secs": 1, "progress_percent": 50}
                                             if upload["state"] != "succeeded" else {"progress_percent": 100})}
        return JSONResponse({"data": {"id": mid, "media_key": upload["media_key"], "processing_info": info}})

    def api_routes(self) -> list[Route]:
        g = self.guarded
        return [
            Route("/api/2/oauth2/revoke", self.revoke, methods=["POST"]),
            Route("/api/2/users/me", g(self.users_me), methods=["GET"]),
            Route("/api/2/users/{id}/tweets", g(self.user_tweets), methods=["GET"]),
            Route("/api/2/tweets/search/recent", g(self.search_recent), methods=["GET"]),
            Route("/api/2/tweets", g(self.create_tweet), methods=["POST"]),
            Route("/api/2/tweets/{id}/hidden", g(self.hide_reply), methods=["PUT"]),
            Route("/api/2/media/upload/initialize", g(self.media_init), methods=["POST"]),
            Route("/api/2/media/upload/{id}/append", g(self.media_append), methods=["POST"]),
            Route("/api/2/media/upload/{id}/finalize", g(self.media_finalize), methods=["POST"]),
            Route("/api/2/media/upload", g(self.media_status), methods=["GET"]),
        ]


EMULATOR = XEmulator
