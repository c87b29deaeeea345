"""The logged-in user, resolved from the HttpOnly session cookie the websocket connected with.

The browser's scripts never see the session token: our HTTP routes set it, and each page's
websocket handshake carries it to the server (`router.headers.cookie`). Every event that
touches workspace data calls `_scope()`, which re-checks the login and the membership, so a
logout, a password change or an expiry ends every open tab at its next click.

A state tree belongs to one login: when that login ends (logout, a password change elsewhere,
expiry) or another one appears in the same tab, every per-user state is reset. The page the tab
has loaded may already hold the old values (the page's first snapshot is sent before its
on_load handlers run, and resets are not always re-sent), so the next page handler reloads
the page once: it starts over from the reset state and nothing of the last person stays in it.
"""

from __future__ import annotations

import reflex as rx

from dreamsuite import db
from dreamsuite.models import Role
from dreamsuite.services import auth, workspaces
from dreamsuite.services.scope import Scope
from dreamsuite.state import live


# The classes of the logout forms (components/layout.py, pages/account.py).
LOGOUT_FORM, LOGOUT_EVERYWHERE_FORM = "logout-form", "logout-everywhere-form"
# The artist workspace last picked in this browser (auth.WORKSPACE_COOKIE): only a preference,
# the membership is checked at every use.


def to_login_page():
    """A full page load of the login page: nothing of the page the tab showed stays in memory."""
    return rx.call_script("window.location.replace('/login')")


class AuthState(rx.State):
    user_id: int = 0
    user_email: str = ""
    user_name: str = ""
    user_timezone: str = "UTC"
    workspace_id: int = 0
    workspace_name: str = ""
    role: str = ""
    # The workspace picked in the sidebar, kept in a cookie so a new tab and the HTTP routes
    # (exports, media thumbnails) work in it too; "" means the user's first workspace.
    workspace_pref: str = rx.Cookie("", name=auth.WORKSPACE_COOKIE, path="/", same_site="lax")
    # The login this state tree belongs to (AuthSession.id); 0 before the first check.
    _session_id: int = 0
    # Set when the states were reset under a loaded page: it still holds the old login's values.
    _page_is_stale: bool = False

    @rx.var
    def is_logged_in(self) -> bool:
        return self.user_id > 0 and self.workspace_id > 0

    @rx.var
    def can_edit(self) -> bool:
        return self.role in (Role.owner, Role.editor)

    @rx.var
    def is_owner(self) -> bool:
        return self.role == Role.owner

    @rx.var
    def role_reason(self) -> str:
        """Why controls are disabled for this role ("" when they are not)."""
        if self.role == Role.viewer:
            return "You are a viewer of this workspace: you can read everything, not change it."
        return ""

    @rx.var
    def current_path(self) -> str:
        # The production build serves pages with a trailing slash.
        return self.router.url.path.rstrip("/") or "/"

    @rx.var
    def user_initial(self) -> str:
        return (self.user_name or self.user_email or "?")[:1].upper()

    def _token(self) -> str:
        return auth.token_from_cookie_header(self.router.headers.cookie)

    async def _forget_login(self) -> None:
        """Forget everything a login left in this tab (drafts, chats, lists, who it was)."""
        if not (self._session_id or self.user_id):
            return  # nothing of anyone's here
        for cls in _user_state_classes():
            await self.get_state(cls)  # load it into the tree so the reset reaches it
        root = await self.get_state(AuthState)
        root.reset()  # AuthState and every state below it
        root._page_is_stale = True

    async def _take_stale(self) -> bool:
        """Whether the loaded page holds a forgotten login (asked once: the caller reloads it)."""
        root = await self.get_state(AuthState)
        stale, root._page_is_stale = root._page_is_stale, False
        return stale

    async def _reload_if_stale(self):
        """Reload the page (a fresh start from the reset states) if it holds a forgotten login."""
        return rx.call_script("window.location.reload()") if await self._take_stale() else None

    async def _load_session(self) -> bool:
        wanted = self.workspace_id or auth.workspace_from_cookie(self.workspace_pref)
        info = await db.run(auth.session_for, self._token(), wanted)
        if info is not None and info.workspace_id is None:
            # Removed from (or left) every workspace: one of their own, so the app still opens.
            await db.run(workspaces.ensure_workspace, info.user_id, info.name or info.email, info.timezone)
            info = await db.run(auth.session_for, self._token())
        if info is None or info.workspace_id is None:
            await self._forget_login()
            return False
        if info.session_id != self._session_id:
            await self._forget_login()
            self._session_id = info.session_id
        self.user_id, self.user_email, self.user_name = info.user_id, info.email, info.name
        self.user_timezone = info.timezone or "UTC"
        self.workspace_id, self.workspace_name, self.role = info.workspace_id, info.workspace_name, info.role
        return True

    async def _scope(self, min_role: Role = Role.viewer) -> Scope:
        """Proof of login and membership, re-checked against the database on every use.

        Raises SessionEnded (the app sends the tab to the login page) or AccessDenied.
        """
        try:
            if not self._session_id:
                raise auth.SessionEnded()
            return await db.run(auth.scope_for_token, self._token(), self._session_id, self.workspace_id,
                                min_role)
        except auth.SessionEnded:
            await self._forget_login()  # the login page this tab is sent to reloads itself clean
            raise

    @rx.event
    async def check_login(self):
        live.visiting(self.router.session.client_token, self.router.url.path)
        if not await self._load_session():
            if await self._take_stale():
                return to_login_page()
            return rx.redirect("/login")
        return await self._reload_if_stale()

    @rx.event
    async def log_out(self, everywhere: bool = False):
        """The logout buttons: forget this tab's login, then let the browser post the logout form
        (the route ends the session and clears the HttpOnly cookie), so the login page it lands
        on starts clean."""
        await self._forget_login()
        await self._take_stale()  # the form post replaces the page anyway
        form = LOGOUT_EVERYWHERE_FORM if everywhere else LOGOUT_FORM
        return rx.call_script(f"document.querySelector('form.{form}').submit()")

    @rx.event
    def to_connections(self):
        """/onboarding was this page's name: links already sent keep working (with their query)."""
        query = self.router.url.query
        return rx.redirect("/connections" + (f"?{query}" if query else ""), replace=True)

    @rx.event
    async def redirect_home(self):
        logged_in = await self._load_session()
        return await self._reload_if_stale() or rx.redirect("/dashboard" if logged_in else "/login")


def _user_state_classes() -> list[type[rx.State]]:
    """Every state class below AuthState (they all hold one user's data)."""
    out, todo = [], list(AuthState.__subclasses__())
    while todo:
        cls = todo.pop()
        out.append(cls)
        todo.extend(cls.__subclasses__())
    return out
