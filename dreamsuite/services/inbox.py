"""The comments inbox: every comment and reply of a workspace's posts, from every platform, in one
list — filtered, searched, sorted and paged in the database — and the bulk changes an editor makes
(mark read or unread, archive or bring back).

Every query is scoped to the workspace; ids of another workspace's comments are never read nor
changed, and come back as `ignored`. Viewers read; editors and owners change.

Dates of the date filter are days in the workspace's timezone: "from 3 March" starts at the
workspace's midnight, whatever the server's or the user's zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, update
from sqlalchemy.orm import Session
from sqlmodel import select

from dreamsuite import db
from dreamsuite.models import Comment, ContentPost, Role, Workspace
from dreamsuite.services.errors import UserError
from dreamsuite.services.scope import NotFound, Scope

SORTS = ("newest", "engaged", "unanswered")
PER_PAGE = 50
MAX_PER_PAGE = 200
SNIPPET = 80
CHUNK = 500  # ids per statement (SQLite allows a few thousand parameters)
MAX_SEARCH = 200


@dataclass(frozen=True)
class Filters:
    platforms: tuple[str, ...] = ()  # empty: every platform
    post_id: int | None = None
    since: date | None = None  # first day, in the workspace's timezone
    until: date | None = None  # last day (inclusive), in the workspace's timezone
    read: bool | None = None  # None: read and unread; False: unread only
    answered: bool | None = None  # None: both; False: unanswered only
    archived: bool | None = False  # False: the inbox; True: the archive; None: both
    hidden: bool | None = None  # None: both; True: hidden from the public only; False: visible only
    search: str = ""  # in the text or the author's name, case-insensitive


@dataclass
class Item:
    id: int
    platform: str
    author: str
    text: str
    likes: int
    posted_at: datetime
    is_read: bool
    replied: bool
    archived: bool
    hidden: bool
    is_reply: bool
    post_id: int
    post_caption: str  # a snippet
    post_url: str


@dataclass
class Page:
    items: list[Item]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass
class Changed:
    changed: int = 0  # rows of the workspace that now hold the asked value (were changed or already did)
    ignored: list[int] = field(default_factory=list)  # ids not found in this workspace


class BadFilter(UserError):
    """A filter or sort the inbox does not know."""


# ------------------------------------------------------------------ reading
def _bounds(s: Session, scope: Scope, since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    if since is None and until is None:
        return None, None
    tz_name = s.exec(select(Workspace.timezone).where(Workspace.id == scope.workspace_id)).first() or "UTC"
    try:
        zone = ZoneInfo(tz_name)
    except Exception:
        zone = ZoneInfo("UTC")
    lo = datetime.combine(since, time(), zone).astimezone(UTC) if since else None
    hi = datetime.combine(until + timedelta(days=1), time(), zone).astimezone(UTC) if until else None
    return lo, hi


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fold_fn(s: Session, term: str):
    """Case-insensitive matching of any script: PostgreSQL's lower() knows Unicode; SQLite's
    knows only ASCII, so its connections get Python's casefold as `ds_fold`."""
    if s.get_bind().dialect.name != "sqlite":
        return func.lower, str.lower
    if term.isascii():  # SQLite's own LIKE ignores ASCII case, and is three times faster
        return (lambda col: col), (lambda v: v)
    raw = s.connection().connection.driver_connection
    raw.create_function("ds_fold", 1, lambda v: v.casefold() if isinstance(v, str) else v, deterministic=True)
    return func.ds_fold, str.casefold


def _conditions(s: Session, scope: Scope, f: Filters) -> list:
    conds = [Comment.workspace_id == scope.workspace_id]
    if f.platforms:
        conds.append(Comment.platform.in_(list(f.platforms)))
    if f.post_id is not None:
        conds.append(Comment.post_id == f.post_id)
    lo, hi = _bounds(s, scope, f.since, f.until)
    if lo is not None:
        conds.append(Comment.posted_at >= lo)
    if hi is not None:
        conds.append(Comment.posted_at < hi)
    if f.read is not None:
        conds.append(Comment.is_read == f.read)
    if f.answered is not None:
        conds.append(Comment.replied == f.answered)
    if f.archived is not None:
        conds.append(Comment.archived == f.archived)
    if f.hidden is not None:
        conds.append(Comment.hidden == f.hidden)
    term = (f.search or "").strip()[:MAX_SEARCH]
    if term:
        fold, fold_py = _fold_fn(s, term)
        pattern = f"%{_escape_like(fold_py(term))}%"
        conds.append(or_(fold(Comment.text).like(pattern, escape="\\"),
                         fold(Comment.author).like(pattern, escape="\\")))
    return conds


def _order(sort: str) -> list:
    newest = [Comment.posted_at.desc(), Comment.id.desc()]
    if sort == "newest":
        return newest
    if sort == "engaged":
        return [Comment.likes.desc(), *newest]
    if sort == "unanswered":
        return [Comment.replied.asc(), *newest]
    raise BadFilter(f"Unknown sort {sort!r}: choose one of {', '.join(SORTS)}.")


def _snippet(caption: str) -> str:
    one_line = " ".join((caption or "").split())
    return one_line if len(one_line) <= SNIPPET else one_line[: SNIPPET - 1].rstrip() + "…"


def list_comments(scope: Scope, filters: Filters | None = None, sort: str = "newest", page: int = 1,
                  per_page: int = PER_PAGE) -> Page:
    """One page of the workspace's comments and the number of all that match."""
    f = filters or Filters()
    order = _order(sort)
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, int(page))
    with db.session() as s:
        conds = _conditions(s, scope, f)
        total = s.exec(select(func.count()).select_from(Comment).where(*conds)).one()
        last = max(1, -(-total // per_page))
        page = min(page, last)
        query = (select(Comment, ContentPost.caption, ContentPost.url)
                 .join(ContentPost, and_(ContentPost.id == Comment.post_id,
                                         ContentPost.workspace_id == Comment.workspace_id)))
        offset = (page - 1) * per_page
        if sort == "unanswered" and f.answered is None:
            # Unanswered first as two newest-first runs, each read along an index (one ORDER BY
            # mixing directions would sort every matching row).
            newest = _order("newest")
            open_ = select(func.count()).select_from(Comment).where(*conds, Comment.replied == False)  # noqa: E712
            n_open = s.exec(open_).one()
            rows = []
            if offset < n_open:
                rows = s.exec(query.where(*conds, Comment.replied == False).order_by(*newest)  # noqa: E712
                              .offset(offset).limit(per_page)).all()
            if len(rows) < per_page:
                rows += s.exec(query.where(*conds, Comment.replied == True).order_by(*newest)  # noqa: E712
                               .offset(max(0, offset - n_open)).limit(per_page - len(rows))).all()
        else:
            rows = s.exec(query.where(*conds).order_by(*order).offset(offset).limit(per_page)).all()
    items = [
        Item(id=c.id, platform=c.platform, author=c.author, text=c.text, likes=c.likes, posted_at=c.posted_at,
             is_read=c.is_read, replied=c.replied, archived=c.archived, hidden=c.hidden,
             is_reply=bool(c.parent_platform_id), post_id=c.post_id, post_caption=_snippet(caption),
             post_url=url or "")
        for c, caption, url in rows
    ]
    return Page(items=items, total=int(total), page=page, per_page=per_page)


def counts(scope: Scope) -> dict[str, int]:
    """The badges: unread and unanswered comments in the inbox (the archive left out)."""
    with db.session() as s:
        base = [Comment.workspace_id == scope.workspace_id, Comment.archived == False]  # noqa: E712
        unread = s.exec(select(func.count()).select_from(Comment).where(*base, Comment.is_read == False)).one()  # noqa: E712
        unanswered = s.exec(select(func.count()).select_from(Comment).where(*base, Comment.replied == False)).one()  # noqa: E712
    return {"unread": int(unread), "unanswered": int(unanswered)}


def posts_with_comments(scope: Scope, limit: int = 200) -> list[tuple[int, str, str]]:
    """(post id, platform, caption snippet) of the posts that have comments, newest post first:
    the choices of the post filter."""
    with db.session() as s:
        has = select(Comment.post_id).where(Comment.workspace_id == scope.workspace_id).distinct()
        rows = s.exec(
            select(ContentPost.id, ContentPost.platform, ContentPost.caption)
            .where(ContentPost.workspace_id == scope.workspace_id, ContentPost.id.in_(has))
            .order_by(ContentPost.posted_at.desc(), ContentPost.id.desc()).limit(limit)
        ).all()
    return [(i, p, _snippet(c) or f"Post {i}") for i, p, c in rows]


# ------------------------------------------------------------------ changing
def _clean_ids(ids: Iterable) -> list[int]:
    out: list[int] = []
    for i in ids:
        try:
            n = int(i)
        except (TypeError, ValueError):
            continue
        if n not in out:
            out.append(n)
    return out


def _set(scope: Scope, ids: Iterable, column: str, value: bool) -> Changed:
    scope.require(Role.editor)
    wanted = _clean_ids(ids)
    found: set[int] = set()
    with db.session() as s:
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start:start + CHUNK]
            mine = [r for r in s.exec(select(Comment.id).where(
                Comment.workspace_id == scope.workspace_id, Comment.id.in_(chunk))).all()]
            found.update(mine)
            if mine:
                s.exec(update(Comment).where(Comment.workspace_id == scope.workspace_id, Comment.id.in_(mine))
                       .values({column: value, "updated_at": db.utcnow()}))
        if found:
            db.announce_after_commit(s, scope.workspace_id, "inbox", change=column, count=len(found))
    if wanted and not found:  # some ids are gone (reported back); none at all is a refusal
        raise NotFound("None of those comments are in this workspace (they may have been deleted).")
    return Changed(changed=len(found), ignored=[i for i in wanted if i not in found])


def mark_read(scope: Scope, ids: Iterable, read: bool = True) -> Changed:
    """Mark the comments read (or unread again). Editors and owners only."""
    return _set(scope, ids, "is_read", bool(read))


def archive(scope: Scope, ids: Iterable, archived: bool = True) -> Changed:
    """Move the comments to the archive (or back to the inbox). Editors and owners only."""
    return _set(scope, ids, "archived", bool(archived))
