"""What the page shows while its connection to the server is down: words, not a socket error."""

from __future__ import annotations

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors


def reconnecting_banner() -> rx.Component:
    return rx.cond(
        has_connection_errors,
        rx.box(
            rx.hstack(
                rx.spinner(size="2"),
                rx.text("Reconnecting… Dream Suite lost its connection for a moment; your work is kept and "
                        "the page catches up on its own.", size="2"),
                align="center",
                spacing="3",
            ),
            position="fixed",
            top="0.75em",
            left="50%",
            transform="translateX(-50%)",
            z_index="1000",
            # Its own width (not the half-screen that `left: 50%` leaves it), up to the screen's.
            width="max-content",
            max_width="min(560px, calc(100vw - 1.5em))",
            padding="0.6em 1em",
            border_radius="10px",
            background=rx.color("amber", 3),
            border=f"1px solid {rx.color('amber', 7)}",
            box_shadow="0 4px 16px rgba(0,0,0,0.12)",
            role="status",
            data_testid="reconnecting",
        ),
    )
