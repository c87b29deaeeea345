"""A small local server speaking the OpenAI chat-completions protocol, for the real-LLM path.

It plays a model that first calls a tool the request offers, then answers from the tool's
result: the figure in its answer is the tool's, so a test can check the round trip. It streams
(server-sent events) when asked to, and can answer with an error status instead. ScriptedLLM
plays a given list of tool calls instead (structured output, retries).
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from typing import Iterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from dreamsuite.platforms.sandbox.serve import serve_app


class FakeLLM:
    def __init__(self, tool: str, args: dict, answer: str):
        """`answer` is formatted with the tool result's keys, e.g. "You gained {change} followers"."""
        self.tool, self.args, self.answer = tool, args, answer
        self.fail_with: int | None = None
        self.requests: list[dict] = []

    def _reply(self, body: dict) -> tuple[dict | None, str | None]:
        """(tool call, text): the tool call when no tool result is in the messages yet."""
        results = [m for m in body.get("messages", []) if m.get("role") == "tool"]
        if not results:
            offered = {t["function"]["name"] for t in body.get("tools") or []}
            assert self.tool in offered, f"{self.tool} not offered: {sorted(offered)}"
            return {"id": "call_1", "type": "function",
                    "function": {"name": self.tool, "arguments": json.dumps(self.args)}}, None
        data = json.loads(results[-1]["content"])
        shown = {k: (f"{v:+,}" if k == "change" else f"{v:,}") if isinstance(v, int) else v for k, v in data.items()}
        return None, self.answer.format(**shown)

    async def completions(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append(body)
        if self.fail_with:
            return JSONResponse({"error": {"message": "refused by the fake", "type": "invalid_request_error",
                                           "code": str(self.fail_with)}}, status_code=self.fail_with,
                                headers={"retry-after": "0"})
        call, text = self._reply(body)
        base = {"id": "chatcmpl-1", "created": int(time.time()), "model": body.get("model", "fake")}
        usage = {"prompt_tokens": 50, "completion_tokens": 10, "total_tokens": 60}
        if not body.get("stream"):
            message = {"role": "assistant", "content": text, **({"tool_calls": [call]} if call else {})}
            return JSONResponse({**base, "object": "chat.completion", "usage": usage, "choices": [
                {"index": 0, "message": message, "finish_reason": "tool_calls" if call else "stop"}]})

        def chunks() -> Iterator[str]:
            def event(delta: dict, finish: str | None = None, **extra) -> str:
                payload = {**base, "object": "chat.completion.chunk",
                           "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
                return f"data: {json.dumps(payload)}\n\n"

            if call:
                yield event({"role": "assistant", "tool_calls": [{"index": 0, **call}]})
                yield event({}, "tool_calls")
            else:
                yield event({"role": "assistant", "content": ""})
                for i in range(0, len(text), 12):  # several pieces: the test sees it stream
                    yield event({"content": text[i:i + 12]})
                yield event({}, "stop")
            yield f"data: {json.dumps({**base, 'object': 'chat.completion.chunk', 'choices': [], 'usage': usage})}\n\n"
            yield "data: [DONE]\n\n"

        return StreamingResponse(chunks(), media_type="text/event-stream")

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v1/chat/completions", self.completions, methods=["POST"])])


class ScriptedLLM(FakeLLM):
    """Plays a fixed list of tool calls, one per request (a structured output is a call of the
    output tool the request offers, e.g. final_result); the last one repeats."""

    def __init__(self, calls: list[tuple[str, dict]]):
        super().__init__("", {}, "")
        self.calls = calls

    def _reply(self, body: dict) -> tuple[dict | None, str | None]:
        n = len(self.requests)  # this request is already counted
        name, args = self.calls[min(n, len(self.calls)) - 1]
        offered = {t["function"]["name"] for t in body.get("tools") or []}
        assert name in offered, f"{name} not offered: {sorted(offered)}"
        return {"id": f"call_{n}", "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}, None


@contextmanager
def serve(fake: FakeLLM) -> Iterator[str]:
    """Yields the base URL (…/v1) of the fake served on a free loopback port."""
    with serve_app(fake.app()) as url:
        yield f"{url}/v1"


@contextmanager
def as_the_model(fake: FakeLLM, monkeypatch) -> Iterator[FakeLLM]:
    """The app's model (DREAMSUITE_MODEL, OPENAI_BASE_URL) pointed at `fake`, served meanwhile."""
    from dreamsuite.settings import get_settings

    with serve(fake) as url:
        monkeypatch.setenv("DREAMSUITE_MODEL", "openai-chat:fake-model")
        monkeypatch.setenv("OPENAI_BASE_URL", url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
        get_settings.cache_clear()
        try:
            yield fake
        finally:
            get_settings.cache_clear()
