"""Connecting a real connector through the real OAuth flow against its emulator (tests)."""

from __future__ import annotations

from dreamsuite.platforms.emulators.consent import approve
from dreamsuite.services.connect import complete_connect, start_connect
from dreamsuite.services.scope import Scope


async def connect_platform(scope: Scope, platform: str, account_name: str = "Nova Lane",
                           decision: str = "allow") -> int:
    """Start Connect, answer the emulator's consent page (creating or picking `account_name`),
    complete the callback as the same user; returns the connection id."""
    params = await approve(await start_connect(scope, platform), account_name=account_name, decision=decision)
    assert "code" in params, params
    return (await complete_connect(platform, params, scope.user_id)).connection_id
