"""An optional writer for insights: a configured language model may reword an insight's title
and message; the numbers stay the analytics' own.

The model sees the drafted text and returns a rewording. It is kept only if it quotes no
number the draft did not quote (every figure in an insight must reproduce from the
database, so a model that rounds, converts or invents a number is refused) and fits the
stored lengths; otherwise, or when the model fails, the draft's own words are stored. With
the built-in offline model nothing is reworded.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from pydantic import BaseModel, Field
from pydantic_ai import Agent
from pydantic_ai.models import Model

from dreamsuite.insights.drafts import Draft

log = logging.getLogger(__name__)

INSTRUCTIONS = """\
You reword short insights for an independent musician about their own numbers. Keep every
number exactly as written (same digits, separators, signs, % and dates); add no number; keep
the meaning and the platform names. Warm, direct, second person, at most two sentences for
the message and eight words for the title. Plain text only: no markdown, no HTML, no emoji."""

_NUMBER = re.compile(r"[+\-−]?\d[\d,]*(?:\.\d+)?%?")


class Phrased(BaseModel):
    title: str = Field(max_length=200)
    message: str = Field(max_length=2000)


phrasing_agent: Agent[None, Phrased] = Agent(name="insight-writer", output_type=Phrased,
                                             instructions=INSTRUCTIONS, retries=1)


def numbers(text: str) -> list[str]:
    return [n.replace("−", "-") for n in _NUMBER.findall(text)]


def faithful(draft: Draft, phrased: Phrased) -> bool:
    """The rewording quotes only numbers the draft quoted, and is plain text."""
    allowed = set(numbers(draft.title)) | set(numbers(draft.message))
    used = numbers(phrased.title) + numbers(phrased.message)
    plain = not re.search(r"[<>`*_\[\]#]", phrased.title + phrased.message)
    return plain and all(n in allowed for n in used) and bool(phrased.title.strip() and phrased.message.strip())


def phrase(draft: Draft, model: Model | str | None) -> Draft:
    """The draft reworded by `model` when that is faithful, else the draft as it was."""
    if model is None:
        return draft
    prompt = f"Title: {draft.title}\nMessage: {draft.message}"
    try:
        phrased = phrasing_agent.run_sync(prompt, model=model).output
    except Exception:  # noqa: BLE001 - a failing writer never loses an insight
        log.warning("insight phrasing failed; keeping the drafted words", exc_info=True)
        return draft
    if not faithful(draft, phrased):
        log.info("insight phrasing changed a number; keeping the drafted words")
        return draft
    return replace(draft, title=phrased.title.strip(), message=phrased.message.strip())
