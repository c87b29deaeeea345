"""What every adapter does over HTTP, written once: base URLs from settings, a call mapped onto
the error taxonomy, rate-limit headers read on every answer, pagination to the end with a
bound, and the rate gate that holds limits across workers.

Each platform overrides only what is its own: `classify` (its error envelope, e.g. Deezer's
errors inside a 200, Meta's rate-limit codes inside a 400), `read_usage` (Meta's
x-app-usage, X's x-rate-limit-*), and `error_message`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, AsyncIterator, Awaitable, Callable, Protocol

import httpx

from dreamsuite.platforms.errors import (
    AuthExpired,
    Malformed,
    OutcomeUnknown,
    PermanentError,
    PermissionMissing,
    PlatformError,
    RateLimited,
    TransientError,
)
from dreamsuite.settings import get_settings

MAX_PAGES = 200  # a guard against a cursor that never ends


@dataclass(frozen=True)
class Usage:
    """What an answer said about our limits: the share used (0..1), when the window resets,
    and for how long the platform wants us to wait."""

    used: float | None = None
    reset_in: float | None = None
    retry_after: float | None = None


class RateGate(Protocol):
    """Holds a platform's limits across every worker (see services/ratelimits.py)."""

    async def before(self, platform: str, key: str, cost: int) -> None: ...

    async def after(self, platform: str, key: str, cost: int, usage: Usage | None) -> None: ...


class OpenGate:
    """No limits held (unit tests, one-off calls)."""

    async def before(self, platform: str, key: str, cost: int) -> None:
        return None

    async def after(self, platform: str, key: str, cost: int, usage: Usage | None) -> None:
        return None


class HttpMixin:
    name: str
    label: str
    hosts: dict[str, str]

    def __init__(self, gate: RateGate | None = None):
        self.gate: RateGate = gate or OpenGate()

    def url(self, host: str, path: str = "") -> str:
        """`path` on one of the platform's hosts, at the base URL settings give for it."""
        return get_settings().platform_url(self.name, host, self.hosts[host]) + path

    async def request_json(
        self,
        client: httpx.AsyncClient,
        method: str,
        url: str,
        token: str | None = None,
        *,
        sends_effect: bool = False,
        account_key: str = "",
        cost: int = 1,
        **kwargs: Any,
    ) -> Any:
        """One HTTP call mapped onto the error taxonomy.

        `sends_effect=True` marks an irreversible call (publishing): a timeout after the
        request went out becomes OutcomeUnknown rather than a retryable TransientError.
        `account_key` names whose limits the call counts against (the gate holds them).
        """
        response = await self.send(client, method, url, token, sends_effect=sends_effect, account_key=account_key,
                                   cost=cost, **kwargs)
        return self.parse_response(response)

    async def send(self, client: httpx.AsyncClient, method: str, url: str, token: str | None = None, *,
                   sends_effect: bool = False, account_key: str = "", cost: int = 1, **kwargs: Any) -> httpx.Response:
        """The raw answer (for uploads and redirects); errors of the transport already mapped."""
        headers = dict(kwargs.pop("headers", {}) or {})
        if token:
            headers.setdefault("Authorization", f"Bearer {token}")
        await self.gate.before(self.name, account_key, cost)
        resp: httpx.Response | None = None
        try:
            resp = await client.request(method, url, headers=headers, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            # Never reached the platform (no connection, or none free in our pool): safe to
            # retry even for a publish.
            raise TransientError(f"{self.label} could not be reached: {type(exc).__name__}") from exc
        except httpx.TimeoutException as exc:
            if sends_effect:
                raise OutcomeUnknown(
                    f"{self.label} did not answer after the post was sent; check the account before retrying"
                ) from exc
            raise TransientError(f"{self.label} timed out") from exc
        except httpx.TransportError as exc:
            if sends_effect:
                raise OutcomeUnknown(f"The connection to {self.label} broke after the post was sent") from exc
            raise TransientError(f"{self.label} connection failed: {type(exc).__name__}") from exc
        finally:  # the gate hears of every call, answered or not (it frees the call's slot)
            await self.gate.after(self.name, account_key, cost, self.read_usage(resp) if resp is not None else None)
        return resp

    # ------------------------------------------------------------ answers
    def body_of(self, resp: httpx.Response) -> Any:
        if not resp.content:
            return {}
        try:
            return resp.json()
        except ValueError:
            return None

    def parse_response(self, resp: httpx.Response) -> Any:
        body = self.body_of(resp)
        error = self.classify(resp, body)
        if error is not None:
            raise error
        if resp.status_code >= 300:
            raise self.default_error(resp)
        if body is None:
            raise Malformed(f"{self.label} sent a response that is not JSON")
        return body

    def classify(self, resp: httpx.Response, body: Any) -> PlatformError | None:
        """The platform's own error envelope, mapped (None: nothing special; status codes decide)."""
        return None

    def default_error(self, resp: httpx.Response) -> PlatformError:
        status = resp.status_code
        message = self.error_message(resp)
        if status == 401:
            return AuthExpired(f"{self.label} rejected the access token: {message}", status=status)
        if status == 429:
            usage = self.read_usage(resp)
            wait = usage.retry_after if usage and usage.retry_after else (usage.reset_in if usage else None)
            return RateLimited(f"{self.label} rate limit: {message}", retry_after=max(1.0, wait or 60.0), status=status,
                               said=bool(wait))
        if status >= 500:
            return TransientError(f"{self.label} server error {status}: {message}", status=status)
        if status == 403:
            return PermissionMissing(f"{self.label} refused the request (403): {message}", status=status)
        return PermanentError(f"{self.label} refused the request ({status}): {message}", status=status)

    def error_message(self, resp: httpx.Response) -> str:
        """The platform's own error text; adapters override for their error envelope."""
        body = self.body_of(resp)
        if body is None:
            return (resp.text or resp.reason_phrase or "").strip()[:300]
        if isinstance(body, dict):
            err = body.get("error")
            if isinstance(err, dict):
                return str(err.get("message") or err)[:300]
            if err:
                desc = body.get("error_description")
                return f"{err}: {desc}"[:300] if desc else str(err)[:300]
            for key in ("message", "detail", "title"):
                if body.get(key):
                    return str(body[key])[:300]
        return str(body)[:300]

    def read_usage(self, resp: httpx.Response) -> Usage | None:
        """Retry-After, and the common x-rate-limit-limit/remaining/reset headers."""
        retry = retry_after(resp)
        limit, remaining, reset = (resp.headers.get(f"x-rate-limit-{k}") for k in ("limit", "remaining", "reset"))
        used = reset_in = None
        try:
            if limit and remaining is not None:
                used = 1 - float(remaining) / max(1.0, float(limit))
            if reset:
                reset_in = max(0.0, float(reset) - datetime.now(UTC).timestamp())
        except ValueError:
            pass
        if retry is None and used is None:
            return None
        return Usage(used=used, reset_in=reset_in, retry_after=retry)

    # ------------------------------------------------------------ pagination
    async def pages(self, fetch: Callable[[Any], Awaitable[dict]], next_of: Callable[[dict], Any],
                    first: Any = None, what: str = "items") -> AsyncIterator[dict]:
        """Every page, following `next_of(page)` (a URL, a token or an offset; None at the end)."""
        cursor = first
        for _ in range(MAX_PAGES):
            page = await fetch(cursor)
            if not isinstance(page, dict):
                raise Malformed(f"{self.label} sent a page of {what} we could not read")
            yield page
            cursor = next_of(page)
            if cursor is None or cursor == "" or cursor is False:
                return
        raise TransientError(f"{self.label} kept paginating its {what}; stopped after {MAX_PAGES} pages")


def retry_after(resp: httpx.Response) -> float | None:
    """Retry-After in seconds (RFC 9110: delay-seconds or an HTTP date), at least 1 s; None if absent."""
    value = resp.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(1.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # HTTP dates are GMT
        when = when.replace(tzinfo=UTC)
    return max(1.0, (when - datetime.now(UTC)).total_seconds())


def parse_json_header(value: str | None) -> Any:
    """A header whose value is JSON (Meta's usage headers); None when absent or unreadable."""
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None
