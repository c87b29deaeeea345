"""The sandbox's REST API under /api/v1, Bearer-authenticated, with cursor pagination."""

from __future__ import annotations

import base64
import html
import secrets
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from dreamsuite.platforms.sandbox import data, signing
from dreamsuite.platforms.sandbox.control import Control

if TYPE_CHECKING:
    from dreamsuite.platforms.sandbox.store import Store

MAX_TEXT = 2200
DEFAULT_LIMIT, MAX_LIMIT = 20, 100


class ApiError(Exception):
    def __init__(self, status: int, error: str, description: str, headers: dict | None = None):
        super().__init__(description)
        self.response = JSONResponse({"error": error, "error_description": description},
                                     status_code=status, headers=headers)


def base_url(request: Request) -> str:
    """This app's own URL including the prefix it is mounted under (Starlette's base_url omits it)."""
    return f"{request.url.scheme}://{request.url.netloc}{request.scope.get('root_path', '')}/"


def _today() -> date:
    return datetime.now(UTC).date()


def _claims(request: Request, need: str) -> signing.Claims:
    auth = request.headers.get("authorization", "")
    token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    claims = signing.verify(token, "access") if token else None
    if claims is None:
        what = "missing" if not token else "invalid or expired"
        raise ApiError(401, "invalid_token", f"The access token is {what}",
                       {"WWW-Authenticate": 'Bearer error="invalid_token"'})
    if need not in claims.scope.split():
        raise ApiError(403, "insufficient_scope", f"This call needs the '{need}' scope")
    return claims


def _since(request: Request) -> datetime | None:
    raw = request.query_params.get("since")
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(400, "invalid_request", "since must be an ISO date or datetime") from None
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def _page(request: Request, items: list[dict]) -> dict:
    """Keyset pagination over items sorted by (created_at, id): stable while items are added."""
    try:
        limit = min(MAX_LIMIT, max(1, int(request.query_params.get("limit", DEFAULT_LIMIT))))
    except ValueError:
        raise ApiError(400, "invalid_request", "limit must be a number") from None
    cursor = request.query_params.get("cursor")
    if cursor:
        try:
            after = tuple(base64.urlsafe_b64decode(cursor.encode()).decode().split("|", 1))
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "invalid_request", "cursor is not valid") from None
        items = [i for i in items if (i["created_at"], i["id"]) > after]
    page = items[:limit]
    more = len(items) > limit
    nxt = base64.urlsafe_b64encode(f"{page[-1]['created_at']}|{page[-1]['id']}".encode()).decode() if more else None
    return {"data": page, "next_cursor": nxt}


def _filter_since(items: list[dict], since: datetime | None) -> list[dict]:
    if since is None:
        return items
    return [i for i in items if datetime.fromisoformat(i["created_at"]) >= since]


def routes(store: "Store", control: Control) -> list[Route]:
    def handle(need: str):
        def deco(fn):
            async def endpoint(request: Request) -> Response:
                try:
                    return await fn(request, _claims(request, need))
                except ApiError as exc:
                    return exc.response

            return endpoint

        return deco

    @handle("profile")
    async def me(request: Request, c: signing.Claims) -> Response:
        a = data.artist(c.sub)
        return JSONResponse({"id": a.user_id, "username": a.username, "display_name": a.display_name})

    @handle("read")
    async def metrics(request: Request, c: signing.Claims) -> Response:
        since = _since(request)
        days = data.daily_metrics(c.sub, _today(), since.date() if since else None)
        return JSONResponse({"data": days})

    @handle("read")
    async def list_posts(request: Request, c: signing.Claims) -> Response:
        items = data.posts(c.sub, _today()) + [dict(p) for p in store.published.get(c.sub, [])]
        items.sort(key=lambda p: (p["created_at"], p["id"]))
        for p in items:
            p.setdefault("url", f"{base_url(request)}p/{p['id']}")
        return JSONResponse(_page(request, _filter_since(items, _since(request))))

    @handle("read")
    async def list_comments(request: Request, c: signing.Claims) -> Response:
        items = data.comments(c.sub, _today()) + [dict(x) for x in store.comments.get(c.sub, [])]
        items.sort(key=lambda x: (x["created_at"], x["id"]))
        post_id = request.query_params.get("post_id")
        if post_id:
            items = [i for i in items if i["post_id"] == post_id]
        return JSONResponse(_page(request, _filter_since(items, _since(request))))

    @handle("publish")
    async def create_post(request: Request, c: signing.Claims) -> Response:
        try:
            body = await request.json()
        except ValueError:
            raise ApiError(400, "invalid_request", "The body must be JSON") from None
        text = body.get("text") if isinstance(body, dict) else None
        media = (body.get("media") or []) if isinstance(body, dict) else []
        if not isinstance(text, str) or not text.strip():
            raise ApiError(422, "validation_failed", "text must not be empty")
        if len(text) > MAX_TEXT:
            raise ApiError(422, "validation_failed", f"text is {len(text)} characters; the limit is {MAX_TEXT}")
        if not isinstance(media, list) or not all(isinstance(m, dict) and m.get("url") for m in media):
            raise ApiError(422, "validation_failed", "media must be a list of objects with a url")
        key = request.headers.get("idempotency-key", "")
        if key and (c.sub, key) in store.idempotency:
            post = store.idempotency[(c.sub, key)]
            if post["caption"] != text:
                raise ApiError(422, "idempotency_key_reused", "This Idempotency-Key was used for a different post")
            return JSONResponse(_public(post), status_code=201, headers={"Idempotent-Replayed": "true"})
        now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        pid = f"{data.short_id(c.sub)}_pub_{secrets.token_hex(5)}"
        post = {"id": pid, "type": "post", "caption": text, "hashtags": _hashtags(text),
                "created_at": now.isoformat(), "url": f"{base_url(request)}p/{pid}", "media": media,
                "likes": 0, "comments": 0, "shares": 0, "saves": 0, "views": 0, "plays": 0,
                "reach": 0, "impressions": 0}
        store.add_published(c.sub, post, key)
        await control.after_effect("/api/v1/posts")
        return JSONResponse(_public(post), status_code=201)

    @handle("publish")
    async def create_comment(request: Request, c: signing.Claims) -> Response:
        """A comment under one of the account's own posts (the first comment after a post), with
        the same Idempotency-Key handling as a post: a replay answers with the comment already made."""
        try:
            body = await request.json()
        except ValueError:
            raise ApiError(400, "invalid_request", "The body must be JSON") from None
        body = body if isinstance(body, dict) else {}
        text, post_id = body.get("text"), body.get("post_id")
        if not isinstance(post_id, str) or not post_id:
            raise ApiError(422, "validation_failed", "post_id is required")
        if not isinstance(text, str) or not text.strip():
            raise ApiError(422, "validation_failed", "text must not be empty")
        if len(text) > MAX_TEXT:
            raise ApiError(422, "validation_failed", f"text is {len(text)} characters; the limit is {MAX_TEXT}")
        own = [p["id"] for p in store.published.get(c.sub, [])]
        if post_id not in own and not any(p["id"] == post_id for p in data.posts(c.sub, _today())):
            raise ApiError(404, "not_found", f"No post {post_id} on this account")
        key = request.headers.get("idempotency-key", "")
        if key and (c.sub, key) in store.comment_keys:
            done = store.comment_keys[(c.sub, key)]
            if done["text"] != text or done["post_id"] != post_id:
                raise ApiError(422, "idempotency_key_reused", "This Idempotency-Key was used for a different comment")
            return JSONResponse(_comment(done), status_code=201, headers={"Idempotent-Replayed": "true"})
        now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        comment = {"id": f"{post_id}_cm_{secrets.token_hex(4)}", "post_id": post_id, "parent_id": "",
                   "author": data.artist(c.sub).username, "text": text, "likes": 0, "created_at": now.isoformat()}
        store.add_comment(c.sub, comment, key)
        await control.after_effect("/api/v1/comments")
        return JSONResponse(_comment(comment), status_code=201)

    async def view_post(request: Request) -> Response:
        # The public page a post URL points to (published posts and the demo artist's history).
        pid = request.path_params["pid"]
        pool = [p for posts in store.published.values() for p in posts] + data.posts(data.DEFAULT_USER, _today())
        post = next((p for p in pool if p["id"] == pid), None)
        if post is None:
            return HTMLResponse("<h1>Post not found</h1>", status_code=404)
        said = "".join(f"<li><b>@{html.escape(x['author'])}</b> {html.escape(x['text'])}</li>"
                       for x in (x for mine in store.comments.values() for x in mine) if x["post_id"] == pid)
        return HTMLResponse(f"<!doctype html><meta charset='utf-8'><title>Post</title>"
                            f"<p>{html.escape(post['caption'])}</p><small>{post['created_at']} UTC</small>"
                            + (f"<ul>{said}</ul>" if said else ""))

    async def view_profile(request: Request) -> Response:
        # The public page of an account: what it published (where "check on the platform" points).
        username = request.path_params["username"]
        user = next((u for u in store.published if data.artist(u).username == username), None)
        posts = list(reversed(store.published.get(user, []))) if user else []
        items = "".join(f"<li><p>{html.escape(p['caption'])}</p><small>{p['created_at']} UTC</small></li>"
                        for p in posts[:100])
        return HTMLResponse(f"<!doctype html><meta charset='utf-8'><title>@{html.escape(username)}</title>"
                            f"<h1>@{html.escape(username)}</h1><ul>{items or '<li>No posts yet.</li>'}</ul>")

    return [
        Route("/p/{pid}", view_post, methods=["GET"]),
        Route("/u/{username}", view_profile, methods=["GET"]),
        Route("/api/v1/me", me, methods=["GET"]),
        Route("/api/v1/metrics/daily", metrics, methods=["GET"]),
        Route("/api/v1/posts", list_posts, methods=["GET"]),
        Route("/api/v1/posts", create_post, methods=["POST"]),
        Route("/api/v1/comments", list_comments, methods=["GET"]),
        Route("/api/v1/comments", create_comment, methods=["POST"]),
    ]


def _public(post: dict) -> dict:
    return {"id": post["id"], "url": post["url"], "created_at": post["created_at"]}


def _comment(comment: dict) -> dict:
    return {"id": comment["id"], "post_id": comment["post_id"], "created_at": comment["created_at"]}


def _hashtags(text: str) -> list[str]:
    return [w[1:].strip(".,!?").lower() for w in text.split() if w.startswith("#") and len(w) > 1]
