"""The question set (tests/question_set.py) on the seeded demo artist and on a workspace of
another shape: every question calls the tools it needs and its answer holds the figures the
database gives. A failure lists each wrong answer with what it lacked."""

import pytest

from tests.question_set import QUESTIONS, build_second, demo_scope, evaluate, report, share

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]


def test_the_set_covers_every_category_with_eighty_questions_or_more():
    assert len(QUESTIONS) >= 80
    assert len({q.category for q in QUESTIONS}) >= 10


async def test_every_question_on_the_demo_and_on_a_second_shape(db, redis_url, emulators):
    from dreamsuite import seed
    from dreamsuite.db import run

    await seed.seed()
    demo, demo_today = await run(demo_scope)
    second, second_today = await run(build_second)
    results = {"demo": await evaluate(demo, demo_today), "second": await evaluate(second, second_today)}
    wrong = {name: report(out) for name, out in results.items() if not all(o.correct for o in out)}
    assert not wrong, "\n".join(f"{name} {share(results[name])}:\n{text}" for name, text in wrong.items())
