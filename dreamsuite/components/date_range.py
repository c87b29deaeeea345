"""A date-range picker: presets in a segmented control, and a custom from–to with Apply.

The component only draws; the state decides (it checks the dates and says what is wrong).
"""

from __future__ import annotations

import reflex as rx

from dreamsuite import styles as st


def _date_input(label: str, name: str, value, on_change, max_value, testid: str) -> rx.Component:
    return rx.el.label(
        rx.text(label, size=st.size_xs, color=st.text_muted),
        rx.input(type="date", name=name, value=value, on_change=on_change, max=max_value, size="2",
                 data_testid=testid, width="100%", aria_label=f"{label} date"),
        display="flex", flex_direction="column", gap=st.space_xs, flex="1 1 9em", min_width="0",
    )


def date_range_picker(*, presets: list[tuple[str, str]], preset, on_preset, start, end, on_start, on_end,
                      on_apply, today, error, busy, label) -> rx.Component:
    """`presets` = [(value, label)]; `preset` is the chosen value (or one outside the presets
    for a custom range); `start`/`end` the inputs' values (YYYY-MM-DD); `error` a message
    shown under the picker; `busy` shows a spinner while the charts reload."""
    return rx.vstack(
        rx.flex(
            rx.segmented_control.root(
                *[rx.segmented_control.item(text, value=value, data_testid=f"range-{value}")
                  for value, text in presets],
                value=preset, on_change=on_preset, size=rx.breakpoints(initial="1", sm="2"), data_testid="range-presets",
                flex_shrink="0", max_width="100%",
            ),
            rx.form(
                rx.flex(
                    _date_input("From", "from", start, on_start, today, "range-from"),
                    _date_input("To", "to", end, on_end, today, "range-to"),
                    rx.button("Apply", type="submit", variant="soft", size="2", data_testid="range-apply",
                              align_self="end"),
                    gap=st.space_sm, align="end", width="100%",
                ),
                on_submit=on_apply, reset_on_submit=False, no_validate=True, flex="1 1 20em", max_width="28em", min_width="0",
            ),
            rx.cond(busy, rx.spinner(size="2", data_testid="range-loading")),
            gap=st.space_md, wrap="wrap", align="end", width="100%",
        ),
        rx.cond(error != "", rx.callout(error, **st.callout_error, size="1", data_testid="range-error")),
        rx.text(label, size=st.size_sm, color=st.text_muted, data_testid="range-label"),
        spacing=st.gap_sm,
        width="100%",
    )
