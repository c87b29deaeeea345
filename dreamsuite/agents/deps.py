"""What an agent run may touch: one workspace, through its Scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dreamsuite.services.scope import Scope


@dataclass
class AgentDeps:
    scope: Scope
    # "Today" for period names; None means today in the workspace's timezone.
    today: date | None = None
