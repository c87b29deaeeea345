"""Shared fixtures: real databases (SQLite and PostgreSQL), a real Redis, the sandbox server.

`db` runs a test once per backend: SQLite always; PostgreSQL when TEST_DATABASE_URL is set
(`make test` sets it when a server answers on 127.0.0.1:5432) and skipped otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import redis as redis_sync
from sqlalchemy import text

from dreamsuite import db as dbmod
from dreamsuite.platforms.sandbox.serve import free_port  # noqa: F401  (browser tests import it from here)
from dreamsuite.settings import get_settings

ROOT = Path(__file__).resolve().parent.parent

# Tests never touch the developer's own secret key file, database or outbox.
os.environ.setdefault("DREAMSUITE_SECRET_KEY", "S0m9bH2pZJ1k7rj9x8o0p2ZrWm3dH9q2aQpQ8e4R1cE=")
os.environ["DATABASE_URL"] = "sqlite:///" + str(Path(os.environ.get("PYTEST_TMP", "/tmp")) / "dreamsuite-unused.db")
os.environ.setdefault("MAIL_DIR", str(Path(os.environ.get("PYTEST_TMP", "/tmp")) / f"dreamsuite-mail-{os.getpid()}"))
# A blocking database call on an event loop fails the test that makes it; the tests' own
# coroutines (setting up rows, checking them) may touch the database directly.
os.environ["DB_LOOP_GUARD"] = "raise"
# The tests play the local demo: the sandbox platform with its well-known secret is allowed.
os.environ.setdefault("DREAMSUITE_DEMO", "1")
dbmod.LOOP_GUARD_EXEMPT = ("tests.",)


def _reset_settings() -> None:
    get_settings.cache_clear()


# ------------------------------------------------------------------ databases
def migrate(url: str) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    cfg.attributes["database_url"] = url
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "head")


def _pg_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


@pytest.fixture(scope="session")
def _sqlite_url(tmp_path_factory) -> str:
    url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")
    migrate(url)
    return url


@pytest.fixture(scope="session")
def _postgres_url() -> str:
    url = _pg_url()
    if not url:
        pytest.skip("PostgreSQL not configured (set TEST_DATABASE_URL)")
    eng = dbmod.engine_for(url)
    with eng.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    migrate(url)
    return url


def _truncate(url: str) -> None:
    from sqlmodel import SQLModel

    eng = dbmod.engine_for(url)
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with eng.begin() as conn:
        if eng.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for t in tables:
                conn.execute(text(f'DELETE FROM "{t}"'))


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, monkeypatch) -> str:
    """An empty, migrated database; DATABASE_URL points at it for the test's duration."""
    url = request.getfixturevalue("_sqlite_url" if request.param == "sqlite" else "_postgres_url")
    _truncate(url)
    monkeypatch.setenv("DATABASE_URL", url)
    _reset_settings()
    yield url
    _reset_settings()


# ------------------------------------------------------------------ redis
def _redis_alive(url: str) -> bool:
    try:
        return bool(redis_sync.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


@pytest.fixture(scope="session")
def _redis_server(tmp_path_factory) -> str:
    url = os.environ.get("TEST_REDIS_URL")
    if url and _redis_alive(url):
        yield url
        return
    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("no Redis reachable and no redis-server to start (make test installs one)")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        if _redis_alive(url):
            break
        time.sleep(0.05)
    yield url
    proc.terminate()
    proc.wait(5)


@pytest.fixture
def redis_url(_redis_server, monkeypatch) -> str:
    """A flushed Redis database; REDIS_URL points at it for the test's duration."""
    base = _redis_server.rsplit("/", 1)[0]
    # A database of its own, so a developer's running app keeps its queue (TEST_REDIS_DB lets
    # two test runs share one server).
    url = f"{base}/{os.environ.get('TEST_REDIS_DB', '9')}"
    redis_sync.Redis.from_url(url).flushdb()
    monkeypatch.setenv("REDIS_URL", url)
    _reset_settings()
    yield url
    _reset_settings()


@pytest.fixture
def analysis_soon(monkeypatch):
    """A collect asks for its workspace's analysis half a minute later, and a burst worker waits
    for every deferred job: one second keeps the same order of jobs without idling 30 s."""
    from dreamsuite import queue

    monkeypatch.setattr(queue, "ANALYSE_DELAY_SECONDS", 1)


@pytest.fixture
async def close_arq_pools():
    """Close the arq pools (and Redis clients) a test opened on its own event loop."""
    yield
    from dreamsuite import queue
    from dreamsuite.services import throttle

    await queue.close_pools()
    await throttle.close()


# ------------------------------------------------------------------ sandbox platform
@pytest.fixture(scope="session")
def sandbox_server() -> str:
    """The sandbox platform as a real HTTP server on a free port; returns its base URL."""
    from dreamsuite.platforms.sandbox.serve import serve_sandbox

    with serve_sandbox(with_control=True) as base:
        yield base


@pytest.fixture
def sandbox_url(sandbox_server, monkeypatch) -> str:
    """SANDBOX_URL points at the running sandbox; its failure modes are reset."""
    import httpx

    httpx.post(f"{sandbox_server}/_control/reset", timeout=5)
    monkeypatch.setenv("SANDBOX_URL", sandbox_server)
    _reset_settings()
    yield sandbox_server
    _reset_settings()


# ------------------------------------------------------------------ platform emulators
@pytest.fixture(scope="session")
def _emulator_server(tmp_path_factory):
    """Every platform emulator as a real HTTP server (with failure injection), own store file."""
    from dreamsuite.platforms.emulators.serve import serve_emulators
    from dreamsuite.platforms.emulators.store import EmulatorStore

    store = EmulatorStore(tmp_path_factory.mktemp("emulators") / "emulators.db")
    with serve_emulators(with_control=True, store=store) as (base, emulators):
        yield base, emulators, store


class Emulators:
    """The running emulators: their base URL (EMULATOR_URL), each one by name, and helpers."""

    def __init__(self, base: str, emulators: dict, store):
        self.base, self.by_name, self.store = base, emulators, store

    def __getitem__(self, platform: str):
        return self.by_name[platform]

    async def control(self, platform: str, action: str, **body) -> None:
        import httpx

        async with httpx.AsyncClient(timeout=5) as client:
            (await client.post(f"{self.base}/{platform}/_control/{action}", json=body)).raise_for_status()


@pytest.fixture
def emulators(_emulator_server, monkeypatch) -> Emulators:
    """EMULATOR_URL points every connector at the emulators; their failures and accounts are reset."""
    base, emulators, store = _emulator_server
    store.reset()
    for e in emulators.values():
        e.control.reset()
        e._reset()
    monkeypatch.setenv("EMULATOR_URL", base)
    _reset_settings()
    yield Emulators(base, emulators, store)
    _reset_settings()


@pytest.fixture
def app_url(monkeypatch):
    """APP_URL set to tests.helpers.APP (redirects and origin checks of the HTTP routes)."""
    from dreamsuite.settings import get_settings
    from tests.helpers import APP

    monkeypatch.setenv("APP_URL", APP)
    get_settings.cache_clear()
    yield APP
    get_settings.cache_clear()
