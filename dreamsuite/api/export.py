"""/export/dashboard.csv, /export/dashboard.json and /report: the dashboard's numbers for a
range (`start`, `end` as ISO dates, optional `platform`), to download or to print.

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

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from dreamsuite import db
from dreamsuite.api.security import session_token
from dreamsuite.platforms import UnknownPlatform, get_adapter
from dreamsuite.services import auth
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
    info = await db.run(auth.session_for, token)
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


routes = [
    Route("/export/dashboard.csv", dashboard_csv, methods=["GET"]),
    Route("/export/dashboard.json", dashboard_json, methods=["GET"]),
    Route("/report", report, methods=["GET"]),
]
