"""/inbox: every comment and reply from every platform in one list."""

import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.cards import dismissable_notice, empty_state
from dreamsuite.components.inbox_list import bulk_bar, comment_row, filter_bar, pager
from dreamsuite.components.layout import template
from dreamsuite.state.inbox import InboxState as S


def _notice() -> rx.Component:
    return dismissable_notice(S.notice, S.notice_error, S.dismiss_notice, "inbox-notice")


def _empty() -> rx.Component:
    return empty_state("message-circle", "No comments here",
                       "Comments on your posts arrive with each sync. If you filtered the list, "
                       "Clear shows them all again.", testid="inbox-empty")


@template(route="/inbox", title="Inbox", on_load=[S.load])
def inbox() -> rx.Component:
    return rx.vstack(
        _notice(),
        rx.hstack(
            rx.badge(S.unread, " unread", color_scheme=rx.cond(S.unread > 0, st.ACCENT, "gray"), **st.badge,
                     size="2", data_testid="inbox-unread-count"),
            align="center", width="100%",
        ),
        filter_bar(),
        rx.card(
            rx.vstack(
                bulk_bar(),
                rx.cond(
                    S.items.length() > 0,
                    rx.vstack(rx.foreach(S.items, comment_row), spacing="0", width="100%"),
                    rx.cond(S.loaded, _empty(), rx.center(rx.spinner(size="3"), width="100%", height="30vh")),
                ),
                pager(),
                spacing=st.gap_md, width="100%",
            ),
            **st.card,
        ),
        spacing=st.gap_lg,
        width="100%",
    )
