"""Composer: write, pick accounts, pick a time in the user's timezone, schedule; live post statuses."""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import reflex as rx

from dreamsuite import db
from dreamsuite.platforms import handle, platform_label
from dreamsuite.services import captions, publish
from dreamsuite.services.connections import list_cards
from dreamsuite.services.errors import UserError
from dreamsuite.state import fmt
from dreamsuite.state.auth import AuthState, to_login_page
from dreamsuite.state.live import watch_page

log = logging.getLogger(__name__)
LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends (seconds when a step asks)
STATUS_LABELS = {"pending": "scheduled", "unconfirmed": "unconfirmed — check on the platform"}
TONES = captions.TONES


@dataclasses.dataclass
class Account:
    connection_id: str = ""
    label: str = ""
    limit: int = 0  # 0 = no length limit
    platform: str = ""


@dataclasses.dataclass
class Destination:
    account: str = ""
    status: str = ""
    label: str = ""
    error: str = ""
    url: str = ""
    # Unconfirmed: where the artist can look (the post if known, else the account's page).
    check_url: str = ""


@dataclasses.dataclass
class PostView:
    id: int = 0
    content: str = ""
    when: str = ""
    status: str = ""
    cancellable: bool = False
    destinations: list[Destination] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class TimeChoice:
    fold: str = "0"
    label: str = ""


def with_caption(content: str, previous: str, caption: str) -> str:
    """The post text with a generated caption: in place of the previous one while that is still
    there as generated, else below what the artist typed (never over it)."""
    if not content.strip() or content == previous:
        return caption
    if previous and content.endswith(captions.SEPARATOR + previous):
        return content[:-len(previous)] + caption
    return content.rstrip() + captions.SEPARATOR + caption


def parse_local(value: str) -> datetime:
    """What a datetime-local input sends, or ValueError (any other text, 5-digit years...)."""
    value = (value or "").strip()
    if not value or len(value) > 19:
        raise ValueError(value)
    return datetime.fromisoformat(value)


class ComposerState(AuthState):
    accounts: list[Account] = []
    selected: list[str] = []
    content: str = ""
    when: str = ""
    form_error: str = ""
    form_ok: str = ""
    # A time that happens twice (clocks go back): the artist picks one before scheduling.
    time_choices: list[TimeChoice] = []
    posts: list[PostView] = []
    _listen_gen: int = 0
    # "Generate with AI": what the post is about, the tone, and the outcome shown under the field.
    ai_topic: str = ""
    ai_tone: str = "casual"
    ai_busy: bool = False
    ai_error: str = ""
    ai_note: str = ""
    _ai_text: str = ""  # the caption last put in the text, which the next one replaces

    @rx.var
    def char_count(self) -> int:
        return len(self.content)

    @rx.var
    def char_limit(self) -> int:
        """The strictest limit among the chosen accounts (0 when none applies)."""
        limits = [a.limit for a in self.accounts if a.connection_id in self.selected and a.limit]
        return min(limits) if limits else 0

    @rx.var
    def over_limit(self) -> bool:
        return bool(self.char_limit) and self.char_count > self.char_limit

    def _default_when(self) -> str:
        local = datetime.now(ZoneInfo(self.user_timezone or "UTC")) + timedelta(minutes=2)
        return local.strftime(LOCAL_INPUT)

    async def _load_accounts(self) -> None:
        out = []
        for card in await db.run(list_cards, await self._scope()):
            if not card.get("can_publish"):
                continue
            for conn in card.get("connections") or []:
                if conn.get("status") in publish.PUBLISHABLE:
                    who = f" {handle(card['name'], conn['username'])}" if conn.get("username") else ""
                    out.append(Account(str(conn["connection_id"]), f"{card['label']}{who}",
                                       int(card.get("max_text_length") or 0), card["name"]))
        self.accounts = out
        self.selected = [s for s in self.selected if any(a.connection_id == s for a in out)]

    async def _load_posts(self) -> None:
        tz = self.user_timezone
        self.posts = [
            PostView(
                id=p["id"], content=p["content"], status=STATUS_LABELS.get(p["status"], p["status"]),
                when=fmt.local_time(p["scheduled_at_utc"], tz),
                cancellable=any(d["status"] == "pending" for d in p["destinations"]),
                destinations=[
                    Destination(
                        account=d["account"], status=d["status"],
                        label=STATUS_LABELS.get(d["status"], d["status"]),
                        error=d.get("error") or "", url=d.get("platform_url") or "",
                        check_url=(d.get("platform_url") or d.get("profile_url") or "")
                        if d["status"] == "unconfirmed" else "",
                    )
                    for d in p["destinations"]
                ],
            )
            for p in await db.run(publish.list_posts, await self._scope())
        ]

    @rx.event
    async def load(self):
        if not self.is_logged_in:
            return
        self.form_error = self.form_ok = ""
        self.time_choices = []
        if not self.when:
            self.when = self._default_when()
        await self._load_accounts()
        await self._load_posts()
        return ComposerState.watch

    @rx.event
    def set_content(self, value: str):
        self.content = value

    @rx.event
    def set_ai_topic(self, value: str):
        self.ai_topic = value

    @rx.event
    def set_ai_tone(self, value: str):
        self.ai_tone = value if value in TONES else "casual"

    @rx.event(background=True)
    async def generate_caption(self):
        """Write a caption for the topic in the tone, fitted to the chosen accounts, into the text."""
        async with self:
            if self.ai_busy:
                return
            self.ai_error = self.ai_note = ""
            # Written to fit the chosen accounts; none chosen yet: every account the post could go to.
            platforms = [a.platform for a in self.accounts if a.connection_id in self.selected] or \
                [a.platform for a in self.accounts]
            if not platforms:
                self.ai_error = "Connect an account that can publish first: the caption is written to fit it."
                return
            scope = await self._scope()
            topic, tone, self.ai_busy = self.ai_topic, self.ai_tone, True
        # Several accounts share one text: write it for the strictest, so it fits every one.
        platform = captions.strictest(platforms)
        error, out = "", None
        try:
            out = await captions.generate_caption(scope, topic, tone, platform)
        except UserError as exc:  # a bad request, a viewer, or the model's failure in plain words
            error = exc.message
        except Exception:
            log.exception("caption generation failed")
            error = "The caption could not be written. Please try again."
        finally:
            async with self:
                self.ai_busy = False
                self.ai_error = error
                if out is not None:
                    self.content = with_caption(self.content, self._ai_text, out["text"])
                    self._ai_text = out["text"]
                    why = ", ".join([*(["the tightest of your accounts"] if len(set(platforms)) > 1 else []),
                                     *([f"{out['limit']:,} characters"] if out["limit"] else [])])
                    self.ai_note = (f"Written for {platform_label(platform)}{f' ({why})' if why else ''}: "
                                    f"{len(out['hashtags'])} hashtags. Edit it as you like.")

    @rx.event
    def set_when(self, value: str):
        self.when = value
        self.time_choices = []

    @rx.event
    def toggle_account(self, connection_id: str, checked: bool):
        rest = [s for s in self.selected if s != connection_id]
        self.selected = [*rest, connection_id] if checked else rest

    @rx.event
    async def schedule(self, fold: str = ""):
        self.form_error = self.form_ok = ""
        try:
            local_when = parse_local(self.when)
        except ValueError:
            self.form_error = "Pick a date and time for the post."
            return
        scope = await self._scope()
        try:
            ids = [int(s) for s in self.selected if s.isdigit()]
            post = await publish.schedule_post(scope, self.content, ids, local_when, self.user_timezone,
                                               fold=int(fold) if fold in ("0", "1") else None)
        except publish.AmbiguousTime as exc:
            self.form_error = exc.message
            self.time_choices = [TimeChoice(str(f), label) for f, label in exc.choices]
            return
        except UserError as exc:  # invalid post, or a role that may not schedule
            self.form_error = exc.message
            return
        self.time_choices = []
        self.form_ok = f"Scheduled for {fmt.local_time(post.scheduled_at, self.user_timezone)}."
        self.content = ""
        self.when = self._default_when()
        await self._load_posts()

    @rx.event
    async def cancel(self, post_id: int):
        self.form_error = self.form_ok = ""
        scope = await self._scope()
        try:
            await db.run(publish.cancel_post, scope, post_id)
        except UserError as exc:
            self.form_error = exc.message
        await self._load_posts()

    @rx.event(background=True)
    async def watch(self):
        if await watch_page(self, "/composer", {"publish", "connection"}, self._reload_live):
            yield to_login_page()

    async def _reload_live(self, ev: dict) -> None:
        if ev.get("kind") == "connection":
            await self._load_accounts()
        await self._load_posts()
