"""A usable access token for a connection, refreshed when it is about to expire.

Workers call `access_token()` before every platform call and `force_refresh()` after a 401.
Tokens are decrypted only in memory and never logged.

Refreshes of one connection are serialised across processes (a Redis lock) and the tokens
are read again once the lock is held: providers rotate refresh tokens, so a second refresh
with the token the first one just spent would be refused and wrongly expire the account.
A token this server cannot decrypt (a wrong DREAMSUITE_SECRET_KEY) is a configuration
problem, never a reason to expire the artist's connection.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import NoReturn

from sqlmodel import select

from dreamsuite import crypto, db, locks
from dreamsuite.models import ConnectionStatus, PlatformConnection
from dreamsuite.oauth import OAuthError, TokenSet, refresh
from dreamsuite.platforms import get_adapter
from dreamsuite.platforms.base import AuthExpired, TransientError
from dreamsuite.services.notifications import notify

log = logging.getLogger(__name__)
REFRESH_MARGIN = timedelta(minutes=5)
LOCK_SECONDS = 60  # longer than an OAuth call may take (oauth.TIMEOUT)


class CredentialsUnreadable(TransientError):
    """This server's key cannot decrypt the stored tokens: fix the key; the account is fine."""

    def __init__(self) -> None:
        super().__init__("This server cannot read the stored credentials (its DREAMSUITE_SECRET_KEY is not the "
                         "one that saved them); an administrator must fix the key.")


def _load(connection_id: int) -> PlatformConnection:
    with db.session() as s:
        row = s.get(PlatformConnection, connection_id)
    if row is None:
        raise AuthExpired(f"Connection {connection_id} no longer exists")
    if row.status == ConnectionStatus.revoked:
        raise AuthExpired("This account was disconnected; connect it again to continue.")
    return row


def _fresh(row: PlatformConnection) -> bool:
    return row.token_expires_at is None or row.token_expires_at - db.utcnow() > REFRESH_MARGIN


def _decrypt(ciphertext: str) -> str:
    try:
        return crypto.decrypt(ciphertext)
    except crypto.DecryptError:
        raise CredentialsUnreadable() from None


# Statuses whose tokens are in use ("error": the last collect failed, the grant is fine).
LIVE = (ConnectionStatus.active, ConnectionStatus.expiring, ConnectionStatus.error)


async def access_token(connection_id: int, row: PlatformConnection | None = None) -> str:
    """A usable access token, refreshed when close to expiry; `row` is the connection when the
    caller just read it (the publish claim does), saving a trip to the database."""
    if row is None or row.status == ConnectionStatus.revoked:
        row = await db.run(_load, connection_id)
    if _fresh(row):
        return _decrypt(row.access_token_enc)
    return await _refresh(connection_id, row.access_token_enc)


async def force_refresh(connection_id: int) -> str:
    """After the platform rejected the token (401): refresh once, whatever its expiry says."""
    row = await db.run(_load, connection_id)
    return await _refresh(connection_id, row.access_token_enc)


async def _refresh(connection_id: int, rejected: str) -> str:
    """Refresh unless another worker already replaced the `rejected` access token."""
    try:
        async with locks.hold(f"refresh:{connection_id}", timeout=LOCK_SECONDS, wait=LOCK_SECONDS + 5):
            row = await db.run(_load, connection_id)
            if row.access_token_enc != rejected and row.access_token_enc and _fresh(row):
                return _decrypt(row.access_token_enc)  # refreshed while we waited for the lock
            refresh_token = _decrypt(row.refresh_token_enc)
            try:
                tokens = await refresh(row.platform, refresh_token)
            except OAuthError as exc:
                if exc.transient:  # the platform is down, not the grant: keep the connection, retry later
                    raise TransientError(exc.message) from exc
                # Without the lock (Redis down) another worker may have won the race: use its token.
                now = await db.run(_load, connection_id)
                if now.access_token_enc != row.access_token_enc and now.status in LIVE \
                        and _fresh(now):
                    return _decrypt(now.access_token_enc)
                await db.run(_mark_expired, connection_id, exc.message)
            await db.run(_store, connection_id, tokens)
    except locks.Busy:
        raise TransientError("Another refresh of this account is taking long; trying again shortly.") from None
    log.info("refreshed the token of connection %s", connection_id)
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
        seconds = tokens.extra.get("refresh_expires_in")
        if isinstance(seconds, (int, float)) and seconds > 0:  # the grant's own end moves with a refresh
            row.details = {**(row.details or {}),
                           "refresh_expires_at": (db.utcnow() + timedelta(seconds=seconds)).isoformat()}
        row.status, row.last_error, row.updated_at = ConnectionStatus.active, "", db.utcnow()
        s.add(row)


def _mark_expired(connection_id: int, reason: str) -> NoReturn:
    with db.session() as s:
        current = s.get(PlatformConnection, connection_id)
        label = get_adapter(current.platform).label if current is not None else "The platform"
        if current is not None:
            first_time = current.status != ConnectionStatus.expired
            current.status, current.last_error = ConnectionStatus.expired, reason[:2000]
            current.updated_at = db.utcnow()
            s.add(current)
            if first_time:  # one notification per expiry, however many jobs trip over it
                notify(s, current.workspace_id, "token_expired",
                       f"Your {label} connection (@{current.username}) expired: "
                       f"reconnect it to keep your numbers up to date.", link="/connections")
    log.warning("connection %s marked expired: %s", connection_id, reason)
    raise AuthExpired(f"{label} access expired: {reason}. Reconnect the account.")


def unreadable_connections() -> list[int]:
    """Connections whose stored tokens this server's key cannot decrypt (checked at start-up)."""
    with db.session() as s:
        rows = s.exec(select(PlatformConnection.id, PlatformConnection.access_token_enc,
                             PlatformConnection.refresh_token_enc)
                      .where(PlatformConnection.status != ConnectionStatus.revoked)).all()
    bad = []
    for cid, access, refresh_enc in rows:
        try:
            crypto.decrypt(access)
            crypto.decrypt(refresh_enc)
        except crypto.DecryptError:
            bad.append(cid)
    return bad


def check_key_at_startup() -> None:
    """Refuse to start with a key that cannot read what is stored, instead of failing every job."""
    bad = unreadable_connections()
    if bad:
        shown = ", ".join(map(str, bad[:10])) + (" …" if len(bad) > 10 else "")
        raise RuntimeError(
            f"DREAMSUITE_SECRET_KEY cannot decrypt the stored tokens of {len(bad)} connection(s) ({shown}). "
            "Start with the key that stored them (add it to DREAMSUITE_SECRET_KEY, comma separated, after the "
            "new one); if that key is lost, run `python -m dreamsuite.cli expire-unreadable` so those accounts "
            "ask their artists to reconnect.")


def expire_unreadable() -> int:
    """For a lost key: mark the unreadable connections expired (their artists reconnect them)."""
    bad = unreadable_connections()
    for cid in bad:
        try:
            _mark_expired(cid, "the stored credentials can no longer be read")
        except AuthExpired:
            pass
    return len(bad)
