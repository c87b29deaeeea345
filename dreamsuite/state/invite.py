"""The invitation page (/invite?token=…): what the link offers, and accepting it.

A logged-in user with the invited email accepts with a button (never on page load: mail scanners
open links) and lands in the workspace. Someone logged out either logs in (the login comes back
here through `next`) or, new to Dream Suite, creates their account on this page: a plain form post
to /auth/invite, which sets the session cookie.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import reflex as rx

from dreamsuite import db
from dreamsuite.services import flash, invitations, workspaces
from dreamsuite.services.errors import UserError
from dreamsuite.settings import get_settings
from dreamsuite.state.auth import AuthState
from dreamsuite.state.fmt import local_time
from dreamsuite.state.workspaces import WorkspaceState

TZ_SCRIPT = "Intl.DateTimeFormat().resolvedOptions().timeZone"


class InviteState(AuthState):
    token: str = ""
    checked: bool = False
    # Why the link cannot be used ("" while it can).
    refusal: str = ""
    ws_name: str = ""
    invited_role: str = ""
    invited_email: str = ""
    invited_by: str = ""
    expires: str = ""
    # The login this tab has ("" when nobody is logged in).
    logged_in_as: str = ""
    accept_error: str = ""
    form_error: str = ""
    name: str = ""
    browser_timezone: str = "UTC"
    _expires_at: datetime | None = None

    @rx.var
    def api_url(self) -> str:
        return get_settings().api_url

    @rx.var
    def login_link(self) -> str:
        return "/login?next=" + quote(f"/invite?token={self.token}", safe="")

    @rx.var
    def back_here(self) -> str:
        """Where logging out from this page lands: this invitation again, to accept it as someone else."""
        return f"/invite?token={quote(self.token, safe='')}"

    @rx.var
    def wrong_user(self) -> bool:
        return bool(self.logged_in_as and self.invited_email and self.logged_in_as != self.invited_email)

    @rx.event
    async def load(self):
        self.token = self.router.url.query_parameters.get("token", "")[:200]
        self.accept_error, self._expires_at = "", None
        note = flash.read(self.router.url.query_parameters.get("flash", ""))
        self.form_error = str(note.get("message", "")) if note and note.get("k") == "error" else ""
        self.name = str((note or {}).get("name", ""))[:200]
        logged_in = await self._load_session()
        if stale := await self._reload_if_stale():
            return stale
        self.logged_in_as = self.user_email if logged_in else ""
        try:
            view = await db.run(invitations.look_up, self.token)
        except UserError as exc:
            self.refusal = exc.message
        else:
            self.refusal = ""
            self.ws_name, self.invited_role, self.invited_email = view.workspace_name, view.role, view.email
            self.invited_by = view.invited_by
            self._expires_at = view.expires_at
            self._show_expiry(self.user_timezone if logged_in else "")
        self.checked = True
        if not logged_in:
            return rx.call_script(TZ_SCRIPT, callback=InviteState.set_browser_timezone)

    def _show_expiry(self, tz: str) -> None:
        """In the user's timezone; logged out, in the browser's (named, since it is only a guess)."""
        if self._expires_at is None:
            return
        try:
            ZoneInfo(tz)
        except Exception:  # empty, unknown or malformed
            tz = "UTC"
        self.expires = local_time(self._expires_at, tz) + ("" if self.logged_in_as else f" ({tz})")

    @rx.event
    def set_browser_timezone(self, tz: str):
        self.browser_timezone = str(tz or "UTC")[:64]
        self._show_expiry(self.browser_timezone)

    @rx.event
    async def accept(self):
        """The logged-in user accepts: a member from now on, and working in that workspace."""
        self.accept_error = ""
        if not await self._load_session():
            return rx.redirect(self.login_link)
        try:
            done = await db.run(invitations.accept, self.token, self.user_id)
        except UserError as exc:
            self.accept_error = exc.message
            return None
        entry = await db.run(workspaces.switch_to, self.user_id, done.workspace_id)
        ws = await self.get_state(WorkspaceState)
        return await ws._enter(entry, "/dashboard")
