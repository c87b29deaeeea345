"""The printable report of a period: a plain HTML page the server renders (no script, no
websocket), so the browser prints exactly what is on screen, page breaks where a print
stylesheet puts them. Headline numbers, followers per platform, the platform table, content
types, top posts, current insights and goals, in the artist's timezone. Everything that came
from a platform or a person is escaped; links go only to web addresses."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from dreamsuite import styles as st
from dreamsuite.api.report_svg import bar_chart, line_chart
from dreamsuite.platforms import platform_label
from dreamsuite.services import goals, insights
from dreamsuite.services.export import export_data
from dreamsuite.services.platform_page import plain_caption
from dreamsuite.services.scope import Scope

INSIGHTS = 8


def report_data(scope: Scope, workspace_name: str, start: date | None, end: date | None,
                platform: str | None) -> dict:
    data = export_data(scope, workspace_name, start, end, platform)
    found = insights.feed(scope, limit=INSIGHTS)
    data["insights"] = [i for i in found if not platform or platform in _platforms_of(i)]
    data["goals"] = [g for g in goals.views(scope) if not platform or g.get("platform") in (None, platform)]
    return data


def _platforms_of(insight: dict) -> set[str]:
    return {str(s.get("platform")) for s in insight.get("sources") or [] if isinstance(s, dict)} or {""}


# ------------------------------------------------------------------ formatting
def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except Exception:
        return ZoneInfo("UTC")


def _day(iso: Any) -> str:
    try:
        d = date.fromisoformat(str(iso)[:10])
    except ValueError:
        return ""
    return f"{d.day} {d:%b %Y}"


def _local(iso: Any, zone: ZoneInfo, fmt: str = "%d %b %Y, %H:%M") -> str:
    try:
        moment = iso if isinstance(iso, datetime) else datetime.fromisoformat(str(iso))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(zone).strftime(fmt)


def _n(v: Any) -> str:
    return "—" if v is None else f"{v:,.0f}"


def _signed(v: Any) -> str:
    return "—" if v is None else f"{v:+,.0f}"


def _pct(v: Any, signed: bool = False) -> str:
    return "—" if v is None else (f"{v:+.1f}%" if signed else f"{v:.1f}%")


def _link(url: Any, text: str) -> str:
    url = str(url or "")
    if not url.lower().startswith(("https://", "http://")):
        return escape(text)
    return f"<a href=\"{escape(url)}\" rel=\"noopener noreferrer\">{escape(text)}</a>"


# ------------------------------------------------------------------ sections
_BASIS = {"reach": "over reach", "followers": "over followers (no reach given)",
          "mixed": "over reach, or followers where no reach is given"}


def _headline(q: dict, dash: dict) -> str:
    cells = [
        ("Followers", _n(q.get("total_followers")), f"as of {_day(dash.get('as_of'))}" if dash.get("as_of") else ""),
        ("Change in the period", _signed(q.get("change")), _pct(q.get("change_pct"), True)
         if q.get("change_pct") is not None else ""),
        ("Last 7 days", _signed(q.get("change_7d")), ""),
        ("Engagement rate", _pct(q.get("engagement_rate")),
         _BASIS.get(q.get("engagement_basis") or "", "")),
        ("Posts in the period", _n(q.get("posts_count")), ""),
    ]
    return "<div class=\"stats\">" + "".join(
        f"<div class=\"stat\"><div class=\"label\">{escape(a)}</div><div class=\"value\">{escape(b)}</div>"
        f"<div class=\"sub\">{escape(c)}</div></div>" for a, b, c in cells) + "</div>"


def _platform_table(dash: dict) -> str:
    compared = {r["platform"]: r for r in dash.get("comparison") or []}
    rows = []
    for r in dash.get("platforms") or []:
        c = compared.get(r["platform"], {})
        share = c.get("share")
        rows.append(f"<tr><td><i class=\"dot\" style=\"background:{escape(st.platform_color(r['platform']))}\"></i>"
                    f"{escape(platform_label(r['platform']))}</td><td>{_n(r.get('followers'))}</td>"
                    f"<td>{_signed(r.get('change'))}</td><td>{_pct(r.get('change_pct'), True)}</td>"
                    f"<td>{_signed(r.get('change_7d'))}</td><td>{_pct(c.get('engagement_rate'))}</td>"
                    f"<td>{_n(c.get('posts'))}</td><td>{_pct(share * 100 if share is not None else None)}</td></tr>")
    if not rows:
        return "<p class=\"empty\">No platform has numbers in this period.</p>"
    return ("<table><thead><tr><th>Platform</th><th>Followers</th><th>Change</th><th>Change %</th><th>7 days</th>"
            "<th>Engagement</th><th>Posts</th><th>Share</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _top_posts(dash: dict, zone: ZoneInfo) -> str:
    rows = []
    for p in dash.get("top_posts") or []:
        caption = plain_caption(p.get("caption"), 120) or "(no caption)"
        rows.append(f"<tr><td>{escape(platform_label(p['platform']))}</td><td>{escape(str(p.get('type') or ''))}</td>"
                    f"<td>{escape(_local(p.get('posted_at'), zone, '%d %b %Y'))}</td>"
                    f"<td class=\"caption\">{_link(p.get('url'), caption)}</td>"
                    + "".join(f"<td>{_n(p.get(k))}</td>" for k in ("likes", "comments", "shares", "saves", "views"))
                    + f"<td>{_pct(p.get('rate'))}</td></tr>")
    if not rows:
        return "<p class=\"empty\">No posts in this period.</p>"
    return ("<table><thead><tr><th>Platform</th><th>Type</th><th>Date</th><th>Post</th><th>Likes</th><th>Comments</th>"
            "<th>Shares</th><th>Saves</th><th>Views</th><th>Rate</th></tr></thead><tbody>" + "".join(rows)
            + "</tbody></table>")


def _insights(items: list[dict]) -> str:
    if not items:
        return "<p class=\"empty\">No current insights.</p>"
    return "<ul class=\"insights\">" + "".join(
        f"<li><b>{escape(str(i.get('title') or ''))}</b> <span class=\"tag\">{escape(str(i.get('priority') or ''))}"
        f"</span><br>{escape(str(i.get('message') or ''))}</li>" for i in items) + "</ul>"


def _goals(items: list[dict]) -> str:
    if not items:
        return "<p class=\"empty\">No open goals.</p>"
    out = []
    for g in items:
        p = g.get("progress") or {}
        pct = max(0.0, min(100.0, float(p.get("pct") or 0)))
        track = {True: "on track", False: "behind pace", None: ""}.get(p.get("on_track"), "")
        deadline = f" by {_day(g['deadline'])}" if g.get("deadline") else ""
        out.append(f"<li><b>{escape(str(g.get('title') or ''))}</b>{escape(deadline)}<div class=\"bar\">"
                   f"<i style=\"width:{pct:.1f}%\"></i></div><span class=\"sub\">{_n(p.get('current'))} of "
                   f"{_n(g.get('target'))} ({pct:.0f}%){escape(' · ' + track if track else '')}</span></li>")
    return "<ul class=\"goals\">" + "".join(out) + "</ul>"


def _style() -> str:
    gray, accent = st.GRAY_HEX, st.ACCENT_HEX
    return f"""
body{{font-family:{st.chart_font};color:{gray[12]};margin:0;background:{gray[2]}}}
main{{max-width:60rem;margin:0 auto;padding:2rem 1.5rem;background:{gray[1]}}}
h1{{font-size:1.6rem;margin:0}} h2{{font-size:1.1rem;margin:2rem 0 .6rem;border-bottom:1px solid {gray[5]};
padding-bottom:.3rem}} .meta{{color:{gray[11]};font-size:.85rem;margin:.3rem 0 0}}
.stats{{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.6rem}}
.stat{{border:1px solid {gray[5]};border-radius:8px;padding:.6rem .8rem}}
.stat .label,.sub{{color:{gray[11]};font-size:.78rem}} .stat .value{{font-size:1.4rem;font-weight:700}}
table{{width:100%;border-collapse:collapse;font-size:.82rem}} th,td{{text-align:right;padding:.35rem .4rem;
border-bottom:1px solid {gray[4]};vertical-align:top}} th:first-child,td:first-child,td.caption,th:nth-child(4)
{{text-align:left}} th{{color:{gray[11]};font-weight:600}} td.caption{{overflow-wrap:anywhere;max-width:18rem}}
a{{color:{accent[11]}}} .dot,.key i{{display:inline-block;width:.6rem;height:.6rem;border-radius:50%;
margin-right:.4rem}} .legend{{font-size:.8rem;color:{gray[11]}}} .key{{margin-right:1rem}}
.chart{{width:100%;height:auto;display:block}} .empty{{color:{gray[11]};font-style:italic}}
ul{{padding-left:1.1rem}} li{{margin:.4rem 0}} .tag{{font-size:.7rem;color:{accent[11]};text-transform:uppercase}}
.bar{{height:.45rem;background:{gray[4]};border-radius:4px;margin:.3rem 0;max-width:24rem}}
.bar i{{display:block;height:100%;background:{accent[9]};border-radius:4px}}
.actions{{float:right}} .actions button{{font:inherit;padding:.4rem .9rem;border-radius:6px;border:1px solid
{accent[8]};background:{accent[3]};color:{accent[11]};cursor:pointer}}
footer{{margin-top:2rem;color:{gray[10]};font-size:.75rem}}
@media print{{
  @page{{size:A4;margin:14mm}} body{{background:none}} main{{max-width:none;padding:0}}
  .actions{{display:none}} a{{color:inherit;text-decoration:none}}
  *{{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
  section,tr,.stat,li{{break-inside:avoid}} h2{{break-after:avoid}}
}}"""


def render_report(data: dict) -> str:
    dash, q = data["dashboard"], data["quick_stats"]
    zone = _zone(data.get("timezone"))
    tz = escape(str(data.get("timezone") or "UTC"))
    who = escape(str(data.get("workspace") or ""))
    only = f" · {escape(platform_label(data['platform']))}" if data.get("platform") else ""
    period = f"{_day(data['start'])} – {_day(data['end'])}" if data.get("start") else "No numbers collected yet"
    generated = _local(data.get("generated_at"), zone)
    types = [(str(t["key"]).replace("_", " ").capitalize(), t["avg_rate"], st.chart_primary)
             for t in dash.get("content_types") or [] if t.get("avg_rate") is not None]
    engagement = [(platform_label(r["platform"]), r["engagement_rate"], st.platform_color(r["platform"]))
                  for r in dash.get("comparison") or [] if r.get("engagement_rate") is not None]
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">
<title>Report {escape(period)} · {who} · Dream Suite</title><style>{_style()}</style></head><body><main>
<div class="actions"><button type="button" onclick="window.print()">Print</button></div>
<header><h1>{who}{only}</h1><p class="meta">Report for {escape(period)} · times in {tz}</p>
<p class="meta" data-testid="generated">Generated on {escape(generated)} ({tz}) by Dream Suite</p></header>
<section><h2>Headline numbers</h2>{_headline(q, dash)}</section>
<section><h2>Followers</h2>{line_chart(dash.get("series") or {}, "Followers per platform")}</section>
<section><h2>Platforms</h2>{_platform_table(dash)}</section>
<section><h2>Engagement by platform</h2>{bar_chart(engagement, "Engagement rate by platform", "%")}</section>
<section><h2>Engagement by content type</h2>{bar_chart(types, "Engagement rate by content type", "%")}</section>
<section><h2>Top posts</h2>{_top_posts(dash, zone)}</section>
<section><h2>Insights</h2>{_insights(data.get("insights") or [])}</section>
<section><h2>Goals</h2>{_goals(data.get("goals") or [])}</section>
<footer>Numbers as each platform's API reported them to Dream Suite. Engagement rate: likes, comments, shares and
saves over the people a post reached (or the platform's followers where it gives no reach).</footer>
</main></body></html>"""
