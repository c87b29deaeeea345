"""What an accepted promotion action was worth: measured on its own target, in its own currency,
once `WINDOW` (7) whole days have passed since the day it was accepted, against the 7 days
before that day. The value is per day, the unit the action promised, so `hit_rate` compares
like with like. The decision day itself is left out of both windows (half before, half after).

Measures, per kind:
- pause_creative: the spend a day taken off the creative (before − after) times what that money
  earns on the channel's other creatives (their ROAS after the decision) over what it earned on
  the creative (its ROAS before). Paused as advised and the others kept earning → close to the
  promise; left running → about 0.
- shift_budget: the change of net return a day (revenue − spend) of the two channels together.
- check_spend / review_cpa: spend saved a day on the channel (before − after).
- slow_budget: not measured (no budget periods are given to the brain yet; see promotion_runs).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from dreamsuite import db
from dreamsuite.models import ActionStatus, AdDailyMetric, PromotionAction, PromotionChannel
from dreamsuite.services.promotion_store import KIND_OF_CHANNEL

WINDOW = 7


def measure_due(s: Session, workspace_id: int, today: date) -> int:
    """Measure every accepted, unmeasured action whose 7 days after are complete; how many."""
    rows = s.exec(select(PromotionAction).where(
        PromotionAction.workspace_id == workspace_id, PromotionAction.status == ActionStatus.accepted,
        PromotionAction.observed_minor == None, PromotionAction.decided_at != None)).all()  # noqa: E711
    done = 0
    for a in rows:
        decided = a.decided_at.date()
        if today <= decided + timedelta(days=WINDOW):  # the window's last day must be complete
            continue
        observed = observe(s, a, decided)
        if observed is not None:
            a.observed_minor, a.observed_at = observed, db.utcnow()
            s.add(a)
            done += 1
    return done


def observe(s: Session, a: PromotionAction, decided: date) -> int | None:
    """The action's outcome per day in minor units of its currency; None when it has no measure."""
    before = (decided - timedelta(days=WINDOW), decided - timedelta(days=1))
    after = (decided + timedelta(days=1), decided + timedelta(days=WINDOW))
    cur = a.impact_currency
    what, _, rest = a.target.partition(":")
    if a.kind == "pause_creative" and what == "creative":
        channel, _, creative = rest.partition("/")
        own_b = _sums(s, a.workspace_id, channel, cur, before, creative=creative)
        own_a = _sums(s, a.workspace_id, channel, cur, after, creative=creative)
        peers = _sums(s, a.workspace_id, channel, cur, after, creative=creative, others=True)
        if own_b[0] <= 0:
            return 0
        peer_roas = peers[1] / peers[0] if peers[0] > 0 else float(a.evidence.get("others_roas_28d") or 0)
        moved = (own_b[0] - own_a[0]) / WINDOW
        return round(moved * (peer_roas - own_b[1] / own_b[0]))
    if a.kind == "shift_budget" and what == "channel":
        channels = [rest.partition("/")[0], str(a.evidence.get("to") or "")]
        net = [sum(r - sp for sp, r in (_sums(s, a.workspace_id, ch, cur, w) for ch in channels))
               for w in (before, after)]
        return round((net[1] - net[0]) / WINDOW)
    if a.kind in ("check_spend", "review_cpa") and what == "channel":
        channel = rest.partition("/")[0]
        spent = [_sums(s, a.workspace_id, channel, cur, w)[0] for w in (before, after)]
        return round((spent[0] - spent[1]) / WINDOW)
    return None


def _sums(s: Session, workspace_id: int, channel: str, currency: str, days: tuple[date, date], *,
          creative: str | None = None, others: bool = False) -> tuple[int, int]:
    """(spend, revenue) in minor units of one brain channel's rows in `currency` over `days`."""
    kind = KIND_OF_CHANNEL.get(channel, channel)
    stmt = (select(AdDailyMetric.spend_minor, AdDailyMetric.revenue_minor)
            .join(PromotionChannel, PromotionChannel.id == AdDailyMetric.channel_id)
            .where(AdDailyMetric.workspace_id == workspace_id, PromotionChannel.kind == kind,
                   AdDailyMetric.currency == currency, AdDailyMetric.day >= days[0], AdDailyMetric.day <= days[1]))
    if creative is not None:
        stmt = stmt.where(AdDailyMetric.creative_external_id != creative if others
                          else AdDailyMetric.creative_external_id == creative)
    rows = s.exec(stmt).all()
    return sum(r[0] for r in rows), sum(r[1] for r in rows)
