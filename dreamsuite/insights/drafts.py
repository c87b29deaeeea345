"""An insight before it is stored: what it says, what to do, and the numbers behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Draft:
    type: str  # growth | content | strategy | trend | goal
    priority: str  # low | medium | high | urgent
    title: str
    message: str
    dedupe_key: str  # the finding and its period: the same key is not stored twice while current
    actions: tuple[str, ...] = ()
    # Where each number comes from, as checkable descriptions (see insights/sources.py).
    sources: tuple[dict[str, Any], ...] = ()
    # Every number the message quotes, by name, exactly as computed.
    figures: dict[str, Any] = field(default_factory=dict)
    expires_in_days: int = 7
