import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components import composer_form as form
from dreamsuite.components.cards import empty_state, status_badge
from dreamsuite.components.composer_preview import previews
from dreamsuite.components.layout import main_and_side, template
from dreamsuite.components.media_picker import chosen_media, picker_dialog
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


def _destination(d) -> rx.Component:
    return rx.hstack(
        rx.text(d.account, size=st.size_sm),
        status_badge(d.status, testid="post-status", label=d.label),
        rx.cond(d.url != "", rx.link("view", href=d.url, is_external=True, size=st.size_xs)),
        rx.cond(d.check_url != "", rx.link("check on the platform", href=d.check_url, is_external=True,
                                           size=st.size_xs, data_testid="check-on-platform")),
        rx.cond(d.error != "", rx.text(d.error, size=st.size_xs, color=st.text_danger,
                                       word_break="break-word")),
        align="center", spacing=st.gap_sm, wrap="wrap",
    )


def _post(p) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("clock", size=st.icon_xs),
                rx.text(p.when, size=st.size_sm, weight="medium", data_testid="post-when"),
                rx.cond(p.media_count > 0, rx.badge(rx.icon("image", size=12), p.media_count, **st.badge_muted)),
                rx.spacer(),
                rx.cond(p.editable, rx.link(rx.button("Edit", size="1", variant="soft"),
                                            href="/composer?post=" + p.id.to_string(), data_testid="post-edit")),
                rx.cond(p.cancellable, rx.button("Cancel", size="1", variant="ghost", color_scheme="red",
                                                 on_click=S.cancel(p.id))),
                align="center", width="100%", spacing=st.gap_sm,
            ),
            rx.text(p.content, white_space="pre-wrap", word_break="break-word", size=st.size_md,
                    data_testid="post-content"),
            rx.hstack(rx.foreach(p.destinations, _destination), wrap="wrap", spacing=st.gap_lg),
            spacing=st.gap_sm, width="100%",
        ),
        width="100%",
        data_testid="post-card",
    )


@template(route="/composer", title="Composer", on_load=[S.load])
def composer() -> rx.Component:
    return rx.vstack(
        picker_dialog(),
        main_and_side(_form(), previews()),
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
