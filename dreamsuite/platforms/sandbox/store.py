"""What the sandbox platform keeps in memory: OAuth codes, posts and comments published
through its API, their idempotency keys, and the refresh tokens already exchanged."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Code:
    client_id: str
    redirect_uri: str
    user_id: str
    scope: str
    challenge: str
    expires: float


# Memory is bounded whatever callers do: the oldest entries make room for new ones.
MAX_CODES = 10_000
MAX_PUBLISHED_PER_USER = 1_000
MAX_IDEMPOTENCY_KEYS = 20_000
MAX_USED_REFRESH = 50_000


def _cap(store: dict, limit: int) -> None:
    while len(store) > limit:
        store.pop(next(iter(store)))  # dicts keep insertion order: the first is the oldest


@dataclass
class Store:
    """What lives in memory: short-lived codes, posts published through the API, and the
    refresh tokens already exchanged (each works once: the platform rotates them)."""

    codes: dict[str, Code] = field(default_factory=dict)
    published: dict[str, list[dict]] = field(default_factory=dict)
    idempotency: dict[tuple[str, str], dict] = field(default_factory=dict)
    # Comments made through the API (the first comment under a post), and their idempotency keys.
    comments: dict[str, list[dict]] = field(default_factory=dict)
    comment_keys: dict[tuple[str, str], dict] = field(default_factory=dict)
    used_refresh: dict[str, int] = field(default_factory=dict)

    def add_code(self, code: str, value: Code) -> None:
        now = time.time()
        for stale in [c for c, v in self.codes.items() if v.expires < now]:
            self.codes.pop(stale, None)
        self.codes[code] = value
        _cap(self.codes, MAX_CODES)

    def add_published(self, user: str, post: dict, key: str) -> None:
        posts = self.published.setdefault(user, [])
        posts.append(post)
        del posts[:-MAX_PUBLISHED_PER_USER]
        if key:
            self.idempotency[(user, key)] = post
            _cap(self.idempotency, MAX_IDEMPOTENCY_KEYS)

    def add_comment(self, user: str, comment: dict, key: str) -> None:
        mine = self.comments.setdefault(user, [])
        mine.append(comment)
        del mine[:-MAX_PUBLISHED_PER_USER]
        if key:
            self.comment_keys[(user, key)] = comment
            _cap(self.comment_keys, MAX_IDEMPOTENCY_KEYS)

    def spend_refresh(self, nonce: str, exp: int) -> bool:
        """True the first time a refresh token is exchanged, False on any reuse."""
        if nonce in self.used_refresh:
            return False
        now = time.time()
        if len(self.used_refresh) >= MAX_USED_REFRESH:
            for n in [n for n, e in self.used_refresh.items() if e < now]:
                self.used_refresh.pop(n, None)
        self.used_refresh[nonce] = exp
        _cap(self.used_refresh, MAX_USED_REFRESH)
        return True

    def reset(self) -> None:
        self.codes.clear()
        self.published.clear()
        self.idempotency.clear()
        self.comments.clear()
        self.comment_keys.clear()
        self.used_refresh.clear()
