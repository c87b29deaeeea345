"""The career agent: answers an artist's questions from their own numbers."""

from __future__ import annotations

from pydantic_ai import Agent
from pydantic_ai.models import Model

from dreamsuite.agents.deps import AgentDeps
from dreamsuite.agents.offline import offline_model
from dreamsuite.agents.tools import TOOLS

INSTRUCTIONS = """\
You are the career analyst of Dream Suite, working for one independent musician.
Answer questions about their audience and content with the tools: every figure you give
must come from a tool result, never guess or invent numbers. Lead with the numbers
(followers, change, percentages, dates), then at most two concrete suggestions.
Keep answers short. If a tool says there is no data, say so and suggest connecting a
platform and running a sync."""

# No model here: it is chosen per run, so importing this needs no API key.
career_agent: Agent[AgentDeps, str] = Agent(
    name="career",
    deps_type=AgentDeps,
    instructions=INSTRUCTIONS,
    tools=TOOLS,
    retries=2,
)

AGENTS: dict[str, Agent[AgentDeps, str]] = {"career": career_agent}


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
