"""The two kinds of session and the pool's liveness check.

`db.reading()` runs each statement on its own, so it must never leave a transaction open nor let
a write through; a pooled PostgreSQL connection is pinged only after it sat idle, and one the
server dropped meanwhile is replaced without the caller seeing an error.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.models import User


def _add_user(email: str) -> int:
    with dbmod.session() as s:
        user = User(email=email, name="Someone", password_hash="x")
        s.add(user)
        s.flush()
        return user.id


def _autocommit(s) -> bool:
    """Whether the session's connection runs each statement on its own (no BEGIN … COMMIT)."""
    return _raw_autocommit(s.connection().connection.driver_connection)


def _raw_autocommit(raw) -> bool:
    if hasattr(raw, "autocommit") and hasattr(raw, "info"):  # psycopg
        import psycopg

        if raw.autocommit:
            assert raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        return raw.autocommit
    return raw.isolation_level is None  # sqlite3's autocommit


def test_reading_sees_committed_rows_and_leaves_no_transaction_open(db):
    user_id = _add_user("reader@example.com")
    with dbmod.reading() as s:
        assert s.exec(select(User.email).where(User.id == user_id)).one() == "reader@example.com"
        assert _autocommit(s)
    with dbmod.session() as s:  # the pooled connection went back as it was: transactions again
        s.exec(select(User.id)).all()
        assert not _autocommit(s)


@pytest.mark.parametrize("how", ["add", "change", "delete", "flush"])
def test_reading_refuses_every_write_and_stores_nothing(db, how):
    user_id = _add_user("kept@example.com")
    with pytest.raises(RuntimeError, match="for reads"):
        with dbmod.reading() as s:
            user = s.get(User, user_id)
            if how == "add":
                s.add(User(email="new@example.com", name="New", password_hash="x"))
            elif how == "change":
                user.name = "Changed"
            elif how == "delete":
                s.delete(user)
            else:
                s.add(User(email="new@example.com", name="New", password_hash="x"))
                s.flush()
    with dbmod.session() as s:
        assert s.exec(select(User.email, User.name)).all() == [("kept@example.com", "Someone")]


@pytest.fixture
def pg_engine(db, monkeypatch):
    if not db.startswith("postgresql"):
        pytest.skip("the liveness check is PostgreSQL's pool")
    eng = dbmod.get_engine()
    eng.dispose()  # start from an empty pool: one connection, made by this test
    pings = []
    real = eng.dialect.do_ping
    monkeypatch.setattr(eng.dialect, "do_ping", lambda conn: pings.append(1) or real(conn))
    return eng, pings


def _backend_pid() -> int:
    with dbmod.session() as s:
        return s.exec(text("SELECT pg_backend_pid()")).scalar_one()


def test_a_connection_in_steady_use_is_not_pinged(pg_engine):
    _, pings = pg_engine
    first = _backend_pid()
    for _ in range(5):
        assert _backend_pid() == first  # the same pooled connection each time
    with dbmod.reading() as s:
        s.exec(select(User.id)).all()
    assert pings == []


def test_an_idle_connection_the_server_dropped_is_replaced_unseen(pg_engine, monkeypatch):
    _, pings = pg_engine
    dropped = _backend_pid()
    outside = create_engine(dbmod.normalize_url(dbmod.get_engine().url.render_as_string(hide_password=False)),
                            poolclass=NullPool)
    with outside.connect() as other:  # as a server restart or an idle timeout would
        assert other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped}).scalar_one()
    later = dbmod._clock() + dbmod.IDLE_PING_SECONDS + 1
    monkeypatch.setattr(dbmod, "_clock", lambda: later)
    fresh = _backend_pid()  # no error: the ping found the dead connection and the pool made another
    assert pings and fresh != dropped
    user_id = _add_user("after@example.com")
    with dbmod.reading() as s:
        assert s.get(User, user_id).email == "after@example.com"


def test_read_connection_reads_committed_rows_outside_a_transaction(db):
    user_id = _add_user("bare@example.com")
    with dbmod.read_connection() as c:
        assert c.execute(select(User.email).where(User.id == user_id)).scalar_one() == "bare@example.com"
        assert _raw_autocommit(c.connection.driver_connection)


async def test_read_connection_is_refused_on_the_event_loop(db, monkeypatch):
    monkeypatch.setattr(dbmod, "LOOP_GUARD_EXEMPT", ())  # this test's own coroutine counts too
    with pytest.raises(dbmod.BlockingDatabaseCall):
        dbmod.read_connection()
    with pytest.raises(dbmod.BlockingDatabaseCall):
        dbmod.reading()
