"""The built-in caption writer: a FunctionModel that needs no network or key.

First request: call best_hashtags and best_posts for the platform. Then: write the caption from a
template of the tone, pick hashtags (the artist's best-performing first, then words of the topic,
the best posts' own tags and common music ones) and return them through the output tool, fitted
to the platform: hashtags are trimmed to the fewest allowed, then a shorter template is used, and
only then is the topic shortened, at a word boundary.
"""

from __future__ import annotations

import json
import re
from typing import AsyncIterator

from pydantic_ai.messages import ModelMessage, ModelRequest, ModelResponse, RetryPromptPart, ToolCallPart, \
    ToolReturnPart, UserPromptPart
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel

from dreamsuite.agents.captions import SEPARATOR, TONES, compose, limits, normalize_tags, parse_prompt

MODEL_NAME = "offline-captions"
SHORT_PLATFORM = 500  # below this many characters (X): the fewest hashtags, from the start

# Per tone: a full caption and a short one for tight limits. {topic} is the topic as typed,
# {Topic} the same with a capital first letter.
TEMPLATES = {
    "professional": ("{Topic}. Thank you for your continued support; more details will follow soon.",
                     "{Topic}. Thank you for your support."),
    "witty": (("Plot twist: {topic}. Yes, really. Tell your friends, your neighbours and that one cousin "
               "with suspiciously good taste."),
              "Plot twist: {topic}. Yes, really."),
    "casual": (("Okay, it's happening: {topic}! I've been dying to share this with you all, hope you love it "
                "as much as I do."),
               "Okay, it's happening: {topic}!"),
    "urgent": (("Heads up, this is the one: {topic}! Don't wait on it: set a reminder and share it with "
                "everyone you know today."),
               "Don't miss it: {topic}! Share it today."),
}
GENERIC_TAGS = ("music", "musician", "indiemusic", "independentartist", "songwriter", "newmusic", "livemusic",
                "musiclovers", "artist", "musicians")
STOPWORDS = set("""a an and are as at be but by for from has have i in into is it its my of on or our out so that
the their this to up was we with you your me us new just now all get got will can more than then there here
about after before over very today tomorrow soon next week""".split())


TITLE = re.compile(r"(?:^|(?<=\s))[\"“'‘]([^\"”'’]{2,40})[\"”'’](?=$|[\s.,;:!?])")


def topic_tags(topic: str) -> list[str]:
    """A quoted title as one tag ("Night Drive" → nightdrive), then the topic's other meaningful words."""
    titles = TITLE.findall(topic)
    rest = TITLE.sub(" ", topic).lower()
    words = [w for w in re.findall(r"[^\W_]+", rest) if len(w) >= 3 and w not in STOPWORDS]
    return normalize_tags([*("".join(t.split()) for t in titles), *words])


def shorten(text: str, room: int) -> str:
    """`text` cut at a word boundary to at most `room` characters, with an ellipsis when cut."""
    if len(text) <= room:
        return text
    cut = text[:max(0, room - 1)]
    if " " in cut and not text[len(cut)].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def _render(template: str, topic: str) -> str:
    text = template.format(topic=topic, Topic=topic[:1].upper() + topic[1:])
    return text.replace("….", "…").replace("…!", "…")  # a shortened topic already ends its sentence


def pick_tags(best: list[str], topic: str, post_tags: list[str], count: int) -> list[str]:
    """`count` hashtags: the best-performing lead (the top one always first), then the topic's
    words, the best posts' tags, the rest of the best, and common music tags to fill."""
    lead = max(1, round(count * 0.6))
    ordered = normalize_tags([*best[:lead], *topic_tags(topic)[:3], *post_tags, *best[lead:], *GENERIC_TAGS])
    return ordered[:count]


def write(topic: str, tone: str, platform: str, best: list[str], post_tags: list[str], shrink: int = 0) -> dict:
    """The caption and hashtags, fitted to the platform (`shrink` > 0: a retry asked for less)."""
    limit, fewest, most = limits(platform)
    topic = " ".join(topic.split()).rstrip(" .!?,;:")
    tight = shrink > 0 or (limit is not None and limit < SHORT_PLATFORM)
    tags = pick_tags(best, topic, post_tags, fewest if tight else most)
    full, short = TEMPLATES.get(tone, TEMPLATES["casual"])
    for template in ((short,) if shrink else (full, short)):
        caption = _render(template, topic)
        if limit is None or len(compose(caption, tags)) <= limit:
            return {"caption": caption, "hashtags": tags}
    while limit is not None and len(compose(_render(short, topic), tags)) > limit and len(tags) > fewest:
        tags = tags[:-1]
    room = (limit or 0) - len(SEPARATOR + " ".join(f"#{t}" for t in tags)) - len(_render(short, ""))
    return {"caption": _render(short, shorten(topic, max(room, 1))), "hashtags": tags}


def _request(messages: list[ModelMessage]) -> dict[str, str]:
    for m in messages:
        if isinstance(m, ModelRequest):
            for p in m.parts:
                if isinstance(p, UserPromptPart) and isinstance(p.content, str):
                    return parse_prompt(p.content)
    return {}


def _results(messages: list[ModelMessage]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for m in messages:
        if isinstance(m, ModelRequest):
            for p in m.parts:
                if isinstance(p, ToolReturnPart):
                    content = json.loads(p.content) if isinstance(p.content, str) else p.content
                    out[p.tool_name] = content if isinstance(content, dict) else {}
    return out


def reply(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    request = _request(messages)
    platform = request.get("platform", "")
    answered = any(isinstance(m, ModelResponse) for m in messages)
    tools = [n for n in ("best_hashtags", "best_posts") if n in {t.name for t in info.function_tools}]
    if not answered and tools:
        return ModelResponse(parts=[ToolCallPart(n, {"platform": platform}) for n in tools])
    results = _results(messages)
    best = [h.get("tag", "") for h in results.get("best_hashtags", {}).get("hashtags", [])]
    post_tags = [t for p in results.get("best_posts", {}).get("posts", []) for t in p.get("hashtags", [])]
    shrink = sum(isinstance(p, RetryPromptPart) for m in messages if isinstance(m, ModelRequest) for p in m.parts)
    tone = request.get("tone", "") if request.get("tone") in TONES else "casual"
    out = write(request.get("topic", ""), tone, platform, best, post_tags, shrink)
    return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, out)])


async def stream_reply(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[dict[int, DeltaToolCall]]:
    response = reply(messages, info)
    yield {i: DeltaToolCall(name=c.tool_name, json_args=c.args_as_json_str(), tool_call_id=c.tool_call_id)
           for i, c in enumerate(p for p in response.parts if isinstance(p, ToolCallPart))}


def offline_caption_model() -> FunctionModel:
    return FunctionModel(reply, stream_function=stream_reply, model_name=MODEL_NAME)
