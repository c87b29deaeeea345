"""What the composer checks before a post is stored, per chosen account, with each problem filed
under the field it belongs to ("content", "variant:x", "accounts", "media", "first_comment",
"when"), so the page shows it next to that field. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dreamsuite.models import ConnectionStatus, PlatformConnection
from dreamsuite.platforms import UnknownPlatform, account_label, get_adapter
from dreamsuite.platforms.media_rules import check_media
from dreamsuite.platforms.meta import hashtags
from dreamsuite.services.errors import UserError

# Expiring tokens still work (they are refreshed before sending); expired ones do not.
# A failed collect ("error") says nothing about publishing: the post may still go out.
PUBLISHABLE = {ConnectionStatus.active, ConnectionStatus.expiring, ConnectionStatus.error}
FIRST_COMMENT_MAX = 2200  # the column's size (Instagram's comment limit)


class PublishValidationError(UserError):
    """The post cannot be scheduled as given; the message tells the artist what to fix."""


class FieldErrors(PublishValidationError):
    """Every problem found, by field: the page shows each next to its field. `message` has them all."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = {k: list(dict.fromkeys(v)) for k, v in errors.items() if v}
        super().__init__(" ".join(m for msgs in self.errors.values() for m in msgs))


@dataclass
class Problems:
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, where: str, message: str) -> None:
        self.errors.setdefault(where, []).append(message)

    def raise_any(self) -> None:
        if self.errors:
            raise FieldErrors(self.errors)


def text_for(post: Any, platform: str) -> str:
    """The text `platform` gets: its own variant when the post has one, else the main text."""
    variant = (getattr(post, "variants", None) or {}).get(platform)
    return variant if isinstance(variant, str) and variant.strip() else post.content


def clean_variants(variants: dict[str, str] | None) -> dict[str, str]:
    """Per-platform texts worth keeping: known platforms, not blank (blank means "the main text")."""
    out = {}
    for platform, text in (variants or {}).items():
        try:
            get_adapter(str(platform))
        except UnknownPlatform:
            continue
        if isinstance(text, str) and text.strip():
            out[str(platform)] = text
    return out


def check_accounts(problems: Problems, conns: list[PlatformConnection], content: str, variants: dict[str, str],
                   assets: list[dict[str, Any]], first_comment: str) -> None:
    """Each chosen account: it can publish, its text fits, the media suit its platform."""
    text_missing = False
    seen_platforms: set[str] = set()
    for conn in conns:
        try:
            adapter = get_adapter(conn.platform)
        except UnknownPlatform:
            problems.add("accounts", f"{conn.platform} is not a supported platform.")
            continue
        name = account_label(conn.platform, conn.username)
        if not adapter.can_publish:
            problems.add("accounts", f"Posting to {adapter.label} is not supported yet.")
            continue
        if conn.status not in PUBLISHABLE:
            problems.add("accounts", f"{name} is {conn.status}: reconnect it first.")
        own = conn.platform in variants
        where = f"variant:{conn.platform}" if own else "content"
        text = variants[conn.platform] if own else content
        if not text.strip() and not assets:
            text_missing = True
        limit = adapter.max_text_length
        if limit is not None and len(text) > limit:
            problems.add(where, f"Too long for {name}: {len(text)} characters, the limit is {limit}.")
        cap, tags = adapter.max_hashtags, len(hashtags(text))
        if cap is not None and tags > cap:
            problems.add(where, f"Too many hashtags for {name}: {tags}, {adapter.label} takes at most {cap}.")
        if first_comment and limit is not None and len(first_comment) > limit:
            problems.add("first_comment", f"The first comment is too long for {name}: {len(first_comment)} "
                                          f"characters, the limit is {limit}.")
        if conn.platform not in seen_platforms:
            seen_platforms.add(conn.platform)
            for message in check_media(conn.platform, assets):
                problems.add("media", message)
    if text_missing:
        problems.add("content", "Write something to post.")
    if len(first_comment) > FIRST_COMMENT_MAX:
        problems.add("first_comment", f"The first comment is {len(first_comment)} characters; it can be at most "
                                      f"{FIRST_COMMENT_MAX}.")
