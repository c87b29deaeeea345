"""Self-contained sandbox tokens, HMAC-signed with the client secret.

Nothing is kept in memory, so tokens stored by the app stay valid across restarts of the
server (the demo keeps its connection through `make run` restarts).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from dreamsuite.settings import get_settings

ACCESS_TTL = 3600
REFRESH_TTL = 60 * 86400
_PREFIX = "sbx"


@dataclass(frozen=True)
class Claims:
    sub: str
    kind: str  # access | refresh
    exp: int
    scope: str
    nonce: str = ""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(body: str) -> str:
    key = get_settings().sandbox_client_secret.encode()
    return _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())


def sign(sub: str, kind: str, scope: str, ttl: int) -> str:
    # The nonce makes every token distinct (even within one second) and names a refresh token once spent.
    payload = {"sub": sub, "kind": kind, "exp": int(time.time()) + ttl, "scope": scope, "n": secrets.token_hex(16)}
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    return f"{_PREFIX}.{body}.{_mac(body)}"


def verify(token: str, kind: str) -> Claims | None:
    """The token's claims when it is ours, untampered, of this kind and not expired."""
    try:
        prefix, body, mac = token.split(".")
    except (ValueError, AttributeError):
        return None
    if prefix != _PREFIX or not hmac.compare_digest(mac, _mac(body)):
        return None
    try:
        data = json.loads(_unb64(body))
        claims = Claims(sub=str(data["sub"]), kind=data["kind"], exp=int(data["exp"]), scope=str(data["scope"]),
                        nonce=str(data.get("n", "")))
    except (ValueError, KeyError, TypeError):
        return None
    if claims.kind != kind or claims.exp <= time.time():
        return None
    return claims


def s256(verifier: str) -> str:
    return _b64(hashlib.sha256(verifier.encode()).digest())
