"""The part every emulated platform shares: its OAuth 2 server, accounts, tokens and limits.

An `Emulator` subclass describes one platform: where its authorize and token endpoints live,
what its token response and error bodies look like, which scopes it knows, how it reports
rate limits — and adds its API routes in that platform's documented shapes. The consent page
lets whoever authorises pick one of the platform's emulated accounts or create a new one, so
each account belongs to the person who made it. Everything an emulator remembers is in its
store (a SQLite file), so accounts, published posts and spent tokens survive a restart.

Mounted under `/emulators/<platform>` in the local demo; tests serve them on their own port
with failure injection (`/_control/...`).
"""

from __future__ import annotations

import base64
import hmac
import html
import re
import secrets
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, ClassVar
from urllib.parse import unquote, urlencode, urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from dreamsuite.platforms.emulators import tokens
from dreamsuite.platforms.emulators.store import Account, EmulatorStore
from dreamsuite.platforms.emulators.story import Story, story
from dreamsuite.platforms.sandbox.control import Control, routes as control_routes
from dreamsuite.settings import demo_client, get_settings

CODE_TTL = 600
_NAME = re.compile(r"^[\w .'&-]{1,60}$")


class ApiError(Exception):
    """Raised inside a handler; becomes the platform's own error response."""

    def __init__(self, response: Response):
        super().__init__(response.status_code)
        self.response = response


@dataclass(frozen=True)
class Caller:
    """Who is calling an API route: the account the token was issued for, and its scopes."""

    account: Account | None  # None for an app-only token (client credentials)
    scopes: frozenset[str]
    token: str


class Emulator:
    platform: ClassVar[str]
    label: ClassVar[str]
    scopes: ClassVar[tuple[str, ...]]
    authorize_path: ClassVar[str]  # e.g. "/accounts/authorize", under the emulator's mount
    token_path: ClassVar[str]
    scope_separator: ClassVar[str] = " "
    pkce: ClassVar[str] = "optional"  # required | optional | none
    access_ttl: ClassVar[int] = 3600
    refresh_ttl: ClassVar[int] = 60 * 86400
    rotates_refresh: ClassVar[bool] = True
    client_credentials: ClassVar[bool] = False  # the platform issues app-only tokens
    token_prefix: ClassVar[str] = "emu"
    # Calls per account per window before the platform says "too many" (tests lower it).
    rate_limit: ClassVar[tuple[int, float]] = (10_000, 3600.0)

    def __init__(self, store: EmulatorStore):
        self.store = store
        self.control = Control(render=self._injected)
        self.limit = self.rate_limit
        self._calls: dict[str, deque[float]] = defaultdict(deque)

    # ---------------------------------------------------------------- configuration (read per request)
    @property
    def secret(self) -> str:
        return get_settings().emulator_secret

    @property
    def _client(self) -> tuple[str, str]:
        return get_settings().platform_credentials(self.platform) or demo_client(self.platform)

    @property
    def client_id(self) -> str:
        return self._client[0]

    @property
    def client_secret(self) -> str:
        return self._client[1]

    @property
    def redirect_uris(self) -> set[str]:
        """Codes go only to our own callback (or a configured list), never to any URL asked for."""
        s = get_settings()
        configured = {u.strip() for u in s.sandbox_redirect_uris.split(",") if u.strip()}
        return configured | {f"{s.api_url}/oauth/callback/{self.platform}"}

    # ---------------------------------------------------------------- what subclasses describe
    def api_routes(self) -> list[Route | Mount]:
        raise NotImplementedError

    def new_account_id(self, name: str) -> str:
        return str(secrets.randbelow(9 * 10**15) + 10**15)

    def token_body(self, access: str, refresh: str | None, scope: str, account: Account | None) -> dict[str, Any]:
        body = {"access_token": access, "token_type": "Bearer", "expires_in": self.access_ttl, "scope": scope}
        if refresh:
            body["refresh_token"] = refresh
        return body

    def error(self, status: int, code: str, message: str, headers: dict | None = None) -> Response:
        """The platform's error body; subclasses use their own envelope."""
        return JSONResponse({"error": code, "error_description": message}, status_code=status, headers=headers)

    def oauth_error(self, code: str, message: str, status: int = 400) -> Response:
        return JSONResponse({"error": code, "error_description": message}, status_code=status,
                            headers={"Cache-Control": "no-store"})

    def rate_limited(self, retry_after: int) -> Response:
        return self.error(429, "rate_limited", "Too many requests", {"Retry-After": str(retry_after)})

    def _injected(self, status: int, headers: dict) -> Response:
        """A failure the tests asked for, in this platform's own shape."""
        if status == 429:
            response = self.rate_limited(int(headers.get("Retry-After", "60")) if headers.get("Retry-After", "").isdigit()
                                         else 60)
            response.headers.update(headers)
            return response
        messages = {401: ("invalid_token", "The access token expired"), 403: ("forbidden", "Permission denied"),
                    400: ("invalid_request", "Bad request")}
        code, message = messages.get(status, ("server_error", f"Something went wrong ({status})"))
        return self.error(status, code, message, headers)

    def usage_headers(self, used: int, limit: int, reset_in: float) -> dict[str, str]:
        """Headers that tell callers how much of their limit they have used (platform specific)."""
        return {}

    # ---------------------------------------------------------------- stories
    def story_of(self, account: Account) -> Story:
        key = f"anchor:{account.persona}"
        anchor = self.store.get(key)
        if anchor is None:
            anchor = datetime.now(UTC).date().isoformat()
            self.store.put(key, anchor)
        return story(account.persona, date.fromisoformat(anchor))

    @staticmethod
    def today() -> date:
        return datetime.now(UTC).date()

    # ---------------------------------------------------------------- OAuth
    def _validate(self, params) -> tuple[dict[str, str], str]:
        p = {k: str(params.get(k, "")) for k in ("response_type", "client_id", "redirect_uri", "scope", "state",
                                                  "code_challenge", "code_challenge_method")}
        if p["client_id"] != self.client_id:
            return p, "Unknown client_id."
        if p["redirect_uri"] not in self.redirect_uris:
            return p, "redirect_uri is not registered for this app."
        if p["response_type"] != "code":
            return p, "Only response_type=code is supported."
        if self.pkce == "required" and not p["code_challenge"]:
            return p, "PKCE is required: send code_challenge with code_challenge_method=S256."
        if p["code_challenge"] and (p["code_challenge_method"] != "S256" or not 43 <= len(p["code_challenge"]) <= 128):
            return p, "code_challenge_method must be S256 with a 43 to 128 character challenge."
        asked = [s for s in re.split(r"[ ,]+", p["scope"]) if s]
        unknown = [s for s in asked if s not in self.scopes]
        if unknown:
            return p, f"Unknown scope {unknown[0]!r}."
        p["scope"] = self.scope_separator.join(asked)
        return p, ""

    def _page(self, title: str, body: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(
            f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            "<meta name='viewport' content='width=device-width,initial-scale=1'><style>body{font-family:system-ui,"
            "sans-serif;background:#101223;color:#eee;display:flex;justify-content:center;padding:8vh 1rem}"
            "main{background:#1c1f38;padding:2rem;border-radius:12px;max-width:28rem;width:100%}"
            "label{display:block;margin:.4rem 0}input[type=text]{padding:.4rem;width:100%;box-sizing:border-box}"
            "button{font-size:1rem;padding:.6rem 1.4rem;margin:.8rem .6rem 0 0;border-radius:8px;border:0;"
            "cursor:pointer}.allow{background:#7c5cff;color:#fff}</style></head>"
            f"<body><main>{body}</main></body></html>", status_code=status)

    async def authorize_form(self, request: Request) -> Response:
        p, problem = self._validate(request.query_params)
        if problem:
            return self._page("Invalid request", f"<h1>Invalid authorization request</h1><p>{html.escape(problem)}</p>",
                              400)
        accounts = await self.store.call(self.store.accounts, self.platform)
        choices = "".join(
            f"<label><input type='radio' name='account' value='{html.escape(a.id, quote=True)}'"
            f"{' checked' if i == len(accounts) - 1 else ''}> {html.escape(a.name)} (@{html.escape(a.handle)})</label>"
            for i, a in enumerate(accounts))
        hidden = "".join(f"<input type='hidden' name='{k}' value='{html.escape(v, quote=True)}'>" for k, v in p.items())
        scopes = ", ".join(html.escape(s) for s in p["scope"].split(self.scope_separator) if s) or "your profile"
        return self._page(f"{self.label} · Authorize", (
            f"<h1>{html.escape(self.label)}</h1><p><strong>Dream Suite</strong> asks for: {scopes}.</p>"
            f"<form method='post' action='{html.escape(self.authorize_path.rsplit('/', 1)[-1], quote=True)}'>"
            f"{hidden}<p>Continue as:</p>{choices}"
            "<label><input type='radio' name='account' value='new'"
            f"{'' if accounts else ' checked'}> a new account named "
            "<input type='text' name='new_name' maxlength='60' placeholder='Your artist name'></label>"
            "<button class='allow' name='decision' value='allow' type='submit'>Allow</button>"
            "<button name='decision' value='deny' type='submit'>Deny</button></form>"))

    def _redirect(self, uri: str, params: dict[str, str]) -> RedirectResponse:
        sep = "&" if urlsplit(uri).query else "?"
        return RedirectResponse(uri + sep + urlencode(params), status_code=302)

    async def authorize_submit(self, request: Request) -> Response:
        form = await request.form()
        p, problem = self._validate(form)
        if problem:
            return self._page("Invalid request", f"<h1>Invalid authorization request</h1><p>{html.escape(problem)}</p>",
                              400)
        state = {"state": p["state"]} if p["state"] else {}
        if form.get("decision") != "allow":
            return self._redirect(p["redirect_uri"], {"error": "access_denied",
                                                      "error_description": "The user denied the request", **state})
        account = await self._chosen_account(str(form.get("account", "")), str(form.get("new_name", "")))
        if account is None:
            return self._page("Pick an account", "<h1>Pick an account</h1><p>Choose one of your accounts, or give "
                                                 "the new one a name (letters, digits, spaces).</p>", 400)
        code = tokens.sign(self.secret, self.platform, account.id, "code", p["scope"], CODE_TTL, self.token_prefix,
                           redirect_uri=p["redirect_uri"], challenge=p["code_challenge"])
        return self._redirect(p["redirect_uri"], {"code": code, **state})

    async def _chosen_account(self, choice: str, new_name: str) -> Account | None:
        if choice and choice != "new":
            return await self.store.call(self.store.account, self.platform, choice)
        name = " ".join(new_name.split())
        if not _NAME.match(name):
            return None
        handle = re.sub(r"[^a-z0-9_]", "", name.lower().replace(" ", "_"))[:30] or "artist"
        account = Account(self.platform, self.new_account_id(name), handle, name, persona=name.lower())
        return await self.store.call(self.store.add_account, account)

    def client_auth(self, request: Request, form) -> tuple[str, str]:
        """client_secret_basic (form-encoded id and secret, RFC 6749 2.3.1) or client_secret_post."""
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("basic "):
            try:
                cid, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
                return unquote(cid.replace("+", " ")), unquote(secret.replace("+", " "))
            except (ValueError, UnicodeDecodeError):
                return "", ""
        return str(form.get("client_id", "")), str(form.get("client_secret", ""))

    async def token(self, request: Request) -> Response:
        form = await request.form()
        cid, secret = self.client_auth(request, form)
        if cid != self.client_id or not hmac.compare_digest(secret.encode(), self.client_secret.encode()):
            return self.oauth_error("invalid_client", "Client authentication failed", 401)
        grant = str(form.get("grant_type", ""))
        if grant == "authorization_code":
            return await self._grant_code(form)
        if grant == "refresh_token":
            return await self._grant_refresh(form)
        if grant == "client_credentials" and self.client_credentials:
            access = tokens.sign(self.secret, self.platform, "", "access", "", self.access_ttl, self.token_prefix)
            return JSONResponse(self.token_body(access, None, "", None), headers={"Cache-Control": "no-store"})
        return self.oauth_error("unsupported_grant_type", f"grant_type {grant!r} is not supported")

    async def _grant_code(self, form) -> Response:
        claims = tokens.verify(self.secret, str(form.get("code", "")), self.platform, "code")
        if claims is None or not await self.store.call(self.store.spend, claims.nonce, claims.exp):
            return self.oauth_error("invalid_grant", "The authorization code is invalid, expired or already used")
        if str(form.get("redirect_uri", "")) != claims.extra.get("redirect_uri"):
            return self.oauth_error("invalid_grant", "redirect_uri does not match the authorization request")
        challenge = claims.extra.get("challenge")
        if challenge:
            verifier = str(form.get("code_verifier", ""))
            if not verifier or not hmac.compare_digest(tokens.s256(verifier), challenge):
                return self.oauth_error("invalid_grant", "PKCE verification failed")
        return await self.issue(claims.account, claims.scope)

    async def _grant_refresh(self, form) -> Response:
        claims = tokens.verify(self.secret, str(form.get("refresh_token", "")), self.platform, "refresh")
        if claims is None:
            return self.oauth_error("invalid_grant", "The refresh token is invalid or expired")
        if self.rotates_refresh and not await self.store.call(self.store.spend, claims.nonce, claims.exp):
            return self.oauth_error("invalid_grant", "The refresh token was already used")
        return await self.issue(claims.account, claims.scope, keep_refresh=None if self.rotates_refresh
                                else str(form.get("refresh_token", "")))

    async def issue(self, account_id: str, scope: str, keep_refresh: str | None = None) -> Response:
        account = await self.store.call(self.store.account, self.platform, account_id)
        access = tokens.sign(self.secret, self.platform, account_id, "access", scope, self.access_ttl, self.token_prefix)
        refresh = keep_refresh or tokens.sign(self.secret, self.platform, account_id, "refresh", scope,
                                              self.refresh_ttl, self.token_prefix)
        return JSONResponse(self.token_body(access, refresh, scope, account),
                            headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    # ---------------------------------------------------------------- API calls
    def bearer(self, request: Request) -> str:
        auth = request.headers.get("authorization", "")
        return auth[7:].strip() if auth.lower().startswith("bearer ") else str(request.query_params.get("access_token", ""))

    async def caller(self, request: Request, *, need: str | None = None, app_token_ok: bool = False) -> Caller:
        """The account behind the request's token, or an ApiError in the platform's shape."""
        token = self.bearer(request)
        claims = tokens.verify(self.secret, token, self.platform, "access") if token else None
        if claims is None:
            raise ApiError(self.error(401, "invalid_token", "The access token is missing, invalid or expired"))
        scopes = frozenset(s for s in re.split(r"[ ,]+", claims.scope) if s)
        if not claims.account:
            if not app_token_ok:
                raise ApiError(self.error(401, "invalid_token", "This call needs a user token"))
            return Caller(None, scopes, token)
        if need and need not in scopes:
            raise ApiError(self.error(403, "insufficient_scope", f"This call needs the {need!r} permission"))
        account = await self.store.call(self.store.account, self.platform, claims.account)
        if account is None:
            raise ApiError(self.error(401, "invalid_token", "The account behind this token no longer exists"))
        return Caller(account, scopes, token)

    def _count(self, key: str) -> tuple[int, float] | None:
        """Record a call; (calls in window, seconds to reset), or None when over the limit."""
        limit, window = self.limit
        now = time.monotonic()
        calls = self._calls[key]
        while calls and calls[0] <= now - window:
            calls.popleft()
        reset_in = window - (now - calls[0]) if calls else window
        if len(calls) >= limit:
            return None
        calls.append(now)
        return len(calls), reset_in

    def guarded(self, handler):
        """Failure injection and the platform's rate limit around an API handler."""
        async def endpoint(request: Request) -> Response:
            injected = await self.control.before(request.url.path[len(request.scope.get("root_path", "")):])
            if injected is not None:
                return injected
            key = self.bearer(request)[-24:] or (request.client.host if request.client else "?")
            counted = self._count(key)
            if counted is None:
                limit, window = self.limit
                return self.rate_limited(max(1, int(window)))
            try:
                response = await handler(request)
            except ApiError as exc:
                response = exc.response
            response.headers.update(self.usage_headers(counted[0], self.limit[0], counted[1]))
            return response

        return endpoint

    def app(self, *, with_control: bool = False) -> Starlette:
        auth = self.authorize_path
        routes: list[Route | Mount] = [
            Route(auth, self.authorize_form, methods=["GET"]),
            Route(auth, self.authorize_submit, methods=["POST"]),
            Route(self.token_path, self.token, methods=["POST"]),
            *self.api_routes(),
        ]
        if with_control:
            routes += control_routes(self.control, self._reset)
            routes.append(Route("/_control/limit", self._set_limit, methods=["POST"]))
        return Starlette(routes=routes)

    def _reset(self) -> None:
        self.limit = self.rate_limit
        self._calls.clear()

    async def _set_limit(self, request: Request) -> Response:
        body = await request.json()
        self.limit = (int(body.get("calls", self.rate_limit[0])), float(body.get("window", self.rate_limit[1])))
        self._calls.clear()
        return JSONResponse({"ok": True})


def page_token(offset: int) -> str:
    """An opaque page token (platforms never promise what is inside)."""
    return base64.urlsafe_b64encode(f"o:{offset}:{secrets.token_hex(2)}".encode()).decode().rstrip("=")


def read_page_token(token: str) -> int | None:
    try:
        kind, offset, _ = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode().split(":")
        return int(offset) if kind == "o" and int(offset) >= 0 else None
    except (ValueError, UnicodeDecodeError):
        return None
