"""What every response carries (frame protection, a CSP the app works under) and what every
state-changing form route checks (same-origin), plus the session cookie itself.

The session cookie is HttpOnly: scripts (and so an injected script) never see it. Only our
HTTP routes set or clear it; pages learn the login from the websocket's handshake headers.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dreamsuite.services.auth import SESSION_COOKIE, WORKSPACE_COOKIE
from dreamsuite.settings import get_settings


def content_security_policy() -> str:
    s = get_settings()
    origins = " ".join(s.app_origins)
    sockets = " ".join(o.replace("http", "ws", 1) for o in s.app_origins)
    # Reflex evaluates scripts it sends (redirects, the browser's timezone) and Radix/emotion
    # inject styles, hence the inline and eval allowances; framing is refused everywhere.
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'unsafe-inline' 'unsafe-eval' {origins}",
        f"style-src 'self' 'unsafe-inline' {origins}",
        # Our origins too: in dev mode the media library's thumbnails come from the backend's port.
        f"img-src 'self' data: blob: https: {origins}",
        "font-src 'self' data:",
        f"connect-src 'self' {origins} {sockets}",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    ])


class SecurityHeaders:
    """Pure ASGI middleware (it must not buffer the streamed pages or touch websockets)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = content_security_policy()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Content-Security-Policy", csp)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
                if get_settings().secure_cookies:
                    headers.setdefault("Strict-Transport-Security", "max-age=31536000")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def same_origin(request: Request) -> bool:
    """A form post from our own pages (not a cross-site form forging a login or a logout)."""
    origin = request.headers.get("origin") or ""
    if not origin or origin == "null":
        referer = urlsplit(request.headers.get("referer") or "")
        origin = f"{referer.scheme}://{referer.netloc}" if referer.netloc else ""
    return origin in get_settings().app_origins


def client_address(request: Request) -> str:
    """The browser's address; behind N trusted proxies, the Nth address from the right."""
    hops = get_settings().trusted_proxy_hops
    if hops:
        forwarded = [ip.strip() for ip in request.headers.get("x-forwarded-for", "").split(",") if ip.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.client.host if request.client else "unknown"


def session_token(request: Request) -> str:
    return request.cookies.get(SESSION_COOKIE, "")


def set_session_cookie(response: Response, token: str) -> None:
    s = get_settings()
    response.set_cookie(SESSION_COOKIE, token, max_age=s.session_days * 86400, path="/",
                        httponly=True, secure=s.secure_cookies, samesite="lax")
    # A new login starts in the workspace its session names (the user's first, or the one an
    # invitation joined), not in the one a previous login of this browser picked last.
    response.delete_cookie(WORKSPACE_COOKIE, path="/", samesite="lax")


def clear_session_cookie(response: Response) -> None:
    s = get_settings()
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, secure=s.secure_cookies, samesite="lax")
