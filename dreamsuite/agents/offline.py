"""The built-in offline analyst: a FunctionModel that needs no network or key.

First request of a turn: pick tools from the question's keywords. Once their results are in
the messages: write a short answer quoting their figures, streamed a few words at a time.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import AsyncIterator

from pydantic_ai.messages import (
    ModelMessage, ModelRequest, ModelResponse, TextPart, ToolCallPart, ToolReturnPart, UserPromptPart,
)
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel

from dreamsuite.agents import answers

MODEL_NAME = "offline-analyst"
WORDS_PER_CHUNK = 3


def infer_period(text: str) -> str:
    t = text.lower()
    if re.search(r"last month|previous month|past month", t) and "30" not in t:
        return "last_month"
    if re.search(r"this month|month so far|since the (1st|first)", t):
        return "this_month"
    if re.search(r"\b(today|yesterday|week|7 days|seven days)\b", t):
        return "last_7_days"
    if re.search(r"90 days|quarter|3 months|three months", t):
        return "last_90_days"
    if re.search(r"\byear\b|12 months|365", t):
        return "last_365_days"
    if re.search(r"all[- ]time|ever|since (i|we) (started|joined)|overall|history", t):
        return "all"
    return "last_30_days"


def choose_tools(question: str) -> list[tuple[str, dict]]:
    """(tool name, args) to call for a question; a general summary when nothing matches."""
    q = question.lower()
    calls: list[tuple[str, dict]] = []
    if re.search(r"follow|grow|growth|audience|fans|subscri|gain|lost|lose", q):
        calls.append(("follower_growth", {"period": infer_period(q)}))
    if re.search(r"\bposts?\b|best|top|content|video|reel|perform", q):
        n = re.search(r"\b(?:top|best)\s+(\d{1,2})\b", q)
        calls.append(("top_posts", {"limit": max(1, min(int(n.group(1)), 20)) if n else 5}))
    if re.search(r"engag|likes|comments|interact", q):
        calls.append(("engagement_summary", {}))
    return calls or [("follower_growth", {"period": infer_period(q)}), ("engagement_summary", {})]


def _current_turn(messages: list[ModelMessage]) -> tuple[str, list[ToolReturnPart]]:
    """The latest user question and the tool results that came after it."""
    results: list[ToolReturnPart] = []
    for m in reversed(messages):
        if isinstance(m, ModelRequest):
            results[:0] = [p for p in m.parts if isinstance(p, ToolReturnPart)]
            prompts = [p for p in m.parts if isinstance(p, UserPromptPart)]
            if prompts:
                c = prompts[-1].content
                return (c if isinstance(c, str) else " ".join(x for x in c if isinstance(x, str))), results
    return "", results


def reply(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    question, results = _current_turn(messages)
    available = {t.name for t in info.function_tools}
    if not results:
        calls = [(n, a) for n, a in choose_tools(question) if n in available]
        if calls:
            return ModelResponse(parts=[ToolCallPart(n, a) for n, a in calls])
        return ModelResponse(parts=[TextPart(answers.nothing_to_check())])
    found = {r.tool_name: _as_dict(r.content) for r in results if r.outcome == "success"}
    failed = [r.tool_name for r in results if r.outcome != "success"]
    return ModelResponse(parts=[TextPart(answers.compose(found, failed=failed))])


def _as_dict(content) -> dict:
    # Results are dicts in-process, but may come back as JSON text from another model's history.
    try:
        v = json.loads(content) if isinstance(content, str) else content
    except ValueError:
        return {}
    return v if isinstance(v, dict) else {}


def chunks(text: str, size: int = WORDS_PER_CHUNK) -> list[str]:
    words = re.findall(r"\S+\s*", text)
    return ["".join(words[i:i + size]) for i in range(0, len(words), size)] or [text]


async def stream_reply(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str | dict[int, DeltaToolCall]]:
    response = reply(messages, info)
    calls = [p for p in response.parts if isinstance(p, ToolCallPart)]
    if calls:
        yield {i: DeltaToolCall(name=c.tool_name, json_args=c.args_as_json_str(), tool_call_id=c.tool_call_id)
               for i, c in enumerate(calls)}
        return
    for piece in chunks("".join(p.content for p in response.parts if isinstance(p, TextPart))):
        yield piece
        await asyncio.sleep(0)  # let the consumer forward each piece as it comes


def offline_model() -> FunctionModel:
    return FunctionModel(reply, stream_function=stream_reply, model_name=MODEL_NAME)
