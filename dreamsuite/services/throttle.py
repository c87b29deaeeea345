"""Login and sign-up throttling in Redis (the `limits` library), shared by every app process.

Only failures count against an account; every attempt counts against a client address for
sign-ups. When Redis is unreachable the check lets the attempt through and logs it: an
outage of our cache must not lock every artist out.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time

from limits import parse
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter

from dreamsuite.services.auth import AuthError
from dreamsuite.settings import get_settings

log = logging.getLogger(__name__)

# One limiter per (Redis URL, event loop): its connections belong to the loop that opened them.
_limiters: dict[tuple[str, int], MovingWindowRateLimiter] = {}


def _limiter() -> MovingWindowRateLimiter:
    url = get_settings().redis_url
    key = (url, id(asyncio.get_running_loop()))
    if key not in _limiters:
        storage = RedisStorage("async+" + url, implementation="redispy", key_prefix="dreamsuite-limits",
                               socket_timeout=2, socket_connect_timeout=2)
        _limiters[key] = MovingWindowRateLimiter(storage)
    return _limiters[key]


async def _wait_seconds(limit_text: str, key: str) -> float:
    """0 when another attempt is allowed now, else how long until it is."""
    item = parse(limit_text)
    limiter = _limiter()
    try:
        if await limiter.test(item, "dreamsuite", key):
            return 0.0
        stats = await limiter.get_window_stats(item, "dreamsuite", key)
        return max(1.0, stats.reset_time - time.time())
    except Exception as exc:  # noqa: BLE001 - see the module docstring
        log.warning("throttle check unavailable (%s): allowing the attempt", type(exc).__name__)
        return 0.0


async def _hit(limit_text: str, key: str) -> None:
    try:
        await _limiter().hit(parse(limit_text), "dreamsuite", key)
    except Exception as exc:  # noqa: BLE001
        log.warning("throttle count unavailable (%s)", type(exc).__name__)


def _refuse(seconds: float) -> AuthError:
    minutes = max(1, math.ceil(seconds / 60))
    return AuthError("throttled", minutes=minutes, s="" if minutes == 1 else "s")


async def check_login(email: str, address: str) -> None:
    """Raise AuthError("throttled") while this account or this address must wait."""
    s = get_settings()
    wait = max(await _wait_seconds(s.login_limit_account, f"login:account:{email}"),
               await _wait_seconds(s.login_limit_address, f"login:address:{address}"))
    if wait:
        raise _refuse(wait)


async def login_failed(email: str, address: str) -> None:
    s = get_settings()
    await _hit(s.login_limit_account, f"login:account:{email}")
    await _hit(s.login_limit_address, f"login:address:{address}")


async def login_succeeded(email: str) -> None:
    """The right password ends the account's run of failures (the address keeps its count)."""
    try:
        await _limiter().clear(parse(get_settings().login_limit_account), "dreamsuite", f"login:account:{email}")
    except Exception as exc:  # noqa: BLE001
        log.warning("throttle reset unavailable (%s)", type(exc).__name__)


async def check_signup(address: str, email: str) -> None:
    """Every sign-up attempt counts: per address, and per email (no flooding one inbox)."""
    s = get_settings()
    wait = max(await _wait_seconds(s.signup_limit_address, f"signup:address:{address}"),
               await _wait_seconds("3 per hour", f"signup:email:{email}"))
    if wait:
        raise _refuse(wait)
    await _hit(s.signup_limit_address, f"signup:address:{address}")
    await _hit("3 per hour", f"signup:email:{email}")


async def close() -> None:
    """Forget the limiters opened on the running loop (tests run one loop each)."""
    loop_id = id(asyncio.get_running_loop())
    for key in [k for k in _limiters if k[1] == loop_id]:
        _limiters.pop(key, None)
