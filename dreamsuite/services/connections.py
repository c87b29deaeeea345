"""The connected accounts, as the Connections page shows and manages them.

Every catalog platform with this workspace's accounts: status, when the access runs out,
last sync and its error, the platform's quota used today; disconnecting (the platform is
asked to revoke our access where it allows, our tokens are deleted, the history stays unless
the artist asks for it to go); and a daily look for accesses that expire within seven days.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import delete
from sqlmodel import select

from dreamsuite import crypto, db
from dreamsuite.models import ConnectionStatus, ContentPost, PlatformConnection, Role
from dreamsuite.platforms import CATALOG, get_adapter
from dreamsuite.platforms.base import HTTP_TIMEOUT, AccountRef, PlatformError
from dreamsuite.services import notifications, ratelimits
from dreamsuite.services.scope import Scope, get_scoped, scoped

log = logging.getLogger(__name__)
EXPIRY_WARNING = timedelta(days=7)


def grant_expires_at(row: PlatformConnection) -> datetime | None:
    """When the artist will have to connect again: the refresh token's end when the platform
    says, else the access token's end for platforms without refresh; None when it renews itself."""
    raw = (row.details or {}).get("refresh_expires_at")
    if raw:
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            return None
    if not row.refresh_token_enc and row.token_expires_at:
        return row.token_expires_at
    return None


def _account(row: PlatformConnection, now: datetime) -> dict[str, Any]:
    ends = grant_expires_at(row)
    return {"connection_id": row.id, "status": row.status, "username": row.username,
            "last_synced_at": row.last_synced_at, "last_error": row.last_error,
            "expires_in_days": max(0, (ends - now).days) if ends else None,
            "details": dict(row.details or {}), "platform_user_id": row.platform_user_id}


def list_cards(scope: Scope) -> list[dict]:
    """Every catalog platform with this workspace's connection state.

    The flat fields describe the newest live account (none: not connected); `connections`
    lists every account of that platform, disconnected ones included.
    """
    with db.reading() as s:
        rows = s.exec(scoped(scope, PlatformConnection).order_by(PlatformConnection.updated_at.desc())).all()
    now = db.utcnow()
    cards = []
    for card in CATALOG:
        adapter = get_adapter(card.name)
        if not adapter.enabled():
            continue
        mine = [_account(r, now) for r in rows if r.platform == card.name]
        # A disconnected (revoked) account keeps its history but the card offers "Connect" again.
        first = next((a for a in mine if a["status"] != ConnectionStatus.revoked), None)
        cards.append({
            **card.as_dict(),
            "unavailable": dict(adapter.unavailable_metrics),
            "connection_id": first["connection_id"] if first else None,
            "status": first["status"] if first else "",
            "username": first["username"] if first else "",
            "last_synced_at": first["last_synced_at"] if first else None,
            "last_error": first["last_error"] if first else "",
            "expires_in_days": first["expires_in_days"] if first else None,
            "connections": mine,
        })
    return cards


async def quotas_today(cards: list[dict]) -> dict[int, tuple[int, int]]:
    """(units used today, daily quota) per connected account, for platforms that count units."""
    out = {}
    for card in cards:
        for account in card["connections"]:
            if account["status"] == ConnectionStatus.revoked:
                continue
            used = await ratelimits.quota_used(card["name"], account["platform_user_id"])
            if used:
                out[account["connection_id"]] = used
    return out


# ------------------------------------------------------------------ disconnecting
async def disconnect(scope: Scope, connection_id: int, *, delete_history: bool = False) -> bool:
    """Ask the platform to revoke our access (where it can), forget the tokens, and keep the
    history unless `delete_history`. True when the platform confirmed the revocation. Owners only."""
    scope.require(Role.owner)
    platform, token, account = await db.run(_tokens_of, scope, connection_id)
    revoked = False
    if token:
        try:
            async with httpx.AsyncClient(timeout=HTTP_TIMEOUT) as client:
                revoked = await get_adapter(platform).revoke(client, token, account)
        except PlatformError as exc:  # our side still forgets everything; the artist can revoke there too
            log.warning("revoking connection %s at %s failed: %s", connection_id, platform, exc.message)
    await db.run(_forget, scope, connection_id, delete_history)
    return revoked


def _tokens_of(scope: Scope, connection_id: int) -> tuple[str, str, AccountRef]:
    with db.session() as s:
        row = get_scoped(s, scope, PlatformConnection, connection_id)
        try:
            token = crypto.decrypt(row.access_token_enc)
        except crypto.DecryptError:
            token = ""
        return row.platform, token, AccountRef(row.platform_user_id, row.username, dict(row.details or {}))


def _forget(scope: Scope, connection_id: int, delete_history: bool) -> None:
    with db.session() as s:
        row = get_scoped(s, scope, PlatformConnection, connection_id)
        if delete_history:
            # Its daily numbers, audience and comments go with the row (foreign keys cascade);
            # its posts are kept by the workspace otherwise, so they go explicitly.
            s.exec(delete(ContentPost).where(ContentPost.connection_id == row.id))
            s.delete(row)
            return
        row.access_token_enc = row.refresh_token_enc = ""
        row.token_expires_at = None
        row.status, row.last_error, row.updated_at = ConnectionStatus.revoked, "", db.utcnow()
        s.add(row)


# ------------------------------------------------------------------ expiry, ahead of time
def warn_expiring(now: datetime | None = None) -> int:
    """Mark accounts whose access ends within seven days "expiring" and tell their artists once."""
    now = now or db.utcnow()
    warned = 0
    with db.session() as s:
        rows = s.exec(select(PlatformConnection).where(
            PlatformConnection.status.in_([ConnectionStatus.active, ConnectionStatus.error]))).all()
        for row in rows:
            ends = grant_expires_at(row)
            if ends is None or ends - now > EXPIRY_WARNING:
                continue
            row.status, row.updated_at = ConnectionStatus.expiring, db.utcnow()
            s.add(row)
            days = max(0, (ends - now).days)
            label = get_adapter(row.platform).label
            when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            notifications.notify(s, row.workspace_id, "token_expiring",
                                 f"Your {label} connection (@{row.username}) stops working {when}: connect it "
                                 "again on the Connections page to keep your numbers coming.", link="/connections")
            warned += 1
    return warned
