"""Chat: conversations, stored messages, and an answer streamed into the page as it is written.

The current conversation is in the URL (`/chat?c=<id>`), so a reload or a shared tab shows
the same conversation; its messages always come from the chat service (the database).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from typing import Awaitable, Callable

import reflex as rx
from redis.exceptions import RedisError

from dreamsuite import db, redisconn
from dreamsuite.services import chat as chat_service
from dreamsuite.services.auth import SessionEnded
from dreamsuite.services.scope import NotFound, Scope
from dreamsuite.state.auth import AuthState

log = logging.getLogger(__name__)
FLUSH_SECONDS = 0.05  # batch deltas a little: one websocket frame per token is wasteful
# How soon a Stop handled by another process (a tab whose websocket moved) ends an answer still
# waiting for its next piece; a Stop handled here is signalled at once (_stop_signals).
STOP_POLL_SECONDS = 1.0
# Per tab, the Stop of its streaming answer in this process: the answer hears it without looking
# at the state, and each look is the state's lock and a round trip of it through Redis (it was a
# look every 0.2 s of every answer, as costly as the answer's own flushes).
_stop_signals: dict[str, asyncio.Event] = {}


def _stop_key(tab: str) -> str:
    return f"chat:stop:{tab}"


async def _stopped_elsewhere(tab: str) -> bool:
    """A Stop handled by another process leaves a key in Redis: one look at it, not the state's lock."""
    try:
        return bool(await redisconn.client().exists(_stop_key(tab)))
    except (RedisError, OSError):
        return False  # the flushes still see `stopping`


@dataclasses.dataclass
class ChatMsg:
    role: str = "user"
    content: str = ""
    agent_title: str = ""  # which of the agents answered (Career Agent, Content Strategist, Goal Tracker)
    tools: str = ""  # what the answer looked at: "Instagram followers, this week · …"


class _Answer:
    """Reads a streamed answer in the handler's own task (pydantic-ai's run must start and end in
    one task) until it ends or Stop is pressed. A background event cannot be cancelled from
    another event, so Stop sets `ChatState.stopping`; the handler sees it when it flushes, and a
    watcher hears it meanwhile (this process's signal at once, another's Redis key within
    STOP_POLL_SECONDS), cancelling the wait when the model is slow to send anything (tools, a
    remote LLM). Either way the stream is closed, and the service stores what was said
    with "(Answer stopped.)"."""

    def __init__(self, state: "ChatState", stream, signal: asyncio.Event | None = None,
                 elsewhere: Callable[[], Awaitable[bool]] | None = None):
        self.state, self.stream, self.signal, self.elsewhere = state, stream, signal, elsewhere
        self.stopped = self._waiting = self._done = self._sleeping = False
        self._task = asyncio.current_task()
        self._watcher: asyncio.Task | None = None

    async def __aenter__(self) -> "_Answer":
        self._watcher = asyncio.create_task(self._watch())
        return self

    async def __aexit__(self, *exc) -> None:
        self._done = True
        if self._sleeping:  # never cancel it inside `async with state`, which holds the state's lock
            self._watcher.cancel()
        await asyncio.wait({self._watcher})
        if not self._watcher.cancelled() and self._watcher.exception():  # Stop then works at flushes only
            log.warning("chat stop watcher failed: %r", self._watcher.exception())
        await self.stream.aclose()  # in this task: the service's handler stores a stopped answer

    async def _watch(self) -> None:
        while not (self.stopped or self._done):
            self._sleeping = True
            try:
                signalled = await self._signalled()
            finally:
                self._sleeping = False
            if not signalled and self.elsewhere is not None:
                signalled = await self.elsewhere()
            elif not signalled:
                async with self.state:
                    signalled = self.state.stopping
            if signalled:
                self.stop()

    async def _signalled(self) -> bool:
        """Waits up to STOP_POLL_SECONDS; True when this process's Stop came meanwhile."""
        if self.signal is None:
            await asyncio.sleep(STOP_POLL_SECONDS)
            return False
        try:
            await asyncio.wait_for(self.signal.wait(), STOP_POLL_SECONDS)
            return True
        except TimeoutError:
            return False

    def stop(self) -> None:
        self.stopped = True
        if self._waiting:  # waiting on the model: end the wait (the service sees a cancellation)
            self._task.cancel()

    async def next(self) -> str | None:
        """The next piece, or None at the end or once stopped."""
        if self.stopped:
            return None
        self._waiting = True
        try:
            return await anext(self.stream)
        except StopAsyncIteration:
            return None
        except asyncio.CancelledError:
            if not self.stopped:
                raise
            self._task.uncancel()  # our own cancellation, for Stop: the handler carries on
            return None
        finally:
            self._waiting = False


def _shown(m: dict) -> ChatMsg:
    return ChatMsg(role=m["role"], content=m["content"], agent_title=m.get("agent_title") or "",
                   tools=" · ".join(m.get("tools") or []))


class ChatState(AuthState):
    conversations: list[dict[str, str]] = []
    conversation_id: int = 0
    messages: list[ChatMsg] = []
    # The answer being written, apart from `messages`: each streamed flush then sends this one
    # message to the page, not the whole conversation again.
    answer: ChatMsg = ChatMsg("assistant", "")
    streaming: bool = False
    stopping: bool = False  # Stop was pressed; the streaming answer ends at its next check
    chat_error: str = ""
    suggestions: list[str] = []  # built from this artist's data (services.chat.suggestions)

    async def _load_conversations(self, scope: Scope | None = None) -> None:
        rows = await db.run(chat_service.list_conversations, scope or await self._scope())
        self.conversations = [{"id": str(c["id"]), "title": c["title"]} for c in rows]

    async def _open(self, conversation_id: int, scope: Scope | None = None) -> None:
        try:
            rows = await db.run(chat_service.messages, scope or await self._scope(), conversation_id)
        except NotFound:
            self.conversation_id, self.messages = 0, []
            self.chat_error = "That conversation does not exist (or is not yours)."
            return
        self.conversation_id = conversation_id
        self.messages = [_shown(m) for m in rows]

    async def _show_stored_turn(self, conversation_id: int, scope: Scope, question: str) -> None:
        """After an answer: show the question and answer as stored, reading just those two; the
        whole conversation again only if they are not what this tab asked (another tab of the
        same person wrote in it meanwhile)."""
        try:
            rows = await db.run(chat_service.messages, scope, conversation_id, 2)
        except NotFound:
            rows = []  # gone meanwhile: _open says so
        mine = (len(rows) == 2 and [r["role"] for r in rows] == ["user", "assistant"]
                and rows[0]["content"] == question and self.messages and self.messages[-1].role == "user"
                and self.messages[-1].content == question)
        if mine:
            self.messages = [*self.messages[:-1], *(_shown(r) for r in rows)]
        else:
            await self._open(conversation_id, scope)

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
        async for update in _answer(self, (form.get("question") or "").strip()):
            yield update

    @rx.event(background=True)
    async def ask(self, question: str):
        """A suggestion clicked: answered by this event itself (not one more event that starts
        `send`, a state round trip through Redis for nothing)."""
        async for update in _answer(self, (question or "").strip()):
            yield update

    def _append(self, text: str) -> None:
        if text:
            self.answer = dataclasses.replace(self.answer, content=self.answer.content + text)

    @rx.event
    async def stop(self):
        if self.streaming:
            self.stopping = True
            tab = self.router.session.client_token
            signal = _stop_signals.get(tab)
            if signal is not None:
                signal.set()
                return
            try:  # the answer streams in another process (this tab's websocket moved)
                await redisconn.client().set(_stop_key(tab), 1, ex=120)
            except (RedisError, OSError):
                pass  # its flushes still see `stopping`


async def _answer(state: "ChatState", question: str):
    """Ask, stream the answer into the tab's state, then show what was stored; `state` is the
    background event's proxy of the tab's ChatState (`async with state` to change it)."""
    async with state:
        if state.streaming or not question:
            return
        scope = await state._scope()
        if not state.conversation_id:
            state.conversation_id = await db.run(chat_service.create_conversation, scope)
        conversation_id = state.conversation_id
        state.messages = [*state.messages, ChatMsg("user", question)]
        state.answer = ChatMsg("assistant", "")
        state.streaming, state.stopping, state.chat_error = True, False, ""
    # Keep the URL on this conversation without reloading the page.
    yield rx.call_script(f"window.history.replaceState(null, '', '/chat?c={conversation_id}')")

    pending, last_flush, first = [], time.monotonic(), True
    tab = state.router.session.client_token
    signal = _stop_signals[tab] = asyncio.Event()
    try:
        await redisconn.client().delete(_stop_key(tab))  # an earlier answer's Stop is not this one's
    except (RedisError, OSError):
        pass
    try:
        async with _Answer(state, chat_service.stream_reply(scope, conversation_id, question), signal,
                           lambda: _stopped_elsewhere(tab)) as answer:
            while (delta := await answer.next()) is not None:
                pending.append(delta)
                # The first piece goes out at once: it is the wait the person feels most.
                if first or time.monotonic() - last_flush >= FLUSH_SECONDS:
                    async with state:
                        state._append("".join(pending))
                        if state.stopping:
                            answer.stop()
                    pending, last_flush, first = [], time.monotonic(), False
    except chat_service.ChatError as exc:
        async with state:
            state.chat_error = str(exc)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("chat stream failed")
        async with state:
            state.chat_error = "The assistant is unavailable right now. Please try again."
    finally:
        if _stop_signals.get(tab) is signal:
            del _stop_signals[tab]
        async with state:
            state._append("".join(pending))
            state.streaming = state.stopping = False
            # The service stored both turns; show exactly what was stored. The question's own
            # login check covers these reads of what this person just wrote (the next event
            # checks again); the list is read again only when this conversation is new to it (or
            # still untitled), and otherwise just moves to the top, as the list orders by the
            # latest message.
            said, state.answer = state.answer, ChatMsg("assistant", "")
            try:
                await state._show_stored_turn(conversation_id, scope, question)
                key = str(conversation_id)
                mine = [c for c in state.conversations if c["id"] == key]
                if mine and mine[0]["title"] != chat_service.DEFAULT_TITLE:
                    state.conversations = [*mine, *(c for c in state.conversations if c["id"] != key)]
                else:
                    await state._load_conversations(scope)
            except SessionEnded:
                # Logged out while the answer streamed: the next click goes to the login page;
                # until then the page keeps what it showed.
                if said.content:
                    state.messages = [*state.messages, said]

