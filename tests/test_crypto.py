"""Token encryption at rest: round trip, key rotation, wrong keys fail loudly."""

import pytest
from cryptography.fernet import Fernet

from dreamsuite import crypto
from dreamsuite.settings import get_settings


@pytest.fixture
def keys(monkeypatch):
    def use(*ks: str) -> None:
        monkeypatch.setenv("DREAMSUITE_SECRET_KEY", ",".join(ks))
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()


def test_round_trip_and_ciphertext_hides_the_token(keys):
    keys(Fernet.generate_key().decode())
    secret = "sbx_access_token_value"
    enc = crypto.encrypt(secret)
    assert secret not in enc
    assert crypto.decrypt(enc) == secret
    # Fernet is randomised: the same token never gives the same ciphertext twice.
    assert crypto.encrypt(secret) != enc


def test_empty_values_stay_empty(keys):
    keys(Fernet.generate_key().decode())
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""


def test_rotation_old_key_still_decrypts_and_rotate_moves_to_new(keys):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    keys(old)
    enc_old = crypto.encrypt("t0ken")
    keys(new, old)
    assert crypto.decrypt(enc_old) == "t0ken"
    rotated = crypto.rotate(enc_old)
    keys(new)  # the old key retired: only the rotated ciphertext still opens
    assert crypto.decrypt(rotated) == "t0ken"
    with pytest.raises(crypto.DecryptError):
        crypto.decrypt(enc_old)


def test_wrong_key_raises_a_clear_error(keys):
    keys(Fernet.generate_key().decode())
    enc = crypto.encrypt("t0ken")
    keys(Fernet.generate_key().decode())
    with pytest.raises(crypto.DecryptError, match="cannot be decrypted"):
        crypto.decrypt(enc)


def test_sha256_is_stable_and_one_way():
    h = crypto.sha256_hex("abc")
    assert h == crypto.sha256_hex("abc") and len(h) == 64 and "abc" not in h


def test_the_local_key_file_does_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    """Without DREAMSUITE_SECRET_KEY the key lives in the project folder, so the app and a worker
    started from another directory encrypt and decrypt with the same key."""
    from dreamsuite.settings import ROOT

    expected = ROOT / ".dreamsuite-secret.key"
    assert crypto._LOCAL_KEY_FILE.is_absolute()
    for cwd in (tmp_path, ROOT / "workers"):
        monkeypatch.chdir(cwd)
        assert crypto._LOCAL_KEY_FILE.resolve() == expected
