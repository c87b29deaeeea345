"""A fresh, migrated database for a benchmark run (PostgreSQL's schema emptied first)."""

from __future__ import annotations

import os
import tempfile

from benchmarks import ROOT


def use_database(url: str) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from dreamsuite import db
    from dreamsuite.settings import get_settings

    if url.startswith("postgresql"):
        with db.engine_for(url).begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "head")


def targets() -> list[tuple[str, str]]:
    """(label, URL) of each database a benchmark runs on: a temporary SQLite file, and
    PostgreSQL when BENCH_DATABASE_URL is set."""
    out = [("sqlite", "sqlite:///" + tempfile.mkdtemp() + "/bench.db")]
    if os.environ.get("BENCH_DATABASE_URL"):
        out.append(("postgresql", os.environ["BENCH_DATABASE_URL"]))
    return out
