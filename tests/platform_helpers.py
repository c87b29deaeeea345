"""Connecting a real connector through the real OAuth flow against its emulator (tests)."""

from __future__ import annotations

from sqlmodel import select

from dreamsuite import db
from dreamsuite.models import Comment
from dreamsuite.platforms.emulators.consent import approve
from dreamsuite.services import sync
from dreamsuite.services.connect import complete_connect, start_connect
from dreamsuite.services.scope import Scope
from tests.helpers import make_workspace


async def connect_platform(scope: Scope, platform: str, account_name: str = "Nova Lane",
                           decision: str = "allow") -> int:
    """Start Connect, answer the emulator's consent page (creating or picking `account_name`),
    complete the callback as the same user; returns the connection id."""
    params = await approve(await start_connect(scope, platform), account_name=account_name, decision=decision)
    assert "code" in params, params
    return (await complete_connect(platform, params, scope.user_id)).connection_id


async def collected_comments(platform: str) -> tuple[Scope, int, list[Comment]]:
    """A new workspace with `platform` connected and collected once: its scope, the connection id
    and the comments collection stored, oldest first."""
    _, _, scope = make_workspace("nova@example.com")
    cid = await connect_platform(scope, platform, "Nova Lane")
    await sync.collect_connection(cid)
    with db.session() as s:
        comments = s.exec(select(Comment).where(Comment.workspace_id == scope.workspace_id)
                          .order_by(Comment.id)).all()
    return scope, cid, comments
