"""OAuth 2 authorization-code flows with PKCE (S256), through authlib.

Endpoints and scopes come from each adapter's oauth_config(); client credentials from
settings. authlib raises its own errors (and httpx2's); callers only see OAuthError.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError as AuthlibOAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client
# The HTTP library authlib itself runs on (httpx2 in authlib 1.9), so we catch its errors.
from authlib.integrations.httpx_client._compat import httpx2

import httpx

from dreamsuite.platforms import UnknownPlatform, get_adapter
from dreamsuite.platforms.base import (
    HTTP_TIMEOUT, OAuthConfig, PlatformAdapter, PlatformError, RateLimited, TokenSet, TransientError,
)
from dreamsuite.platforms.promotion_base import PROMOTION_MODULES, promotion_channel
from dreamsuite.settings import get_settings

log = logging.getLogger(__name__)
TIMEOUT = 20.0

_HINTS = {
    "invalid_grant": "the authorization expired or was already used",
    "invalid_client": "the app's client id or secret is wrong",
    "access_denied": "access was denied",
    "invalid_scope": "the requested permissions were refused",
}


class OAuthError(Exception):
    """An OAuth step failed. `message` is safe to show; `transient` says a retry may work."""

    def __init__(self, message: str, *, error: str = "", transient: bool = False):
        super().__init__(message)
        self.message = message
        self.error = error
        self.transient = transient


def oauth_adapter(platform: str) -> PlatformAdapter:
    """The adapter of a social platform or of a promotion channel (an ad account's login): both
    registries authorise the same way, and their names never overlap."""
    try:
        return get_adapter(platform)
    except UnknownPlatform:
        if platform in PROMOTION_MODULES:
            return promotion_channel(platform)
        raise


def _client(platform: str, redirect_uri: str | None = None) -> tuple[AsyncOAuth2Client, OAuthConfig, str]:
    adapter = oauth_adapter(platform)
    cfg = adapter.oauth_config()
    creds = _credentials(platform)
    client = AsyncOAuth2Client(
        client_id=creds[0], client_secret=creds[1], scope=cfg.scope_separator.join(cfg.scopes),
        redirect_uri=redirect_uri,
        token_endpoint_auth_method=cfg.token_auth_method,
        code_challenge_method="S256" if cfg.pkce else None, timeout=TIMEOUT,
    )
    return client, cfg, adapter.label


def authorization_url(platform: str, redirect_uri: str) -> tuple[str, str, str]:
    """(url to send the browser to, state, PKCE code_verifier); keep the last two server-side."""
    client, cfg, _ = _client(platform, redirect_uri)
    verifier = generate_token(64)  # 64 chars from [A-Za-z0-9]: within RFC 7636's 43..128
    url, state = client.create_authorization_url(
        cfg.authorize_url, code_verifier=verifier if cfg.pkce else None, **cfg.extra_authorize_params
    )
    if cfg.client_id_param != "client_id":  # TikTok calls it client_key
        url = url.replace("?client_id=", f"?{cfg.client_id_param}=").replace("&client_id=", f"&{cfg.client_id_param}=")
    return url, state, verifier


def _token_set(token: dict, previous_refresh: str = "") -> TokenSet:
    if not token.get("access_token"):
        raise OAuthError("The platform answered without an access token.", error="invalid_response")
    expires_at = token.get("expires_at")
    known = {"access_token", "refresh_token", "expires_at", "expires_in", "scope", "token_type"}
    scope = token.get("scope") or ""
    return TokenSet(
        access_token=token["access_token"],
        refresh_token=token.get("refresh_token") or previous_refresh,
        expires_at=datetime.fromtimestamp(int(expires_at), UTC) if expires_at else None,
        scope=" ".join(scope) if isinstance(scope, list) else str(scope),
        extra={k: v for k, v in token.items() if k not in known},
    )


def _map(exc: Exception, label: str, step: str) -> OAuthError:
    if isinstance(exc, AuthlibOAuthError):
        code = exc.error or "oauth_error"
        detail = exc.description or _HINTS.get(code, code)
        return OAuthError(f"{label} refused the {step}: {detail}", error=code)
    if isinstance(exc, (httpx2.HTTPStatusError, httpx.HTTPStatusError)):
        status = exc.response.status_code
        transient = status >= 500 or status == 429
        return OAuthError(f"{label} answered {status} during the {step}", error=f"http_{status}", transient=transient)
    if isinstance(exc, (httpx2.TransportError, httpx.TransportError)):
        return OAuthError(f"{label} could not be reached during the {step}", error="unreachable", transient=True)
    if isinstance(exc, PlatformError):
        transient = isinstance(exc, (TransientError, RateLimited))
        return OAuthError(f"{label} refused the {step}: {exc.message}", error="platform_error", transient=transient)
    return OAuthError(f"{label} sent an unexpected answer during the {step}", error="invalid_response")


def _credentials(platform: str) -> tuple[str, str]:
    creds = get_settings().platform_credentials(platform)
    if not creds:
        label = oauth_adapter(platform).label
        raise OAuthError(f"{label} is not configured: set {platform.upper()}_CLIENT_ID and _CLIENT_SECRET.")
    return creds


async def exchange_code(platform: str, code: str, code_verifier: str, redirect_uri: str) -> TokenSet:
    """Trade the callback's code for tokens: the standard grant, or the platform's own way, then
    the platform's last step (e.g. Meta's long-lived token)."""
    adapter = oauth_adapter(platform)
    creds = _credentials(platform)
    try:
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT) as http:
            tokens = await adapter.exchange_code(http, code, code_verifier, redirect_uri, creds)
            if tokens is None:
                tokens = await _standard_exchange(platform, code, code_verifier, redirect_uri)
            return await adapter.after_token(http, tokens, creds)
    except OAuthError:
        raise
    except (AuthlibOAuthError, httpx2.HTTPError, httpx.HTTPError, PlatformError, ValueError) as exc:
        log.warning("%s token exchange failed: %s", platform, type(exc).__name__)
        raise _map(exc, adapter.label, "authorization") from exc


async def _standard_exchange(platform: str, code: str, code_verifier: str, redirect_uri: str) -> TokenSet:
    client, cfg, _label = _client(platform, redirect_uri)
    async with client:
        token = await client.fetch_token(cfg.token_url, grant_type="authorization_code", code=code,
                                         code_verifier=code_verifier, redirect_uri=redirect_uri)
    return _token_set(token)


async def refresh(platform: str, refresh_token: str) -> TokenSet:
    """New tokens from the stored refresh token (a platform that refreshes the access token
    itself, like Meta, stores that token as its refresh token)."""
    adapter = oauth_adapter(platform)
    if not refresh_token:
        raise OAuthError("No refresh token is stored: reconnect the account.", error="invalid_grant")
    creds = _credentials(platform)
    current = TokenSet(access_token="", refresh_token=refresh_token, expires_at=None, scope="")
    try:
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT) as http:
            tokens = await adapter.refresh_tokens(http, current, creds)
        if tokens is not None:
            return tokens
        client, cfg, _label = _client(platform)
        async with client:
            token = await client.refresh_token(cfg.token_url, refresh_token=refresh_token)
    except OAuthError:
        raise
    except (AuthlibOAuthError, httpx2.HTTPError, httpx.HTTPError, PlatformError, ValueError) as exc:
        log.warning("%s token refresh failed: %s", platform, type(exc).__name__)
        raise _map(exc, adapter.label, "token refresh") from exc
    return _token_set(token, refresh_token)
