"""The workspace's posts and insights to take away, as JSON or CSV.

Posts: each with its destinations (platform, account, status, the post's address there, when it
went out, the platform's error) and the numbers collected for it there, if any. Times are ISO 8601
with their offset: scheduled_at in the post's own timezone (the `timezone` beside it, as the
composer shows it), published_at in the workspace's. The CSV has a row per destination, with the
columns the importer reads first (rows of one post share its post_id), so a file of posts still
scheduled can be imported again, here or in another workspace with the same accounts. Cells
starting like a spreadsheet formula are defused (services/export.safe_cell); the importer reads
them back as written.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import select

from dreamsuite import db
from dreamsuite.models import ContentPost, Insight, PlatformConnection, PostDestination, PostStatus, ScheduledPost
from dreamsuite.models import Workspace
from dreamsuite.platforms import account_label, handle
from dreamsuite.services.export import safe_cell, slug
from dreamsuite.services.post_file import QUOTED_FORMULA
from dreamsuite.services.post_rows import EXPORT_ONLY, METRICS, VARIANT
from dreamsuite.services.scope import Scope, scoped

# ?status= of the posts export: which posts.
WHICH = {"all": None, "scheduled": (PostStatus.scheduled,),
         "published": (PostStatus.published, PostStatus.partially_failed)}
MAX_POSTS = 10_000
POST_COLUMNS = ("post_id", "text", "scheduled_at", "timezone", "accounts", "first_comment", "media")
DESTINATION_COLUMNS = EXPORT_ONLY  # what the importer reads past
INSIGHT_COLUMNS = ("id", "created_at", "type", "priority", "title", "message", "actions", "is_read", "dismissed",
                   "acted_on", "expires_at")


def _iso(value: datetime | None, tz: ZoneInfo) -> str | None:
    return value.astimezone(tz).isoformat(timespec="seconds") if value else None


def account_ref(platform: str, username: str, connection_id: int) -> str:
    """How the importer names an account: platform:@username, or the connection id."""
    plain = username and not any(c in username for c in ";\r\n")  # the importer's separators
    return f"{platform}:{handle(platform, username)}" if plain else str(connection_id)


def _workspace(s, scope: Scope) -> tuple[str, str]:
    ws = s.get(Workspace, scope.workspace_id)
    return (ws.name, ws.timezone or "UTC") if ws else ("", "UTC")


def _metrics(s, scope: Scope) -> dict[int, dict[str, int]]:
    """The numbers collected for each published destination's post: {destination id: {...}}."""
    rows = s.exec(select(PostDestination.id, PlatformConnection.platform, ContentPost)
                  .join(PlatformConnection, PlatformConnection.id == PostDestination.connection_id)
                  .join(ContentPost, (ContentPost.workspace_id == PostDestination.workspace_id)
                        & (ContentPost.platform_post_id == PostDestination.platform_post_id))
                  .where(PostDestination.workspace_id == scope.workspace_id, PostDestination.platform_post_id != "",
                         ContentPost.workspace_id == scope.workspace_id)).all()
    return {dest_id: {m: getattr(cp, m) for m in METRICS} for dest_id, platform, cp in rows if cp.platform == platform}


def export_posts(scope: Scope, which: str = "all") -> dict[str, Any]:
    """The posts (`which`: all, scheduled or published), oldest first, as one JSON-ready object."""
    with db.session() as s:
        name, tz_name = _workspace(s, scope)
        q = scoped(scope, ScheduledPost)
        if WHICH[which]:
            q = q.where(ScheduledPost.status.in_(WHICH[which]))
        posts = s.exec(q.order_by(ScheduledPost.scheduled_at, ScheduledPost.id).limit(MAX_POSTS)).all()
        dests = s.exec(select(PostDestination).join(ScheduledPost, ScheduledPost.id == PostDestination.post_id)
                       .where(PostDestination.workspace_id == scope.workspace_id,
                              ScheduledPost.workspace_id == scope.workspace_id,
                              *([ScheduledPost.status.in_(WHICH[which])] if WHICH[which] else []))
                       .order_by(PostDestination.id)).all()
        conns = {c.id: c for c in s.exec(scoped(scope, PlatformConnection))}
        numbers = _metrics(s, scope)
    tz = ZoneInfo(tz_name)
    by_post: dict[int, list[dict[str, Any]]] = {p.id: [] for p in posts}
    for d in dests:
        c = conns.get(d.connection_id)
        if d.post_id not in by_post or c is None:
            continue
        by_post[d.post_id].append({
            "connection_id": c.id, "platform": c.platform, "account": account_label(c.platform, c.username),
            "ref": account_ref(c.platform, c.username, c.id), "status": d.status, "permalink": d.platform_url,
            "published_at": _iso(d.published_at, tz), "error": d.error, "metrics": numbers.get(d.id)})
    out = []
    for p in posts:
        own = ZoneInfo(p.timezone or "UTC")
        out.append({"post_id": p.id, "status": p.status, "text": p.content, "scheduled_at": _iso(p.scheduled_at, own),
                    "timezone": p.timezone, "accounts": [d.pop("ref") for d in by_post[p.id]],
                    "variants": dict(p.variants or {}), "first_comment": p.first_comment or "",
                    "media": [i for i in (p.media or []) if isinstance(i, int)], "destinations": by_post[p.id]})
    return {"workspace": name, "generated_at": _iso(db.utcnow(), tz), "timezone": tz_name, "status": which,
            "posts": out}


def post_cell(value: Any) -> Any:
    """A cell of ours: defused like the dashboard's, and a text that already starts with the
    quote the importer reads past gets one more, so it comes back as written."""
    if isinstance(value, str) and QUOTED_FORMULA.match(value):
        return "'" + value
    return safe_cell(value)


def _table(columns: list[str], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([post_cell(v) for v in row] for row in rows)
    return out.getvalue()


def posts_csv(data: dict[str, Any]) -> str:
    platforms = sorted({k for p in data["posts"] for k in p["variants"]})
    columns = [*POST_COLUMNS, *(VARIANT + k for k in platforms), *DESTINATION_COLUMNS]
    rows = []
    for p in data["posts"]:
        head = [p["post_id"], p["text"], p["scheduled_at"], p["timezone"], "", p["first_comment"],
                ";".join(str(i) for i in p["media"]), *(p["variants"].get(k, "") for k in platforms), p["status"]]
        for d, ref in zip(p["destinations"], p["accounts"]) if p["destinations"] else [(None, "")]:
            head[4] = ref
            tail = [d["platform"], d["account"], d["connection_id"], d["status"], d["permalink"], d["published_at"],
                    d["error"], *((d["metrics"] or {}).get(m) for m in METRICS)] if d else [""] * 7 + [None] * 8
            rows.append([*head, *tail])
    return _table(columns, rows)


def export_insights(scope: Scope) -> dict[str, Any]:
    """Every insight kept for the workspace (read, dismissed or expired too), newest first."""
    with db.session() as s:
        name, tz_name = _workspace(s, scope)
        rows = s.exec(scoped(scope, Insight).order_by(Insight.created_at.desc(), Insight.id.desc())
                      .limit(MAX_POSTS)).all()
    tz = ZoneInfo(tz_name)
    return {"workspace": name, "generated_at": _iso(db.utcnow(), tz), "timezone": tz_name, "insights": [
        {"id": i.id, "created_at": _iso(i.created_at, tz), "type": i.type, "priority": i.priority, "title": i.title,
         "message": i.message, "actions": [str(a) for a in i.actions or []], "is_read": i.is_read,
         "dismissed": i.dismissed, "acted_on": i.acted_on, "expires_at": _iso(i.expires_at, tz)}
        for i in rows]}


def insights_csv(data: dict[str, Any]) -> str:
    return _table(list(INSIGHT_COLUMNS), [[" | ".join(i["actions"]) if c == "actions" else i[c]
                                           for c in INSIGHT_COLUMNS] for i in data["insights"]])


def file_name(workspace_name: str, what: str, ext: str) -> str:
    return f"dreamsuite-{slug(workspace_name)}-{what}-{db.utcnow():%Y-%m-%d}.{ext}"
