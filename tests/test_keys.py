"""A server started with the wrong DREAMSUITE_SECRET_KEY: a configuration problem, never a
reason to expire the artists' connections. It refuses to start, jobs retry instead of
expiring anything, and a lost key is handled on purpose with `expire-unreadable`.
"""

from __future__ import annotations

import os
from datetime import timedelta

import httpx
import pytest
from arq import Retry
from cryptography.fernet import Fernet
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.models import Notification, PlatformConnection, PostDestination, SyncRun
from dreamsuite.platforms.base import TransientError
from dreamsuite.services import publish, sync, tokens
from dreamsuite.services.scope import Scope
from dreamsuite.settings import get_settings
from tests.helpers import connect_sandbox, make_workspace, published_on_sandbox
from workers import collect as collect_job
from workers import main as worker_main

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]

KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture
def use_key():
    """Switch DREAMSUITE_SECRET_KEY (settings are cached: cleared on every switch and at the end)."""
    previous = os.environ.get("DREAMSUITE_SECRET_KEY")

    def use(*keys: str) -> None:
        os.environ["DREAMSUITE_SECRET_KEY"] = ",".join(keys)
        get_settings.cache_clear()

    yield use
    if previous is None:
        os.environ.pop("DREAMSUITE_SECRET_KEY", None)
    else:
        os.environ["DREAMSUITE_SECRET_KEY"] = previous
    get_settings.cache_clear()


@pytest.fixture
async def artists(db, redis_url, sandbox_url, use_key) -> list[tuple[Scope, int]]:
    """Two artists (owner scope, connection id) whose tokens were stored under key A."""
    use_key(KEY_A)
    out = []
    for n in (1, 2):
        _, _, scope = make_workspace(f"artist{n}@example.com")
        out.append((scope, await connect_sandbox(scope, sandbox_user=f"sbx-key-{n}")))
    return out


@pytest.fixture
def stored_with_a(artists) -> list[int]:
    return [cid for _, cid in artists]


def _conn(cid: int) -> PlatformConnection:
    with dbmod.session() as s:
        return s.get(PlatformConnection, cid)


def _notifications() -> list[Notification]:
    with dbmod.session() as s:
        return list(s.exec(select(Notification).order_by(Notification.id)))


async def test_a_wrong_key_gives_no_token_and_leaves_the_connection_alone(stored_with_a, use_key):
    cid = stored_with_a[0]
    use_key(KEY_B)
    with pytest.raises(tokens.CredentialsUnreadable, match="DREAMSUITE_SECRET_KEY") as info:
        await tokens.access_token(cid)
    assert isinstance(info.value, TransientError)  # jobs retry later; nothing is expired
    # A token about to expire goes through the refresh path, which cannot read the refresh token either.
    with dbmod.session() as s:
        s.get(PlatformConnection, cid).token_expires_at = dbmod.utcnow() + timedelta(minutes=1)
    with pytest.raises(tokens.CredentialsUnreadable):
        await tokens.access_token(cid)
    with pytest.raises(tokens.CredentialsUnreadable):
        await tokens.force_refresh(cid)
    conn = _conn(cid)
    assert (conn.status, conn.last_error) == ("active", "")
    assert _notifications() == []


async def test_a_collect_with_a_wrong_key_fails_the_run_and_retries_without_expiring(stored_with_a, use_key):
    cid = stored_with_a[0]
    use_key(KEY_B)
    with pytest.raises(tokens.CredentialsUnreadable):
        await sync.collect_connection(cid)
    with pytest.raises(Retry):  # the job backs off rather than giving up on the account
        await collect_job.collect({"job_try": 1}, cid)
    with dbmod.session() as s:
        runs = s.exec(select(SyncRun).where(SyncRun.connection_id == cid)).all()
    assert [r.status for r in runs] == ["failed", "failed"] and "DREAMSUITE_SECRET_KEY" in runs[0].error
    assert _conn(cid).status == "active" and _notifications() == []


async def test_a_publish_with_a_wrong_key_waits_for_the_key_instead_of_failing(artists, use_key, sandbox_url):
    scope, cid = artists[0]
    post = await publish.schedule_post(scope, "Key trouble", [cid], dbmod.utcnow().replace(tzinfo=None), "UTC")
    use_key(KEY_B)
    with dbmod.session() as s:
        dest_id = s.exec(select(PostDestination.id).where(PostDestination.post_id == post.id)).one()
    assert await publish.publish_destination(dest_id) == "retrying"
    with dbmod.session() as s:
        dest = s.get(PostDestination, dest_id)
    assert (dest.status, dest.attempts) == ("pending", 1) and _conn(cid).status == "active"
    assert _notifications() == []
    use_key(KEY_B, KEY_A)  # the administrator restores the old key behind the new one
    assert await publish.publish_destination(dest_id) == "published"
    assert len(await published_on_sandbox(sandbox_url, cid)) == 1


async def test_the_worker_and_the_app_refuse_to_start_with_a_key_that_cannot_read_the_tokens(
        stored_with_a, use_key):
    from dreamsuite.lifecycle import app_startup

    with dbmod.session() as s:  # a disconnected account does not count
        s.get(PlatformConnection, stored_with_a[1]).status = "revoked"
    use_key(KEY_B)
    ctx: dict = {}
    with pytest.raises(RuntimeError, match=r"cannot decrypt the stored tokens of 1 connection\(s\)"):
        await worker_main.startup(ctx)
    assert "http" not in ctx
    with pytest.raises(RuntimeError, match="expire-unreadable"):
        async with app_startup():
            pass
    assert _conn(stored_with_a[0]).status == "active" and _notifications() == []


async def test_expire_unreadable_is_the_deliberate_way_out_after_losing_a_key(stored_with_a, use_key, capsys):
    from dreamsuite import cli

    use_key(KEY_B)
    assert cli.main(["expire-unreadable"]) == 0
    assert "2 connection(s) marked expired" in capsys.readouterr().out
    assert [_conn(c).status for c in stored_with_a] == ["expired", "expired"]
    notes = _notifications()
    assert [n.kind for n in notes] == ["token_expired", "token_expired"]
    assert {n.workspace_id for n in notes} == {_conn(c).workspace_id for c in stored_with_a}
    assert cli.main(["expire-unreadable"]) == 0  # run twice: still one notification each
    assert len(_notifications()) == 2
    # Once expired, the collect skips them and the worker can start: the artists reconnect.
    assert (await sync.collect_connection(stored_with_a[0]))["status"] == "skipped"


async def test_with_the_old_key_behind_the_new_one_everything_works(stored_with_a, use_key, sandbox_url):
    from dreamsuite import cli

    use_key(KEY_B, KEY_A)
    ctx: dict = {}
    await worker_main.startup(ctx)
    await worker_main.shutdown(ctx)
    cid = stored_with_a[0]
    token = await tokens.access_token(cid)
    async with httpx.AsyncClient(timeout=5) as client:
        me = await client.get(f"{sandbox_url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert (await sync.collect_connection(cid))["status"] == "success"
    assert cli.main(["expire-unreadable"]) == 0
    assert [_conn(c).status for c in stored_with_a] == ["active", "active"] and _notifications() == []
    # A refresh stores the new tokens under the new key: key A can then be retired for them.
    await tokens.force_refresh(cid)
    use_key(KEY_B)
    assert tokens.unreadable_connections() == [stored_with_a[1]]
