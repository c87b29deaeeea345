"""The public REST API, /api/v1 on the backend: a workspace's accounts, posts, metrics and
insights for a bearer token (services/api_tokens.py). Posts are written through services/publish.py
(the composer's own checks and queue) and read back in one shape (services/api_read.py).

Every failure is JSON {"error": code, "message": ..., "details": [...]}: 400 a body that is not
JSON, 401 no token or a wrong or revoked one, 403 a read token asked to write, 404 anything not in
the token's workspace (another workspace's ids included: never 403, so nothing leaks), 409 a post
that can no longer change, 422 an invalid body or parameter (details per field). A refused request
changes nothing.
"""

from __future__ import annotations

import functools
import json
import logging
from datetime import date, datetime
from typing import Any, Awaitable, Callable

from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from dreamsuite import db
from dreamsuite.api.v1_schema import PostIn, PostPatch, openapi
from dreamsuite.models import PostStatus, Role
from dreamsuite.platforms import UnknownPlatform, get_adapter
from dreamsuite.services import api_read, api_tokens, insights, publish
from dreamsuite.services.post_checks import FieldErrors, PublishValidationError
from dreamsuite.services.post_time import AmbiguousTime, zone
from dreamsuite.services.scope import AccessDenied, NotFound, Scope

log = logging.getLogger(__name__)
MAX_BODY = 256 * 1024
MAX_ID = 2**31 - 1
FIELD_NAMES = {"accounts": "account_ids", "when": "scheduled_at"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: list[dict] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details or []


def error_response(status: int, code: str, message: str, details: list[dict] | None = None) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="Dream Suite API", error="invalid_token"'} if status == 401 else None
    return JSONResponse({"error": code, "message": message, "details": details or []}, status_code=status,
                        headers=headers)


def _pydantic_details(exc: ValidationError) -> list[dict]:
    return [{"field": ".".join(str(p) for p in e["loc"]) or "body", "message": e["msg"], "type": e["type"]}
            for e in exc.errors(include_url=False, include_context=False, include_input=False)]


def _field_details(exc: FieldErrors) -> list[dict]:
    out = []
    for where, messages in exc.errors.items():
        name = f"variants.{where.split(':', 1)[1]}" if where.startswith("variant:") else FIELD_NAMES.get(where, where)
        out += [{"field": name, "message": m, "type": "invalid"} for m in messages]
    return out


# ------------------------------------------------------------------ auth and plumbing
async def _scope(request: Request, write: bool) -> Scope:
    header = request.headers.get("authorization", "")
    kind, _, token = header.partition(" ")
    if not header:
        raise ApiError(401, "missing_token", "Send your API token as `Authorization: Bearer <token>`.")
    if kind.lower() != "bearer" or not token.strip():
        raise ApiError(401, "invalid_token", "The Authorization header must be `Bearer <token>`.")
    try:
        scope = await db.run(api_tokens.verify, token.strip())
    except api_tokens.InvalidToken:
        raise ApiError(401, "invalid_token", "This token is not valid (mistyped, revoked, or its creator left "
                                             "the workspace).") from None
    if write and not scope.can(Role.editor):
        raise ApiError(403, "insufficient_scope", "This token can only read: create a token with write access "
                                                  "to make changes.")
    return scope


def endpoint(write: bool = False):
    """Authenticate, run the handler, and turn every refusal into our JSON error."""

    def wrap(handler: Callable[[Request, Scope], Awaitable[JSONResponse]]):
        @functools.wraps(handler)
        async def run(request: Request) -> JSONResponse:
            try:
                return await handler(request, await _scope(request, write))
            except ApiError as exc:
                return error_response(exc.status, exc.code, exc.message, exc.details)
            except ValidationError as exc:
                return error_response(422, "invalid_body", "The body does not match the schema.",
                                      _pydantic_details(exc))
            except NotFound:
                return error_response(404, "not_found", "Not found in this workspace.")
            except AccessDenied as exc:
                return error_response(403, "forbidden", exc.message)
            except FieldErrors as exc:
                return error_response(422, "invalid_post", exc.message, _field_details(exc))
            except AmbiguousTime as exc:
                return error_response(422, "ambiguous_time", exc.message, [
                    {"field": "fold", "message": label, "type": "choice", "value": fold} for fold, label in exc.choices])
            except PublishValidationError as exc:
                return error_response(409, "conflict", exc.message)

        return run

    return wrap


async def _body(request: Request, model: type[BaseModel]) -> BaseModel:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise ApiError(413, "too_large", f"The body can be at most {MAX_BODY // 1024} KB.")
    try:
        data = json.loads(raw or b"null")
    except ValueError:
        raise ApiError(400, "invalid_json", "The body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise ApiError(422, "invalid_body", "The body must be a JSON object.",
                       [{"field": "body", "message": "expected an object", "type": "model_type"}])
    return model.model_validate(data)


def _post_id(request: Request) -> int:
    raw = request.path_params["post_id"]
    if not raw.isdigit() or int(raw) > MAX_ID:
        raise NotFound("no such post")
    return int(raw)


def _when(scheduled_at: datetime | None, timezone: str, fold: int | None) -> tuple[datetime | None, int | None]:
    """The composer's terms: a wall-clock time in the post's timezone, and which of two (fold)."""
    if scheduled_at is None or scheduled_at.tzinfo is None:
        return scheduled_at, fold
    local = scheduled_at.astimezone(zone(timezone))
    return local.replace(tzinfo=None), local.fold


# ------------------------------------------------------------------ routes
@endpoint()
async def list_accounts(request: Request, scope: Scope) -> JSONResponse:
    return JSONResponse({"data": await db.run(api_read.accounts, scope)})


@endpoint()
async def list_posts(request: Request, scope: Scope) -> JSONResponse:
    q = request.query_params
    details = []
    status = q.get("status") or None
    if status and status not in set(PostStatus):
        details.append({"field": "status", "message": f"one of {', '.join(PostStatus)}", "type": "enum"})
    limit, before = q.get("limit", "50"), q.get("before")
    if not limit.isdigit() or not 1 <= int(limit) <= 100:
        details.append({"field": "limit", "message": "a whole number from 1 to 100", "type": "int"})
    if before is not None and (not before.isdigit() or int(before) > MAX_ID + 1):
        details.append({"field": "before", "message": "a post id", "type": "int"})
    if details:
        raise ApiError(422, "invalid_query", "A query parameter is invalid.", details)
    rows = await db.run(api_read.posts, scope, status=status, limit=int(limit),
                        before=int(before) if before else None)
    return JSONResponse({"data": rows, "next_before": rows[-1]["id"] if len(rows) == int(limit) else None})


@endpoint(write=True)
async def create_post(request: Request, scope: Scope) -> JSONResponse:
    body: PostIn = await _body(request, PostIn)  # type: ignore[assignment]
    local, fold = _when(body.scheduled_at, body.timezone, body.fold)
    post = await publish.schedule_post(scope, body.content, body.account_ids, local, body.timezone, fold,
                                       variants=body.variants, first_comment=body.first_comment, media=body.media,
                                       draft=body.draft, post_now=body.post_now)
    out = await db.run(api_read.post, scope, post.id)
    return JSONResponse(out, status_code=201, headers={"Location": f"/api/v1/posts/{post.id}"})


@endpoint()
async def get_post(request: Request, scope: Scope) -> JSONResponse:
    return JSONResponse(await db.run(api_read.post, scope, _post_id(request)))


@endpoint(write=True)
async def update_post(request: Request, scope: Scope) -> JSONResponse:
    post_id = _post_id(request)
    current = await db.run(publish.get_post, scope, post_id)  # NotFound first: another workspace's id is 404
    body: PostPatch = await _body(request, PostPatch)  # type: ignore[assignment]
    given = body.model_fields_set
    tz = body.timezone or current["timezone"]
    if "scheduled_at" in given:
        local, fold = _when(body.scheduled_at, tz, body.fold)
    elif current["scheduled_at"] is not None:  # the same instant, seen from the (new) timezone
        local, fold = _when(current["scheduled_at"], tz, None)
    else:
        local, fold = None, None

    def pick(name: str, now: Any) -> Any:
        value = getattr(body, name)
        return now if value is None else value

    draft = pick("draft", current["status"] == PostStatus.draft)
    post = await publish.update_post(
        scope, post_id, pick("content", current["content"]), pick("account_ids", current["connection_ids"]), local,
        tz, fold, variants=pick("variants", current["variants"]), first_comment=pick("first_comment",
                                                                                     current["first_comment"]),
        media=pick("media", [m["id"] for m in current["media"]]), draft=draft, post_now=bool(body.post_now))
    return JSONResponse(await db.run(api_read.post, scope, post.id))


@endpoint(write=True)
async def cancel_post(request: Request, scope: Scope) -> JSONResponse:
    post_id = _post_id(request)
    await db.run(publish.cancel_post, scope, post_id)
    out = await db.run(api_read.post, scope, post_id)
    if out["status"] != PostStatus.cancelled:
        raise ApiError(409, "conflict", f"This post is {out['status'].replace('_', ' ')}: what went out cannot be "
                                        "cancelled (anything not yet sent was).")
    return JSONResponse(out)


def _date(q, name: str, details: list) -> date | None:
    raw = q.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        details.append({"field": name, "message": "a date as YYYY-MM-DD", "type": "date"})
        return None


@endpoint()
async def metrics(request: Request, scope: Scope) -> JSONResponse:
    q, details = request.query_params, []
    start, end = _date(q, "from", details), _date(q, "to", details)
    platform = q.get("platform") or None
    if platform:
        try:
            get_adapter(platform)
        except UnknownPlatform:
            details.append({"field": "platform", "message": f"unknown platform {platform[:40]!r}", "type": "enum"})
    if start and end and start > end:
        details.append({"field": "from", "message": "`from` is after `to`", "type": "range"})
    elif start and end and (end - start).days >= api_read.MAX_METRIC_DAYS:
        details.append({"field": "from", "message": f"at most {api_read.MAX_METRIC_DAYS} days at once",
                        "type": "range"})
    if details:
        raise ApiError(422, "invalid_query", "A query parameter is invalid.", details)
    return JSONResponse(await db.run(api_read.metrics, scope, platform, start, end))


@endpoint()
async def list_insights(request: Request, scope: Scope) -> JSONResponse:
    dismissed = request.query_params.get("include_dismissed", "").lower() in ("1", "true", "yes")
    rows = await db.run(functools.partial(insights.feed, scope, include_dismissed=dismissed))
    keep = ("id", "type", "priority", "title", "message", "actions", "is_read", "created_at", "expires_at")
    return JSONResponse({"data": [{k: api_read.iso(r[k]) if isinstance(r[k], datetime) else r[k] for k in keep}
                                  for r in rows]})


async def openapi_json(request: Request) -> JSONResponse:
    return JSONResponse(openapi())


async def _not_found(request: Request, exc: HTTPException) -> JSONResponse:
    if exc.status_code == 405:
        return error_response(405, "method_not_allowed", f"{request.method} is not allowed here.")
    return error_response(exc.status_code, "not_found" if exc.status_code == 404 else "error", str(exc.detail))


def create_app() -> Starlette:
    return Starlette(routes=[
        Route("/accounts", list_accounts, methods=["GET"]),
        Route("/posts", list_posts, methods=["GET"]),
        Route("/posts", create_post, methods=["POST"]),
        Route("/posts/{post_id}", get_post, methods=["GET"]),
        Route("/posts/{post_id}", update_post, methods=["PATCH"]),
        Route("/posts/{post_id}", cancel_post, methods=["DELETE"]),
        Route("/metrics", metrics, methods=["GET"]),
        Route("/insights", list_insights, methods=["GET"]),
        Route("/openapi.json", openapi_json, methods=["GET"]),
    ], exception_handlers={HTTPException: _not_found})
