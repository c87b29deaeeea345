"""Our own HTTP routes, served by the Reflex backend (passed as `api_transformer`).

- /auth/login|signup|verify|invite|logout  form posts that set or clear the session cookie
- /oauth/callback/{platform}         where providers send the browser back after consent
- /export/dashboard.csv|json, /report  the dashboard's numbers for a range, to download or print
- /media/<token>, /media/thumb/<id>  media library files: a signed link for platforms, thumbnails for members
- /api/v1/...                        the public REST API for API tokens (accounts, posts, metrics, insights)
- /healthz                           liveness + database check for load balancers
- /brand/logo[-light].svg            the logo, for pages the backend renders itself (admin)
- /sandbox/...                       the sandbox test platform, only when MOUNT_SANDBOX is on
- /emulators/<platform>/...          local emulators of the real platforms, only when MOUNT_EMULATORS is on

Reflex mounts its own backend (pages, websocket, admin) inside this app, so the security
headers set here hold for every response the server sends.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Mount, Route

from dreamsuite import db
from dreamsuite.api import auth, export, media, oauth, v1
from dreamsuite.api.security import SecurityHeaders
from dreamsuite.settings import ROOT, get_settings

log = logging.getLogger(__name__)
ASSETS = ROOT / "assets"


def _ping() -> None:
    with db.get_engine().connect() as conn:
        conn.execute(text("SELECT 1"))


async def healthz(request: Request) -> JSONResponse:
    try:
        await db.run(_ping)
    except Exception:  # pragma: no cover - depends on an outage
        # The reason goes to the log, not to whoever asks (it may name hosts or users).
        log.exception("health check: database unreachable")
        return JSONResponse({"ok": False, "database": "unreachable"}, status_code=503)
    return JSONResponse({"ok": True})


async def logo(request: Request) -> FileResponse:
    # logo-light.svg has white lettering for dark backgrounds (the admin's sidebar).
    name = "logo-light.svg" if request.path_params.get("variant") == "-light" else "logo.svg"
    return FileResponse(Path(ASSETS) / name, media_type="image/svg+xml")


def _sandbox_routes() -> list[Mount]:
    if not get_settings().mount_sandbox:
        return []
    from dreamsuite.platforms.sandbox.server import create_app

    # No failure-injection endpoints in the app: only tests' own sandbox servers have them.
    return [Mount("/sandbox", app=create_app(with_control=False))]


def _emulator_routes() -> list[Mount]:
    if not get_settings().mount_emulators:
        return []
    from dreamsuite.platforms.emulators import create_app

    app, _ = create_app(with_control=False)
    return [Mount("/emulators", app=app)]


def create_api() -> Starlette:
    return Starlette(
        routes=[
            *auth.routes,
            *oauth.routes,
            *export.routes,
            *media.routes,
            Mount("/api/v1", app=v1.create_app()),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/brand/logo.svg", logo, methods=["GET"]),
            Route("/brand/logo{variant:str}.svg", logo, methods=["GET"]),
            *_sandbox_routes(),
            *_emulator_routes(),
        ],
        middleware=[Middleware(SecurityHeaders)],
    )
