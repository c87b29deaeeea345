"""Two accounts on one platform keep their own daily numbers; readers add them up; the
migration that introduced the per-account key keeps what was stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.models import DailyMetric, PlatformConnection
from dreamsuite.services import dashboard, sync
from dreamsuite.services.series import metric_rows
from tests.helpers import connect_sandbox, make_workspace
from tests.seed_metrics import make_scope, seed_followers
from tests.test_migrations import _cfg

pytestmark = pytest.mark.usefixtures("close_arq_pools")


async def test_two_accounts_on_one_platform_do_not_overwrite_each_other(db, redis_url, sandbox_url):
    _, _, scope = make_workspace("label@example.com")
    first = await connect_sandbox(scope, sandbox_user="artist-one")
    second = await connect_sandbox(scope, sandbox_user="artist-two")
    assert first != second
    assert (await sync.collect_connection(first))["status"] == "success"
    assert (await sync.collect_connection(second))["status"] == "success"

    with dbmod.session() as s:
        rows = s.exec(select(DailyMetric)).all()
        latest = max(r.date for r in rows)
        on_latest = {r.connection_id: r.follower_count for r in rows if r.date == latest}
    assert set(on_latest) == {first, second} and len(set(on_latest.values())) == 2
    # Each account has its full history: collecting the second did not replace the first.
    assert sum(1 for r in rows if r.connection_id == first) == sum(1 for r in rows if r.connection_id == second) > 100

    data = await dbmod.run(dashboard.dashboard_data, scope)
    assert data.total_followers == sum(on_latest.values())
    assert [p["followers"] for p in data.platforms] == [sum(on_latest.values())]
    # A second sync of one account changes nothing of the other's.
    assert (await sync.collect_connection(first))["counts"]["daily_metrics"] <= 2


@pytest.mark.db
def test_readers_sum_accounts_per_platform_and_day(db):
    scope = make_scope()
    end = date(2026, 11, 20)
    seed_followers(scope, "instagram", end, [100, 110, 120], engagement=5, account_name="main")
    seed_followers(scope, "instagram", end, [1000, 1001], engagement=7, account_name="band")
    seed_followers(scope, "spotify", end, [50, 60, 70])
    with dbmod.session() as s:
        rows = metric_rows(s, scope)
    got = {(r.platform, r.date): (r.follower_count, r.engagement_total) for r in rows}
    assert got[("instagram", end)] == (120 + 1001, 12)
    assert got[("instagram", end - timedelta(days=1))] == (110 + 1000, 12)
    assert got[("instagram", end - timedelta(days=2))] == (100, 5)
    assert got[("spotify", end)] == (70, 0)


@pytest.mark.db
def test_the_database_refuses_two_rows_for_one_account_and_day(db):
    scope = make_scope()
    seed_followers(scope, "instagram", date(2026, 11, 20), [1])
    with pytest.raises(IntegrityError):
        seed_followers(scope, "instagram", date(2026, 11, 20), [2])


def test_migration_keeps_each_accounts_rows(_sqlite_url, tmp_path):
    """0001 → 0002 on a database holding rows of the old shape (and back)."""
    url = "sqlite:///" + str(tmp_path / "old.db")
    command.upgrade(_cfg(url), "0001")
    eng = dbmod.engine_for(url)
    with eng.begin() as c:
        c.execute(text("INSERT INTO workspace (id, name, timezone, created_at) VALUES (1, 'W', 'UTC', '2026-01-01')"))
        for cid, platform, uid in ((1, "instagram", "a"), (2, "instagram", "b"), (3, "spotify", "s")):
            c.execute(text(
                "INSERT INTO platform_connection (id, workspace_id, platform, platform_user_id, username, "
                "display_name, access_token_enc, refresh_token_enc, scopes, status, last_error, created_at, "
                "updated_at) VALUES (:id, 1, :p, :u, '', '', '', '', '', 'active', '', '2026-01-01', '2026-01-01')"),
                {"id": cid, "p": platform, "u": uid})
        for mid, cid, platform, followers in ((1, 1, "instagram", 500), (2, None, "spotify", 70),
                                              (3, None, "tiktok", 9), (4, None, "instagram", 42)):
            c.execute(text(
                "INSERT INTO daily_metric (id, workspace_id, connection_id, platform, date, follower_count, "
                "follower_change_24h, engagement_total, content_count, metrics, updated_at) VALUES "
                "(:id, 1, :cid, :p, :d, :f, 0, 0, 0, '{\"streams\": 3}', '2026-01-01')"),
                {"id": mid, "cid": cid, "p": platform, "f": followers,
                 "d": "2026-11-20" if mid != 4 else "2026-11-19"})
    command.upgrade(_cfg(url), "head")
    with eng.begin() as c:
        got = c.execute(text("SELECT id, connection_id, platform, follower_count, metrics FROM daily_metric "
                             "ORDER BY id")).all()
    # Kept with its account; attributed to the only spotify account; the tiktok row (no account)
    # and the instagram one (two accounts: whose?) have nobody to belong to.
    assert [(r[0], r[1], r[2], r[3]) for r in got] == [(1, 1, "instagram", 500), (2, 3, "spotify", 70)]
    assert '"streams": 3' in got[0][4]
    with eng.begin() as c:  # the new key holds, and new ids continue after the old ones
        c.execute(text("INSERT INTO daily_metric (workspace_id, connection_id, platform, date, follower_count, "
                       "follower_change_24h, engagement_total, content_count, metrics, updated_at) VALUES "
                       "(1, 2, 'instagram', '2026-11-20', 7, 0, 0, 0, '{}', '2026-01-01')"))
    with pytest.raises(IntegrityError), eng.begin() as c:
        c.execute(text("INSERT INTO daily_metric (workspace_id, connection_id, platform, date, follower_count, "
                       "follower_change_24h, engagement_total, content_count, metrics, updated_at) VALUES "
                       "(1, 1, 'instagram', '2026-11-20', 1, 0, 0, 0, '{}', '2026-01-01')"))

    command.downgrade(_cfg(url), "0001")
    with eng.begin() as c:
        back = c.execute(text("SELECT platform, date, follower_count FROM daily_metric ORDER BY platform")).all()
    assert [(p, str(d), f) for p, d, f in back] == [("instagram", "2026-11-20", 507), ("spotify", "2026-11-20", 70)]


@pytest.mark.db
def test_migration_runs_on_this_database_with_rows(db):
    """The same upgrade on the `db` fixture's server (SQLite and PostgreSQL): down and up again."""
    scope = make_scope()
    seed_followers(scope, "instagram", date(2026, 11, 20), [5, 6], account_name="a")
    seed_followers(scope, "instagram", date(2026, 11, 20), [50, 60], account_name="b")
    command.downgrade(_cfg(db), "0001")
    try:
        with dbmod.engine_for(db).begin() as c:
            assert c.execute(text("SELECT follower_count FROM daily_metric WHERE date = '2026-11-20'")).scalar() == 66
    finally:
        command.upgrade(_cfg(db), "head")
    # Down to one row per platform and day (the accounts summed) and up again: the rows come
    # back under one account, nothing is lost or duplicated.
    with dbmod.session() as s:
        rows = {(r.date, r.follower_count) for r in s.exec(select(DailyMetric))}
    assert rows == {(date(2026, 11, 19), 55), (date(2026, 11, 20), 66)}
