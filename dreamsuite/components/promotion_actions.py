"""The brain's next actions, ranked: what to do, what it is worth a day, the numbers behind it,
and Accept / Dismiss for owners and editors (a viewer reads them, with the role note). Every word
from a platform or the brain is rendered as text."""

from __future__ import annotations

import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.role_note import role_note
from dreamsuite.state.promotion import PromotionState as S

VIEWER = ("You are a viewer of this workspace: you can read the brain's actions; its owner or an editor "
          "accepts or dismisses them.")
STATUS_COLORS = {"proposed": "violet", "accepted": "green", "dismissed": "gray", "expired": "gray"}


def _action(a) -> rx.Component:
    return rx.box(
        rx.vstack(
            rx.flex(
                rx.badge(a.status_label, color_scheme=rx.match(a.status, *STATUS_COLORS.items(), "gray"),
                         **st.badge, data_testid="action-status"),
                rx.text(a.title, weight="bold", size=st.size_md, data_testid="action-title"),
                rx.spacer(),
                rx.cond(a.impact != "", rx.text(a.impact, weight="bold", size=st.size_md, color=st.text_strong,
                                                white_space="nowrap", data_testid="action-impact")),
                gap=st.space_sm, align="center", wrap="wrap", width="100%",
            ),
            rx.text(a.sentence, size=st.size_sm, overflow_wrap="anywhere", data_testid="action-sentence"),
            rx.text(a.target, " · ", a.confidence, " confidence", size=st.size_xs, color=st.text_faint,
                    overflow_wrap="anywhere", data_testid="action-target"),
            rx.cond(
                a.evidence.length() > 0,
                rx.el.details(
                    rx.el.summary(rx.text("The numbers behind it", as_="span", size=st.size_xs, color=st.text_muted),
                                  cursor="pointer"),
                    rx.el.ul(rx.foreach(a.evidence, lambda e: rx.el.li(rx.text(e, size=st.size_xs,
                                                                                 overflow_wrap="anywhere"))),
                             padding_left=st.space_xl, margin="0", list_style_type="disc"),
                    data_testid="action-evidence",
                ),
            ),
            rx.cond(a.decided != "", rx.text(a.decided, size=st.size_xs, color=st.text_muted,
                                             data_testid="action-decided")),
            rx.cond(
                a.open & S.can_edit,
                rx.flex(
                    rx.button(rx.icon("check", size=st.icon_xs), "Accept", size="2", on_click=S.accept(a.id),
                              data_testid="action-accept"),
                    rx.button("Dismiss", size="2", variant="soft", color_scheme="gray", on_click=S.dismiss(a.id),
                              data_testid="action-dismiss"),
                    gap=st.space_sm, wrap="wrap",
                ),
            ),
            spacing=st.gap_sm, width="100%",
        ),
        padding_y=st.space_md, border_top=st.divider, width="100%", data_testid="action",
    )


def _rate(label: str, value, basis, testid: str) -> rx.Component:
    return rx.vstack(
        rx.text(label, size=st.size_xs, color=st.text_muted),
        rx.text(value, size=st.size_xl, weight="bold", data_testid=testid),
        rx.text(basis, size=st.size_xs, color=st.text_faint, overflow_wrap="anywhere"),
        spacing="0", flex="1 1 12em", min_width="0",
    )


def actions_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.text("Next actions", weight="bold", size=st.size_lg), rx.spacer(),
                      rx.text(S.run_note, size=st.size_xs, color=st.text_faint, data_testid="run-note"),
                      width="100%", align="center", wrap="wrap"),
            role_note(S.can_edit, VIEWER, testid="actions-role-note"),
            rx.cond(S.action_error != "", rx.callout(S.action_error, **st.callout_error, size="1",
                                                     data_testid="action-error")),
            rx.cond(
                S.has_run,
                rx.vstack(
                    rx.flex(_rate("Action adoption", S.adoption, S.adoption_basis, "hit-adoption"),
                            _rate("Prediction accuracy", S.accuracy, S.accuracy_basis, "hit-accuracy"),
                            gap=st.space_lg, wrap="wrap", width="100%", data_testid="hit-rate"),
                    rx.cond(S.actions.length() > 0,
                            rx.vstack(rx.foreach(S.actions, _action), spacing="0", width="100%",
                                      data_testid="actions"),
                            rx.text("Nothing to do for now: the brain found no tired creative, no better use of "
                                    "your budget and no unusual spend.", size=st.size_sm, color=st.text_muted,
                                    data_testid="actions-empty")),
                    rx.foreach(S.notes, lambda n: rx.text(n, size=st.size_xs, color=st.text_faint)),
                    spacing=st.gap_sm, width="100%",
                ),
                rx.text("The brain has not looked at your numbers yet: it runs after each day's collect, and its "
                        "actions appear here.", size=st.size_sm, color=st.text_muted, data_testid="no-run"),
            ),
            spacing=st.gap_sm, width="100%",
        ),
        **st.card,
        data_testid="actions-card",
    )
