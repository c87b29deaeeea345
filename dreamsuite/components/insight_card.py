"""One insight: its priority, what was found, what to do about it, and read / dismiss / "I did this".

Titles, messages and actions are shown as plain text (never markdown or HTML).
"""

from __future__ import annotations

from typing import Callable

import reflex as rx

from dreamsuite import styles as st


def insight_card(i, *, on_read: Callable, on_dismiss: Callable, on_act: Callable, can_act) -> rx.Component:
    """`i` has id, priority, priority_color, type, title, message, actions, unread, when; the
    handlers are called with the insight's id; `can_act` hides "I did this" from viewers."""
    return rx.box(
        rx.vstack(
            rx.hstack(
                rx.cond(i.unread, rx.box(width=st.dot_size, height=st.dot_size, border_radius=st.radius_full,
                                         background=st.dot_unread, flex_shrink="0", aria_label="unread")),
                rx.badge(i.priority, color_scheme=i.priority_color, **st.badge, data_testid="insight-priority"),
                rx.text(i.type, size=st.size_xs, color=st.text_faint),
                rx.spacer(),
                rx.text(i.when, size=st.size_xs, color=st.text_faint),
                align="center", spacing=st.gap_sm, width="100%",
            ),
            rx.text(i.title, weight=rx.cond(i.unread, "bold", "medium"), size=st.size_md,
                    overflow_wrap="anywhere", data_testid="insight-title"),
            rx.text(i.message, size=st.size_sm, color=st.text_muted, overflow_wrap="anywhere"),
            rx.cond(
                i.actions.length() > 0,
                rx.el.ul(
                    rx.foreach(i.actions, lambda a: rx.el.li(rx.text(a, size=st.size_sm, overflow_wrap="anywhere"))),
                    padding_left=st.space_xl, margin="0", list_style_type="disc",
                ),
            ),
            rx.flex(
                rx.cond(can_act, rx.button(rx.icon("check", size=st.icon_xs), "I did this", size="1",
                                           on_click=on_act(i.id), data_testid="insight-act")),
                rx.button("Dismiss", size="1", variant="soft", color_scheme="gray", on_click=on_dismiss(i.id),
                          data_testid="insight-dismiss"),
                rx.cond(i.unread, rx.button("Mark read", size="1", variant="ghost", on_click=on_read(i.id),
                                            data_testid="insight-read")),
                gap=st.space_sm, wrap="wrap", align="center",
            ),
            spacing=st.gap_sm,
            width="100%",
        ),
        padding_y=st.space_md,
        border_top=st.divider,
        width="100%",
        data_testid="insight",
    )
