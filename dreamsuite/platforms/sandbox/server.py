"""The sandbox platform: a real OAuth 2 authorization server (code + PKCE) and its API.

Mounted by the app at `/sandbox` and served standalone in tests, so every URL it emits is
relative or built from the request (root_path included), never from a fixed prefix.
"""

from __future__ import annotations

import base64
import hmac
import html
import re
import secrets
import time
from urllib.parse import unquote, urlencode, urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from dreamsuite.platforms.sandbox import api, data, signing
from dreamsuite.platforms.sandbox.control import Control, routes as control_routes
from dreamsuite.platforms.sandbox.store import Code, Store
from dreamsuite.settings import DEMO_SANDBOX_SECRET, get_settings

SCOPES = ("profile", "read", "publish")
CODE_TTL = 120
_USER_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_AUTH_PARAMS = ("response_type", "client_id", "redirect_uri", "scope", "state",
                "code_challenge", "code_challenge_method", "login_hint")


def registered_redirect_uris() -> set[str]:
    """Where the sandbox may send an authorization code: our own callback, or the configured list."""
    s = get_settings()
    configured = {u.strip() for u in s.sandbox_redirect_uris.split(",") if u.strip()}
    return configured or {f"{s.api_url}/oauth/callback/sandbox"}


def check_secret() -> None:
    """Outside the demo, the well-known default secret would let anyone mint sandbox tokens."""
    s = get_settings()
    if not s.dreamsuite_demo and s.sandbox_client_secret == DEMO_SANDBOX_SECRET:
        raise RuntimeError("The sandbox platform is mounted outside demo mode with its public default secret: "
                           "set SANDBOX_CLIENT_SECRET to a secret of your own, or MOUNT_SANDBOX=0.")


def rel_path(request: Request) -> str:
    path, root = request.scope["path"], request.scope.get("root_path", "")
    return path[len(root):] if root and path.startswith(root) else path


def oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    headers = {"Cache-Control": "no-store"}
    if error == "invalid_client":
        headers["WWW-Authenticate"] = 'Basic realm="sandbox"'
    return JSONResponse({"error": error, "error_description": description}, status_code=status, headers=headers)


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'><style>"
        "body{font-family:system-ui,sans-serif;background:#0f1020;color:#eee;display:flex;"
        "justify-content:center;padding-top:10vh}main{background:#1b1d33;padding:2rem;border-radius:12px;"
        "max-width:26rem}button{font-size:1rem;padding:.6rem 1.4rem;margin-right:.6rem;border-radius:8px;"
        "border:0;cursor:pointer}.allow{background:#7c5cff;color:#fff}</style></head>"
        f"<body><main>{body}</main></body></html>",
        status_code=status,
    )


def _validate(params) -> tuple[dict[str, str], str]:
    """The authorization request's parameters, or a message saying what is wrong with it."""
    p = {k: str(params.get(k, "")) for k in _AUTH_PARAMS}
    if p["client_id"] != get_settings().sandbox_client_id:
        return p, "Unknown client_id."
    if p["redirect_uri"] not in registered_redirect_uris():
        # Never redirect to an address we do not know: the code would go to whoever owns it.
        return p, "redirect_uri is not registered for this client."
    if p["response_type"] != "code":
        return p, "Only response_type=code is supported."
    if p["code_challenge_method"] != "S256" or not 43 <= len(p["code_challenge"]) <= 128:
        return p, "PKCE is required: send code_challenge with code_challenge_method=S256."
    requested = p["scope"].split() or list(SCOPES)
    if any(s not in SCOPES for s in requested):
        return p, f"Unknown scope; this platform offers: {' '.join(SCOPES)}."
    p["scope"] = " ".join(requested)
    p["login_hint"] = p["login_hint"] or data.DEFAULT_USER
    if not _USER_ID.match(p["login_hint"]):
        return p, "login_hint is not a valid sandbox user."
    return p, ""


def _bad_request(message: str) -> HTMLResponse:
    return _page("Invalid request", f"<h1>Invalid authorization request</h1><p>{html.escape(message)}</p>", 400)


async def authorize_form(request: Request) -> Response:
    p, problem = _validate(request.query_params)
    if problem:
        return _bad_request(problem)
    artist = data.artist(p["login_hint"])
    hidden = "".join(
        f"<input type='hidden' name='{k}' value='{html.escape(v, quote=True)}'>" for k, v in p.items()
    )
    # A relative action keeps the form on whatever prefix the sandbox is mounted under.
    return _page("Authorize Dream Suite", (
        f"<h1>Sandbox</h1><p>Signed in as <strong>{html.escape(artist.display_name)}</strong> "
        f"(@{html.escape(artist.username)}).</p>"
        "<p><strong>Dream Suite</strong> wants to read your followers, posts and comments and publish posts.</p>"
        f"<form method='post' action='authorize'>{hidden}"
        "<button class='allow' name='decision' value='allow' type='submit'>Allow</button>"
        "<button name='decision' value='deny' type='submit'>Deny</button></form>"
    ))


def _redirect(uri: str, params: dict[str, str]) -> RedirectResponse:
    sep = "&" if urlsplit(uri).query else "?"
    return RedirectResponse(uri + sep + urlencode(params), status_code=302)


def authorize_submit(store: Store):
    async def handler(request: Request) -> Response:
        form = await request.form()
        p, problem = _validate(form)
        if problem:
            return _bad_request(problem)
        extra = {"state": p["state"]} if p["state"] else {}
        if form.get("decision") != "allow":
            return _redirect(p["redirect_uri"], {"error": "access_denied",
                                                 "error_description": "The user denied access", **extra})
        code = secrets.token_urlsafe(24)
        store.add_code(code, Code(p["client_id"], p["redirect_uri"], p["login_hint"], p["scope"],
                                  p["code_challenge"], time.time() + CODE_TTL))
        return _redirect(p["redirect_uri"], {"code": code, **extra})

    return handler


def _client_credentials(request: Request, form) -> tuple[str, str]:
    """client_secret_basic (RFC 6749 2.3.1: form-urlencoded id and secret) or client_secret_post."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("basic "):
        try:
            cid, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            return unquote(cid.replace("+", " ")), unquote(secret.replace("+", " "))
        except (ValueError, UnicodeDecodeError):
            return "", ""
    return str(form.get("client_id", "")), str(form.get("client_secret", ""))


def _issue(user_id: str, scope: str) -> JSONResponse:
    return JSONResponse({
        "access_token": signing.sign(user_id, "access", scope, signing.ACCESS_TTL),
        "token_type": "Bearer",
        "expires_in": signing.ACCESS_TTL,
        "refresh_token": signing.sign(user_id, "refresh", scope, signing.REFRESH_TTL),
        "scope": scope,
    }, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


def token_endpoint(store: Store):
    async def handler(request: Request) -> Response:
        form = await request.form()
        s = get_settings()
        cid, secret = _client_credentials(request, form)
        if cid != s.sandbox_client_id or not hmac.compare_digest(secret.encode(), s.sandbox_client_secret.encode()):
            return oauth_error("invalid_client", "Client authentication failed", 401)
        grant = form.get("grant_type")
        if grant == "authorization_code":
            code = store.codes.pop(str(form.get("code", "")), None)  # single use, even when it fails
            if code is None or code.expires < time.time() or code.client_id != cid:
                return oauth_error("invalid_grant", "The authorization code is invalid, expired or already used")
            if form.get("redirect_uri") != code.redirect_uri:
                return oauth_error("invalid_grant", "redirect_uri does not match the authorization request")
            verifier = str(form.get("code_verifier", ""))
            if not verifier or not hmac.compare_digest(signing.s256(verifier), code.challenge):
                return oauth_error("invalid_grant", "PKCE verification failed (code_verifier does not match)")
            return _issue(code.user_id, code.scope)
        if grant == "refresh_token":
            claims = signing.verify(str(form.get("refresh_token", "")), "refresh")
            if claims is None:
                return oauth_error("invalid_grant", "The refresh token is invalid or expired")
            if not store.spend_refresh(claims.nonce, claims.exp):
                return oauth_error("invalid_grant", "The refresh token was already used")
            asked = str(form.get("scope", "")).split()
            if any(x not in claims.scope.split() for x in asked):
                return oauth_error("invalid_scope", "Cannot widen the scope on refresh")
            return _issue(claims.sub, " ".join(asked) or claims.scope)
        return oauth_error("unsupported_grant_type", f"grant_type {grant!r} is not supported")

    return handler


def create_app(*, with_control: bool = True) -> Starlette:
    check_secret()
    store, control = Store(), Control()

    def guarded(handler):
        async def wrapped(request: Request) -> Response:
            injected = await control.before(rel_path(request))
            return injected if injected is not None else await handler(request)

        return wrapped

    routes = [
        Route("/oauth/authorize", guarded(authorize_form), methods=["GET"]),
        Route("/oauth/authorize", guarded(authorize_submit(store)), methods=["POST"]),
        Route("/oauth/token", guarded(token_endpoint(store)), methods=["POST"]),
        *[Route(r.path, guarded(r.endpoint), methods=r.methods) for r in api.routes(store, control)],
    ]
    if with_control:
        routes += control_routes(control, store.reset)
    return Starlette(routes=routes)
