"""The level card: level number and name, the XP bar into the next level, recent XP events."""

from __future__ import annotations

import reflex as rx

from dreamsuite import styles as st
from dreamsuite.state.level import LevelState as L


def _event(e) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(e.label, size=st.size_sm, weight="medium"),
            rx.cond(e.detail != "", rx.text(e.detail, size=st.size_xs, color=st.text_muted, word_break="break-word")),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        rx.text(e.points, size=st.size_sm, color=st.text_accent, weight="bold", white_space="nowrap"),
        align="start",
        width="100%",
        data_testid="xp-event",
    )


def level_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.center(
                    rx.text(L.level, size=st.size_xl, weight="bold", color=st.text_accent),
                    width=st.level_badge_size, height=st.level_badge_size, min_width=st.level_badge_size,
                    border_radius=st.radius_full, background=st.selected_bg,
                ),
                rx.vstack(
                    rx.text("Level ", L.level, size=st.size_lg, weight="bold", data_testid="level-number"),
                    rx.text(L.level_name, size=st.size_sm, color=st.text_muted, data_testid="level-name"),
                    spacing="0",
                    min_width="0",
                ),
                rx.spacer(),
                rx.text(L.xp_total, " XP", size=st.size_sm, weight="medium", white_space="nowrap",
                        data_testid="xp-total"),
                align="center",
                width="100%",
            ),
            rx.progress(value=L.xp_pct, max=100, width="100%", aria_label="XP into the next level",
                        data_testid="xp-bar"),
            rx.text(L.xp_progress, " · ", L.xp_to_next, size=st.size_xs,
                    color=st.text_muted, data_testid="xp-next"),
            rx.cond(
                L.xp_events.length() > 0,
                rx.vstack(
                    rx.text("Recent XP", size=st.size_xs, color=st.text_faint, weight="medium"),
                    rx.foreach(L.xp_events, _event),
                    spacing=st.gap_sm,
                    width="100%",
                    padding_top=st.space_sm,
                    border_top=st.divider,
                ),
                rx.text("Earn XP by connecting platforms, posting on a streak, acting on insights and reaching "
                        "goals.", size=st.size_xs, color=st.text_muted),
            ),
            spacing=st.gap_md,
            width="100%",
        ),
        **st.card,
        data_testid="level-card",
    )
