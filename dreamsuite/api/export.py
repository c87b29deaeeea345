"""/export/dashboard.csv, /export/dashboard.json and /report: the dashboard's numbers for a
range (`start`, `end` as ISO dates, optional `platform`), to download or to print.
/export/posts.csv|json (`status`: all, scheduled or published) and /export/insights.csv|json: the
workspace's posts and insights (services/post_export). POST /import/posts: a CSV or JSON file of
posts (multipart upload, or the raw body), checked only with `dry_run=1`, else imported whole or
not at all (services/post_import); for editors and owners, from the app's own pages (same origin).

Only for a logged-in member: the HttpOnly session cookie names the login, and the workspace is
the one that login belongs to (never a workspace id from the query). Without a live login the
answer is 401 (the report, a page, sends the browser to the login page instead). Database work
runs on the database threads.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, urlencode

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from dreamsuite import db
from dreamsuite.api.security import same_origin, session_token
from dreamsuite.platforms import UnknownPlatform, get_adapter
from dreamsuite.models import Role
from dreamsuite.services import auth, post_export, post_import
from dreamsuite.services.post_file import MAX_BYTES
from dreamsuite.services.export import csv_rows, csv_text, export_data, file_name
from dreamsuite.services.scope import AccessDenied, Scope
from dreamsuite.settings import get_settings

log = logging.getLogger(__name__)
PRIVATE = {"Cache-Control": "no-store, private", "X-Robots-Tag": "noindex"}
_PLATFORM = re.compile(r"^[a-z0-9_]{1,32}$")


class BadQuery(ValueError):
    """A query the user can fix; the message says how."""


@dataclass(frozen=True)
class Login:
    scope: Scope
    workspace_name: str
    user_timezone: str


async def login_of(request: Request) -> Login | None:
    """The live login behind the request's cookie, with its workspace (None: nobody)."""
    token = session_token(request)
    if not token:
        return None
    # The workspace picked in the sidebar (its cookie), while the user is still a member of it.
    picked = auth.workspace_from_cookie(request.cookies.get(auth.WORKSPACE_COOKIE, ""))
    info = await db.run(auth.session_for, token, picked)
    if info is None or info.workspace_id is None:
        return None
    try:
        scope = await db.run(auth.scope_for_token, token, info.session_id, info.workspace_id)
    except (auth.SessionEnded, AccessDenied):
        return None
    return Login(scope, info.workspace_name, info.timezone or "UTC")


def _day(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadQuery(f"'{name}' must be a date written YYYY-MM-DD, like 2026-03-01.") from None


def read_query(request: Request) -> tuple[date | None, date | None, str | None]:
    start, end = _day(request, "start"), _day(request, "end")
    if start and end and start > end:
        raise BadQuery("'start' must not be after 'end'.")
    platform = request.query_params.get("platform", "").strip().lower() or None
    if platform is not None:
        try:
            if not _PLATFORM.match(platform):
                raise UnknownPlatform(platform)
            get_adapter(platform)
        except UnknownPlatform:
            raise BadQuery("'platform' must be a platform's name, like instagram or youtube.") from None
    return start, end, platform


def _refused(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=PRIVATE)


def not_logged_in() -> JSONResponse:
    return _refused("Log in to Dream Suite to export your numbers.", 401)


def _attachment(name: str) -> dict[str, str]:
    return {**PRIVATE, "Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"}


async def _export(request: Request) -> tuple[Login, dict] | Response:
    me = await login_of(request)
    if me is None:
        return not_logged_in()
    try:
        start, end, platform = read_query(request)
    except BadQuery as exc:
        return _refused(str(exc), 400)
    data = await db.run(export_data, me.scope, me.workspace_name, start, end, platform)
    return me, data


async def dashboard_csv(request: Request) -> Response:
    got = await _export(request)
    if isinstance(got, Response):
        return got
    me, data = got
    body = csv_text(csv_rows(data))
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers=_attachment(file_name(me.workspace_name, data, "csv")))


async def dashboard_json(request: Request) -> Response:
    got = await _export(request)
    if isinstance(got, Response):
        return got
    me, data = got
    return JSONResponse(data, headers=_attachment(file_name(me.workspace_name, data, "json")))


async def report(request: Request) -> Response:
    from dreamsuite.api.report import render_report, report_data

    me = await login_of(request)
    if me is None:
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"{get_settings().app_url}/login?{urlencode({'next': here})}", status_code=303,
                                headers=PRIVATE)
    try:
        start, end, platform = read_query(request)
    except BadQuery as exc:
        return _refused(str(exc), 400)
    data = await db.run(report_data, me.scope, me.workspace_name, start, end, platform)
    return Response(render_report(data), media_type="text/html; charset=utf-8", headers=PRIVATE)


async def _posts(request: Request) -> tuple[Login, dict] | Response:
    me = await login_of(request)
    if me is None:
        return not_logged_in()
    which = request.query_params.get("status", "all").strip().lower() or "all"
    if which not in post_export.WHICH:
        return _refused("'status' must be all, scheduled or published.", 400)
    return me, await db.run(post_export.export_posts, me.scope, which)


async def posts_csv(request: Request) -> Response:
    got = await _posts(request)
    if isinstance(got, Response):
        return got
    me, data = got
    name = post_export.file_name(me.workspace_name, f"posts-{data['status']}", "csv")
    return Response(post_export.posts_csv(data), media_type="text/csv; charset=utf-8", headers=_attachment(name))


async def posts_json(request: Request) -> Response:
    got = await _posts(request)
    if isinstance(got, Response):
        return got
    me, data = got
    name = post_export.file_name(me.workspace_name, f"posts-{data['status']}", "json")
    return JSONResponse(data, headers=_attachment(name))


async def insights_csv(request: Request) -> Response:
    me = await login_of(request)
    if me is None:
        return not_logged_in()
    data = await db.run(post_export.export_insights, me.scope)
    return Response(post_export.insights_csv(data), media_type="text/csv; charset=utf-8",
                    headers=_attachment(post_export.file_name(me.workspace_name, "insights", "csv")))


async def insights_json(request: Request) -> Response:
    me = await login_of(request)
    if me is None:
        return not_logged_in()
    data = await db.run(post_export.export_insights, me.scope)
    return JSONResponse(data, headers=_attachment(post_export.file_name(me.workspace_name, "insights", "json")))


# A multipart body carries the file and a little more (boundaries, headers).
MAX_BODY = MAX_BYTES + 64_000
TOO_BIG = f"The file is larger than {MAX_BYTES // 1_000_000} MB; at most that can be imported at once. Split it."
TYPES = {"text/csv": "posts.csv", "application/json": "posts.json", "text/json": "posts.json"}


async def _body(request: Request) -> bytes | None:
    """The request's body, or None when it is larger than a file we import (read no further)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def _upload(request: Request, body: bytes) -> tuple[bytes, str] | str:
    """(the file's bytes, its name) from a multipart upload or the raw body, or what is wrong."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "multipart/form-data":
        return body, request.query_params.get("filename", "") or TYPES.get(kind, "")

    async def stream():
        yield body

    try:
        form = await MultiPartParser(request.headers, stream(), max_files=1, max_fields=10,
                                     max_part_size=MAX_BYTES + 1).parse()
    except (MultiPartException, ValueError) as exc:
        return f"The upload cannot be read: {exc}."
    files = [v for v in form.values() if isinstance(v, UploadFile)]
    if not files:
        return "Send the file as a multipart upload (a field named file), or as the body itself."
    return await files[0].read(), files[0].filename or ""


async def import_posts(request: Request) -> Response:
    me = await login_of(request)
    if me is None:
        return _refused("Log in to Dream Suite to import posts.", 401)
    if not same_origin(request):
        return _refused("Import posts from Dream Suite's own pages.", 403)
    if not me.scope.can(Role.editor):
        return _refused(f"Importing posts needs the editor role; you are {me.scope.role.value}.", 403)
    body = await _body(request)
    if body is None:
        return _refused(TOO_BIG, 413)
    got = await _upload(request, body)
    if isinstance(got, str):
        return _refused(got, 400)
    data, filename = got
    if request.query_params.get("dry_run", "").lower() in ("1", "true", "yes"):
        try:
            report = await db.run(post_import.dry_run, me.scope, data, filename)
        except AccessDenied as exc:
            return _refused(exc.message, 403)
        return JSONResponse(report.as_dict(), headers=PRIVATE)
    try:
        done = await post_import.import_posts(me.scope, data, filename)
    except post_import.ImportRefused as exc:
        return JSONResponse({"error": exc.message, **exc.report.as_dict()}, status_code=422, headers=PRIVATE)
    except AccessDenied as exc:
        return _refused(exc.message, 403)
    return JSONResponse({"imported": len(done.post_ids), "post_ids": done.post_ids,
                         "destinations": done.destinations, **done.report.as_dict()}, status_code=201,
                        headers=PRIVATE)


routes = [
    Route("/import/posts", import_posts, methods=["POST"]),
    Route("/export/dashboard.csv", dashboard_csv, methods=["GET"]),
    Route("/export/dashboard.json", dashboard_json, methods=["GET"]),
    Route("/export/posts.csv", posts_csv, methods=["GET"]),
    Route("/export/posts.json", posts_json, methods=["GET"]),
    Route("/export/insights.csv", insights_csv, methods=["GET"]),
    Route("/export/insights.json", insights_json, methods=["GET"]),
    Route("/report", report, methods=["GET"]),
]
