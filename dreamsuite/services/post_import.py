"""Import posts from a CSV or JSON file: a dry run that reports every problem (line, field, reason)
and stores nothing, and an import that checks the file again and stores all its posts in one
transaction, or none. Each post is checked by the composer's own checks (publish.check_compose: the
accounts can publish, each platform's text limits, media, the first comment, a time not in the
past nor too far ahead) and goes out through the publishing pipeline like a composer post.

The fields (CSV columns, in any order; JSON keys of each post object):
  text           the post's text (may be empty when it has media)
  scheduled_at   when: 2027-03-14T09:30 (local time in `timezone`) or 2027-03-14T09:30+01:00 (an
                 offset or Z: that instant). A local time the clocks skip is refused; one they pass
                 twice must be written with its offset.
  timezone       optional IANA name (Europe/Berlin); blank: the workspace's timezone
  accounts       who gets it, several separated by ";" (JSON: a list): platform:username
                 (x:@nova, facebook:Nova Lane; the @ is optional, case does not matter), a bare
                 platform when the workspace has one account there (youtube), or a connection id
                 (17; JSON: a number or {"connection_id": 17}, or {"platform": .., "username": ..})
  variant:<p>    optional text of its own for platform p (CSV column variant:x; JSON "variants": {"x": ..})
  first_comment  optional
  media          optional media library ids, separated by ";" (JSON: a list of numbers)
  post_id        CSV only, optional: rows sharing one are one post (an export writes a row per
                 account); the accounts of all its rows, the rest the same on each of them
The export's other columns (status, permalink, metrics...) are read past; any other is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from dreamsuite import db
from dreamsuite.models import PlatformConnection, Role
from dreamsuite.models import ScheduledPost, Workspace
from dreamsuite.platforms import account_label, get_adapter, handle
from dreamsuite.services import post_file
from dreamsuite.services.errors import UserError
from dreamsuite.services.post_file import FileRefused, Problem
from dreamsuite.services.post_rows import ACCOUNTS_HELP, WHEN_HELP, FilePost, Ref, check_header, group, known, read_post
from dreamsuite.services.post_time import AmbiguousTime, local_to_utc, zone
from dreamsuite.services.publish import (
    Compose, FieldErrors, PublishValidationError, check_compose, enqueue_destinations, store_checked,
)
from dreamsuite.services.scope import Scope, scoped

# The composer's fields (post_checks) → ours.
_FIELD = {"content": "text", "when": "scheduled_at", "accounts": "accounts", "media": "media",
          "first_comment": "first_comment"}


@dataclass
class ImportReport:
    kind: str = ""  # "csv" | "json" ("" when the file could not be read)
    rows: int = 0
    ok_rows: int = 0
    posts: int = 0  # the posts the rows make (rows sharing a post_id are one)
    errors: list[Problem] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)  # the posts, for a look before importing

    @property
    def clean(self) -> bool:
        return self.posts > 0 and not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {"format": self.kind, "rows": self.rows, "ok_rows": self.ok_rows, "posts": self.posts,
                "clean": self.clean, "errors": [{"line": p.line, "field": p.field, "reason": p.reason}
                                                for p in self.errors], "preview": self.preview}


class ImportRefused(UserError):
    """Nothing was imported; `report` says what to fix."""

    def __init__(self, report: ImportReport):
        n = len(report.errors)
        first = report.errors[0] if report.errors else None
        where = f" (first: line {first.line}, {first.field}: {first.reason})" if first and first.line else \
            f" ({first.reason})" if first else ""
        super().__init__(f"Nothing was imported: {n} problem{'s' if n != 1 else ''} in the file{where}."
                         if n else "Nothing was imported: the file has no posts.")
        self.report = report


@dataclass
class Imported:
    post_ids: list[int]
    destinations: int
    report: ImportReport


# ------------------------------------------------------------------ judging them
class _Accounts:
    """The workspace's connected accounts, found by id, platform:username or platform."""

    def __init__(self, s: Session, scope: Scope):
        self.rows = list(s.exec(scoped(scope, PlatformConnection).order_by(PlatformConnection.id)))

    def find(self, ref: Ref) -> tuple[int | None, str]:
        if ref.connection_id is not None:
            hit = [c for c in self.rows if c.id == ref.connection_id]
            return (hit[0].id, "") if hit else (None, f"No account with id {ref.connection_id} is connected to "
                                                      "this workspace.")
        if not known(ref.platform):
            return None, f"'{ref.text}' is not an account of this workspace: write accounts {ACCOUNTS_HELP}."
        adapter = get_adapter(ref.platform)
        hit = [c for c in self.rows if c.platform == ref.platform]
        if ref.username:
            wanted = _bare(ref.username, adapter.handle_prefix)
            hit = [c for c in hit if _bare(c.username, adapter.handle_prefix) == wanted]
            if not hit:
                return None, f"No {adapter.label} account '{ref.username}' is connected to this workspace."
        elif not hit:
            return None, f"No {adapter.label} account is connected to this workspace."
        if len(hit) > 1:
            names = ", ".join(f"{ref.platform}:{handle(c.platform, c.username)} (id {c.id})" for c in hit)
            return None, f"'{ref.text}' could be any of {len(hit)} accounts: {names}. Name one of them."
        return hit[0].id, ""

    def label(self, connection_id: int) -> str:
        c = next(c for c in self.rows if c.id == connection_id)
        return account_label(c.platform, c.username)


def _bare(name: str, prefix: str) -> str:
    name = name.strip()
    for p in {prefix, "@"} - {""}:
        name = name[len(p):] if name.startswith(p) else name
    return name.casefold()


def _when(p: FilePost, timezone: str) -> tuple[datetime | None, int | None]:
    """The local time and fold to give the composer's checks (None: a problem noted)."""
    raw = p.values["scheduled_at"].strip()
    if not raw:
        p.add("scheduled_at", f"Say when to post it: {WHEN_HELP}.")
        return None, None
    text = raw[:10] + "T" + raw[11:] if len(raw) > 10 and raw[10] in " t" else raw
    try:
        when = datetime.fromisoformat(text) if len(text) >= 16 and text[10] == "T" else None
    except ValueError:
        when = None
    if when is None:
        p.add("scheduled_at", f"'{raw}' cannot be read as a date and time: {WHEN_HELP}.")
        return None, None
    if when.tzinfo is not None:
        try:
            local = when.astimezone(zone(timezone))
        except (OverflowError, ValueError):
            p.add("scheduled_at", "That date is out of range; pick a date within the next two years.")
            return None, None
        return local.replace(tzinfo=None), local.fold
    try:
        local_to_utc(when, timezone)
    except AmbiguousTime as exc:
        tz = zone(timezone)
        first, second = (when.replace(tzinfo=tz, fold=f).isoformat(timespec="minutes") for f in (0, 1))
        p.add("scheduled_at", f"{exc.message.split(' Which')[0]} Write it with its offset: {first} for the first, "
                              f"{second} for the second.")
        return None, None
    except PublishValidationError as exc:  # the clocks skip it, or out of range
        p.add("scheduled_at", exc.message)
        return None, None
    return when, None


def _judge(s: Session, scope: Scope, p: FilePost, accounts: _Accounts, default_tz: str, now: datetime):
    """The composer's checks on one post; its problems noted, its Compose kept when it has none.
    Returns what `check_compose` found (when, connection ids, media ids, variants) or None."""
    timezone = p.values["timezone"] or default_tz
    local_when, fold = None, None
    try:
        zone(timezone)
        local_when, fold = _when(p, timezone)
    except PublishValidationError as exc:
        p.add("timezone", exc.message)
    ids: list[int] = []
    for ref in p.refs:
        found, reason = accounts.find(ref)
        if found is None:
            p.problems.append(Problem(ref.line, p.where("accounts")[1], reason))
        elif found not in ids:
            ids.append(found)
    if not p.refs:
        p.add("accounts", f"Name at least one account to post to, {ACCOUNTS_HELP}.")
    mine = {q.field for q in p.problems}
    c = Compose(p.values["text"], ids, local_when, timezone, fold, p.values["variants"], p.values["first_comment"],
                p.values["media"])
    try:
        checked = check_compose(s, scope, c, now)
    except FieldErrors as exc:
        for key, messages in exc.errors.items():
            name = _FIELD.get(key, key)
            if (name == "scheduled_at" and mine & {"scheduled_at", "timezone"}) or (name == "accounts" and not ids):
                continue  # already said, more precisely
            for message in messages:
                p.add(name, message)
        return None
    if p.problems:
        return None
    p.compose = c
    return checked


def _check(s: Session, scope: Scope, raw: bytes, filename: str) -> tuple[ImportReport, list[tuple[FilePost, Any]]]:
    scope.require(Role.editor)
    try:
        sheet = post_file.read(raw, filename)
    except FileRefused as exc:
        return ImportReport(errors=exc.problems), []
    report = ImportReport(kind=sheet.kind, rows=len(sheet.rows))
    if sheet.kind == "csv":
        report.errors, readable = check_header(sheet)
        if not readable:
            return report, []
    posts = group(sheet)
    report.posts = len(posts)
    ws = s.get(Workspace, scope.workspace_id)
    accounts, now = _Accounts(s, scope), db.utcnow()
    good = []
    for p in posts:
        checked = _judge(s, scope, p, accounts, ws.timezone if ws else "UTC", now) if read_post(p) else None
        report.errors += p.problems
        if checked is not None:
            good.append((p, checked))
            report.ok_rows += len(p.rows)
            when = checked[0]
            report.preview.append({"line": p.line, "text": p.values["text"][:140],
                                   "when": when.astimezone(zone(p.compose.timezone)).isoformat(timespec="minutes"),
                                   "timezone": p.compose.timezone, "accounts": [accounts.label(i) for i in checked[1]]})
    report.errors.sort(key=lambda q: (q.line or 0))
    return report, good


# ------------------------------------------------------------------ the two entry points
def dry_run(scope: Scope, raw: bytes, filename: str = "") -> ImportReport:
    """What importing the file would do, and every problem in it; stores nothing."""
    with db.session() as s:
        report, _ = _check(s, scope, raw, filename)
        s.rollback()
    return report


def _store(scope: Scope, raw: bytes, filename: str) -> tuple[list[ScheduledPost], list[list[int]], ImportReport]:
    with db.session() as s:
        report, good = _check(s, scope, raw, filename)
        if not report.clean:
            raise ImportRefused(report)
        posts, dests = [], []
        now = db.utcnow()
        for p, checked in good:
            post, ids = store_checked(s, scope, p.compose, checked, now)
            posts.append(post)
            dests.append(ids)
        db.announce_after_commit(s, scope.workspace_id, "publish", imported=len(posts))
    return posts, dests, report


async def import_posts(scope: Scope, raw: bytes, filename: str = "") -> Imported:
    """Check the file again and store every post in it, in one transaction, or none
    (ImportRefused with the report); then enqueue each destination at its time, as the composer
    does (a destination Redis did not take is enqueued by the reconciler when due)."""
    posts, dests, report = await db.run(_store, scope, raw, filename)
    for post, ids in zip(posts, dests):
        await enqueue_destinations(post, ids)
    return Imported([p.id for p in posts], sum(len(d) for d in dests), report)
