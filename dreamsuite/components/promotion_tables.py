"""Spend, revenue, ROAS, CPA and CTR per channel or creative: one row each, its figures wrapping
under the name on a phone instead of a table wider than the screen."""

from __future__ import annotations

import reflex as rx

from dreamsuite import styles as st


def _figure(label: str, value, testid: str) -> rx.Component:
    return rx.vstack(
        rx.text(label, size=st.size_xs, color=st.text_faint),
        rx.text(value, size=st.size_sm, weight="medium", white_space="nowrap", data_testid=testid),
        spacing="0", min_width="4.8em",
    )


def perf_row(r, testid: str) -> rx.Component:
    """`r` is a promotion_rows.PerfRow."""
    return rx.flex(
        rx.hstack(
            rx.box(width=st.swatch_size, height=st.swatch_size, border_radius=st.radius_full, background=r.color,
                   flex_shrink="0", margin_top=st.dot_offset),
            rx.vstack(
                rx.hstack(
                    rx.text(r.label, weight="medium", size=st.size_sm, overflow_wrap="anywhere",
                            data_testid="perf-name"),
                    rx.cond(r.tired, rx.badge("tiring", color_scheme="red", **st.badge, data_testid="perf-tired")),
                    align="center", spacing=st.gap_sm, wrap="wrap",
                ),
                rx.cond(r.sub != "", rx.text(r.sub, size=st.size_xs, color=st.text_muted, overflow_wrap="anywhere")),
                spacing="0", min_width="0",
            ),
            align="start", spacing=st.gap_sm, flex="1 1 14em", min_width="0",
        ),
        rx.flex(
            _figure("Spend", r.spend, "perf-spend"),
            _figure("Revenue", r.revenue, "perf-revenue"),
            _figure("ROAS", r.roas, "perf-roas"),
            _figure("CPA", r.cpa, "perf-cpa"),
            _figure("CTR", r.ctr, "perf-ctr"),
            _figure("Sales", r.conversions, "perf-conversions"),
            gap=st.space_sm, wrap="wrap", flex="2 1 24em", min_width="0",
        ),
        gap=st.space_md, wrap="wrap", width="100%", padding_y=st.space_sm, border_top=st.divider,
        data_testid=testid,
    )


def perf_list(items, testid: str, empty: str) -> rx.Component:
    return rx.cond(
        items.length() > 0,
        rx.vstack(rx.foreach(items, lambda r: perf_row(r, testid)), spacing="0", width="100%"),
        rx.text(empty, size=st.size_sm, color=st.text_muted),
    )
