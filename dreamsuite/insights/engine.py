"""Every finding for one workspace's snapshot, most important first."""

from __future__ import annotations

from dreamsuite.insights import signals
from dreamsuite.insights.drafts import Draft

MAX_PER_RUN = 12
_RANK = {"urgent": 3, "high": 2, "medium": 1, "low": 0}


def build(snap: signals.Snapshot) -> list[Draft]:
    followers = {p: s[-1][1] for p, s in snap.followers.items() if s}
    drafts = [*signals.goals(snap), *signals.records(snap), *signals.pace(snap), *signals.jumps(snap),
              *signals.release(snap), *signals.content_types(snap, followers), *signals.best_time(snap, followers)]
    drafts.sort(key=lambda d: -_RANK.get(d.priority, 0))  # stable: within a priority, the order above
    return drafts[:MAX_PER_RUN]
