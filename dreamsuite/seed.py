"""`python -m dreamsuite.seed`: the demo artist, connected to the sandbox, with history.

Idempotent: a second run finds the demo user and only refreshes the data. The sandbox
connection goes through the real OAuth flow against the sandbox mounted in the running app
(`make run` seeds once the backend answers); when the app is not running, a sandbox server is
started here for the moment — its signed tokens stay valid for the app's own mount.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import sys
import threading
import time

from sqlmodel import select

from dreamsuite import db
from dreamsuite.models import ConnectionStatus, Membership, PlatformConnection, User
from dreamsuite.services.scope import scope_for, scoped
from dreamsuite.settings import get_settings

DEMO_EMAIL = "demo@dreamsuite.app"
DEMO_PASSWORD = "dreamsuite-demo"
DEMO_ARTIST = "Nova Lane"
DEMO_TIMEZONE = "Europe/Berlin"

log = logging.getLogger("dreamsuite.seed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Sandbox:
    """The sandbox platform served on a free loopback port while seeding."""

    def __enter__(self) -> str:
        import uvicorn

        from dreamsuite.platforms.sandbox.server import create_app

        self.port = _free_port()
        self.server = uvicorn.Server(uvicorn.Config(create_app(with_control=False), host="127.0.0.1",
                                                   port=self.port, log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(5)


def _reachable(base: str) -> bool:
    import httpx

    try:
        return httpx.get(f"{base}/api/v1/me", timeout=2).status_code == 401
    except httpx.HTTPError:
        return False


def _demo_user_id() -> int | None:
    with db.session() as s:
        user = s.exec(select(User).where(User.email == DEMO_EMAIL)).first()
        return user.id if user else None


async def seed() -> str:
    from dreamsuite.platforms.sandbox.consent import approve
    from dreamsuite.services import auth, connect, sync

    user_id = _demo_user_id()
    created = user_id is None
    if created:
        user_id, _workspace_id, _token = auth.sign_up(DEMO_EMAIL, DEMO_PASSWORD, DEMO_ARTIST, DEMO_TIMEZONE)
    with db.session() as s:
        workspace_id = s.exec(select(Membership.workspace_id).where(Membership.user_id == user_id)).first()
        scope = scope_for(s, user_id, workspace_id)
        existing = [c.id for c in s.exec(scoped(scope, PlatformConnection).where(
            PlatformConnection.platform == "sandbox", PlatformConnection.status == ConnectionStatus.active))]

    async def connect_and_collect() -> dict:
        if existing:
            connection_id = existing[0]
        else:
            params = await approve(await connect.start_connect(scope, "sandbox"))
            connection_id = (await connect.complete_connect("sandbox", params)).connection_id
        return await sync.collect_connection(connection_id)

    if _reachable(get_settings().sandbox_base):
        result = await connect_and_collect()
    else:
        with _Sandbox() as sandbox_url:
            os.environ["SANDBOX_URL"] = sandbox_url
            get_settings.cache_clear()
            try:
                result = await connect_and_collect()
            finally:
                os.environ.pop("SANDBOX_URL", None)
                get_settings.cache_clear()
    return (f"{'created' if created else 'found'} {DEMO_EMAIL} ({DEMO_ARTIST}); "
            f"sandbox collect: {result.get('status')} {result.get('counts', '')}")


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    print(asyncio.run(seed()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
