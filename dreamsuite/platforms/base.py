"""The adapter contract every platform implements, its plain-data results and error taxonomy.

Adapters know nothing of Reflex or the database: they take an `httpx.AsyncClient` from the
caller (so tests and the sandbox can route it), an access token, and return dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar

import httpx

# For the client a caller creates to hand to adapters (worker, sync and publish services).
HTTP_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


# ---------------------------------------------------------------- errors
class PlatformError(Exception):
    """Base of every failure an adapter reports. `message` is safe to show to the user."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status


class AuthExpired(PlatformError):
    """401: the token is no longer accepted. Caller refreshes once, then marks expired."""


class RateLimited(PlatformError):
    """429: try again after `retry_after` seconds (the platform's own delay when it gives one)."""

    def __init__(self, message: str, *, retry_after: float = 60.0, status: int | None = 429):
        super().__init__(message, status=status)
        self.retry_after = retry_after


class TransientError(PlatformError):
    """5xx, connection errors, timeouts before the request was accepted: back off and retry."""


class PermanentError(PlatformError):
    """4xx other than 401/429: retrying will not help; show the platform's message."""


class OutcomeUnknown(PlatformError):
    """A publish request was sent but no answer came back: it may have been accepted."""


class NotSupported(PlatformError):
    """The platform has no public API for this (e.g. Apple Music) or we do not offer it yet."""


# ---------------------------------------------------------------- results
@dataclass
class OAuthConfig:
    authorize_url: str
    token_url: str
    scopes: list[str]
    # How the client authenticates at the token endpoint (authlib's names).
    token_auth_method: str = "client_secret_post"
    pkce: bool = True
    extra_authorize_params: dict[str, str] = field(default_factory=dict)


@dataclass
class Profile:
    platform_user_id: str
    username: str
    display_name: str = ""


@dataclass
class MetricDay:
    date: date
    follower_count: int
    engagement_total: int = 0
    content_count: int = 0
    metrics: dict[str, Any] = field(default_factory=dict)


@dataclass
class PostData:
    platform_post_id: str
    posted_at: datetime  # naive UTC
    post_type: str = "post"
    caption: str = ""
    url: str = ""
    likes: int = 0
    comments: int = 0
    shares: int = 0
    saves: int = 0
    views: int = 0
    plays: int = 0
    reach: int = 0
    impressions: int = 0
    hashtags: list[str] = field(default_factory=list)


@dataclass
class CommentData:
    platform_comment_id: str
    platform_post_id: str
    posted_at: datetime  # naive UTC
    author: str = ""
    text: str = ""
    likes: int = 0
    parent_platform_id: str = ""
    hidden: bool = False


@dataclass
class CollectResult:
    days: list[MetricDay] = field(default_factory=list)
    posts: list[PostData] = field(default_factory=list)
    comments: list[CommentData] = field(default_factory=list)


@dataclass
class PublishRequest:
    text: str
    media: list[dict[str, Any]] = field(default_factory=list)
    # Our own id for this destination, sent where the platform supports idempotency keys.
    idempotency_key: str = ""


@dataclass
class PublishResult:
    platform_post_id: str
    url: str = ""


# ---------------------------------------------------------------- the adapter
class PlatformAdapter:
    """One subclass per platform, in its own file. Class attributes describe the card."""

    name: ClassVar[str]
    label: ClassVar[str]
    # Shown on the onboarding card: what we read and why.
    reads: ClassVar[str] = ""
    # False for platforms without a public API (Apple Music, Amazon Music, Tidal).
    has_api: ClassVar[bool] = True
    # False until the adapter is implemented and tested ("coming soon" on the card).
    connectable: ClassVar[bool] = False
    can_publish: ClassVar[bool] = False
    # Maximum post length in characters, when the platform has one.
    max_text_length: ClassVar[int | None] = None

    @classmethod
    def enabled(cls) -> bool:
        """Whether this install offers the platform at all (the sandbox only where it is served)."""
        return True

    def profile_url(self, username: str) -> str:
        """The account's public page, where an artist can check what was posted ("" if none)."""
        return ""

    def oauth_config(self) -> OAuthConfig:
        raise NotSupported(f"{self.label} cannot be connected yet")

    async def fetch_profile(self, client: httpx.AsyncClient, token: str) -> Profile:
        raise NotSupported(f"{self.label} profiles are not available")

    async def collect(self, client: httpx.AsyncClient, token: str, since: date | None = None) -> CollectResult:
        """Everything new or changed since `since` (None: the full history the API offers)."""
        raise NotSupported(f"{self.label} has no public API to collect from")

    async def publish(self, client: httpx.AsyncClient, token: str, request: PublishRequest) -> PublishResult:
        raise NotSupported(f"Publishing to {self.label} is not supported")

    # ------------------------------------------------------------ shared HTTP handling
    async def request_json(
        self,
        client: httpx.AsyncClient,
        method: str,
        url: str,
        token: str | None = None,
        *,
        sends_effect: bool = False,
        **kwargs: Any,
    ) -> Any:
        """One HTTP call mapped onto the error taxonomy.

        `sends_effect=True` marks an irreversible call (publishing): a timeout after the
        request went out becomes OutcomeUnknown rather than a retryable TransientError.
        """
        headers = dict(kwargs.pop("headers", {}) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
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
        return self.parse_response(resp)

    def parse_response(self, resp: httpx.Response) -> Any:
        status = resp.status_code
        if status < 300:
            try:
                return resp.json() if resp.content else {}
            except ValueError as exc:
                raise TransientError(f"{self.label} sent a response that is not JSON") from exc
        message = self.error_message(resp)
        if status == 401:
            raise AuthExpired(f"{self.label} rejected the access token: {message}", status=status)
        if status == 429:
            raise RateLimited(f"{self.label} rate limit: {message}", retry_after=_retry_after(resp), status=status)
        if status >= 500:
            raise TransientError(f"{self.label} server error {status}: {message}", status=status)
        raise PermanentError(f"{self.label} refused the request ({status}): {message}", status=status)

    def error_message(self, resp: httpx.Response) -> str:
        """The platform's own error text; adapters override for their error envelope."""
        try:
            body = resp.json()
        except ValueError:
            return (resp.text or resp.reason_phrase or "").strip()[:300]
        if isinstance(body, dict):
            err = body.get("error")
            if isinstance(err, dict):
                return str(err.get("message") or err)[:300]
            if err:
                desc = body.get("error_description")
                return f"{err}: {desc}"[:300] if desc else str(err)[:300]
            if body.get("message"):
                return str(body["message"])[:300]
        return str(body)[:300]


def _retry_after(resp: httpx.Response, default: float = 60.0) -> float:
    """Retry-After in seconds (RFC 9110: delay-seconds or an HTTP date), at least 1 s."""
    value = resp.headers.get("Retry-After", "").strip()
    if not value:
        return default
    try:
        return max(1.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return default
    if when.tzinfo is None:  # HTTP dates are GMT
        when = when.replace(tzinfo=UTC)
    return max(1.0, (when - datetime.now(UTC)).total_seconds())
