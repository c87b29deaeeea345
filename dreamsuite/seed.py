"""`python -m dreamsuite.seed`: the demo artist, connected to five platforms, with history.

Nova Lane connects Instagram, YouTube, Spotify, TikTok and a Facebook Page through the real
connectors and the
real OAuth flows — against the local emulators of those platforms (EMULATOR_URL), whose
consent pages create (or pick again) an account named "Nova Lane" on each. They tell one
story: a release about six weeks ago that lifts Spotify followers and YouTube views the same
week, reels that outperform photos, shorts that outperform long videos, and a Facebook Page
slowly losing followers while the others grow. Each platform gives
the history its API gives (YouTube's analytics reach back a year, Instagram's thirty days;
Spotify and TikTok only today's numbers, so their history grows with each daily sync).

Then two goals (30,000 Instagram followers in five months, 10,000 YouTube subscribers in two)
and the analysis a sync would trigger: forecasts, unusual days, insights and XP.

Idempotent: a second run finds the demo user and its connections and only collects again.
When the app is not running, the emulators are served here for the moment, on the same store,
so the accounts and tokens stay valid for the app's own emulators.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys

from sqlmodel import select

from dreamsuite import db
from dreamsuite.models import ConnectionStatus, Membership, PlatformConnection, User
from dreamsuite.services.scope import Scope, scope_for, scoped
from dreamsuite.settings import get_settings

DEMO_EMAIL = "demo@dreamsuite.app"
DEMO_PASSWORD = "dreamsuite-demo"
DEMO_ARTIST = "Nova Lane"
DEMO_TIMEZONE = "Europe/Berlin"
DEMO_PLATFORMS = ("instagram", "youtube", "spotify", "tiktok", "facebook")

log = logging.getLogger("dreamsuite.seed")


def _reachable(base: str) -> bool:
    import httpx

    try:
        return httpx.get(f"{base}/spotify/accounts/authorize", timeout=2).status_code == 400
    except httpx.HTTPError:
        return False


def _demo_scope() -> tuple[bool, Scope, dict[str, int]]:
    """The demo artist (created on the first run) and their live connections by platform."""
    from dreamsuite.services import auth

    with db.session() as s:
        user = s.exec(select(User).where(User.email == DEMO_EMAIL)).first()
        user_id = user.id if user else None
    created = user_id is None
    if created:
        user_id, _workspace_id, _token = auth.create_account(DEMO_EMAIL, DEMO_PASSWORD, DEMO_ARTIST, DEMO_TIMEZONE)
    with db.session() as s:
        workspace_id = s.exec(select(Membership.workspace_id).where(Membership.user_id == user_id)).first()
        scope = scope_for(s, user_id, workspace_id)
        usable = [ConnectionStatus.active, ConnectionStatus.expiring, ConnectionStatus.error]
        live = {c.platform: c.id for c in s.exec(scoped(scope, PlatformConnection).where(
            PlatformConnection.status.in_(usable)))}
    return created, scope, live


async def _connect_and_collect(scope: Scope, live: dict[str, int]) -> dict[str, str]:
    from dreamsuite.platforms.emulators.consent import approve
    from dreamsuite.services import connect, sync

    results = {}
    for platform in DEMO_PLATFORMS:
        cid = live.get(platform)
        if cid is None:
            params = await approve(await connect.start_connect(scope, platform), account_name=DEMO_ARTIST)
            cid = (await connect.complete_connect(platform, params, scope.user_id)).connection_id
        result = await sync.collect_connection(cid)
        results[platform] = f"{result.get('status')} {result.get('counts', result.get('error', ''))}"
    return results


async def seed() -> str:
    created, scope, live = await db.run(_demo_scope)
    base = get_settings().emulator_url
    if base and await asyncio.to_thread(_reachable, base):
        results = await _connect_and_collect(scope, live)
    else:
        from dreamsuite.platforms.emulators import store_for
        from dreamsuite.platforms.emulators.serve import serve_emulators

        with serve_emulators(store=store_for(get_settings().emulator_db)) as (url, _):
            os.environ["EMULATOR_URL"] = url
            get_settings.cache_clear()
            try:
                results = await _connect_and_collect(scope, live)
            finally:
                if base:
                    os.environ["EMULATOR_URL"] = base
                else:
                    os.environ.pop("EMULATOR_URL", None)
                get_settings.cache_clear()
    from dreamsuite.services import analysis

    await db.run(_demo_goals, scope)
    analysed = await db.run(analysis.analyse, scope.workspace_id)
    lines = "\n".join(f"  {p}: {r}" for p, r in results.items())
    return (f"{'created' if created else 'found'} {DEMO_EMAIL} ({DEMO_ARTIST}); collected:\n{lines}\n"
            f"  analysis: {analysed.get('insights', 0)} new insights, {analysed.get('forecasts', 0)} forecasts")


def _demo_goals(scope: Scope) -> None:
    """Two goals on the first run: one the forecast reaches in time, one it does not."""
    from datetime import timedelta

    from dreamsuite.models import Goal
    from dreamsuite.services import goals

    with db.session() as s:
        if s.exec(scoped(scope, Goal)).first() is not None:
            return
    today = db.utcnow().date()
    goals.create(scope, "instagram", 30_000, today + timedelta(days=150))
    goals.create(scope, "youtube", 10_000, today + timedelta(days=60))


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    print(asyncio.run(seed()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
