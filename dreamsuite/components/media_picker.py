"""The composer's media: the files chosen for the post, what each chosen platform would refuse in
them (as soon as they are chosen), and the dialog that picks from the library or uploads into it."""

from __future__ import annotations

import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.media_library import media_grid, media_tile, media_visual, upload_zone
from dreamsuite.state.composer import ComposerState as S

UPLOAD_ID = "composer_upload"


def _chosen(m) -> rx.Component:
    return rx.box(
        media_visual(m, height="5.5em"),
        rx.text(m.filename, size=st.size_xs, style=st.ellipsis, title=m.filename, margin_top=st.space_xs),
        rx.icon_button(rx.icon("x", size=st.icon_xs), size="1", variant="solid", color_scheme="gray",
                       radius="full", position="absolute", top="-0.5em", right="-0.5em",
                       aria_label="Remove from the post", on_click=S.remove_media(m.id),
                       data_testid="composer-media-remove"),
        position="relative", width="6.5em", min_width="0", flex_shrink="0",
        data_testid="composer-media",
    )


def errors_list(messages, testid: str) -> rx.Component:
    """Messages next to the field they concern, one per line."""
    return rx.foreach(messages, lambda m: rx.text(m, size=st.size_sm, color=st.text_danger, data_testid=testid))


def chosen_media() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text("Photos, videos, sound", weight="medium", size=st.size_sm),
            rx.text("(optional for some platforms)", size=st.size_xs, color=st.text_faint),
            align="baseline", spacing=st.gap_sm, wrap="wrap",
        ),
        rx.hstack(
            rx.foreach(S.media, _chosen),
            rx.button(rx.icon("image-plus", size=st.icon_sm), "Add from the library or upload", variant="soft",
                      size="2", on_click=S.open_picker, data_testid="composer-media-add"),
            wrap="wrap", spacing=st.gap_md, align="center", width="100%", padding_top=st.space_xs,
        ),
        errors_list(S.media_problems, "composer-media-problem"),
        spacing=st.gap_xs, width="100%",
    )


def _library_tile(m) -> rx.Component:
    return media_tile(m, selected=S.chosen_ids.contains(m.id), on_click=S.toggle_media(m.id),
                      testid="picker-item")


def picker_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Media library"),
            rx.dialog.description("Choose what goes with this post, in the order it shows them, or upload new "
                                  "files: they join your library.", size=st.size_sm, color=st.text_muted),
            rx.vstack(
                upload_zone(UPLOAD_ID, S.handle_picker_upload, S.uploading, "picker-upload"),
                errors_list(S.picker_errors, "picker-error"),
                rx.cond(
                    S.library.length() > 0,
                    media_grid(S.library, _library_tile),
                    rx.text("Your library is empty: upload a first file above.", size=st.size_sm,
                            color=st.text_muted),
                ),
                rx.hstack(
                    rx.text(S.media.length().to_string(), " chosen", size=st.size_sm, color=st.text_muted),
                    rx.spacer(),
                    rx.dialog.close(rx.button("Done", size="3", data_testid="picker-done")),
                    align="center", width="100%",
                ),
                spacing=st.gap_md, width="100%", margin_top=st.space_md,
            ),
            max_width="min(860px, calc(100vw - 1.5em))",
            data_testid="picker-dialog",
        ),
        open=S.picker_open,
        on_open_change=S.set_picker_open,
    )
