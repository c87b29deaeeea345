"""One-time notes handed from a server route to a page through the URL, signed by us.

A page shows a note only when our server made it (itsdangerous signature, a few minutes
old at most) and, when it names a user, only to that user. Text typed into a URL never
becomes one of our messages.
"""

from __future__ import annotations

import hashlib
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from dreamsuite import crypto

MAX_AGE = 300


def _serializer() -> URLSafeTimedSerializer:
    secret = hashlib.sha256(b"dreamsuite-flash:" + crypto.primary_key().encode()).hexdigest()
    return URLSafeTimedSerializer(secret, salt="flash")


def make(kind: str, **data: Any) -> str:
    return _serializer().dumps({"k": kind, **data})


def read(token: str, *, user_id: int | None = None, max_age: int = MAX_AGE) -> dict[str, Any] | None:
    """The note's data (with "k" = its kind), or None when it is not ours, too old, or someone else's."""
    if not token:
        return None
    try:
        data = _serializer().loads(token, max_age=max_age)
    except BadSignature:
        return None
    if not isinstance(data, dict) or "k" not in data:
        return None
    if "u" in data and data["u"] != user_id:
        return None
    return data
