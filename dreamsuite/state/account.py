"""Login and sign-up forms: inline errors straight from AuthError."""

from __future__ import annotations

import reflex as rx

from dreamsuite.services import auth
from dreamsuite.state.auth import AuthState

TZ_SCRIPT = "Intl.DateTimeFormat().resolvedOptions().timeZone"


class LoginState(AuthState):
    login_error: str = ""
    login_busy: bool = False

    @rx.event
    async def submit_login(self, form: dict):
        self.login_error = ""
        try:
            token = auth.log_in(form.get("email", ""), form.get("password", ""))
        except auth.AuthError as exc:
            self.login_error = exc.message
            return
        self._start_session(token)
        return rx.redirect("/dashboard")


class SignupState(AuthState):
    signup_error: str = ""
    browser_timezone: str = "UTC"

    @rx.event
    def detect_timezone(self):
        # The browser knows the artist's timezone; posts and times are shown in it.
        return rx.call_script(TZ_SCRIPT, callback=SignupState.set_browser_timezone)

    @rx.event
    def set_browser_timezone(self, tz: str):
        self.browser_timezone = tz or "UTC"

    @rx.event
    async def submit_signup(self, form: dict):
        self.signup_error = ""
        try:
            _, _, token = auth.sign_up(
                form.get("email", ""),
                form.get("password", ""),
                form.get("name", ""),
                form.get("timezone") or self.browser_timezone,
            )
        except auth.AuthError as exc:
            self.signup_error = exc.message
            return
        self._start_session(token)
        return rx.redirect("/onboarding")
