"""Self-contained tokens for the emulated platforms, HMAC-signed with the emulators' secret.

Nothing is kept to verify them, so tokens the app stored stay valid across restarts. Each
carries a nonce: a refresh token is spent once (the store remembers the nonce), as the
platforms that rotate refresh tokens do.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Claims:
    platform: str
    account: str
    kind: str  # access | refresh | code
    scope: str
    exp: int
    nonce: str
    extra: dict
    issued_ms: int = 0  # when it was signed (ms): a grant revoked later ends it


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, body: str) -> str:
    return _b64(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest())


def sign(secret: str, platform: str, account: str, kind: str, scope: str, ttl: int, prefix: str = "emu",
         **extra) -> str:
    now = time.time()
    payload = {"p": platform, "a": account, "k": kind, "s": scope, "e": int(now) + ttl,
               "n": secrets.token_hex(16), "x": extra, "i": int(now * 1000)}
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    return f"{prefix}.{body}.{_mac(secret, body)}"


def verify(secret: str, token: str, platform: str, kind: str) -> Claims | None:
    """The claims when the token is ours, untampered, of this platform and kind, and not expired."""
    try:
        _prefix, body, mac = token.split(".")
    except (ValueError, AttributeError):
        return None
    if not hmac.compare_digest(mac, _mac(secret, body)):
        return None
    try:
        d = json.loads(_unb64(body))
        claims = Claims(d["p"], d["a"], d["k"], d["s"], int(d["e"]), d["n"], dict(d.get("x") or {}),
                        int(d.get("i") or 0))
    except (ValueError, KeyError, TypeError):
        return None
    if claims.platform != platform or claims.kind != kind or claims.exp <= time.time():
        return None
    return claims


def s256(verifier: str) -> str:
    return _b64(hashlib.sha256(verifier.encode()).digest())
