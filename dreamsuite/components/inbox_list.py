"""The comments inbox's pieces: the filter bar, the bulk actions, one comment, the pager.

A comment's text, author and post caption come from the platform: they are shown as text,
never as HTML or markdown."""

from __future__ import annotations

import reflex as rx

from dreamsuite import styles as st
from dreamsuite.state.inbox import ANSWERED_CHOICES, HIDDEN_CHOICES, READ_CHOICES, SHOW_CHOICES, SORT_CHOICES
from dreamsuite.state.inbox import InboxState as S


def _select(choices, value, on_change, label: str, testid: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label=label, data_testid=testid),
        rx.select.content(*[rx.select.item(text, value=v) for v, text in choices]),
        value=value, on_change=on_change,
    )


def _var_select(choices, value, on_change, label: str, testid: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label=label, data_testid=testid, max_width="16em"),
        rx.select.content(rx.foreach(choices, lambda c: rx.select.item(c[1], value=c[0]))),
        value=value, on_change=on_change,
    )


def filter_bar() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.input(rx.input.slot(rx.icon("search", size=st.icon_sm)), placeholder="Search comments and authors",
                     value=S.search, on_change=S.set_search, debounce_timeout=400, max_length=200, flex="1",
                     min_width="12em", aria_label="Search", data_testid="inbox-search"),
            _select(SORT_CHOICES, S.sort, S.set_sort, "Sort", "inbox-sort"),
            spacing=st.gap_sm, width="100%", wrap="wrap",
        ),
        rx.hstack(
            _var_select(S.platform_choices, S.platform, S.set_platform, "Platform", "inbox-platform"),
            _var_select(S.post_choices, S.post, S.set_post, "Post", "inbox-post"),
            _select(READ_CHOICES, S.read, S.set_read, "Read or unread", "inbox-read"),
            _select(ANSWERED_CHOICES, S.answered, S.set_answered, "Answered or not", "inbox-answered"),
            _select(SHOW_CHOICES, S.show, S.set_show, "Inbox or archive", "inbox-show"),
            _select(HIDDEN_CHOICES, S.hidden, S.set_hidden, "Hidden or visible", "inbox-hidden"),
            rx.hstack(  # each end of the range keeps its label; on a phone "to" goes below "From"
                rx.hstack(rx.text("From", size=st.size_sm, color=st.text_muted),
                          rx.input(type="date", value=S.since, on_change=S.set_since, aria_label="From",
                                   data_testid="inbox-since"),
                          align="center", spacing=st.gap_xs),
                rx.hstack(rx.text("to", size=st.size_sm, color=st.text_muted),
                          rx.input(type="date", value=S.until, on_change=S.set_until, aria_label="To",
                                   data_testid="inbox-until"),
                          align="center", spacing=st.gap_xs),
                align="center", spacing=st.gap_xs, wrap="wrap",
            ),
            rx.button("Clear", variant="ghost", size="2", on_click=S.clear_filters, data_testid="inbox-clear"),
            spacing=st.gap_sm, width="100%", wrap="wrap", align="center",
        ),
        spacing=st.gap_sm, width="100%",
    )


def bulk_bar() -> rx.Component:
    return rx.hstack(
        rx.cond(S.can_edit, rx.checkbox(checked=S.all_selected, on_change=S.toggle_all,
                                        aria_label="Select every comment on this page",
                                        data_testid="inbox-select-all")),
        rx.text(S.range_text, size=st.size_sm, color=st.text_muted, data_testid="inbox-range"),
        rx.spacer(),
        rx.cond(
            S.can_edit & (S.selected_count > 0),
            rx.hstack(
                rx.text(S.selected_count, " selected", size=st.size_sm),
                rx.button(rx.icon("check-check", size=st.icon_sm), "Mark read", size="2", variant="soft",
                          on_click=S.mark_selected_read, data_testid="inbox-mark-read"),
                rx.button("Mark unread", size="2", variant="soft", color_scheme="gray",
                          on_click=S.mark_selected_unread, data_testid="inbox-mark-unread"),
                rx.cond(
                    S.show == "archive",
                    rx.button(rx.icon("inbox", size=st.icon_sm), "Back to inbox", size="2", variant="soft",
                              on_click=S.unarchive_selected, data_testid="inbox-unarchive"),
                    rx.button(rx.icon("archive", size=st.icon_sm), "Archive", size="2", variant="soft",
                              on_click=S.archive_selected, data_testid="inbox-archive"),
                ),
                spacing=st.gap_sm, align="center", wrap="wrap",
            ),
        ),
        align="center", spacing=st.gap_md, width="100%", wrap="wrap",
    )


def comment_row(c) -> rx.Component:
    return rx.hstack(
        rx.cond(S.can_edit, rx.checkbox(checked=S.selected.contains(c.id), on_change=lambda v: S.toggle(c.id, v),
                                        aria_label="Select this comment", data_testid="inbox-check")),
        rx.vstack(
            rx.hstack(
                rx.cond(~c.is_read, rx.box(width=st.dot_size, height=st.dot_size, border_radius=st.radius_full,
                                           background=st.dot_unread, flex_shrink="0", data_testid="inbox-unread")),
                rx.text(c.author, weight="bold", size=st.size_sm, word_break="break-word"),
                rx.badge(c.platform_label, **st.badge, data_testid="inbox-platform-badge"),
                rx.cond(c.is_reply, rx.badge("Reply", **st.badge_muted)),
                rx.cond(c.replied, rx.badge("Answered", color_scheme="green", variant="soft")),
                rx.cond(c.hidden, rx.badge("Hidden", **st.badge_muted)),
                rx.cond(c.archived, rx.badge("Archived", **st.badge_muted)),
                rx.spacer(),
                rx.text(c.when, size=st.size_xs, color=st.text_faint, white_space="nowrap",
                        data_testid="inbox-when"),
                align="center", spacing=st.gap_sm, wrap="wrap", width="100%",
            ),
            rx.text(c.text, size=st.size_md, white_space="pre-wrap", word_break="break-word",
                    # A long comment is cut to six lines until asked for whole.
                    style=rx.cond(c.is_long & ~S.expanded.contains(c.id),
                                  {"display": "-webkit-box", "-webkit-line-clamp": "6", "-webkit-box-orient": "vertical",
                                   "overflow": "hidden"}, {}),
                    data_testid="inbox-text"),
            rx.cond(c.is_long,
                    rx.button(rx.cond(S.expanded.contains(c.id), "Show less", "Show more"), size="1",
                              variant="ghost", on_click=S.toggle_expanded(c.id), data_testid="inbox-more")),
            rx.hstack(
                rx.icon("heart", size=st.icon_xs, color=st.text_faint),
                rx.text(c.likes, size=st.size_xs, color=st.text_faint),
                rx.text("on", size=st.size_xs, color=st.text_faint),
                rx.cond(c.post_url != "",
                        rx.link(c.post_caption, href=c.post_url, is_external=True, size=st.size_xs,
                                word_break="break-word", data_testid="inbox-post-link"),
                        rx.text(c.post_caption, size=st.size_xs, color=st.text_muted, word_break="break-word")),
                rx.spacer(),
                rx.cond(S.can_edit & c.can_reply & (S.replying_to != c.id),
                        rx.button(rx.icon("reply", size=st.icon_xs), "Reply", size="1", variant="ghost",
                                  on_click=S.open_reply(c.id), data_testid="inbox-reply-open")),
                rx.cond(S.can_edit & c.can_hide & ~c.hide_pending,
                        rx.cond(c.hidden,
                                rx.button(rx.icon("eye", size=st.icon_xs), "Unhide", size="1", variant="ghost",
                                          title=c.hide_limits, on_click=S.unhide_comment(c.id),
                                          data_testid="inbox-unhide"),
                                rx.button(rx.icon("eye-off", size=st.icon_xs), "Hide", size="1", variant="ghost",
                                          title=c.hide_limits, on_click=S.hide_comment(c.id),
                                          data_testid="inbox-hide"))),
                rx.cond(S.can_edit & ~c.is_read,
                        rx.button("Mark read", size="1", variant="ghost", on_click=S.mark_one_read(c.id),
                                  data_testid="inbox-mark-one")),
                align="center", spacing=st.gap_xs, wrap="wrap", width="100%",
            ),
            _reply(c),
            spacing=st.gap_xs, width="100%",
        ),
        align="start", spacing=st.gap_md, width="100%", padding_y=st.space_md, border_bottom=st.divider,
        key=c.id, data_testid="inbox-comment",
    )


def _reply(c) -> rx.Component:
    return rx.fragment(
        rx.cond(c.reply_status != "",
                rx.text(c.reply_status, size=st.size_xs, color=rx.cond(c.reply_error, st.text_danger, st.text_muted),
                        data_testid="inbox-reply-status")),
        rx.cond(c.hide_status != "",
                rx.text(c.hide_status, size=st.size_xs, color=rx.cond(c.hide_error, st.text_danger, st.text_muted),
                        data_testid="inbox-hide-status")),
        rx.cond(S.can_edit & ~c.can_reply,
                rx.text(c.no_reply, size=st.size_xs, color=st.text_faint, data_testid="inbox-no-reply"),
                rx.cond(S.can_edit & ~c.can_hide,
                        rx.text(c.no_hide, size=st.size_xs, color=st.text_faint, data_testid="inbox-no-hide"))),
        rx.cond(
            S.replying_to == c.id,
            rx.vstack(
                rx.text_area(value=S.reply_text, on_change=S.set_reply_text, placeholder="Your reply",
                             max_length=2000, width="100%", aria_label="Your reply",
                             data_testid="inbox-reply-text"),
                rx.hstack(
                    rx.button("Send reply", size="2", on_click=S.send_reply, disabled=S.reply_text.strip() == "",
                              data_testid="inbox-reply-send"),
                    rx.button("Cancel", size="2", variant="soft", color_scheme="gray", on_click=S.cancel_reply),
                    spacing=st.gap_sm,
                ),
                spacing=st.gap_sm, width="100%",
            ),
        ),
    )


def pager() -> rx.Component:
    return rx.cond(
        S.pages > 1,
        rx.hstack(
            rx.button(rx.icon("chevron-left", size=st.icon_sm), "Newer", size="2", variant="soft",
                      disabled=S.page <= 1, on_click=S.go_to_page(S.page - 1), data_testid="inbox-prev"),
            rx.text("Page ", S.page, " of ", S.pages, size=st.size_sm, color=st.text_muted,
                    data_testid="inbox-page"),
            rx.button("Older", rx.icon("chevron-right", size=st.icon_sm), size="2", variant="soft",
                      disabled=S.page >= S.pages, on_click=S.go_to_page(S.page + 1), data_testid="inbox-next"),
            align="center", justify="center", spacing=st.gap_md, width="100%",
        ),
    )
