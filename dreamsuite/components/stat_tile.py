"""A quick-stat tile: a label, a big value and a line that says what it is measured against.

Smaller than `cards.stat_card` on phones, so two fit side by side at 360 px."""

from __future__ import annotations

import reflex as rx

from dreamsuite import styles as st

VALUE_SIZE = rx.breakpoints(initial=st.size_xl, md=st.size_2xl)


def stat_tile(label: str, icon: str, *children: rx.Component, testid: str = "", **props) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon(icon, size=st.icon_sm, color=st.icon_accent, flex_shrink="0"),
                rx.text(label, size=st.size_sm, color=st.text_muted),
                align="center", spacing=st.gap_sm,
            ),
            *children,
            spacing=st.gap_xs,
            min_width="0",
        ),
        **st.card,
        **({"data_testid": testid} if testid else {}),
        **props,
    )


def stat_value(value, testid: str, **props) -> rx.Component:
    return rx.text(value, size=VALUE_SIZE, weight="bold", data_testid=testid, white_space="nowrap", **props)


def stat_note(text, **props) -> rx.Component:
    return rx.text(text, size=st.size_xs, color=st.text_muted, overflow_wrap="anywhere", **props)


def mini_stat(label: str, value, testid: str) -> rx.Component:
    """One of several small values in a tile (24 h, 7 d, 30 d)."""
    return rx.vstack(
        rx.text(label, size=st.size_xs, color=st.text_faint),
        rx.text(value, size=VALUE_SIZE, weight="bold", data_testid=testid, white_space="nowrap"),
        spacing="0", min_width="0",
    )
