"""The composer's form, field by field: the accounts to post to, the text with its counter per
platform, a text of its own per platform, the first comment, the time and the three ways to save.
Each field shows its own problems right under it."""

from __future__ import annotations

import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.time_choices import time_choices
from dreamsuite.components.media_picker import errors_list
from dreamsuite.state.composer import TONES, ComposerState as S


def _label(text: str, note: str = "") -> rx.Component:
    return rx.hstack(rx.text(text, weight="medium", size=st.size_sm),
                     rx.text(note, size=st.size_xs, color=st.text_faint) if note else rx.fragment(),
                     align="baseline", spacing=st.gap_sm, wrap="wrap")


def _account_card(a) -> rx.Component:
    on = S.selected.contains(a.connection_id)
    return rx.box(
        rx.hstack(
            rx.center(rx.text(a.initial, size=st.size_xs, weight="bold", color="white"), width="1.75em",
                      height="1.75em", border_radius=st.radius_sm, background=a.color, flex_shrink="0"),
            rx.vstack(rx.text(a.platform_label, size=st.size_sm, weight="medium"),
                      rx.text(a.handle, size=st.size_xs, color=st.text_muted, style=st.ellipsis),
                      spacing="0", min_width="0", flex="1"),
            rx.checkbox(checked=on, pointer_events="none", tab_index=-1, aria_hidden="true"),
            align="center", spacing=st.gap_sm, width="100%",
        ),
        role="checkbox", aria_checked=on, aria_label=a.label, tab_index=0,
        on_click=S.toggle_account(a.connection_id, ~on),
        padding=st.space_sm, border_radius=st.radius_md, cursor="pointer", min_width="0",
        border=rx.cond(on, f"2px solid {st.accent(9)}", f"2px solid {st.gray(5)}"),
        background=rx.cond(on, st.accent(2), "transparent"),
        _hover={"background": st.hover_bg},
        data_testid="composer-account",
    )


def accounts() -> rx.Component:
    return rx.vstack(
        _label("Post to"),
        rx.cond(
            S.accounts.length() > 0,
            rx.grid(rx.foreach(S.accounts, _account_card), columns=rx.breakpoints(initial="1", sm="2", xl="3"),
                    spacing=st.gap_sm, width="100%"),
            rx.text("No connected account can publish yet. ", rx.link("Connect one", href="/connections"), ".",
                    size=st.size_sm, color=st.text_muted),
        ),
        errors_list(S.accounts_errors, "composer-accounts-error"),
        spacing=st.gap_xs, width="100%",
    )


def generate() -> rx.Component:
    """Generate with AI: a topic and a tone in, a caption with hashtags into the text below."""
    return rx.vstack(
        _label("Generate with AI"),
        rx.hstack(
            rx.input(value=S.ai_topic, on_change=S.set_ai_topic, max_length=300, size="3", flex="1",
                     min_width="14em", placeholder="What is the post about?", data_testid="caption-topic"),
            rx.select.root(
                rx.select.trigger(aria_label="Tone", data_testid="caption-tone"),
                rx.select.content(*[rx.select.item(t.capitalize(), value=t) for t in TONES]),
                value=S.ai_tone, on_change=S.set_ai_tone, size="3",
            ),
            rx.button(rx.icon("sparkles", size=st.icon_sm), "Generate with AI", on_click=S.generate_caption,
                      loading=S.ai_busy, variant="soft", size="3", data_testid="caption-generate"),
            wrap="wrap", align="center", spacing=st.gap_sm, width="100%",
        ),
        rx.cond(S.ai_error != "", rx.text(S.ai_error, size=st.size_sm, color=st.text_danger,
                                          data_testid="caption-error")),
        rx.cond(S.ai_note != "", rx.text(S.ai_note, size=st.size_xs, color=st.text_muted,
                                         data_testid="caption-note")),
        spacing=st.gap_xs, width="100%",
    )


def _counter(c) -> rx.Component:
    return rx.text(c.text, size=st.size_xs, color=rx.cond(c.over, st.text_danger, st.text_muted),
                   weight=rx.cond(c.over, "bold", "regular"), white_space="nowrap")


def text() -> rx.Component:
    return rx.vstack(
        _label("Text"),
        rx.text_area(value=S.content, on_change=S.set_content, placeholder="What do you want to tell your fans?",
                     rows="5", width="100%", size="3", data_testid="composer-text"),
        rx.flex(
            rx.cond(S.counters.length() > 0, rx.foreach(S.counters, _counter),
                    rx.text(S.char_count.to_string(), " characters", size=st.size_xs, color=st.text_muted)),
            wrap="wrap", gap=st.space_md, justify="end", width="100%", data_testid="composer-count",
        ),
        errors_list(S.content_errors, "composer-text-error"),
        spacing=st.gap_xs, width="100%",
    )


def _tab(t) -> rx.Component:
    return rx.tabs.trigger(
        rx.hstack(rx.text(t.label), rx.cond(t.own, rx.icon("pencil", size=12)),
                  rx.cond(t.error, rx.icon("circle-alert", size=12, color=st.text_danger)),
                  align="center", spacing=st.gap_xs),
        value=t.platform, data_testid="variant-tab",
    )


def variants() -> rx.Component:
    """A text of its own per chosen platform (blank: the main text goes there)."""
    return rx.cond(
        S.platform_tabs.length() > 0,
        rx.vstack(
            _label("Text per platform", "optional: a shorter X text, other hashtags for Instagram…"),
            rx.tabs.root(rx.tabs.list(rx.foreach(S.platform_tabs, _tab), size="1"), value=S.variant_tab,
                         on_change=S.set_variant_tab, width="100%"),
            rx.text_area(value=S.variant_text, on_change=S.set_variant, rows="3", width="100%", size="2",
                         placeholder="Same as the main text", data_testid="variant-text"),
            rx.hstack(
                rx.cond(S.variant_text != "", rx.button("Use the main text", size="1", variant="ghost",
                                                        on_click=S.use_main_text, data_testid="variant-clear")),
                rx.spacer(),
                rx.text(S.variant_counter, size=st.size_xs, color=st.text_muted, data_testid="variant-count"),
                width="100%", align="center",
            ),
            errors_list(S.variant_errors, "variant-error"),
            spacing=st.gap_xs, width="100%",
        ),
    )


def first_comment() -> rx.Component:
    return rx.vstack(
        _label("First comment", "optional: posted under the post, e.g. a link or more hashtags"),
        rx.text_area(value=S.first_comment, on_change=S.set_first_comment, rows="2", width="100%", size="2",
                     max_length=2200, data_testid="composer-first-comment"),
        rx.cond(S.first_comment_note != "",
                rx.hstack(rx.icon("info", size=st.icon_xs, color=st.text_muted, flex_shrink="0"),
                          rx.text(S.first_comment_note, size=st.size_xs, color=st.text_muted),
                          align="center", spacing=st.gap_xs, data_testid="composer-first-comment-note")),
        errors_list(S.first_comment_errors, "composer-first-comment-error"),
        spacing=st.gap_xs, width="100%",
    )


def when() -> rx.Component:
    return rx.vstack(
        _label("When"),
        rx.hstack(
            rx.input(type="datetime-local", value=S.when, on_change=S.set_when, size="3", data_testid="composer-when"),
            rx.text("Times are in ", rx.text.strong(S.user_timezone), size=st.size_sm, color=st.text_muted,
                    data_testid="composer-timezone"),
            align="center", spacing=st.gap_md, wrap="wrap",
        ),
        rx.cond(S.when_error != "", rx.text(S.when_error, size=st.size_sm, color=st.text_danger,
                                            data_testid="composer-when-error")),
        # A time that happens twice (the clocks go back): schedule the one the artist means.
        time_choices(S.time_choices, S.schedule, size="2", testid="composer-time-choice"),
        spacing=st.gap_xs, width="100%",
    )


def actions() -> rx.Component:
    return rx.vstack(
        rx.cond(S.form_error != "", rx.callout(S.form_error, **st.callout_error, data_testid="composer-error")),
        rx.cond(S.form_ok != "", rx.callout(S.form_ok, **st.callout_ok, data_testid="composer-ok")),
        rx.hstack(
            rx.button(rx.icon("calendar-clock", size=st.icon_sm), "Schedule", on_click=S.schedule(""), size="3",
                      data_testid="composer-submit"),
            rx.button(rx.icon("send", size=st.icon_sm), "Post now", on_click=S.post_now, size="3", variant="soft",
                      data_testid="composer-post-now"),
            rx.button(rx.icon("file-pen-line", size=st.icon_sm), "Save draft", on_click=S.save_draft, size="3",
                      variant="outline", color_scheme="gray", data_testid="composer-draft"),
            wrap="wrap", spacing=st.gap_sm,
        ),
        spacing=st.gap_sm, width="100%",
    )
