"""Our own HTTP routes, served by the Reflex backend (passed as `api_transformer`).

- /sandbox/...                  the local sandbox platform (OAuth server + API)
- /oauth/callback/{platform}    where providers send the browser back after consent
- /healthz                      liveness + database check for load balancers
- /brand/logo[-light].svg       the logo, for pages the backend renders itself (admin)
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse
from starlette.routing import Mount, Route

from dreamsuite import db
from dreamsuite.settings import get_settings

log = logging.getLogger(__name__)
ASSETS = Path(__file__).resolve().parent.parent / "assets"


def _onboarding(**params: str) -> RedirectResponse:
    return RedirectResponse(f"{get_settings().app_url}/onboarding?{urlencode(params)}", status_code=302)


async def oauth_callback(request: Request) -> RedirectResponse:
    from dreamsuite.services.connect import ConnectError, complete_connect

    platform = request.path_params["platform"]
    try:
        result = await complete_connect(platform, dict(request.query_params))
    except ConnectError as exc:
        return _onboarding(error=exc.message)
    except Exception:
        # Never show a stack trace to the browser; the log has it.
        log.exception("OAuth callback for %s failed", platform)
        return _onboarding(error=f"Connecting {platform} failed unexpectedly. Please try again.")
    return _onboarding(connected=result.platform)


async def healthz(request: Request) -> JSONResponse:
    try:
        with db.get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:  # pragma: no cover - depends on an outage
        # The reason goes to the log, not to whoever asks (it may name hosts or users).
        log.exception("health check: database unreachable")
        return JSONResponse({"ok": False, "database": "unreachable"}, status_code=503)
    return JSONResponse({"ok": True})


async def logo(request: Request) -> FileResponse:
    # logo-light.svg has white lettering for dark backgrounds (the admin's sidebar).
    name = "logo-light.svg" if request.path_params.get("variant") == "-light" else "logo.svg"
    return FileResponse(ASSETS / name, media_type="image/svg+xml")


def _sandbox_routes() -> list[Mount]:
    from dreamsuite.platforms.sandbox.server import create_app

    # No failure-injection endpoints in the app: only tests' own sandbox servers have them.
    return [Mount("/sandbox", app=create_app(with_control=False))]


def create_api() -> Starlette:
    return Starlette(
        routes=[
            Route("/oauth/callback/{platform}", oauth_callback, methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/brand/logo.svg", logo, methods=["GET"]),
            Route("/brand/logo{variant:str}.svg", logo, methods=["GET"]),
            *_sandbox_routes(),
        ]
    )
