"""Does one user's slow work stall everyone else's page? Measures the event loop's lateness.

The app serves every open tab from one event loop per process: a handler that blocks it
delays every other user's clicks and live updates. A ticker that wants to wake every 2 ms
records how late it woke while other users log in (argon2, ~0.1 s each) and load a heavy
dashboard (a workspace with 16 accounts and 3 years of history), run two ways:

- "off the loop": as the app does it, through the login route and `db.run`;
- "on the loop": the same calls made directly in the coroutine (what the code did before),
  for comparison.

The figure is the ticker's lateness (p50 / p99 / max), i.e. how long another user's
websocket event would have waited.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import date, timedelta

TICK = 0.002
LOGINS = 8
DASHBOARDS = 8


def _seed_heavy_workspace() -> object:
    from dreamsuite import db
    from dreamsuite.models import DailyMetric, PlatformConnection, Role
    from dreamsuite.services import auth
    from dreamsuite.services.scope import Scope

    user_id, ws_id, _ = auth.create_account(f"heavy-{time.time_ns()}@example.com", "benchmark-pw", "Heavy", "UTC")
    today = date.today()
    with db.session() as s:
        for platform in ("instagram", "facebook", "spotify", "youtube", "tiktok", "soundcloud", "x", "deezer"):
            for account in ("main", "second"):
                conn = PlatformConnection(workspace_id=ws_id, platform=platform, platform_user_id=account)
                s.add(conn)
                s.flush()
                s.add_all(DailyMetric(workspace_id=ws_id, connection_id=conn.id, platform=platform,
                                      date=today - timedelta(days=i), follower_count=10_000 + i,
                                      engagement_total=i % 50) for i in range(3 * 365))
    return Scope(user_id=user_id, workspace_id=ws_id, role=Role.owner)


async def _ticker(stop: asyncio.Event, lateness: list[float]) -> None:
    while not stop.is_set():
        t = time.perf_counter()
        await asyncio.sleep(TICK)
        lateness.append(time.perf_counter() - t - TICK)


async def _measure(work) -> tuple[list[float], float]:
    stop, lateness = asyncio.Event(), []
    ticker = asyncio.create_task(_ticker(stop, lateness))
    t = time.perf_counter()
    await work()
    elapsed = time.perf_counter() - t
    stop.set()
    await ticker
    return lateness, elapsed


def _report(label: str, lateness: list[float], elapsed: float) -> None:
    s = sorted(lateness)
    p99 = s[min(len(s) - 1, int(0.99 * (len(s) - 1)))]
    print(f"  {label:<44} lateness p50 {statistics.median(s) * 1000:6.1f} ms  p99 {p99 * 1000:7.1f} ms  "
          f"max {s[-1] * 1000:7.1f} ms   (work took {elapsed:.2f} s)")


async def run() -> None:
    import httpx

    from dreamsuite import db
    from dreamsuite.api import create_api
    from dreamsuite.services import auth, dashboard
    from dreamsuite.settings import get_settings

    email = f"loop-{time.time_ns()}@example.com"
    await db.run(auth.create_account, email, "benchmark-pw", "Loop", "UTC")
    scope = await db.run(_seed_heavy_workspace)
    origin = get_settings().app_origins[0]
    transport = httpx.ASGITransport(app=create_api(), client=("10.9.9.9", 1))

    async def logins_off():
        async with httpx.AsyncClient(transport=transport, base_url=origin) as client:
            await asyncio.gather(*(client.post("/auth/login", headers={"Origin": origin},
                                               data={"email": email, "password": "benchmark-pw"})
                                   for _ in range(LOGINS)))

    # Each call is one user's event: the loop is free between them, blocked during each.
    async def logins_on():
        for _ in range(LOGINS):
            auth.log_in(email, "benchmark-pw")
            await asyncio.sleep(0)

    async def dashboards_off():
        await asyncio.gather(*(db.run(dashboard.dashboard_data, scope, 365) for _ in range(DASHBOARDS)))

    async def dashboards_on():
        for _ in range(DASHBOARDS):
            dashboard.dashboard_data(scope, 365)
            await asyncio.sleep(0)

    await logins_off()  # warm up: first-use imports and connections are not what we measure
    print(f"event loop lateness while other users work ({LOGINS} logins / {DASHBOARDS} one-year dashboards "
          "of 16 accounts):")
    _report("logins, off the loop (the app)", *await _measure(logins_off))
    _report("dashboards, off the loop (the app)", *await _measure(dashboards_off))
    guard = get_settings().db_loop_guard
    get_settings().db_loop_guard = "off"  # the comparison deliberately blocks the loop
    try:
        _report("logins, on the loop (before)", *await _measure(logins_on))
        _report("dashboards, on the loop (before)", *await _measure(dashboards_on))
    finally:
        get_settings().db_loop_guard = guard
