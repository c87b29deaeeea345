"""Agents: the offline model's tool choice, junk arguments, and workspace isolation of tools."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from pydantic_ai import ModelRetry
from pydantic_ai.messages import ModelRequest, ModelResponse, TextPart, ToolCallPart, ToolReturnPart, UserPromptPart
from pydantic_ai.models.function import FunctionModel
from pydantic_ai.models.test import TestModel

from dreamsuite.agents import offline, tools
from dreamsuite.agents.career import career_agent, model_for
from dreamsuite.agents.deps import AgentDeps
from tests.seed_metrics import make_scope, seed_followers, seed_post

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize("question,expected", [
    ("How did my followers grow this month?", [("follower_growth", {"period": "this_month"})]),
    ("How many fans did I gain last month?", [("follower_growth", {"period": "last_month"})]),
    ("audience growth this week", [("follower_growth", {"period": "this_week"})]),
    ("audience growth over the past week", [("follower_growth", {"period": "last_7_days"})]),
    ("subscribers over the last 90 days", [("follower_growth", {"period": "last_90_days"})]),
    ("How many followers do I have overall?", [("follower_growth", {"period": "all"})]),
    ("Which were my best posts?", [("top_posts", {"limit": 5})]),
    ("show me my top 3 videos", [("ranked_posts", {"period": "last_90_days", "metric": "interactions",
                                                    "order": "top", "limit": 3, "post_type": "video"})]),
    ("How is my engagement?", [("engagement_summary", {})]),
    ("hello there", [("follower_growth", {"period": "last_30_days"}), ("engagement_summary", {})]),
])
def test_offline_tool_choice(question, expected):
    assert offline.choose_tools(question) == expected


def _info(names=("follower_growth", "top_posts", "engagement_summary")):
    return SimpleNamespace(function_tools=[SimpleNamespace(name=n) for n in names])


def test_offline_calls_tools_then_answers_with_their_figures():
    asked = [ModelRequest(parts=[UserPromptPart("how did my followers grow this month?")])]
    first = offline.reply(asked, _info())
    assert [(p.tool_name, p.args) for p in first.parts] == [("follower_growth", {"period": "this_month"})]
    result = {"period": "this_month", "has_data": True, "start_date": "2026-10-31", "end_date": "2026-11-20",
              "start_followers": 12340, "end_followers": 13020, "change": 680, "pct": 5.51, "complete": True,
              "avg_daily_change": 34.0, "best_day": {"date": "2026-11-12", "change": 95},
              "worst_day": {"date": "2026-11-03", "change": -4}, "platforms": []}
    done = asked + [first, ModelRequest(parts=[ToolReturnPart("follower_growth", result, tool_call_id="x")])]
    text = offline.reply(done, _info()).parts[0].content
    assert "from 12,340 to 13,020 followers (+680, +5.5%)" in text
    assert "Nov 12 (+95)" in text and "Nov 3 (-4)" in text


def test_offline_only_calls_tools_the_agent_has():
    r = offline.reply([ModelRequest(parts=[UserPromptPart("my followers?")])], _info(names=()))
    assert isinstance(r.parts[0], TextPart)


def test_chunks_split_words_and_keep_text():
    text = "This month you went from 1 to 2 followers."
    pieces = offline.chunks(text)
    assert len(pieces) > 2 and "".join(pieces) == text


def test_model_for():
    assert isinstance(model_for("offline"), FunctionModel) and isinstance(model_for(None), FunctionModel)
    assert model_for("anthropic:claude-sonnet-4-5") == "anthropic:claude-sonnet-4-5"
    with pytest.raises(ValueError):
        model_for("gpt4")


def _ctx(scope, today=TODAY):
    return SimpleNamespace(deps=AgentDeps(scope=scope, today=today))


def test_tools_reject_junk_when_called_directly(db):
    me = make_scope()
    for junk in ("DROP TABLE", "", "last_1000_days"):
        with pytest.raises(ModelRetry, match="this_month"):
            tools.follower_growth(_ctx(me), junk)
    for junk in (0, -1, 21, "5"):
        with pytest.raises(ModelRetry, match="1 to 20"):
            tools.top_posts(_ctx(me), junk)


def test_tools_see_only_their_workspace(db):
    a, b = make_scope("A"), make_scope("B")
    seed_followers(a, "instagram", TODAY, [1000 + i for i in range(40)], engagement=7)
    seed_followers(b, "instagram", TODAY, [50000 + 100 * i for i in range(40)], engagement=900)
    seed_post(a, "instagram", "a1", TODAY - timedelta(days=2), likes=11, caption="A's single")
    seed_post(b, "instagram", "b1", TODAY - timedelta(days=2), likes=999, caption="B's hit")

    ga = tools.follower_growth(_ctx(a), "this_month")
    # Baseline Oct 31 (index 19 of 40 values ending Nov 20), end Nov 20 (index 39).
    assert (ga["start_followers"], ga["end_followers"], ga["change"]) == (1019, 1039, 20)
    assert tools.follower_growth(_ctx(b), "this_month")["end_followers"] == 53900
    assert [p["caption"] for p in tools.top_posts(_ctx(a), 5)["posts"]] == ["A's single"]
    ea = tools.engagement_summary(_ctx(a))
    assert (ea["followers"], ea["engagement_7d"]) == (1039, 49)


def test_tools_without_data(db):
    me = make_scope()
    assert tools.follower_growth(_ctx(me), "all")["has_data"] is False
    assert tools.engagement_summary(_ctx(me))["has_data"] is False
    assert tools.top_posts(_ctx(me), 3)["posts"] == []


async def test_agent_with_test_model_calls_every_tool_without_crash_or_leak(db):
    a, b = make_scope("A"), make_scope("B")
    seed_followers(a, "instagram", TODAY, [1000 + i for i in range(10)])
    seed_followers(b, "instagram", TODAY, [777777] * 10)
    seed_post(b, "instagram", "b1", TODAY, likes=31337)
    result = await career_agent.run("anything", deps=AgentDeps(scope=a, today=TODAY), model=TestModel())
    assert "1009" in result.output  # A's latest follower count reached the model
    assert "777777" not in result.output and "31337" not in result.output


async def test_agent_turns_junk_tool_args_into_retries(db):
    me = make_scope()
    seed_followers(me, "instagram", TODAY, [10, 20, 30])
    retries: list[str] = []

    def junk_then_answer(messages, info):
        last = messages[-1]
        if len(messages) == 1:
            return ModelResponse(parts=[ToolCallPart("follower_growth", {"period": "DROP TABLE"}),
                                        ToolCallPart("top_posts", {"limit": -3})])
        retries.extend(str(p.content) for p in last.parts if getattr(p, "outcome", "") == "retried")
        return ModelResponse(parts=[TextPart("ok")])

    result = await career_agent.run("x", deps=AgentDeps(scope=me, today=TODAY), model=FunctionModel(junk_then_answer))
    assert result.output == "ok" and len(retries) == 2
    assert "this_month" in retries[0] and "greater than or equal to 1" in retries[1]


async def test_offline_agent_streams_an_answer_with_real_numbers(db):
    me = make_scope()
    seed_followers(me, "instagram", TODAY, [12000 + 10 * i for i in range(60)])
    pieces = []
    async with career_agent.run_stream("How did my followers grow this month?", deps=AgentDeps(scope=me, today=TODAY),
                                       model=model_for("offline")) as run:
        async for d in run.stream_text(delta=True, debounce_by=None):
            pieces.append(d)
    text = "".join(pieces)
    end, base = 12000 + 10 * 59, 12000 + 10 * 39  # Nov 20 and Oct 31
    assert len(pieces) > 1
    assert f"from {base:,} to {end:,} followers (+{end - base:,}" in text


@pytest.mark.parametrize("question,agent", [
    ("How did my followers grow this month?", "career"),
    ("Which platform should I focus on?", "career"),
    ("When should I post on Instagram?", "content"),
    ("Do reels or photos work better?", "content"),
    ("which hashtags work?", "content"),
    ("Am I on track for my goal?", "goals"),
    ("When will I reach 10k on YouTube?", "goals"),
])
def test_a_question_picks_its_agent(question, agent):
    from dreamsuite.agents.career import route

    assert route(question) == agent


async def test_each_agent_knows_what_is_connected_and_since_when(db):
    from pydantic_ai.models.function import FunctionModel

    from dreamsuite.agents.career import AGENTS

    me = make_scope()
    seed_followers(me, "instagram", TODAY, [100 + i for i in range(10)])
    seen: dict[str, str] = {}

    def capture(messages, info):
        seen["instructions"] = info.instructions or ""
        return ModelResponse(parts=[TextPart("ok")])

    await AGENTS["content"].run("x", deps=AgentDeps(scope=me, today=TODAY), model=FunctionModel(capture))
    text = seen["instructions"]
    first = TODAY - timedelta(days=9)
    assert "content strategist" in text and f"Connected: Instagram (daily numbers {first} to {TODAY})" in text
    assert "No public API: Apple Music, Amazon Music, TIDAL" in text


async def test_the_chat_stores_which_agent_answered(db):
    from dreamsuite.services import chat

    me = make_scope()
    seed_followers(me, "instagram", TODAY, [100 + i for i in range(10)])
    cid = chat.create_conversation(me)
    async for _ in chat.stream_reply(me, cid, "When should I post?"):
        pass
    assert chat.messages(me, cid)[1]["agent"] == "content"
