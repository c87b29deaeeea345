"""Stat cards and status badges."""

from __future__ import annotations

import reflex as rx

from dreamsuite import styles as st


def status_badge(status, testid: str = "status-badge", label=None, **props) -> rx.Component:
    return rx.badge(
        label if label is not None else status.to(str).replace("_", " "),
        color_scheme=rx.match(status, *[(k, v) for k, v in st.STATUS_COLORS.items()], "gray"),
        **st.badge,
        data_testid=testid,
        **props,
    )


def stat_card(label: str, value, icon: str, testid: str, sub=None) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon(icon, size=st.icon_md, color=st.icon_accent),
                rx.text(label, size=st.size_sm, color=st.text_muted),
                align="center",
                spacing=st.gap_sm,
            ),
            rx.text(value, size=st.size_3xl, weight="bold", data_testid=testid),
            rx.text(sub, size=st.size_sm, color=st.text_muted) if sub is not None else rx.fragment(),
            spacing=st.gap_sm,
        ),
        **st.card,
    )


def empty_state(icon: str, title: str, message: str, action: rx.Component | None = None,
                testid: str = "empty-state") -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.icon(icon, size=st.icon_2xl, color=st.icon_feature),
            rx.heading(title, size=st.size_xl),
            rx.text(message, color=st.text_muted, text_align="center", max_width=st.prose_max_width),
            action or rx.fragment(),
            align="center",
            spacing=st.gap_md,
            padding=st.space_2xl,
        ),
        **st.card,
        data_testid=testid,
    )


def dismissable_notice(text, error, on_dismiss, testid: str) -> rx.Component:
    """The outcome of the last action (green, or red when `error`), with a cross to close it;
    nothing while `text` is empty."""
    return rx.cond(
        text != "",
        rx.callout(
            rx.hstack(
                rx.text(text, data_testid=f"{testid}-text"),
                rx.spacer(),
                rx.icon("x", size=st.icon_sm, cursor="pointer", on_click=on_dismiss, flex_shrink="0"),
                width="100%",
            ),
            icon=rx.cond(error, "triangle-alert", "circle-check"),
            color_scheme=rx.cond(error, "red", "green"),
            width="100%",
            data_testid=testid,
        ),
    )
