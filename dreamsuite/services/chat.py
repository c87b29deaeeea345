"""Chat with the agents: conversations, stored messages and a streamed reply.

Conversations are private to the member who started them, inside their workspace. Each
assistant row keeps the pydantic-ai messages of its turn, so the next question is asked with
the conversation's recent turns as history (HISTORY_TURNS: a model's context and its cost per
question are bounded, while the whole conversation stays stored and shown).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import timedelta
from typing import AsyncIterator

from pydantic_ai.messages import (
    ModelMessage, ModelMessagesTypeAdapter, ModelRequest, ModelResponse, ToolCallPart, ToolReturnPart,
)
from pydantic_ai.models import Model
from sqlalchemy.orm import defer
from sqlmodel import select

from dreamsuite.agents.career import AGENT_TITLES, AGENTS, model_for, model_label, route
from dreamsuite.agents.deps import AgentDeps
from dreamsuite.agents.looked_at import describe_all
from dreamsuite.agents.tools import TOOLS
from dreamsuite import db
from dreamsuite.db import reading, session, utcnow
from dreamsuite.models import ChatMessage, Conversation
from dreamsuite.services.scope import NotFound, Scope, get_scoped, scoped
from dreamsuite.settings import get_settings
from dreamsuite.services.errors import UserError
from dreamsuite.services.llm_failure import failure_message

log = logging.getLogger(__name__)

MAX_QUESTION = 4000
DEFAULT_TITLE = "New conversation"
# Answered turns sent with a question as its history: each holds the question, the tools' data
# and the answer, so a long conversation would otherwise grow every question's prompt (and its
# reading here) without end; a follow-up leans on the last few turns.
HISTORY_TURNS = 10


class ChatError(UserError, ValueError):
    """A question that cannot be asked, or an answer that could not be produced."""


def _own(s, scope: Scope, conversation_id: int) -> Conversation:
    conv = get_scoped(s, scope, Conversation, conversation_id)
    if conv.user_id != scope.user_id:
        raise NotFound(f"Conversation {conversation_id} not found")
    return conv


def create_conversation(scope: Scope, title: str | None = None) -> int:
    with session() as s:
        conv = Conversation(workspace_id=scope.workspace_id, user_id=scope.user_id,
                            title=(title or "").strip()[:200] or DEFAULT_TITLE)
        s.add(conv)
        s.flush()
        return conv.id


def list_conversations(scope: Scope) -> list[dict]:
    with reading() as s:
        rows = s.exec(scoped(scope, Conversation).where(Conversation.user_id == scope.user_id)
                      .order_by(Conversation.updated_at.desc(), Conversation.id.desc())).all()
        return [{"id": c.id, "title": c.title, "created_at": c.created_at.isoformat(),
                 "updated_at": c.updated_at.isoformat()} for c in rows]


def messages(scope: Scope, conversation_id: int, last: int | None = None) -> list[dict]:
    """The conversation's messages, oldest first; `last`: only that many of the latest."""
    with reading() as s:
        _own(s, scope, conversation_id)
        query = (scoped(scope, ChatMessage).where(ChatMessage.conversation_id == conversation_id)
                 .options(defer(ChatMessage.history_json)))  # the model's copy: not shown, often large
        if last is None:
            rows = s.exec(query.order_by(ChatMessage.id)).all()
        else:
            rows = list(reversed(s.exec(query.order_by(ChatMessage.id.desc()).limit(last)).all()))
        return [{"id": m.id, "role": m.role, "content": m.content, "created_at": m.created_at.isoformat(),
                 "agent": m.agent, "agent_title": AGENT_TITLES.get(m.agent or "", ""), "model": m.model,
                 "tokens": m.tokens, "duration_ms": m.duration_ms, "first_chunk_ms": m.first_chunk_ms,
                 "tools": describe_all(_loads(m.tools_json))}
                for m in rows]


def _loads(raw: str) -> list:
    try:
        value = json.loads(raw) if raw else []
    except ValueError:
        return []
    return value if isinstance(value, list) else []


TOOL_NAMES = frozenset(t.__name__ for t in TOOLS)


def tools_used(messages: list[ModelMessage]) -> list[dict]:
    """The data tools a turn called, with their arguments, that returned a result: a call the model
    got wrong and was asked to retry did not look at anything."""
    done = {p.tool_call_id for m in messages if isinstance(m, ModelRequest) for p in m.parts
            if isinstance(p, ToolReturnPart) and p.outcome == "success"}
    out = []
    for m in messages:
        for p in m.parts if isinstance(m, ModelResponse) else ():
            if isinstance(p, ToolCallPart) and p.tool_name in TOOL_NAMES and p.tool_call_id in done:
                try:
                    args = p.args_as_dict()
                except ValueError:
                    args = {}
                out.append({"tool": p.tool_name, "args": args})
    return out


def suggestions(scope: Scope) -> list[str]:
    """Questions to start with, from what this artist has: their biggest platform, their posts,
    their goals (or a first comparison when there is no goal)."""
    from dreamsuite.agents.reader import WorkspaceReader

    reader = WorkspaceReader(scope)
    connected = [p for p in reader.inventory()["connected"] if p["last_day"]]
    if not connected:
        return ["What can you tell me once a platform is connected?"]
    series = reader.follower_series(since=reader.today() - timedelta(days=7))
    biggest = max(connected, key=lambda p: (series.get(p["platform"]) or [(None, 0)])[-1][1])
    out = [f"How did my {biggest['label']} grow this week?", "What was my most liked post last month?",
           "When should I post?"]
    out.append("Am I on track for my goals?" if reader.goals() else
               "Which platform is growing fastest?" if len(connected) > 1 else "Why did my followers jump?")
    return out


def _history(s, scope: Scope, conversation_id: int) -> list[ModelMessage]:
    """The model's messages of the last HISTORY_TURNS answered turns, oldest first (each turn's
    own starts with its question, so the history starts with a question too)."""
    rows = s.exec(select(ChatMessage.history_json)
                  .where(ChatMessage.workspace_id == scope.workspace_id,
                         ChatMessage.conversation_id == conversation_id,
                         ChatMessage.role == "assistant", ChatMessage.history_json != "")
                  .order_by(ChatMessage.id.desc()).limit(HISTORY_TURNS)).all()
    history: list[ModelMessage] = []
    for raw in reversed(rows):
        history.extend(ModelMessagesTypeAdapter.validate_json(raw))
    return history


def _title(question: str) -> str:
    q = " ".join(question.split())
    return q if len(q) <= 60 else q[:57].rsplit(" ", 1)[0] + "…"


def _begin(scope: Scope, conversation_id: int, question: str) -> list[ModelMessage]:
    """Check access, store the question, title a new conversation; return the history."""
    with session() as s:
        conv = _own(s, scope, conversation_id)
        history = _history(s, scope, conversation_id)
        s.add(ChatMessage(workspace_id=scope.workspace_id, conversation_id=conversation_id,
                          role="user", content=question))
        if conv.title == DEFAULT_TITLE and not history:
            conv.title = _title(question)
        conv.updated_at = utcnow()
        s.add(conv)
    return history


def _finish(scope: Scope, conversation_id: int, **fields) -> None:
    with session() as s:
        s.add(ChatMessage(workspace_id=scope.workspace_id, conversation_id=conversation_id,
                          role="assistant", **fields))
        conv = get_scoped(s, scope, Conversation, conversation_id)
        conv.updated_at = utcnow()
        s.add(conv)


async def stream_reply(scope: Scope, conversation_id: int, question: str, *,
                       agent_name: str | None = None, model: Model | str | None = None) -> AsyncIterator[str]:
    """Yield the answer as it is written; the question and the answer are both stored,
    even when the model fails or the reader stops early. Without `agent_name` the question
    picks its agent (see agents.career.route)."""
    question = (question or "").strip()
    if not question:
        raise ChatError("Please type a question.")
    if len(question) > MAX_QUESTION:
        raise ChatError(f"Questions are limited to {MAX_QUESTION:,} characters; this one has {len(question):,}.")
    agent_name = agent_name or route(question)
    agent = AGENTS.get(agent_name)
    if agent is None:
        raise ChatError(f"Unknown agent {agent_name!r}.")
    model = model if model is not None else model_for(get_settings().dreamsuite_model)
    started = time.monotonic()
    history = await db.run(_begin, scope, conversation_id, question)

    said: list[str] = []
    first_chunk_ms = 0
    delay = max(0, get_settings().chat_chunk_delay_ms) / 1000
    meta = {"agent": agent_name, "model": model_label(model)[:128]}
    result = None
    try:
        async with agent.run_stream(question, deps=AgentDeps(scope=scope), message_history=history,
                                    model=model) as result:
            async for delta in result.stream_text(delta=True, debounce_by=None):
                if not said:
                    first_chunk_ms = int((time.monotonic() - started) * 1000)
                said.append(delta)
                yield delta
                if delay:
                    await asyncio.sleep(delay)
            usage = result.usage
            new_json = result.new_messages_json().decode()
            tools = tools_used(result.new_messages())
    except (Exception, asyncio.CancelledError, GeneratorExit) as e:
        interrupted = not isinstance(e, Exception)
        note = "(Answer stopped.)" if interrupted else "(Sorry, the answer could not be completed. Please try again.)"
        content = ("".join(said).rstrip() + "\n\n" + note).strip()
        await db.run(_finish, scope, conversation_id, content=content, first_chunk_ms=first_chunk_ms,
                     tools_json=json.dumps(_partial_tools(result)),
                     duration_ms=int((time.monotonic() - started) * 1000), **meta)
        if interrupted:
            raise
        # The provider's own error text stays in the log; the person gets a sentence to act on.
        log.warning("chat answer failed in conversation %s: %s: %s", conversation_id, type(e).__name__, e)
        raise ChatError(failure_message(e)) from e
    await db.run(
        _finish, scope, conversation_id, content="".join(said), history_json=new_json,
        tokens=(usage.input_tokens or 0) + (usage.output_tokens or 0), first_chunk_ms=first_chunk_ms,
        tools_json=json.dumps(tools), duration_ms=int((time.monotonic() - started) * 1000), **meta)


def _partial_tools(result) -> list[dict]:
    """What a stopped or failed answer had looked at before it ended (nothing when unknown)."""
    try:
        return tools_used(result.new_messages()) if result is not None else []
    except Exception:  # a run cut short may hold no readable messages; the answer is kept regardless
        return []
