"""Shapes X's API v2 is made of, for its emulator: snowflake ids (time-ordered, so since_id,
until_id and next tokens follow time), base-36 next tokens, timestamps, and recent search's
query language (from:, to:, conversation_id:, in_reply_to_tweet_id:, is:reply, has:media,
quoted words, OR, parentheses, negation)."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

EPOCH_MS = 1288834974657  # X's snowflake epoch
_QTOKEN = re.compile(r'\(|\)|"[^"]*"|[^\s()]+')
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def seed_hash(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:8], "big")


def snowflake(moment: datetime, *seed: object) -> str:
    return str(((int(moment.timestamp() * 1000) - EPOCH_MS) << 22) | (seed_hash(*seed) & 0x3FFFFF))


def b36(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = _B36[r] + out
    return out or "0"


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def compile_query(query: str):
    """A recent-search query as a predicate over our tweets (ValueError when it does not parse)."""
    tokens, pos = _QTOKEN.findall(query), 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> str:
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def any_of():
        parts = [all_of()]
        while peek() == "OR":
            take()
            parts.append(all_of())
        return lambda t: any(p(t) for p in parts)

    def all_of():
        parts = []
        while peek() not in (None, ")", "OR"):
            parts.append(one())
        if not parts:
            raise ValueError("empty clause")
        return lambda t: all(p(t) for p in parts)

    def one():
        tok = take()
        if tok == "(":
            inner = any_of()
            if peek() != ")":
                raise ValueError("unbalanced parentheses")
            take()
            return inner
        negate = tok.startswith("-") and len(tok) > 1
        test = term(tok[1:] if negate else tok)
        return (lambda t: not test(t)) if negate else test

    def term(tok: str):
        op, _, value = tok.partition(":")
        value = value.lower()
        tests = {"from": lambda t: t["_from"].lower() == value, "to": lambda t: t.get("_to", "").lower() == value,
                 "conversation_id": lambda t: t["conversation_id"] == value,
                 "in_reply_to_tweet_id": lambda t: t.get("_parent") == value,
                 "is": lambda t: value == "reply" and bool(t.get("_parent")),
                 "has": lambda t: value == "media" and bool(t.get("attachments"))}
        if value and op in tests:
            return tests[op]
        word = tok.strip('"').lower()
        return lambda t: word in t["text"].lower()

    predicate = any_of()
    if peek() is not None:
        raise ValueError("unexpected )")
    return predicate
