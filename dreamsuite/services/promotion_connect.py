"""Connecting promotion channels (ad accounts, a Shopify shop) to a workspace, listing and
disconnecting them.

Ad accounts authorise through the same OAuth dance as social accounts (services/connect.py,
one callback route); only the target differs: owners and editors connect, the account lands in
`promotion_channel` (upserted by workspace, kind and the platform's account id; tokens
encrypted), and its first collect is queued. A login that manages several ad accounts is stored
as the one the adapter picks (the first active), with the others' ids in `details`.

A Shopify shop is its myshopify.com domain and an Admin API access token the artist copies from
the shop's custom app: both are checked by reading the shop (and today's orders, which needs the
read_orders scope) before anything is stored.

Disconnecting deletes the channel with its campaigns, creatives and daily numbers (foreign keys
cascade): the brain stops counting them.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from importlib.util import find_spec
from typing import Any

import httpx
from sqlmodel import Session, select

from dreamsuite import crypto, db, events
from dreamsuite.models import ConnectionStatus, PromotionChannel, Role
from dreamsuite.platforms.base import (
    HTTP_TIMEOUT, AccountRef, AuthExpired, NotSupported, PermissionMissing, PlatformAdapter, PlatformError, Profile,
    TokenSet, TransientError,
)
from dreamsuite.platforms.promotion_base import PROMOTION_CHANNELS, PROMOTION_MODULES, promotion_channel
from dreamsuite.services import connect
from dreamsuite.services.connect import ConnectError, ConnectResult, ConnectTarget, best_effort, upsert
from dreamsuite.services.errors import UserError
from dreamsuite.services.scope import Scope, get_scoped, scoped

log = logging.getLogger(__name__)

SHOP = "shopify"
MAX_TOKEN = 2000  # a sanity bound (Shopify's are 38 characters)
__all__ = ["ConnectError", "ShopRefused", "channel_kinds", "connect_shop", "disconnect", "finish_connect",
           "list_channels", "start_connect"]


class ShopRefused(UserError):
    """The shop could not be connected; `field` ("domain" or "token") is the one to fix."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def available(kind: str) -> bool:
    """Whether this install has the kind's connector (Google and TikTok Ads may come later)."""
    module = PROMOTION_MODULES.get(kind)
    return module is not None and find_spec(f"dreamsuite.platforms.{module}") is not None


def _adapter(kind: str) -> PlatformAdapter:
    if kind not in PROMOTION_MODULES:
        raise ConnectError(f"There is no promotion channel called {kind!r}.")
    if not available(kind):
        raise ConnectError(f"{kind.replace('_', ' ').title()} cannot be connected yet.")
    return promotion_channel(kind)


def _oauth_adapter(kind: str) -> PlatformAdapter:
    adapter = _adapter(kind)
    if kind == SHOP:
        raise ConnectError("Connect Shopify with your shop's address and its Admin API access token.")
    try:
        adapter.oauth_config()
    except NotSupported as exc:
        raise ConnectError(f"{adapter.label} cannot be connected yet.") from exc
    return adapter


def channel_kinds() -> list[dict[str, Any]]:
    """Every promotion channel kind, in the order the panel shows them, with what we read."""
    out = []
    for kind in PROMOTION_CHANNELS:
        cls = type(promotion_channel(kind)) if available(kind) else None
        out.append({"kind": kind, "label": cls.label if cls else _fallback_label(kind),
                    "color": getattr(cls, "color", "#888888"), "reads": getattr(cls, "reads", ""),
                    "available": cls is not None, "oauth": kind != SHOP})
    return out


def _fallback_label(kind: str) -> str:
    return {"google_ads": "Google Ads", "tiktok_ads": "TikTok Ads"}.get(kind, kind.replace("_", " ").title())


# ------------------------------------------------------------------ ad accounts (OAuth)
async def start_connect(scope: Scope, kind: str) -> str:
    """The authorization URL for an ad platform's login (owners and editors)."""
    return await connect.start_connect(scope, kind, TARGET)


async def finish_connect(kind: str, params: dict, user_id: int | None) -> ConnectResult:
    """The OAuth callback for an ad platform: `params` are the query the platform sent back
    (state and code, or its error), `user_id` the session's user. The channel's id is the
    result's `connection_id`."""
    return await connect.complete_connect(kind, params, user_id, TARGET)


def _find(s: Session, workspace_id: int, kind: str, external_id: str) -> PromotionChannel | None:
    return s.exec(select(PromotionChannel).where(
        PromotionChannel.workspace_id == workspace_id, PromotionChannel.kind == kind,
        PromotionChannel.external_id == external_id)).first()


def _apply(row: PromotionChannel, profile: Profile, tokens: TokenSet) -> None:
    details = dict(profile.details)
    row.name = (profile.display_name or profile.username or profile.platform_user_id)[:200]
    row.currency = str(details.get("currency") or row.currency or "")[:3].upper()
    row.timezone = str(details.get("timezone") or row.timezone or "")[:64]
    row.details = {**(row.details or {}), **details, **connect.token_details(tokens)}
    row.access_token_enc = crypto.encrypt(tokens.access_token)
    row.refresh_token_enc = crypto.encrypt(tokens.refresh_token) if tokens.refresh_token else ""
    row.token_expires_at, row.scopes = tokens.expires_at, tokens.scope[:1000]
    row.status, row.last_error, row.updated_at = ConnectionStatus.active, "", db.utcnow()


def store_channel(workspace_id: int, kind: str, profile: Profile, tokens: TokenSet) -> int:
    """Upsert the channel by (workspace, kind, account id); a reconnect refreshes its tokens."""
    return upsert(lambda s: _find(s, workspace_id, kind, profile.platform_user_id),
                  lambda: PromotionChannel(workspace_id=workspace_id, kind=kind,
                                           external_id=profile.platform_user_id),
                  lambda row: _apply(row, profile, tokens))


async def _after_connect(workspace_id: int, channel_id: int, kind: str) -> None:
    """The first collect (180 days) and a live update, best effort: the daily cron collects if
    Redis is down."""
    from dreamsuite.services.promotion_queue import enqueue_collect

    await best_effort(enqueue_collect(channel_id, db.utcnow().date()),
                      f"enqueue the first collect of promotion channel {channel_id}")
    await best_effort(events.announce(workspace_id, "promotion", channel_id=channel_id, platform=kind,
                                      status="connected"), f"announce promotion channel {channel_id}")


TARGET = ConnectTarget(adapter=_oauth_adapter, role=Role.editor, store=store_channel, after=_after_connect)


# ------------------------------------------------------------------ a Shopify shop
async def connect_shop(scope: Scope, domain: str, token: str, *, client: httpx.AsyncClient | None = None) -> int:
    """Check the shop's address and token by reading the shop, then store it (owners and
    editors); the channel's id. ShopRefused says which field to fix; nothing is stored then."""
    scope.require(Role.editor)
    from dreamsuite.platforms.shopify import shop_domain

    adapter = _adapter(SHOP)
    try:
        host = shop_domain(domain)
    except PlatformError as exc:
        raise ShopRefused(exc.message, "domain") from exc
    token = (token or "").strip()
    if not token:
        raise ShopRefused("Paste the Admin API access token of your shop's custom app (Settings → Apps and sales "
                          "channels → Develop apps → your app → API credentials).", "token")
    if len(token) > MAX_TOKEN or any(c.isspace() for c in token):
        raise ShopRefused("That does not look like an access token: copy it again, without spaces "
                          "(it starts with shpat_).", "token")
    own = client is None
    client = client or httpx.AsyncClient(timeout=HTTP_TIMEOUT)
    try:
        profile = await adapter.fetch_profile(client, token, host)
        # The shop itself needs no scope; its orders need read_orders: read today's to know.
        today = datetime.now(timezone.utc).date()
        await adapter.orders(client, token, AccountRef(profile.platform_user_id, profile.username,
                                                       dict(profile.details)), since=today)
    except PlatformError as exc:
        raise _shop_refusal(exc, host) from exc
    finally:
        if own:
            await client.aclose()
    tokens = TokenSet(access_token=token, refresh_token="", expires_at=None, scope="")
    channel_id = await db.run(store_channel, scope.workspace_id, SHOP, profile, tokens)
    log.info("connected shop for workspace %s (channel %s)", scope.workspace_id, channel_id)
    await _after_connect(scope.workspace_id, channel_id, SHOP)
    return channel_id


def _shop_refusal(exc: PlatformError, host: str) -> ShopRefused:
    """The platform's refusal in words that say what to do, the platform's own words kept."""
    if isinstance(exc, AuthExpired):
        return ShopRefused(f"Shopify refused this access token for {host} ({exc.message}). Copy the Admin API "
                           "access token of this shop's custom app again (it starts with shpat_).", "token")
    if isinstance(exc, PermissionMissing):
        return ShopRefused(f"This token may not read the shop's orders ({exc.message}). Give the custom app the "
                           "read_orders and read_all_orders access scopes, then paste its token again.", "token")
    if isinstance(exc, TransientError):
        return ShopRefused(f"{host} could not be reached just now ({exc.message}). Nothing was saved: check the "
                           "address, or try again in a few minutes.", "domain")
    if exc.status in (404, 402, 423):
        what = {404: "No Shopify shop answers at", 402: "Shopify says this shop is frozen (unpaid):",
                423: "Shopify says this shop is locked:"}[exc.status]
        return ShopRefused(f"{what} {host}. Check the address under Settings → Domains.", "domain")
    return ShopRefused(f"Shopify refused to read the shop: {exc.message}", "token")


# ------------------------------------------------------------------ listing and disconnecting
def _channel(row: PromotionChannel) -> dict[str, Any]:
    """A channel as pages show it: never a token, encrypted or not."""
    details = row.details or {}
    return {"id": row.id, "kind": row.kind, "external_id": row.external_id, "name": row.name,
            "currency": row.currency, "timezone": row.timezone, "status": row.status,
            "last_synced_at": row.last_synced_at, "last_error": row.last_error,
            "token_expires_at": row.token_expires_at, "created_at": row.created_at,
            "ad_accounts": [str(a) for a in details.get("ad_accounts") or [] if a]}


def _rows(scope: Scope) -> list[dict[str, Any]]:
    order = {k: i for i, k in enumerate(PROMOTION_CHANNELS)}
    with db.session() as s:
        rows = s.exec(scoped(scope, PromotionChannel)).all()
    return [_channel(r) for r in sorted(rows, key=lambda r: (order.get(r.kind, 99), r.created_at, r.id or 0))]


async def list_channels(scope: Scope) -> list[dict[str, Any]]:
    """This workspace's channels (any member may look), in the panel's order of kinds."""
    return await db.run(_rows, scope)


def _tokens_of(scope: Scope, channel_id: int) -> tuple[str, str, AccountRef]:
    with db.session() as s:
        row = get_scoped(s, scope, PromotionChannel, channel_id)  # NotFound for another workspace's id
        try:
            token = crypto.decrypt(row.access_token_enc) if row.access_token_enc else ""
        except crypto.DecryptError:
            token = ""
        return row.kind, token, AccountRef(row.external_id, row.name, dict(row.details or {}))


def _delete(scope: Scope, channel_id: int) -> None:
    with db.session() as s:
        s.delete(get_scoped(s, scope, PromotionChannel, channel_id))  # its numbers cascade


async def disconnect(scope: Scope, channel_id: int) -> bool:
    """Ask the platform to withdraw our access (where it can), then delete the channel and every
    number collected from it (owners and editors). True when the platform confirmed."""
    scope.require(Role.editor)
    kind, token, account = await db.run(_tokens_of, scope, channel_id)
    revoked = False
    if token and available(kind):
        try:
            async with httpx.AsyncClient(timeout=HTTP_TIMEOUT) as client:
                revoked = await promotion_channel(kind).revoke(client, token, account)
        except PlatformError as exc:  # our side forgets everything anyway; the artist can revoke there too
            log.warning("revoking promotion channel %s failed: %s", channel_id, exc.message)
    await db.run(_delete, scope, channel_id)
    from dreamsuite.services.promotion_queue import enqueue_brain

    # The brain's advice counted this channel: a run on what is left (the daily run otherwise).
    await best_effort(enqueue_brain(scope.workspace_id, db.utcnow().date()),
                      f"ask for a brain run of workspace {scope.workspace_id}")
    await best_effort(events.announce(scope.workspace_id, "promotion", channel_id=channel_id, platform=kind,
                                      status="disconnected"), f"announce promotion channel {channel_id}")
    return revoked
