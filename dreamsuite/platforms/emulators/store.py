"""What the emulated platforms remember, in a SQLite file of their own (not our database):
the accounts people created on a consent page, posts published through the APIs, refresh
tokens already spent. It survives restarts, and every table is bounded.

The emulators stand in for outside servers; they keep their state the way those would,
apart from the app's data. Calls are short and made from a thread (`await store.call(...)`).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_ACCOUNTS = 10_000
MAX_POSTS_PER_ACCOUNT = 1_000
MAX_SPENT_TOKENS = 100_000
MAX_KV = 100_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS account (
    platform TEXT NOT NULL, id TEXT NOT NULL, handle TEXT NOT NULL, name TEXT NOT NULL,
    persona TEXT NOT NULL, created_at REAL NOT NULL, PRIMARY KEY (platform, id));
CREATE TABLE IF NOT EXISTS post (
    platform TEXT NOT NULL, account_id TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,
    created_at REAL NOT NULL, idempotency_key TEXT, PRIMARY KEY (platform, id));
CREATE INDEX IF NOT EXISTS post_account ON post (platform, account_id, created_at);
CREATE TABLE IF NOT EXISTS spent (nonce TEXT PRIMARY KEY, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, created_at REAL NOT NULL);
"""


@dataclass(frozen=True)
class Account:
    platform: str
    id: str
    handle: str
    name: str
    persona: str  # which artist story its numbers tell (several platforms can share one)


class EmulatorStore:
    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    async def call(self, fn, *args, **kwargs):
        """Run a store method off the event loop (the emulators are served by the app's loop)."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    def _run(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # ---------------------------------------------------------------- accounts
    def accounts(self, platform: str) -> list[Account]:
        rows = self._run("SELECT platform, id, handle, name, persona FROM account WHERE platform = ? "
                         "ORDER BY created_at", (platform,))
        return [Account(*r) for r in rows]

    def account(self, platform: str, account_id: str) -> Account | None:
        rows = self._run("SELECT platform, id, handle, name, persona FROM account WHERE platform = ? AND id = ?",
                         (platform, account_id))
        return Account(*rows[0]) if rows else None

    def add_account(self, account: Account) -> Account:
        with self._lock:
            self._db.execute("INSERT OR IGNORE INTO account VALUES (?, ?, ?, ?, ?, ?)",
                             (account.platform, account.id, account.handle, account.name, account.persona,
                              time.time()))
            self._db.execute("DELETE FROM account WHERE rowid IN (SELECT rowid FROM account ORDER BY created_at "
                             "DESC LIMIT -1 OFFSET ?)", (MAX_ACCOUNTS,))
        return self.account(account.platform, account.id) or account

    # ---------------------------------------------------------------- published posts
    def posts(self, platform: str, account_id: str) -> list[dict[str, Any]]:
        rows = self._run("SELECT body FROM post WHERE platform = ? AND account_id = ? ORDER BY created_at, id",
                         (platform, account_id))
        return [json.loads(r[0]) for r in rows]

    def post_by_key(self, platform: str, account_id: str, key: str) -> dict[str, Any] | None:
        rows = self._run("SELECT body FROM post WHERE platform = ? AND account_id = ? AND idempotency_key = ?",
                         (platform, account_id, key))
        return json.loads(rows[0][0]) if rows else None

    def find_post(self, platform: str, post_id: str) -> tuple[str, dict[str, Any]] | None:
        rows = self._run("SELECT account_id, body FROM post WHERE platform = ? AND id = ?", (platform, post_id))
        return (rows[0][0], json.loads(rows[0][1])) if rows else None

    def save_post(self, platform: str, account_id: str, post: dict[str, Any], key: str = "") -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO post VALUES (?, ?, ?, ?, ?, ?)",
                             (platform, account_id, post["id"], json.dumps(post), time.time(), key or None))
            self._db.execute(
                "DELETE FROM post WHERE platform = ? AND account_id = ? AND rowid IN (SELECT rowid FROM post "
                "WHERE platform = ? AND account_id = ? ORDER BY created_at DESC LIMIT -1 OFFSET ?)",
                (platform, account_id, platform, account_id, MAX_POSTS_PER_ACCOUNT))

    # ---------------------------------------------------------------- one-time tokens and small state
    def spend(self, nonce: str, expires_at: float) -> bool:
        """True the first time a one-time token (a refresh token, a code) is used, False after."""
        with self._lock:
            if self._db.execute("SELECT 1 FROM spent WHERE nonce = ?", (nonce,)).fetchone():
                return False
            self._db.execute("INSERT INTO spent VALUES (?, ?)", (nonce, expires_at))
            self._db.execute("DELETE FROM spent WHERE expires_at < ?", (time.time(),))
            self._db.execute("DELETE FROM spent WHERE rowid IN (SELECT rowid FROM spent ORDER BY expires_at DESC "
                             "LIMIT -1 OFFSET ?)", (MAX_SPENT_TOKENS,))
            return True

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO kv VALUES (?, ?, ?)", (key, json.dumps(value), time.time()))
            self._db.execute("DELETE FROM kv WHERE rowid IN (SELECT rowid FROM kv ORDER BY created_at DESC "
                             "LIMIT -1 OFFSET ?)", (MAX_KV,))

    def get(self, key: str, default: Any = None) -> Any:
        rows = self._run("SELECT value FROM kv WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else default

    def pop(self, key: str) -> Any:
        with self._lock:
            row = self._db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
            self._db.execute("DELETE FROM kv WHERE key = ?", (key,))
        return json.loads(row[0]) if row else None

    def reset(self) -> None:
        with self._lock:
            for table in ("account", "post", "spent", "kv"):
                self._db.execute(f"DELETE FROM {table}")
