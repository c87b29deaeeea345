"""Google's OAuth 2, the same for every Google API we read (YouTube, Google Ads): one consent
screen at accounts.google.com, one token endpoint, offline access for a refresh token and
`prompt=consent` so a reconnect gives it again (Google never rotates it)."""

from __future__ import annotations

from collections.abc import Iterable

import httpx

from dreamsuite.platforms.base import OAuthConfig
from dreamsuite.platforms.http import HttpMixin

# The hosts an adapter adds to its own `hosts` (settings may point each elsewhere, per platform).
GOOGLE_OAUTH_HOSTS = {"accounts": "https://accounts.google.com", "oauth2": "https://oauth2.googleapis.com"}


def google_oauth_config(adapter: HttpMixin, scopes: Iterable[str]) -> OAuthConfig:
    return OAuthConfig(
        authorize_url=adapter.url("accounts", "/o/oauth2/v2/auth"), token_url=adapter.url("oauth2", "/token"),
        scopes=list(scopes),
        # Offline access gives a refresh token; prompt=consent gives it again on a reconnect.
        extra_authorize_params={"access_type": "offline", "prompt": "consent"},
    )


async def google_revoke(adapter: HttpMixin, client: httpx.AsyncClient, token: str, key: str) -> bool:
    """Google's revocation endpoint: revoking the access token ends the whole grant."""
    resp = await adapter.send(client, "POST", adapter.url("oauth2", "/revoke"), cost=0, account_key=key,
                              data={"token": token})
    if resp.status_code == 400:  # already expired or revoked: nothing left to withdraw
        return False
    adapter.parse_response(resp)
    return True
