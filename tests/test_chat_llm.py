"""The configured-LLM path (`DREAMSUITE_MODEL=openai-chat:<model>` with `OPENAI_BASE_URL`)
against a local server speaking the OpenAI chat-completions protocol: the same agent and tools,
a tool call round trip, streaming, and a provider's refusal shown as a clear message with the
question kept."""

from __future__ import annotations

import pytest

from dreamsuite.db import utcnow
from dreamsuite.services import chat
from tests.llm_fake import FakeLLM, as_the_model
from tests.seed_metrics import make_scope, seed_followers

pytestmark = pytest.mark.db


@pytest.fixture
def llm(monkeypatch):
    fake = FakeLLM("follower_growth", {"period": "last_7_days", "platform": "instagram"},
                   "On Instagram you went from {start_followers} to {end_followers} ({change}).")
    with as_the_model(fake, monkeypatch):
        yield fake


async def test_a_real_llm_calls_our_tool_and_streams_the_figure_it_returned(db, llm):
    me = make_scope()
    today = utcnow().date()
    values = [5_000 + 12 * i for i in range(40)]
    seed_followers(me, "instagram", today, values)
    seed_followers(me, "youtube", today, [900 + i for i in range(40)])
    cid = chat.create_conversation(me)
    pieces = [d async for d in chat.stream_reply(me, cid, "How did my Instagram grow this week?")]
    start, end = values[-8], values[-1]  # the 7 days to today, from the day before them
    assert len(pieces) > 2
    assert "".join(pieces) == f"On Instagram you went from {start:,} to {end:,} (+{end - start:,})."
    # The model saw our tools with their typed arguments, then the tool's result.
    first, second = llm.requests[0], llm.requests[1]
    offered = {t["function"]["name"]: t["function"]["parameters"] for t in first["tools"]}
    assert {"follower_growth", "ranked_posts", "data_inventory"} <= set(offered)
    assert "platform" in offered["follower_growth"]["properties"] and first["stream"] is True
    assert [m["role"] for m in second["messages"]][-2:] == ["assistant", "tool"]
    stored = chat.messages(me, cid)
    assert stored[1]["model"] == "openai-chat:fake-model" and stored[1]["content"] == "".join(pieces)
    assert stored[1]["tools"] == ["Instagram followers, last 7 days"]  # the model's own call, in words


@pytest.mark.parametrize("status,words", [(401, "refused our access"), (429, "busy right now")])
async def test_a_provider_refusal_is_a_clear_message_and_the_question_is_kept(db, llm, status, words):
    llm.fail_with = status
    me = make_scope()
    cid = chat.create_conversation(me)
    with pytest.raises(chat.ChatError, match=words) as err:
        async for _ in chat.stream_reply(me, cid, "How did my Instagram grow this week?"):
            pass
    assert "refused by the fake" not in err.value.message and "sk-test" not in err.value.message
    msgs = chat.messages(me, cid)
    assert msgs[0] == {**msgs[0], "role": "user", "content": "How did my Instagram grow this week?"}
