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
import sys

from sqlmodel import select

from dreamsuite import db
from dreamsuite.models import ConnectionStatus, Membership, PlatformConnection, User
from dreamsuite.platforms.sandbox.serve import serve_sandbox
from dreamsuite.services.scope import Scope, scope_for, scoped
from dreamsuite.settings import get_settings

DEMO_EMAIL = "demo@dreamsuite.app"
DEMO_PASSWORD = "dreamsuite-demo"
DEMO_ARTIST = "Nova Lane"
DEMO_TIMEZONE = "Europe/Berlin"

log = logging.getLogger("dreamsuite.seed")


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


def _demo_scope() -> tuple[bool, Scope, list[int]]:
    """The demo artist (created on the first run) and their live sandbox connections."""
    from dreamsuite.services import auth

    user_id = _demo_user_id()
    created = user_id is None
    if created:
        user_id, _workspace_id, _token = auth.create_account(DEMO_EMAIL, DEMO_PASSWORD, DEMO_ARTIST, DEMO_TIMEZONE)
    with db.session() as s:
        workspace_id = s.exec(select(Membership.workspace_id).where(Membership.user_id == user_id)).first()
        scope = scope_for(s, user_id, workspace_id)
        existing = [c.id for c in s.exec(scoped(scope, PlatformConnection).where(
            PlatformConnection.platform == "sandbox", PlatformConnection.status == ConnectionStatus.active))]
    return created, scope, existing


async def seed() -> str:
    from dreamsuite.platforms.sandbox.consent import approve
    from dreamsuite.services import connect, sync

    created, scope, existing = await db.run(_demo_scope)

    async def connect_and_collect() -> dict:
        if existing:
            connection_id = existing[0]
        else:
            params = await approve(await connect.start_connect(scope, "sandbox"))
            # The demo's own consent: the callback is completed for the user who started it.
            connection_id = (await connect.complete_connect("sandbox", params, scope.user_id)).connection_id
        return await sync.collect_connection(connection_id)

    if await asyncio.to_thread(_reachable, get_settings().sandbox_base):
        result = await connect_and_collect()
    else:
        with serve_sandbox() as sandbox_url:
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
