"""The bell: unread count and the newest notifications, live on every logged-in page."""

from __future__ import annotations

import dataclasses

import reflex as rx

from dreamsuite import db
from dreamsuite.services import notifications
from dreamsuite.state import fmt
from dreamsuite.state.auth import AuthState, to_login_page
from dreamsuite.state.live import watch_page


@dataclasses.dataclass
class NotificationItem:
    id: int = 0
    message: str = ""
    link: str = ""
    when: str = ""
    unread: bool = False


class NotificationState(AuthState):
    unread: int = 0
    items: list[NotificationItem] = []
    _listen_gen: int = 0

    @rx.var
    def unread_label(self) -> str:
        return "9+" if self.unread > 9 else str(self.unread)

    async def _refresh(self) -> None:
        data = await db.run(notifications.summary, await self._scope())
        self.unread = data["unread"]
        self.items = [NotificationItem(n["id"], n["message"], n["link"],
                                       fmt.local_time(n["created_at"], self.user_timezone), not n["is_read"])
                      for n in data["items"]]

    @rx.event
    async def mark_all_read(self):
        await db.run(notifications.mark_read, await self._scope())
        await self._refresh()

    @rx.event
    async def mark_read(self, notification_id: int):
        await db.run(notifications.mark_read, await self._scope(), notification_id)
        await self._refresh()

    @rx.event(background=True)
    async def watch(self):
        if await watch_page(self, None, {"notification"}, lambda ev: self._refresh()):
            yield to_login_page()
