"""The dashboard's shared numbers and figures: tabs of one artist share a read, an announcement
for the workspace drops it at once, and nothing is shared while the announcements are not heard."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import plotly.graph_objects as go
import pytest

from dreamsuite import db as dbmod
from dreamsuite import events
from dreamsuite.services.dashboard import DashboardData
from dreamsuite.state import dashboard as dash_state
from dreamsuite.state import dashboard_cache as cache
from tests.seed_metrics import seed_followers
from tests.test_dashboard_state import _artist, _dashboard
from tests.test_state import handler


async def _until(check, what: str, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def reads(monkeypatch) -> list[int]:
    """Each workspace the dashboard's numbers were read for (the cache's misses)."""
    seen: list[int] = []
    real = dash_state.dashboard_data

    def counting(scope, *args, **kwargs):
        seen.append(scope.workspace_id)
        return real(scope, *args, **kwargs)

    monkeypatch.setattr(dash_state, "dashboard_data", counting)
    return seen


@pytest.mark.db
@pytest.mark.usefixtures("close_arq_pools")
async def test_tabs_share_a_read_until_a_sync_lands(db, redis_url, reads):
    scope, token = _artist()
    end = dbmod.utcnow().date()
    seed_followers(scope, "instagram", end - timedelta(days=1), [1000 + i for i in range(30)])
    cache.ensure_listening()
    await _until(lambda: cache.snapshot()["live"], "the cache to hear announcements")

    first, cls = await _dashboard(token)
    await handler(cls, "load")(first)
    second, _ = await _dashboard(token)
    await handler(cls, "load")(second)
    assert reads == [scope.workspace_id], "the second tab used the first one's read"
    assert second.stats.followers == first.stats.followers == "1,029"
    assert second.growth_fig == first.growth_fig and second.growth_fig is not first.growth_fig

    # A sync lands: new numbers, announced; the next load reads them, in every tab.
    seed_followers(scope, "instagram", end, [1500], account_name="main")
    ver = cache.version(scope.workspace_id)
    await events.announce(scope.workspace_id, "sync", status="finished")
    await _until(lambda: cache.version(scope.workspace_id) != ver, "the announcement")
    await handler(cls, "load")(second)
    assert len(reads) == 2 and second.stats.followers == "1,500"
    other, _ = _artist("other@example.com")
    assert cache.lookup(other.workspace_id, cache.version(other.workspace_id), ("90d", 90, None, None)) is None


@pytest.mark.db
@pytest.mark.usefixtures("close_arq_pools")
async def test_nothing_is_shared_while_announcements_are_not_heard(db, redis_url, reads, monkeypatch):
    scope, token = _artist()
    seed_followers(scope, "instagram", dbmod.utcnow().date(), [10, 20, 30])
    monkeypatch.setattr(cache, "ensure_listening", lambda: None)  # Redis away: never confirmed
    monkeypatch.setattr(cache, "_live", False)
    st, cls = await _dashboard(token)
    await handler(cls, "load")(st)
    await handler(cls, "load")(st)
    assert reads == [scope.workspace_id] * 2 and st.stats.followers == "30"
    assert cache.snapshot()["entries"] == 0


def test_a_read_overtaken_by_an_announcement_is_never_served(monkeypatch):
    monkeypatch.setattr(cache, "_live", True)
    monkeypatch.setattr(cache, "_entries", type(cache._entries)())
    monkeypatch.setattr(cache, "_versions", {})
    ver = cache.version(7)
    cache.changed(7)  # a sync landed while the read ran
    cache.store(7, ver, "90d", DashboardData(has_data=True))
    assert cache.lookup(7, cache.version(7), "90d") is None
    fresh = cache.store(7, cache.version(7), "90d", DashboardData(has_data=True))
    assert cache.lookup(7, cache.version(7), "90d") is fresh
    monkeypatch.setattr(cache.time, "monotonic", lambda: fresh.born + cache.MAX_AGE_SECONDS + 1)
    assert cache.lookup(7, cache.version(7), "90d") is None, "an entry ages out"


def test_figures_are_built_once_per_entry_and_handed_out_as_copies():
    built: list[int] = []

    def build() -> go.Figure:
        built.append(1)
        return go.Figure(go.Bar(x=["a"], y=[1]), layout={"height": 300})

    entry = cache.Entry(DashboardData())
    a, b = cache.figure(entry, "bar", build), cache.figure(entry, "bar", build)
    assert built == [1] and a == b and a["layout"]["height"] == 300
    a["layout"]["height"] = 1
    assert cache.figure(entry, "bar", build)["layout"]["height"] == 300, "a tab cannot change another's"
    assert cache.figure(None, "bar", build)["data"][0]["type"] == "bar" and built == [1, 1]


@pytest.mark.db
@pytest.mark.usefixtures("close_arq_pools")
async def test_a_change_nobody_announced_is_read_afresh(db, redis_url, reads, monkeypatch):
    from sqlmodel import update

    from dreamsuite.models import DailyMetric

    scope, token = _artist()
    seed_followers(scope, "instagram", dbmod.utcnow().date(), [100, 200])
    cache.ensure_listening()
    await _until(lambda: cache.snapshot()["live"], "the cache to hear announcements")
    st, cls = await _dashboard(token)
    await handler(cls, "load")(st)
    await handler(cls, "load")(st)
    assert reads == [scope.workspace_id] and st.stats.followers == "200"
    with dbmod.session() as s:  # written behind the app's back: no announcement
        s.exec(update(DailyMetric).where(DailyMetric.workspace_id == scope.workspace_id,
                                         DailyMetric.follower_count == 200).values(follower_count=250))
    # Within the fingerprint's few seconds the shared read still serves; past them, the
    # fingerprint is read again, no longer matches, and the numbers are read afresh.
    await handler(cls, "load")(st)
    assert len(reads) == 1 and st.stats.followers == "200"
    later = cache.time.monotonic() + cache.MARK_SECONDS + 0.5
    monkeypatch.setattr(cache.time, "monotonic", lambda: later)
    await handler(cls, "load")(st)
    assert len(reads) == 2 and st.stats.followers == "250"


@pytest.mark.db
@pytest.mark.usefixtures("close_arq_pools")
async def test_tabs_changing_ranges_together_read_the_fingerprint_once(db, redis_url, monkeypatch):
    scope, token = _artist()
    seed_followers(scope, "instagram", dbmod.utcnow().date(), [100 + i for i in range(40)])
    marks: list[int] = []
    real = dash_state.data_mark

    def counting(sc):
        marks.append(sc.workspace_id)
        return real(sc)

    monkeypatch.setattr(dash_state, "data_mark", counting)
    cache.ensure_listening()
    await _until(lambda: cache.snapshot()["live"], "the cache to hear announcements")
    tabs = [await _dashboard(token) for _ in range(3)]
    for preset in ("7d", "30d", "90d"):
        for st, cls in tabs:
            st.preset = preset
            await handler(cls, "load")(st)
    assert marks == [scope.workspace_id]  # nine loads, one fingerprint
    ver = cache.version(scope.workspace_id)
    await events.announce(scope.workspace_id, "sync", status="finished")
    await _until(lambda: cache.version(scope.workspace_id) != ver, "the announcement")
    st, cls = tabs[0]
    await handler(cls, "load")(st)
    assert len(marks) == 2  # a new version asks again at once
