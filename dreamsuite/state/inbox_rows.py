"""One comment as the inbox shows it: its text and flags, and where its reply and its hiding stand,
in words (the worker does both; the page only reads how far they got)."""

from __future__ import annotations

import dataclasses

from dreamsuite.platforms import platform_label
from dreamsuite.services import inbox, inbox_hide, inbox_reply
from dreamsuite.state import fmt


@dataclasses.dataclass
class CommentRow:
    id: int = 0
    platform: str = ""
    platform_label: str = ""
    author: str = ""
    text: str = ""
    is_long: bool = False  # shown cut to a few lines, with "Show more"
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
    can_hide: bool = False
    no_hide: str = ""  # why this platform's comments cannot be hidden from here
    hide_limits: str = ""  # what hiding means on this platform
    hide_pending: bool = False  # asked, the worker not done yet
    hide_status: str = ""  # "Hiding…", "Showing again…", or the platform's refusal
    hide_error: bool = False


REPLY_WORDS = {"pending": "Reply queued…", "sending": "Reply sending…", "sent": "Reply sent."}


def reply_words(last: dict | None) -> tuple[str, bool]:
    if not last:
        return "", False
    if last["status"] in REPLY_WORDS:
        return REPLY_WORDS[last["status"]], False
    return last["error"] or "The reply was not sent.", True


def hide_words(state: dict | None) -> tuple[bool, str, bool]:
    """(pending, words, is an error) for the comment's hiding."""
    if not state:
        return False, "", False
    if state["asked"] is not None:
        return True, "Hiding…" if state["asked"] else "Showing again…", False
    return False, state["error"], bool(state["error"])


# Past this, a comment would push the rest of the page down a screen or more on a phone.
LONG_CHARS, LONG_LINES = 600, 8


def is_long(text: str) -> bool:
    return len(text) > LONG_CHARS or text.count("\n") >= LONG_LINES


def row(item: inbox.Item, tz: str, last_reply: dict | None = None, hiding: dict | None = None) -> CommentRow:
    words, error = reply_words(last_reply)
    pending, hide_status, hide_error = hide_words(hiding)
    hideable = inbox_hide.can_hide(item.platform)
    return CommentRow(
        id=item.id, platform=item.platform, platform_label=platform_label(item.platform),
        author=item.author or "Someone", text=item.text, is_long=is_long(item.text), likes=fmt.number(item.likes),
        when=fmt.local_time(item.posted_at, tz, "%d %b %Y, %H:%M"), is_read=item.is_read, replied=item.replied,
        archived=item.archived, hidden=item.hidden, is_reply=item.is_reply, post_caption=item.post_caption,
        post_url=item.post_url if item.post_url.startswith(("https://", "http://")) else "",
        can_reply=inbox_reply.can_reply(item.platform),
        no_reply="" if inbox_reply.can_reply(item.platform) else inbox_reply.why_not(item.platform),
        reply_status=words, reply_error=error, can_hide=hideable,
        no_hide="" if hideable else inbox_hide.why_not(item.platform), hide_limits=inbox_hide.limits(item.platform),
        hide_pending=pending, hide_status=hide_status, hide_error=hide_error)
