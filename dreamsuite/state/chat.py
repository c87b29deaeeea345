"""Chat: conversations, stored messages, and an answer streamed into the page as it is written.

The current conversation is in the URL (`/chat?c=<id>`), so a reload or a shared tab shows
the same conversation; its messages always come from the chat service (the database).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time

import reflex as rx

from dreamsuite import db
from dreamsuite.services import chat as chat_service
from dreamsuite.services.auth import SessionEnded
from dreamsuite.services.scope import NotFound
from dreamsuite.state.auth import AuthState

log = logging.getLogger(__name__)
FLUSH_SECONDS = 0.05  # batch deltas a little: one websocket frame per token is wasteful

@dataclasses.dataclass
class ChatMsg:
    role: str = "user"
    content: str = ""
    agent_title: str = ""  # which of the agents answered (Career Agent, Content Strategist, Goal Tracker)


class ChatState(AuthState):
    conversations: list[dict[str, str]] = []
    conversation_id: int = 0
    messages: list[ChatMsg] = []
    streaming: bool = False
    chat_error: str = ""
    suggestions: list[str] = []  # built from this artist's data (services.chat.suggestions)

    async def _load_conversations(self) -> None:
        rows = await db.run(chat_service.list_conversations, await self._scope())
        self.conversations = [{"id": str(c["id"]), "title": c["title"]} for c in rows]

    async def _open(self, conversation_id: int) -> None:
        try:
            rows = await db.run(chat_service.messages, await self._scope(), conversation_id)
        except NotFound:
            self.conversation_id, self.messages = 0, []
            self.chat_error = "That conversation does not exist (or is not yours)."
            return
        self.conversation_id = conversation_id
        self.messages = [ChatMsg(role=m["role"], content=m["content"], agent_title=m.get("agent_title") or "")
                         for m in rows]

    @rx.event
    async def load(self):
        if not self.is_logged_in:
            return
        self.chat_error = ""
        await self._load_conversations()
        self.suggestions = await db.run(chat_service.suggestions, await self._scope())
        raw = self.router.url.query_parameters.get("c", "")
        if raw.isdigit() and len(raw) < 12:
            await self._open(int(raw))
        else:
            self.conversation_id, self.messages = 0, []

    @rx.event
    def new_conversation(self):
        self.conversation_id, self.messages, self.chat_error = 0, [], ""
        return rx.redirect("/chat", replace=True)

    @rx.event
    def open_conversation(self, conversation_id: str):
        return rx.redirect(f"/chat?c={conversation_id}")

    @rx.event(background=True)
    async def send(self, form: dict):
        question = (form.get("question") or "").strip()
        async with self:
            if self.streaming or not question:
                return
            scope = await self._scope()
            if not self.conversation_id:
                self.conversation_id = await db.run(chat_service.create_conversation, scope)
            conversation_id = self.conversation_id
            self.messages = [*self.messages, ChatMsg("user", question), ChatMsg("assistant", "")]
            self.streaming, self.chat_error = True, ""
        # Keep the URL on this conversation without reloading the page.
        yield rx.call_script(f"window.history.replaceState(null, '', '/chat?c={conversation_id}')")

        pending, last_flush = [], time.monotonic()
        try:
            async for delta in chat_service.stream_reply(scope, conversation_id, question):
                pending.append(delta)
                if time.monotonic() - last_flush >= FLUSH_SECONDS:
                    async with self:
                        self._append("".join(pending))
                    pending, last_flush = [], time.monotonic()
        except chat_service.ChatError as exc:
            async with self:
                self.chat_error = str(exc)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("chat stream failed")
            async with self:
                self.chat_error = "The assistant is unavailable right now. Please try again."
        finally:
            async with self:
                self._append("".join(pending))
                self.streaming = False
                # The service stored both turns; show exactly what was stored.
                try:
                    await self._open(conversation_id)
                    await self._load_conversations()
                except SessionEnded:
                    pass  # logged out while the answer streamed: the next click goes to the login page

    def _append(self, text: str) -> None:
        if not text or not self.messages:
            return
        last = self.messages[-1]
        self.messages = [*self.messages[:-1], ChatMsg(last.role, last.content + text, last.agent_title)]

    @rx.event
    def ask(self, question: str):
        return ChatState.send({"question": question})
