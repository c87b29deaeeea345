"""Google's OAuth 2 server, emulated once for every Google API (YouTube, Google Ads): the consent
page at /accounts/o/oauth2/v2/auth, /oauth2/token and /oauth2/revoke.

A refresh token only with `access_type=offline`, and only on the first consent unless
`prompt=consent`; a refresh answers without a new refresh token (Google does not rotate them);
revoking either token ends the whole grant, and the API then refuses its access tokens (401).
"""

from __future__ import annotations

import json
import secrets
import time
from urllib.parse import parse_qsl, urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from dreamsuite.platforms.emulators import tokens
from dreamsuite.platforms.emulators.core import ApiError, Emulator


class GoogleOAuthEmulator(Emulator):
    authorize_path = "/accounts/o/oauth2/v2/auth"
    token_path = "/oauth2/token"
    pkce = "optional"
    access_ttl = 3599
    rotates_refresh = False
    token_prefix = "ya29"

    def new_account_id(self, name: str) -> str:
        return str(secrets.randbelow(9 * 10**20) + 10**20)  # a Google account id (sub)

    def _validate(self, params) -> tuple[dict[str, str], str]:
        p, problem = super()._validate(params)
        p["access_type"] = str(params.get("access_type", "") or "online")
        p["prompt"] = str(params.get("prompt", ""))
        if not problem and p["access_type"] not in ("online", "offline"):
            problem = f"Invalid access_type {p['access_type']!r}: use online or offline."
        return p, problem

    async def authorize_submit(self, request: Request) -> Response:
        form = await request.form()
        response = await super().authorize_submit(request)
        code = dict(parse_qsl(urlsplit(response.headers.get("location", "")).query)).get("code")
        claims = tokens.verify(self.secret, code, self.platform, "code") if code else None
        if claims is not None:
            granted = f"{self.platform}:granted:{claims.account}"
            first = await self.store.call(self.store.get, granted) is None
            consent = "consent" in str(form.get("prompt", "")).split()
            offline = form.get("access_type") == "offline" and (consent or first)
            await self.store.call(self.store.put, granted, True)
            await self.store.call(self.store.put, f"{self.platform}:offline:{claims.nonce}", offline)
        return response

    @staticmethod
    def _without_refresh(response: Response) -> Response:
        if response.status_code != 200:
            return response
        body = json.loads(response.body)
        body.pop("refresh_token", None)
        return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    async def _grant_code(self, form) -> Response:
        claims = tokens.verify(self.secret, str(form.get("code", "")), self.platform, "code")
        offline = bool(claims and await self.store.call(self.store.pop, f"{self.platform}:offline:{claims.nonce}"))
        response = await super()._grant_code(form)
        return response if offline else self._without_refresh(response)

    async def _grant_refresh(self, form) -> Response:
        claims = tokens.verify(self.secret, str(form.get("refresh_token", "")), self.platform, "refresh")
        if claims is not None and await self._revoked(claims.account, claims.exp - self.refresh_ttl):
            return self.oauth_error("invalid_grant", "Token has been expired or revoked.")
        return self._without_refresh(await super()._grant_refresh(form))

    async def revoke(self, request: Request) -> Response:
        """Revoking either token ends the whole grant (its access and refresh tokens)."""
        form = await request.form()
        token = str(form.get("token") or request.query_params.get("token", ""))
        for kind, ttl in (("access", self.access_ttl), ("refresh", self.refresh_ttl)):
            claims = tokens.verify(self.secret, token, self.platform, kind)
            if claims is not None:
                break
        if claims is None or await self._revoked(claims.account, claims.exp - ttl):
            return self.oauth_error("invalid_token", "Token expired or revoked")
        await self.store.call(self.store.put, f"{self.platform}:revoked:{claims.account}", time.time())
        return JSONResponse({})

    async def _revoked(self, account: str, issued: int) -> bool:
        at = await self.store.call(self.store.get, f"{self.platform}:revoked:{account}")
        return at is not None and issued < at

    async def caller(self, request: Request, *, need: str | None = None, app_token_ok: bool = False):
        found = await super().caller(request, need=need, app_token_ok=app_token_ok)
        claims = tokens.verify(self.secret, found.token, self.platform, "access")
        if claims and await self._revoked(claims.account, claims.exp - self.access_ttl):
            raise ApiError(self.error(401, "invalid_token", ""))
        return found

    def app(self, *, with_control: bool = False) -> Starlette:
        app = super().app(with_control=with_control)
        app.router.routes.append(Route("/oauth2/revoke", self.revoke, methods=["POST"]))
        return app
