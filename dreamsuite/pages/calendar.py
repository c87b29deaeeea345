import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.calendar_grid import STATUS_COLORS, month_grid, week_grid
from dreamsuite.components.calendar_panels import drafts_card, post_dialog, slots_card, suggestions_card
from dreamsuite.components.layout import template
from dreamsuite.components.post_import import import_export_card
from dreamsuite.components.role_note import role_note
from dreamsuite.state.calendar import CalendarState as S
from dreamsuite.state.calendar_view import STATUS_CHOICES


def _select(value, on_change, items, label: str, testid: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label=label, data_testid=testid),
        rx.select.content(rx.foreach(items, lambda c: rx.select.item(c.label, value=c.value))),
        value=value, on_change=on_change, size="2",
    )


def _toolbar() -> rx.Component:
    return rx.flex(
        rx.hstack(
            rx.icon_button(rx.icon("chevron-left", size=st.icon_sm), on_click=S.step(-1), variant="soft",
                           color_scheme="gray", aria_label="Previous", data_testid="calendar-prev"),
            rx.button("Today", on_click=S.today, variant="soft", color_scheme="gray", data_testid="calendar-today"),
            rx.icon_button(rx.icon("chevron-right", size=st.icon_sm), on_click=S.step(1), variant="soft",
                           color_scheme="gray", aria_label="Next", data_testid="calendar-next"),
            rx.heading(S.title, size=st.size_lg, white_space="nowrap", data_testid="calendar-title"),
            # A week across two months ("30 Nov – 6 Dec 2026") is too wide beside the buttons on a phone.
            align="center", spacing=st.gap_sm, flex_wrap="wrap",
        ),
        rx.spacer(display=rx.breakpoints(initial="none", md="block")),
        rx.hstack(
            rx.segmented_control.root(
                rx.segmented_control.item("Month", value="month", data_testid="calendar-view-month"),
                rx.segmented_control.item("Week", value="week", data_testid="calendar-view-week"),
                value=S.view, on_change=S.show, size="2",
            ),
            _select(S.platform, S.set_platform, S.platforms, "Platform", "calendar-platform"),
            _select(S.status, S.set_status, STATUS_CHOICES, "Status", "calendar-status"),
            align="center", spacing=st.gap_sm, wrap="wrap",
        ),
        align="center", gap=st.space_md, wrap="wrap", width="100%",
    )


def _key(status: str, label: str) -> rx.Component:
    color = STATUS_COLORS.get(status, "gray")
    return rx.hstack(
        rx.box(width="16px", height="10px", border_radius="2px", background=st.scale(color, 4),
               border_left=f"3px {'dashed' if status == 'draft' else 'solid'} {st.scale(color, 9)}"),
        rx.text(label, size=st.size_xs, color=st.text_muted),
        spacing="1", align="center",
    )


def _legend() -> rx.Component:
    return rx.flex(
        rx.text("Times in ", rx.text.strong(S.timezone), ", your workspace's timezone.",
                size=st.size_xs, color=st.text_muted, data_testid="calendar-timezone"),
        rx.hstack(*[_key(k, v) for k, v in [("scheduled", "Scheduled"), ("draft", "Draft"), ("published", "Published"),
                                           ("failed", "Failed"), ("unconfirmed", "Unconfirmed")]],
                  spacing=st.gap_md, wrap="wrap", data_testid="calendar-legend"),
        rx.cond(S.can_edit,
                rx.text("Drag a post to another day or hour to move it; click it to see, edit or cancel it.",
                        size=st.size_xs, color=st.text_faint, display=rx.breakpoints(initial="none", md="block"))),
        gap=st.space_md, wrap="wrap", width="100%",
    )


def _notice() -> rx.Component:
    return rx.cond(
        S.notice != "",
        rx.cond(S.notice_error,
                rx.callout(S.notice, **st.callout_error, size="1", data_testid="calendar-notice"),
                rx.callout(S.notice, **st.callout_ok, size="1", data_testid="calendar-notice")),
    )


@template(route="/calendar", title="Calendar", on_load=[S.load])
def calendar() -> rx.Component:
    return rx.vstack(
        _toolbar(),
        _legend(),
        _notice(),
        role_note(S.can_edit),  # a viewer finds no drag, posting times or import: say why
        rx.cond(S.load_error != "", rx.callout(S.load_error, **st.callout_error, data_testid="calendar-error")),
        rx.cond(
            S.loaded,
            rx.cond(S.view == "week", week_grid(), month_grid()),
            rx.center(rx.spinner(size="3"), height="40vh"),
        ),
        drafts_card(),
        rx.grid(slots_card(), suggestions_card(), columns=rx.breakpoints(initial="1", lg="2"), gap=st.space_xl,
                width="100%"),
        import_export_card(),
        post_dialog(),
        spacing=st.gap_lg,
        width="100%",
    )
