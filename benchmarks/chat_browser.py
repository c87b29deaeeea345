"""The chat's first streamed chunk as the person sees it: the real app (`reflex run --env prod`,
started as the browser tests start it), the demo artist seeded through the platform emulators,
headless Chromium asking typical questions on the chat page. Each answer is timed in the page
itself (performance.now() and a MutationObserver): from the Send click to the first text of the
answer in the DOM, and to the complete answer (Send back in place of Stop). Target: first chunk
≤ 300 ms p95.

    BENCH_REDIS_URL=redis://127.0.0.1:6391/0 .venv/bin/python -m benchmarks.chat_browser

Needs Chromium and bun, as the browser tests do; takes a minute or two (the app's build).
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = (
    "How did my Instagram grow this week?", "What was my most liked post last month?", "When should I post?",
    "Am I on track for my goals?", "How many followers did I gain all-time?", "Which platform is growing fastest?",
    "Do reels or photos work better?", "How many posts did I publish last week?",
    "Why did my YouTube followers jump?", "my top 5 posts", "How is my engagement?",
    "How many followers do I have?", "What are my YouTube views this month?", "Compare my platforms",
    "Which hashtags work best?", "When will I reach 30k on Instagram?", "How did Spotify do since my release?",
    "What was my worst TikTok video?", "How did my followers grow in October?", "and on Facebook?",
)
PER_CONVERSATION = 5  # a new conversation every few questions, as people start over

# Runs in the page: click Send, then resolve with the times (ms) to the answer's first text and to
# its end (the Send button back), both measured by the browser's clock.
TIME_ONE_ANSWER = """() => new Promise((resolve, reject) => {
    const answers = () => document.querySelectorAll('[data-testid=chat-message-assistant]');
    const before = answers().length;
    let first = null;
    const check = () => {
        const all = answers();
        const now = performance.now();
        if (first === null && all.length > before && all[all.length - 1].textContent.trim().length > 0) {
            first = now - t0;
        }
        if (first !== null && document.querySelector('[data-testid=chat-send]')) {
            observer.disconnect();
            clearTimeout(timer);
            resolve([first, now - t0]);
        }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, {subtree: true, childList: true, characterData: true});
    const timer = setTimeout(() => { observer.disconnect(); reject(new Error('no answer in 60 s')); }, 60000);
    const t0 = performance.now();
    document.querySelector('[data-testid=chat-send]').click();
})"""


def _pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def _summary(label: str, samples: list[float]) -> str:
    return (f"  {label:<34} p50 {statistics.median(samples):7.1f} ms   p95 {_pct(samples, 0.95):7.1f} ms   "
            f"max {max(samples):7.1f} ms   (n={len(samples)})")


def _seed_demo(app) -> None:
    base = str(app)
    env = {**os.environ, "DATABASE_URL": app.db_url, "REDIS_URL": app.redis_url, "APP_URL": base,
           "API_URL": base, "EMULATOR_URL": f"{base}/emulators",
           "EMULATOR_DB": str(Path(app.log).parent / "emulators.db"), "DREAMSUITE_DEMO": "1"}
    done = subprocess.run([sys.executable, "-m", "dreamsuite.seed"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"seeding the demo failed:\n{done.stderr[-2000:]}")


def _ask_all(app) -> tuple[list[float], list[float]]:
    from playwright.sync_api import expect, sync_playwright

    from dreamsuite.seed import DEMO_EMAIL, DEMO_PASSWORD
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, log_in

    firsts, totals = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        page.set_default_timeout(60_000)
        log_in(page, app, DEMO_EMAIL, DEMO_PASSWORD)
        page.goto(f"{app}/chat")
        expect(page.get_by_test_id("chat-suggestion").first).to_be_visible()
        for i, question in enumerate(("Warm-up: how are my numbers?", *QUESTIONS)):
            if i and i % PER_CONVERSATION == 1:
                page.get_by_test_id("chat-new").click()
                expect(page.get_by_test_id("chat-suggestion").first).to_be_visible()
            page.get_by_test_id("chat-input").fill(question)
            first, total = page.evaluate(TIME_ONE_ANSWER)
            if i:  # the first answer warms the app up (imports, compiled statements)
                firsts.append(first)
                totals.append(total)
        browser.close()
    return firsts, totals


def _stored(db_url: str, n: int) -> tuple[list[float], int]:
    """What the server measured for the same answers (question received → first piece), and how
    many of them are not real answers (failed or stopped)."""
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
        rows = conn.execute("SELECT first_chunk_ms, content FROM chat_message WHERE role = 'assistant' "
                            "ORDER BY id DESC LIMIT ?", (n,)).fetchall()
    bad = sum(1 for _, text in rows if "could not be completed" in text or "(Answer stopped.)" in text)
    return [float(r[0]) for r in rows], bad


def main() -> int:
    os.environ.setdefault("DREAMSUITE_SECRET_KEY", "S0m9bH2pZJ1k7rj9x8o0p2ZrWm3dH9q2aQpQ8e4R1cE=")
    os.environ.setdefault("DREAMSUITE_DEMO", "1")
    from tests.browser.conftest import running_app  # the browser tests' own app starter

    redis_url = os.environ.get("BENCH_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6391/0"
    with running_app(redis_url, Path(tempfile.mkdtemp(prefix="chat-browser-")), worker=False) as app:
        _seed_demo(app)
        firsts, totals = _ask_all(app)
        server, bad = _stored(app.db_url, len(firsts))
    print(f"chat in Chromium, demo artist (5 platforms), {len(firsts)} questions, offline analyst:")
    print(_summary("first chunk, click → text in page", firsts))
    print(_summary("first chunk, measured by server", server))
    print(_summary("whole answer, click → Send back", totals))
    print(f"  answers that failed or stopped: {bad}")
    print(f"  target first chunk ≤ 300 ms p95: {'met' if _pct(firsts, 0.95) <= 300 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
