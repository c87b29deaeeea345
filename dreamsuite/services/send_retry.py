"""Waiting out short refusals inside a job, for irreversible sends (a post, a first comment).

Our own rate gate holding a call back sent nothing; a 429 or 5xx the platform answered before
accepting anything is safe to send again under the same idempotency key. Both are waited out
in the job when the wait is short; a longer wait, or a refusal after MAX_SENDS sends, goes up
to the caller (which re-enqueues, or gives up with the platform's message).
"""

from __future__ import annotations

import asyncio
import random
from typing import Awaitable, Callable, TypeVar

from dreamsuite.platforms.base import RateLimited, Throttled, TransientError

T = TypeVar("T")

MAX_SENDS = 4
# The pauses between sends when the platform did not say how long to wait: a 60 s guess would
# make a post a minute late for one refusal.
SEND_BACKOFF = (0.5, 1.0, 2.0)
JITTER = 0.1


async def _pause(seconds: float) -> None:
    # Its own name so a test can watch these pauses without catching every other sleep in the loop.
    await asyncio.sleep(seconds)


async def waiting_out_refusals(send: Callable[[], Awaitable[T]], *, gate_wait: float, platform_wait: float) -> T:
    """`send()` until it answers; `gate_wait` / `platform_wait` are the longest waits worth holding
    the job for, after our gate's refusal and after the platform's."""
    sends = 0
    while True:
        try:
            return await send()
        except Throttled as exc:
            refused, wait, longest = exc, exc.retry_after, gate_wait
        except (RateLimited, TransientError) as exc:
            sends += 1
            if sends >= MAX_SENDS:
                raise
            said = isinstance(exc, RateLimited) and exc.said
            refused, longest = exc, platform_wait
            wait = exc.retry_after if said else SEND_BACKOFF[min(sends, len(SEND_BACKOFF)) - 1]
        if wait > longest:
            raise refused
        # Spread the retries a little (a fifth of the wait, at most JITTER): the pause itself is
        # what the platform or our gate asked for, not a moment more.
        await _pause(wait + random.uniform(0, min(0.2 * wait, JITTER)))
