"""The composer's "Generate with AI": a topic and a tone in, a caption with hashtags into the text,
written for the tightest of the chosen accounts. A mixin of ComposerState (its accounts, its text)."""

from __future__ import annotations

import logging

import reflex as rx

from dreamsuite.platforms import platform_label
from dreamsuite.services import captions
from dreamsuite.services.errors import UserError

log = logging.getLogger(__name__)
TONES = captions.TONES


def with_caption(content: str, previous: str, caption: str) -> str:
    """The post text with a generated caption: in place of the previous one while that is still
    there as generated, else below what the artist typed (never over it)."""
    if not content.strip() or content == previous:
        return caption
    if previous and content.endswith(captions.SEPARATOR + previous):
        return content[:-len(previous)] + caption
    return content.rstrip() + captions.SEPARATOR + caption


class CaptionMixin(rx.State, mixin=True):
    # What the post is about, the tone, and the outcome shown under the field.
    ai_topic: str = ""
    ai_tone: str = "casual"
    ai_busy: bool = False
    ai_error: str = ""
    ai_note: str = ""
    _ai_text: str = ""  # the caption last put in the text, which the next one replaces

    @rx.event
    def set_ai_topic(self, value: str):
        self.ai_topic = value

    @rx.event
    def set_ai_tone(self, value: str):
        self.ai_tone = value if value in TONES else "casual"

    @rx.event(background=True)
    async def generate_caption(self):
        """Write a caption for the topic in the tone, fitted to the chosen accounts, into the text."""
        async with self:
            if self.ai_busy:
                return
            self.ai_error = self.ai_note = ""
            # Written to fit the chosen accounts; none chosen yet: every account the post could go to.
            platforms = [a.platform for a in self.accounts if a.connection_id in self.selected] or \
                [a.platform for a in self.accounts]
            if not platforms:
                self.ai_error = "Connect an account that can publish first: the caption is written to fit it."
                return
            scope = await self._scope()
            topic, tone, self.ai_busy = self.ai_topic, self.ai_tone, True
        # Several accounts share one text: write it for the strictest, so it fits every one.
        platform = captions.strictest(platforms)
        error, out = "", None
        try:
            out = await captions.generate_caption(scope, topic, tone, platform)
        except UserError as exc:  # a bad request, a viewer, or the model's failure in plain words
            error = exc.message
        except Exception:
            log.exception("caption generation failed")
            error = "The caption could not be written. Please try again."
        finally:
            async with self:
                self.ai_busy = False
                self.ai_error = error
                if out is not None:
                    self.content = with_caption(self.content, self._ai_text, out["text"])
                    self._ai_text = out["text"]
                    why = ", ".join([*(["the tightest of your accounts"] if len(set(platforms)) > 1 else []),
                                     *([f"{out['limit']:,} characters"] if out["limit"] else [])])
                    self.ai_note = (f"Written for {platform_label(platform)}{f' ({why})' if why else ''}: "
                                    f"{len(out['hashtags'])} hashtags. Edit it as you like.")
