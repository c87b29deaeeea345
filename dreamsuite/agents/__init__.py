"""pydantic-ai agents, their tools (which read only the current workspace) and the offline model."""
