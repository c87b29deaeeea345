"""The "are you sure?" dialog before an action that removes something."""

from __future__ import annotations

import reflex as rx

from dreamsuite import styles as st


def confirm_dialog(title, *body: rx.Component, confirm: str, on_cancel, on_confirm, testid: str,
                   open) -> rx.Component:
    """An "are you sure?" dialog for an action that removes something: "Keep it", or the red
    `confirm` button (`testid` on it)."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            *body,
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Keep it", variant="soft", color_scheme="gray", on_click=on_cancel)),
                rx.alert_dialog.action(rx.button(confirm, color_scheme="red", on_click=on_confirm,
                                                 data_testid=testid)),
                justify="end", spacing=st.gap_md, margin_top=st.space_lg,
            ),
        ),
        open=open,
    )
