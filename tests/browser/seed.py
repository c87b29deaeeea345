"""Rows written straight into the running app's database (DATABASE_URL points at it while a
`module_app` test runs), the way sign-up, a sync or a failing job would have written them.

Playwright's sync API keeps an event loop on the test's thread, and the app's database layer
refuses to block a running loop: every helper here runs on a thread of its own.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Callable

import redis as redis_sync

from dreamsuite import db
from dreamsuite.models import ContentPost, DailyMetric, Notification, PlatformConnection
from dreamsuite.services import auth
from dreamsuite.events import channel

PASSWORD = "correct horse battery"


def off_loop(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


@dataclass
class Artist:
    email: str
    password: str
    name: str
    user_id: int
    workspace_id: int


def artist(name: str = "", password: str = PASSWORD) -> Artist:
    """A user with their workspace (named after them), as a finished sign-up leaves them."""
    name = name or f"Artist {uuid.uuid4().hex[:6]}"
    email = f"artist-{uuid.uuid4().hex[:10]}@example.com"
    user_id, workspace_id, _ = off_loop(auth.create_account, email, password, name, "Europe/Paris")
    return Artist(email, password, name, user_id, workspace_id)


def _member(email: str, password: str, name: str, workspace_id: int, role: str) -> int:
    from dreamsuite.models import Membership, User

    with db.session() as s:
        user = User(email=email, name=name, password_hash=auth.hash_password(password), timezone="UTC")
        s.add(user)
        s.flush()
        s.add(Membership(user_id=user.id, workspace_id=workspace_id, role=role))
        return user.id


def member(workspace_id: int, role: str, name: str = "", password: str = PASSWORD) -> Artist:
    """A user whose only workspace is `workspace_id`, with that role (an invitation accepted)."""
    name = name or f"Member {uuid.uuid4().hex[:6]}"
    email = f"member-{uuid.uuid4().hex[:10]}@example.com"
    user_id = off_loop(_member, email, password, name, workspace_id, role)
    return Artist(email, password, name, user_id, workspace_id)


def join(user_id: int, workspace_id: int, role: str) -> None:
    """Makes the user a member of another workspace too."""
    from dreamsuite.models import Membership

    def add() -> None:
        with db.session() as s:
            s.add(Membership(user_id=user_id, workspace_id=workspace_id, role=role))

    off_loop(add)


def sandbox_account(a: Artist, sandbox_user: str) -> int:
    """Connects the sandbox account `sandbox_user` to the artist's workspace through the real OAuth
    flow (tests.helpers.connect_sandbox); returns the connection id. The test process's APP_URL and
    API_URL must name the running app, whose sandbox answers."""
    return off_loop(asyncio.run, _connect(a, sandbox_user))


async def _connect(a: Artist, sandbox_user: str) -> int:
    from dreamsuite import queue
    from dreamsuite.models import Role
    from dreamsuite.services.scope import Scope
    from tests.helpers import connect_sandbox

    try:
        return await connect_sandbox(Scope(a.user_id, a.workspace_id, Role.owner), sandbox_user)
    finally:
        await queue.close_pools()  # bound to this thread's loop, which ends here


def on_sandbox(base: str, connection_id: int) -> list[dict]:
    """The posts published through the app's sandbox (served at `base`/sandbox) for that account."""
    from tests.helpers import published_on_sandbox

    return off_loop(asyncio.run, published_on_sandbox(f"{base}/sandbox", connection_id))


def _numbers(workspace_id: int, captions: list[str], days: int) -> None:
    today = datetime.now(UTC).date()
    with db.session() as s:
        conn = PlatformConnection(workspace_id=workspace_id, platform="sandbox", platform_user_id="main",
                                  username="main", display_name="Main account")
        s.add(conn)
        s.flush()
        for i in range(days):
            d: date = today - timedelta(days=days - 1 - i)
            s.add(DailyMetric(workspace_id=workspace_id, connection_id=conn.id, platform="sandbox", date=d,
                              follower_count=10_000 + 25 * i, follower_change_24h=25 if i else 0,
                              engagement_total=400 + i, content_count=len(captions)))
        for i, caption in enumerate(captions):
            posted = datetime.combine(today - timedelta(days=i + 1), datetime.min.time(), tzinfo=UTC)
            # The first caption has the most interactions, and so on down.
            s.add(ContentPost(workspace_id=workspace_id, connection_id=conn.id, platform="sandbox",
                              platform_post_id=f"p{i}", caption=caption, posted_at=posted,
                              likes=1000 - 100 * i, comments=50 - 5 * i, shares=10, views=5000))


def numbers(workspace_id: int, captions: list[str] = (), days: int = 30) -> None:
    """A connected sandbox account with `days` of daily metrics and one post per caption."""
    off_loop(_numbers, workspace_id, list(captions), days)


def _notify(workspace_id: int, message: str, link: str) -> int:
    with db.session() as s:
        n = Notification(workspace_id=workspace_id, kind="sync_failed", message=message, link=link)
        s.add(n)
        s.flush()
        return n.id


def notification(redis_url: str, workspace_id: int, message: str, link: str = "/connections") -> int:
    """A notification row, announced on the workspace's channel the way the services announce it."""
    nid = off_loop(_notify, workspace_id, message, link)
    redis_sync.Redis.from_url(redis_url).publish(channel(workspace_id, redis_url),
                                                  json.dumps({"kind": "notification"}))
    return nid


def listeners(redis_url: str, workspace_id: int) -> int:
    """How many open pages listen to the workspace's live events right now."""
    name = channel(workspace_id, redis_url)
    return int(dict(redis_sync.Redis.from_url(redis_url).pubsub_numsub(name)).get(name.encode(), 0))


def wait_for_listeners(redis_url: str, workspace_id: int, at_least: int, timeout: float = 20) -> None:
    """Until that many page watchers listen to the workspace (an announcement before that is lost)."""
    deadline = time.monotonic() + timeout
    while listeners(redis_url, workspace_id) < at_least:
        assert time.monotonic() < deadline, f"fewer than {at_least} open pages listen to workspace {workspace_id}"
        time.sleep(0.05)
