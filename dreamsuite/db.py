"""Engines and sessions shared by the app and the worker, and the one way async code reaches them.

All datetimes are aware UTC: sqlmodel 0.0.50 maps `datetime` fields to UTCDateTime, which
refuses naive values and returns aware UTC on both SQLite and PostgreSQL. `utcnow()` is the
one clock.

Database work never runs on an event loop: sync code (services, migrations, the CLI) opens
`session()` directly; async code (Reflex handlers, arq jobs, HTTP routes) calls
`await db.run(sync_fn, ...)`, which runs it on a thread of a pool sized for the database.
`session()` refuses to open on a thread that is running an event loop and names the
coroutine that tried, so a blocking call is a failing test rather than a stalled app.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import json
import logging
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Callable, ContextManager, Iterator, TypeVar

from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, create_engine

from dreamsuite.settings import get_settings

log = logging.getLogger(__name__)
T = TypeVar("T")

# Modules whose own coroutines may open sessions on the loop (the tests' setup code).
LOOP_GUARD_EXEMPT: tuple[str, ...] = ()
_ASYNC_FLAGS = inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR | inspect.CO_ITERABLE_COROUTINE


class BlockingDatabaseCall(RuntimeError):
    """A database session was opened on a thread that runs an event loop."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def normalize_url(url: str) -> str:
    # Plain postgresql:// would pick psycopg2, which we do not ship.
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


@lru_cache
def engine_for(url: str) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        eng = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(eng, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            # WAL lets the worker write while the app reads; FKs are off by default in SQLite.
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return eng
    size, overflow = pool_limits()
    eng = create_engine(url, pool_size=size, max_overflow=overflow)
    _ping_when_idle(eng)
    return eng


# A pooled connection unused this long is pinged before use (the server may have restarted or
# dropped it meanwhile); one in steady use is not: a ping on every checkout was a round trip to
# PostgreSQL before every piece of database work, a login check per page event included.
IDLE_PING_SECONDS = 10.0
_clock = time.monotonic


def _ping_when_idle(eng: Engine) -> None:
    @event.listens_for(eng, "checkin")
    def _idle_from(_dbapi_conn, record):
        record.info["idle_since"] = _clock()

    @event.listens_for(eng, "checkout")
    def _ping_if_idle(dbapi_conn, record, _proxy):
        since = record.info.get("idle_since")
        if since is None or _clock() - since < IDLE_PING_SECONDS:
            return
        try:
            eng.dialect.do_ping(dbapi_conn)
        except Exception as exc:  # noqa: BLE001 - any failure means this connection is gone
            # The pool drops this connection and hands out a fresh one (SQLAlchemy retries).
            raise sa_exc.DisconnectionError(str(exc)) from exc


def pool_limits() -> tuple[int, int]:
    """(pool size, overflow) of this process's PostgreSQL pool. By default as many connections
    as database threads may ask for one at once, so no thread waits on the pool."""
    s = get_settings()
    return (s.db_pool_size or s.db_threads), s.db_max_overflow


def get_engine() -> Engine:
    return engine_for(get_settings().database_url)


# ------------------------------------------------------------------ the loop guard
def _blocking_coroutine(depth: int) -> str | None:
    """The coroutine this thread's event loop is running us from, or None when no loop runs here."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return None
    frame = sys._getframe(depth)
    while frame is not None:
        if frame.f_code.co_flags & _ASYNC_FLAGS:
            return f"{frame.f_globals.get('__name__', '?')}.{frame.f_code.co_qualname}"
        frame = frame.f_back
    return "an unknown caller"


def _check_loop(depth: int = 3) -> None:
    mode = get_settings().db_loop_guard
    if mode == "off":
        return
    culprit = _blocking_coroutine(depth)
    if culprit is None or culprit.startswith(LOOP_GUARD_EXEMPT or ("\0",)):
        return
    message = (f"database session opened on the event loop by {culprit}: "
               "wrap the synchronous work in `await db.run(fn, ...)`")
    if mode == "raise":
        raise BlockingDatabaseCall(message)
    log.warning(message)


# ------------------------------------------------------------------ sessions
def session() -> ContextManager[Session]:
    """A session that commits on success and rolls back on any error (nothing half-written).

    Announcements queued with `announce_after_commit` go out once the commit succeeded.
    """
    _check_loop()
    return _session_context()


@contextmanager
def _session_context() -> Iterator[Session]:
    with Session(get_engine(), expire_on_commit=False) as s:
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        _publish_pending(s)



def reading() -> ContextManager[Session]:
    """A session for reads only, each statement on its own (autocommit): no BEGIN and COMMIT
    round trips around them. For work that needs no single snapshot across its statements, like
    a page's loads or the agents' reader; anything that writes uses `session()`."""
    _check_loop()
    return _reading_context()


@contextmanager
def _reading_context() -> Iterator[Session]:
    with Session(_autocommit_engine(get_settings().database_url), autoflush=False) as s:
        event.listen(s, "before_flush", _refuse_writes)
        yield s
        if s.new or s.dirty or s.deleted:
            _refuse_writes()


def _refuse_writes(*_args) -> None:
    # Each statement would commit on its own here, so a write could land half-done.
    raise RuntimeError("db.reading() is for reads: write with db.session()")


def read_connection() -> ContextManager[Connection]:
    """A bare connection for a few hot reads (each statement on its own, like `reading()`), with
    no ORM session around it: the login check every page event makes."""
    _check_loop()
    return _autocommit_engine(get_settings().database_url).connect()


@lru_cache
def _autocommit_engine(url: str) -> Engine:
    # The same pool as the main engine: a connection is set to autocommit while lent out here.
    return engine_for(url).execution_options(isolation_level="AUTOCOMMIT")


def announce_after_commit(s: Session, workspace_id: int, kind: str, **data: Any) -> None:
    """Tell open pages about a change, but only once the transaction holding it commits."""
    s.info.setdefault("announce", []).append((workspace_id, kind, data))


def _publish_pending(s: Session) -> None:
    pending = s.info.pop("announce", None)
    if not pending:
        return
    try:
        from dreamsuite.events import channel

        client = _sync_redis()
        for workspace_id, kind, data in pending:
            client.publish(channel(workspace_id), json.dumps({"kind": kind, **data}, default=str))
    except Exception as exc:  # noqa: BLE001 - stored is what counts; a missed live update only delays a refresh
        log.warning("could not announce %d change(s): %s", len(pending), type(exc).__name__)


@lru_cache
def _sync_redis_for(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2, driver_info=None)


def _sync_redis():
    return _sync_redis_for(get_settings().redis_url)


# ------------------------------------------------------------------ async callers
@lru_cache
def _executor(threads: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=threads, thread_name_prefix="db")


async def run(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run synchronous database work on the database threads; the event loop stays free."""
    loop = asyncio.get_running_loop()
    ctx = contextvars.copy_context()
    call = functools.partial(ctx.run, fn, *args, **kwargs)
    return await loop.run_in_executor(_executor(get_settings().db_threads), call)
