"""The real app for browser tests: `reflex run --env prod --single-port` on a free port with
its own SQLite file, the test Redis and an arq worker, driven by Debian's Chromium."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest
import redis as redis_sync

from dreamsuite.settings import get_settings
from tests.conftest import ROOT, free_port, migrate

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BIN = Path(ROOT) / ".venv" / "bin"
STARTUP_SECONDS = 240


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)  # its own process group: reflex, granian and bun
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


def _wait_ready(base: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the app exited early:\n{log.read_text()[-3000:]}")
        try:
            if (httpx.get(f"{base}/healthz", timeout=2).status_code == 200
                    and httpx.get(f"{base}/login", timeout=2, follow_redirects=True).status_code == 200):
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    pytest.fail(f"the app did not start in {STARTUP_SECONDS}s:\n{log.read_text()[-3000:]}")


def _missing(reason: str) -> None:
    # `make test` installs both; under CI a missing one is a broken setup, not a reason to skip.
    (pytest.fail if os.environ.get("CI") else pytest.skip)(reason)


class TcpProxy:
    """A TCP relay in front of the app: `down()` drops every connection and closes each new one
    at once, as an unreachable server would look to the browser (`refused` counts those
    attempts); `up()` relays again."""

    def __init__(self, target_port: int):
        self.port, self.target = free_port(), target_port
        self.refused = 0
        self._down = False
        self._conns: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", self.port))
        self._server.listen(128)
        self._server.settimeout(0.1)
        self._running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def down(self) -> None:
        self._down = True
        with self._lock:
            conns, self._conns = list(self._conns), set()
        for conn in conns:
            self._close(conn)

    def up(self) -> None:
        self._down = False

    def close(self) -> None:
        self._running = False
        self.down()
        self._server.close()

    @staticmethod
    def _close(conn: socket.socket) -> None:
        with contextlib.suppress(OSError):
            conn.shutdown(socket.SHUT_RDWR)
        conn.close()

    def _accept(self) -> None:
        while self._running:
            try:
                client, _ = self._server.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            client.settimeout(None)
            if self._down:
                self.refused += 1
                self._close(client)
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for conn in (src, dst):
                with self._lock:
                    self._conns.discard(conn)
                self._close(conn)


class LiveApp(str):
    """The app's base URL, with where its outbox, log, database and Redis are."""

    def __new__(cls, base: str, mail_dir: Path, log: Path, db_url: str = "", redis_url: str = "",
                proxy: "TcpProxy | None" = None):
        obj = super().__new__(cls, base)
        obj.mail_dir, obj.log, obj.db_url, obj.redis_url, obj.proxy = mail_dir, log, db_url, redis_url, proxy
        return obj

    def link_in_mail_to(self, email: str) -> str:
        """The link in the newest message the app "sent" to `email` (its outbox: no mail server here)."""
        import re
        from email import message_from_bytes, policy

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for path in sorted(self.mail_dir.glob("*.eml"), reverse=True):
                msg = message_from_bytes(path.read_bytes(), policy=policy.default)
                if msg["To"] == email:
                    return re.search(r"https?://\S+", msg.get_content()).group(0)
            time.sleep(0.2)
        raise AssertionError(f"no mail to {email} in {self.mail_dir}")


def _check_tools() -> Path:
    if not Path(CHROMIUM).exists():
        _missing("Chromium is not installed (make test installs it: apt-get install chromium)")
    tools = Path(ROOT) / ".tools" / "bin"
    if not (shutil.which("bun") or (tools / "bun").exists()):
        _missing("bun is not installed (make test installs it into .tools/bin)")
    return tools


def _start_ids_at_random(db_url: str) -> None:
    """Redis pub/sub ignores database numbers: other apps on the same Redis server (other test
    runs) announce on `workspace:1`, `workspace:2`... too. A placeholder workspace with a random
    large id makes this app's workspaces (numbered after it) ones nobody else announces on."""
    import random

    from sqlmodel import Session

    from dreamsuite.db import engine_for
    from dreamsuite.models import Workspace

    with Session(engine_for(db_url)) as s:
        s.add(Workspace(id=random.randint(10**6, 10**9), name="(placeholder: ids start after it)"))
        s.commit()


@contextlib.contextmanager
def running_app(redis_url: str, tmp_path: Path, *, worker: bool = True, proxy: bool = False,
                extra_env: dict[str, str] | None = None) -> Iterator[LiveApp]:
    """The app (and, with `worker`, an arq worker) on free ports, with its own database and outbox.

    With `proxy` the browser reaches it through a TCP proxy of ours (`app.proxy`), so a test
    can cut the connection and bring it back as a network outage would. `extra_env` adds settings.
    """
    tools = _check_tools()
    port = free_port()
    front = TcpProxy(port) if proxy else None
    # 127.0.0.1, not localhost: the server binds IPv4 only and httpx does not fall back from ::1.
    direct = f"http://127.0.0.1:{port}"
    base = f"http://127.0.0.1:{front.port}" if front else direct
    db_url = "sqlite:///" + str(tmp_path / "journey.db")
    migrate(db_url)
    _start_ids_at_random(db_url)
    env = {
        **os.environ,
        "PATH": f"{tools}:{BIN}:{os.environ.get('PATH', '')}",
        "DATABASE_URL": db_url, "REDIS_URL": redis_url,
        "APP_URL": base, "API_URL": base, "SANDBOX_URL": "",
        "DREAMSUITE_MODEL": "offline", "DREAMSUITE_DEMO": "1", "MAIL_DIR": str(tmp_path / "mail"),
        # The platform emulators are served by the app itself (as under `make run`), own store.
        "EMULATOR_URL": f"{base}/emulators", "EMULATOR_DB": str(tmp_path / "emulators.db"),
        # Any database call left on the event loop fails the journey instead of stalling the app.
        "DB_LOOP_GUARD": "raise",
        **(extra_env or {}),
    }
    env.pop("REFLEX_REDIS_URL", None)
    if front:
        env["REFLEX_API_URL"] = base  # the pages' websocket goes through the proxy too
    app_log, worker_log = tmp_path / "app.log", tmp_path / "worker.log"
    procs = [subprocess.Popen(
        [str(BIN / "reflex"), "run", "--env", "prod", "--single-port", "--frontend-port", str(port)],
        cwd=ROOT, env=env, stdout=app_log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )]
    if worker:
        procs.append(subprocess.Popen(
            [str(BIN / "arq"), "workers.main.WorkerSettings"],
            cwd=ROOT, env=env, stdout=worker_log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        ))
    try:
        _wait_ready(direct, procs[0], app_log)
        yield LiveApp(base, tmp_path / "mail", app_log, db_url=db_url, redis_url=redis_url, proxy=front)
    finally:
        for proc in reversed(procs):
            _stop(proc)
        if front:
            front.close()


@pytest.fixture
def live_app(redis_url, tmp_path):
    with running_app(redis_url, tmp_path) as app:
        yield app


@pytest.fixture(scope="module")
def module_app(request, _redis_server, tmp_path_factory):
    """One app for a whole test module (each start costs half a minute); its tests make their own
    users. The test process's DATABASE_URL and REDIS_URL point at the app's, so tests can write
    rows and announce events the way the app's services do. A module sets APP_BEHIND_PROXY = True
    to reach the app through `app.proxy`, APP_ENV = {...} for settings of its own, and
    APP_WORKER = True for an arq worker beside it; without one, tests write what a worker would."""
    redis_url = f"{_redis_server.rsplit('/', 1)[0]}/{os.environ.get('TEST_REDIS_DB', '9')}"
    redis_sync.Redis.from_url(redis_url).flushdb()
    tmp_path = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
    with pytest.MonkeyPatch.context() as mp, running_app(
            redis_url, tmp_path, worker=getattr(request.module, "APP_WORKER", False),
            proxy=getattr(request.module, "APP_BEHIND_PROXY", False),
            extra_env=getattr(request.module, "APP_ENV", None)) as app:
        mp.setenv("DATABASE_URL", app.db_url)
        mp.setenv("REDIS_URL", redis_url)
        get_settings.cache_clear()
        try:
            yield app
        finally:
            get_settings.cache_clear()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    _check_tools()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def watch_csp(context) -> list[str]:
    """Every Content Security Policy violation any page of `context` reports, as it happens."""
    seen: list[str] = []
    context.add_init_script("""document.addEventListener('securitypolicyviolation', e =>
        console.error(`Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI}`));""")
    context.on("console", lambda msg: seen.append(f"{msg.page.url if msg.page else '?'}: {msg.text}")
               if "Content Security Policy" in msg.text else None)
    return seen


@pytest.fixture
def new_context(browser, request):
    """Opens browser contexts (a person's browser: cookies, tabs); each fails the test on any
    CSP violation, and the last page of each is saved to artifacts/ when the test ends."""
    opened: list[tuple[object, list[str]]] = []

    def make(width: int = 1400, height: int = 900, **kwargs):
        context = browser.new_context(viewport={"width": width, "height": height}, timezone_id="Europe/Paris",
                                      **kwargs)
        context.set_default_timeout(20_000)
        context.csp_violations = watch_csp(context)  # a test may check (and empty) it itself
        opened.append((context, context.csp_violations))
        return context

    yield make
    artifacts = Path(ROOT) / "artifacts"
    artifacts.mkdir(exist_ok=True)
    violations = []
    for i, (context, seen) in enumerate(opened):
        if context.pages:
            with contextlib.suppress(Exception):
                context.pages[-1].screenshot(path=str(artifacts / f"{request.node.name}-{i}.png"))
        violations += seen
        context.close()
    assert not violations, "Content Security Policy violations:\n" + "\n".join(violations)


def log_in(page, base: str, email: str, password: str) -> None:
    """Log in through the login form (a real form post that sets the HttpOnly cookie)."""
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(re.compile(r"/dashboard"))


@pytest.fixture
def page(live_app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900}, timezone_id="Europe/Paris")
        csp_violations = watch_csp(context)
        pg = context.new_page()
        pg.set_default_timeout(20_000)
        yield pg
        artifacts = Path(ROOT) / "artifacts"
        artifacts.mkdir(exist_ok=True)
        pg.screenshot(path=str(artifacts / "journey-last.png"), full_page=True)
        browser.close()
        # The pages work under our Content-Security-Policy: nothing they need is refused.
        assert not csp_violations, "Content Security Policy violations:\n" + "\n".join(csp_violations)
