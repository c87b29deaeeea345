"""The promotion brain's top actions as feed insights (pure: action rows in, drafts out).

An action's insight is named by its stable key, so the same finding on the next days is one
insight, not one a day; urgent ones (an anomaly of the last 3 days, a creative judged with high
confidence to be burning money) also make one notification, when the action is first found.
"""

from __future__ import annotations

from decimal import Decimal

from dreamsuite.insights.drafts import Draft

TOP = 3  # actions of a run shown in the feed
TYPE = "promotion"  # models.InsightType.promotion (insights/ reads no models)
TITLES = {"pause_creative": "Pause a tired creative", "shift_budget": "Move ad budget to the channel that earns more",
          "check_spend": "Unusual ad spend", "review_cpa": "A sale cost far more than usual",
          "slow_budget": "A budget is running out too fast"}
URGENT_KINDS = ("check_spend", "review_cpa")  # anomalies: the brain only proposes those of the last 3 days


def urgent(kind: str, confidence: str, impact: Decimal) -> bool:
    return impact > 0 and (kind in URGENT_KINDS or (kind == "pause_creative" and confidence == "high"))


def draft(key: str, kind: str, target: str, sentence: str, impact: Decimal, currency: str, confidence: str) -> Draft:
    priority = "urgent" if urgent(kind, confidence, impact) else "high" if confidence == "high" else "medium"
    # Figures name their source like every insight's (insights/sources.py), so each can be read
    # back from the stored action; the full evidence stays on the action.
    figures = {"expected_gain_per_day": {"value": float(impact),
                                         "source": {"kind": "ad_gain", "key": key, "currency": currency}},
               "confidence": {"value": confidence, "source": {"kind": "ad_confidence", "key": key}}}
    return Draft(type=TYPE, priority=priority, title=TITLES.get(kind, "A promotion action"), message=sentence,
                 dedupe_key=f"promotion:{key}", actions=("Open Promotion to accept or dismiss it",),
                 sources=({"table": "ad_daily_metric", "what": target, "action_key": key},),
                 figures=figures,
                 expires_in_days=7)
