"""Chat service on real databases: streaming, storage, history, access and failures."""

import asyncio
import json
from datetime import timedelta

import pytest
from pydantic_ai.messages import ModelRequest, ModelResponse, TextPart, ToolCallPart, UserPromptPart
from pydantic_ai.models.function import DeltaToolCall, FunctionModel

from dreamsuite.agents import offline
from dreamsuite.db import session, utcnow
from dreamsuite.models import ChatMessage, Membership, Role, User
from dreamsuite.services import chat
from dreamsuite.services.scope import NotFound, Scope
from tests.seed_metrics import make_scope, seed_followers

Q1 = "How did my followers grow this month?"


async def ask(scope, cid, question, **kw) -> list[str]:
    return [d async for d in chat.stream_reply(scope, cid, question, **kw)]


def seeded_scope() -> tuple[Scope, int, int]:
    """A workspace with 60 days of Instagram followers ending today; returns (scope, start, end) of this month."""
    me = make_scope()
    today = utcnow().date()
    values = [20000 + 37 * i + (i % 5) for i in range(60)]
    seed_followers(me, "instagram", today, values)
    by_day = {today - timedelta(days=59 - i): v for i, v in enumerate(values)}
    return me, by_day[today.replace(day=1) - timedelta(days=1)], by_day[today]


async def test_streams_the_real_figures_and_stores_the_turn(db):
    me, start, end = seeded_scope()
    cid = chat.create_conversation(me)
    pieces = await ask(me, cid, Q1)
    answer = "".join(pieces)
    assert len(pieces) > 1
    assert f"from {start:,} to {end:,} followers (+{end - start:,}" in answer

    msgs = chat.messages(me, cid)
    assert [m["role"] for m in msgs] == ["user", "assistant"]
    assert msgs[0]["content"] == Q1 and msgs[1]["content"] == answer
    assert msgs[1]["agent"] == "career" and msgs[1]["model"] == "offline-analyst" and msgs[1]["tokens"] > 0
    with session() as s:
        row = s.get(ChatMessage, msgs[1]["id"])
        assert "follower_growth" in row.history_json
    assert chat.list_conversations(me)[0] == {**chat.list_conversations(me)[0], "id": cid, "title": Q1}


async def test_second_question_gets_the_conversation_history(db):
    me, _, _ = seeded_scope()
    cid = chat.create_conversation(me, title="Growth")
    first = "".join(await ask(me, cid, Q1))
    seen: list[list] = []

    def spy(messages, info):
        seen.append(list(messages))
        return offline.reply(messages, info)

    async def spy_stream(messages, info):
        seen.append(list(messages))
        async for piece in offline.stream_reply(messages, info):
            yield piece

    await ask(me, cid, "And my engagement?", model=FunctionModel(spy, stream_function=spy_stream))
    prompts = [p.content for m in seen[0] if isinstance(m, ModelRequest) for p in m.parts if isinstance(p, UserPromptPart)]
    texts = [p.content for m in seen[0] if isinstance(m, ModelResponse) for p in m.parts if isinstance(p, TextPart)]
    assert prompts == [Q1, "And my engagement?"] and texts == [first]
    assert [m["role"] for m in chat.messages(me, cid)] == ["user", "assistant"] * 2
    assert chat.list_conversations(me)[0]["title"] == "Growth"  # an explicit title is kept


async def test_other_workspace_or_member_cannot_use_a_conversation(db):
    me, _, _ = seeded_scope()
    cid = chat.create_conversation(me)
    stranger = make_scope("Stranger")
    with pytest.raises(NotFound):
        await ask(stranger, cid, Q1)
    with pytest.raises(NotFound):
        chat.messages(stranger, cid)
    with session() as s:  # a second member of my workspace: my chats stay mine
        u = User(email="manager@example.com", password_hash="x")
        s.add(u)
        s.flush()
        s.add(Membership(user_id=u.id, workspace_id=me.workspace_id, role=Role.editor))
        manager = Scope(user_id=u.id, workspace_id=me.workspace_id, role=Role.editor)
    with pytest.raises(NotFound):
        await ask(manager, cid, Q1)
    assert chat.list_conversations(manager) == [] and chat.list_conversations(stranger) == []
    assert chat.messages(me, cid) == []


@pytest.mark.parametrize("question,match", [("", "type a question"), ("   \n ", "type a question"),
                                            ("x" * 4001, "4,000")])
async def test_invalid_questions_store_nothing(db, question, match):
    me = make_scope()
    cid = chat.create_conversation(me)
    with pytest.raises(chat.ChatError, match=match):
        await ask(me, cid, question)
    assert chat.messages(me, cid) == []
    assert chat.list_conversations(me)[0]["title"] == chat.DEFAULT_TITLE


async def test_model_failure_mid_stream_keeps_what_was_said(db, caplog):
    me = make_scope()
    cid = chat.create_conversation(me)

    def never(messages, info):
        raise AssertionError("not used by run_stream")

    async def breaks(messages, info):
        yield "Your followers "
        yield "grew by "
        raise RuntimeError("connection reset")

    got: list[str] = []
    with pytest.raises(chat.ChatError, match="could not finish its answer") as err:
        async for d in chat.stream_reply(me, cid, "followers?", model=FunctionModel(never, stream_function=breaks)):
            got.append(d)
    # The provider's error text reaches the log, never the person.
    assert "connection reset" not in err.value.message and "connection reset" in caplog.text
    assert "".join(got) == "Your followers grew by "
    msgs = chat.messages(me, cid)
    assert [m["role"] for m in msgs] == ["user", "assistant"]
    assert msgs[1]["content"].startswith("Your followers grew by") and "could not be completed" in msgs[1]["content"]
    # The failed turn adds no history: the next question still works.
    assert "".join(await ask(me, cid, "followers?"))


async def test_reader_stopping_early_still_stores_an_answer(db):
    me, _, _ = seeded_scope()
    cid = chat.create_conversation(me)
    stream = chat.stream_reply(me, cid, Q1)
    first = await stream.__anext__()
    await stream.aclose()
    msgs = chat.messages(me, cid)
    assert [m["role"] for m in msgs] == ["user", "assistant"]
    assert msgs[1]["content"].startswith(first.strip()) and "stopped" in msgs[1]["content"]
    assert msgs[1]["tools"] == ["Followers across platforms, this month"]  # it had looked before it wrote


async def test_configured_llm_without_key_fails_cleanly(db, monkeypatch):
    from dreamsuite.settings import get_settings

    monkeypatch.setenv("DREAMSUITE_MODEL", "openai-chat:gpt-4o-mini")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    get_settings.cache_clear()
    me = make_scope()
    cid = chat.create_conversation(me)
    with pytest.raises(chat.ChatError):
        await ask(me, cid, Q1)
    msgs = chat.messages(me, cid)
    assert [m["role"] for m in msgs] == ["user", "assistant"] and msgs[1]["model"] == "openai-chat:gpt-4o-mini"


def test_suggestions_come_from_the_artists_own_data(db):
    from dreamsuite.services import goals

    empty = make_scope("Nobody")
    assert chat.suggestions(empty) == ["What can you tell me once a platform is connected?"]
    me = make_scope("Two platforms")
    today = utcnow().date()
    seed_followers(me, "youtube", today, [500 + i for i in range(10)])
    seed_followers(me, "tiktok", today, [9_000 + i for i in range(10)])
    first = chat.suggestions(me)
    assert first[0] == "How did my TikTok grow this week?" and first[-1] == "Which platform is growing fastest?"
    goals.create(me, "youtube", 1_000)
    assert chat.suggestions(me)[-1] == "Am I on track for my goals?"


async def test_the_tools_an_answer_used_are_stored_and_said_in_words(db):
    me, _, _ = seeded_scope()
    cid = chat.create_conversation(me)
    await ask(me, cid, "How did my Instagram grow this week?")
    msgs = chat.messages(me, cid)
    assert msgs[1]["tools"] == ["Instagram followers, this week"] and msgs[0]["tools"] == []
    assert 0 < msgs[1]["first_chunk_ms"] <= msgs[1]["duration_ms"]
    with session() as s:
        row = s.get(ChatMessage, msgs[1]["id"])
    assert json.loads(row.tools_json) == [{"tool": "follower_growth",
                                           "args": {"period": "this_week", "platform": "instagram"}}]


async def test_a_call_the_model_got_wrong_is_not_listed(db):
    me, _, _ = seeded_scope()
    cid = chat.create_conversation(me)
    calls = iter([[ToolCallPart("ranked_posts", {"limit": 99}, tool_call_id="bad")],
                  [ToolCallPart("ranked_posts", {"metric": "likes", "limit": 3}, tool_call_id="good")],
                  "Here are your posts."])

    async def scripted(messages, info):
        step = next(calls)
        if isinstance(step, str):
            yield step
            return
        yield {i: DeltaToolCall(name=c.tool_name, json_args=c.args_as_json_str(), tool_call_id=c.tool_call_id)
               for i, c in enumerate(step)}

    model = FunctionModel(offline.reply, stream_function=scripted)
    assert "".join(await ask(me, cid, "top posts", model=model)) == "Here are your posts."
    assert chat.messages(me, cid)[1]["tools"] == ["Posts ranked by likes, last 90 days"]


async def test_stop_while_the_answer_is_being_written_keeps_it_with_what_was_looked_at(db, monkeypatch):
    from dreamsuite.settings import get_settings

    monkeypatch.setenv("CHAT_CHUNK_DELAY_MS", "5000")  # the answer waits after each piece: Stop lands in it
    get_settings.cache_clear()  # (the db fixture clears it again afterwards)
    me, _, _ = seeded_scope()
    cid = chat.create_conversation(me)
    got: list[str] = []
    second = asyncio.Event()

    async def consume():  # as the chat page reads it: one task iterates, and closes the stream
        stream = chat.stream_reply(me, cid, Q1)
        try:
            async for d in stream:
                got.append(d)
                second.set()
        finally:
            await stream.aclose()

    task = asyncio.create_task(consume())
    await second.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    msgs = chat.messages(me, cid)
    assert got and msgs[1]["content"] == "".join(got).rstrip() + "\n\n(Answer stopped.)"
    assert msgs[1]["tools"] == ["Followers across platforms, this month"]


async def test_a_long_conversation_sends_only_its_recent_turns_as_history(db, monkeypatch):
    """All turns stay stored and shown; the model gets the last HISTORY_TURNS, oldest first."""
    monkeypatch.setattr(chat, "HISTORY_TURNS", 3)
    me, _, _ = seeded_scope()
    cid = chat.create_conversation(me)
    asked = [f"How did my followers grow in week {n}?" for n in range(5)]
    for q in asked:
        await ask(me, cid, q)
    seen: list[list] = []

    async def spy_stream(messages, info):
        seen.append(list(messages))
        async for piece in offline.stream_reply(messages, info):
            yield piece

    await ask(me, cid, "And my engagement?", model=FunctionModel(offline.reply, stream_function=spy_stream))
    prompts = [p.content for m in seen[0] if isinstance(m, ModelRequest) for p in m.parts if isinstance(p, UserPromptPart)]
    assert prompts == [*asked[-3:], "And my engagement?"]
    assert isinstance(seen[0][0], ModelRequest)  # the history starts with a question
    assert len(chat.messages(me, cid)) == 12
