"""Connections: a card per platform with each connected account — what we read and why, status
(connected, expiring in N days, expired → reconnect, error and its reason), last sync, "Sync
now" with live progress, a platform's quota used today — connect, add another account, and
disconnect (optionally deleting the history)."""

from __future__ import annotations

import dataclasses
import json
import logging

import reflex as rx

from dreamsuite import db
from dreamsuite.platforms import account_label, handle
from dreamsuite.services import connect as connecting
from dreamsuite.services import connections, flash, sync
from dreamsuite.services.errors import UserError
from dreamsuite.state import fmt
from dreamsuite.state.auth import AuthState, to_login_page
from dreamsuite.state.live import watch_page

log = logging.getLogger(__name__)


@dataclasses.dataclass
class AccountRow:
    connection_id: int = 0
    username: str = ""
    status: str = ""
    status_label: str = ""
    last_synced: str = ""
    last_error: str = ""
    quota: str = ""  # "1,234 of 10,000 quota units used today"
    # Live sync progress: "" (idle), a note while it runs ("…" at the end), then a summary.
    sync_note: str = ""
    syncing: bool = False
    can_sync: bool = True


@dataclasses.dataclass
class PlatformCard:
    name: str = ""
    label: str = ""
    reads: str = ""
    color: str = "#7C3AED"
    has_api: bool = True
    connectable: bool = False
    connected: bool = False
    unavailable: str = ""  # what this platform's API does not give ("Streams: …")
    accounts: list[AccountRow] = dataclasses.field(default_factory=list)


class ConnectionsState(AuthState):
    cards: list[PlatformCard] = []
    banner: str = ""
    banner_error: bool = False
    busy_platform: str = ""
    # The disconnect dialog: which account, and whether its history goes too.
    confirm_id: int = 0
    confirm_label: str = ""
    delete_history: bool = False
    _listen_gen: int = 0
    _syncing: dict[int, str] = {}

    @rx.var
    def connected_count(self) -> int:
        return sum(1 for c in self.cards if c.connected)

    async def _reload(self) -> None:
        cards = await db.run(connections.list_cards, await self._scope())
        quotas = await connections.quotas_today(cards)
        out = []
        for c in cards:
            rows = []
            for a in c["connections"]:
                if a["status"] == "revoked":
                    continue
                cid = a["connection_id"]
                used = quotas.get(cid)
                note = self._syncing.get(cid, "")
                rows.append(AccountRow(
                    connection_id=cid, username=handle(c["name"], a["username"]), status=a["status"],
                    status_label=fmt.connection_status(a["status"], a["expires_in_days"]),
                    last_synced=fmt.local_time(a["last_synced_at"], self.user_timezone), last_error=a["last_error"],
                    quota=f"{used[0]:,} of {used[1]:,} quota units used today" if used else "",
                    sync_note=note, syncing=note.endswith("…"), can_sync=a["status"] not in ("expired",),
                ))
            out.append(PlatformCard(
                name=c["name"], label=c["label"], reads=c["reads"], color=c["color"], has_api=bool(c["has_api"]),
                connectable=bool(c["connectable"]), connected=bool(rows),
                unavailable=" ".join(f"{k.replace('_', ' ').capitalize()}: {v}" for k, v in c["unavailable"].items()),
                accounts=rows,
            ))
        self.cards = out

    @rx.event
    async def load(self):
        self._show_note(flash.read(self.router.url.query_parameters.get("flash", ""), user_id=self.user_id))
        self.busy_platform = ""
        self.confirm_id = 0
        await self._reload()
        return ConnectionsState.watch

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
        # app); the platform sends the browser back to /oauth/callback, then here.
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
            self._note(connection_id, "Waiting for a worker…" if queued else "A sync is already on its way…")
        await self._reload()

    def _note(self, connection_id: int, text: str) -> None:
        # Reassigned, not mutated, so every state backend notices the change.
        self._syncing = {**self._syncing, connection_id: text}

    @rx.event
    def ask_disconnect(self, connection_id: int, label: str):
        self.confirm_id, self.confirm_label, self.delete_history = connection_id, label, False

    @rx.event
    def set_delete_history(self, value: bool):
        self.delete_history = bool(value)

    @rx.event
    def cancel_disconnect(self):
        self.confirm_id = 0

    @rx.event
    async def disconnect(self):
        connection_id, delete_history, label = self.confirm_id, self.delete_history, self.confirm_label
        self.confirm_id = 0
        scope = await self._scope()
        try:
            revoked = await connections.disconnect(scope, connection_id, delete_history=delete_history)
        except UserError as exc:
            self.banner, self.banner_error = exc.message, True
            return
        self._syncing = {k: v for k, v in self._syncing.items() if k != connection_id}
        kept = "Its history was deleted." if delete_history else "Its history stays on your dashboard."
        asked = " The platform withdrew our access." if revoked else ""
        self.banner, self.banner_error = f"Disconnected {label}.{asked} {kept}", False
        await self._reload()

    async def _on_event(self, ev: dict) -> None:
        cid = int(ev.get("connection_id") or 0)
        if ev.get("kind") == "sync" and cid:
            status = ev.get("status", "success")
            if status == "started":
                self._note(cid, "Collecting your numbers…")
            elif status == "failed":
                self._note(cid, f"Sync failed: {ev.get('error', '')}")
            else:
                counts = {k: v for k, v in (ev.get("counts") or {}).items() if v}
                done = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items())
                self._note(cid, f"Synced just now ({done} updated)" if done else "Synced just now: nothing new")
        await self._reload()

    @rx.event(background=True)
    async def watch(self):
        if await watch_page(self, "/connections", {"sync", "connection"}, self._on_event):
            yield to_login_page()
