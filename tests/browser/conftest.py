"""The real app for browser tests: `reflex run --env prod --single-port` on a free port with
its own SQLite file, the test Redis and an arq worker, driven by Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

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


class LiveApp(str):
    """The app's base URL, with where its outbox and log are."""

    def __new__(cls, base: str, mail_dir: Path, log: Path):
        obj = super().__new__(cls, base)
        obj.mail_dir, obj.log = mail_dir, log
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


@pytest.fixture
def live_app(redis_url, tmp_path):
    if not Path(CHROMIUM).exists():
        _missing("Chromium is not installed (make test installs it: apt-get install chromium)")
    tools = Path(ROOT) / ".tools" / "bin"
    if not (shutil.which("bun") or (tools / "bun").exists()):
        _missing("bun is not installed (make test installs it into .tools/bin)")
    port = free_port()
    # 127.0.0.1, not localhost: the server binds IPv4 only and httpx does not fall back from ::1.
    base = f"http://127.0.0.1:{port}"
    db_url = "sqlite:///" + str(tmp_path / "journey.db")
    migrate(db_url)
    env = {
        **os.environ,
        "PATH": f"{tools}:{BIN}:{os.environ.get('PATH', '')}",
        "DATABASE_URL": db_url, "REDIS_URL": redis_url,
        "APP_URL": base, "API_URL": base, "SANDBOX_URL": "",
        "DREAMSUITE_MODEL": "offline", "DREAMSUITE_DEMO": "1", "MAIL_DIR": str(tmp_path / "mail"),
        # Any database call left on the event loop fails the journey instead of stalling the app.
        "DB_LOOP_GUARD": "raise",
    }
    env.pop("REFLEX_REDIS_URL", None)
    app_log, worker_log = tmp_path / "app.log", tmp_path / "worker.log"
    app = subprocess.Popen(
        [str(BIN / "reflex"), "run", "--env", "prod", "--single-port", "--frontend-port", str(port)],
        cwd=ROOT, env=env, stdout=app_log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    worker = subprocess.Popen(
        [str(BIN / "arq"), "workers.main.WorkerSettings"],
        cwd=ROOT, env=env, stdout=worker_log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        _wait_ready(base, app, app_log)
        yield LiveApp(base, tmp_path / "mail", app_log)
    finally:
        _stop(worker)
        _stop(app)


@pytest.fixture
def page(live_app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900}, timezone_id="Europe/Paris")
        pg = context.new_page()
        pg.set_default_timeout(20_000)
        yield pg
        artifacts = Path(ROOT) / "artifacts"
        artifacts.mkdir(exist_ok=True)
        pg.screenshot(path=str(artifacts / "journey-last.png"), full_page=True)
        browser.close()
