"""The three agents of the chat, one set of tools: the Career Agent (growth, strategy,
performance), the Content Strategist (what content works, when to post) and the Goal Tracker
(progress, milestones, next steps). Each knows, from its instructions, what is connected and
since when numbers exist; `route` picks one from the question when a conversation names none."""

from __future__ import annotations

import re

from pydantic_ai import Agent, RunContext
from pydantic_ai.models import Model

from dreamsuite import db
from dreamsuite.agents.deps import AgentDeps
from dreamsuite.agents.offline import offline_model
from dreamsuite.agents.promotion_tools import TOOLS as PROMOTION_TOOLS
from dreamsuite.agents.promotion_tools import promotion_inventory
from dreamsuite.agents.tools import TOOLS

RULES = """\
Every figure you give must come from a tool result: never guess or invent numbers. Lead with
the numbers (followers, change, percentages, dates), then at most two concrete suggestions.
Keep answers short. When the data cannot answer (a platform not connected, a number the
platform does not give, another artist's numbers), say so plainly and say what the artist
can do. Money always with its currency; amounts in different currencies are never added
together. Answer in the language of the question."""

ROLES = {
    "career": ("Career Agent", "You are the career analyst of Dream Suite, working for one independent musician: "
                               "audience growth, strategy and performance across their platforms."),
    "content": ("Content Strategist", "You are the content strategist of Dream Suite, working for one independent "
                                      "musician: which posts, formats and hashtags work, and when to post."),
    "goals": ("Goal Tracker", "You are the goal tracker of Dream Suite, working for one independent musician: "
                              "their goals' progress, milestones, forecasts and the next steps to reach them."),
}


async def _what_exists(ctx: RunContext[AgentDeps]) -> str:
    """What is connected and since when: the agent knows what it can answer before it tries."""
    inventory = await db.run(ctx.deps.reader.inventory)
    promo = await db.run(promotion_inventory, ctx.deps)
    ads = ("Promotion: " + "; ".join(f"{c['label']} ({c['currency']}, numbers {c['first_day']} to {c['last_day']})"
                                     for c in promo) + "." if promo else
           "No ad account or shop connected (the Promotion page connects them).")
    if not inventory["connected"]:
        return "No social platform is connected yet: suggest the Connections page. " + ads
    parts = []
    for p in inventory["connected"]:
        span = f"daily numbers {p['first_day']} to {p['last_day']}" if p["first_day"] else "no numbers yet"
        parts.append(f"{p['label']} ({span})")
    return (f"Today is {inventory['today']}. Connected: {'; '.join(parts)}. No public API: "
            f"{', '.join(inventory['without_public_api'])}. {ads}")


def _agent(name: str) -> Agent[AgentDeps, str]:
    title, role = ROLES[name]
    agent: Agent[AgentDeps, str] = Agent(name=name, deps_type=AgentDeps, instructions=[f"{role}\n{RULES}",
                                                                                       _what_exists],
                                         tools=TOOLS + PROMOTION_TOOLS, retries=2)
    return agent


# No model here: it is chosen per run, so importing this needs no API key.
AGENTS: dict[str, Agent[AgentDeps, str]] = {name: _agent(name) for name in ROLES}
career_agent = AGENTS["career"]
AGENT_TITLES = {name: title for name, (title, _) in ROLES.items()}

_CONTENT = re.compile(r"\b(posts?|content|reels?|photos?|videos?|shorts?|carousels?|hashtags?|captions?|format|"
                      r"best (time|day|hour)|when (should|to|do) i post|most (liked|commented|viewed|shared))\b", re.I)
_GOALS = re.compile(r"\b(goals?|targets?|milestones?|on track|forecast|predict|will i (reach|hit|get)|"
                    r"when will i)\b", re.I)


def route(question: str) -> str:
    """The agent for a question: goals and forecasts → the Goal Tracker; posts, formats and
    timing → the Content Strategist; the rest → the Career Agent."""
    if _GOALS.search(question or ""):
        return "goals"
    if _CONTENT.search(question or ""):
        return "content"
    return "career"


def model_for(name: str | None) -> Model | str:
    """"offline" (the default) → the built-in analyst; else a pydantic-ai model string
    such as openai-chat:<model>, anthropic:<model> or ollama:<model>, resolved at run time."""
    name = (name or "offline").strip()
    if name == "offline":
        return offline_model()
    if ":" not in name:
        raise ValueError(f"DREAMSUITE_MODEL must be 'offline' or '<provider>:<model>', not {name!r}")
    return name


def model_label(model: Model | str) -> str:
    return model if isinstance(model, str) else model.model_name
