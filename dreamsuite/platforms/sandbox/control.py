"""Failure injection for tests: make the sandbox fail, rate-limit or hang on demand.

`POST /_control/fail` {"status": 429|500|503|401, "times": n, "path": prefix, "retry_after": s,
                      "retry_after_date": s}  (Retry-After as delay-seconds, or as the HTTP date s from now)
`POST /_control/hang` {"seconds": s, "times": n, "path": prefix, "after_effect": bool}
`POST /_control/chaos` {"latency": s, "rate_429": p, "without_retry_after": share, "retry_after": s,
                       "path": prefix, "seed": n}  every matching request waits `latency`, and a
                       share `rate_429` of them is refused with 429 (a share of those without
                       Retry-After); seeded, so a benchmark run can be repeated
`POST /_control/reset` clears every rule (and published posts).
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


@dataclass
class Rule:
    times: int
    path: str = ""
    status: int = 500
    retry_after: float | None = None
    retry_after_date: float | None = None
    seconds: float = 0.0
    after_effect: bool = False
    body: str | None = None  # a raw body instead of an error (e.g. "{not json" for a malformed answer)

    def matches(self, path: str) -> bool:
        return self.times > 0 and path.startswith(self.path)


@dataclass
class Chaos:
    latency: float = 0.0
    rate_429: float = 0.0
    without_retry_after: float = 0.5
    retry_after: float = 1.0
    path: str = ""
    rng: random.Random | None = None

    def roll(self) -> float:
        return (self.rng or random).random()


class Control:
    def __init__(self, render=None) -> None:
        """`render(status, headers)` answers an injected error in a platform's own error shape."""
        self.fails: list[Rule] = []
        self.hangs: list[Rule] = []
        self.chaos: Chaos | None = None
        self.render = render

    def reset(self) -> None:
        self.fails.clear()
        self.hangs.clear()
        self.chaos = None

    def _take(self, rules: list[Rule], path: str, after_effect: bool | None = None) -> Rule | None:
        for rule in rules:
            if rule.matches(path) and (after_effect is None or rule.after_effect == after_effect):
                rule.times -= 1
                return rule
        return None

    async def before(self, path: str) -> Response | None:
        """Applied to every request before its handler: a hang, then maybe an injected error."""
        hang = self._take(self.hangs, path, after_effect=False)
        if hang:
            await asyncio.sleep(hang.seconds)
        chaos = self.chaos
        if chaos is not None and path.startswith(chaos.path):
            if chaos.latency:
                await asyncio.sleep(chaos.latency)
            if chaos.roll() < chaos.rate_429:
                bare = chaos.roll() < chaos.without_retry_after
                return self._error(Rule(times=0, status=429, retry_after=None if bare else chaos.retry_after))
        fail = self._take(self.fails, path)
        if fail is None:
            return None
        return self._error(fail)

    def _error(self, fail: Rule) -> Response:
        headers = {}
        if fail.retry_after is not None:
            headers["Retry-After"] = str(int(fail.retry_after))
        elif fail.retry_after_date is not None:
            when = datetime.now(UTC) + timedelta(seconds=fail.retry_after_date)
            headers["Retry-After"] = format_datetime(when, usegmt=True)
        if fail.body is not None:
            return Response(fail.body, status_code=fail.status, headers=headers, media_type="application/json")
        if self.render is not None:
            return self.render(fail.status, headers)
        body = {
            401: {"error": "invalid_token", "error_description": "The access token was revoked"},
            429: {"error": "rate_limited", "error_description": "Too many requests"},
        }.get(fail.status, {"error": "server_error", "error_description": f"Injected failure {fail.status}"})
        return JSONResponse(body, status_code=fail.status, headers=headers)

    async def after_effect(self, path: str) -> None:
        """Called by effectful handlers once the effect is done: simulates a lost answer."""
        hang = self._take(self.hangs, path, after_effect=True)
        if hang:
            await asyncio.sleep(hang.seconds)


async def _json(request: Request) -> dict:
    try:
        body = await request.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def routes(control: Control, on_reset) -> list[Route]:
    async def reset(request: Request) -> Response:
        control.reset()
        on_reset()
        return JSONResponse({"ok": True})

    async def fail(request: Request) -> Response:
        b = await _json(request)
        status = int(b.get("status", 500))
        retry, retry_date = b.get("retry_after"), b.get("retry_after_date")
        control.fails.append(Rule(times=int(b.get("times", 1)), path=str(b.get("path", "")), status=status,
                                  retry_after=float(retry) if retry is not None else None,
                                  retry_after_date=float(retry_date) if retry_date is not None else None,
                                  body=b.get("body") if isinstance(b.get("body"), str) else None))
        return JSONResponse({"ok": True})

    async def hang(request: Request) -> Response:
        b = await _json(request)
        control.hangs.append(Rule(times=int(b.get("times", 1)), path=str(b.get("path", "")),
                                  seconds=float(b.get("seconds", 5)), after_effect=bool(b.get("after_effect"))))
        return JSONResponse({"ok": True})

    async def chaos(request: Request) -> Response:
        b = await _json(request)
        control.chaos = Chaos(latency=float(b.get("latency", 0)), rate_429=float(b.get("rate_429", 0)),
                              without_retry_after=float(b.get("without_retry_after", 0.5)),
                              retry_after=float(b.get("retry_after", 1)), path=str(b.get("path", "")),
                              rng=random.Random(b["seed"]) if "seed" in b else None)
        return JSONResponse({"ok": True})

    return [
        Route("/_control/reset", reset, methods=["POST"]),
        Route("/_control/chaos", chaos, methods=["POST"]),
        Route("/_control/fail", fail, methods=["POST"]),
        Route("/_control/hang", hang, methods=["POST"]),
    ]
