import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components import composer_form as form
from dreamsuite.components.cards import empty_state, status_badge
from dreamsuite.components.composer_preview import previews
from dreamsuite.components.layout import main_and_side, template
from dreamsuite.components.media_picker import chosen_media, picker_dialog
from dreamsuite.components.role_note import role_note
from dreamsuite.state.composer import ComposerState as S


def _header() -> rx.Component:
    return rx.hstack(
        rx.heading(S.heading, size=st.size_lg, data_testid="composer-heading"),
        rx.spacer(),
        rx.cond(S.editing_id > 0, rx.button(rx.icon("plus", size=st.icon_sm), "New post", size="2", variant="soft",
                                            on_click=S.new_post, data_testid="composer-new")),
        align="center", width="100%",
    )


def _form() -> rx.Component:
    return rx.card(
        rx.vstack(
            _header(),
            form.accounts(),
            form.generate(),
            form.text(),
            form.variants(),
            chosen_media(),
            form.first_comment(),
            form.when(),
            form.actions(),
            spacing=st.gap_lg,
            width="100%",
        ),
        width="100%",
    )


STEP_COLORS = {"ok": st.scale("green", 11), "wait": st.scale("amber", 11), "warn": st.scale("orange", 11),
               "bad": st.scale("red", 11)}


def _step(step) -> rx.Component:
    """One step of a destination's history: its time (the post's timezone), what happened, the words."""
    return rx.el.li(
        rx.text(step.when, size=st.size_xs, color=st.text_faint, white_space="nowrap",
                font_variant_numeric="tabular-nums", data_testid="history-time"),
        rx.text(step.label, size=st.size_xs, weight="medium", white_space="nowrap",
                color=rx.match(step.tone, *STEP_COLORS.items(), st.text_strong), data_testid="history-status"),
        rx.cond(step.link != "",
                rx.link(step.link, href=step.link, is_external=True, size=st.size_xs, word_break="break-all"),
                rx.cond(step.message != "", rx.text(step.message, size=st.size_xs, color=st.text_muted,
                                                    word_break="break-word", data_testid="history-message"))),
        display="flex", flex_wrap="wrap", column_gap=st.space_sm, row_gap="0", align_items="baseline",
        data_testid="history-step",
    )


def _history(d) -> rx.Component:
    """The destination's steps, folded under "History". Open or not is kept by destination in the
    state, so a live reload that adds a post above does not move an open history to another post."""
    return rx.cond(
        d.history.length() > 0,
        rx.el.details(
            rx.el.summary(rx.text("History (", d.history.length().to_string(), ")", as_="span", size=st.size_xs,
                                  color=st.text_muted),
                          on_click=[rx.prevent_default, S.toggle_history(d.id)],
                          cursor="pointer", width="fit-content", data_testid="history-toggle"),
            rx.el.ol(rx.foreach(d.history, _step), list_style="none", margin="0",
                     padding=f"{st.space_xs} 0 0 {st.space_md}", border_left=f"2px solid {st.gray(5)}",
                     display="flex", flex_direction="column", gap=st.space_xs),
            open=S.open_histories.contains(d.id), width="100%", data_testid="destination-history",
        ),
    )


def _destination(d) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(d.account, size=st.size_sm),
            status_badge(d.status, testid="post-status", label=d.label),
            rx.cond(d.url != "", rx.link("view", href=d.url, is_external=True, size=st.size_xs)),
            rx.cond(d.check_url != "", rx.link("check on the platform", href=d.check_url, is_external=True,
                                               size=st.size_xs, data_testid="check-on-platform")),
            rx.cond(d.error != "", rx.text(d.error, size=st.size_xs, color=st.text_danger,
                                           word_break="break-word")),
            rx.cond(d.comment_trouble != "", rx.text(d.comment_trouble, size=st.size_xs, color=st.text_danger,
                                                     data_testid="comment-trouble")),
            align="center", spacing=st.gap_sm, wrap="wrap",
        ),
        _history(d),
        spacing=st.gap_xs, width="100%", data_testid="post-destination",
    )


def _post(p) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("clock", size=st.icon_xs),
                rx.text(p.when, size=st.size_sm, weight="medium", data_testid="post-when"),
                rx.cond(p.media_count > 0, rx.badge(rx.icon("image", size=12), p.media_count, **st.badge_muted)),
                rx.spacer(),
                rx.cond(p.editable & S.can_edit, rx.link(rx.button("Edit", size="1", variant="soft"),
                                            href="/composer?post=" + p.id.to_string(), data_testid="post-edit")),
                rx.cond(p.cancellable & S.can_edit, rx.button("Cancel", size="1", variant="ghost", color_scheme="red",
                                                 on_click=S.cancel(p.id))),
                align="center", width="100%", spacing=st.gap_sm,
            ),
            rx.text(p.content, white_space="pre-wrap", word_break="break-word", size=st.size_md,
                    data_testid="post-content"),
            rx.vstack(rx.foreach(p.destinations, _destination), spacing=st.gap_sm, width="100%"),
            spacing=st.gap_sm, width="100%",
        ),
        width="100%",
        data_testid="post-card",
    )


@template(route="/composer", title="Composer", on_load=[S.load])
def composer() -> rx.Component:
    return rx.vstack(
        picker_dialog(),
        role_note(S.can_edit),
        rx.cond(S.can_edit, main_and_side(_form(), previews())),
        rx.heading("Scheduled posts and drafts", size=st.size_xl, padding_top=st.space_sm),
        rx.cond(
            S.posts.length() > 0,
            rx.vstack(rx.foreach(S.posts, _post), spacing=st.gap_md, width="100%"),
            empty_state("calendar", "Nothing scheduled", "Posts you schedule appear here with their status "
                        "on each platform.", testid="posts-empty"),
        ),
        spacing=st.gap_lg,
        width="100%",
    )
