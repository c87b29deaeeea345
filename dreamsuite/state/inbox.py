"""The comments inbox: one page of the workspace's comments at a time, filtered, searched and
sorted in the database; checked comments marked read or archived at once by an editor; times in
the user's timezone; refreshed live when a sync collects comments or another tab changes them."""

from __future__ import annotations

import dataclasses
import logging
from datetime import date

import reflex as rx

from dreamsuite import db
from dreamsuite.models import Role
from dreamsuite.platforms import platform_label
from dreamsuite.services import inbox, inbox_reply
from dreamsuite.services.errors import UserError
from dreamsuite.services.scope import Scope
from dreamsuite.state import fmt
from dreamsuite.state.auth import AuthState, to_login_page
from dreamsuite.state.live import watch_page

log = logging.getLogger(__name__)
ALL = "all"
READ_CHOICES = [(ALL, "Read and unread"), ("unread", "Unread"), ("read", "Read")]
ANSWERED_CHOICES = [(ALL, "Answered or not"), ("unanswered", "Unanswered"), ("answered", "Answered")]
SHOW_CHOICES = [("inbox", "Inbox"), ("archive", "Archive"), (ALL, "Inbox and archive")]
SORT_CHOICES = [("newest", "Newest"), ("engaged", "Most liked"), ("unanswered", "Unanswered first")]
PER_PAGE = 25


@dataclasses.dataclass
class CommentRow:
    id: int = 0
    platform: str = ""
    platform_label: str = ""
    author: str = ""
    text: str = ""
    likes: str = "0"
    when: str = ""
    is_read: bool = False
    replied: bool = False
    archived: bool = False
    hidden: bool = False
    is_reply: bool = False
    post_caption: str = ""
    post_url: str = ""
    can_reply: bool = False
    no_reply: str = ""  # why this platform's comments cannot be answered from here
    reply_status: str = ""  # the last reply asked for here, in words
    reply_error: bool = False


REPLY_WORDS = {"pending": "Reply queued…", "sending": "Reply sending…", "sent": "Reply sent."}


def reply_words(last: dict | None) -> tuple[str, bool]:
    if not last:
        return "", False
    if last["status"] in REPLY_WORDS:
        return REPLY_WORDS[last["status"]], False
    return last["error"] or "The reply was not sent.", True


def row(item: inbox.Item, tz: str, last_reply: dict | None = None) -> CommentRow:
    words, error = reply_words(last_reply)
    return CommentRow(
        id=item.id, platform=item.platform, platform_label=platform_label(item.platform),
        author=item.author or "Someone", text=item.text, likes=fmt.number(item.likes),
        when=fmt.local_time(item.posted_at, tz, "%d %b %Y, %H:%M"), is_read=item.is_read, replied=item.replied,
        archived=item.archived, hidden=item.hidden, is_reply=item.is_reply, post_caption=item.post_caption,
        post_url=item.post_url if item.post_url.startswith(("https://", "http://")) else "",
        can_reply=inbox_reply.can_reply(item.platform),
        no_reply="" if inbox_reply.can_reply(item.platform) else inbox_reply.why_not(item.platform),
        reply_status=words, reply_error=error)


def _day(value: str) -> date | None:
    value = (value or "").strip()
    return date.fromisoformat(value) if value else None


class InboxState(AuthState):
    items: list[CommentRow] = []
    loaded: bool = False
    total: int = 0
    page: int = 1
    pages: int = 1
    unread: int = 0
    platform: str = ALL
    post: str = ALL
    since: str = ""
    until: str = ""
    read: str = ALL
    answered: str = ALL
    show: str = "inbox"
    search: str = ""
    sort: str = "newest"
    selected: list[int] = []
    platform_choices: list[list[str]] = []
    post_choices: list[list[str]] = []
    notice: str = ""
    notice_error: bool = False
    replying_to: int = 0
    reply_text: str = ""
    _listen_gen: int = 0

    @rx.var
    def selected_count(self) -> int:
        return len(self.selected)

    @rx.var
    def all_selected(self) -> bool:
        return bool(self.items) and all(r.id in self.selected for r in self.items)

    @rx.var
    def range_text(self) -> str:
        if not self.total:
            return "No comments"
        first = (self.page - 1) * PER_PAGE + 1
        return f"{first:,}–{first + len(self.items) - 1:,} of {self.total:,}"

    def _filters(self) -> inbox.Filters:
        return inbox.Filters(
            platforms=() if self.platform == ALL else (self.platform,),
            post_id=None if self.post == ALL else int(self.post),
            since=_day(self.since), until=_day(self.until),
            read=None if self.read == ALL else self.read == "read",
            answered=None if self.answered == ALL else self.answered == "answered",
            archived={"inbox": False, "archive": True}.get(self.show),
            search=self.search)

    async def _reload(self, scope: Scope | None = None) -> None:
        scope = scope or await self._scope()
        try:
            filters = self._filters()
        except ValueError:
            self.notice, self.notice_error = "That date is not one we can read: use the date picker.", True
            return
        result = await db.run(inbox.list_comments, scope, filters, self.sort, self.page, PER_PAGE)
        badge = await db.run(inbox.counts, scope)
        replies = await db.run(inbox_reply.replies_of, scope, [i.id for i in result.items])
        tz = self.user_timezone
        self.items = [row(i, tz, (replies.get(i.id) or [None])[-1]) for i in result.items]
        self.total, self.page, self.pages, self.unread = result.total, result.page, result.pages, badge["unread"]
        shown = {r.id for r in self.items}
        self.selected = [i for i in self.selected if i in shown]
        self.loaded = True

    async def _load_choices(self, scope: Scope) -> None:
        posts = await db.run(inbox.posts_with_comments, scope)
        platforms = sorted({p for _, p, _ in posts}, key=platform_label)
        self.platform_choices = [[ALL, "All platforms"], *([p, platform_label(p)] for p in platforms)]
        self.post_choices = [[ALL, "All posts"], *([str(i), f"{platform_label(p)}: {c}"] for i, p, c in posts)]

    @rx.event
    async def load(self):
        if not self.is_logged_in:
            return
        self.notice, self.selected, self.page = "", [], 1
        scope = await self._scope()
        await self._load_choices(scope)
        await self._reload(scope)
        return InboxState.watch

    async def _refilter(self) -> None:
        self.page, self.notice = 1, ""
        await self._reload()

    @rx.event
    async def set_platform(self, value: str):
        self.platform = value if value in {c[0] for c in self.platform_choices} else ALL
        await self._refilter()

    @rx.event
    async def set_post(self, value: str):
        self.post = value if value in {c[0] for c in self.post_choices} else ALL
        await self._refilter()

    @rx.event
    async def set_since(self, value: str):
        self.since = value
        await self._refilter()

    @rx.event
    async def set_until(self, value: str):
        self.until = value
        await self._refilter()

    @rx.event
    async def set_read(self, value: str):
        self.read = value if value in {c[0] for c in READ_CHOICES} else ALL
        await self._refilter()

    @rx.event
    async def set_answered(self, value: str):
        self.answered = value if value in {c[0] for c in ANSWERED_CHOICES} else ALL
        await self._refilter()

    @rx.event
    async def set_show(self, value: str):
        self.show = value if value in {c[0] for c in SHOW_CHOICES} else "inbox"
        await self._refilter()

    @rx.event
    async def set_sort(self, value: str):
        self.sort = value if value in inbox.SORTS else "newest"
        await self._refilter()

    @rx.event
    async def set_search(self, value: str):
        self.search = (value or "")[: inbox.MAX_SEARCH]
        await self._refilter()

    @rx.event
    async def clear_filters(self):
        self.platform = self.post = self.read = self.answered = ALL
        self.since = self.until = self.search = ""
        self.show = "inbox"
        await self._refilter()

    @rx.event
    async def go_to_page(self, n: int):
        self.page = max(1, min(int(n), self.pages))
        await self._reload()

    @rx.event
    def toggle(self, comment_id: int, checked: bool):
        rest = [i for i in self.selected if i != comment_id]
        self.selected = [*rest, comment_id] if checked else rest

    @rx.event
    def toggle_all(self, checked: bool):
        self.selected = [r.id for r in self.items] if checked else []

    async def _change(self, fn, value: bool, ids: list[int], done: str) -> None:
        if not ids:
            return
        try:
            scope = await self._scope(Role.editor)
            result = await db.run(fn, scope, ids, value)
        except UserError as exc:
            self.notice, self.notice_error = exc.message, True
            return
        word = "comment" if result.changed == 1 else "comments"
        self.notice, self.notice_error = f"{result.changed} {word} {done}.", False
        if result.ignored:
            self.notice += f" {len(result.ignored)} could not be found in this workspace."
        self.selected = []
        await self._reload(scope)

    @rx.event
    async def mark_selected_read(self):
        await self._change(inbox.mark_read, True, self.selected, "marked read")

    @rx.event
    async def mark_selected_unread(self):
        await self._change(inbox.mark_read, False, self.selected, "marked unread")

    @rx.event
    async def archive_selected(self):
        await self._change(inbox.archive, True, self.selected, "archived")

    @rx.event
    async def unarchive_selected(self):
        await self._change(inbox.archive, False, self.selected, "back in the inbox")

    @rx.event
    async def mark_one_read(self, comment_id: int):
        await self._change(inbox.mark_read, True, [comment_id], "marked read")

    @rx.event
    def open_reply(self, comment_id: int):
        self.replying_to, self.reply_text = comment_id, ""

    @rx.event
    def cancel_reply(self):
        self.replying_to, self.reply_text = 0, ""

    @rx.event
    def set_reply_text(self, value: str):
        self.reply_text = (value or "")[: inbox_reply.MAX_TEXT + 1]

    @rx.event
    async def send_reply(self):
        if not self.replying_to:
            return
        try:
            scope = await self._scope(Role.editor)
            await inbox_reply.reply(scope, self.replying_to, self.reply_text)
        except UserError as exc:
            self.notice, self.notice_error = exc.message, True
            return
        self.notice, self.notice_error = "Reply queued: it goes out in a moment.", False
        self.replying_to, self.reply_text = 0, ""
        await self._reload(scope)

    @rx.event
    def dismiss_notice(self):
        self.notice = ""

    async def _on_event(self, ev: dict) -> None:
        if ev.get("kind") == "sync" and ev.get("status") != "success":
            return
        if ev.get("kind") == "sync":
            await self._load_choices(await self._scope())
        await self._reload()

    @rx.event(background=True)
    async def watch(self):
        if await watch_page(self, "/inbox", {"sync", "inbox", "comment"}, self._on_event):
            yield to_login_page()
