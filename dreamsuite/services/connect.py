"""Connecting platform accounts: start the OAuth dance and finish it (listing and disconnecting
accounts is services/connections.py).

The dance is the same for a social account and for a promotion channel (an ad account's login,
services/promotion_connect.py); a `ConnectTarget` says what differs: which adapters may be
connected, the role it takes, where the account is stored and what follows.

The `state` and PKCE verifier stay server-side (oauth_state, verifier encrypted); the
callback consumes the state exactly once before anything else happens, and completes only
for the same logged-in user who started it: an authorization link sent to someone else
cannot put their platform account into this workspace.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from dreamsuite import crypto, db, events, queue
from dreamsuite.models import ConnectionStatus, OAuthState, PlatformConnection, Role
from dreamsuite.oauth import OAuthError, TokenSet, authorization_url, exchange_code
from dreamsuite.platforms import get_adapter
from dreamsuite.platforms.base import PlatformAdapter, PlatformError, Profile
from dreamsuite.services.scope import Scope, scope_for
from dreamsuite.settings import get_settings
from dreamsuite.services.errors import UserError

log = logging.getLogger(__name__)
STATE_TTL = timedelta(minutes=10)
# Redis being down must not lose a connection the user just authorised: give up quickly.
REDIS_TIMEOUT = 3.0


class ConnectError(UserError):
    """The connection could not be completed."""


class WrongBrowser(ConnectError):
    """The callback arrived in a browser without the session of the user who started it."""

    def __init__(self) -> None:
        super().__init__("This connection was started by someone else, or in another browser, so nothing "
                         "was connected. Open Dream Suite where you clicked Connect, log in, and connect again.")


@dataclass(frozen=True)
class ConnectResult:
    workspace_id: int
    connection_id: int
    platform: str
    username: str


def redirect_uri(platform: str) -> str:
    return f"{get_settings().api_url}/oauth/callback/{platform}"


def _connectable(platform: str) -> PlatformAdapter:
    try:
        adapter = get_adapter(platform)
    except KeyError as exc:
        raise ConnectError(f"There is no platform called {platform!r}.") from exc
    if not adapter.connectable or not adapter.enabled():
        raise ConnectError(f"{adapter.label} cannot be connected yet.")
    return adapter


@dataclass(frozen=True)
class ConnectTarget:
    """What an authorization becomes: `adapter` checks the name and gives its adapter (or raises
    ConnectError), `role` is the least role that may connect, `store(workspace_id, platform,
    profile, tokens)` upserts the row (database threads) and returns its id, `after(workspace_id,
    row_id, platform)` starts the first collect."""

    adapter: Callable[[str], PlatformAdapter]
    role: Role
    store: Callable[[int, str, Profile, TokenSet], int]
    after: Callable[[int, int, str], Awaitable[None]]


async def start_connect(scope: Scope, platform: str, target: ConnectTarget | None = None) -> str:
    """The authorization URL to send the browser to (owners connect platforms)."""
    target = target or SOCIAL
    scope.require(target.role)
    target.adapter(platform)
    try:
        url, state, verifier = authorization_url(platform, redirect_uri(platform))
    except OAuthError as exc:
        raise ConnectError(exc.message) from exc
    await db.run(_remember, scope, platform, state, verifier)
    return url


def _remember(scope: Scope, platform: str, state: str, verifier: str) -> None:
    now = db.utcnow()
    with db.session() as s:
        s.exec(delete(OAuthState).where(OAuthState.expires_at < now))  # housekeeping
        s.add(OAuthState(state=state, workspace_id=scope.workspace_id, user_id=scope.user_id, platform=platform,
                         code_verifier_enc=crypto.encrypt(verifier), expires_at=now + STATE_TTL))


def _consume_state(platform: str, state: str, user_id: int | None, role: Role = Role.owner) -> OAuthState:
    """Delete the pending authorization and return it; whoever deletes it first wins."""
    with db.session() as s:
        row = s.exec(select(OAuthState).where(OAuthState.state == state)).first() if state else None
        if row is None:
            raise ConnectError("This connection link is not valid any more. Please start connecting again.")
        if s.exec(delete(OAuthState).where(OAuthState.id == row.id)).rowcount != 1:
            raise ConnectError("This connection link was already used. Please start connecting again.")
    # Checked after the delete committed: a link that reached the wrong browser is spent.
    if row.user_id != user_id:
        raise WrongBrowser()
    with db.session() as s:  # still allowed in that workspace (a member removed meanwhile connects nothing)
        scope_for(s, row.user_id, row.workspace_id, role)
    if row.platform != platform:
        raise ConnectError("This connection link belongs to another platform. Please start connecting again.")
    if row.expires_at < db.utcnow():
        raise ConnectError("The connection took too long and expired. Please start connecting again.")
    return row


def _forget_state(platform: str, state: str) -> None:
    with db.session() as s:  # the attempt is over either way
        s.exec(delete(OAuthState).where(OAuthState.state == state, OAuthState.platform == platform))


def _denied_message(label: str, params: dict) -> str:
    if params.get("error") == "access_denied":
        return f"You did not allow Dream Suite to access {label}, so nothing was connected."
    return f"{label} did not connect the account. Please try again."


async def complete_connect(platform: str, params: dict, user_id: int | None,
                           target: ConnectTarget | None = None) -> ConnectResult:
    """The callback: `params` are the query parameters the platform redirected back with,
    `user_id` the user whose session the callback request carried (None: no session)."""
    target = target or SOCIAL
    adapter = target.adapter(platform)
    state = str(params.get("state") or "")
    if params.get("error_reason") and not params.get("error"):  # Deezer says error_reason=user_denied
        params = {**params, "error": "access_denied" if params["error_reason"] == "user_denied" else "refused"}
    if params.get("error"):
        if state:
            await db.run(_forget_state, platform, state)
        # The provider's own words stay in the log: the URL is not ours to repeat.
        log.info("%s authorization ended with %r", platform, str(params.get("error"))[:100])
        raise ConnectError(_denied_message(adapter.label, params))
    pending = await db.run(_consume_state, platform, state, user_id, target.role)
    # TikTok's business portal names it auth_code (and sends code beside it, for now).
    code = str(params.get("code") or params.get("auth_code") or "")
    if not code:
        raise ConnectError(f"{adapter.label} did not send an authorization code. Please try again.")
    try:
        verifier = crypto.decrypt(pending.code_verifier_enc)
        tokens = await exchange_code(platform, code, verifier, redirect_uri(platform))
        async with httpx.AsyncClient(timeout=20) as client:
            profile = await adapter.fetch_profile(client, tokens.access_token)
    except crypto.DecryptError as exc:
        raise ConnectError("This connection link can no longer be read. Please start connecting again.") from exc
    except OAuthError as exc:
        raise ConnectError(exc.message) from exc
    except PlatformError as exc:
        raise ConnectError(f"Connected, but {adapter.label} did not return the profile: {exc.message}") from exc
    connection_id = await db.run(target.store, pending.workspace_id, platform, profile, tokens)
    log.info("connected %s account for workspace %s (row %s)", platform, pending.workspace_id, connection_id)
    await target.after(pending.workspace_id, connection_id, platform)
    return ConnectResult(pending.workspace_id, connection_id, platform, profile.username)


def _apply(row: PlatformConnection, profile: Profile, tokens: TokenSet) -> None:
    row.username, row.display_name = profile.username, profile.display_name
    row.details = {**(row.details or {}), **profile.details, **token_details(tokens)}
    row.access_token_enc = crypto.encrypt(tokens.access_token)
    row.refresh_token_enc = crypto.encrypt(tokens.refresh_token)
    row.token_expires_at, row.scopes = tokens.expires_at, tokens.scope
    row.status, row.last_error, row.updated_at = ConnectionStatus.active, "", db.utcnow()


def token_details(tokens: TokenSet) -> dict:
    """What the token response carried that later calls need (TikTok's open_id, Meta's user id),
    and when the grant itself ends (refresh_expires_in), for the 7-day warning."""
    out = {k: v for k, v in tokens.extra.items() if k in ("open_id", "user_id") and isinstance(v, (str, int))}
    seconds = tokens.extra.get("refresh_expires_in")
    if isinstance(seconds, (int, float)) and seconds > 0:
        out["refresh_expires_at"] = (db.utcnow() + timedelta(seconds=seconds)).isoformat()
    return out


def _find(s: Session, workspace_id: int, platform: str, user_id: str) -> PlatformConnection | None:
    return s.exec(select(PlatformConnection).where(
        PlatformConnection.workspace_id == workspace_id, PlatformConnection.platform == platform,
        PlatformConnection.platform_user_id == user_id)).first()


def upsert(find: Callable[[Session], Any], make: Callable[[], Any], apply: Callable[[Any], None]) -> int:
    """Update the row `find` gives, or insert `make()`'s, then `apply` to it; its id. A concurrent
    callback may insert the same account between our read and write: then once more, as an update."""
    for attempt in range(2):
        try:
            with db.session() as s:
                row = find(s)
                if row is None:
                    row = make()
                apply(row)
                s.add(row)
                s.flush()
                return row.id
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


def _upsert(workspace_id: int, platform: str, profile: Profile, tokens: TokenSet) -> int:
    return upsert(lambda s: _find(s, workspace_id, platform, profile.platform_user_id),
                  lambda: PlatformConnection(workspace_id=workspace_id, platform=platform,
                                             platform_user_id=profile.platform_user_id),
                  lambda row: _apply(row, profile, tokens))


async def best_effort(step: Awaitable[Any], what: str) -> None:
    """A step after the account is saved (first collect, live update): Redis being down or slow
    only delays it (the daily cron collects), never loses the connection."""
    try:
        await asyncio.wait_for(step, REDIS_TIMEOUT)
    except Exception as exc:  # noqa: BLE001 - the account is saved; only this step waits
        log.warning("could not %s: %s", what, type(exc).__name__)


async def _after_connect(workspace_id: int, connection_id: int, platform: str) -> None:
    """First sync and live update, best effort: the daily cron collects if Redis is down."""
    await best_effort(queue.enqueue_collect(connection_id, db.utcnow().date()),
                      f"enqueue first sync of connection {connection_id}")
    await best_effort(events.announce(workspace_id, "connection", connection_id=connection_id, platform=platform,
                                      status="connected"), f"announce connection {connection_id}")


SOCIAL = ConnectTarget(adapter=_connectable, role=Role.owner, store=_upsert, after=_after_connect)
