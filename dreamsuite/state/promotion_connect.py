"""The Promotion page's "Channels" panel: a card per kind (Meta Ads, Google Ads, TikTok Ads,
Shopify) with its connected channels — status, last collect, the platform's last error in its own
words — Connect (an ad platform's login; Shopify's small form of shop address and token, its
refusal shown next to the field at fault) and Disconnect (the channel's numbers go with it).

Self-contained: `load` runs when the panel mounts (the page may also list it in its on_load) and
follows the workspace's promotion events, so a first collect shows its progress live."""

from __future__ import annotations

import dataclasses
import json
import logging

import reflex as rx

from dreamsuite.models import Role
from dreamsuite.services import flash
from dreamsuite.services import promotion_connect as channels
from dreamsuite.services.errors import UserError
from dreamsuite.state import fmt
from dreamsuite.state.auth import AuthState, to_login_page
from dreamsuite.state.live import watch_page

log = logging.getLogger(__name__)
PATH = "/promotion"


@dataclasses.dataclass
class ChannelRow:
    channel_id: int = 0
    name: str = ""
    external_id: str = ""
    currency: str = ""
    status: str = ""
    status_label: str = ""
    last_synced: str = ""
    last_error: str = ""
    others: str = ""  # "This login manages 3 ad accounts; Dream Suite reads act_1."
    # Live collect progress: "" (idle), a note while it runs ("…" at the end), then a summary.
    note: str = ""
    busy: bool = False


@dataclasses.dataclass
class KindCard:
    kind: str = ""
    label: str = ""
    color: str = "#7C3AED"
    reads: str = ""
    available: bool = False
    oauth: bool = True
    connected: bool = False
    channels: list[ChannelRow] = dataclasses.field(default_factory=list)


def _others(c: dict) -> str:
    accounts = c.get("ad_accounts") or []
    if len(accounts) < 2:
        return ""
    return f"This login manages {len(accounts)} ad accounts; Dream Suite reads {c['external_id']}."


class PromotionConnectState(AuthState):
    kinds: list[KindCard] = []
    banner: str = ""
    banner_error: bool = False
    busy_kind: str = ""
    # The Shopify form: open or not, and each field's refusal shown next to it.
    shop_open: bool = False
    shop_busy: bool = False
    shop_domain_error: str = ""
    shop_token_error: str = ""
    # The disconnect dialog.
    confirm_id: int = 0
    confirm_label: str = ""
    _notes: dict[int, str] = {}
    _listen_gen: int = 0

    async def _reload(self) -> None:
        scope = await self._scope()
        rows = await channels.list_channels(scope)
        out = []
        for k in channels.channel_kinds():
            mine = []
            for c in (c for c in rows if c["kind"] == k["kind"]):
                note = self._notes.get(c["id"], "")
                if not note and not c["last_synced_at"] and not c["last_error"] and c["status"] == "active":
                    note = "Collecting its first 180 days…"  # queued when it was connected
                mine.append(ChannelRow(
                    channel_id=c["id"], name=c["name"] or c["external_id"], external_id=c["external_id"],
                    currency=c["currency"], status=c["status"], status_label=fmt.connection_status(c["status"]),
                    last_synced=fmt.local_time(c["last_synced_at"], self.user_timezone), last_error=c["last_error"],
                    others=_others(c), note=note, busy=note.endswith("…")))
            out.append(KindCard(kind=k["kind"], label=k["label"], color=k["color"], reads=k["reads"],
                                available=k["available"], oauth=k["oauth"], connected=bool(mine), channels=mine))
        self.kinds = out

    @rx.event
    async def load(self):
        note = flash.read(self.router.url.query_parameters.get("flash", ""), user_id=self.user_id)
        self._show_note(note)
        self.busy_kind, self.confirm_id, self.shop_open = "", 0, False
        try:
            await self._reload()
        except UserError as exc:  # not a member any more, or the session ended
            self.banner, self.banner_error = exc.message, True
            return
        return PromotionConnectState.watch

    def _show_note(self, note: dict | None) -> None:
        """Only what our callback signed for this user: never words from the URL."""
        if note and note.get("k") == "connected" and note.get("platform") in channels.PROMOTION_CHANNELS:
            label = next((k["label"] for k in channels.channel_kinds() if k["kind"] == note["platform"]), "")
            self.banner = f"Connected {label} ({note.get('username', '')}). Its last 180 days are on their way."
            self.banner_error = False
        elif note and note.get("k") == "connect_error":
            self.banner, self.banner_error = str(note.get("message", "")), True
        else:
            self.banner = ""

    @rx.event
    def dismiss_banner(self):
        self.banner = ""

    @rx.event
    async def connect(self, kind: str):
        self.busy_kind = kind
        try:
            url = await channels.start_connect(await self._scope(Role.editor), kind)
        except UserError as exc:
            self.busy_kind = ""
            self.banner, self.banner_error = exc.message, True
            return
        # A full page load (rx.redirect would route a same-host URL inside the app); the platform
        # sends the browser back to /oauth/callback, then to this page.
        return rx.call_script(f"window.location.assign({json.dumps(url)})")

    # ------------------------------------------------------------ Shopify
    @rx.event
    def open_shop(self):
        self.shop_open, self.shop_domain_error, self.shop_token_error = True, "", ""

    @rx.event
    def close_shop(self):
        self.shop_open = False

    @rx.event
    def set_shop_open(self, value: bool):
        self.shop_open = bool(value)

    @rx.event
    async def connect_shop(self, form: dict):
        self.shop_domain_error = self.shop_token_error = ""
        self.shop_busy = True
        yield
        try:
            scope = await self._scope(Role.editor)
            await channels.connect_shop(scope, str(form.get("domain") or ""), str(form.get("token") or ""))
        except channels.ShopRefused as exc:
            if exc.field == "domain":
                self.shop_domain_error = exc.message
            else:
                self.shop_token_error = exc.message
            return
        except UserError as exc:
            self.shop_open = False
            self.banner, self.banner_error = exc.message, True
            return
        finally:
            self.shop_busy = False
        self.shop_open = False
        self.banner, self.banner_error = "Connected your Shopify shop. Its last 180 days of orders are on their way.", False
        await self._reload()

    # ------------------------------------------------------------ disconnecting
    @rx.event
    def ask_disconnect(self, channel_id: int, label: str):
        self.confirm_id, self.confirm_label = channel_id, label

    @rx.event
    def cancel_disconnect(self):
        self.confirm_id = 0

    @rx.event
    async def disconnect(self):
        channel_id, label = self.confirm_id, self.confirm_label
        self.confirm_id = 0
        try:
            revoked = await channels.disconnect(await self._scope(Role.editor), channel_id)
        except UserError as exc:
            self.banner, self.banner_error = exc.message, True
            return
        self._notes = {k: v for k, v in self._notes.items() if k != channel_id}
        asked = " The platform withdrew our access." if revoked else ""
        self.banner = f"Disconnected {label}; its numbers were deleted.{asked}"
        self.banner_error = False
        await self._reload()

    # ------------------------------------------------------------ live
    def _note(self, channel_id: int, text: str) -> None:
        self._notes = {**self._notes, channel_id: text}  # reassigned so every state backend notices

    async def _on_event(self, ev: dict) -> None:
        cid = int(ev.get("channel_id") or 0)
        status = ev.get("status")
        if cid and status == "success":
            counts = {k: v for k, v in (ev.get("counts") or {}).items() if isinstance(v, int) and v}
            done = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items())
            self._note(cid, f"Collected just now ({done})" if done else "Collected just now: nothing new")
        elif cid and status in ("failed", "expired"):
            self._note(cid, "")  # the row's last error says it, in the platform's words
        await self._reload()

    @rx.event(background=True)
    async def watch(self):
        if await watch_page(self, PATH, {"promotion"}, self._on_event):
            yield to_login_page()
