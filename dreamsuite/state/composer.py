"""Composer: write once (with a text of its own per platform where wanted), pick accounts and media,
see each platform's preview, then save a draft, schedule in the user's timezone or post now; edit a
draft or a post not yet sent (/composer?post=<id>); live post statuses below."""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import reflex as rx

from dreamsuite import db
from dreamsuite.platforms import handle
from dreamsuite.services import publish
from dreamsuite.services.connections import list_cards
from dreamsuite.services.errors import UserError
from dreamsuite.state import composer_view as view, fmt
from dreamsuite.state.auth import AuthState, to_login_page
from dreamsuite.state.composer_ai import TONES, CaptionMixin  # noqa: F401 - TONES: the form imports it from here
from dreamsuite.state.composer_media import MediaPickerMixin
from dreamsuite.state.composer_view import Account, Counter, PlatformTab, Preview, Step  # noqa: F401
from dreamsuite.state.live import watch_page
from dreamsuite.state.media import to_item

log = logging.getLogger(__name__)
LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends (seconds when a step asks)
STATUS_LABELS = {"pending": "scheduled", "unconfirmed": "unconfirmed — check on the platform"}


@dataclasses.dataclass
class Destination:
    id: int = 0
    account: str = ""
    status: str = ""
    label: str = ""
    error: str = ""
    url: str = ""
    # Unconfirmed: where the artist can look (the post if known, else the account's page).
    check_url: str = ""
    # Each step so far (sending, retries, the outcome, the first comment's), oldest first.
    history: list[Step] = dataclasses.field(default_factory=list)
    comment_trouble: str = ""  # the first comment failed or may have been posted


@dataclasses.dataclass
class PostView:
    id: int = 0
    content: str = ""
    when: str = ""
    status: str = ""
    cancellable: bool = False
    editable: bool = False
    media_count: int = 0
    destinations: list[Destination] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class TimeChoice:
    fold: str = "0"
    label: str = ""


def parse_local(value: str) -> datetime:
    """What a datetime-local input sends, or ValueError (any other text, 5-digit years...)."""
    value = (value or "").strip()
    if not value or len(value) > 19:
        raise ValueError(value)
    return datetime.fromisoformat(value)


def _post_view(p: dict, tz: str, history: dict[int, list[dict]] | None = None) -> PostView:
    draft = p["status"] == "draft"
    return PostView(
        id=p["id"], content=p["content"], status=STATUS_LABELS.get(p["status"], p["status"]),
        when=fmt.local_time(p["scheduled_at_utc"], tz) if p["scheduled_at_utc"] else "no time yet",
        cancellable=draft or any(d["status"] == "pending" for d in p["destinations"]),
        editable=bool(p.get("editable")), media_count=len(p.get("media") or []),
        destinations=[
            Destination(
                id=d["id"], account=d["account"], status="draft" if draft else d["status"],
                label="draft" if draft else STATUS_LABELS.get(d["status"], d["status"]),
                error=d.get("error") or "", url=d.get("platform_url") or "",
                check_url=(d.get("platform_url") or d.get("profile_url") or "") if d["status"] == "unconfirmed" else "",
                history=view.steps((history or {}).get(d["id"], [])),
                comment_trouble=view.comment_trouble((history or {}).get(d["id"], [])),
            )
            for d in p["destinations"]
        ],
    )


def _posts_and_history(scope) -> tuple[list[dict], dict[int, list[dict]]]:
    """The listed posts and their destinations' histories (one trip to the database threads)."""
    posts = publish.list_posts(scope)
    return posts, publish.destination_history(scope, [p["id"] for p in posts])


class ComposerState(CaptionMixin, MediaPickerMixin, AuthState):
    accounts: list[Account] = []
    selected: list[str] = []
    content: str = ""
    variants: dict[str, str] = {}  # platform → its own text (blank: the main text)
    variant_tab: str = ""
    first_comment: str = ""
    when: str = ""
    errors: dict[str, list[str]] = {}  # by field, from the last save
    form_error: str = ""
    form_ok: str = ""
    # A time that happens twice (clocks go back): the artist picks one before scheduling.
    time_choices: list[TimeChoice] = []
    posts: list[PostView] = []
    editing_id: int = 0
    editing_status: str = ""
    # Destinations whose history is unfolded (by id: a live reload that adds a post keeps them open).
    open_histories: list[int] = []
    # The workspace's name as the previews show it, copied at load: a computed var reading
    # AuthState's own var would make every event of every page load and recompute this state.
    artist: str = ""
    _listen_gen: int = 0

    # ------------------------------------------------------------ what the page shows
    @rx.var
    def chosen_accounts(self) -> list[Account]:
        return view.chosen(self.accounts, self.selected)

    @rx.var
    def counters(self) -> list[Counter]:
        return view.counters(view.chosen(self.accounts, self.selected), self.content, self.variants)

    @rx.var
    def char_count(self) -> int:
        return len(self.content)

    @rx.var
    def platform_tabs(self) -> list[PlatformTab]:
        return [PlatformTab(a.platform, a.platform_label, bool(self.variants.get(a.platform, "").strip()),
                            bool(self.errors.get(f"variant:{a.platform}")))
                for a in view.platforms_of(view.chosen(self.accounts, self.selected))]

    @rx.var
    def variant_text(self) -> str:
        return self.variants.get(self.variant_tab, "")

    @rx.var
    def variant_counter(self) -> str:
        a = next((a for a in self.accounts if a.platform == self.variant_tab), None)
        return view.counter(a, view.text_for(self.content, self.variants, a.platform)).text if a else ""

    @rx.var
    def variant_errors(self) -> list[str]:
        return self.errors.get(f"variant:{self.variant_tab}", [])

    @rx.var
    def media_problems(self) -> list[str]:
        """What the chosen platforms refuse in the chosen media, as soon as it is chosen."""
        found = view.media_problems(view.chosen(self.accounts, self.selected), self.media)
        live = [m for msgs in found.values() for m in msgs]
        return live + [m for m in self.errors.get("media", []) if m not in live]

    @rx.var
    def previews(self) -> list[Preview]:
        return view.previews(view.chosen(self.accounts, self.selected), self.artist, self.content,
                             self.variants, self.media)

    @rx.var
    def content_errors(self) -> list[str]:
        return self.errors.get("content", [])

    @rx.var
    def accounts_errors(self) -> list[str]:
        return self.errors.get("accounts", [])

    @rx.var
    def first_comment_note(self) -> str:
        """The chosen platforms that will not get the first comment (no comments in their APIs)."""
        return view.no_first_comment(view.chosen(self.accounts, self.selected))

    @rx.var
    def first_comment_errors(self) -> list[str]:
        return self.errors.get("first_comment", [])

    @rx.var
    def when_error(self) -> str:
        return " ".join(self.errors.get("when", []))

    @rx.var
    def heading(self) -> str:
        if not self.editing_id:
            return "New post"
        return "Editing a draft" if self.editing_status == "draft" else "Editing a scheduled post"

    # ------------------------------------------------------------ loading
    def _default_when(self) -> str:
        local = datetime.now(ZoneInfo(self.user_timezone or "UTC")) + timedelta(minutes=2)
        return local.strftime(LOCAL_INPUT)

    async def _load_accounts(self) -> None:
        self.artist = self.workspace_name
        out = []
        for card in await db.run(list_cards, await self._scope()):
            if not card.get("can_publish"):
                continue
            for conn in card.get("connections") or []:
                if conn.get("status") in publish.PUBLISHABLE:
                    who = handle(card["name"], conn["username"]) if conn.get("username") else ""
                    out.append(view.account_of(card, conn, who))
        self.accounts = out
        self.selected = [s for s in self.selected if any(a.connection_id == s for a in out)]

    async def _load_posts(self) -> None:
        posts, history = await db.run(_posts_and_history, await self._scope())
        self.posts = [_post_view(p, self.user_timezone, history) for p in posts]

    def _clear_form(self) -> None:
        self.content, self.variants, self.variant_tab, self.first_comment = "", {}, "", ""
        self.media, self.selected, self.errors, self.time_choices = [], [], {}, []
        self.editing_id, self.editing_status, self._ai_text = 0, "", ""
        self.when = self._default_when()

    async def _open_post(self, post_id: int) -> None:
        try:
            post = await db.run(publish.get_post, await self._scope(), post_id)
        except UserError as exc:
            self.form_error = exc.message
            return
        if not post["editable"]:
            self.form_error = (f"That post is {post['status'].replace('_', ' ')}: it can no longer be changed. "
                               "Write a new one here.")
            return
        self._clear_form()
        self.editing_id, self.editing_status = post["id"], post["status"]
        self.content, self.variants, self.first_comment = post["content"], post["variants"], post["first_comment"]
        ids = [str(c) for c in post["connection_ids"]]
        self.selected = [a.connection_id for a in self.accounts if a.connection_id in ids]
        if len(self.selected) < len(ids):
            self.form_error = "An account this post was for is no longer connected: it is left out."
        self.media = [to_item(a) for a in post["media"]]
        self.when = post["local_when"].strftime(LOCAL_INPUT) if post["local_when"] else ""

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
        raw = self.router.url.query_parameters.get("post", "")
        if raw.isdigit() and len(raw) < 12:
            await self._open_post(int(raw))
        elif self.editing_id:
            self._clear_form()
        return ComposerState.watch

    # ------------------------------------------------------------ editing the form
    @rx.event
    def set_content(self, value: str):
        self.content = value

    @rx.event
    def set_first_comment(self, value: str):
        self.first_comment = value

    @rx.event
    def set_when(self, value: str):
        self.when = value
        self.time_choices = []

    @rx.event
    def toggle_account(self, connection_id: str, checked: bool):
        rest = [s for s in self.selected if s != connection_id]
        self.selected = [*rest, connection_id] if checked else rest
        tabs = [a.platform for a in view.platforms_of(view.chosen(self.accounts, self.selected))]
        if self.variant_tab not in tabs:
            self.variant_tab = tabs[0] if tabs else ""

    @rx.event
    def set_variant_tab(self, platform: str):
        self.variant_tab = platform

    @rx.event
    def set_variant(self, value: str):
        if self.variant_tab:
            self.variants = {**self.variants, self.variant_tab: value}

    @rx.event
    def use_main_text(self):
        self.variants = {k: v for k, v in self.variants.items() if k != self.variant_tab}

    @rx.event
    def new_post(self):
        self._clear_form()
        self.form_error = self.form_ok = ""
        return rx.redirect("/composer", replace=True)

    # ------------------------------------------------------------ saving
    @rx.event
    async def schedule(self, fold: str = ""):
        return await self._save("schedule", fold)

    @rx.event
    async def save_draft(self):
        return await self._save("draft", "")

    @rx.event
    async def post_now(self):
        return await self._save("now", "")

    async def _save(self, mode: str, fold: str):
        self.form_error = self.form_ok = ""
        self.errors = {}
        local_when = None
        if mode == "schedule" or (mode == "draft" and self.when.strip()):
            try:
                local_when = parse_local(self.when)
            except ValueError:
                self.errors = {"when": ["Pick a date and time for the post." if mode == "schedule" else
                                        "That date cannot be read: pick one, or clear it to save without a time."]}
                return
        scope = await self._scope()
        args = (self.content, [int(s) for s in self.selected if s.isdigit()], local_when, self.user_timezone,
                int(fold) if fold in ("0", "1") else None)
        options = {"variants": dict(self.variants), "first_comment": self.first_comment,
                   "media": [m.id for m in self.media], "draft": mode == "draft", "post_now": mode == "now"}
        try:
            if self.editing_id:
                post = await publish.update_post(scope, self.editing_id, *args, **options)
            else:
                post = await publish.schedule_post(scope, *args, **options)
        except publish.AmbiguousTime as exc:
            self.errors = {"when": [exc.message]}
            self.time_choices = [TimeChoice(str(f), label) for f, label in exc.choices]
            return
        except publish.FieldErrors as exc:
            self.errors = exc.errors
            count = sum(len(v) for v in exc.errors.values())
            self.form_error = f"Nothing was saved: {count} thing{'s' if count != 1 else ''} to fix, marked above."
            return
        except UserError as exc:  # a role that may not post, a post that started going out...
            self.form_error = exc.message
            return
        was_editing = bool(self.editing_id)
        self.form_ok = ("Saved as a draft." if mode == "draft" else "Posting now." if mode == "now" else
                        f"Scheduled for {fmt.local_time(post.scheduled_at, self.user_timezone)}.")
        self._clear_form()
        await self._load_posts()
        if was_editing:  # the address no longer names a post being edited
            return rx.call_script("window.history.replaceState(null, '', '/composer')")

    @rx.event
    def toggle_history(self, destination_id: int):
        rest = [i for i in self.open_histories if i != destination_id]
        self.open_histories = rest if len(rest) < len(self.open_histories) else [*rest, destination_id]

    @rx.event
    async def cancel(self, post_id: int):
        self.form_error = self.form_ok = ""
        scope = await self._scope()
        try:
            await db.run(publish.cancel_post, scope, post_id)
        except UserError as exc:
            self.form_error = exc.message
        if post_id == self.editing_id:
            self._clear_form()
        await self._load_posts()

    # ------------------------------------------------------------ live statuses
    @rx.event(background=True)
    async def watch(self):
        if await watch_page(self, "/composer", {"publish", "connection"}, self._reload_live):
            yield to_login_page()

    async def _reload_live(self, ev: dict) -> None:
        if ev.get("kind") == "connection":
            await self._load_accounts()
        await self._load_posts()
