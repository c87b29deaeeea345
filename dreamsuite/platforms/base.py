"""The adapter contract every platform implements, its plain-data results and error taxonomy.

Adapters know nothing of Reflex or the database: they take an `httpx.AsyncClient` from the
caller (so tests and the emulators can route it), an access token and the connected
account, and return dataclasses. Shared HTTP behaviour (error mapping, rate-limit reading,
pagination) is in `platforms/http.py`, which every adapter inherits through this class.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

import httpx

from dreamsuite.platforms.errors import (  # noqa: F401 - the taxonomy is part of the contract
    AuthExpired,
    Malformed,
    NotSupported,
    OutcomeUnknown,
    PermanentError,
    PermissionMissing,
    ProcessingFailed,
    PlatformError,
    RateLimited,
    Throttled,
    TransientError,
)
from dreamsuite.platforms.http import HttpMixin
from dreamsuite.platforms.media_rules import MediaRules

# For the client a caller creates to hand to adapters (worker, sync and publish services).
HTTP_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


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
    scope_separator: str = " "
    # The authorize URL's name for our client id (TikTok: client_key).
    client_id_param: str = "client_id"


@dataclass
class TokenSet:
    access_token: str
    refresh_token: str
    expires_at: datetime | None  # aware UTC, as the database stores it
    scope: str
    # What a platform adds to its token response that we need later (TikTok's open_id...).
    extra: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:  # never print tokens, even in a traceback
        return f"TokenSet(expires_at={self.expires_at!r}, scope={self.scope!r})"


@dataclass
class Profile:
    platform_user_id: str
    username: str
    display_name: str = ""
    # What later calls need to address the account (a channel id, a Page id, an artist id...).
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class AccountRef:
    """The connected account a collect or publish is for (from the stored connection)."""

    platform_user_id: str
    username: str = ""
    details: dict[str, Any] = field(default_factory=dict)


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
    posted_at: datetime  # naive or aware UTC
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
    # The platform's own fields for this item (duration, title, thumbnail, popularity...).
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class CommentData:
    platform_comment_id: str
    platform_post_id: str
    posted_at: datetime  # naive or aware UTC
    author: str = ""
    text: str = ""
    likes: int = 0
    parent_platform_id: str = ""
    # None where the platform does not say (X): the flag stored (hidden from the inbox) is kept.
    hidden: bool | None = False


@dataclass
class CollectResult:
    days: list[MetricDay] = field(default_factory=list)
    posts: list[PostData] = field(default_factory=list)
    comments: list[CommentData] = field(default_factory=list)
    # Demographics when the platform gives them: {"age": {...}, "gender": {...}, "countries":
    # {...}, "cities": {...}, "online_hours": {...}} as shares of the audience.
    audience: dict[str, Any] | None = None


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
    # Accepted, but the platform is still processing it (a video upload): `platform_post_id` is
    # then the platform's id for the upload, which `check_publish` looks up later.
    processing: bool = False


# ---------------------------------------------------------------- the adapter
class PlatformAdapter(HttpMixin):
    """One subclass per platform, in its own file. Class attributes describe the card."""

    name: ClassVar[str]
    label: ClassVar[str]
    color: ClassVar[str] = "#888888"
    # Shown on the connections page: what we read and why.
    reads: ClassVar[str] = ""
    # False for platforms without a public API (Apple Music, Amazon Music, Tidal).
    has_api: ClassVar[bool] = True
    # False until the adapter is implemented and tested ("coming soon" on the card).
    connectable: ClassVar[bool] = False
    can_publish: ClassVar[bool] = False
    # True where the platform's API lets us comment under our own published post (the post's
    # first comment); `comment()` does it.
    can_comment: ClassVar[bool] = False
    # True where the API lets us answer a fan's comment (`reply()`), and hide or unhide one
    # (`hide()`); the inbox offers only these. `hide_limits`: what the platform allows, in words.
    can_reply: ClassVar[bool] = False
    can_hide: ClassVar[bool] = False
    hide_limits: ClassVar[str] = ""
    # Posts a platform accepts per account through its API, as (posts, window in seconds), each a
    # moving window: the publisher holds a post back until it fits (services/ratelimits), so the
    # platform never has to refuse it.
    posting_limits: ClassVar[tuple[tuple[int, int], ...]] = ()
    # Maximum post length in characters, when the platform has one.
    max_text_length: ClassVar[int | None] = None
    # Most hashtags a post's text may carry, when the platform caps them (None: no cap).
    max_hashtags: ClassVar[int | None] = None
    # What media one post may carry (kinds, count, sizes, durations, shapes), from the platform's
    # documentation; None: the platform takes no media from us. Read by media_rules.check_media.
    media_rules: ClassVar[MediaRules | None] = None
    # Numbers artists expect that this platform's public API does not give, and why: shown as
    # "not available", never as zero (e.g. Spotify streams need Spotify for Artists).
    unavailable_metrics: ClassVar[dict[str, str]] = {}
    # How an account's name is written on the platform: "@nova" for handles, "" for the
    # names of artist profiles (Spotify, Deezer).
    handle_prefix: ClassVar[str] = "@"
    # The platform's hosts and their real base URLs; settings may point them elsewhere.
    hosts: ClassVar[dict[str, str]] = {}

    @classmethod
    def enabled(cls) -> bool:
        """Whether this install offers the platform at all (the sandbox only where it is served)."""
        return True

    def profile_url(self, username: str) -> str:
        """The account's public page, where an artist can check what was posted ("" if none)."""
        return ""

    def oauth_config(self) -> OAuthConfig:
        raise NotSupported(f"{self.label} cannot be connected yet")

    async def exchange_code(self, client: httpx.AsyncClient, code: str, verifier: str, redirect_uri: str,
                            credentials: tuple[str, str]) -> TokenSet | None:
        """A platform whose token endpoint is not plain OAuth 2 answers here; None: the standard flow."""
        return None

    async def refresh_tokens(self, client: httpx.AsyncClient, tokens: TokenSet,
                             credentials: tuple[str, str]) -> TokenSet | None:
        """A platform that refreshes its own way answers here; None: the standard refresh grant."""
        return None

    async def after_token(self, client: httpx.AsyncClient, tokens: TokenSet,
                          credentials: tuple[str, str]) -> TokenSet:
        """A last step after the code exchange (Meta trades a short-lived token for a long-lived one)."""
        return tokens

    async def revoke(self, client: httpx.AsyncClient, token: str, account: AccountRef) -> bool:
        """Ask the platform to withdraw our access (on disconnect); False where it has no way to."""
        return False

    async def fetch_profile(self, client: httpx.AsyncClient, token: str) -> Profile:
        raise NotSupported(f"{self.label} profiles are not available")

    async def collect(self, client: httpx.AsyncClient, token: str, since: date | None = None,
                      account: AccountRef | None = None) -> CollectResult:
        """Everything new or changed since `since` (None: the full history the API offers)."""
        raise NotSupported(f"{self.label} has no public API to collect from")

    async def publish(self, client: httpx.AsyncClient, token: str, request: PublishRequest,
                      account: AccountRef | None = None) -> PublishResult:
        raise NotSupported(f"Publishing to {self.label} is not supported")

    async def check_publish(self, client: httpx.AsyncClient, token: str, remote_id: str,
                            account: AccountRef | None = None) -> PublishResult:
        """Where a post that came back `processing` stands now: read only, nothing is sent again.
        Returns the post (processing=False), or processing still; PermanentError when the
        platform gave up on it."""
        raise NotSupported(f"{self.label} has no way to look up a post it is processing")

    async def comment(self, client: httpx.AsyncClient, token: str, platform_post_id: str, text: str,
                      account: AccountRef | None = None, *, idempotency_key: str = "") -> str:
        """Comment under one of the account's published posts; returns the comment's id. An
        irreversible send like `publish`: a lost answer raises OutcomeUnknown, never a resend.
        `idempotency_key` goes where the platform supports one."""
        raise NotSupported(f"{self.label} takes no comments through its API")

    async def reply(self, client: httpx.AsyncClient, token: str, comment_id: str, text: str,
                    account: AccountRef | None = None, *, thread_id: str = "", idempotency_key: str = "") -> str:
        """Answer a comment (`thread_id`: its top-level comment when it is itself a reply); returns the
        reply's id. Where a reply is a comment under the comment (X, Facebook) this is `comment()`
        given the comment's id. Irreversible like `comment`: a lost answer raises OutcomeUnknown."""
        if not self.can_reply:
            raise NotSupported(f"{self.label} takes no replies through its API")
        return await self.comment(client, token, comment_id, text, account, idempotency_key=idempotency_key)

    async def hide(self, client: httpx.AsyncClient, token: str, comment_id: str, hidden: bool,
                   account: AccountRef | None = None) -> None:
        """Hide a comment from the public (or show it again). Idempotent: asking twice is safe, so a
        failed try may be retried; returns once the platform confirmed."""
        raise NotSupported(f"{self.label} does not let apps hide comments")
