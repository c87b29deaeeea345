"""A live page's listener (state/live.watch_page): quiet ticks cost no look at the tab's state
unless a hint says the tab moved on; a newer listener, another page or a closed tab ends it;
announcements still reach the page, each checked against the state first."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import types

import pytest

from dreamsuite import events
from dreamsuite.state import live


class TabState:
    """What watch_page uses of a background event's state proxy; counts each look (each is a
    load and save of the tab's states through Redis in the app)."""

    def __init__(self, token: str, path: str = "/dashboard", workspace_id: int = 7):
        self._listen_gen, self.workspace_id, self.looks = 0, workspace_id, 0
        self.router = types.SimpleNamespace(session=types.SimpleNamespace(client_token=token),
                                            url=types.SimpleNamespace(path=path))

    @staticmethod
    def get_full_name() -> str:
        return "state.dashboard_state"

    async def __aenter__(self):
        self.looks += 1
        return self

    async def __aexit__(self, *exc):
        return None


@pytest.fixture
def fast_ticks(monkeypatch, redis_url):
    monkeypatch.setattr(live, "TICK_SECONDS", 0.05)
    connected: set[str] = set()

    async def tab_connected(token: str) -> bool:
        return token in connected

    monkeypatch.setattr(live, "tab_connected", tab_connected)
    monkeypatch.setattr(live, "_pages", live.OrderedDict())
    monkeypatch.setattr(live, "_newest", {})
    return connected


async def _until(predicate, seconds: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_quiet_ticks_do_not_look_at_the_state(fast_ticks):
    fast_ticks.add("tab-a")
    state = TabState("tab-a")
    live.visiting("tab-a", "/dashboard/")
    seen = []
    task = asyncio.create_task(live.watch_page(state, "/dashboard", {"sync"}, seen.append))
    await asyncio.sleep(0.6)  # about twelve quiet ticks
    assert state.looks == 1  # only the start, which counts the listener in the state
    assert not task.done()

    # An announcement is handled under the state (checked first), and reaches the page.
    await events.announce(7, "sync", account=3)
    await _until(lambda: seen)
    assert seen == [{"kind": "sync", "account": 3}] and state.looks == 2
    await events.announce(7, "publish")  # a kind the page does not follow: looked at, not handled
    await _until(lambda: state.looks == 3)
    assert len(seen) == 1

    fast_ticks.discard("tab-a")  # the tab closed: the next tick ends it, without the state
    assert await asyncio.wait_for(task, 5) is False
    assert state.looks == 3


async def test_the_tab_loading_another_page_ends_the_listener(fast_ticks):
    fast_ticks.add("tab-b")
    state = TabState("tab-b")
    task = asyncio.create_task(live.watch_page(state, "/dashboard", {"sync"}, lambda ev: None))
    await asyncio.sleep(0.3)
    assert state.looks == 1

    # The page's login check saw the tab load /chat here; the state, which decides, agrees.
    live.visiting("tab-b", "/chat")
    state.router.url.path = "/chat"
    assert await asyncio.wait_for(task, 5) is False
    assert state.looks == 2


async def test_a_hint_the_state_denies_is_asked_about_once(fast_ticks):
    """The hint says another page, the state still shows this one (it decides): the listener
    goes on, and does not look at the state again for the same hint on every tick."""
    fast_ticks.add("tab-c")
    state = TabState("tab-c")
    live.visiting("tab-c", "/goals")
    task = asyncio.create_task(live.watch_page(state, "/dashboard", {"sync"}, lambda ev: None))
    await asyncio.sleep(0.6)
    assert state.looks == 2 and not task.done()
    live.visiting("tab-c", "/inbox")  # a new hint is asked about again
    await _until(lambda: state.looks == 3)
    await asyncio.sleep(0.3)
    assert state.looks == 3 and not task.done()
    fast_ticks.discard("tab-c")
    assert await asyncio.wait_for(task, 5) is False


async def test_a_newer_listener_of_the_same_tab_and_page_retires_the_older(fast_ticks):
    fast_ticks.add("tab-d")
    state = TabState("tab-d")
    first = asyncio.create_task(live.watch_page(state, "/dashboard", {"sync"}, lambda ev: None))
    await asyncio.sleep(0.2)
    second = asyncio.create_task(live.watch_page(state, "/dashboard", {"sync"}, lambda ev: None))
    assert await asyncio.wait_for(first, 5) is False
    assert state.looks == 2  # each start; the older one left without another look
    assert not second.done() and state._listen_gen == 2
    fast_ticks.discard("tab-d")
    assert await asyncio.wait_for(second, 5) is False
    assert live._newest == {}  # nothing left behind for a closed tab


async def test_the_tabs_socket_on_another_process_makes_the_state_decide(fast_ticks, monkeypatch):
    """The tab reconnected to another process, whose own listener counted itself in the state:
    this one sees the hint, looks, finds a newer listener, and ends."""
    from reflex.utils.token_manager import SocketRecord

    manager = types.SimpleNamespace(instance_id="me", token_to_socket={"tab-e": SocketRecord(instance_id="me", sid="1")})
    app = types.SimpleNamespace(app=types.SimpleNamespace(event_namespace=types.SimpleNamespace(_token_manager=manager)))
    monkeypatch.setitem(sys.modules, "dreamsuite.dreamsuite", app)
    fast_ticks.add("tab-e")
    state = TabState("tab-e")
    task = asyncio.create_task(live.watch_page(state, "/dashboard", {"sync"}, lambda ev: None))
    await asyncio.sleep(0.3)
    assert state.looks == 1
    manager.token_to_socket["tab-e"] = SocketRecord(instance_id="another", sid="2")
    state._listen_gen += 1  # the other process's listener
    assert await asyncio.wait_for(task, 5) is False
    assert state.looks == 2


async def test_every_long_tick_still_looks_at_the_state(fast_ticks, monkeypatch):
    """A move no hint saw (a page without the login check) is found at the long tick."""
    monkeypatch.setattr(live, "FULL_CHECK_TICKS", 4)
    fast_ticks.add("tab-f")
    state = TabState("tab-f")
    task = asyncio.create_task(live.watch_page(state, "/dashboard", {"sync"}, lambda ev: None))
    await _until(lambda: state.looks >= 2)
    state.router.url.path = "/login"
    assert await asyncio.wait_for(task, 5) is False


def test_the_pages_remembered_are_bounded(monkeypatch):
    monkeypatch.setattr(live, "_pages", live.OrderedDict())
    monkeypatch.setattr(live, "_PAGES_KEPT", 3)
    for n in range(5):
        live.visiting(f"tab-{n}", "/dashboard")
    live.visiting("tab-2", "/chat")  # the latest visit keeps a tab longest
    live.visiting("tab-5", "/goals")
    assert list(live._pages) == ["tab-4", "tab-2", "tab-5"]
    assert live._hint("tab-2", "/dashboard") == ("/chat", False)
    assert live._hint("tab-4", "/dashboard") is None and live._hint("tab-0", "/dashboard") is None
    live.visiting("", "/dashboard")  # no tab token: nothing remembered
    assert "" not in live._pages


async def test_a_listeners_own_connection_opens_without_a_handshake_beyond_subscribing(redis_url, monkeypatch):
    """Every open page listens on a connection of its own: opening it must not read redis-py's
    version from the package metadata on disk (it showed in backend profiles while dashboards
    opened; the same setting also drops CLIENT SETINFO, which this Redis 7.0 would not show). The
    connection still hears announcements and closes with its listener."""
    import redis.asyncio as aioredis
    import redis.utils

    looked_up: list[str] = []
    version = redis.utils.get_lib_version
    monkeypatch.setattr(redis.utils, "get_lib_version", lambda: looked_up.append("redis") or version())
    admin = aioredis.from_url(redis_url, driver_info=None)
    name = events.channel(424242)
    heard: list[dict] = []

    async def listen() -> None:
        async with contextlib.aclosing(events.listen(424242)) as stream:
            async for event in stream:
                heard.append(event)
                return

    task = asyncio.create_task(listen())
    try:
        for _ in range(200):
            if (await admin.pubsub_numsub(name))[0][1] == 1:
                break
            await asyncio.sleep(0.01)
        subscribed = [c for c in await admin.client_list() if c.get("sub") == "1" and c.get("cmd") == "subscribe"]
        assert len(subscribed) == 1, subscribed
        assert looked_up == []  # the package's version, read from its metadata on disk
        await events.announce(424242, "sync", connection_id=1)
        await asyncio.wait_for(task, 5)
        assert heard and heard[0]["kind"] == "sync"
        assert (await admin.pubsub_numsub(name))[0][1] == 0
    finally:
        task.cancel()
        await admin.aclose()
