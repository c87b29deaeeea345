"""A time that happens twice (the clocks go back): one button per reading, so the artist picks
the one they mean. The composer schedules with it; the calendar moves a post with it."""

from __future__ import annotations

import reflex as rx

from dreamsuite import styles as st


def time_choices(choices, pick, *, size: str, testid: str) -> rx.Component:
    """`choices`: the state's list of {label, fold}; `pick(fold)`: the event that goes on."""
    return rx.cond(choices.length() > 0,
                   rx.hstack(rx.foreach(choices, lambda c: rx.button(c.label, on_click=pick(c.fold), variant="outline",
                                                                      size=size, data_testid=testid)),
                             wrap="wrap", spacing=st.gap_sm))
