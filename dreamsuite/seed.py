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

Promotion: Nova Lane's ad accounts (Meta Ads, Google Ads, TikTok Ads, each whose connector and
emulator exist) connect through the same real OAuth flows, and the shop through its domain and
an Admin API token (the emulated shop grants it as Shopify grants a custom app's); each channel's
180 days are collected and the brain runs once, so the Promotion page has its story. Before that
run, the brain's past runs are replayed (every two weeks, from twelve weeks ago) and answered as
an artist would — the first open action of each accepted, the next dismissed, never one the brain
still gives today — so "action adoption" and "prediction accuracy" have a history to measure.

Idempotent: a second run finds the demo user and its connections and only collects again.
When the app is not running, the emulators are served here for the moment, on the same store,
so the accounts and tokens stay valid for the app's own emulators.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import sys
import time
from datetime import date, datetime, timedelta, timezone
from datetime import time as dt_time
from importlib.util import find_spec
from urllib.parse import urlencode

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
DEMO_AD_PLATFORMS = ("meta_ads", "google_ads", "tiktok_ads")
DEMO_SHOP = "nova-lane.myshopify.com"

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
    results.update(await _promotion(scope))
    return results


def _demo_ready(kind: str) -> bool:
    """The channel's connector and its emulator both exist (Google and TikTok Ads may come later)."""
    from dreamsuite.services import promotion_connect

    return promotion_connect.available(kind) and find_spec(f"dreamsuite.platforms.emulators.{kind}") is not None


async def _promotion(scope: Scope) -> dict[str, str]:
    """Connect the demo's ad accounts and shop (those not live yet), collect each, run the brain."""
    begun = time.perf_counter()
    from dreamsuite.models import ConnectionStatus
    from dreamsuite.platforms.emulators.consent import approve
    from dreamsuite.services import promotion_connect as pc
    from dreamsuite.services.promotion_collect import collect_channel
    from dreamsuite.services.promotion_runs import run_brain  # loads the brain's statistics (seconds)

    loaded = time.perf_counter()
    usable = (ConnectionStatus.active, ConnectionStatus.expiring, ConnectionStatus.error)
    live = {c["kind"]: c["id"] for c in await pc.list_channels(scope) if c["status"] in usable}
    for kind in DEMO_AD_PLATFORMS:
        if kind not in live and _demo_ready(kind):
            params = await approve(await pc.start_connect(scope, kind), account_name=DEMO_ARTIST)
            live[kind] = (await pc.finish_connect(kind, params, scope.user_id)).connection_id
    if "shopify" not in live and _demo_ready("shopify"):
        live["shopify"] = await pc.connect_shop(scope, DEMO_SHOP, await _shop_token())
    results = {}
    connected = time.perf_counter()
    for kind, cid in live.items():
        at = time.perf_counter()
        result = await _collect_waiting(collect_channel, cid)
        said = result.get("counts", result.get("error", result.get("reason", "")))
        results[kind] = f"{result.get('status')} {said} ({time.perf_counter() - at:.1f} s)"
    at = time.perf_counter()
    results["promotion history"] = await _promotion_history(scope)
    run_id = await run_brain(scope.workspace_id)
    results["promotion"] = (f"brain run {run_id} ({time.perf_counter() - at:.1f} s); loading took "
                            f"{loaded - begun:.1f} s, connecting {connected - loaded:.1f} s, the promotion part "
                            f"{time.perf_counter() - begun:.1f} s")
    return results


HISTORY_RUNS = (84, 70, 56, 42, 28, 14)  # days ago


async def _promotion_history(scope: Scope) -> str:
    """Replay the brain's past runs once (no feed, no notifications) and answer them on their day."""
    from dreamsuite.services.promotion_runs import _local_today, advice, run_brain

    if await db.run(_answered, scope.workspace_id):
        return "already replayed"
    today = await db.run(_local_today, scope.workspace_id)
    open_today = {a.key for a in (await advice(scope.workspace_id, today)).actions}  # stays open for the artist
    answers = 0
    for ago in HISTORY_RUNS:
        day = today - timedelta(days=ago)
        run_id = await run_brain(scope.workspace_id, day, feed=False)
        answers += await db.run(_answer_run, scope, run_id, day, open_today)
    return f"{len(HISTORY_RUNS)} past runs, {answers} actions answered"


def _answered(workspace_id: int) -> bool:
    from dreamsuite.models import ActionStatus, PromotionAction

    with db.session() as s:
        return s.exec(select(PromotionAction.id).where(
            PromotionAction.workspace_id == workspace_id,
            PromotionAction.status.in_([ActionStatus.accepted, ActionStatus.dismissed]))).first() is not None


def _answer_run(scope: Scope, run_id: int, day: date, keep_open: set[str]) -> int:
    """Accept the run's first open action and dismiss the next, as answered that evening."""
    from dreamsuite.models import ActionStatus, PromotionAction

    with db.session() as s:
        rows = [a for a in s.exec(select(PromotionAction).where(
            PromotionAction.workspace_id == scope.workspace_id, PromotionAction.last_run_id == run_id,
            PromotionAction.status == ActionStatus.proposed).order_by(PromotionAction.rank)).all()
            if a.key not in keep_open][:2]
        for a, status in zip(rows, (ActionStatus.accepted, ActionStatus.dismissed)):
            a.status, a.decided_by = status, scope.user_id
            a.decided_at = datetime.combine(day, dt_time(18), tzinfo=timezone.utc)
            s.add(a)
        return len(rows)


async def _collect_waiting(collect_channel, cid: int) -> dict:
    """A demo collect that waits out the platform's rate limit (a shop's query-cost bucket empties
    on 180 days of orders) a few times; past that, the worker's queued collect finishes it."""
    from dreamsuite.platforms.base import RateLimited

    for _ in range(3):
        try:
            return await collect_channel(cid)
        except RateLimited as exc:
            await asyncio.sleep(min(float(exc.retry_after or 2.0), 20.0))
    try:
        return await collect_channel(cid)
    except RateLimited as exc:
        return {"status": "queued", "error": f"left to the worker: {exc.message}"}


async def _shop_token() -> str:
    """The demo shop's Admin API token, granted by the emulated shop as Shopify grants a custom
    app's on install (its OAuth, answered like a browser); a real artist pastes theirs."""
    import httpx

    from dreamsuite.platforms.emulators.consent import approve
    from dreamsuite.platforms.shopify import ShopifyAdapter

    settings = get_settings()
    store = settings.platform_url("shopify", "store", f"https://{DEMO_SHOP}")
    client_id, secret = settings.platform_credentials("shopify") or ("", "")
    redirect = f"{settings.api_url}/oauth/callback/shopify"
    asked = {"client_id": client_id, "redirect_uri": redirect, "response_type": "code",
             "scope": ",".join(ShopifyAdapter.scopes), "state": secrets.token_urlsafe(16)}
    params = await approve(f"{store}/admin/oauth/authorize?{urlencode(asked)}", account_name=DEMO_ARTIST)
    async with httpx.AsyncClient(timeout=10) as client:
        answer = await client.post(f"{store}/admin/oauth/access_token", data={
            "grant_type": "authorization_code", "client_id": client_id, "client_secret": secret, "code": params["code"],
            "redirect_uri": redirect})
    answer.raise_for_status()
    return str(answer.json()["access_token"])


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
