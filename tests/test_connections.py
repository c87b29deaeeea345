"""Managing connected accounts: the cards, disconnecting (history kept or deleted), warnings a
week before an access ends, and a platform's quota used today."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.models import ContentPost, DailyMetric, Notification, PlatformConnection
from dreamsuite.services import connections, sync
from tests.helpers import make_workspace
from tests.platform_helpers import connect_platform

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]


@pytest.fixture
async def spotify(db, redis_url, emulators):
    _, _, scope = make_workspace("nova@example.com")
    cid = await connect_platform(scope, "spotify", "Nova Lane")
    assert (await sync.collect_connection(cid))["status"] == "success"
    return scope, cid


def _count(model, **where) -> int:
    with dbmod.session() as s:
        stmt = select(model)
        for k, v in where.items():
            stmt = stmt.where(getattr(model, k) == v)
        return len(s.exec(stmt).all())


async def test_cards_show_each_platform_honestly(spotify):
    scope, cid = spotify
    cards = {c["name"]: c for c in await dbmod.run(connections.list_cards, scope)}
    assert cards["spotify"]["connection_id"] == cid and cards["spotify"]["status"] == "active"
    assert cards["spotify"]["last_synced_at"] is not None and cards["spotify"]["expires_in_days"] is None
    assert "Spotify for Artists" in cards["spotify"]["unavailable"]["streams"]
    assert cards["tidal"]["note"] == "No public API yet" and cards["tidal"]["connection_id"] is None


async def test_disconnect_forgets_tokens_and_keeps_history(spotify):
    scope, cid = spotify
    days, posts = _count(DailyMetric, connection_id=cid), _count(ContentPost, connection_id=cid)
    assert await connections.disconnect(scope, cid) is False  # Spotify has no revoke endpoint
    with dbmod.session() as s:
        row = s.get(PlatformConnection, cid)
    assert row.status == "revoked" and row.access_token_enc == row.refresh_token_enc == ""
    assert _count(DailyMetric, connection_id=cid) == days > 0 and _count(ContentPost, connection_id=cid) == posts > 0
    assert (await sync.collect_connection(cid))["status"] == "skipped"


async def test_disconnect_can_delete_the_history_too(spotify):
    scope, cid = spotify
    await connections.disconnect(scope, cid, delete_history=True)
    assert _count(PlatformConnection, id=cid) == 0
    assert _count(DailyMetric, connection_id=cid) == 0 and _count(ContentPost, connection_id=cid) == 0


async def test_an_access_ending_within_a_week_is_flagged_once(spotify):
    scope, cid = spotify
    now = dbmod.utcnow()
    with dbmod.session() as s:
        row = s.get(PlatformConnection, cid)
        row.details = {**row.details, "refresh_expires_at": (now + timedelta(days=3, hours=1)).isoformat()}
        s.add(row)
    assert connections.warn_expiring(now - timedelta(days=10)) == 0  # ten days before: not yet
    assert connections.warn_expiring(now) == 1
    assert connections.warn_expiring(now) == 0  # already flagged: one notification, not one a day
    with dbmod.session() as s:
        row = s.get(PlatformConnection, cid)
        [note] = s.exec(select(Notification).where(Notification.workspace_id == scope.workspace_id)).all()
    assert row.status == "expiring" and note.kind == "token_expiring" and note.link == "/connections"
    assert "stops working in 3 days" in note.message
    cards = {c["name"]: c for c in await dbmod.run(connections.list_cards, scope)}
    assert cards["spotify"]["expires_in_days"] == 3 and cards["spotify"]["status"] == "expiring"
