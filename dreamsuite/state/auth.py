"""The logged-in user, resolved from the HttpOnly session cookie the websocket connected with.

The browser's scripts never see the session token: our HTTP routes set it, and each page's
websocket handshake carries it to the server (`router.headers.cookie`). Every event that
touches workspace data calls `_scope()`, which re-checks the login and the membership, so a
logout, a password change or an expiry ends every open tab at its next click.

A state tree belongs to one login: when another login appears in the same tab (someone logs
out and someone else logs in), every per-user state is reset before anything is shown.
"""

from __future__ import annotations

import reflex as rx

from dreamsuite import db
from dreamsuite.models import Role
from dreamsuite.services import auth
from dreamsuite.services.scope import Scope


class AuthState(rx.State):
    user_id: int = 0
    user_email: str = ""
    user_name: str = ""
    user_timezone: str = "UTC"
    workspace_id: int = 0
    workspace_name: str = ""
    role: str = ""
    # The login this state tree belongs to (AuthSession.id); 0 before the first check.
    _session_id: int = 0

    @rx.var
    def is_logged_in(self) -> bool:
        return self.user_id > 0 and self.workspace_id > 0

    @rx.var
    def can_edit(self) -> bool:
        return self.role in (Role.owner, Role.editor)

    @rx.var
    def current_path(self) -> str:
        # The production build serves pages with a trailing slash.
        return self.router.url.path.rstrip("/") or "/"

    @rx.var
    def user_initial(self) -> str:
        return (self.user_name or self.user_email or "?")[:1].upper()

    def _token(self) -> str:
        return auth.token_from_cookie_header(self.router.headers.cookie)

    async def _reset_user_states(self) -> None:
        """Forget everything a previous login left in this tab (drafts, chats, lists)."""
        for cls in _user_state_classes():
            await self.get_state(cls)  # load it into the tree so the reset reaches it
        (await self.get_state(AuthState)).reset()  # AuthState and every state below it

    async def _load_session(self) -> bool:
        info = await db.run(auth.session_for, self._token())
        if info is None or info.workspace_id is None:
            if self._session_id or self.user_id:
                await self._reset_user_states()
            return False
        if info.session_id != self._session_id:
            await self._reset_user_states()
            self._session_id = info.session_id
        self.user_id, self.user_email, self.user_name = info.user_id, info.email, info.name
        self.user_timezone = info.timezone or "UTC"
        self.workspace_id, self.workspace_name, self.role = info.workspace_id, info.workspace_name, info.role
        return True

    async def _scope(self, min_role: Role = Role.viewer) -> Scope:
        """Proof of login and membership, re-checked against the database on every use.

        Raises SessionEnded (the app sends the tab to the login page) or AccessDenied.
        """
        if not self._session_id:
            raise auth.SessionEnded()
        return await db.run(auth.scope_for_token, self._token(), self._session_id, self.workspace_id, min_role)

    @rx.event
    async def check_login(self):
        if not await self._load_session():
            return rx.redirect("/login")

    @rx.event
    async def redirect_home(self):
        return rx.redirect("/dashboard" if await self._load_session() else "/login")

    @rx.event
    async def redirect_if_logged_in(self):
        if self._token() and await self._load_session():
            return rx.redirect("/dashboard")


def _user_state_classes() -> list[type[rx.State]]:
    """Every state class below AuthState (they all hold one user's data)."""
    out, todo = [], list(AuthState.__subclasses__())
    while todo:
        cls = todo.pop()
        out.append(cls)
        todo.extend(cls.__subclasses__())
    return out
