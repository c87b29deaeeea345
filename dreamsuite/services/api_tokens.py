"""The public API's tokens: created by a workspace's owner (the secret is shown once and only its
SHA-256 kept), listed, revoked, and checked on every API request.

A token is `ds_<8 hex>_<secret>`. Its public part (`ds_<8 hex>`, the prefix the settings page
shows) finds the row; the hash of the whole token is then compared in constant time. A token
acts as the member who created it, with the role its scope gives (read: viewer, write: editor)
and never more than that member's role today: a member demoted or removed takes their tokens'
rights down with them.
"""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import select

from dreamsuite import crypto, db
from dreamsuite.models import ROLE_RANK, ApiToken, Membership, Role, TokenScope
from dreamsuite.services.errors import UserError
from dreamsuite.services.scope import Scope, get_scoped, scoped

TOKEN_RE = re.compile(r"^(ds_[0-9a-f]{8})_[A-Za-z0-9_-]{20,100}$")
SCOPE_ROLE = {TokenScope.read: Role.viewer, TokenScope.write: Role.editor}
# last_used_at is written at most this often per token: a busy integration costs no write per call.
TOUCH_EVERY = timedelta(minutes=1)
MAX_NAME = 100
MAX_TOKENS = 50  # live tokens per workspace


class InvalidToken(Exception):
    """Missing, malformed, unknown or revoked: the API answers 401 whichever it was."""


def _row(t: ApiToken) -> dict[str, Any]:
    return {"id": t.id, "name": t.name, "prefix": t.prefix, "scope": t.scope, "created_at": t.created_at,
            "last_used_at": t.last_used_at, "revoked_at": t.revoked_at, "created_by": t.created_by}


def create(scope: Scope, name: str, token_scope: str) -> tuple[dict[str, Any], str]:
    """A new token for the workspace (owners only); returns its row and the secret, shown once."""
    scope.require(Role.owner)
    name = (name or "").strip()
    if not name:
        raise UserError("Give the token a name (what will use it).")
    if len(name) > MAX_NAME:
        raise UserError(f"The name can be at most {MAX_NAME} characters.")
    try:
        kind = TokenScope(token_scope)
    except ValueError:
        raise UserError("A token's access is either read or write.") from None
    with db.session() as s:
        live = s.exec(scoped(scope, ApiToken).where(ApiToken.revoked_at.is_(None))).all()
        if len(live) >= MAX_TOKENS:
            raise UserError(f"This workspace has {MAX_TOKENS} tokens already: revoke one first.")
        prefix = f"ds_{secrets.token_hex(4)}"
        secret = f"{prefix}_{crypto.urlsafe_token(32)}"
        row = ApiToken(workspace_id=scope.workspace_id, name=name, prefix=prefix, token_hash=crypto.sha256_hex(secret),
                       scope=kind, created_by=scope.user_id)
        s.add(row)
        s.flush()
        return _row(row), secret


def list_tokens(scope: Scope) -> list[dict[str, Any]]:
    """The workspace's tokens, live ones first, newest first (never a secret or a hash)."""
    with db.session() as s:
        rows = s.exec(scoped(scope, ApiToken).order_by(ApiToken.id.desc())).all()
    return sorted((_row(r) for r in rows), key=lambda r: r["revoked_at"] is not None)


def revoke(scope: Scope, token_id: int) -> bool:
    """Revoke a token (owners only): every request with it fails from now on. False if it already was."""
    scope.require(Role.owner)
    with db.session() as s:
        row = get_scoped(s, scope, ApiToken, token_id)
        if row.revoked_at is not None:
            return False
        row.revoked_at = db.utcnow()
        s.add(row)
        return True


def verify(token: str) -> Scope:
    """The Scope a bearer token acts with; InvalidToken when it does not open anything."""
    m = TOKEN_RE.match(token or "")
    if not m:
        raise InvalidToken()
    digest = crypto.sha256_hex(token)
    now = db.utcnow()
    with db.session() as s:
        row = s.exec(select(ApiToken).where(ApiToken.prefix == m.group(1))).first()
        # Compared in constant time even when no row matched (the timing says nothing either way).
        if not hmac.compare_digest(digest, row.token_hash if row else "0" * 64) or row is None:
            raise InvalidToken()
        if row.revoked_at is not None or row.created_by is None:
            raise InvalidToken()
        member = s.exec(select(Membership.role).where(Membership.user_id == row.created_by,
                                                      Membership.workspace_id == row.workspace_id)).first()
        if member is None:
            raise InvalidToken()
        wanted = SCOPE_ROLE[TokenScope(row.scope)]
        role = wanted if ROLE_RANK[wanted] <= ROLE_RANK[Role(member)] else Role(member)
        # Conditional: concurrent requests with one token do not queue up on the same row.
        s.exec(update(ApiToken).where(ApiToken.id == row.id, or_(ApiToken.last_used_at.is_(None),
                                                                 ApiToken.last_used_at < now - TOUCH_EVERY))
               .values(last_used_at=now).execution_options(synchronize_session=False))
        return Scope(user_id=row.created_by, workspace_id=row.workspace_id, role=role)
