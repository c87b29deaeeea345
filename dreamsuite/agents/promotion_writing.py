"""The offline analyst's answers about promotion (ads, merch, the brain's advice), written only
from the promotion tools' results, money with its currency, in the question's language."""

from __future__ import annotations

from dreamsuite.agents.wording import day, fixed, money, num, percent, period_label, t

LIST = 6  # lines of one kind in an answer: enough to act on, short enough to read


def _refused(r: dict) -> str | None:
    if r.get("not_connected"):
        return t("promo.no_shop") if r.get("shop") else t("promo.not_connected")
    if r.get("channel_not_connected"):
        return t("promo.channel_not_connected", channel=r["label"], connected=", ".join(r.get("connected") or []))
    return None


def _when(r: dict) -> str:
    return period_label(r)


def _where(r: dict) -> str:
    return t("on_platform", platform=r["label"]) if r.get("label") else ""


def _roas(x: float | None) -> str:
    return fixed(x, 2) if x is not None else "–"


def _ctr(x: float | None) -> str:
    return percent(x * 100, 2) if x is not None else "–"


def _cpa(m: dict | None) -> str:
    return t("promo.cpa", cpa=money(m)) if m else ""


def performance(r: dict) -> str:
    if (refused := _refused(r)) is not None:
        return refused
    totals = r.get("totals") or []
    if not totals:
        return t("promo.none", when=_when(r), where=_where(r))
    lines = [t("promo.total", when=_when(r), where=_where(r), spend=money(x["spend"]), revenue=money(x["revenue"]),
               roas=_roas(x["roas"]), conversions=num(x["conversions"]), clicks=num(x["clicks"]), ctr=_ctr(x["ctr"]),
               cpa=_cpa(x["cpa"])) for x in totals]
    if len(totals) > 1:
        lines.append(t("promo.currencies", list=", ".join(x["currency"] for x in totals)))
    items = r.get("items") or []
    if len(items) > 1 or r.get("level") != "channel":
        lines.append(t(f"promo.by.{r.get('level', 'channel')}"))
        for i in items[:LIST]:
            lines.append(t("promo.row", name=i["name"], where="" if i["level"] == "channel" else f" ({i['label']})",
                           spend=money(i["spend"]), revenue=money(i["revenue"]), roas=_roas(i["roas"]),
                           conversions=num(i["conversions"]), cpa=_cpa(i["cpa"]),
                           early=t("promo.early") if i["verdict"] != "judged" else ""))
    return "\n".join(lines)


def _worth_line(i: dict, thresholds: int = 10) -> str:
    where = "" if i["level"] == "channel" else f" ({i['label']})"
    name = f"\"{i['name']}\"" if i["level"] != "channel" else i["name"]
    values = {"name": name, "where": where, "spend": money(i["spend"]), "revenue": money(i["revenue"]),
              "roas": _roas(i["roas"])}
    worth = i.get("worth", "too_early")
    if worth == "too_early":
        s = t("worth.too_early", **values, conversions=num(i["conversions"]), min=thresholds)
    elif worth == "fading":
        f = i["fatigue"]
        s = t("worth.fading", **values, drop=percent(abs(f["drop_pct"])), day=day(f["start"]))
    else:
        s = t(f"worth.{worth}", **values)
    if i["level"] == "creative" and worth != "too_early" and i.get("median_roas") is not None:
        cpa = (t("worth.median_cpa", cpa=money(i["median_cpa"]), mine=money(i["cpa"]))
               if i.get("median_cpa") and i.get("cpa") else "")
        s += t("worth.median", channel=i["label"], roas=_roas(i["median_roas"]), cpa=cpa)
    if i["level"] == "creative" and i.get("ctr_first_week") is not None and i.get("ctr_last_week") is not None:
        s += t("worth.ctr", first=_ctr(i["ctr_first_week"]), last=_ctr(i["ctr_last_week"]))
    return s


def worth_it(r: dict) -> str:
    """Each channel's verdict, the campaigns losing money, then the creatives: the ones wasting
    money (or tiring) first; every creative when one channel or one creative was asked about."""
    if (refused := _refused(r)) is not None:
        return refused
    if r.get("creative_not_found"):
        return t("worth.creative_not_found", name=r["creative_not_found"], where=_where(r))
    if not r.get("has_data"):
        return t("worth.none", where=_where(r))
    lines = [t("worth.head", first=day(r["from"]), last=day(r["to"]))]
    creatives = r.get("creatives") or []
    if r.get("creative"):
        return "\n".join(lines + [_worth_line(i) for i in creatives[:LIST]])
    lines += [_worth_line(i) for i in r.get("channels") or []]
    lines += [_worth_line(i) for i in r.get("campaigns") or [] if i.get("worth") == "not_worth_it"][:LIST]
    bad = [i for i in creatives if i.get("worth") in ("not_worth_it", "fading")]
    rest = [i for i in creatives if i.get("worth") not in ("not_worth_it", "fading")]
    if bad:
        lines.append(t("worth.wasting"))
        lines += ["- " + _worth_line(i) for i in bad[:LIST]]
    elif any(i.get("worth") == "worth_it" for i in creatives):
        lines.append(t("worth.waste_none"))
    if r.get("label"):  # one channel asked about: its other creatives too
        lines += ["- " + _worth_line(i) for i in rest[:LIST]]
    elif early := [i for i in rest if i.get("worth") == "too_early"]:
        lines.append(t("worth.early_list", list=", ".join(f"\"{i['name']}\" ({i['label']})" for i in early[:LIST])))
    return "\n".join(lines)


def merch(r: dict) -> str:
    if (refused := _refused(r)) is not None:
        return refused
    found = r.get("currencies") or []
    if not found:
        return t("merch.none", when=_when(r))
    lines = []
    for c in found:
        s = t("merch.main", when=_when(r), orders=num(c["orders"]), revenue=money(c["revenue"]))
        parts = [t("merch.part", channel=b["label"], orders=num(b["orders"]), revenue=money(b["revenue"]),
                   share=percent(b["share_pct"]) if b["share_pct"] is not None else "–")
                 for b in c["by_channel"] if b.get("channel")]
        s += t("merch.by", list="; ".join(parts)) if parts else t("merch.untagged")
        lines.append(s)
    return "\n".join(lines)


def advice(r: dict) -> str:
    if (refused := _refused(r)) is not None:
        return refused
    if r.get("no_run"):
        return t("advice.no_run")
    acts = r.get("actions") or []
    run = r.get("run") or {}
    if not acts:
        lines = [t("advice.none") if r.get("status") == "proposed" else t("advice.none_status")]
    else:
        lines = [t("advice.head", day=day(run["today"]))]
        for a in acts:
            conf = t(f"confidence.{a['confidence']}") if a.get("confidence") in ("high", "medium", "low") else "–"
            lines.append(t("advice.line", sentence=a["sentence"].rstrip("."), impact=money(a["impact_per_day"]),
                           confidence=conf, status=t(f"advice.state.{a['status']}")
                           if a["status"] in ("accepted", "dismissed", "expired") else ""))
    tired = [f for f in run.get("fatigue") or [] if f.get("ongoing")]
    if tired:
        lines.append(t("advice.fatigue", list=", ".join(
            t("advice.fatigue_item", creative=f["creative"], channel=f["channel"], drop=percent(abs(f["drop_pct"])),
              day=day(f["start"])) for f in tired[:LIST])))
    return "\n".join(lines)


def inventory_lines(channels: list[dict]) -> list[str]:
    return [t("inventory.shop" if c["kind"] == "shopify" else "inventory.promotion", channel=c["label"],
              currency=c["currency"], first=day(c["first_day"]), last=day(c["last_day"]))
            if c.get("first_day") else t("inventory.promotion_empty", channel=c["label"]) for c in channels]


WRITERS = {"ad_performance": performance, "ad_worth_it": worth_it, "merch_sales": merch,
           "promotion_advice": advice}
