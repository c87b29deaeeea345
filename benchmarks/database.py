"""A fresh, migrated database for a benchmark run (PostgreSQL's schema emptied first)."""

from __future__ import annotations

import os

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
