"""OAuth 2 authorization-code flows with PKCE (S256), through authlib.

Endpoints and scopes come from each adapter's oauth_config(); client credentials from
settings. authlib raises its own errors (and httpx2's); callers only see OAuthError.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError as AuthlibOAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client
# The HTTP library authlib itself runs on (httpx2 in authlib 1.9), so we catch its errors.
from authlib.integrations.httpx_client._compat import httpx2

from dreamsuite.platforms import get_adapter
from dreamsuite.platforms.base import OAuthConfig
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


@dataclass
class TokenSet:
    access_token: str
    refresh_token: str
    expires_at: datetime | None  # aware UTC, as the database stores it
    scope: str

    def __repr__(self) -> str:  # never print tokens, even in a traceback
        return f"TokenSet(expires_at={self.expires_at!r}, scope={self.scope!r})"


def _client(platform: str, redirect_uri: str | None = None) -> tuple[AsyncOAuth2Client, OAuthConfig, str]:
    adapter = get_adapter(platform)
    cfg = adapter.oauth_config()
    creds = get_settings().platform_credentials(platform)
    if not creds:
        raise OAuthError(f"{adapter.label} is not configured: set {platform.upper()}_CLIENT_ID and _CLIENT_SECRET.")
    client = AsyncOAuth2Client(
        client_id=creds[0], client_secret=creds[1], scope=" ".join(cfg.scopes), redirect_uri=redirect_uri,
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
    return url, state, verifier


def _token_set(token: dict, previous_refresh: str = "") -> TokenSet:
    if not token.get("access_token"):
        raise OAuthError("The platform answered without an access token.", error="invalid_response")
    expires_at = token.get("expires_at")
    return TokenSet(
        access_token=token["access_token"],
        refresh_token=token.get("refresh_token") or previous_refresh,
        expires_at=datetime.fromtimestamp(int(expires_at), UTC) if expires_at else None,
        scope=token.get("scope") or "",
    )


def _map(exc: Exception, label: str, step: str) -> OAuthError:
    if isinstance(exc, AuthlibOAuthError):
        code = exc.error or "oauth_error"
        detail = exc.description or _HINTS.get(code, code)
        return OAuthError(f"{label} refused the {step}: {detail}", error=code)
    if isinstance(exc, httpx2.HTTPStatusError):
        status = exc.response.status_code
        transient = status >= 500 or status == 429
        return OAuthError(f"{label} answered {status} during the {step}", error=f"http_{status}", transient=transient)
    if isinstance(exc, httpx2.TransportError):
        return OAuthError(f"{label} could not be reached during the {step}", error="unreachable", transient=True)
    return OAuthError(f"{label} sent an unexpected answer during the {step}", error="invalid_response")


async def exchange_code(platform: str, code: str, code_verifier: str, redirect_uri: str) -> TokenSet:
    client, cfg, label = _client(platform, redirect_uri)
    async with client:
        try:
            token = await client.fetch_token(cfg.token_url, grant_type="authorization_code", code=code,
                                             code_verifier=code_verifier, redirect_uri=redirect_uri)
        except (AuthlibOAuthError, httpx2.HTTPError, ValueError) as exc:
            log.warning("%s token exchange failed: %s", platform, type(exc).__name__)
            raise _map(exc, label, "authorization") from exc
    return _token_set(token)


async def refresh(platform: str, refresh_token: str) -> TokenSet:
    if not refresh_token:
        raise OAuthError("No refresh token is stored: reconnect the account.", error="invalid_grant")
    client, cfg, label = _client(platform)
    async with client:
        try:
            token = await client.refresh_token(cfg.token_url, refresh_token=refresh_token)
        except (AuthlibOAuthError, httpx2.HTTPError, ValueError) as exc:
            log.warning("%s token refresh failed: %s", platform, type(exc).__name__)
            raise _map(exc, label, "token refresh") from exc
    return _token_set(token, refresh_token)
