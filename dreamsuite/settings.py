"""One settings object, read from environment variables (and `.env` when present)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The project folder: files we keep (the local key, the outbox, media) live here, whatever
# the working directory of the process that reads them.
ROOT = Path(__file__).resolve().parent.parent
# The sandbox's well-known demo secret: refused outside demo mode.
DEMO_SANDBOX_SECRET = "sandbox-secret"
DEMO_EMULATOR_SECRET = "emulator-demo-secret"
# The developer token the Google Ads emulator accepts when none is configured (demo and tests).
DEMO_GOOGLE_ADS_DEVELOPER_TOKEN = "emulator-demo-developer-token"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=str(ROOT / ".env"), extra="ignore")

    # SQLite file by default; postgresql+psycopg://... in production.
    database_url: str = f"sqlite:///{ROOT / 'dreamsuite.db'}"
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
    # The local demo (`make run`): well-known demo secrets are allowed (the platform emulators',
    # and the sandbox's when it is mounted; `make run` serves the emulators, not the sandbox).
    dreamsuite_demo: bool = False
    # Mount the sandbox test platform in the backend (default: only in demo mode; `make run`
    # turns it off).
    mount_sandbox: bool | None = None
    # The sandbox platform's base URL; by default it is mounted in our own backend.
    sandbox_url: str = ""
    sandbox_client_id: str = "dreamsuite-sandbox"
    sandbox_client_secret: str = DEMO_SANDBOX_SECRET
    # Redirect URIs the sandbox accepts for our client (comma separated); default: our callback.
    sandbox_redirect_uris: str = ""
    # Local emulators of the real platforms (their documented OAuth and API shapes), for the
    # demo and tests. EMULATOR_URL points every connector at them (unless a platform's own
    # <PLATFORM>_<HOST>_URL says otherwise); MOUNT_EMULATORS serves them in our backend.
    emulator_url: str = ""
    mount_emulators: bool | None = None
    emulator_secret: str = DEMO_EMULATOR_SECRET
    emulator_db: str = str(ROOT / "run" / "emulators.db")
    # Google Ads asks every call for the app's developer token (API Center of a manager account),
    # besides the user's OAuth token; it is a secret, never logged.
    google_ads_developer_token: str = ""
    # The media library: files on local disk under MEDIA_DIR, or in an S3-compatible store
    # when S3_BUCKET is set (S3_ENDPOINT_URL for MinIO, R2 and the like; AWS without it).
    media_dir: str = str(ROOT / "media")
    s3_bucket: str = ""
    s3_endpoint_url: str = ""
    s3_region: str = "us-east-1"
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    # How long a media address handed to a platform works (a presigned S3 URL, or our signed link).
    media_url_hours: int = 6
    # How long a login session lasts.
    session_days: int = 30
    # Outgoing mail: smtp://user:password@host:587 (starttls) or smtps://...:465. Without
    # it, messages are written to `mail_dir` on the server (a local install has no mail).
    smtp_url: str = ""
    mail_from: str = "Dream Suite <no-reply@dreamsuite.local>"
    mail_dir: str = str(ROOT / "run" / "mail")
    # Login throttling (per account, per client address), in the `limits` library's notation.
    login_limit_account: str = "5 per 15 minutes"
    login_limit_address: str = "30 per 15 minutes"
    signup_limit_address: str = "10 per hour"
    # Reverse proxies in front of the app whose X-Forwarded-For we believe (0: none).
    trusted_proxy_hops: int = 0
    # Database work off the event loop: threads for it, and what a blocking call does.
    db_threads: int = 12
    # Jobs one worker runs at once (publishing and collection mostly wait on the network).
    worker_max_jobs: int = 40
    # Due destinations one publish job claims and sends together (one claim, writes grouped),
    # batch after batch while more is due: a burst of posts due at one second costs a few
    # transactions, not three per post.
    publish_batch: int = 50
    # Batches one publish job claims at most, one after the other while more is due.
    publish_drain_rounds: int = 20
    # Calls in flight to one platform across every worker. A courtesy cap: what holds an account
    # back is its own cooldown and quota, read from the platform's answers (services/ratelimits).
    # It only guards against a runaway fan-out: at 20 ms a call, 64 in flight is some 3,000 calls
    # a second; 8 held a burst of a thousand posts to 100 a second (benchmarks/publish_burst).
    platform_concurrency: int = 64
    # Webhook receivers on private or link-local addresses (a closed network, tests); off, an
    # address inside our network is refused (server-side request forgery).
    webhook_allow_private: bool = False
    db_loop_guard: Literal["raise", "warn", "off"] = "raise"
    # PostgreSQL connections one process keeps (0: one per database thread) and may open beyond
    # them at a peak. Every app process and worker has its own pool: backends × (pool + overflow)
    # + workers × (pool + overflow) must stay under the server's max_connections.
    db_pool_size: int = 0
    db_max_overflow: int = 4
    # A pause after each piece of a chat answer (ms): lets tests press Stop mid-answer. 0 in use.
    chat_chunk_delay_ms: int = 0

    @model_validator(mode="after")
    def _one_port_by_default(self) -> "Settings":
        self.app_url = self.app_url.rstrip("/")
        self.api_url = (self.api_url or self.app_url).rstrip("/")
        if self.mount_sandbox is None:
            self.mount_sandbox = self.dreamsuite_demo
        if self.mount_emulators is None:
            self.mount_emulators = self.dreamsuite_demo
        self.emulator_url = self.emulator_url.rstrip("/")
        return self

    @property
    def sandbox_base(self) -> str:
        return (self.sandbox_url or f"{self.api_url}/sandbox").rstrip("/")

    @property
    def secure_cookies(self) -> bool:
        """Cookies get the Secure flag whenever the app is served over https."""
        return urlsplit(self.app_url).scheme == "https"

    @property
    def app_origins(self) -> list[str]:
        """The origins our pages are served from (one in production, two in dev mode)."""
        out = []
        for url in (self.app_url, self.api_url):
            parts = urlsplit(url)
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in out:
                out.append(origin)
        return out

    def platform_url(self, platform: str, host: str, real: str) -> str:
        """A platform's base URL for one of its hosts ("api", "accounts", ...): the platform's own
        setting (<PLATFORM>_<HOST>_URL), else its emulator under EMULATOR_URL, else the real one."""
        own = os.environ.get(f"{platform.upper()}_{host.upper()}_URL")
        if own:
            return own.rstrip("/")
        if self.emulator_url:
            return f"{self.emulator_url}/{platform}/{host}"
        return real

    def platform_credentials(self, platform: str) -> tuple[str, str] | None:
        """<PLATFORM>_CLIENT_ID / _CLIENT_SECRET from the environment, if set (against the
        emulators, a well-known demo client when none is set)."""
        if platform == "sandbox":
            return self.sandbox_client_id, self.sandbox_client_secret
        cid = os.environ.get(f"{platform.upper()}_CLIENT_ID")
        secret = os.environ.get(f"{platform.upper()}_CLIENT_SECRET", "")
        if cid:
            return cid, secret
        if self.emulator_url:
            return demo_client(platform)
        return None


def demo_client(platform: str) -> tuple[str, str]:
    """The client id and secret the emulators accept when none is configured (demo and tests)."""
    return f"dreamsuite-demo-{platform}", f"demo-secret-{platform}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
