"""The comments inbox: one page of the workspace's comments at a time, filtered, searched and
sorted in the database; checked comments marked read or archived at once by an editor; replies and
hiding handed to the worker, their progress shown on the comment; times in the user's timezone;
refreshed live when a sync collects new comments or another tab changes them."""

from __future__ import annotations

import logging
from datetime import date

import reflex as rx

from dreamsuite import db
from dreamsuite.models import Role
from dreamsuite.platforms import platform_label
from dreamsuite.services import inbox, inbox_hide, inbox_reply
from dreamsuite.services.errors import UserError
from dreamsuite.services.scope import Scope
from dreamsuite.state.auth import AuthState, to_login_page
from dreamsuite.state.inbox_rows import CommentRow, row
from dreamsuite.state.live import watch_page

log = logging.getLogger(__name__)
ALL = "all"
READ_CHOICES = [(ALL, "Read and unread"), ("unread", "Unread"), ("read", "Read")]
ANSWERED_CHOICES = [(ALL, "Answered or not"), ("unanswered", "Unanswered"), ("answered", "Answered")]
SHOW_CHOICES = [("inbox", "Inbox"), ("archive", "Archive"), (ALL, "Inbox and archive")]
HIDDEN_CHOICES = [(ALL, "Hidden or not"), ("visible", "Visible"), ("hidden", "Hidden")]
SORT_CHOICES = [("newest", "Newest"), ("engaged", "Most liked"), ("unanswered", "Unanswered first")]
PER_PAGE = 25


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
    hidden: str = ALL
    search: str = ""
    sort: str = "newest"
    selected: list[int] = []
    expanded: list[int] = []  # long comments shown whole
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
            hidden=None if self.hidden == ALL else self.hidden == "hidden",
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
        try:
            hiding = await inbox_hide.states([i.id for i in result.items])
        except Exception:  # Redis away: the list still shows, without "Hiding…"
            log.warning("could not read the comments' hiding", exc_info=True)
            hiding = {}
        tz = self.user_timezone
        self.items = [row(i, tz, (replies.get(i.id) or [None])[-1], hiding.get(i.id)) for i in result.items]
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
    async def set_hidden(self, value: str):
        self.hidden = value if value in {c[0] for c in HIDDEN_CHOICES} else ALL
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
        self.platform = self.post = self.read = self.answered = self.hidden = ALL
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
    def toggle_expanded(self, comment_id: int):
        rest = [i for i in self.expanded if i != comment_id]
        self.expanded = rest if len(rest) < len(self.expanded) else [*rest, comment_id]

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

    async def _hide(self, comment_id: int, hidden: bool) -> None:
        try:
            scope = await self._scope(Role.editor)
            await inbox_hide.ask(scope, comment_id, hidden)
        except UserError as exc:
            self.notice, self.notice_error = exc.message, True
            return
        await self._reload(scope)

    @rx.event
    async def hide_comment(self, comment_id: int):
        await self._hide(comment_id, True)

    @rx.event
    async def unhide_comment(self, comment_id: int):
        await self._hide(comment_id, False)

    @rx.event
    def dismiss_notice(self):
        self.notice = ""

    async def _on_event(self, ev: dict) -> None:
        if ev.get("kind") == "sync" and ev.get("status") != "success":
            return
        if ev.get("kind") == "sync":
            await self._load_choices(await self._scope())
        new = int(ev.get("new_comments") or 0) if ev.get("kind") == "inbox" else 0
        if new and self.page > 1:  # the first page has them; this one is left where the reader is
            self.notice, self.notice_error = f"{new:,} new comment{'s' if new != 1 else ''} on the first page.", False
        await self._reload()

    @rx.event(background=True)
    async def watch(self):
        if await watch_page(self, "/inbox", {"sync", "inbox", "comment"}, self._on_event):
            yield to_login_page()
