"""Onboarding / connections: a card per platform, connect via OAuth, "Sync now" with live progress."""

from __future__ import annotations

import dataclasses
import json
import logging

import reflex as rx

from dreamsuite import db
from dreamsuite.platforms import account_label
from dreamsuite.services import flash, sync
from dreamsuite.services import connect as connecting
from dreamsuite.services import connections
from dreamsuite.services.errors import UserError
from dreamsuite.state import fmt
from dreamsuite.state.auth import AuthState, to_login_page
from dreamsuite.state.live import watch_page

log = logging.getLogger(__name__)


@dataclasses.dataclass
class PlatformCard:
    name: str = ""
    label: str = ""
    reads: str = ""
    color: str = "#7C3AED"
    has_api: bool = True
    connectable: bool = False
    connected: bool = False
    status: str = ""
    username: str = ""
    last_synced: str = ""
    last_error: str = ""
    connection_id: int = 0
    # "queued" after Sync now until the worker announces the result, then a summary.
    sync_note: str = ""
    syncing: bool = False


class OnboardingState(AuthState):
    cards: list[PlatformCard] = []
    banner: str = ""
    banner_error: bool = False
    busy_platform: str = ""
    _listen_gen: int = 0
    _syncing: dict[int, str] = {}

    @rx.var
    def connected_count(self) -> int:
        return sum(1 for c in self.cards if c.connected)

    async def _reload(self) -> None:
        out = []
        for c in await db.run(connections.list_cards, await self._scope()):
            cid = int(c.get("connection_id") or 0)
            out.append(PlatformCard(
                name=c["name"], label=c.get("label") or c["name"], reads=c.get("reads") or "",
                color=c.get("color") or "#7C3AED", has_api=bool(c.get("has_api", True)),
                # A revoked (disconnected) account offers Connect again.
                connectable=bool(c.get("connectable")), connected=bool(cid) and c.get("status") != "revoked",
                status=str(c.get("status") or ""), username=c.get("username") or "",
                last_synced=fmt.local_time(c.get("last_synced_at"), self.user_timezone),
                last_error=c.get("last_error") or "", connection_id=cid,
                sync_note=self._syncing.get(cid, ""), syncing=self._syncing.get(cid, "").endswith("…"),
            ))
        self.cards = out

    @rx.event
    async def load(self):
        self._show_note(flash.read(self.router.url.query_parameters.get("flash", ""), user_id=self.user_id))
        self.busy_platform = ""
        await self._reload()
        return OnboardingState.watch

    def _show_note(self, note: dict | None) -> None:
        """Only what our callback signed for this user: never words from the URL."""
        if note and note.get("k") == "connected":
            label = account_label(str(note.get("platform", "")), str(note.get("username", "")))
            self.banner, self.banner_error = f"Connected {label}. Your first sync has started.", False
        elif note and note.get("k") == "connect_error":
            self.banner, self.banner_error = str(note.get("message", "")), True
        else:
            self.banner = ""

    @rx.event
    def dismiss_banner(self):
        self.banner = ""

    @rx.event
    async def connect(self, platform: str):
        self.busy_platform = platform
        try:
            url = await connecting.start_connect(await self._scope(), platform)
        except UserError as exc:  # cannot connect, or a role that may not
            self.busy_platform = ""
            self.banner, self.banner_error = exc.message, True
            return
        # A full page load in the same tab (rx.redirect would route a same-host URL inside the
        # app); the provider sends the browser back to /oauth/callback, then here.
        return rx.call_script(f"window.location.assign({json.dumps(url)})")

    @rx.event
    async def sync_now(self, connection_id: int):
        try:
            queued = await sync.request_sync(await self._scope(), connection_id)
        except UserError as exc:
            self._note(connection_id, exc.message)
        except Exception:
            log.exception("sync request failed")
            self._note(connection_id, "Could not start a sync; please try again.")
        else:
            self._note(connection_id, "Sync queued…" if queued else "Sync already queued…")
        await self._reload()

    def _note(self, connection_id: int, text: str) -> None:
        # Reassigned, not mutated, so every state backend notices the change.
        self._syncing = {**self._syncing, connection_id: text}

    @rx.event
    async def disconnect(self, connection_id: int):
        scope = await self._scope()
        try:
            await connections.disconnect(scope, connection_id)
        except UserError as exc:
            self.banner, self.banner_error = exc.message, True
            return
        self._syncing = {k: v for k, v in self._syncing.items() if k != connection_id}
        await self._reload()

    async def _on_event(self, ev: dict) -> None:
        cid = int(ev.get("connection_id") or 0)
        if ev.get("kind") == "sync" and cid:
            counts = ev.get("counts") or {}
            done = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()) if counts else ""
            ok = ev.get("status", "success") != "failed"
            self._note(cid, (f"Synced just now ({done})" if done else "Synced just now") if ok
                       else f"Sync failed: {ev.get('error', '')}")
        await self._reload()

    @rx.event(background=True)
    async def watch(self):
        if await watch_page(self, "/onboarding", {"sync", "connection"}, self._on_event):
            yield to_login_page()
