"""The sidebar's workspace switcher: the user's artist workspaces, switching, a new one, deleting.

A switch changes AuthState.workspace_id (after the service confirmed the membership), forgets
every page's data of the old workspace and reloads the page, whose on_load handlers then read
the new workspace's data: nothing of the old artist stays on screen.
"""

from __future__ import annotations

import reflex as rx

from dreamsuite import db
from dreamsuite.models import Role
from dreamsuite.services import auth, workspaces
from dreamsuite.services.errors import UserError
from dreamsuite.state.auth import AuthState, _user_state_classes
from dreamsuite.state.notifications import NotificationState

TZ_SCRIPT = "Intl.DateTimeFormat().resolvedOptions().timeZone"


class WorkspaceState(AuthState):
    # The user's workspaces other than the current one: {"id", "name", "role"} (strings).
    others: list[dict[str, str]] = []
    creating: bool = False
    new_name: str = ""
    new_timezone: str = ""
    create_error: str = ""
    delete_confirm: str = ""
    delete_error: str = ""

    @rx.event
    async def open_page(self):
        """The first on_load of every signed-in page (components/layout.template): the login
        check, then this switcher's list and the bell, as one event. Each event is a lock and a
        load and save of its states in Redis, and one on AuthState itself would load every page's
        state of the tab; on this small state it loads its own line of the tree and the bell."""
        done = await AuthState.check_login.fn(self)
        if done is not None:  # to the login page, or a reload: read nothing
            return done
        await self._load_list()
        bell = await self.get_state(NotificationState)
        await bell._refresh()
        return NotificationState.watch

    @rx.event
    async def load(self):
        await self._load_list()

    async def _load_list(self):
        if not self.user_id:
            return
        mine = await db.run(workspaces.my_workspaces, self.user_id)
        self.others = [{"id": str(w.id), "name": w.name, "role": w.role} for w in mine
                       if w.id != self.workspace_id]

    async def _enter(self, entry: workspaces.WorkspaceEntry, then: str = ""):
        """Work in `entry` from now on: the pages' data of the old workspace go, the page reloads
        (or `then` is loaded). The login remembers it, so a reload or a new tab stays there."""
        root = await self.get_state(AuthState)
        # The login is still alive and a member of the new workspace (SessionEnded, AccessDenied).
        await db.run(auth.enter_workspace, self._token(), root._session_id, entry.id)
        pages = [await self.get_state(cls) for cls in _user_state_classes() if cls is not WorkspaceState]
        # A live page's listener of the old workspace stops when its generation moves on (state/live).
        gens = [getattr(st, "_listen_gen", None) for st in pages]
        for st in pages:
            st.reset()
        for st, gen in zip(pages, gens):
            if gen is not None:
                st._listen_gen = gen + 1
        root.workspace_id, root.workspace_name, root.role = entry.id, entry.name, entry.role
        root.workspace_pref = str(entry.id)
        self.creating, self.new_name, self.create_error = False, "", ""
        self.delete_confirm, self.delete_error = "", ""
        if then:
            return rx.call_script(f"window.location.replace({then!r})")
        return rx.call_script("window.location.reload()")

    @rx.event
    async def switch(self, workspace_id: int):
        try:
            entry = await db.run(workspaces.switch_to, self.user_id, int(workspace_id))
        except (UserError, ValueError, TypeError):
            return WorkspaceState.load  # the menu listed a workspace the user has left
        return await self._enter(entry)

    @rx.event
    def open_create(self):
        self.creating, self.new_name, self.create_error = True, "", ""
        return rx.call_script(TZ_SCRIPT, callback=WorkspaceState.set_detected_timezone)

    @rx.event
    def set_detected_timezone(self, tz: str):
        if not self.new_timezone:
            self.new_timezone = str(tz or "")[:64] or self.user_timezone

    @rx.event
    def set_creating(self, value: bool):
        self.creating = bool(value)

    @rx.event
    def set_new_name(self, value: str):
        self.new_name = str(value)[:200]

    @rx.event
    def set_new_timezone(self, value: str):
        self.new_timezone = str(value)[:64]

    @rx.event
    async def create(self):
        scope = await self._scope()
        try:
            entry = await db.run(workspaces.create_workspace, scope.user_id, self.new_name,
                                 self.new_timezone or self.user_timezone)
        except UserError as exc:
            self.create_error = exc.message
            return None
        return await self._enter(entry)

    @rx.event
    def set_delete_confirm(self, value: str):
        self.delete_confirm, self.delete_error = str(value)[:200], ""

    @rx.event
    async def delete_current(self):
        """Delete the current workspace (owners, its name typed) and go to the user's first other one."""
        scope = await self._scope(Role.owner)
        try:
            await db.run(workspaces.delete_workspace, scope, self.delete_confirm)
        except UserError as exc:
            self.delete_error = exc.message
            return None
        rest = await db.run(workspaces.my_workspaces, scope.user_id)
        return await self._enter(rest[0])
