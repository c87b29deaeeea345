"""What the composer shows about the post it holds, per chosen platform: the counters, the tabs of
per-platform texts, the media problems, the previews, which platforms take no first comment; and each
listed destination's history. Plain functions of the state's values."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from dreamsuite.platforms import UnknownPlatform, get_adapter
from dreamsuite.platforms.media_rules import check_media
from dreamsuite.platforms.meta import hashtags
from dreamsuite.state.media import MediaItem

# Instagram's feed shows the start of a caption and "… more" (about 125 characters).
INSTAGRAM_FOLD = 125
PREVIEW_MEDIA = 4  # thumbnails a preview shows (X's grid holds four)


@dataclasses.dataclass
class Account:
    connection_id: str = ""
    label: str = ""
    limit: int = 0  # 0 = no length limit
    platform: str = ""
    platform_label: str = ""
    handle: str = ""  # "@nova"
    color: str = ""
    initial: str = ""  # the letter on the platform's mark
    max_hashtags: int = 0  # 0 = no cap
    can_comment: bool = True  # its API takes the first comment


@dataclasses.dataclass
class Counter:
    platform: str = ""
    text: str = ""  # "X 212/280" or "Instagram 212/2200, 3/5 hashtags"
    over: bool = False


@dataclasses.dataclass
class PlatformTab:
    platform: str = ""
    label: str = ""
    own: bool = False  # has its own text
    error: bool = False


@dataclasses.dataclass
class Preview:
    platform: str = ""
    label: str = ""
    color: str = ""
    initial: str = ""
    name: str = ""  # the artist's name
    avatar: str = ""  # its first letter, in the avatar's circle
    handle: str = ""
    text: str = ""  # what the platform shows of the text
    more: bool = False  # Instagram's "… more"
    cut: str = ""  # a note where the platform cuts or refuses the text
    media: list[MediaItem] = dataclasses.field(default_factory=list)
    extra: str = ""  # "+2" when there are more files than shown
    carousel: str = ""  # "1/3" on Instagram's first picture
    layout: str = "generic"  # "x", "instagram" or "generic"
    problems: list[str] = dataclasses.field(default_factory=list)


def account_of(card: dict, conn: dict, handle: str) -> Account:
    name = card["name"]
    try:
        adapter = get_adapter(name)
        color, tags, comments = adapter.color, adapter.max_hashtags or 0, adapter.can_comment
    except UnknownPlatform:
        color, tags, comments = "#888888", 0, False
    who = f" {handle}" if handle else ""
    return Account(str(conn["connection_id"]), f"{card['label']}{who}", int(card.get("max_text_length") or 0), name,
                   card["label"], handle, color, card["label"][:1].upper(), tags, comments)


def chosen(accounts: list[Account], selected: list[str]) -> list[Account]:
    return [a for a in accounts if a.connection_id in selected]


def platforms_of(accounts: list[Account]) -> list[Account]:
    """One account per platform (the first chosen), in the order the accounts are listed."""
    seen, out = set(), []
    for a in accounts:
        if a.platform not in seen:
            seen.add(a.platform)
            out.append(a)
    return out


def text_for(content: str, variants: dict[str, str], platform: str) -> str:
    own = variants.get(platform, "")
    return own if own.strip() else content


def counter(a: Account, text: str) -> Counter:
    n, tags = len(text), len(hashtags(text))
    words = f"{a.platform_label} {n}/{a.limit}" if a.limit else f"{a.platform_label} {n}"
    if a.max_hashtags:
        words += f", {tags}/{a.max_hashtags} hashtags"
    return Counter(a.platform, words, bool(a.limit and n > a.limit) or bool(a.max_hashtags and tags > a.max_hashtags))


def counters(accounts: list[Account], content: str, variants: dict[str, str]) -> list[Counter]:
    return [counter(a, text_for(content, variants, a.platform)) for a in platforms_of(accounts)]


def media_problems(accounts: list[Account], media: list[MediaItem]) -> dict[str, list[str]]:
    assets = [m.as_asset() for m in media]
    return {a.platform: check_media(a.platform, assets) for a in platforms_of(accounts)}


def preview(a: Account, artist: str, text: str, media: list[MediaItem], problems: list[str]) -> Preview:
    layout = a.platform if a.platform in ("x", "instagram") else "generic"
    name = artist or "You"
    p = Preview(a.platform, a.platform_label, a.color, a.initial, name, name[:1].upper(), a.handle, text,
                layout=layout, problems=problems)
    if layout == "instagram":
        p.media = media[:1]
        p.carousel = f"1/{len(media)}" if len(media) > 1 else ""
        if len(text) > INSTAGRAM_FOLD:
            p.text, p.more = text[:INSTAGRAM_FOLD].rstrip() + "…", True
    else:
        p.media = media[:PREVIEW_MEDIA]
        p.extra = f"+{len(media) - PREVIEW_MEDIA}" if len(media) > PREVIEW_MEDIA else ""
    if a.limit and len(text) > a.limit:
        p.text = text[:a.limit] + ("" if layout == "x" else "…")
        p.more = False
        p.cut = (f"{a.platform_label} stops at {a.limit} characters: {len(text) - a.limit} more would not be "
                 f"posted. Shorten the text, or give {a.platform_label} a text of its own.")
    return p


def previews(accounts: list[Account], artist: str, content: str, variants: dict[str, str],
             media: list[MediaItem]) -> list[Preview]:
    problems = media_problems(accounts, media)
    return [preview(a, artist, text_for(content, variants, a.platform), media, problems.get(a.platform, []))
            for a in platforms_of(accounts)]


def no_first_comment(accounts: list[Account]) -> str:
    """Which chosen platforms will not get the first comment (their APIs take no comments), or ""."""
    names = [a.platform_label for a in platforms_of(accounts) if not a.can_comment]
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return (f"{listed} will not get it: {'its API takes' if len(names) == 1 else 'their APIs take'} no comments. "
            "Add it there by hand.")


@dataclasses.dataclass
class Step:
    """One step in a destination's history, as the post list shows it."""

    when: str = ""  # in the post's timezone
    label: str = ""
    tone: str = ""  # ok, wait, warn, bad or "" (a colour for the label)
    message: str = ""
    link: str = ""  # the message when it is the post's address


# What each step is called on the page, and its colour.
STEP_LABELS: dict[str, tuple[str, str]] = {
    "publishing": ("sending", "wait"), "pending": ("waiting", "wait"), "processing": ("processing", "wait"),
    "published": ("published", "ok"), "unconfirmed": ("unconfirmed", "warn"), "failed": ("failed", "bad"),
    "cancelled": ("cancelled", ""),
    "comment_sending": ("first comment: sending", "wait"), "comment_retrying": ("first comment: waiting", "wait"),
    "comment_posted": ("first comment posted", "ok"), "comment_unknown": ("first comment unconfirmed", "warn"),
    "comment_failed": ("first comment failed", "bad"), "comment_unsupported": ("no first comment", ""),
}
STEP_TIME = "%d %b %H:%M:%S %Z"
# Words a step's label already says.
SAID_BY_LABEL = {"Sending", "Posting the first comment"}


def steps(events: list[dict[str, Any]]) -> list[Step]:
    out = []
    for e in events:
        label, tone = STEP_LABELS.get(e["status"], (str(e["status"]).replace("_", " "), ""))
        message = (e.get("message") or "").strip()
        local: datetime | None = e.get("local")
        link = message if message.startswith(("https://", "http://")) and " " not in message else ""
        if link or message in SAID_BY_LABEL:
            message = ""
        elif message.lower().startswith(label.lower() + " "):  # "Sending again (attempt 2)" after "sending"
            message = message[len(label):].strip()
            if message.startswith("(") and message.endswith(")"):  # "(id 123)" after "first comment posted"
                message = message[1:-1]
        out.append(Step(local.strftime(STEP_TIME) if local else "", label, tone, message, link))
    return out


def comment_trouble(events: list[dict[str, Any]]) -> str:
    """The first comment's outcome when it needs the artist (failed or unknown), for the destination's
    line: the history holding it may be folded."""
    last = next((e["status"] for e in reversed(events) if str(e["status"]).startswith("comment_")), "")
    return {"comment_failed": "first comment not posted",
            "comment_unknown": "first comment unconfirmed — check the post"}.get(last, "")
