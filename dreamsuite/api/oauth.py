"""/oauth/callback/{platform}: where a platform sends the browser back after consent.

The callback completes only in the browser of the user who started connecting; anyone
else sees a page saying nothing was connected. The Connections page then shows a note our
server signed for that user, never words carried in the URL. An ad platform's login (a
promotion channel) completes the same way and lands on the Promotion page instead.
"""

from __future__ import annotations

import html
import logging
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from dreamsuite import db
from dreamsuite.api.security import session_token
from dreamsuite.platforms.promotion_base import PROMOTION_CHANNELS
from dreamsuite.services import auth, flash
from dreamsuite.services.connect import WrongBrowser, complete_connect
from dreamsuite.services.promotion_connect import finish_connect
from dreamsuite.services.errors import UserError
from dreamsuite.settings import get_settings

log = logging.getLogger(__name__)


def _landing(path: str, **note) -> RedirectResponse:
    query = urlencode({"flash": flash.make(**note)})
    return RedirectResponse(f"{get_settings().app_url}{path}?{query}", status_code=302)


def refused_page(message: str, path: str = "/connections") -> HTMLResponse:
    app = get_settings().app_url + path
    return HTMLResponse(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Nothing was connected · Dream Suite"
        "</title><meta name='viewport' content='width=device-width,initial-scale=1'><style>body{font-family:"
        "system-ui,sans-serif;max-width:34rem;margin:12vh auto;padding:0 1rem;color:#1f1d2b}a{color:#6d28d9}"
        "</style></head><body><h1>Nothing was connected</h1>"
        f"<p>{html.escape(message)}</p><p><a href='{html.escape(app)}'>Open Dream Suite</a></p>"
        "</body></html>",
        status_code=403,
    )


async def oauth_callback(request: Request) -> Response:
    platform = request.path_params["platform"]
    info = await db.run(auth.session_for, session_token(request))
    user_id = info.user_id if info else None
    # A promotion channel (an ad account) is stored and shown on its own page.
    promotion = platform in PROMOTION_CHANNELS
    finish, path = (finish_connect, "/promotion") if promotion else (complete_connect, "/connections")
    try:
        result = await finish(platform, dict(request.query_params), user_id)
    except WrongBrowser as exc:
        log.warning("OAuth callback for %s refused: not the browser that started it", platform)
        return refused_page(exc.message, path)
    except UserError as exc:
        if user_id is None:
            return refused_page(exc.message, path)
        return _landing(path, kind="connect_error", u=user_id, message=exc.message)
    except Exception:
        # Never show a stack trace to the browser; the log has it.
        log.exception("OAuth callback for %s failed", platform)
        if user_id is None:
            return refused_page("Connecting failed unexpectedly. Please try again.", path)
        return _landing(path, kind="connect_error", u=user_id,
                        message="Connecting failed unexpectedly. Please try again.")
    return _landing(path, kind="connected", u=user_id, platform=result.platform, username=result.username)


routes = [Route("/oauth/callback/{platform}", oauth_callback, methods=["GET"])]
