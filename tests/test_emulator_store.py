"""What the emulated platforms remember survives a restart, and stays bounded."""

from __future__ import annotations

import pytest

from dreamsuite.platforms.emulators import store as store_module
from dreamsuite.platforms.emulators.store import Account, EmulatorStore
from tests.helpers import make_workspace
from tests.platform_helpers import connect_platform


def test_accounts_posts_and_spent_tokens_survive_reopening(tmp_path):
    path = tmp_path / "emulators.db"
    first = EmulatorStore(path)
    first.add_account(Account("x", "42", "nova", "Nova", "nova"))
    first.save_post("x", "42", {"id": "p1", "text": "hello"}, key="dest-1")
    assert first.spend("nonce-1", 2**40)
    first.put("anchor:nova", "2026-10-01")

    again = EmulatorStore(path)  # a restart: a new process opening the same file
    assert again.account("x", "42").name == "Nova" and [a.id for a in again.accounts("x")] == ["42"]
    assert again.posts("x", "42") == [{"id": "p1", "text": "hello"}]
    assert again.post_by_key("x", "42", "dest-1")["id"] == "p1"
    assert not again.spend("nonce-1", 2**40)  # a spent refresh token stays spent
    assert again.get("anchor:nova") == "2026-10-01"
    assert again.accounts("spotify") == []  # accounts are per platform


def test_every_table_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "MAX_ACCOUNTS", 5)
    monkeypatch.setattr(store_module, "MAX_POSTS_PER_ACCOUNT", 3)
    monkeypatch.setattr(store_module, "MAX_SPENT_TOKENS", 4)
    store = EmulatorStore(tmp_path / "bounded.db")
    for i in range(20):
        store.add_account(Account("x", f"a{i}", f"h{i}", f"N{i}", "p"))
        store.save_post("x", "a0", {"id": f"p{i}"})
        store.spend(f"n{i}", 2**40)
    assert len(store.accounts("x")) == 5
    assert [p["id"] for p in store.posts("x", "a0")] == ["p17", "p18", "p19"]
    assert store._run("SELECT COUNT(*) FROM spent")[0][0] == 4


@pytest.mark.db
async def test_a_connection_keeps_working_after_the_emulator_restarts(db, redis_url, emulators, monkeypatch,
                                                                       close_arq_pools):
    """Tokens are signed, not remembered: the app's stored tokens stay valid for a new process."""
    from dreamsuite.platforms.emulators.serve import serve_emulators
    from dreamsuite.services import sync
    from dreamsuite.settings import get_settings

    _, _, scope = make_workspace("nova@example.com")
    cid = await connect_platform(scope, "spotify", "Nova Lane")
    # Another emulator server reopening the same store file: the account and the tokens carry over.
    with serve_emulators(store=EmulatorStore(emulators.store.path)) as (base, _):
        monkeypatch.setenv("EMULATOR_URL", base)
        get_settings.cache_clear()
        assert (await sync.collect_connection(cid))["status"] == "success"
