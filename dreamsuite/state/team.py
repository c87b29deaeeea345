"""The team page: the workspace's members (everyone reads the list; owners change roles and remove
people), invitations by email (owners: invite, see pending ones, revoke), and leaving.

Every event re-checks the login and the role against the database (`_scope`), so a page opened
while its user was an owner refuses once they no longer are.
"""

from __future__ import annotations

import reflex as rx

from dreamsuite import db
from dreamsuite.models import Role
from dreamsuite.services import invitations, members, workspaces
from dreamsuite.services.errors import UserError
from dreamsuite.services.scope import Scope
from dreamsuite.state.auth import AuthState
from dreamsuite.state.fmt import local_time
from dreamsuite.state.workspaces import WorkspaceState

ROLES = [r.value for r in (Role.owner, Role.editor, Role.viewer)]
NOT_OWNER = "Only the workspace's owners invite people and change members."


class TeamState(AuthState):
    # {"user_id", "name", "email", "role", "joined", "me"} (strings; "me" is "1" for the user)
    people: list[dict[str, str]] = []
    # {"id", "email", "role", "invited_by", "sent", "expires", "expired"}: owners only
    pending: list[dict[str, str]] = []
    invite_email: str = ""
    invite_role: str = Role.editor.value
    invite_error: str = ""
    invite_ok: str = ""
    # The invitation link to pass on, when no email carried it: shown once, never stored.
    invite_link: str = ""
    team_error: str = ""
    team_ok: str = ""
    # The member the remove dialog asks about ("" = closed); leaving has a dialog too.
    removing_id: str = ""
    removing_name: str = ""
    leaving: bool = False

    def _when(self, value) -> str:
        return local_time(value, self.user_timezone)

    async def _reload(self, scope: Scope) -> None:
        people = await db.run(members.list_members, scope)
        self.people = [{"user_id": str(m.user_id), "name": m.name, "email": m.email, "role": m.role,
                        "joined": self._when(m.joined), "me": "1" if m.user_id == scope.user_id else ""}
                       for m in people]
        # The role may have changed since the page opened: the controls follow the database.
        self.role = scope.role.value
        if scope.can(Role.owner):
            pending = await db.run(invitations.list_pending, scope)
            self.pending = [{"id": str(p.id), "email": p.email, "role": p.role, "invited_by": p.invited_by,
                             "sent": self._when(p.created_at), "expires": self._when(p.expires_at),
                             "expired": "1" if p.expired else ""} for p in pending]
        else:
            self.pending = []

    def _clear(self) -> None:
        self.invite_error = self.invite_ok = self.invite_link = self.team_error = self.team_ok = ""

    async def _owner(self) -> Scope | None:
        """The owner's scope, or None with the reason shown (the role is re-read either way)."""
        scope = await self._scope()
        if not scope.can(Role.owner):
            self.team_error = NOT_OWNER
            await self._reload(scope)
            return None
        return scope

    @rx.event
    async def load(self):
        self._clear()
        self.removing_id, self.removing_name, self.leaving = "", "", False
        await self._reload(await self._scope())

    @rx.event
    def set_invite_email(self, value: str):
        self.invite_email = str(value)[:320]

    @rx.event
    def set_invite_role(self, value: str):
        self.invite_role = value if value in ROLES else Role.editor.value

    @rx.event
    async def invite(self, form: dict | None = None):
        self._clear()
        email = str((form or {}).get("email", self.invite_email))[:320]
        if not (scope := await self._owner()):
            self.invite_error, self.team_error = NOT_OWNER, ""
            return
        try:
            sent = await db.run(invitations.invite, scope, email, self.invite_role)
        except UserError as exc:
            self.invite_error = exc.message
            return
        self.invite_email = ""
        if sent.mail_failed:
            self.invite_ok = (f"Invitation for {sent.email} made, but the email could not be sent. Copy the link "
                              "below and send it yourself; it is shown only now.")
        elif sent.link:
            self.invite_ok = (f"Invitation for {sent.email} made. This server sends no email: copy the link below "
                              "and send it yourself; it is shown only now.")
        else:
            self.invite_ok = f"Invitation sent to {sent.email}."
        self.invite_link = sent.link
        await self._reload(scope)

    @rx.event
    def forget_link(self):
        self.invite_link = ""

    @rx.event
    async def revoke_invite(self, invitation_id: str):
        self._clear()
        if not (scope := await self._owner()):
            return
        try:
            await db.run(invitations.revoke, scope, invitation_id)
            self.team_ok = "Invitation withdrawn: its link no longer works."
        except UserError as exc:
            self.team_error = exc.message
        await self._reload(scope)

    @rx.event
    async def change_role(self, user_id: str, role: str):
        self._clear()
        if not (scope := await self._owner()):
            return
        try:
            m = await db.run(members.change_role, scope, user_id, role)
            self.team_ok = f"{m.name or m.email} is now {m.role}."
        except UserError as exc:
            self.team_error = exc.message
        await self._reload(await self._scope())  # their own role may be what changed

    @rx.event
    def ask_remove(self, user_id: str, name: str):
        self.removing_id, self.removing_name = str(user_id), str(name)[:200]

    @rx.event
    def cancel_remove(self):
        self.removing_id = self.removing_name = ""

    @rx.event
    async def remove(self):
        self._clear()
        user_id, self.removing_id, self.removing_name = self.removing_id, "", ""
        if not (scope := await self._owner()):
            return
        try:
            await db.run(members.remove_member, scope, user_id)
            self.team_ok = "Removed: they lost access to this workspace."
        except UserError as exc:
            self.team_error = exc.message
        if str(user_id) == str(scope.user_id) and not self.team_error:
            return await self._elsewhere(scope)
        await self._reload(scope)

    @rx.event
    def set_leaving(self, value: bool):
        self.leaving = bool(value)

    @rx.event
    async def leave(self):
        self._clear()
        self.leaving = False
        scope = await self._scope()
        try:
            await db.run(members.leave, scope)
        except UserError as exc:
            self.team_error = exc.message
            return None
        return await self._elsewhere(scope)

    async def _elsewhere(self, scope: Scope):
        """After leaving: on to the user's first other workspace (one of their own if none is left)."""
        entry = await db.run(workspaces.ensure_workspace, scope.user_id, self.user_name or self.user_email,
                             self.user_timezone)
        ws = await self.get_state(WorkspaceState)
        return await ws._enter(entry, "/dashboard")
