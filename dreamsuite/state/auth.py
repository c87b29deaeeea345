"""The logged-in user: a session token in a cookie, resolved to user and workspace on load."""

from __future__ import annotations

import reflex as rx

from dreamsuite import db
from dreamsuite.services import auth
from dreamsuite.services.scope import Scope, scope_for
from dreamsuite.settings import get_settings


class AuthState(rx.State):
    # The raw token lives only in the browser; the database keeps its SHA-256.
    session_token: str = rx.Cookie(
        "", name="ds_session", max_age=get_settings().session_days * 86400, same_site="lax"
    )
    user_id: int = 0
    user_email: str = ""
    user_name: str = ""
    user_timezone: str = "UTC"
    workspace_id: int = 0
    workspace_name: str = ""
    role: str = ""

    @rx.var
    def is_logged_in(self) -> bool:
        return self.user_id > 0 and self.workspace_id > 0

    @rx.var
    def current_path(self) -> str:
        # The production build serves pages with a trailing slash.
        return self.router.url.path.rstrip("/") or "/"

    @rx.var
    def user_initial(self) -> str:
        return (self.user_name or self.user_email or "?")[:1].upper()

    def _load_session(self) -> bool:
        info = auth.session_for(self.session_token)
        if info is None or info.workspace_id is None:
            self._clear_session()
            return False
        self.user_id = info.user_id
        self.user_email = info.email
        self.user_name = info.name
        self.user_timezone = info.timezone or "UTC"
        self.workspace_id = info.workspace_id
        self.workspace_name = info.workspace_name
        self.role = info.role
        return True

    def _clear_session(self) -> None:
        self.user_id = 0
        self.user_email = self.user_name = self.workspace_name = self.role = ""
        self.workspace_id = 0
        self.user_timezone = "UTC"

    def _scope(self) -> Scope:
        """Proof of membership, re-checked against the database on every use."""
        with db.session() as s:
            return scope_for(s, self.user_id, self.workspace_id)

    def _start_session(self, token: str) -> None:
        self.session_token = token
        self._load_session()

    @rx.event
    def check_login(self):
        if not self._load_session():
            return rx.redirect("/login")

    @rx.event
    def redirect_home(self):
        return rx.redirect("/dashboard" if self._load_session() else "/login")

    @rx.event
    def redirect_if_logged_in(self):
        if self.session_token and self._load_session():
            return rx.redirect("/dashboard")

    @rx.event
    def log_out(self):
        auth.log_out(self.session_token)
        self.session_token = ""
        self._clear_session()
        return rx.redirect("/login")
