"""Shared plumbing for live pages: follow `events.listen` while the tab shows the page.

A background task cannot see the tab close, so it wakes every few seconds and stops when
the tab's socket is gone from every app process, and (checked less often: it costs a load of
the tab's states) when the tab moved to another page or a newer listener replaced it (one
listener per tab and page; the counter lives in the tab's state, so in Redis when several
processes serve the app, and a tab that reconnects to another process starts a listener there
that retires the old one).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import sys
from typing import Any, AsyncIterator

from dreamsuite import events
from dreamsuite.services.auth import SessionEnded

log = logging.getLogger(__name__)
TICK_SECONDS = 5.0
FULL_CHECK_TICKS = 6  # every sixth quiet tick (30 s) the watcher also looks at the tab's state


async def tab_connected(client_token: str) -> bool:
    """Whether the tab still has a websocket on any app process: with several processes (Reflex
    state in Redis) its socket may have moved to another one, and this one's updates reach it
    through Reflex's forwarding; only a tab gone everywhere ends its watcher."""
    app_module = sys.modules.get("dreamsuite.dreamsuite")
    ns = getattr(getattr(app_module, "app", None), "event_namespace", None)
    if ns is None:  # not running under the Reflex server (unit tests)
        return True
    try:
        return await ns._token_manager.is_token_connected(client_token)
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
    if not workspace_id:
        return False
    quiet = 0
    async for ev in follow(workspace_id):
        if ev is None:
            # A quiet tick: whether the tab is still connected needs no state. Taking the tab's
            # lock loads and saves its states in Redis, every few seconds for every open
            # dashboard; whether it left the page or a newer watcher took over is checked every
            # few ticks (and before any event is handled).
            quiet += 1
            if quiet % FULL_CHECK_TICKS:
                if not await tab_connected(client_token):
                    return False
                continue
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
