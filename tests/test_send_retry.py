"""Waiting out refusals inside a send: the pause is the one asked for, spread by a little only."""

from __future__ import annotations

import pytest

from dreamsuite.platforms.base import RateLimited, Throttled
from dreamsuite.services import send_retry


@pytest.fixture
def pauses(monkeypatch) -> list[float]:
    taken: list[float] = []

    async def sleep(seconds: float) -> None:
        taken.append(seconds)

    monkeypatch.setattr(send_retry, "_pause", sleep)
    return taken


def _refusing(*errors):
    left = list(errors)

    async def send():
        if left:
            raise left.pop(0)
        return "sent"

    return send


@pytest.mark.parametrize("wait", [0.05, 0.3, 1.0, 4.0])
async def test_a_gate_or_platform_wait_is_kept_to_with_at_most_a_little_spread(pauses, wait):
    send = _refusing(Throttled("held by our gate", retry_after=wait), RateLimited("429", retry_after=wait))
    assert await send_retry.waiting_out_refusals(send, gate_wait=5, platform_wait=5) == "sent"
    assert len(pauses) == 2
    for taken in pauses:  # never early; late by a fifth of the wait at most, and never past JITTER
        assert wait <= taken <= wait + min(0.2 * wait, send_retry.JITTER)


async def test_a_429_without_retry_after_backs_off_by_the_steps(pauses):
    bare = [RateLimited("429", retry_after=60, said=False) for _ in range(3)]
    assert await send_retry.waiting_out_refusals(_refusing(*bare), gate_wait=5, platform_wait=5) == "sent"
    for step, taken in zip(send_retry.SEND_BACKOFF, pauses):
        assert step <= taken <= step + send_retry.JITTER


async def test_a_wait_longer_than_the_job_holds_goes_up_to_the_caller(pauses):
    with pytest.raises(RateLimited):
        await send_retry.waiting_out_refusals(_refusing(RateLimited("429", retry_after=30)), gate_wait=5,
                                              platform_wait=5)
    assert pauses == []
