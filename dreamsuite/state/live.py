"""Shared plumbing for live pages: follow `events.listen` while the tab shows the page.

A background task cannot see the tab close, so it wakes every few seconds and stops when
the tab's socket is gone from every app process, when the tab moved to another page, or when a
newer listener replaced it (one listener per tab and page; the counter lives in the tab's state,
so in Redis when several processes serve the app, and a tab that reconnects to another process
starts a listener there that retires the old one).

The tab's state is the authority on the last two, but looking at it loads and saves the tab's
states through Redis (a dashboard's holds its charts): done for every open tab every 30 s, that
was most of what idle tabs cost. So each process also keeps hints of its own: the newest listener
of each tab and page it started, and the page each tab last loaded here (`visiting`, from the
login check every page runs). A quiet tick reads only those; it looks at the state when a hint
says the listener may be stale (another page, the tab's socket on another process), and once in
a long while in case a hint missed something.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import itertools
import logging
import sys
from collections import OrderedDict
from typing import Any, AsyncIterator

from dreamsuite import events
from dreamsuite.services.auth import SessionEnded

log = logging.getLogger(__name__)
TICK_SECONDS = 5.0
# Without a hint of staleness, every 120th quiet tick (10 min) still looks at the tab's state: a
# move to a page without the login check (the login page, say) gives no hint, and would otherwise
# keep an old listener until the tab closes or an event for it comes (each event is checked
# against the state first).
FULL_CHECK_TICKS = 120
_PAGES_KEPT = 20_000  # tabs remembered per process; a forgotten one is checked at the long tick

_ids = itertools.count(1)
_newest: dict[tuple[str, str], int] = {}  # (tab, state) -> the id of its newest listener here
_pages: OrderedDict[str, str] = OrderedDict()  # tab -> the page it last loaded in this process


def visiting(client_token: str, path: str) -> None:
    """The tab loaded `path` here (every page's login check says so): its listeners of other
    pages in this process stop at their next tick."""
    if not client_token:
        return
    _pages[client_token] = (path or "/").rstrip("/") or "/"
    _pages.move_to_end(client_token)
    while len(_pages) > _PAGES_KEPT:
        _pages.popitem(last=False)


def _token_manager():
    """The running app's map of tabs to websockets, or None (not under the Reflex server: unit
    tests)."""
    app_module = sys.modules.get("dreamsuite.dreamsuite")
    ns = getattr(getattr(app_module, "app", None), "event_namespace", None)
    return getattr(ns, "_token_manager", None)


def _socket_elsewhere(client_token: str) -> bool:
    """Whether this process knows the tab's socket to be on another process (no Redis call)."""
    manager = _token_manager()
    record = getattr(manager, "token_to_socket", {}).get(client_token)
    return record is not None and record.instance_id != getattr(manager, "instance_id", record.instance_id)


def _hint(client_token: str, path: str | None) -> tuple[str | None, bool] | None:
    """What this process knows that says the tab may have moved on, or None: the page it last
    loaded here when that is another page, and whether its socket is on another process."""
    page = _pages.get(client_token)
    left = path is not None and page is not None and page != path.rstrip("/")
    elsewhere = _socket_elsewhere(client_token)
    return (page, elsewhere) if left or elsewhere else None


async def tab_connected(client_token: str) -> bool:
    """Whether the tab still has a websocket on any app process: with several processes (Reflex
    state in Redis) its socket may have moved to another one, and this one's updates reach it
    through Reflex's forwarding; only a tab gone everywhere ends its watcher."""
    manager = _token_manager()
    if manager is None:  # not running under the Reflex server (unit tests)
        return True
    try:
        return await manager.is_token_connected(client_token)
    except Exception:  # pragma: no cover - token manager internals differ
        return True


async def follow(workspace_id: int) -> AsyncIterator[dict[str, Any] | None]:
    """Yield each workspace event, and None on every quiet tick so the caller can check in."""
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def pump() -> None:
        try:
            async for ev in events.listen(workspace_id):
                await queue.put(ev)
        except Exception:
            log.warning("live updates for workspace %s stopped", workspace_id, exc_info=True)

    task = asyncio.create_task(pump())
    try:
        while True:
            try:
                yield await asyncio.wait_for(queue.get(), TICK_SECONDS)
            except asyncio.TimeoutError:
                if task.done():
                    return
                yield None
    finally:
        task.cancel()
        with contextlib.suppress(BaseException):
            await task


async def watch_page(state, path: str | None, kinds: set[str], on_event) -> bool:
    """Run inside a background handler: call `on_event(ev)` under the state lock for each
    matching event until the tab leaves `path` (None: any page), disconnects, or a newer
    watcher starts. The state needs a backend var `_listen_gen: int`.

    Returns True when the login ended meanwhile: the tab's states are reset by then, and the
    handler sends the tab to the login page (`yield to_login_page()`) rather than leave it
    showing an empty page."""
    async with state:
        state._listen_gen += 1
        gen = state._listen_gen
        workspace_id = state.workspace_id
        client_token = state.router.session.client_token
        key = (client_token, state.get_full_name())
    if not workspace_id:
        return False
    me = _newest[key] = next(_ids)
    try:
        return await _follow_page(state, path, kinds, on_event, workspace_id, client_token, gen, key, me)
    finally:
        if _newest.get(key) == me:
            del _newest[key]


async def _follow_page(state, path, kinds, on_event, workspace_id, client_token, gen, key, me) -> bool:
    quiet, checked = 0, None  # checked: the hint the state was last looked at for
    async for ev in follow(workspace_id):
        if ev is None:
            # A quiet tick: whether the tab is still connected, and this process's hints, need
            # no state (see the module's docstring); the state is looked at when a hint says so,
            # every FULL_CHECK_TICKS, and before any event is handled.
            quiet += 1
            if _newest.get(key) != me:
                return False  # a newer listener of this tab and page, started here
            if not await tab_connected(client_token):
                return False
            hint = _hint(client_token, path)
            if quiet % FULL_CHECK_TICKS and (hint is None or hint == checked):
                continue
            checked = hint  # the state decides; the same hint is not asked about again
        async with state:
            left = path is not None and state.router.url.path.rstrip("/") != path
            if state._listen_gen != gen or left or not await tab_connected(client_token):
                return False
            if ev is not None and ev.get("kind") in kinds:
                try:
                    result = on_event(ev)
                    if inspect.isawaitable(result):
                        await result
                except SessionEnded:
                    await state._take_stale()  # the login page is loaded afresh anyway
                    return True
                except Exception:
                    log.exception("live reload on %s failed", path)
    return False
