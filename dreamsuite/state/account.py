"""The login, sign-up, "check your email", sign-up link and account pages.

Login, sign-up and logout are plain form posts to our HTTP routes (dreamsuite/api/auth.py),
which set the HttpOnly cookie: these states only show what those routes reported, through a
note the server signed (`services.flash`), and prefill what the person typed.
"""

from __future__ import annotations

import reflex as rx

from dreamsuite import db
from dreamsuite.services import auth, flash
from dreamsuite.services.errors import UserError
from dreamsuite.settings import get_settings
from dreamsuite.state.auth import AuthState

TZ_SCRIPT = "Intl.DateTimeFormat().resolvedOptions().timeZone"


def _message(note: dict | None) -> str:
    if not note or note.get("k") != "error":
        return ""
    if note.get("message"):  # composed by our server (throttling, mail), signed with the note
        return str(note["message"])
    return auth.MESSAGES.get(str(note.get("code")), auth.MESSAGES["bad_request"])


class FormPageState(AuthState):
    """What the login and sign-up forms share: where they post, and the server's note."""

    form_error: str = ""
    email: str = ""
    name: str = ""

    @rx.var
    def api_url(self) -> str:
        return get_settings().api_url

    def _read_note(self) -> dict | None:
        note = flash.read(self.router.url.query_parameters.get("flash", ""))
        self.form_error = _message(note)
        self.email = str((note or {}).get("email", ""))[:320]
        self.name = str((note or {}).get("name", ""))[:200]
        return note


class LoginState(FormPageState):
    next_path: str = ""

    @rx.event
    async def load(self):
        self._read_note()
        nxt = self.router.url.query_parameters.get("next", "")
        self.next_path = nxt if nxt.startswith("/") and not nxt.startswith("//") else ""
        # Also when there is no cookie: a tab that still holds an ended login forgets it here.
        if await self._load_session():
            return rx.redirect(self.next_path or "/dashboard")
        return await self._reload_if_stale()


class SignupState(FormPageState):
    browser_timezone: str = "UTC"

    @rx.event
    async def load(self):
        self._read_note()
        if await self._load_session():
            return rx.redirect("/dashboard")
        if stale := await self._reload_if_stale():
            return stale
        # The browser knows the artist's timezone; posts and times are shown in it.
        return rx.call_script(TZ_SCRIPT, callback=SignupState.set_browser_timezone)

    @rx.event
    def set_browser_timezone(self, tz: str):
        self.browser_timezone = (tz or "UTC")[:64]


class SentState(AuthState):
    sent_to: str = ""

    @rx.event
    def load(self):
        note = flash.read(self.router.url.query_parameters.get("flash", ""), max_age=3600)
        self.sent_to = str(note.get("email", "")) if note and note.get("k") == "sent" else ""

    @rx.var
    def outbox_note(self) -> str:
        # Only about this server's setup (the same for every address), never about the account.
        if get_settings().smtp_url:
            return ""
        return ("This server has no mail server configured: the message was saved to its outbox "
                "folder (run/mail) instead of being sent.")


class VerifyState(AuthState):
    token: str = ""

    @rx.var
    def api_url(self) -> str:
        return get_settings().api_url

    @rx.event
    def load(self):
        self.token = self.router.url.query_parameters.get("token", "")[:200]


class AccountState(AuthState):
    """The account page: change the password (every other login ends), log out everywhere."""

    password_error: str = ""
    password_ok: str = ""

    @rx.var
    def api_url(self) -> str:
        return get_settings().api_url

    @rx.event
    async def load(self):
        self.password_error = self.password_ok = ""

    @rx.event
    async def change_password(self, form: dict):
        self.password_error = self.password_ok = ""
        await self._scope()  # still logged in
        if form.get("new_password", "") != form.get("repeat_password", ""):
            self.password_error = "The two new passwords are not the same."
            return
        try:
            ended = await db.run(auth.change_password, self._token(), form.get("current_password", ""),
                                 form.get("new_password", ""))
        except UserError as exc:
            self.password_error = exc.message
            return
        others = f" {ended} other login{'s' if ended != 1 else ''} ended." if ended else ""
        self.password_ok = f"Your password was changed.{others}"
