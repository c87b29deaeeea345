"""The one error taxonomy every adapter reports in; each message is safe to show to the artist."""

from __future__ import annotations


class PlatformError(Exception):
    """Base of every failure an adapter reports. `message` is safe to show to the user."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status


class AuthExpired(PlatformError):
    """401: the token is no longer accepted. Caller refreshes once, then marks expired."""


class RateLimited(PlatformError):
    """429 (or the platform's own "too many calls"): try again after `retry_after` seconds.
    `said` is False when the platform gave no wait and `retry_after` is our own guess."""

    def __init__(self, message: str, *, retry_after: float = 60.0, status: int | None = 429, said: bool = True):
        super().__init__(message, status=status)
        self.retry_after = retry_after
        self.said = said


class Throttled(RateLimited):
    """Our own rate gate held the call back before it was sent: nothing reached the platform."""

    def __init__(self, message: str, *, retry_after: float):
        super().__init__(message, retry_after=retry_after, status=None)


class TransientError(PlatformError):
    """5xx, connection errors, timeouts before the request was accepted: back off and retry."""


class Malformed(TransientError):
    """The platform answered with a body we cannot read: nothing is written, a later try may work."""


class PermanentError(PlatformError):
    """4xx other than 401/429: retrying will not help; show the platform's message."""


class PermissionMissing(PermanentError):
    """The token lacks a permission the call needs; `scope` names it so the artist can grant it."""

    def __init__(self, message: str, *, scope: str = "", status: int | None = 403):
        super().__init__(message, status=status)
        self.scope = scope


class ProcessingFailed(PermanentError):
    """The platform accepted a post, then gave up on it while processing (a video it could not use)."""


class OutcomeUnknown(PlatformError):
    """A publish request was sent but no answer came back: it may have been accepted."""


class NotSupported(PlatformError):
    """The platform has no public API for this (e.g. Apple Music) or we do not offer it yet."""


