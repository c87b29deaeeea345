"""What an agent run may touch: one workspace, through its Scope and its data reader."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dreamsuite.agents.reader import WorkspaceReader
from dreamsuite.services.scope import Scope


@dataclass
class AgentDeps:
    scope: Scope
    # "Today" for period names; None means today in the workspace's timezone.
    today: date | None = None
    reader: WorkspaceReader = field(init=False)
    # The ad accounts and shops, read once per run (promotion_tools.promotion_inventory).
    promotion: list[dict] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.reader = WorkspaceReader(self.scope, self.today)
