"""Several app processes and workers on one database and one Redis: work scheduled once per
cluster, a tab followed across processes, pools that fit the server, the balancer's routing."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
import shutil
import subprocess
import sys
import types
from datetime import UTC, datetime, timedelta

import pytest
from arq import create_pool
from arq.worker import Worker

from dreamsuite import cluster, db as dbmod, queue
from dreamsuite.settings import get_settings
from dreamsuite.state import live
from workers.main import WorkerSettings

# Every page's state, imported here and not in a test: Reflex registers states in the context
# that first imports them, and an async test run before would leave that context behind.
import dreamsuite.pages  # noqa: E402,F401


def _settings(monkeypatch, **env: str) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()


# ------------------------------------------------------------------ once per cluster
async def test_two_workers_reaching_a_cron_time_enqueue_each_cron_once(redis_url):
    """Every worker runs the cron clock; the jobs' ids name the moment, so N workers make one job."""
    when = datetime.now(UTC) + timedelta(seconds=30)
    pools = [await create_pool(queue.redis_settings(redis_url)) for _ in range(2)]
    try:
        for pool in pools:
            crons = [dataclasses.replace(c, next_run=when) for c in WorkerSettings.cron_jobs]
            worker = Worker(functions=WorkerSettings.functions, cron_jobs=crons, redis_pool=pool,
                            queue_name=queue.QUEUE_NAME, burst=True, handle_signals=False)
            await worker.run_cron(when - timedelta(seconds=0.5), delay=1)
        queued = await pools[0].zrange(queue.QUEUE_NAME, 0, -1)
    finally:
        for pool in pools:
            await pool.aclose()
    names = sorted(job.decode().rsplit(":", 1)[0] for job in queued)
    assert names == sorted(c.name for c in WorkerSettings.cron_jobs)


async def test_a_tab_whose_socket_is_on_another_process_is_still_followed(redis_url, monkeypatch):
    """A live page's watcher stops when its tab is gone from every process, not from its own."""
    from reflex.utils.token_manager import RedisTokenManager
    import redis.asyncio as aioredis

    here, there = (RedisTokenManager(aioredis.from_url(redis_url)) for _ in range(2))
    app = types.SimpleNamespace(app=types.SimpleNamespace(event_namespace=types.SimpleNamespace(_token_manager=here)))
    monkeypatch.setitem(sys.modules, "dreamsuite.dreamsuite", app)
    try:
        await there.link_token_to_sid("tab-1", "sid-1")
        assert await live.tab_connected("tab-1")
        await there.disconnect_token("tab-1", "sid-1")
        assert not await live.tab_connected("tab-1")
        assert not await live.tab_connected("never-seen")
    finally:
        await here.close()
        await there.close()


async def test_a_tab_reconnecting_after_its_process_died_keeps_its_token(redis_url):
    """Its token (and so its state) stays; a tab copied while the first process lives gets a new one."""
    import redis.asyncio as aioredis
    from reflex.utils.token_manager import RedisTokenManager

    from dreamsuite.state import failover

    dead, alive, survivor = (RedisTokenManager(aioredis.from_url(redis_url)) for _ in range(3))
    app = types.SimpleNamespace(event_namespace=types.SimpleNamespace(_token_manager=survivor))
    beats = [failover.install(app), asyncio.create_task(failover._beat(alive))]
    try:
        # Its process was killed a moment ago: its alive key has not expired yet.
        await dead.redis.set(failover.alive_key(dead.instance_id), b"1", ex=1)
        await dead.link_token_to_sid("tab-a", "sid-1")
        assert await survivor.link_token_to_sid("tab-a", "sid-2") is None
        await alive.link_token_to_sid("tab-b", "sid-3")  # a live tab, copied
        assert await survivor.link_token_to_sid("tab-b", "sid-4") not in (None, "tab-b")
        assert await survivor.redis.exists(failover.alive_key(survivor.instance_id))
    finally:
        for beat in beats:
            beat.cancel()
        for m in (dead, alive, survivor):
            await m.close()


def test_no_tabs_state_keeps_a_plotly_figure_object():
    """Each event loads a tab's state from Redis and saves it back: a plotly Figure in it was
    rebuilt through plotly's validators on every load (~100 ms a chart). Figures live in state
    as plotly's JSON, plain dicts, as the chart builders write them."""
    import plotly.graph_objects as go
    from reflex.state import BaseState

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [c for c in subclasses(BaseState) if c.__module__.startswith("dreamsuite.")]
    assert len(ours) > 20
    found = []
    for cls in ours:
        for name, field in cls.get_fields().items():
            default = field.default_factory() if field.default_factory else field.default
            values = default if isinstance(default, list) else [default]
            if "Figure" in str(field.annotated_type) or any(isinstance(v, go.Figure) for v in values):
                found.append(f"{cls.__name__}.{name}: {field.annotated_type}")
    assert found == []


# ------------------------------------------------------------------ database connections
def test_each_process_pool_follows_its_settings(monkeypatch):
    _settings(monkeypatch, DB_THREADS="6", DB_POOL_SIZE="0", DB_MAX_OVERFLOW="3")
    assert dbmod.pool_limits() == (6, 3)  # by default one connection per database thread
    _settings(monkeypatch, DB_POOL_SIZE="5")
    assert dbmod.pool_limits() == (5, 3)
    assert cluster.connections_needed(backends=3, workers=2) == 5 * (5 + 3)
    eng = dbmod.engine_for("postgresql://nobody@127.0.0.1:1/pool_size_check")
    assert (eng.pool.size(), eng.pool._max_overflow) == (5, 3)
    get_settings.cache_clear()


def test_pools_that_cannot_fit_the_server_refuse_to_start(monkeypatch):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("PostgreSQL not configured (set TEST_DATABASE_URL)")
    _settings(monkeypatch, DATABASE_URL=url, DB_POOL_SIZE="4", DB_MAX_OVERFLOW="1")
    budget, _ = cluster.connection_budget(url)
    assert re.match(rf"PostgreSQL connections: up to 20 of {budget} ", cluster.check(2, 2))
    _settings(monkeypatch, DB_POOL_SIZE=str(budget))
    with pytest.raises(SystemExit, match=r"Set DB_POOL_SIZE=\d+"):
        cluster.check(2, 2)
    _settings(monkeypatch, DATABASE_URL="sqlite:///x.db")
    with pytest.raises(SystemExit, match="need PostgreSQL"):
        cluster.check(2, 2)
    get_settings.cache_clear()


# ------------------------------------------------------------------ the balancer
def _to_app(path: str) -> bool:
    exact, prefixes = cluster.backend_paths()
    return path in exact or path.startswith(tuple(prefixes))


def test_the_balancer_sends_backend_routes_to_the_backends_and_pages_to_the_static_server(monkeypatch):
    _settings(monkeypatch, DREAMSUITE_DEMO="1", MOUNT_SANDBOX="0")
    for path in ("/_event/?EIO=4&transport=websocket", "/ping", "/auth/login", "/oauth/callback/instagram",
                 "/export/posts.csv", "/report", "/api/v1/posts", "/media/thumb/3", "/healthz", "/admin/",
                 "/emulators/spotify/api/v1/me", "/brand/logo-light.svg"):
        assert _to_app(path.split("?")[0]), path
    for path in ("/", "/login", "/dashboard", "/media", "/platforms/youtube", "/assets/app.js", "/favicon.svg"):
        assert not _to_app(path), path
    get_settings.cache_clear()


def test_the_generated_haproxy_configuration_is_valid(tmp_path):
    binary = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin")
    if not binary:
        pytest.skip("haproxy is not installed (make install installs it: apt-get install haproxy)")
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text(cluster.haproxy_config(8600, 8609, [8610, 8611]))
    out = subprocess.run([binary, "-c", "-f", str(cfg)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "server app2 127.0.0.1:8611 check" in cfg.read_text()
