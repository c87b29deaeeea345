"""Database work and password hashing never run on an event loop.

The app serves every tab from one event loop: a handler that blocks it (a database query, an
argon2 verify of ~0.1 s) stalls every other user's clicks. `db.session()` refuses to open on a
thread that runs a loop, so any such call fails the test that reaches it — these tests check
that refusal itself, and that the slow paths go through threads. (benchmarks/event_loop.py
measures how late other users' events are.)
"""

from __future__ import annotations

import asyncio
import threading
import types

import pytest

from dreamsuite import db as dbmod
from dreamsuite.services import auth


def _coroutine_in(module: str, body):
    """An async function that looks, to the guard, like one of `module`'s (not a test's)."""
    async def template():
        return body()

    return types.FunctionType(template.__code__, {"__name__": module, "body": body}, "handler",
                              None, template.__closure__)


class _Hasher:
    """argon2's PasswordHasher with some methods replaced (it has slots: no monkeypatching)."""

    def __init__(self, real, **replaced):
        self._real, self._replaced = real, replaced

    def __getattr__(self, name):
        return self._replaced.get(name) or getattr(self._real, name)


def _open_session():
    with dbmod.session() as s:
        return s.exec(__import__("sqlalchemy").text("SELECT 1")).one()


@pytest.mark.db
async def test_a_session_opened_on_the_loop_is_refused_and_named(db):
    handler = _coroutine_in("dreamsuite.state.example", _open_session)
    with pytest.raises(dbmod.BlockingDatabaseCall, match=r"opened on the event loop by dreamsuite\.state\.example\."):
        await handler()
    # The same work through db.run runs on a database thread and succeeds.
    assert await dbmod.run(_open_session) == (1,)


@pytest.mark.db
async def test_warn_mode_logs_instead_of_raising(db, monkeypatch, caplog):
    from dreamsuite.settings import get_settings

    monkeypatch.setenv("DB_LOOP_GUARD", "warn")
    get_settings.cache_clear()
    handler = _coroutine_in("workers.example", _open_session)
    assert await handler() == (1,)
    assert "database session opened on the event loop by workers.example" in caplog.text


@pytest.mark.db
def test_no_loop_no_complaint(db):
    assert _open_session() == (1,)  # scripts, migrations and the CLI run without a loop


@pytest.mark.db
def test_login_verifies_the_password_on_a_thread_not_the_loop(db, redis_url, monkeypatch):
    """The login route: argon2 runs off the loop (and at most two at a time)."""
    from starlette.testclient import TestClient

    from dreamsuite.api import create_api
    from dreamsuite.settings import get_settings

    auth.create_account("me@example.com", "password1", "Me", "UTC")
    seen: list[tuple[bool, str]] = []
    real_verify = auth._hasher.verify

    def verify(hash_, password):
        try:
            asyncio.get_running_loop()
            on_loop = True
        except RuntimeError:
            on_loop = False
        seen.append((on_loop, threading.current_thread().name))
        return real_verify(hash_, password)

    monkeypatch.setattr(auth, "_hasher", _Hasher(auth._hasher, verify=verify))
    origin = get_settings().app_origins[0]
    client = TestClient(create_api(), base_url=origin)
    res = client.post("/auth/login", data={"email": "me@example.com", "password": "password1"},
                      headers={"Origin": origin}, follow_redirects=False)
    assert res.status_code == 303 and auth.SESSION_COOKIE in res.cookies
    assert seen and all(not on_loop and name.startswith("db") for on_loop, name in seen)


def test_hashing_is_limited_to_two_at_once(monkeypatch):
    inside, peak, lock = 0, 0, threading.Lock()
    release = threading.Event()
    real_hash = auth._hasher.hash

    def slow_hash(password):
        nonlocal inside, peak
        with lock:
            inside += 1
            peak = max(peak, inside)
        release.wait(2)
        with lock:
            inside -= 1
        return real_hash(password)

    monkeypatch.setattr(auth, "_hasher", _Hasher(auth._hasher, hash=slow_hash))
    threads = [threading.Thread(target=auth.hash_password, args=("password1",)) for _ in range(5)]
    for t in threads:
        t.start()
    threading.Timer(0.3, release.set).start()
    for t in threads:
        t.join(5)
    assert peak == 2

