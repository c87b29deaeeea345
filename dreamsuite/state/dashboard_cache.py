"""The dashboard's numbers and figures for a (workspace, range), shared by every tab of this
app process until something changes them.

Building the nine figures once cost far more than reading the numbers (about 150 ms of CPU
against 15–30 ms of SQL for a demo-sized artist, when they went through plotly's graph objects;
a few milliseconds now that they are written as plain JSON), and every tab of an artist, every
range change back to a range seen before, rebuilt them. An entry is dropped the moment any announcement for its
workspace arrives (a sync, a publish, an analysis: `events`): one subscription per process
hears every workspace. Nothing is cached while that subscription is not confirmed (Redis away,
reconnecting), so a missed announcement can never leave a tab on old numbers; an entry also
ages out after a while, for changes nobody announces (the artist's timezone, say).

An entry is served only while the fingerprint of the workspace's data (`data_mark`, one
statement of aggregates over its rows: about 5 ms of the app's and the database's CPU for a
demo-sized artist, a quarter of a range change) still matches. The fingerprint itself is reused
for MARK_SECONDS within a version: the artist's tabs changing ranges together ask once, and a
change nobody announced shows within those seconds instead of at once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable

from plotly.io import to_json

from dreamsuite import events, redisconn
from dreamsuite.components.charts_base import Figure
from dreamsuite.services.dashboard import DashboardData

log = logging.getLogger(__name__)
MAX_ENTRIES = 512
MAX_AGE_SECONDS = 120.0
RETRY_SECONDS = 2.0
MARK_SECONDS = 2.0


@dataclass
class Entry:
    data: DashboardData
    born: float = field(default_factory=time.monotonic)
    figures: dict[Hashable, str] = field(default_factory=dict)  # JSON, so no tab can change another's


_entries: OrderedDict[tuple, Entry] = OrderedDict()
_versions: dict[int, int] = {}
_marks: dict[int, tuple[int, float, Any]] = {}  # workspace -> (version, when, data mark)
_live = False  # the process-wide subscription is confirmed
_task: asyncio.Task | None = None


def version(workspace_id: int) -> int | None:
    """The workspace's current version, or None when caching is off (not listening)."""
    return _versions.get(workspace_id, 0) if _live else None


def lookup(workspace_id: int, ver: int | None, key: Hashable) -> Entry | None:
    if ver is None:
        return None
    full = (workspace_id, ver, key)
    entry = _entries.get(full)
    if entry is None:
        return None
    if time.monotonic() - entry.born > MAX_AGE_SECONDS:
        _entries.pop(full, None)
        return None
    _entries.move_to_end(full)
    return entry


def recent_mark(workspace_id: int, ver: int | None) -> Any | None:
    """The workspace's data mark read under this version less than MARK_SECONDS ago, or None."""
    got = _marks.get(workspace_id)
    if ver is None or got is None or got[0] != ver or time.monotonic() - got[1] > MARK_SECONDS:
        return None
    return got[2]


def remember_mark(workspace_id: int, ver: int | None, mark: Any) -> None:
    if ver is not None and _live:
        _marks[workspace_id] = (ver, time.monotonic(), mark)


def store(workspace_id: int, ver: int | None, key: Hashable, data: DashboardData) -> Entry:
    """Keep the data read at version `ver`: when an announcement arrived meanwhile, the entry
    sits under the old version, which nobody asks for any more."""
    entry = Entry(data)
    if ver is not None and _live:
        _entries[(workspace_id, ver, key)] = entry
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return entry


def figure(entry: Entry | None, key: Hashable, build: Callable[[], Figure]) -> dict[str, Any]:
    """The figure as plotly's JSON (what the browser draws), built once per entry under `key`;
    each caller gets its own copy."""
    text = entry.figures.get(key) if entry is not None else None
    if text is None:
        text = to_json(build(), validate=False)  # plotly's encoder: dates, decimals, numpy as plotly writes them
        if entry is not None:
            entry.figures[key] = text
    return json.loads(text)


def changed(workspace_id: int) -> None:
    """Something landed for the workspace: its entries are never served again."""
    _versions[workspace_id] = _versions.get(workspace_id, 0) + 1
    for k in [k for k in _entries if k[0] == workspace_id]:
        _entries.pop(k, None)


def _forget_all() -> None:
    global _live
    _live = False
    _entries.clear()
    _marks.clear()


async def _listen() -> None:
    global _live
    pattern = events.channel("*")  # type: ignore[arg-type] - the same name with a wildcard id
    prefix = pattern[:-1]
    while True:
        client = redisconn.dedicated()
        pubsub = client.pubsub()
        try:
            await pubsub.psubscribe(pattern)
            async for msg in pubsub.listen():
                kind = msg.get("type")
                if kind == "psubscribe":
                    _live = True
                elif kind == "pmessage":
                    channel = msg["channel"].decode() if isinstance(msg["channel"], bytes) else msg["channel"]
                    try:
                        changed(int(channel[len(prefix):]))
                    except ValueError:
                        continue
        except asyncio.CancelledError:
            _forget_all()
            raise
        except Exception as exc:  # noqa: BLE001 - Redis away: no caching until we hear again
            log.warning("dashboard cache not listening (%s); reading afresh meanwhile", type(exc).__name__)
        finally:
            _forget_all()
            await pubsub.aclose()
            await client.aclose()
        await asyncio.sleep(RETRY_SECONDS)


def ensure_listening() -> None:
    """Start this process's subscription on the running loop (once; again if it ended)."""
    global _task
    loop = asyncio.get_running_loop()
    if _task is None or _task.done() or _task.get_loop() is not loop:
        if _task is not None and not _task.done():
            _task.cancel()
        _forget_all()
        _task = loop.create_task(_listen())


def snapshot() -> dict[str, Any]:
    """What the cache holds (for tests and the benchmark's notes)."""
    return {"live": _live, "entries": len(_entries)}
