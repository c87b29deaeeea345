"""Around the calendar's grid: the open post (its text, accounts and statuses; edit, move,
cancel), drafts without a time, the workspace's posting times and the suggested ones."""

from __future__ import annotations

import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.time_choices import time_choices
from dreamsuite.components.calendar_grid import chip
from dreamsuite.components.cards import status_badge
from dreamsuite.components.confirm import confirm_dialog
from dreamsuite.state.calendar import CalendarState as S
from dreamsuite.state.calendar_view import WEEKDAY_CHOICES


def _destination(d) -> rx.Component:
    return rx.hstack(
        rx.text(d.account, size=st.size_sm, weight="medium"),
        status_badge(d.status, testid="calendar-dest-status", label=d.label),
        rx.cond(d.url != "", rx.link("view", href=d.url, is_external=True, size=st.size_xs)),
        rx.cond(d.error != "", rx.text(d.error, size=st.size_xs, color=st.text_danger, word_break="break-word",
                                       width="100%")),
        align="center", spacing=st.gap_sm, wrap="wrap", width="100%", data_testid="calendar-dest",
    )


def _move_form() -> rx.Component:
    return rx.vstack(
        rx.text("Move to", size=st.size_sm, weight="medium"),
        rx.hstack(
            rx.input(type="datetime-local", value=S.move_when, on_change=S.set_move_when, size="2",
                     data_testid="calendar-move-when"),
            rx.button("Move", on_click=S.move_post(""), variant="soft", size="2", data_testid="calendar-move"),
            spacing=st.gap_sm, wrap="wrap", align="center",
        ),
        time_choices(S.time_choices, S.move_post, size="1", testid="calendar-time-choice"),
        spacing=st.gap_xs, width="100%",
    )


def post_dialog() -> rx.Component:
    return rx.fragment(
        rx.dialog.root(
            rx.dialog.content(
                rx.dialog.title(rx.hstack(rx.text("Post"), status_badge(S.d_status, testid="calendar-post-status"),
                                          align="center", spacing=st.gap_sm)),
                rx.dialog.description(S.d_when, size=st.size_sm, color=st.text_muted, data_testid="calendar-post-when"),
                rx.vstack(
                    rx.text(S.d_text, white_space="pre-wrap", word_break="break-word", size=st.size_md,
                            data_testid="calendar-post-text"),
                    rx.vstack(rx.foreach(S.d_dests, _destination), spacing=st.gap_sm, width="100%"),
                    rx.cond(S.d_movable & S.can_edit, _move_form()),
                    rx.cond(S.move_error != "", rx.callout(S.move_error, **st.callout_error, size="1",
                                                           data_testid="calendar-move-error")),
                    rx.flex(
                        rx.cond(S.d_movable & S.can_edit,
                                rx.link(rx.button(rx.icon("pencil", size=st.icon_xs), "Edit", variant="soft"),
                                        href="/composer?post=" + S.open_id.to_string(),
                                        data_testid="calendar-edit")),
                        rx.cond(S.d_cancellable & S.can_edit,
                                rx.button(rx.icon("x", size=st.icon_xs), "Cancel post", color_scheme="red",
                                          variant="soft", on_click=S.ask_cancel, data_testid="calendar-cancel")),
                        rx.spacer(),
                        rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray",
                                                  data_testid="calendar-close")),
                        gap=st.space_sm, wrap="wrap", width="100%", padding_top=st.space_sm,
                    ),
                    spacing=st.gap_md, width="100%", padding_top=st.space_md,
                ),
                max_width="min(520px, calc(100vw - 2em))",
                data_testid="calendar-post",
            ),
            open=S.open_id > 0,
            on_open_change=S.close_post,
        ),
        confirm_dialog("Cancel this post?",
                       rx.alert_dialog.description("It will not be published on any account it has not gone to yet."),
                       confirm="Cancel post", on_cancel=S.keep_post, on_confirm=S.cancel_post,
                       testid="confirm-cancel-post", open=S.confirm_cancel),
    )


def drafts_card() -> rx.Component:
    return rx.cond(
        S.drafts.length() > 0,
        rx.card(
            rx.vstack(
                rx.text("Drafts without a time", weight="bold"),
                rx.vstack(rx.foreach(S.drafts, chip), spacing="1", width="100%", max_width=st.form_max_width),
                spacing=st.gap_sm, width="100%",
            ),
            **st.card, data_testid="calendar-drafts",
        ),
    )


def _slot(s) -> rx.Component:
    return rx.hstack(
        rx.icon("clock", size=st.icon_xs, color=st.text_muted),
        rx.text(s.label, size=st.size_sm, data_testid="slot-label"),
        rx.spacer(),
        rx.cond(S.can_edit, rx.icon_button(rx.icon("trash-2", size=st.icon_xs), size="1", variant="ghost",
                                           color_scheme="gray", on_click=S.remove_slot(s.id),
                                           aria_label="Remove " + s.label, data_testid="slot-remove")),
        align="center", width="100%", padding_y="2px", border_bottom=st.divider, data_testid="slot",
    )


def slots_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text("Your posting times", weight="bold"),
            rx.text("The usual times you post; “Add to queue” in the composer picks the next free one.",
                    size=st.size_xs, color=st.text_muted),
            rx.cond(S.slots.length() > 0,
                    rx.vstack(rx.foreach(S.slots, _slot), spacing="0", width="100%"),
                    rx.text("No posting times yet.", size=st.size_sm, color=st.text_faint, data_testid="slots-empty")),
            rx.cond(S.can_edit, rx.hstack(
                rx.select.root(
                    rx.select.trigger(aria_label="Day of the week", data_testid="slot-day"),
                    rx.select.content(*[rx.select.item(c.label, value=c.value) for c in WEEKDAY_CHOICES]),
                    value=S.new_day, on_change=S.set_new_day, size="2",
                ),
                rx.input(type="time", value=S.new_time, on_change=S.set_new_time, size="2", aria_label="Time",
                         data_testid="slot-time"),
                rx.button(rx.icon("plus", size=st.icon_xs), "Add", on_click=S.add_slot, size="2",
                          data_testid="slot-add"),
                spacing=st.gap_sm, wrap="wrap", align="center",
            )),
            rx.cond(S.slot_error != "", rx.text(S.slot_error, size=st.size_sm, color=st.text_danger,
                                                data_testid="slot-error")),
            spacing=st.gap_sm, width="100%",
        ),
        **st.card, data_testid="slots-card",
    )


def _suggestion(s) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(s.label, size=st.size_sm, weight="medium", data_testid="suggestion-label"),
            rx.text(s.note, size=st.size_xs, color=st.text_muted),
            spacing="0", min_width="0",
        ),
        rx.spacer(),
        rx.cond(s.added,
                rx.badge("Added", **st.badge_muted),
                rx.cond(S.can_edit, rx.button("Add", size="1", variant="soft",
                                              on_click=S.add_suggestion(s.weekday, s.minute),
                                              data_testid="suggestion-add"))),
        align="center", width="100%", padding_y="2px", border_bottom=st.divider, data_testid="suggestion",
    )


def suggestions_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text("Suggested times", weight="bold"),
            rx.text("When your posts of the last 90 days did best, in your timezone (hours with at least three "
                    "posts).", size=st.size_xs, color=st.text_muted),
            rx.cond(S.suggestions.length() > 0,
                    rx.vstack(rx.foreach(S.suggestions, _suggestion), spacing="0", width="100%"),
                    rx.text(S.suggestion_reason, size=st.size_sm, color=st.text_faint,
                            data_testid="suggestions-reason")),
            spacing=st.gap_sm, width="100%",
        ),
        **st.card, data_testid="suggestions-card",
    )
