"""Every finding for one workspace's snapshot, most important first."""

from __future__ import annotations

from datetime import timedelta

from dreamsuite.insights import signals
from dreamsuite.insights.drafts import Draft

# At most this many new insights a run: a feed of fifty on the first day is read by nobody. The
# cut, least important ones are stored on a later run (findings already stored do not count).
MAX_PER_RUN = 12
_RANK = {"urgent": 3, "high": 2, "medium": 1, "low": 0}


def build(snap: signals.Snapshot) -> list[Draft]:
    # Posts without reach are rated over their platform's followers on the last day the content
    # signals look at (yesterday), so a stored rate still reproduces after later days arrive.
    end = snap.today - timedelta(days=1)
    followers = {p: known[-1][1] for p, s in snap.followers.items() if (known := [x for x in s if x[0] <= end])}
    drafts = [*signals.goals(snap), *signals.records(snap), *signals.pace(snap), *signals.jumps(snap),
              *signals.release(snap), *signals.content_types(snap, followers), *signals.hashtags(snap, followers),
              *signals.best_time(snap, followers), *signals.frequency(snap)]
    drafts.sort(key=lambda d: -_RANK.get(d.priority, 0))  # stable: within a priority, the order above
    return drafts
