"""Two app processes and two workers behind HAProxy (scripts/cluster.sh) on PostgreSQL and
Redis, in Chromium: the backend holding the tab's websocket is killed; the tab reconnects to the
other one with its state and login intact, keeps working, and a sync a worker finishes still
updates it. Screenshots: artifacts/cluster-*.png."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import psutil
import pytest
import redis as redis_sync
from playwright.sync_api import expect
from sqlalchemy import text

from dreamsuite import db
from dreamsuite.settings import get_settings
from tests.browser import seed
from tests.browser.conftest import _check_tools, _missing, log_in
from tests.browser.test_dashboard import (DEMO_EMAIL, DEMO_PASSWORD, NUMBER, _lower_todays_spotify,
                                          _workspace_of_demo)
from tests.conftest import ROOT, free_port

pytestmark = pytest.mark.browser
ARTIFACTS = Path(ROOT) / "artifacts"
STARTUP_SECONDS = 420


def _haproxy() -> None:
    if not any(Path(d, "haproxy").exists() for d in os.environ.get("PATH", "").split(":") + ["/usr/sbin"]):
        _missing("haproxy is not installed (make install installs it: apt-get install haproxy)")


def _fresh_database(test_url: str) -> str:
    """A database of the cluster's own beside the tests' one (its processes keep connections open)."""
    base, name = test_url.rsplit("/", 1)
    url = f"{base}/{name}_cluster"
    with db.engine_for(f"{base}/postgres").execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}_cluster" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}_cluster"'))
    return url


def _free_block(size: int) -> int:
    """The first of `size` consecutive free ports (balancer, static server, the backends)."""
    while True:
        first, held = free_port(), []
        try:
            for port in range(first, first + size):
                s = socket.socket()
                held.append(s)
                s.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for s in held:
                s.close()


def _logs(folder: Path) -> str:
    return "\n".join(f"--- {f.name}\n{f.read_text()[-1500:]}" for f in sorted(folder.glob("*.log")))


class Cluster:
    def __init__(self, base: str, logs: Path, backend_ports: list[int], db_url: str, redis_url: str):
        self.base, self.logs, self.backend_ports, self.db_url, self.redis_url = \
            base, logs, backend_ports, db_url, redis_url

    def websocket_ports(self) -> dict[int, int]:
        """Open connections per backend port (the balancer's plain requests close at once; a
        tab's websocket stays)."""
        counts = {p: 0 for p in self.backend_ports}
        for c in psutil.net_connections(kind="tcp"):
            if c.status == psutil.CONN_ESTABLISHED and c.laddr and c.laddr.port in counts:
                counts[c.laddr.port] += 1
        return counts

    def kill_backend(self, port: int) -> None:
        i = self.backend_ports.index(port) + 1
        os.killpg(int((self.logs / f"app{i}.pid").read_text()), signal.SIGKILL)


@pytest.fixture(scope="module")
def cluster(_redis_server, tmp_path_factory):
    _check_tools()
    _haproxy()
    test_db = os.environ.get("TEST_DATABASE_URL")
    if not test_db:
        _missing("PostgreSQL not configured (set TEST_DATABASE_URL): several processes need it")
    db_url = _fresh_database(test_db)
    redis_url = f"{_redis_server.rsplit('/', 1)[0]}/{os.environ.get('TEST_REDIS_DB', '9')}"
    redis_sync.Redis.from_url(redis_url).flushdb()
    tmp = tmp_path_factory.mktemp("cluster")
    port = _free_block(4)
    first_backend = port + 2
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": db_url, "REDIS_URL": redis_url, "PORT": str(port),
           "STATIC_PORT": str(port + 1), "BACKEND_PORT": str(first_backend), "APP_URL": base,
           "CLUSTER_LOGS": str(tmp / "logs"), "EMULATOR_DB": str(tmp / "emulators.db"),
           "MAIL_DIR": str(tmp / "mail"), "DREAMSUITE_DEMO": "1", "DREAMSUITE_MODEL": "offline",
           "DB_LOOP_GUARD": "raise", "DB_POOL_SIZE": "4"}
    env.pop("REFLEX_REDIS_URL", None)
    out = tmp / "cluster.log"
    proc = subprocess.Popen([str(Path(ROOT) / "scripts" / "cluster.sh"), "2", "2"], cwd=ROOT, env=env,
                            stdout=out.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while "Ctrl-C stops everything" not in out.read_text():
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the cluster did not start:\n{out.read_text()[-1500:]}\n{_logs(tmp / 'logs')}")
            time.sleep(1)
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("DATABASE_URL", db_url)
            mp.setenv("REDIS_URL", redis_url)
            get_settings.cache_clear()
            yield Cluster(base, tmp / "logs", [first_backend, first_backend + 1], db_url, redis_url)
    finally:
        get_settings.cache_clear()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # the script stops everything it started
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def _until(check, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while not (result := check()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)
    return result


def test_the_tab_survives_the_death_of_the_backend_holding_its_websocket(cluster, new_context):
    workspace_id = seed.off_loop(_workspace_of_demo)
    spotify, before = seed.off_loop(_lower_todays_spotify, workspace_id, 1000)
    context = new_context()
    page = context.new_page()
    log_in(page, cluster.base, DEMO_EMAIL, DEMO_PASSWORD)
    followers = page.get_by_test_id("stat-followers")
    expect(followers).to_have_text(NUMBER, timeout=30_000)
    shown = int(followers.inner_text().replace(",", ""))

    # Some state of this tab's own: a range and a hidden platform.
    page.get_by_test_id("range-30d").click()
    expect(page.get_by_test_id("range-label")).to_contain_text("(30 days)", timeout=20_000)
    page.get_by_test_id("toggle-youtube").click()
    expect(page.get_by_test_id("toggle-youtube")).to_have_attribute("aria-pressed", "false", timeout=20_000)

    holding = _until(lambda: [p for p, n in cluster.websocket_ports().items() if n])
    assert len(holding) == 1, cluster.websocket_ports()
    cluster.kill_backend(holding[0])
    [survivor] = [p for p in cluster.backend_ports if p != holding[0]]

    # The tab reconnects through the balancer to the other backend, which reads its state from Redis.
    _until(lambda: cluster.websocket_ports()[survivor] > 0, 30)
    expect(page.get_by_test_id("reconnecting")).to_have_count(0, timeout=30_000)
    assert page.url.rstrip("/").endswith("/dashboard"), page.url  # still logged in: no trip to the login page
    expect(page.get_by_test_id("range-label")).to_contain_text("(30 days)", timeout=20_000)
    expect(page.get_by_test_id("toggle-youtube")).to_have_attribute("aria-pressed", "false", timeout=20_000)
    page.get_by_test_id("range-7d").click()  # and it keeps working
    expect(page.get_by_test_id("range-label")).to_contain_text("(7 days)", timeout=20_000)
    page.screenshot(path=str(ARTIFACTS / "cluster-after-failover.png"), full_page=True, animations="disabled")

    # "Sync now" in another tab: a worker collects and announces; the surviving backend's watcher
    # of the first tab hears it and the numbers move without a reload.
    seed.wait_for_listeners(cluster.redis_url, workspace_id, 1, timeout=30)
    other = context.new_page()
    other.goto(f"{cluster.base}/connections")
    card = other.get_by_test_id("platform-card-spotify")
    card.get_by_test_id("sync-spotify").click()
    expect(card.get_by_test_id("sync-progress")).to_contain_text("Synced just now", timeout=90_000)
    expect(followers).to_have_text(f"{shown + 1000:,}", timeout=30_000)
    expect(page.get_by_test_id("platform-row-spotify")).to_contain_text(f"{before:,}")
    page.bring_to_front()
    page.screenshot(path=str(ARTIFACTS / "cluster-synced.png"), full_page=True, animations="disabled")
