"""The chat's first streamed chunk and its whole answer, over typical questions, on a demo-sized
and a heavy workspace (11 accounts × 3 years, 20,000 posts): the offline analyst with its tools
reading the database (target: first chunk ≤ 150 ms p95 on the heavy workspace)."""

from __future__ import annotations

import asyncio
import statistics
import time

QUESTIONS = (
    "How many followers did I gain all-time?", "How did Instagram grow this week?",
    "What was my most liked post last month?", "Which platform is growing fastest?", "When should I post?",
    "Do reels or photos work better?", "How many posts did I publish last week?",
    "Why did my YouTube followers jump?", "my top 5 posts", "How is my engagement?",
)
RUNS = 3  # 10 questions × 3 = 30 answers per workspace


def _p95(samples: list[float]) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


async def _answer(scope, question: str) -> tuple[float, float]:
    from dreamsuite.agents.career import career_agent, model_for
    from dreamsuite.agents.deps import AgentDeps

    t = time.perf_counter()
    first = None
    async with career_agent.run_stream(question, deps=AgentDeps(scope=scope), model=model_for("offline")) as run:
        async for _ in run.stream_text(delta=True, debounce_by=None):
            if first is None:
                first = time.perf_counter() - t
    return first or 0.0, time.perf_counter() - t


async def _measure(label: str, scope) -> None:
    import gc

    await _answer(scope, QUESTIONS[0])  # warm: imports, compiled statements
    gc.collect()
    gc.freeze()  # as the app does once it has started (lifecycle.settle_memory)
    firsts, totals = [], []
    for _ in range(RUNS):
        for q in QUESTIONS:
            f, t = await _answer(scope, q)
            firsts.append(f)
            totals.append(t)
    print(f"  {label:<44} first chunk median {statistics.median(firsts) * 1000:6.1f} ms  p95 "
          f"{_p95(firsts) * 1000:6.1f} ms   whole answer p95 {_p95(totals) * 1000:6.1f} ms")


def run(label: str) -> None:
    from benchmarks.dashboard import PLATFORMS, make_workspace

    print(f"[{label}] chat, {len(QUESTIONS) * RUNS} answers of the offline analyst per workspace:")
    demo = make_workspace("chatdemo", ("instagram", "youtube", "spotify", "tiktok", "facebook"), 365, 900)
    heavy = make_workspace("chatheavy", PLATFORMS, 3 * 365, 20_000)
    asyncio.run(_measure("demo size (5 accounts × 1 year)", demo))
    asyncio.run(_measure("heavy (11 accounts × 3 years, 20k posts)", heavy))
