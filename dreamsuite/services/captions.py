"""AI captions for the composer: check the request, run the caption agent, say plainly what failed."""

from __future__ import annotations

import logging

from pydantic_ai.models import Model

from dreamsuite.agents.captions import SEPARATOR, TONES, CaptionDeps, caption_agent, compose, limits, request_prompt

__all__ = ["SEPARATOR", "TONES", "CaptionError", "caption_model", "generate_caption", "strictest"]
from dreamsuite.agents.career import model_for, model_label
from dreamsuite.agents.offline_captions import offline_caption_model
from dreamsuite.models import Role
from dreamsuite.platforms import UnknownPlatform, get_adapter
from dreamsuite.services.errors import UserError
from dreamsuite.services.llm_failure import failure_message
from dreamsuite.services.scope import Scope
from dreamsuite.settings import get_settings

log = logging.getLogger(__name__)

MAX_TOPIC = 300


class CaptionError(UserError, ValueError):
    """A caption that cannot be asked for, or could not be written."""


def caption_model(name: str | None = None) -> Model | str:
    """The configured model, as for the chat; "offline" (the default) is the built-in caption writer."""
    name = (name if name is not None else get_settings().dreamsuite_model) or "offline"
    return offline_caption_model() if name.strip() == "offline" else model_for(name)


def _checked(topic: str, tone: str, platform: str) -> tuple[str, str, str]:
    topic = " ".join((topic or "").split())
    if not topic:
        raise CaptionError("Say what the post is about first (a topic, e.g. “new single out Friday”).")
    if len(topic) > MAX_TOPIC:
        raise CaptionError(f"Keep the topic to {MAX_TOPIC} characters; this one has {len(topic)}.")
    tone_ = (tone or "").strip().lower()
    if tone_ not in TONES:
        raise CaptionError(f"Choose a tone: {', '.join(TONES[:-1])} or {TONES[-1]}.")
    name = (platform or "").strip().lower()
    if not name:
        raise CaptionError("Choose the account to post to first: the caption is written to fit it.")
    try:
        adapter = get_adapter(name)
    except UnknownPlatform:
        raise CaptionError(f"Unknown platform {name[:40]!r}.") from None
    if not (adapter.can_publish and adapter.enabled()):
        raise CaptionError(f"Dream Suite cannot post to {adapter.label} yet, so it writes no captions for it.")
    return topic, tone_, name


async def generate_caption(scope: Scope, topic: str, tone: str, platform: str, *,
                           model: Model | str | None = None) -> dict:
    """{"caption", "hashtags", "text" (as the post would read), "platform", "limit", "model"} for a
    post about `topic` in `tone` on `platform`; CaptionError with a message to show otherwise."""
    scope.require(Role.editor)  # only who may compose gets captions (AccessDenied is a UserError)
    topic, tone, platform = _checked(topic, tone, platform)
    model = model if model is not None else caption_model()
    try:
        result = await caption_agent.run(request_prompt(topic, tone, platform), model=model,
                                         deps=CaptionDeps(scope=scope, platform=platform))
    except Exception as e:
        # The provider's own error text stays in the log; the person gets a sentence to act on.
        log.warning("caption failed for workspace %s: %s: %s", scope.workspace_id, type(e).__name__, e)
        raise CaptionError(failure_message(e, kept="Your topic is kept",
                                           otherwise="The caption could not be written. Please try again.")) from e
    out = result.output
    return {"caption": out.caption, "hashtags": list(out.hashtags), "text": compose(out.caption, out.hashtags),
            "platform": platform, "limit": limits(platform)[0], "model": model_label(model)}


def strictest(platforms: list[str]) -> str:
    """Of the platforms a post goes to, the one whose limits are tightest (fewest characters, then
    fewest hashtags): one text goes to every chosen account, so a caption that fits it fits them all.
    Unknown names are left to generate_caption to refuse."""
    def key(name: str) -> tuple[float, float]:
        try:
            limit, _, most = limits(name)
        except UnknownPlatform:
            return 0.0, 0.0
        return float(limit or "inf"), float(most)

    return min(dict.fromkeys(platforms), key=key, default="")
