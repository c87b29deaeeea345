"""The caption writer of the composer: a topic, a tone and a platform in; a caption and 5–10
hashtags out, together within the platform's limits.

Its tools read the artist's best-performing hashtags and posts through the workspace reader, so
a language model (or the offline writer, agents/offline_captions.py) can ground its choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from pydantic import BaseModel, Field, field_validator
from pydantic_ai import Agent, ModelRetry, RunContext

from dreamsuite.agents.deps import AgentDeps
from dreamsuite.analytics import engagement as eng
from dreamsuite.platforms import UnknownPlatform, get_adapter

TONES = ("professional", "witty", "casual", "urgent")
MIN_TAGS, MAX_TAGS = 5, 10
MAX_TAG_LENGTH = 30  # longer "hashtags" are sentences; nobody searches for them
WINDOW_DAYS = 180  # what "best-performing" looks back on
ENOUGH_ON_PLATFORM = 3  # fewer rated hashtags on the platform: all platforms' ranking tops it up
SEPARATOR = "\n\n"  # between the caption and its hashtags


class Caption(BaseModel):
    caption: str = Field(description="The post's text, without the hashtags.")
    hashtags: list[str] = Field(description="5 to 10 hashtags: one lower-case word each, without '#', "
                                            "no duplicates.")

    @field_validator("caption")
    @classmethod
    def _caption(cls, value: str) -> str:
        return value.strip()

    @field_validator("hashtags")
    @classmethod
    def _hashtags(cls, value: list[str]) -> list[str]:
        return normalize_tags(value)


@dataclass
class CaptionDeps(AgentDeps):
    """AgentDeps (the scope and its reader) with the platform the caption is written for."""

    platform: str = ""


def normalize_tags(tags) -> list[str]:
    """Lower-case words without '#', spaces or punctuation, each once; digits-only ones dropped
    (platforms do not link them)."""
    out: list[str] = []
    for t in tags or []:
        word = re.sub(r"[^\w]", "", str(t).lower())
        if word and not word.isdigit() and len(word) <= MAX_TAG_LENGTH and word not in out:
            out.append(word)
    return out


def limits(platform: str) -> tuple[int | None, int, int]:
    """(characters allowed or None, fewest hashtags, most hashtags) for a post on the platform."""
    adapter = get_adapter(platform)
    most = min(MAX_TAGS, adapter.max_hashtags or MAX_TAGS)
    return adapter.max_text_length, min(MIN_TAGS, most), most


def compose(caption: str, hashtags: list[str]) -> str:
    """The post's text as the composer fills it in: the caption, a blank line, then "#tag" words."""
    tags = " ".join(f"#{t}" for t in hashtags)
    return f"{caption}{SEPARATOR}{tags}" if tags else caption


def request_prompt(topic: str, tone: str, platform: str) -> str:
    """The run's prompt; its "Name: value" lines are also how the offline writer reads the request."""
    limit, fewest, most = limits(platform)
    count = f"exactly {most}" if fewest == most else f"{fewest} to {most}"
    room = f"at most {limit} characters together" if limit else "no length limit"
    return (f"Write one post caption.\nPlatform: {platform}\nTone: {tone}\nHashtags: {count}\n"
            f"Length: caption, a blank line and the hashtags as #words, {room}\nTopic: {topic}")


def parse_prompt(text: str) -> dict[str, str]:
    return {k.lower(): v.strip() for k, v in re.findall(r"^(Platform|Tone|Topic): (.*)$", text or "", re.MULTILINE)}


INSTRUCTIONS = """\
You write social media captions for one independent musician. First call best_hashtags for the
platform, and best_posts to see the captions that worked best (match their voice, never copy them).
Write about the topic only, in the tone asked: professional (clear and polished, no slang), witty
(playful, a twist or a pun), casual (friendly, first person, relaxed), urgent (short sentences, a
reason to act now). Never invent facts the topic does not give (dates, prices, places, names).
Hashtags: prefer the artist's best-performing ones that fit the topic, then words of the topic and
a few common music ones; lower-case single words without '#'; none repeated in the caption.
Keep within the counts and the length the request gives."""


def _platform(platform: str | None) -> str | None:
    name = (platform or "").strip().lower()
    if name in ("", "all"):
        return None
    try:
        get_adapter(name)
    except UnknownPlatform:
        raise ModelRetry(f"Unknown platform {platform!r}: give the platform of the request, or leave it out.") \
            from None
    return name


def _rated(groups: list[eng.Group]) -> list[eng.Group]:
    return [g for g in groups if g.avg_rate is not None and len(g.key) <= MAX_TAG_LENGTH]


def best_hashtags(ctx: RunContext[CaptionDeps], platform: str | None = None) -> dict:
    """The artist's hashtags with the best average engagement rate (interactions over reach, or over
    followers where a post has no reach) in the last 180 days, each used on 2 posts or more: on the
    platform first, topped up from all platforms when it has few.

    Args:
        platform: the platform the caption is for, or leave out for all platforms.
    """
    name = _platform(platform)
    reader = ctx.deps.reader
    posts = reader.posts(since=reader.today() - timedelta(days=WINDOW_DAYS - 1))
    followers = reader.followers_now()
    ranked = _rated(eng.by_hashtag([p for p in posts if p["platform"] == name], followers)) if name else []
    basis = name or "all platforms"
    if len(ranked) < ENOUGH_ON_PLATFORM:
        seen = {g.key for g in ranked}
        ranked += [g for g in _rated(eng.by_hashtag(posts, followers)) if g.key not in seen]
        basis = f"{name}, then all platforms" if name else basis
    return {"basis": basis, "days": WINDOW_DAYS, "posts": len(posts),
            "hashtags": [{"tag": g.key, "avg_rate": g.avg_rate, "posts": g.posts} for g in ranked[:15]]}


def best_posts(ctx: RunContext[CaptionDeps], platform: str | None = None,
               limit: Annotated[int, Field(ge=1, le=5)] = 3) -> dict:
    """The artist's posts with the most interactions in the last 180 days (on the platform when it
    has any), with their captions and hashtags: the voice that works for this artist.

    Args:
        platform: the platform the caption is for, or leave out for all platforms.
        limit: how many posts, 1 to 5.
    """
    if not isinstance(limit, int) or not 1 <= limit <= 5:
        raise ModelRetry("limit must be a whole number from 1 to 5.")
    name = _platform(platform)
    reader = ctx.deps.reader
    posts = reader.posts(since=reader.today() - timedelta(days=WINDOW_DAYS - 1))
    mine = [p for p in posts if p["platform"] == name] or posts
    return {"posts": [{"platform": p["platform"], "type": p["type"], "caption": (p["caption"] or "")[:300],
                       "hashtags": eng.hashtags(p), "interactions": p["engagement"]}
                      for p in eng.top_posts(mine, limit=limit)]}


caption_agent: Agent[CaptionDeps, Caption] = Agent(
    name="captions", deps_type=CaptionDeps, output_type=Caption, instructions=INSTRUCTIONS,
    tools=[best_hashtags, best_posts], retries={"tools": 2, "output": 3})


@caption_agent.output_validator
def _fits(ctx: RunContext[CaptionDeps], out: Caption) -> Caption:
    """What the platform takes, or a retry saying what to change."""
    limit, fewest, most = limits(ctx.deps.platform)
    if not out.caption:
        raise ModelRetry("The caption is empty: write the post's text.")
    n = len(out.hashtags)
    if not fewest <= n <= most:
        wanted = f"exactly {most}" if fewest == most else f"{fewest} to {most}"
        raise ModelRetry(f"Give {wanted} different hashtags; you gave {n}.")
    length = len(compose(out.caption, out.hashtags))
    if limit and length > limit:
        raise ModelRetry(f"Caption and hashtags come to {length} characters, over the platform's limit of {limit}: "
                         f"shorten the caption by {length - limit} characters or more, or use shorter hashtags.")
    return out
