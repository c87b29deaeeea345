"""The calendar's grids: a month of days or a week of hours, each post a chip coloured by its
status with its platforms' marks and its local time; chips drag onto another day or hour.

Drag and drop: Reflex 0.10 declares no HTML drag events on its elements, so `Draggable` (a div)
declares them. What must happen in the browser itself (allowing the drop, the highlight under
the pointer, the data Firefox needs to start a drag) is a small JS function on the element, with
no round trip; the backend hears two events: which post a drag started with, and where it was
dropped.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import FunctionStringVar
from reflex.event import EventHandler, no_args_event_spec

from dreamsuite import styles as st
from dreamsuite.state.calendar import CalendarState as S

# The drag events (and a key press), declared on a div: React gets them as onDragStart, onDrop...
class Draggable(rx.el.Div):
    on_drag_start: EventHandler[no_args_event_spec]
    on_drag_end: EventHandler[no_args_event_spec]
    on_drag_enter: EventHandler[no_args_event_spec]
    on_drag_over: EventHandler[no_args_event_spec]
    on_drag_leave: EventHandler[no_args_event_spec]
    on_drop: EventHandler[no_args_event_spec]
    on_key_down: EventHandler[no_args_event_spec]


_js = FunctionStringVar.create
DRAG_START = _js("((e) => { e.dataTransfer.effectAllowed = 'move'; "
                 "e.dataTransfer.setData('text/plain', e.currentTarget.dataset.postId || ''); })")
ALLOW_DROP = _js("((e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; "
                 "e.currentTarget.dataset.over = 'true'; })")
LEAVE = _js("((e) => { if (!e.currentTarget.contains(e.relatedTarget)) delete e.currentTarget.dataset.over; })")
DROPPED = _js("((e) => { e.preventDefault(); delete e.currentTarget.dataset.over; })")
# Enter or Space on a focused chip opens it, as a click does.
KEY_OPEN = _js("((e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); e.currentTarget.click(); } })")

STATUS_COLORS = {**st.STATUS_COLORS, "draft": "gray"}
CELL_HEIGHT = rx.breakpoints(initial="64px", md="112px")
HOUR_HEIGHT = "40px"
HOURS_COLUMNS = rx.breakpoints(initial="26px repeat(7, minmax(0, 1fr))", md="52px repeat(7, minmax(0, 1fr))")
DOT_SIZE = "14px"
# Phones: a month's day is about 40 px wide, room for "18:00" in small type and nothing else.
CHIP_PADDING = rx.breakpoints(initial="0 2px", md="1px 4px")
CHIP_EDGE = rx.breakpoints(initial="2px", md="3px")
CHIP_TIME_SIZE = rx.breakpoints(initial="10px", md="12px")
DROP_OVER = {"&[data-over='true']": {"background": st.accent(4), "outline": f"2px dashed {st.accent(8)}",
                                     "outline_offset": "-2px"}}
WIDE_ONLY = rx.breakpoints(initial="none", md="flex")


def _scheme(status, step: int):
    return rx.match(status, *[(k, st.scale(v, step)) for k, v in STATUS_COLORS.items()], st.gray(step))


def _dot(d) -> rx.Component:
    return rx.center(
        rx.text(d.letter, size="1", weight="bold", line_height="1", font_size="9px"),
        width=DOT_SIZE, height=DOT_SIZE, min_width=DOT_SIZE, border_radius=st.radius_full, background=d.color,
        color="white", title=d.label, aria_label=d.label, data_testid="chip-platform",
    )


def chip(c) -> rx.Component:
    movable = c.movable & S.can_edit
    return Draggable.create(
        rx.text(c.time, size="1", weight="bold", flex_shrink="0", font_size=CHIP_TIME_SIZE, data_testid="chip-time"),
        rx.hstack(rx.foreach(c.dots, _dot), spacing="1", flex_shrink="0", display=WIDE_ONLY),
        rx.text(c.text, size="1", style=st.ellipsis, min_width="0", display=rx.breakpoints(initial="none", md="block"),
                data_testid="chip-text"),
        draggable=movable,
        on_drag_start=[DRAG_START, S.drag_start(c.id)],
        on_click=S.open_post(c.id),
        on_key_down=KEY_OPEN,
        title=c.title,
        role="button",
        tab_index=0,
        aria_label=c.title,
        custom_attrs={"data-post-id": c.id, "data-status": c.status},
        data_testid="calendar-chip",
        style={
            "display": "flex", "align_items": "center", "gap": "4px", "width": "100%", "min_width": "0",
            "padding": CHIP_PADDING, "border_radius": st.radius_sm, "overflow": "hidden",
            "background": _scheme(c.status, 3), "color": st.text_strong,
            "border_left_width": CHIP_EDGE, "border_left_style": rx.cond(c.status == "draft", "dashed", "solid"),
            "border_left_color": _scheme(c.status, 9),
            "cursor": rx.cond(movable, "grab", "pointer"),
            "_hover": {"background": _scheme(c.status, 4)},
            "_focus_visible": {"outline": f"2px solid {st.accent(8)}"},
        },
    )


def _drop_zone(*children, on_drop, testid: str, attrs: dict, style: dict) -> rx.Component:
    return Draggable.create(
        *children,
        on_drag_enter=ALLOW_DROP, on_drag_over=ALLOW_DROP, on_drag_leave=LEAVE, on_drop=[DROPPED, on_drop],
        custom_attrs=attrs, data_testid=testid,
        style={"min_width": "0", "border_right": st.divider, "border_bottom": st.divider, **DROP_OVER, **style},
    )


def _weekday_heads() -> rx.Component:
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    return rx.grid(*[rx.text(n, size="1", color=st.text_muted, weight="medium", text_align="center",
                             padding_y="4px") for n in names],
                   columns="7", width="100%", border_bottom=st.divider)


def _month_day(d) -> rx.Component:
    return _drop_zone(
        rx.hstack(
            rx.text(d.number, size="1", weight=rx.cond(d.today, "bold", "regular"),
                    color=rx.cond(d.today, "white", rx.cond(d.in_month, st.text_strong, st.text_faint)),
                    background=rx.cond(d.today, st.accent(9), "transparent"), border_radius=st.radius_full,
                    min_width="20px", height="20px", text_align="center", line_height="20px"),
            justify="start", width="100%",
        ),
        rx.vstack(rx.foreach(d.chips, chip), spacing="1", width="100%", min_width="0"),
        rx.cond(d.more != "", rx.link(d.more, size="1", on_click=S.open_day(d.iso), cursor="pointer",
                                      data_testid="calendar-more")),
        on_drop=S.drop_day(d.iso), testid="calendar-day", attrs={"data-date": d.iso},
        style={"display": "flex", "flex_direction": "column", "gap": "2px", "padding": "3px",
               "min_height": CELL_HEIGHT,
               "background": rx.cond(d.in_month, rx.cond(d.past, st.gray(2), "transparent"), st.gray(3))},
    )


def month_grid() -> rx.Component:
    return rx.box(
        _weekday_heads(),
        rx.grid(rx.foreach(S.days, _month_day), columns="7", width="100%"),
        width="100%", border=st.border, border_radius=st.radius_md, overflow="hidden",
        data_testid="calendar-month",
    )


def _week_head(d) -> rx.Component:
    return rx.vstack(
        rx.text(d.weekday, size="1", color=st.text_muted),
        rx.text(d.number, size="2", weight="bold", color=rx.cond(d.today, st.text_accent, st.text_strong)),
        spacing="0", align="center", padding_y="4px", min_width="0",
        background=rx.cond(d.today, st.accent(3), "transparent"),
        data_testid="calendar-week-day",
    )


def _hour_cell(c) -> rx.Component:
    return _drop_zone(
        rx.vstack(rx.foreach(c.chips, chip), spacing="1", width="100%", min_width="0"),
        on_drop=S.drop_hour(c.iso, c.hour), testid="calendar-hour", attrs={"data-date": c.iso, "data-hour": c.hour},
        style={"padding": "2px", "min_height": HOUR_HEIGHT, "background": rx.cond(c.past, st.gray(2), "transparent")},
    )


def _hour_row(r) -> rx.Component:
    return rx.grid(
        rx.box(
            rx.text(r.label, size="1", color=st.text_faint, display=rx.breakpoints(initial="none", md="block")),
            rx.text(r.short, size="1", color=st.text_faint, display=rx.breakpoints(initial="block", md="none")),
            padding="2px", border_right=st.divider, border_bottom=st.divider, white_space="nowrap",
        ),
        rx.foreach(r.cells, _hour_cell),
        grid_template_columns=HOURS_COLUMNS,
        width="100%",
    )


def week_grid() -> rx.Component:
    return rx.box(
        rx.grid(rx.box(border_right=st.divider), rx.foreach(S.heads, _week_head),
                grid_template_columns=HOURS_COLUMNS,
                width="100%", border_bottom=st.divider),
        rx.foreach(S.hours, _hour_row),
        width="100%", border=st.border, border_radius=st.radius_md, overflow="hidden",
        data_testid="calendar-week",
    )
