"""The chat page's state while an answer is written (state.chat._answer), without a browser: each
streamed flush changes only the answer being written, not the conversation; at the end the page
shows exactly what was stored, reading only the new turn unless another tab wrote meanwhile."""

from __future__ import annotations

import pytest

from dreamsuite.services import auth, chat as chat_service
from dreamsuite.state import chat as chat_state
from tests.test_state import handler, tab

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]


class Proxy:
    """What a background event gets: the tab's state, changed inside `async with`. Records which
    vars each `async with` changed (what that flush sends to the page)."""

    def __init__(self, state, on_enter=None):
        object.__setattr__(self, "_state", state)
        object.__setattr__(self, "changed", [])
        object.__setattr__(self, "_on_enter", on_enter)

    def __getattr__(self, name):
        return getattr(self._state, name)

    def __setattr__(self, name, value):
        setattr(self._state, name, value)

    async def __aenter__(self):
        self._state._clean()
        if self._on_enter is not None:
            await self._on_enter(len(self.changed))
        return self

    async def __aexit__(self, *exc):
        self.changed.append(set(self._state.dirty_vars))


async def _ask(proxy, question: str) -> None:
    async for _ in chat_state._answer(proxy, question):
        pass



async def _chat_tab(email: str = "me@example.com"):
    _, _, token = auth.create_account(email, "password1", "Me", "UTC")
    st = tab(chat_state.ChatState, token, "/chat")
    await handler(chat_state.ChatState, "check_login")(st)
    return st


async def test_flushes_send_the_answer_only_and_the_end_shows_what_was_stored(db, redis_url, monkeypatch):
    monkeypatch.setattr(chat_state, "FLUSH_SECONDS", 0)  # a flush for every piece
    st = await _chat_tab()
    scope = await st._scope()
    for question in ("How did my followers grow this week?", "When should I post?"):
        proxy = Proxy(st)
        await _ask(proxy, question)
        start, *flushes, end = proxy.changed
        assert "messages" in start and "streaming" in start  # the question shows at once
        assert len(flushes) >= 2 and all(f == {"answer"} for f in flushes)
        assert "messages" in end and not st.streaming and st.answer.content == ""
        stored = chat_service.messages(scope, st.conversation_id)
        assert [(m.role, m.content) for m in st.messages] == [(m["role"], m["content"]) for m in stored]
        assert st.messages[-1].content.strip() and st.messages[-1].agent_title  # the stored answer, titled
    assert len(st.messages) == 4


async def test_another_tab_writing_meanwhile_shows_the_whole_conversation(db, redis_url):
    st = await _chat_tab()
    scope = await st._scope()
    await _ask(Proxy(st), "How did my followers grow this week?")
    cid = st.conversation_id

    async def other_tab_asks(entry: int) -> None:
        if entry == 1:  # while this tab's answer streams, another tab asks in the same conversation
            async for _ in chat_service.stream_reply(scope, cid, "Compare my platforms"):
                pass

    await _ask(Proxy(st, other_tab_asks), "When should I post?")
    stored = chat_service.messages(scope, cid)
    assert len(stored) == 6
    assert [(m.role, m.content) for m in st.messages] == [(m["role"], m["content"]) for m in stored]


async def test_the_last_messages_are_read_oldest_first(db):
    from tests.seed_metrics import make_scope

    me = make_scope()
    cid = chat_service.create_conversation(me)
    for q in ("one?", "two?", "three?"):
        async for _ in chat_service.stream_reply(me, cid, q):
            pass
    everything = chat_service.messages(me, cid)
    assert chat_service.messages(me, cid, 2) == everything[-2:]
    assert [m["content"] for m in chat_service.messages(me, cid, 4)][0] == "two?"
