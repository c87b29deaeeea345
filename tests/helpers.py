"""Reusable test setup: a workspace with its owner, and a sandbox connection made through
the real OAuth flow (authorize page, Allow, callback parameters, token exchange).
"""

from __future__ import annotations


import httpx

from dreamsuite import db as dbmod
from dreamsuite.models import Membership, Role, User, Workspace
from dreamsuite.services.scope import Scope

# Where the app says it lives, for tests of its HTTP routes (the `app_url` fixture sets it).
APP = "http://app.test"


def make_workspace(email: str, role: Role = Role.owner, timezone: str = "UTC") -> tuple[User, Workspace, Scope]:
    """A user who is a member of a new workspace (password login is not needed by these tests)."""
    with dbmod.session() as s:
        user = User(email=email, name=email.split("@")[0], password_hash="!unusable", timezone=timezone)
        ws = Workspace(name=f"{email} artist", timezone=timezone)
        s.add(user)
        s.add(ws)
        s.flush()
        s.add(Membership(user_id=user.id, workspace_id=ws.id, role=role))
    return user, ws, Scope(user_id=user.id, workspace_id=ws.id, role=Role(role))


def add_member(workspace_id: int, email: str, role: Role) -> Scope:
    """Another user in an existing workspace, with the given role."""
    with dbmod.session() as s:
        user = User(email=email, name=email.split("@")[0], password_hash="!unusable")
        s.add(user)
        s.flush()
        s.add(Membership(user_id=user.id, workspace_id=workspace_id, role=role))
    return Scope(user_id=user.id, workspace_id=workspace_id, role=role)


async def connect_sandbox(scope: Scope, sandbox_user: str | None = None) -> int:
    """Connect the sandbox platform for `scope`'s workspace; returns the connection id.

    `sandbox_user` picks the sandbox account (login_hint), so two workspaces can hold
    different accounts whose published posts do not mix.
    """
    from dreamsuite.platforms.sandbox.consent import approve
    from dreamsuite.services.connect import complete_connect, start_connect

    url = await start_connect(scope, "sandbox")
    callback = await approve(url, login_hint=sandbox_user)
    assert "code" in callback, callback
    return (await complete_connect("sandbox", callback, scope.user_id)).connection_id


async def published_on_sandbox(sandbox_url: str, connection_id: int) -> list[dict]:
    """Posts created through the sandbox API for this connection's account (read back from it)."""
    from dreamsuite.services.tokens import access_token

    token = await access_token(connection_id)
    found: list[dict] = []
    cursor = None
    async with httpx.AsyncClient(timeout=10) as client:
        while True:
            params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
            r = await client.get(f"{sandbox_url}/api/v1/posts", params=params,
                                 headers={"Authorization": f"Bearer {token}"})
            r.raise_for_status()
            body = r.json()
            found += [p for p in body["data"] if "_pub_" in p["id"]]
            cursor = body.get("next_cursor")
            if not cursor:
                return found


async def control(sandbox_url: str, action: str, **body) -> None:
    """Failure injection on the sandbox: action is fail, hang or reset."""
    async with httpx.AsyncClient(timeout=5) as client:
        (await client.post(f"{sandbox_url}/_control/{action}", json=body)).raise_for_status()


class EventProbe:
    """Subscribes to a workspace's live-update channel before the action under test."""

    def __init__(self, workspace_id: int):
        self.workspace_id = workspace_id

    async def __aenter__(self) -> "EventProbe":
        import redis.asyncio as aioredis

        from dreamsuite.events import channel
        from dreamsuite.settings import get_settings

        self.client = aioredis.from_url(get_settings().redis_url)
        self.pubsub = self.client.pubsub()
        await self.pubsub.subscribe(channel(self.workspace_id))
        return self

    async def next(self, timeout: float = 3.0) -> dict | None:
        import asyncio
        import json

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            msg = await self.pubsub.get_message(ignore_subscribe_messages=True, timeout=0.2)
            if msg:
                return json.loads(msg["data"])
        return None

    async def __aexit__(self, *exc) -> None:
        await self.pubsub.aclose()
        await self.client.aclose()


def due_post(scope: Scope, connection_id: int, text: str, media: list) -> int:
    """A post due now with one pending destination, stored as the worker finds it (returns the
    destination's id). For tests of the sending side that hand adapters media of their own
    making, which the composer (which checks media from the library per platform) never would."""
    from dreamsuite.models import PostDestination, ScheduledPost

    with dbmod.session() as s:
        post = ScheduledPost(workspace_id=scope.workspace_id, author_id=scope.user_id, content=text, media=media,
                             scheduled_at=dbmod.utcnow(), timezone="UTC")
        s.add(post)
        s.flush()
        dest = PostDestination(workspace_id=scope.workspace_id, post_id=post.id, connection_id=connection_id)
        s.add(dest)
        s.flush()
        return dest.id


async def run_worker_burst(**overrides) -> None:
    """Run a real arq worker of ours until the queue is empty (burst), on this test's loop."""
    from arq.worker import create_worker

    from dreamsuite import queue
    from workers.main import WorkerSettings

    # No crons: they fire on the wall clock (the reconciler at :30 of every minute), so a burst that
    # crossed that second would run a job the test did not queue. Cron tests build their own worker.
    settings = {"burst": True, "handle_signals": False, "poll_delay": 0.1, "redis_settings": queue.redis_settings(),
                "cron_jobs": [], **overrides}
    worker = create_worker(WorkerSettings, **settings)
    try:
        await worker.async_run()
    finally:
        await worker.close()


async def cooldowns_pass() -> None:
    """As if every platform's wait had passed: the shared rate gate's cooldowns forgotten."""
    from dreamsuite import redisconn

    r = redisconn.client()
    for key in await r.keys("ratelimit:cooldown:*"):
        await r.delete(key)


def figure_of(value):
    """A chart a state keeps as plotly's JSON, read back through plotly's validating Figure (an
    unknown property or a refused value fails the test)."""
    import plotly.graph_objects as go

    from dreamsuite.state.plain import plain
    return go.Figure(plain(value))
