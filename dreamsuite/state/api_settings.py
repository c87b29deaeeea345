"""The account page's "API and webhooks" section: the workspace's API tokens (created with the
secret shown once, listed, revoked) and webhooks (added with their events, listed, deleted, the
latest deliveries). Only the workspace's owner sees and manages them; every event re-checks that.
"""

from __future__ import annotations

import reflex as rx

from dreamsuite import db
from dreamsuite.models import Role
from dreamsuite.services import api_tokens, webhooks
from dreamsuite.services.errors import UserError
from dreamsuite.state.auth import AuthState
from dreamsuite.state.fmt import local_time

EVENT_CHOICES = [{"name": k, "label": v} for k, v in webhooks.EVENTS.items()]
DEFAULT_EVENTS = ["post.published", "post.failed", "post.unconfirmed"]
NOT_OWNER = "Only the workspace's owner manages API tokens and webhooks."


class ApiSettingsState(AuthState):
    tokens: list[dict[str, str]] = []
    hooks: list[dict[str, str]] = []
    deliveries: list[dict[str, str]] = []
    # A token's or a webhook secret, shown once right after it was made (never stored here after).
    new_secret: str = ""
    new_secret_label: str = ""
    token_error: str = ""
    hook_error: str = ""
    token_scope: str = "read"
    hook_events: list[str] = DEFAULT_EVENTS

    @rx.var
    def api_base(self) -> str:
        from dreamsuite.settings import get_settings

        return get_settings().api_url + "/api/v1"

    def _when(self, value) -> str:
        return local_time(value, self.user_timezone) if value else ""

    async def _reload(self, scope) -> None:
        tokens, hooks, deliveries = await db.run(_lists, scope)
        self.tokens = [{"id": str(t["id"]), "name": t["name"], "prefix": t["prefix"], "scope": t["scope"],
                        "created": self._when(t["created_at"]),
                        "last_used": self._when(t["last_used_at"]) or "never",
                        "revoked": self._when(t["revoked_at"])} for t in tokens]
        self.hooks = [{"id": str(h["id"]), "url": h["url"], "events": ", ".join(h["events"])} for h in hooks]
        self.deliveries = [{"id": str(d["id"]), "url": d["url"], "event": d["event"], "status": d["status"],
                            "attempts": str(d["attempts"]),
                            "code": str(d["response_code"]) if d["response_code"] is not None else "",
                            "error": d["error"], "when": self._when(d["created_at"]),
                            "next": self._when(d["next_try_at"])} for d in deliveries]

    async def _owner_scope(self):
        scope = await self._scope()
        if scope.role != Role.owner:
            self.tokens, self.hooks, self.deliveries = [], [], []
            return None
        return scope

    @rx.event
    async def load(self):
        self.new_secret = self.new_secret_label = self.token_error = self.hook_error = ""
        if scope := await self._owner_scope():
            await self._reload(scope)

    @rx.event
    def set_token_scope(self, value: str):
        self.token_scope = "write" if value == "write" else "read"

    @rx.event
    def toggle_event(self, name: str, on: bool):
        wanted = set(self.hook_events) | {name} if on else set(self.hook_events) - {name}
        self.hook_events = [e for e in webhooks.EVENTS if e in wanted]

    @rx.event
    def forget_secret(self):
        self.new_secret = self.new_secret_label = ""

    @rx.event
    async def create_token(self, form: dict):
        self.token_error, self.new_secret = "", ""
        if not (scope := await self._owner_scope()):
            self.token_error = NOT_OWNER  # a page opened before the owner became an editor
            return
        try:
            row, secret = await db.run(api_tokens.create, scope, str(form.get("name", ""))[:200], self.token_scope)
        except UserError as exc:
            self.token_error = exc.message
            return
        self.new_secret, self.new_secret_label = secret, f"API token “{row['name']}”"
        await self._reload(scope)

    @rx.event
    async def revoke_token(self, token_id: str):
        if scope := await self._owner_scope():
            try:
                await db.run(api_tokens.revoke, scope, int(token_id))
            except (UserError, ValueError):
                self.token_error = "That token is no longer there."
            await self._reload(scope)

    @rx.event
    async def add_webhook(self, form: dict):
        self.hook_error, self.new_secret = "", ""
        if not (scope := await self._owner_scope()):
            self.hook_error = NOT_OWNER
            return
        try:
            row, secret = await db.run(webhooks.register, scope, str(form.get("url", ""))[:2100], self.hook_events)
        except UserError as exc:
            self.hook_error = exc.message
            return
        self.new_secret, self.new_secret_label = secret, f"signing secret of {row['url']}"
        await self._reload(scope)

    @rx.event
    async def delete_webhook(self, hook_id: str):
        if scope := await self._owner_scope():
            try:
                await db.run(webhooks.delete_webhook, scope, int(hook_id))
            except (UserError, ValueError):
                self.hook_error = "That webhook is no longer there."
            await self._reload(scope)

    @rx.event
    async def refresh(self):
        if scope := await self._owner_scope():
            await self._reload(scope)


def _lists(scope):
    return api_tokens.list_tokens(scope), webhooks.list_webhooks(scope), webhooks.list_deliveries(scope)
