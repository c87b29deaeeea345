"""Chat conversations with the agents; each assistant turn keeps its pydantic-ai messages."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from dreamsuite.db import utcnow


class Conversation(SQLModel, table=True):
    __tablename__ = "conversation"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    title: str = Field(default="New conversation", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ChatMessage(SQLModel, table=True):
    __tablename__ = "chat_message"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    conversation_id: int = Field(foreign_key="conversation.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=16)  # user | assistant
    content: str = ""
    agent: str = Field(default="", max_length=64)
    model: str = Field(default="", max_length=128)
    tokens: int = 0
    duration_ms: int = 0
    first_chunk_ms: int = 0  # question received → first piece of the answer (assistant rows)
    # The tools the answer used, a JSON list of {"tool", "args"} (agents/looked_at.py says them in words).
    tools_json: str = ""
    # pydantic-ai ModelMessagesTypeAdapter JSON of the messages this turn added (assistant rows).
    history_json: str = ""
    created_at: datetime = Field(default_factory=utcnow)
