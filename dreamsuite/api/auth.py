"""Login, sign-up, the sign-up link, an invitation's new account and logout: plain form posts
that set or clear the HttpOnly session cookie, then send the browser on with a 303.

Each checks that the form came from our own pages (a cross-site form cannot log someone in
or out), and answers a failure with a signed note the page turns into one of our messages.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from dreamsuite import db
from dreamsuite.api.security import (
    clear_session_cookie, client_address, same_origin, session_token, set_session_cookie,
)
from dreamsuite.services import auth, flash, invitations, throttle
from dreamsuite.services.auth import AuthError
from dreamsuite.services.mail import MailError
from dreamsuite.settings import get_settings

log = logging.getLogger(__name__)
MAX_FIELD = 2000  # a form field longer than this is not a real login


def _to(path: str, **note) -> RedirectResponse:
    query = f"?{urlencode({'flash': flash.make(**note)})}" if note else ""
    return RedirectResponse(f"{get_settings().app_url}{path}{query}", status_code=303)


def _next_path(raw: str) -> str:
    # Only a path of ours: never another site ("//evil.example" or "https://...").
    return raw if raw.startswith("/") and not raw.startswith("//") and "\\" not in raw else "/dashboard"


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: str(v)[:MAX_FIELD] for k, v in form.items() if isinstance(v, str)}


def _refusal(exc: AuthError, **keep: str) -> dict:
    note = {"kind": "error", "code": exc.code, **keep}
    if exc.code == "throttled":
        note["message"] = exc.message
    return note


async def login(request: Request) -> RedirectResponse:
    if not same_origin(request):
        return _to("/login", kind="error", code="bad_request")
    form = await _form(request)
    email = auth.normalize_email(form.get("email", ""))
    address = client_address(request)
    try:
        await throttle.check_login(email, address)
        token = await db.run(auth.log_in, email, form.get("password", ""))
    except AuthError as exc:
        if exc.code == "bad_credentials":
            await throttle.login_failed(email, address)
        return _to("/login", **_refusal(exc, email=email[:320]))
    await throttle.login_succeeded(email)
    response = RedirectResponse(get_settings().app_url + _next_path(form.get("next", "")), status_code=303)
    set_session_cookie(response, token)
    return response


async def signup(request: Request) -> RedirectResponse:
    if not same_origin(request):
        return _to("/signup", kind="error", code="bad_request")
    form = await _form(request)
    email = auth.normalize_email(form.get("email", ""))
    keep = {"email": email[:320], "name": form.get("name", "")[:200]}
    try:
        await throttle.check_signup(client_address(request), email)
        email = await db.run(auth.request_signup, email, form.get("password", ""), form.get("name", ""),
                             form.get("timezone", "UTC"))
    except AuthError as exc:
        return _to("/signup", **_refusal(exc, **keep))
    except MailError as exc:
        return _to("/signup", kind="error", code="mail", message=exc.message, **keep)
    # The same answer whether or not the email has an account: the email says which.
    return _to("/signup/sent", kind="sent", email=email)


async def verify(request: Request) -> RedirectResponse:
    """The button on /verify: redeem the sign-up link and log the new artist in."""
    if not same_origin(request):
        return _to("/signup", kind="error", code="bad_request")
    form = await _form(request)
    try:
        _, _, token = await db.run(auth.complete_signup, form.get("token", ""))
    except AuthError as exc:
        return _to("/signup", **_refusal(exc))
    response = RedirectResponse(f"{get_settings().app_url}/connections", status_code=303)
    set_session_cookie(response, token)
    return response


async def invite(request: Request) -> RedirectResponse:
    """The new-account form on /invite: the account is made for the invited email (the link proves
    it), joins the workspace and is logged in there."""
    if not same_origin(request):
        return _to("/login", kind="error", code="bad_request")
    form = await _form(request)
    token = form.get("token", "")[:200]
    try:
        _, _, session = await db.run(invitations.sign_up_and_accept, token, form.get("name", ""),
                                     form.get("password", ""), form.get("timezone", "UTC"))
    except (AuthError, invitations.InvitationError) as exc:
        note = {"flash": flash.make("error", message=exc.message, name=form.get("name", "")[:200])}
        return RedirectResponse(f"{get_settings().app_url}/invite?{urlencode({'token': token, **note})}",
                                status_code=303)
    response = RedirectResponse(f"{get_settings().app_url}/dashboard", status_code=303)
    set_session_cookie(response, session)
    return response


async def logout(request: Request) -> RedirectResponse:
    if not same_origin(request):
        return _to("/login", kind="error", code="bad_request")
    form = await _form(request)
    token = session_token(request)
    if form.get("everywhere"):
        await db.run(auth.log_out_everywhere, token)
    else:
        await db.run(auth.log_out, token)
    back = _next_path(form["next"]) if form.get("next") else "/login"
    response = RedirectResponse(f"{get_settings().app_url}{back}", status_code=303)
    clear_session_cookie(response)
    return response


routes = [
    Route("/auth/login", login, methods=["POST"]),
    Route("/auth/signup", signup, methods=["POST"]),
    Route("/auth/verify", verify, methods=["POST"]),
    Route("/auth/invite", invite, methods=["POST"]),
    Route("/auth/logout", logout, methods=["POST"]),
]
