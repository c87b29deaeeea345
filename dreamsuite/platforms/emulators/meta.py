"""What the Instagram and Facebook emulators share: Meta's Graph API, emulated once.

- Facebook Login: the dialog at /www/<version>/dialog/oauth (comma-separated scopes; a person may
  decline some, which /me/permissions then reports), /graph/<version>/oauth/access_token by GET
  or POST: a code gives a short-lived bearer token (`{"access_token", "token_type": "bearer",
  "expires_in"}`, no refresh token, no scope), `grant_type=fb_exchange_token` a long-lived one.
- Every error is `{"error": {"message", "type": "OAuthException", "code", "error_subcode",
  "fbtrace_id"}}`, mostly with HTTP 400: 190 for a bad token, 10/200 for a missing permission,
  4/80001/80002 for rate limits (with x-business-use-case-usage saying when access returns), 100
  for a bad parameter or an unknown field, 2635 for an unknown API version.
- Every answer carries x-app-usage and x-business-use-case-usage (percent used of the window).
- `fields` is parsed the Graph way, nested edges included:
  `comments.limit(5).summary(total_count){id,message,comments{id}}`; only the fields asked for
  come back (id when none are), an unknown one is an error.
- Lists page by cursors: `paging.cursors.before/after` and absolute `next` links that repeat the
  access token, as Meta's do.
- Daily insight values end at the next midnight, Pacific time.

Test controls: `/_control/usage {"call_count": 96}` makes the usage headers report that share,
`/_control/decline {"permissions": [...]}` makes the next logins decline those permissions.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
import secrets
import time as clock
from collections import deque
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Callable, ClassVar
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from dreamsuite.platforms.emulators import tokens
from dreamsuite.platforms.emulators.core import ApiError, Caller, Emulator, page_token, read_page_token
from dreamsuite.platforms.emulators.store import Account

PACIFIC = ZoneInfo("America/Los_Angeles")
VERSIONS = {f"v{n}.0" for n in range(21, 27)}
LATEST = "v26.0"
LONG_TTL = 5_183_944  # what Meta answers for a long-lived token (about 60 days)
_NAME = re.compile(r"\s*([A-Za-z_]\w*)")
_MOD = re.compile(r"\.([A-Za-z_]\w*)\(([^()]*)\)")


@dataclass
class Field:
    name: str
    mods: dict[str, str]
    sub: list["Field"] | None = None
    sub_text: str = ""  # the nested field list as written, for `next` links


def parse_fields(text: str) -> list[Field]:
    """Graph field syntax: name(.modifier(args))*({nested})?, comma separated."""
    pos = 0

    def parse_list() -> list[Field]:
        nonlocal pos
        out: list[Field] = []
        while True:
            m = _NAME.match(text, pos)
            if not m:
                raise ValueError(f"Syntax error near position {pos}")
            name, pos, mods, sub, sub_text = m.group(1), m.end(), {}, None, ""
            while (mm := _MOD.match(text, pos)) is not None:
                mods[mm.group(1)] = mm.group(2).strip()
                pos = mm.end()
            if text.startswith("{", pos):
                start = pos = pos + 1
                sub = parse_list()
                if not text.startswith("}", pos):
                    raise ValueError("Unbalanced braces")
                sub_text, pos = text[start:pos], pos + 1
            out.append(Field(name, mods, sub, sub_text))
            while text.startswith(" ", pos):
                pos += 1
            if not text.startswith(",", pos):
                return out
            pos += 1

    fields = parse_list()
    if pos != len(text.rstrip()):
        raise ValueError(f"Syntax error near position {pos}")
    return fields


def number_id(*parts: object, digits: int = 15) -> str:
    """A stable numeric id, as Meta's are."""
    n = int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:8], "big")
    return str(10 ** (digits - 1) + n % (9 * 10 ** (digits - 1)))


def graph_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def end_time(day: date) -> str:
    """A daily insight's end: the next midnight in Pacific time."""
    return graph_time(datetime.combine(day + timedelta(days=1), time(), tzinfo=PACIFIC))


class MetaEmulator(Emulator):
    scope_separator = ","
    pkce = "optional"
    access_ttl = 7200  # short-lived user tokens
    token_prefix = "EAAG"
    authorize_path = "/www/{version}/dialog/oauth"
    token_path = "/graph/{version}/oauth/access_token"
    # (code, message) of this platform's "too many calls", and its business-use-case type.
    rate_error: ClassVar[tuple[int, str]] = (4, "(#4) Application request limit reached")
    buc_type: ClassVar[str] = "pages"

    def __init__(self, store):
        super().__init__(store)
        self.usage_override: int | None = None
        self.declined: set[str] = set()
        self.served: deque[str] = deque(maxlen=5000)  # the requests answered lately (tests count them)

    # ---------------------------------------------------------------- what subclasses describe
    def business_id(self, account_id: str) -> str:
        """The object Meta counts business-use-case calls against (the Page, the IG account)."""
        raise NotImplementedError

    async def route(self, request: Request, caller_segments: list[str]) -> Response:
        """The platform's own nodes and edges; the base answers /me and unknown ids."""
        raise ApiError(self.no_object(caller_segments[0]))

    # ---------------------------------------------------------------- errors in Meta's envelope
    def graph_error(self, status: int, code: int, message: str, *, subcode: int | None = None,
                    headers: dict | None = None, transient: bool = False, user_msg: str = "") -> Response:
        err: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code}
        if subcode is not None:
            err["error_subcode"] = subcode
        if transient:
            err["is_transient"] = True
        if user_msg:
            err["error_user_msg"] = user_msg
        err["fbtrace_id"] = secrets.token_urlsafe(8)
        return JSONResponse({"error": err}, status_code=status, headers=headers)

    def error(self, status: int, code: str, message: str, headers: dict | None = None) -> Response:
        if status == 401:
            return self.expired()
        if status == 403:
            return self.graph_error(403, 10, "(#10) Application does not have permission for this action",
                                    headers=headers)
        if status >= 500:
            return self.graph_error(status, 2, "An unexpected error has occurred. Please retry your request later.",
                                    headers=headers, transient=True)
        return self.graph_error(status, 100, f"(#100) {message}", headers=headers)

    def oauth_error(self, code: str, message: str, status: int = 400) -> Response:
        return self.graph_error(400, 100, message, subcode=36009 if code == "invalid_grant" else None)

    def expired(self) -> Response:
        return self.graph_error(400, 190, "Error validating access token: Session has expired or the user has "
                                          "changed the password.", subcode=463)

    def missing(self, permission: str) -> Response:
        if permission.startswith("pages_"):
            return self.graph_error(400, 200, f"(#200) Requires {permission} permission to manage the object")
        return self.graph_error(403, 10, "(#10) Application does not have permission for this action")

    def no_object(self, object_id: str) -> Response:
        return self.graph_error(400, 100, f"Unsupported get request. Object with ID '{object_id}' does not exist, "
                                          "cannot be loaded due to missing permissions, or does not support this "
                                          "operation.", subcode=33)

    def bad_param(self, message: str) -> ApiError:
        return ApiError(self.graph_error(400, 100, f"(#100) {message}"))

    def _usage(self, business: str, share: int, regain_minutes: int = 0) -> dict[str, str]:
        app = {"call_count": share, "total_cputime": share // 3, "total_time": share // 2}
        headers = {"x-app-usage": json.dumps(app)}
        if business:
            headers["x-business-use-case-usage"] = json.dumps({business: [{
                "type": self.buc_type, **app, "estimated_time_to_regain_access": regain_minutes}]})
        return headers

    def rate_limited(self, retry_after: int, business: str = "") -> Response:
        code, message = self.rate_error
        headers = self._usage(business or "0", 100, max(1, math.ceil(retry_after / 60)))
        return self.graph_error(400, code, message, headers=headers, transient=True)

    def _injected(self, status: int, headers: dict) -> Response:
        if status == 429:
            value = headers.get("Retry-After", "60")
            return self.rate_limited(int(value) if value.isdigit() else 60)
        if status == 400:
            return self.graph_error(400, 100, "(#100) Invalid parameter")
        return self.error(status, "", "", None)

    # ---------------------------------------------------------------- OAuth
    def _validate(self, params) -> tuple[dict[str, str], str]:
        p, problem = super()._validate(params)
        if not problem and self.declined:
            p["scope"] = ",".join(s for s in p["scope"].split(",") if s and s not in self.declined)
        return p, problem

    def token_body(self, access: str, refresh: str | None, scope: str, account: Account | None) -> dict[str, Any]:
        return {"access_token": access, "token_type": "bearer", "expires_in": self.access_ttl}

    async def token(self, request: Request) -> Response:
        params = {k: str(v) for k, v in request.query_params.items()}
        if request.method == "POST":
            params.update({k: str(v) for k, v in (await request.form()).items()})
        cid, secret = self.client_auth(request, params)
        if cid != self.client_id:
            return self.graph_error(400, 101, "Error validating application. Invalid application ID.")
        if not hmac.compare_digest(secret.encode(), self.client_secret.encode()):
            return self.graph_error(400, 1, "Error validating client secret.")
        grant = params.get("grant_type", "")
        if grant == "fb_exchange_token":
            claims = tokens.verify(self.secret, params.get("fb_exchange_token", ""), self.platform, "access")
            if claims is None or await self._revoked(claims):
                return self.expired()
            access = tokens.sign(self.secret, self.platform, claims.account, "access", claims.scope, LONG_TTL,
                                 self.token_prefix, long=1)
            return JSONResponse({"access_token": access, "token_type": "bearer", "expires_in": LONG_TTL})
        if grant not in ("", "authorization_code"):
            return self.graph_error(400, 100, f"Unsupported grant_type: {grant}")
        return await self._grant_code(params)

    # ---------------------------------------------------------------- callers
    async def who(self, request: Request, *, need: str | None = None,
                  kinds: tuple[str, ...] = ("access",)) -> tuple[Caller, tokens.Claims]:
        """The account and token claims behind the request ("page" tokens carry their Page id)."""
        token = self.bearer(request)
        if not token:
            raise ApiError(self.graph_error(400, 2500, "An active access token must be used to query information "
                                                       "about the current user."))
        claims = None
        for kind in ("access", "page"):
            claims = claims or tokens.verify(self.secret, token, self.platform, kind)
        if claims is None or await self._revoked(claims):
            raise ApiError(self.expired())
        if claims.kind not in kinds:
            if claims.kind == "access":
                raise ApiError(self.graph_error(400, 210, "(#210) A page access token is required to request this "
                                                          "resource."))
            raise ApiError(self.graph_error(400, 200, "(#200) This call needs a user access token"))
        scopes = frozenset(s for s in claims.scope.split(",") if s)
        if need and need not in scopes:
            raise ApiError(self.missing(need))
        account = await self.store.call(self.store.account, self.platform, claims.account)
        if account is None:
            raise ApiError(self.expired())
        return Caller(account, scopes, token), claims

    async def _revoked(self, claims: tokens.Claims) -> bool:
        """Signed before the person removed the app (DELETE /me/permissions): no longer valid."""
        at = await self.store.call(self.store.get, f"{self.platform}:revoked:{claims.account}")
        return at is not None and claims.issued_ms <= int(at)

    def _business_of(self, request: Request) -> str:
        token = self.bearer(request)
        for kind in ("access", "page"):
            claims = tokens.verify(self.secret, token, self.platform, kind) if token else None
            if claims is not None:
                return self.business_id(claims.account)
        return ""

    # ---------------------------------------------------------------- serving
    def guarded(self, handler):
        async def endpoint(request: Request) -> Response:
            path = request.url.path[len(request.scope.get("root_path", "")):]
            self.served.append(f"{request.method} {path}" + (f"?{request.url.query}" if request.url.query else ""))
            business = self._business_of(request)
            injected = await self.control.before(path)
            if injected is not None:
                usage = injected.headers.get("x-business-use-case-usage")
                if usage and business:  # Meta keys it by the business object the call was for
                    injected.headers["x-business-use-case-usage"] = json.dumps(
                        {business: next(iter(json.loads(usage).values()))})
                return injected
            counted = self._count(self.bearer(request)[-24:] or (request.client.host if request.client else "?"))
            if counted is None:
                return self.rate_limited(max(1, int(self.limit[1])), business)
            try:
                response = await handler(request)
            except ApiError as exc:
                response = exc.response
            share = self.usage_override if self.usage_override is not None else \
                min(100, round(100 * counted[0] / max(1, self.limit[0])))
            response.headers.update(self._usage(business, share))
            return response

        return endpoint

    def api_base(self, request: Request) -> str:
        return (f"{request.url.scheme}://{request.url.netloc}{request.scope.get('root_path', '')}/graph/"
                f"{request.path_params.get('version', LATEST)}")

    async def dispatch(self, request: Request) -> Response:
        version = request.path_params["version"]
        if version not in VERSIONS:
            raise ApiError(self.graph_error(400, 2635, f"(#2635) You are calling a deprecated version of the Graph "
                                                       f"API ({version}). Please update to the latest version: "
                                                       f"{LATEST}."))
        segments = [s for s in request.path_params["path"].split("/") if s]
        if not segments:
            raise ApiError(self.graph_error(400, 100, "(#100) Missing object id"))
        if segments[0] == "me":
            return await self.me(request, segments[1:])
        return await self.route(request, segments)

    def api_routes(self) -> list[Route]:
        methods = ["GET", "POST", "DELETE"]
        return [Route(self.token_path, self.token, methods=["GET"]),
                Route("/graph/{version}/{path:path}", self.guarded(self.dispatch), methods=methods)]

    def app(self, *, with_control: bool = False) -> Starlette:
        app = super().app(with_control=with_control)
        if with_control:
            app.router.routes[:0] = [Route("/_control/usage", self._set_usage, methods=["POST"]),
                                     Route("/_control/decline", self._set_declined, methods=["POST"])]
        return app

    async def _set_usage(self, request: Request) -> Response:
        value = (await request.json()).get("call_count")
        self.usage_override = None if value is None else int(value)
        return JSONResponse({"ok": True})

    async def _set_declined(self, request: Request) -> Response:
        self.declined = {str(p) for p in (await request.json()).get("permissions") or []}
        return JSONResponse({"ok": True})

    def _reset(self) -> None:
        super()._reset()
        self.usage_override, self.declined = None, set()
        self.served.clear()

    # ---------------------------------------------------------------- /me
    async def me(self, request: Request, rest: list[str]) -> Response:
        if not rest:
            caller, _ = await self.who(request)
            a = caller.account
            return self.node(request, "User", {"id": a.id, "name": a.name}, {})
        if rest == ["permissions"] and request.method == "DELETE":
            # Removes the app: every token of the grant stops working (Meta answers {"success": true}).
            caller, _ = await self.who(request)
            await self.store.call(self.store.put, f"{self.platform}:revoked:{caller.account.id}",
                                  int(clock.time() * 1000))
            return JSONResponse({"success": True})
        if rest == ["permissions"]:
            caller, _ = await self.who(request)
            rows = [{"permission": p, "status": "granted"} for p in sorted(caller.scopes | {"public_profile"})]
            rows += [{"permission": p, "status": "declined"} for p in sorted(self.declined - caller.scopes)]
            return JSONResponse({"data": rows})
        if rest == ["accounts"]:
            caller, claims = await self.who(request, need="pages_show_list")
            pages = [self.page_of(caller.account, claims)]
            return JSONResponse(self.paged(request, pages, "me/accounts", lambda page, fields: self.render(
                "Page", page[0], page[1], fields)))
        raise ApiError(self.graph_error(400, 100, f"(#100) Unknown path components: /{'/'.join(rest)}"))

    def page_id(self, account_id: str) -> str:
        return number_id("page", self.platform, account_id)

    def page_of(self, account: Account, claims: tokens.Claims) -> tuple[dict, dict]:
        """(scalars, edges) of the person's Page; the platforms add their fields."""
        pid = self.page_id(account.id)
        page_token = tokens.sign(self.secret, self.platform, account.id, "page", claims.scope, LONG_TTL,
                                 self.token_prefix, page=pid)
        return ({"id": pid, "name": account.name, "username": account.handle.replace("_", "") or None,
                 "category": "Musician/Band", "link": f"https://www.facebook.com/{pid}",
                 "access_token": page_token, "tasks": ["ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT",
                                                       "MANAGE"]}, {})

    # ---------------------------------------------------------------- fields, nodes and lists
    def fields_of(self, text: str | None) -> list[Field] | None:
        if not text:
            return None
        try:
            return parse_fields(text)
        except ValueError as exc:
            raise ApiError(self.graph_error(400, 2500, f"Syntax error \"{exc}\" in fields")) from None

    def render(self, node_type: str, scalars: dict, edges: dict[str, Callable[[Field], Any]],
               fields: list[Field] | None) -> dict:
        out: dict[str, Any] = {}
        for f in fields or [Field("id", {})]:
            if f.name in edges:
                value = edges[f.name](f)
            elif f.name in scalars:
                value = scalars[f.name]
                value = value(f) if callable(value) else value
            else:
                raise ApiError(self.graph_error(400, 100, f"(#100) Tried accessing nonexisting field ({f.name}) on "
                                                          f"node type ({node_type})"))
            if value is not None:  # Meta leaves out what an object does not have
                out[f.name] = value
        return out

    def node(self, request: Request, node_type: str, scalars: dict, edges: dict) -> Response:
        return JSONResponse(self.render(node_type, scalars, edges, self.fields_of(request.query_params.get("fields"))))

    def paged(self, request: Request, items: list, path: str, render: Callable[[Any, list[Field] | None], dict], *,
              field: Field | None = None, default_limit: int = 25, summary: dict | None = None,
              keep: tuple[str, ...] = ("since", "until", "summary")) -> dict:
        """One page of a list, top level (query params) or nested (`field` with its modifiers)."""
        q = request.query_params
        raw_limit = field.mods.get("limit") if field else q.get("limit")
        try:
            limit = int(raw_limit) if raw_limit not in (None, "") else default_limit
        except ValueError:
            raise self.bad_param("limit must be an integer") from None
        if not 0 <= limit <= 100:
            raise self.bad_param("limit must be between 0 and 100")
        after = None if field else q.get("after")
        offset = read_page_token(after) if after else 0
        if offset is None:
            raise self.bad_param("Invalid cursor")
        fields = field.sub if field else self.fields_of(q.get("fields"))
        chunk = items[offset:offset + limit]
        body: dict[str, Any] = {"data": [render(item, fields) for item in chunk]}
        if limit:
            body["paging"] = {"cursors": {"before": page_token(offset), "after": page_token(offset + len(chunk))}}
            if offset + limit < len(items):
                params = {k: v for k, v in q.items() if k in keep and not field}
                sub = field.sub_text if field else q.get("fields")
                params.update({"access_token": self.bearer(request), "limit": limit,
                               "after": page_token(offset + len(chunk)), **({"fields": sub} if sub else {})})
                body["paging"]["next"] = f"{self.api_base(request)}/{path}?{urlencode(params)}"
            if offset:
                body["paging"]["previous"] = f"{self.api_base(request)}/{path}?before={page_token(offset)}"
        if summary is not None:
            body["summary"] = summary
        return body

    # ---------------------------------------------------------------- insights
    def day_param(self, request: Request, name: str) -> date | None:
        value = request.query_params.get(name)
        if not value:
            return None
        try:
            if value.isdigit():
                return datetime.fromtimestamp(int(value), UTC).astimezone(PACIFIC).date()
            return date.fromisoformat(value[:10])
        except (ValueError, OverflowError):
            raise self.bad_param(f"The parameter {name} must be a Unix timestamp or a date") from None

    def window(self, request: Request, *, max_days: int, default_days: int = 2) -> list[date]:
        """The days of since (included) .. until (excluded), at most `max_days` of them."""
        today = self.today()
        until = self.day_param(request, "until") or today + timedelta(days=1)
        since = self.day_param(request, "since") or until - timedelta(days=default_days)
        if since >= until:
            raise self.bad_param("since must be earlier than until")
        if (until - since).days > max_days:
            raise self.bad_param(f"There cannot be more than {max_days} days between since and until")
        return [since + timedelta(days=i) for i in range((until - since).days)]

    @staticmethod
    def insight(object_id: str, name: str, period: str, *, values: list[dict] | None = None,
                total: dict | None = None) -> dict:
        body: dict[str, Any] = {"name": name, "period": period, "title": name.replace("_", " ").capitalize(),
                                "description": f"{name.replace('_', ' ').capitalize()} ({period})."}
        if total is not None:
            body["total_value"] = total
        else:
            body["values"] = values or []
        body["id"] = f"{object_id}/insights/{name}/{period}"
        return body

    @staticmethod
    def daily(days: list[date], value: Callable[[date], Any]) -> list[dict]:
        """Daily values; a day without data is left out (Meta sends no zeros for it)."""
        out = []
        for d in days:
            v = value(d)
            if v is not None:
                out.append({"value": v, "end_time": end_time(d)})
        return out

    def metrics_param(self, request: Request) -> list[str]:
        names = [m.strip() for m in request.query_params.get("metric", "").split(",") if m.strip()]
        if not names:
            raise ApiError(self.graph_error(400, 100, "(#100) No metric was specified to be fetched. Please "
                                                      "specify one or more metrics to be fetched and try again.",
                                            subcode=1504028))
        return names
