"""Token encryption at rest (Fernet; several keys for rotation) and one-way hashes."""

from __future__ import annotations

import base64
import hashlib
import logging
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from dreamsuite.settings import ROOT, get_settings

log = logging.getLogger(__name__)

# Used only when DREAMSUITE_SECRET_KEY is unset: a key generated once and kept in the project
# folder (not the working directory: the app and the worker must find the same file), so a
# local install encrypts from the first run without any setup.
_LOCAL_KEY_FILE = ROOT / ".dreamsuite-secret.key"


class DecryptError(Exception):
    """A stored secret could not be decrypted (wrong or rotated-out key)."""


def _keys() -> list[str]:
    raw = get_settings().dreamsuite_secret_key.strip()
    if raw:
        return [k.strip() for k in raw.split(",") if k.strip()]
    if not _LOCAL_KEY_FILE.exists():
        _LOCAL_KEY_FILE.write_text(Fernet.generate_key().decode())
        _LOCAL_KEY_FILE.chmod(0o600)
        log.warning("DREAMSUITE_SECRET_KEY is not set: generated a local key in %s", _LOCAL_KEY_FILE)
    return [_LOCAL_KEY_FILE.read_text().strip()]


@lru_cache
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def primary_key() -> str:
    """The newest key, from which the app derives its other signing secrets."""
    return _keys()[0]


def fernet() -> MultiFernet:
    """Newest key first: it encrypts; every key decrypts."""
    return _fernet_for(tuple(_keys()))


def encrypt(plaintext: str) -> str:
    if not plaintext:
        return ""
    return fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    if not ciphertext:
        return ""
    try:
        return fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise DecryptError("stored secret cannot be decrypted with the configured keys") from exc


def rotate(ciphertext: str) -> str:
    """Re-encrypt with the newest key (run after adding a key in front of the list)."""
    return fernet().rotate(ciphertext.encode()).decode() if ciphertext else ""


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def generate_key() -> str:
    return Fernet.generate_key().decode()


def urlsafe_token(nbytes: int = 32) -> str:
    import secrets

    return base64.urlsafe_b64encode(secrets.token_bytes(nbytes)).rstrip(b"=").decode()
