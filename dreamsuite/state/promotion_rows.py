"""The Promotion page's rows: the read-model's plain data as the words and numbers on screen
(money as its currency writes it, ratios, days and times in the user's timezone). Pure
functions, no Reflex state and no database, so every case is tested without a browser."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterable, Mapping

from babel.numbers import format_currency

from dreamsuite.services.promotion_connect import channel_kinds
from dreamsuite.state import fmt

ACTION_TITLES = {"pause_creative": "Pause a tired creative", "shift_budget": "Move budget between channels",
                 "check_spend": "Check an unusual day of spend", "review_cpa": "Review a costly sale",
                 "slow_budget": "Slow a budget that runs out too fast"}
STATUS_LABELS = {"proposed": "To decide", "accepted": "Accepted", "dismissed": "Dismissed", "expired": "Expired"}
EVIDENCE_SHOWN = 8
EVIDENCE_LABELS = {"ctr_drop_pct": "Click-through rate change", "since": "Since", "baseline_ctr": "First week's CTR",
                   "current_ctr": "Latest CTR", "frequency_rise_pct": "Frequency change", "cpa_7d": "CPA, last 7 days",
                   "others_median_cpa_28d": "Other creatives' median CPA, 28 days",
                   "spend_per_day_7d": "Spend a day, last 7 days", "roas_7d": "ROAS, last 7 days",
                   "others_roas_28d": "Other creatives' ROAS, 28 days", "amount_per_day": "Amount a day",
                   "marginal_roas_from": "Marginal ROAS where it comes from",
                   "marginal_roas_to": "Marginal ROAS where it goes", "window_days": "Days looked at"}


@dataclasses.dataclass
class TotalTile:
    currency: str = ""
    spend: str = ""
    revenue: str = ""
    roas: str = ""
    merch: str = ""
    orders: str = ""


@dataclasses.dataclass
class PerfRow:
    label: str = ""  # the channel, or the creative's name as the platform gave it
    sub: str = ""  # the channel and campaign of a creative
    color: str = ""
    currency: str = ""
    spend: str = ""
    revenue: str = ""
    roas: str = ""
    cpa: str = ""
    ctr: str = ""
    conversions: str = ""
    tired: bool = False


@dataclasses.dataclass
class FatigueRow:
    name: str = ""
    where: str = ""
    since: str = ""
    drop: str = ""
    ongoing: bool = False


@dataclasses.dataclass
class ActionRow:
    id: int = 0
    title: str = ""
    sentence: str = ""
    target: str = ""
    impact: str = ""
    confidence: str = ""
    status: str = ""
    status_label: str = ""
    open: bool = False  # still to decide
    decided: str = ""
    evidence: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Option:
    value: str = ""
    label: str = ""


def money(amount: Decimal | str | None, currency: str) -> str:
    """€1,234.50 · ¥1,235 · $12.00: the currency's own symbol and decimals."""
    if amount is None or not currency:
        return "—"
    return format_currency(Decimal(str(amount)), currency, locale="en")


def ratio(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}×"


def rate(x: float | None) -> str:
    """A share (0.0123) as a percentage with two decimals: click-through rates are small."""
    return "—" if x is None else f"{x * 100:.2f}%"


def day(iso: str | date | None) -> str:
    if not iso:
        return ""
    d = date.fromisoformat(str(iso)[:10])
    return f"{d.day} {d:%b %Y}"


@lru_cache(maxsize=1)
def _kinds() -> dict[str, tuple[str, str]]:
    """Each channel kind's label and colour, as its adapter declares them (the Channels panel's)."""
    return {k["kind"]: (k["label"], k["color"]) for k in channel_kinds()}


def kind_label(kind: str) -> str:
    return _kinds().get(kind, (str(kind).replace("_", " ").title(), ""))[0]


def channel_label(c: Mapping, same_kind: int = 1) -> str:
    """'Meta Ads', or 'Meta Ads · Nova EU' when the workspace has several accounts of that kind."""
    base = kind_label(c["kind"])
    return f"{base} · {c['name']}" if same_kind > 1 else base


def channel_labels(channels: Iterable[Mapping]) -> dict[int, tuple[str, str]]:
    """{channel id: (label, colour)}."""
    channels = list(channels)
    count: dict[str, int] = {}
    for c in channels:
        count[c["kind"]] = count.get(c["kind"], 0) + 1
    return {c["id"]: (channel_label(c, count[c["kind"]]), _kinds().get(c["kind"], ("", "#7C3AED"))[1]) for c in channels}


def totals(t: Mapping[str, Mapping]) -> list[TotalTile]:
    return [TotalTile(currency=cur, spend=money(v["spend"], cur), revenue=money(v["revenue"], cur),
                      roas=ratio(v["roas"]), merch=money(v["merch"], cur),
                      orders=f"{fmt.number(v['orders'])} order{'s' if v['orders'] != 1 else ''}")
            for cur, v in t.items()]


def _perf(r: Mapping, label: str, sub: str, color: str, tired: bool = False) -> PerfRow:
    cur = r["currency"]
    return PerfRow(label=label, sub=sub, color=color, currency=cur, spend=money(r["spend"], cur),
                   revenue=money(r["revenue"], cur), roas=ratio(r["roas"]), cpa=money(r["cpa"], cur),
                   ctr=rate(r["ctr"]), conversions=fmt.number(r["conversions"]), tired=tired)


def channel_rows(rows: Iterable[Mapping], labels: Mapping[int, tuple[str, str]]) -> list[PerfRow]:
    out = []
    for r in rows:
        label, color = labels.get(r["channel_id"], (r["name"], ""))
        out.append(_perf(r, label, "", color))
    return out


def creative_rows(rows: Iterable[Mapping], labels: Mapping[int, tuple[str, str]],
                  tired: set[tuple[int, str]]) -> list[PerfRow]:
    out = []
    for r in rows:
        label, color = labels.get(r["channel_id"], (r.get("channel", ""), ""))
        sub = label + (f" · {r['campaign']}" if r.get("campaign") else "")
        out.append(_perf(r, r["name"], sub, color, (r["channel_id"], r["creative_id"]) in tired))
    return out


def fatigue_rows(found: Iterable[Mapping], labels: Mapping[int, tuple[str, str]]) -> list[FatigueRow]:
    out = []
    for f in found:
        where = labels.get(f["channel_id"], ("", ""))[0] + (f" · {f['campaign']}" if f.get("campaign") else "")
        drop = f.get("drop_pct")
        out.append(FatigueRow(name=f["name"], where=where, since=day(f.get("start")),
                              drop="" if drop is None else f"{drop:+.0f}% click-through rate",
                              ongoing=bool(f.get("ongoing"))))
    return out


def _evidence_value(key: str, v: Any) -> str | None:
    if isinstance(v, Mapping):
        return money(v["amount"], v["currency"]) if {"amount", "currency"} <= set(v) else None
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        if key.endswith("_pct"):
            return f"{v:+.1f}%"
        if key.endswith("ctr"):
            return rate(v)
        if "roas" in key:
            return ratio(v)
        return f"{v:,}" if isinstance(v, int) else f"{v:,.3g}"
    if isinstance(v, (list, tuple)):
        return ", ".join(str(x) for x in v[:5]) or None
    return str(v)


def evidence_lines(evidence: Mapping | None) -> list[str]:
    """The numbers behind an action as 'What: value' lines (nested fits are left to the chat)."""
    out = []
    for k, v in (evidence or {}).items():
        if isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[:4].isdigit():
            text = day(v)
        else:
            text = _evidence_value(k, v)
        if text:
            out.append(f"{EVIDENCE_LABELS.get(k, k.replace('_', ' ').capitalize())}: {text}")
        if len(out) >= EVIDENCE_SHOWN:
            break
    return out


def action_rows(actions: Iterable[Mapping], tz: str, names: Mapping[str, str]) -> list[ActionRow]:
    out = []
    for a in actions:
        cur = a.get("currency") or ""
        decided = ""
        if a.get("decided_at") and a["status"] in ("accepted", "dismissed"):
            decided = f"{STATUS_LABELS[a['status']]} {fmt.local_time(a['decided_at'], tz)}"
        impact = f"{money(a['impact'], cur)} a day" if a.get("impact") is not None else ""
        out.append(ActionRow(
            id=int(a["id"]), title=ACTION_TITLES.get(a["kind"], a["kind"].replace("_", " ").capitalize()),
            sentence=a.get("sentence") or "", target=names.get(a.get("target") or "", a.get("target") or ""),
            impact=impact, confidence=a.get("confidence") or "", status=a["status"],
            status_label=STATUS_LABELS.get(a["status"], a["status"]), open=a["status"] == "proposed",
            decided=decided, evidence=evidence_lines(a.get("evidence"))))
    return out


def hit_rate(h: Mapping | None) -> tuple[str, str, str, str]:
    """(adoption, its basis, prediction accuracy, its basis) in words."""
    if not h:
        return "—", "No action answered yet.", "—", "Nothing measured yet."
    adoption = "—" if h.get("adoption") is None else f"{h['adoption'] * 100:.0f}%"
    decided, accepted = int(h.get("decided") or 0), int(h.get("accepted") or 0)
    basis = (f"{accepted} of {decided} answered action{'s' if decided != 1 else ''} accepted" if decided
             else "No action answered yet.")
    acc = "—" if h.get("prediction_accuracy") is None else f"{h['prediction_accuracy'] * 100:.0f}%"
    measured = int(h.get("measured") or 0)
    acc_basis = (f"{int(h.get('hits') or 0)} of {measured} measured action{'s' if measured != 1 else ''} "
                 "reached half their promise or more" if measured
                 else "Measured on the 7 days after an accepted action.")
    return adoption, basis, acc, acc_basis
