"""A usable access token for a connection, refreshed when it is about to expire.

Workers call `access_token()` before every platform call and `force_refresh()` after a 401.
Tokens are decrypted only in memory and never logged.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import NoReturn

from dreamsuite import crypto, db
from dreamsuite.models import ConnectionStatus, Notification, PlatformConnection
from dreamsuite.oauth import OAuthError, TokenSet, refresh
from dreamsuite.platforms import get_adapter
from dreamsuite.platforms.base import AuthExpired, TransientError

log = logging.getLogger(__name__)
REFRESH_MARGIN = timedelta(minutes=5)


def _load(connection_id: int) -> PlatformConnection:
    with db.session() as s:
        row = s.get(PlatformConnection, connection_id)
    if row is None:
        raise AuthExpired(f"Connection {connection_id} no longer exists")
    if row.status == ConnectionStatus.revoked:
        raise AuthExpired("This account was disconnected; connect it again to continue.")
    return row


async def access_token(connection_id: int) -> str:
    row = _load(connection_id)
    if row.token_expires_at is None or row.token_expires_at - db.utcnow() > REFRESH_MARGIN:
        try:
            return crypto.decrypt(row.access_token_enc)
        except crypto.DecryptError:
            pass  # a rotated-out key: a refresh may still rescue the connection
    return await _refresh(row)


async def force_refresh(connection_id: int) -> str:
    """After the platform rejected the token (401): refresh once, whatever its expiry says."""
    return await _refresh(_load(connection_id))


async def _refresh(row: PlatformConnection) -> str:
    try:
        tokens = await refresh(row.platform, crypto.decrypt(row.refresh_token_enc))
    except crypto.DecryptError:
        _mark_expired(row, "The stored credentials can no longer be read.")
    except OAuthError as exc:
        if exc.transient:  # the platform is down, not the grant: keep the connection, retry later
            raise TransientError(exc.message) from exc
        newer = _refreshed_elsewhere(row)
        if newer:
            return newer
        _mark_expired(row, exc.message)
    _store(row.id, tokens)  # type: ignore[arg-type]
    log.info("refreshed the token of connection %s", row.id)
    return tokens.access_token


def _store(connection_id: int, tokens: TokenSet) -> None:
    with db.session() as s:
        row = s.get(PlatformConnection, connection_id)
        if row is None:
            return
        row.access_token_enc = crypto.encrypt(tokens.access_token)
        row.refresh_token_enc = crypto.encrypt(tokens.refresh_token)
        row.token_expires_at = tokens.expires_at
        if tokens.scope:
            row.scopes = tokens.scope
        row.status, row.last_error, row.updated_at = ConnectionStatus.active, "", db.utcnow()
        s.add(row)


def _refreshed_elsewhere(row: PlatformConnection) -> str | None:
    """Another worker may have refreshed first (and rotated the refresh token we just used)."""
    with db.session() as s:
        now = s.get(PlatformConnection, row.id)
    if now is None or now.access_token_enc == row.access_token_enc or now.status != ConnectionStatus.active:
        return None
    if now.token_expires_at is not None and now.token_expires_at - db.utcnow() <= REFRESH_MARGIN:
        return None
    try:
        return crypto.decrypt(now.access_token_enc)
    except crypto.DecryptError:
        return None


def _mark_expired(row: PlatformConnection, reason: str) -> NoReturn:
    label = get_adapter(row.platform).label if row.platform else "The platform"
    with db.session() as s:
        current = s.get(PlatformConnection, row.id)
        if current is not None:
            first_time = current.status != ConnectionStatus.expired
            current.status, current.last_error = ConnectionStatus.expired, reason[:2000]
            current.updated_at = db.utcnow()
            s.add(current)
            if first_time:  # one notification per expiry, however many jobs trip over it
                s.add(Notification(workspace_id=current.workspace_id, kind="token_expired",
                                   message=f"Your {label} connection (@{current.username}) expired: "
                                           f"reconnect it to keep your numbers up to date."))
    log.warning("connection %s marked expired: %s", row.id, reason)
    raise AuthExpired(f"{label} access expired: {reason}. Reconnect the account.")
