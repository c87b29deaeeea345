"""One settings object, read from environment variables (and `.env` when present)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # SQLite file by default; postgresql+psycopg://... in production.
    database_url: str = "sqlite:///dreamsuite.db"
    # The private Redis `make run` starts; any redis:// URL switches it.
    redis_url: str = "redis://127.0.0.1:6390/0"
    # "offline" = the built-in analyst; or openai-chat:<model>, anthropic:<model>, ollama:<model>.
    dreamsuite_model: str = "offline"
    # Fernet keys, comma separated, newest first (older ones still decrypt: rotation).
    dreamsuite_secret_key: str = Field(default="")
    # Where the browser reaches the app (frontend) and the backend (API, OAuth callbacks).
    # `make run` serves both on one port; with `reflex run` in dev mode set API_URL=:8000.
    app_url: str = "http://localhost:3000"
    api_url: str = ""
    # The sandbox platform's base URL; by default it is mounted in our own backend.
    sandbox_url: str = ""
    sandbox_client_id: str = "dreamsuite-sandbox"
    sandbox_client_secret: str = "sandbox-secret"
    media_dir: str = "media"
    # How long a login session lasts.
    session_days: int = 30

    @model_validator(mode="after")
    def _one_port_by_default(self) -> "Settings":
        self.app_url = self.app_url.rstrip("/")
        self.api_url = (self.api_url or self.app_url).rstrip("/")
        return self

    @property
    def sandbox_base(self) -> str:
        return (self.sandbox_url or f"{self.api_url}/sandbox").rstrip("/")

    def platform_credentials(self, platform: str) -> tuple[str, str] | None:
        """<PLATFORM>_CLIENT_ID / _CLIENT_SECRET from the environment, if set."""
        import os

        if platform == "sandbox":
            return self.sandbox_client_id, self.sandbox_client_secret
        cid = os.environ.get(f"{platform.upper()}_CLIENT_ID")
        secret = os.environ.get(f"{platform.upper()}_CLIENT_SECRET", "")
        return (cid, secret) if cid else None


@lru_cache
def get_settings() -> Settings:
    return Settings()
