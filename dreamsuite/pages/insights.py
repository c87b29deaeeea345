import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.cards import dismissable_notice, empty_state
from dreamsuite.components.layout import main_and_side, template
from dreamsuite.components.level import level_card
from dreamsuite.state.insights import TYPE_CHOICES
from dreamsuite.state.insights import InsightsState as S


def _notice() -> rx.Component:
    return dismissable_notice(S.notice, S.notice_error, S.dismiss_notice, "insights-notice")


def _toolbar() -> rx.Component:
    return rx.hstack(
        rx.badge(S.new_count, " new", color_scheme=rx.cond(S.new_count > 0, st.ACCENT, "gray"), **st.badge,
                 size="2", data_testid="insights-new-count"),
        rx.select.root(
            rx.select.trigger(data_testid="insights-filter", aria_label="Type of insight"),
            rx.select.content(*[rx.select.item(label, value=value) for value, label in TYPE_CHOICES]),
            value=S.filter_type, on_change=S.set_filter,
        ),
        rx.el.label(
            rx.hstack(rx.switch(checked=S.show_dismissed, on_change=S.set_show_dismissed,
                                data_testid="show-dismissed"),
                      rx.text("Show dismissed", size=st.size_sm), spacing=st.gap_sm, align="center"),
        ),
        rx.spacer(),
        rx.button(rx.icon("check-check", size=st.icon_sm), "Mark all read", size="2", variant="soft",
                  disabled=S.new_count == 0, on_click=S.mark_all_read, data_testid="insights-mark-all-read"),
        align="center",
        spacing=st.gap_md,
        wrap="wrap",
        width="100%",
    )


def _actions(i) -> rx.Component:
    return rx.cond(
        i.actions.length() > 0,
        rx.vstack(
            rx.text("What to do", size=st.size_sm, weight="bold"),
            rx.el.ul(rx.foreach(i.actions, lambda a: rx.el.li(rx.text(a, size=st.size_sm, word_break="break-word"))),
                     padding_left=st.space_xl, margin="0", list_style_type="disc"),
            spacing=st.gap_xs,
            width="100%",
            data_testid="insight-actions",
        ),
    )


def _basis(i) -> rx.Component:
    return rx.cond(
        (i.basis.length() > 0) | (i.sources != ""),
        rx.el.details(
            rx.el.summary(rx.text("What this is based on", as_="span", size=st.size_sm, color=st.text_accent),
                          cursor="pointer", data_testid="insight-basis-toggle"),
            rx.vstack(
                rx.foreach(i.basis, lambda b: rx.text(b, size=st.size_xs, color=st.text_muted,
                                                      word_break="break-word")),
                rx.cond(i.sources != "", rx.text(i.sources, size=st.size_xs, color=st.text_faint)),
                spacing=st.gap_xs,
                padding_top=st.space_sm,
                width="100%",
            ),
            width="100%",
            data_testid="insight-basis",
        ),
    )


def _buttons(i) -> rx.Component:
    return rx.cond(
        ~i.dismissed,
        rx.hstack(
            rx.cond(S.can_edit, rx.button(rx.icon("check", size=st.icon_xs), "I did this", size="2",
                                          on_click=S.act_on(i.id), data_testid="insight-act")),
            rx.button("Dismiss", size="2", variant="soft", color_scheme="gray", on_click=S.dismiss(i.id),
                      data_testid="insight-dismiss"),
            spacing=st.gap_sm,
            wrap="wrap",
        ),
    )


def _insight(i) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.badge(i.type_label, color_scheme=rx.match(i.type, *st.INSIGHT_TYPE_COLORS.items(), "gray"),
                         **st.badge, data_testid="insight-type"),
                rx.badge(i.priority_label, color_scheme=rx.match(i.priority, *st.PRIORITY_COLORS.items(), "gray"),
                         variant=rx.cond(i.priority == "urgent", "solid", "soft"), data_testid="insight-priority"),
                rx.cond(i.new, rx.badge("New", color_scheme=st.ACCENT, variant="outline", data_testid="insight-new")),
                rx.cond(i.dismissed, rx.badge(rx.cond(i.acted_on, "Done", "Dismissed"), **st.badge_muted,
                                              data_testid="insight-dismissed")),
                rx.spacer(),
                rx.text(i.when, size=st.size_xs, color=st.text_faint, white_space="nowrap"),
                align="center",
                spacing=st.gap_sm,
                wrap="wrap",
                width="100%",
            ),
            rx.text(i.title, size=st.size_lg, weight="bold", word_break="break-word", data_testid="insight-title"),
            # Plain text, whatever wrote it: never rendered as HTML.
            rx.text(i.message, size=st.size_md, white_space="pre-wrap", word_break="break-word",
                    data_testid="insight-message"),
            _actions(i),
            _basis(i),
            _buttons(i),
            spacing=st.gap_sm,
            width="100%",
        ),
        **st.card,
        opacity=rx.cond(i.dismissed, "0.7", "1"),
        key=i.id,  # a card's open "based on" stays with its insight when the list changes
        data_testid="insight-card",
    )


def _empty() -> rx.Component:
    return rx.cond(
        S.filter_type == "all",
        empty_state("lightbulb", "No insights right now", "Insights appear after each sync, when your numbers "
                    "show something worth acting on: a new high, a change of pace, what works best.",
                    testid="insights-empty"),
        empty_state("lightbulb", "None of this type", "No current insight of this type. Choose “All types” to "
                    "see the others.", testid="insights-empty"),
    )


@template(route="/insights", title="Insights", on_load=[S.load])
def insights() -> rx.Component:
    return rx.vstack(
        _notice(),
        main_and_side(
            rx.vstack(
                _toolbar(),
                rx.cond(
                    S.items.length() > 0,
                    rx.vstack(rx.foreach(S.items, _insight), spacing=st.gap_md, width="100%"),
                    rx.cond(S.loaded, _empty(), rx.center(rx.spinner(size="3"), width="100%", height="30vh")),
                ),
                spacing=st.gap_md,
                width="100%",
            ),
            level_card(),
        ),
        spacing=st.gap_lg,
        width="100%",
    )
