"""Collecting one promotion channel (an ad account or a shop): the collect job's body.

The same shape as a social account's collect (services/sync.py): the token is decrypted in
memory only, refreshed when the kind has refresh tokens and it is about to expire, the platform
is called outside any transaction, and what it returned is written in one transaction
(services/promotion_store.py). Errors keep the platform's own words in `last_error`:
- the grant expired or was revoked → status expired and one notification;
- a refusal retrying will not fix (a permission, a malformed answer) → status error and a
  notification;
- RateLimited / TransientError → raised, for the worker to retry (after the platform's delay).

Incremental: the first collect reads `FIRST_DAYS` (180) days; later ones re-read the
`REVISED_DAYS` (28) up to the last success's day, the span over which attribution windows still
revise a day's numbers (a daily collect: the last 28 days; after an outage, the gap as well).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, date
from typing import Any

import httpx
from authlib.integrations.httpx_client import AsyncOAuth2Client

from dreamsuite import crypto, db, events, locks
from dreamsuite.models import ConnectionStatus, PromotionChannel
from dreamsuite.oauth import TIMEOUT as OAUTH_TIMEOUT, OAuthError, _map, _token_set
from dreamsuite.platforms.base import (
    HTTP_TIMEOUT, AccountRef, AuthExpired, PlatformError, RateLimited, TokenSet, TransientError,
)
from dreamsuite.platforms.promotion_base import promotion_channel
from dreamsuite.services.notifications import notify
from dreamsuite.services.promotion_store import ChannelGone, store_ads, store_orders, zone
from dreamsuite.services.tokens import CredentialsUnreadable
from dreamsuite.settings import get_settings

__all__ = ["RateLimited", "TransientError", "collect_channel", "record_gave_up", "FIRST_DAYS", "REVISED_DAYS"]

log = logging.getLogger(__name__)

FIRST_DAYS = 180
REVISED_DAYS = 28
# A shop's order search takes a date; reading one day more makes the window's first day whole
# whatever zone the search reads it in (the store keeps only days from the window on).
ORDER_MARGIN = timedelta(days=1)
REFRESH_MARGIN = timedelta(minutes=5)
LOCK_SECONDS = 660  # longer than the job may run (its timeout is 600 s)
LOCK_WAIT = 300
SKIP_STATUSES = {ConnectionStatus.revoked, ConnectionStatus.expired}
LINK = "/promotion"


async def collect_channel(channel_id: int, *, client: httpx.AsyncClient | None = None,
                          since: date | None = None) -> dict[str, Any]:
    """Collect one channel; a result dict, or RateLimited/TransientError for the caller to retry.
    One collect per channel at a time across workers (the second starts from what the first saved)."""
    try:
        async with locks.hold(f"promotion_collect:{channel_id}", timeout=LOCK_SECONDS, wait=LOCK_WAIT):
            return await _collect(channel_id, client, since)
    except locks.Busy:
        raise TransientError("Another collect of this channel is still running; trying again shortly.") from None


async def _collect(channel_id: int, client: httpx.AsyncClient | None, since: date | None) -> dict[str, Any]:
    begun = await db.run(_begin, channel_id, since)
    if "status" in begun:
        return begun
    ws_id, kind, since = begun["workspace_id"], begun["kind"], begun["since"]
    await _announce(ws_id, channel_id, status="started")
    # Without the shared gate for now: Shopify paces itself on its cost bucket inside a collect,
    # which the gate's cooldowns do not express (with it, the demo's shop was refused mid-collect).
    # Each adapter still reads every answer's usage and raises RateLimited with the platform's wait.
    adapter = promotion_channel(kind, None)
    own_client = client is None
    client = client or httpx.AsyncClient(timeout=HTTP_TIMEOUT)
    try:
        try:
            counts = await _fetch_and_store(adapter, client, channel_id, begun)
        except AuthExpired:
            if not begun["refreshable"]:
                raise
            # The platform may have ended the token early: one forced refresh, then one retry.
            await _refresh(channel_id, adapter, client, await db.run(_row, channel_id))
            counts = await _fetch_and_store(adapter, client, channel_id, begun)
    except AuthExpired as exc:
        await db.run(_fail, channel_id, exc.message, expired=True)
        await _announce(ws_id, channel_id, status="expired", error=exc.message)
        return {"status": "expired", "channel_id": channel_id, "workspace_id": ws_id, "error": exc.message}
    except (RateLimited, TransientError) as exc:
        await db.run(_fail, channel_id, exc.message)
        await _announce(ws_id, channel_id, status="failed", error=f"{exc.message} (trying again later)")
        raise
    except PlatformError as exc:
        await db.run(_fail, channel_id, exc.message, notify_=True)
        await _announce(ws_id, channel_id, status="failed", error=exc.message)
        return {"status": "failed", "channel_id": channel_id, "workspace_id": ws_id, "error": exc.message}
    except ChannelGone as exc:  # disconnected while its numbers were on the way: nothing to keep
        return {"status": "skipped", "channel_id": channel_id, "workspace_id": ws_id, "reason": str(exc)}
    except BaseException as exc:
        await db.run(_fail, channel_id, f"Collecting failed unexpectedly: {type(exc).__name__}")
        raise
    finally:
        if own_client:
            await client.aclose()
    await _announce(ws_id, channel_id, status="success", counts=counts)
    return {"status": "success", "channel_id": channel_id, "workspace_id": ws_id, "since": since.isoformat(),
            "counts": counts}


async def _fetch_and_store(adapter, client: httpx.AsyncClient, channel_id: int, begun: dict) -> dict:
    token = await _access_token(channel_id, adapter, client)
    account, since = begun["account"], begun["since"]
    if hasattr(adapter, "collect_ads"):  # an ad account: Meta, Google, TikTok Ads
        report = await adapter.collect_ads(client, token, account, since=since)
        counts = await db.run(store_ads, channel_id, report, since=since)
    else:  # a shop
        shop = await adapter.shop(client, token, str(account.details.get("shop") or account.platform_user_id))
        orders = await adapter.orders(client, token, account, since=since - ORDER_MARGIN)
        counts = await db.run(store_orders, channel_id, orders, since=since, currency=shop.currency,
                              timezone=shop.timezone)
    await db.run(_succeeded, channel_id)
    return counts


# ------------------------------------------------------------------ database steps
def _row(channel_id: int) -> PromotionChannel:
    with db.session() as s:
        row = s.get(PromotionChannel, channel_id)
    if row is None:
        raise AuthExpired(f"Promotion channel {channel_id} no longer exists")
    return row


def _begin(channel_id: int, since: date | None) -> dict[str, Any]:
    with db.session() as s:
        ch = s.get(PromotionChannel, channel_id)
        if ch is None:
            return {"status": "skipped", "reason": f"channel {channel_id} no longer exists"}
        if ch.status in SKIP_STATUSES:
            return {"status": "skipped", "reason": f"channel is {ch.status}; reconnect it to collect again",
                    "workspace_id": ch.workspace_id}
        tz = zone(ch.timezone)
        today = db.utcnow().astimezone(tz).date()
        if since is None:
            # The revised span before the last success (a channel that could not collect for a
            # while catches up on its gap too), never further back than a first fill.
            last = _aware(ch.last_synced_at).astimezone(tz).date() if ch.last_synced_at else None
            since = max(today - timedelta(days=FIRST_DAYS - 1),
                        min(today, last) - timedelta(days=REVISED_DAYS - 1) if last else date.min)
        details = dict(ch.details or {})
        return {"workspace_id": ch.workspace_id, "kind": ch.kind, "since": since,
                "refreshable": bool(ch.refresh_token_enc),
                "account": AccountRef(ch.external_id, ch.name, details)}


def _succeeded(channel_id: int) -> None:
    with db.session() as s:
        ch = s.get(PromotionChannel, channel_id)
        if ch is not None:
            ch.last_synced_at = ch.updated_at = db.utcnow()
            ch.last_error = ""
            if ch.status == ConnectionStatus.error:  # the failure it named is over
                ch.status = ConnectionStatus.active
            s.add(ch)


def _fail(channel_id: int, message: str, *, expired: bool = False, notify_: bool = False) -> None:
    with db.session() as s:
        ch = s.get(PromotionChannel, channel_id)
        if ch is None:
            return
        ch.last_error, ch.updated_at = message[:2000], db.utcnow()
        label = _label(ch)
        if expired:
            if ch.status != ConnectionStatus.expired:  # one notification per expiry
                notify(s, ch.workspace_id, "token_expired", f"Reconnect {label}: {message}", link=LINK)
            ch.status = ConnectionStatus.expired
        elif notify_:
            if ch.status != ConnectionStatus.error:
                notify(s, ch.workspace_id, "sync_failed", f"Collecting {label} failed: {message}", link=LINK)
            ch.status = ConnectionStatus.error
        s.add(ch)


def record_gave_up(channel_id: int, message: str) -> None:
    """The job ran out of retries: tell the artist (a retried failure is silent until then)."""
    with db.session() as s:
        ch = s.get(PromotionChannel, channel_id)
        if ch is not None:
            if ch.status == ConnectionStatus.active:
                ch.status = ConnectionStatus.error
            notify(s, ch.workspace_id, "sync_failed", f"Collecting {_label(ch)} keeps failing: {message}", link=LINK)
            s.add(ch)


def _label(ch: PromotionChannel) -> str:
    try:
        kind = promotion_channel(ch.kind).label
    except KeyError:
        kind = ch.kind
    return f"{kind} ({ch.name or ch.external_id})"


async def _announce(workspace_id: int, channel_id: int, **data: Any) -> None:
    try:
        await events.announce(workspace_id, "promotion", channel_id=channel_id, **data)
    except Exception:  # the data is saved; a missed live update only delays a page refresh
        log.warning("could not announce the collect of promotion channel %s", channel_id, exc_info=True)


# ------------------------------------------------------------------ tokens
def _decrypt(ciphertext: str) -> str:
    try:
        return crypto.decrypt(ciphertext)
    except crypto.DecryptError:
        raise CredentialsUnreadable() from None


async def _access_token(channel_id: int, adapter, client: httpx.AsyncClient) -> str:
    row = await db.run(_row, channel_id)
    if row.status == ConnectionStatus.revoked:
        raise AuthExpired("This channel was disconnected; connect it again to continue.")
    fresh = row.token_expires_at is None or _aware(row.token_expires_at) - db.utcnow() > REFRESH_MARGIN
    if fresh or not row.refresh_token_enc:
        return _decrypt(row.access_token_enc)  # without a refresh token the platform decides (401)
    return await _refresh(channel_id, adapter, client, row)


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=db.utcnow().tzinfo)


async def _refresh(channel_id: int, adapter, client: httpx.AsyncClient, row: PromotionChannel) -> str:
    """The refresh grant, as services/tokens.py does it for social accounts: serialised across
    workers, and skipped when another worker replaced the token while we waited."""
    rejected = row.access_token_enc
    try:
        async with locks.hold(f"promotion_refresh:{channel_id}", timeout=60, wait=65):
            row = await db.run(_row, channel_id)
            if row.access_token_enc != rejected and row.token_expires_at \
                    and _aware(row.token_expires_at) - db.utcnow() > REFRESH_MARGIN:
                return _decrypt(row.access_token_enc)
            try:
                tokens = await _refresh_grant(adapter, client, _decrypt(row.refresh_token_enc))
            except OAuthError as exc:
                if exc.transient:
                    raise TransientError(exc.message) from exc
                raise AuthExpired(f"{adapter.label} access expired: {exc.message}") from exc
            await db.run(_store_tokens, channel_id, tokens)
    except locks.Busy:
        raise TransientError("Another refresh of this channel is taking long; trying again shortly.") from None
    log.info("refreshed the token of promotion channel %s", channel_id)
    return tokens.access_token


async def _refresh_grant(adapter, client: httpx.AsyncClient, refresh_token: str) -> TokenSet:
    creds = get_settings().platform_credentials(adapter.name)
    if not creds:
        raise OAuthError(f"{adapter.label} is not configured: set {adapter.name.upper()}_CLIENT_ID and "
                         "_CLIENT_SECRET.")
    current = TokenSet(access_token="", refresh_token=refresh_token, expires_at=None, scope="")
    try:
        own = await adapter.refresh_tokens(client, current, creds)
        if own is not None:
            return own
        cfg = adapter.oauth_config()
        async with AsyncOAuth2Client(client_id=creds[0], client_secret=creds[1],
                                     token_endpoint_auth_method=cfg.token_auth_method, timeout=OAUTH_TIMEOUT) as oauth:
            token = await oauth.refresh_token(cfg.token_url, refresh_token=refresh_token)
    except OAuthError:
        raise
    except Exception as exc:  # noqa: BLE001 - mapped to the OAuth taxonomy (transient or refused)
        raise _map(exc, adapter.label, "token refresh") from exc
    return _token_set(token, refresh_token)


def _store_tokens(channel_id: int, tokens: TokenSet) -> None:
    with db.session() as s:
        ch = s.get(PromotionChannel, channel_id)
        if ch is None:
            return
        ch.access_token_enc = crypto.encrypt(tokens.access_token)
        ch.refresh_token_enc = crypto.encrypt(tokens.refresh_token)
        ch.token_expires_at = tokens.expires_at
        if tokens.scope:
            ch.scopes = tokens.scope[:1000]
        ch.status, ch.last_error, ch.updated_at = ConnectionStatus.active, "", db.utcnow()
        s.add(ch)
