"""Answer an emulated platform's consent page the way a browser would (demo seed and tests).

The OAuth flow stays real: GET the authorization URL, pick or create the account on the
page, Allow, and return the query our callback receives (`code` and `state`).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

import httpx


async def approve(authorize_url: str, *, account_name: str | None = None, account_id: str | None = None,
                  decision: str = "allow") -> dict[str, str]:
    async with httpx.AsyncClient(timeout=10) as client:
        page = await client.get(authorize_url)
        if page.status_code != 200:
            raise RuntimeError(f"consent page answered {page.status_code}: {page.text[:200]}")
        fields = dict(re.findall(r"<input type='hidden' name='(\w+)' value='([^']*)'>", page.text))
        action = re.search(r"<form method='post' action='([^']+)'", page.text).group(1)
        if account_id is None and account_name:
            # An existing account of that name is picked again, as a person would.
            found = re.search(r"value='([^']+)'[^>]*> " + re.escape(account_name) + r" \(@", page.text)
            account_id = found.group(1) if found else None
        form = {**{k: _unescape(v) for k, v in fields.items()}, "decision": decision,
                "account": account_id or "new", "new_name": account_name or "Demo Artist"}
        answer = await client.post(urljoin(authorize_url, action), data=form)
    if answer.status_code != 302:
        raise RuntimeError(f"consent answered {answer.status_code}: {answer.text[:200]}")
    return dict(parse_qsl(urlsplit(answer.headers["location"]).query))


def _unescape(value: str) -> str:
    import html

    return html.unescape(value)
