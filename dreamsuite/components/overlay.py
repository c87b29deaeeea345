"""What the page shows while its connection to the server is down: words, not a socket error."""

from __future__ import annotations

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors

from dreamsuite import styles as st


def reconnecting_banner() -> rx.Component:
    return rx.cond(
        has_connection_errors,
        rx.box(
            rx.hstack(
                rx.spinner(size="2"),
                rx.text("Reconnecting… Dream Suite lost its connection for a moment; your work is kept and "
                        "the page catches up on its own.", size=st.size_sm),
                align="center",
                spacing=st.gap_md,
            ),
            position="fixed",
            top=st.space_md,
            left="50%",
            transform="translateX(-50%)",
            z_index="1000",
            # Its own width (not the half-screen that `left: 50%` leaves it), up to the screen's.
            width="max-content",
            max_width=st.banner_max_width,
            padding=st.banner_padding,
            border_radius=st.radius_lg,
            background=st.warning_bg,
            border=st.warning_border,
            box_shadow=st.shadow_float,
            role="status",
            data_testid="reconnecting",
        ),
    )

