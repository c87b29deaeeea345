import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.cards import empty_state
from dreamsuite.components.charts import chart
from dreamsuite.components.confirm import confirm_dialog
from dreamsuite.components.layout import main_and_side, template
from dreamsuite.components.level import level_card
from dreamsuite.state.goals import FORM_ID
from dreamsuite.state.goals import GoalsState as S


def _field(label: str, control: rx.Component, note: str = "") -> rx.Component:
    return rx.vstack(
        rx.text(label, size=st.size_sm, weight="medium"),
        control,
        rx.text(note, size=st.size_xs, color=st.text_faint) if note else rx.fragment(),
        spacing=st.gap_xs,
        width="100%",
    )


def _verdict(g) -> rx.Component:
    return rx.cond(
        g.verdict != "",
        rx.badge(g.verdict_label, color_scheme=rx.match(g.verdict, *st.VERDICT_COLORS.items(), "gray"),
                 **st.badge, data_testid="goal-verdict"),
    )


def _edit_form(g) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            _field("Target", rx.input(value=S.edit_target, on_change=S.set_edit_target, input_mode="numeric",
                                      width="100%", data_testid="goal-edit-target")),
            _field("Deadline", rx.input(type="date", value=S.edit_deadline, on_change=S.set_edit_deadline,
                                        width="100%", data_testid="goal-edit-deadline")),
            spacing=st.gap_md, width="100%", wrap="wrap",
        ),
        rx.cond(S.edit_error != "", rx.callout(S.edit_error, **st.callout_error, size="1",
                                               data_testid="goal-edit-error")),
        rx.hstack(
            rx.button("Save", size="2", on_click=S.save_edit, data_testid="goal-edit-save"),
            rx.button("Cancel", size="2", variant="soft", color_scheme="gray", on_click=S.cancel_edit),
            spacing=st.gap_sm,
        ),
        spacing=st.gap_sm,
        width="100%",
        padding_top=st.space_sm,
        border_top=st.divider,
    )


def _controls(g) -> rx.Component:
    return rx.hstack(
        rx.button(rx.icon("pencil", size=st.icon_xs), "Edit", size="1", variant="soft",
                  on_click=S.start_edit(g.id), data_testid="goal-edit"),
        rx.button(rx.icon("archive", size=st.icon_xs), "Archive", size="1", variant="ghost", color_scheme="gray",
                  on_click=S.ask_archive(g.id, g.title), data_testid="goal-archive"),
        spacing=st.gap_md,
        align="center",
    )


def _goal(g) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.vstack(
                    rx.text(g.title, size=st.size_lg, weight="bold", word_break="break-word",
                            data_testid="goal-title"),
                    rx.text(g.where, size=st.size_xs, color=st.text_muted),
                    spacing="0",
                    min_width="0",
                ),
                rx.spacer(),
                rx.cond(g.achieved, rx.badge(rx.icon("trophy", size=st.icon_xs), "Achieved", color_scheme="green",
                                             variant="solid", data_testid="goal-achieved")),
                align="start",
                width="100%",
            ),
            rx.hstack(
                rx.text(g.current, size=st.size_xl, weight="bold", data_testid="goal-current"),
                rx.text("of ", g.target, color=st.text_muted, data_testid="goal-target-value"),
                rx.spacer(),
                rx.text(g.pct_label, size=st.size_sm, color=st.text_muted),
                align="baseline",
                width="100%",
            ),
            rx.progress(value=g.pct, max=100, width="100%", aria_label="Progress to the target",
                        data_testid="goal-progress"),
            rx.hstack(
                rx.cond(g.remaining != "", rx.text(g.remaining, size=st.size_sm, data_testid="goal-remaining")),
                rx.cond(g.deadline != "", rx.text(g.deadline, size=st.size_sm, color=st.text_muted,
                                                  data_testid="goal-deadline")),
                _verdict(g),
                spacing=st.gap_md, align="center", wrap="wrap",
            ),
            rx.cond(g.pace != "", rx.text(g.pace, size=st.size_sm, color=st.text_muted, data_testid="goal-pace")),
            rx.cond(g.projection != "", rx.hstack(
                rx.icon("calendar-range", size=st.icon_sm, color=st.icon_accent, flex_shrink="0"),
                rx.text(g.projection, size=st.size_sm, data_testid="goal-projection"),
                spacing=st.gap_sm, align="start")),
            rx.box(chart(g.figure, st.chart_height_goal), width="100%", data_testid="goal-chart"),
            rx.cond(S.can_edit, rx.cond(S.edit_id == g.id, _edit_form(g), _controls(g))),
            spacing=st.gap_sm,
            width="100%",
        ),
        **st.card,
        key=g.id,
        data_testid="goal-card",
    )


def _form() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text("New goal", size=st.size_lg, weight="bold"),
            _field("Platform", rx.select.root(
                rx.select.trigger(width="100%", data_testid="goal-platform"),
                rx.select.content(rx.foreach(S.platforms, lambda c: rx.select.item(c.label, value=c.value))),
                value=S.new_platform, on_change=S.set_new_platform,
            )),
            _field("Target followers", rx.input(value=S.new_target, on_change=S.set_new_target, placeholder="10,000",
                                                input_mode="numeric", width="100%", data_testid="goal-target")),
            _field("Deadline (optional)", rx.input(type="date", value=S.new_deadline, on_change=S.set_new_deadline,
                                                   width="100%", data_testid="goal-deadline-input")),
            rx.cond(S.form_error != "", rx.callout(S.form_error, **st.callout_error, data_testid="goal-form-error")),
            rx.cond(S.form_ok != "", rx.callout(S.form_ok, **st.callout_ok, data_testid="goal-form-ok")),
            rx.button(rx.icon("target", size=st.icon_sm), "Save goal", on_click=S.create, width="100%",
                      data_testid="goal-submit"),
            spacing=st.gap_md,
            width="100%",
        ),
        **st.card,
        id=FORM_ID,
        data_testid="goal-form",
    )


def _empty() -> rx.Component:
    suggestion = rx.cond(
        S.suggestion != "",
        rx.vstack(
            rx.text("A first one: ", rx.text.strong(S.suggestion), text_align="center", data_testid="goal-suggestion"),
            rx.text(S.suggestion_note, size=st.size_sm, color=st.text_muted, text_align="center"),
            rx.cond(S.can_edit, rx.button("Use this suggestion", variant="soft", on_click=S.use_suggestion,
                                          data_testid="goal-use-suggestion")),
            align="center",
            spacing=st.gap_sm,
        ),
        rx.text("Connect a platform first: ", rx.link("Connections", href="/connections"), size=st.size_sm),
    )
    return empty_state("target", "No goals yet", "A goal gives your numbers a direction, and the forecast tells "
                       "you when you are likely to get there.", action=suggestion, testid="goals-empty")


def _confirm() -> rx.Component:
    return confirm_dialog(
        "Archive this goal?",
        rx.alert_dialog.description(S.confirm_title, size=st.size_sm, weight="medium"),
        rx.text("It leaves this page; the XP it earned stays.", size=st.size_sm, color=st.text_muted,
                margin_top=st.space_sm),
        confirm="Archive", on_cancel=S.cancel_archive, on_confirm=S.archive, testid="confirm-archive",
        open=S.confirm_id > 0,
    )


@template(route="/goals", title="Goals", on_load=[S.load])
def goals() -> rx.Component:
    return rx.vstack(
        _confirm(),
        rx.cond(S.load_error != "", rx.callout(S.load_error, **st.callout_error)),
        main_and_side(
            rx.cond(
                S.cards.length() > 0,
                rx.vstack(rx.foreach(S.cards, _goal), spacing=st.gap_lg, width="100%"),
                rx.cond(S.loaded, _empty(), rx.center(rx.spinner(size="3"), width="100%", height="30vh")),
            ),
            level_card(),
            rx.cond(S.can_edit, _form()),
        ),
        spacing=st.gap_lg,
        width="100%",
    )
