"""The demo seed: a demo artist connected to the sandbox through OAuth, with history; idempotent."""

import pytest
from sqlalchemy import func
from sqlmodel import select

from dreamsuite import db as dbmod, seed
from dreamsuite.models import ContentPost, DailyMetric, PlatformConnection, User
from dreamsuite.services.auth import log_in


@pytest.mark.asyncio
async def test_seed_creates_a_usable_demo_and_is_idempotent(db, redis_url, sandbox_url):
    first = await seed.seed()
    assert "created" in first
    assert log_in(seed.DEMO_EMAIL, seed.DEMO_PASSWORD)
    with dbmod.session() as s:
        conn = s.exec(select(PlatformConnection)).one()
        assert conn.platform == "sandbox" and conn.status == "active" and conn.access_token_enc
        days = s.exec(select(func.count()).select_from(DailyMetric)).one()
        posts = s.exec(select(func.count()).select_from(ContentPost)).one()
    assert days >= 180 and posts >= 20

    second = await seed.seed()
    assert "found" in second
    with dbmod.session() as s:
        assert s.exec(select(func.count()).select_from(User)).one() == 1
        assert s.exec(select(func.count()).select_from(PlatformConnection)).one() == 1
        assert s.exec(select(func.count()).select_from(DailyMetric)).one() == days
