"""Answer the sandbox's consent page the way a browser would (for the demo seed and tests).

The OAuth flow stays real: GET the authorization URL, submit the Allow form, and return the
query of the redirect to our callback (`code` and `state`).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urljoin, urlsplit

import httpx


async def approve(authorize_url: str, *, login_hint: str | None = None, decision: str = "allow") -> dict[str, str]:
    async with httpx.AsyncClient(timeout=10) as client:
        page = await client.get(authorize_url)
        if page.status_code != 200:
            raise RuntimeError(f"sandbox consent page answered {page.status_code}: {page.text[:200]}")
        form = dict(parse_qsl(urlsplit(authorize_url).query))
        if login_hint:
            form["login_hint"] = login_hint
        form["decision"] = decision
        answer = await client.post(urljoin(authorize_url, "authorize"), data=form)
    if answer.status_code != 302:
        raise RuntimeError(f"sandbox consent answered {answer.status_code}: {answer.text[:200]}")
    return dict(parse_qsl(urlsplit(answer.headers["location"]).query))
