import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.cards import empty_state
from dreamsuite.components.confirm import confirm_dialog
from dreamsuite.components.layout import template
from dreamsuite.components.media_library import media_grid, media_tile, upload_zone
from dreamsuite.components.media_picker import errors_list
from dreamsuite.state.media import MediaState as S

UPLOAD_ID = "library_upload"


def _tile(m) -> rx.Component:
    return media_tile(
        m,
        rx.hstack(
            rx.cond(m.in_use > 0,
                    rx.badge(rx.icon("calendar-clock", size=12), "in ", m.in_use.to_string(),
                             rx.cond(m.in_use == 1, " post", " posts"), **st.badge, data_testid="media-in-use"),
                    rx.fragment()),
            rx.spacer(),
            rx.cond(S.can_edit,
                    rx.icon_button(rx.icon("trash-2", size=st.icon_xs), size="1", variant="ghost", color_scheme="red",
                                   aria_label="Delete", on_click=S.ask_delete(m.id, m.filename),
                                   data_testid="media-delete")),
            align="center", width="100%",
        ),
    )


def _confirm() -> rx.Component:
    return confirm_dialog(
        "Delete this file?",
        rx.alert_dialog.description(rx.text.strong(S.confirm_name), " leaves your library for good. Posts already "
                                    "published keep what they showed."),
        confirm="Delete", on_cancel=S.keep, on_confirm=S.delete, testid="media-delete-confirm", open=S.confirm_open,
    )


@template(route="/media", title="Media library", on_load=[S.load])
def media_library() -> rx.Component:
    return rx.vstack(
        _confirm(),
        rx.text("Upload photos, videos and sounds once and use them in any post. The same file uploaded twice is "
                "kept once; a file a draft or a scheduled post uses stays until that post is done.",
                color=st.text_muted),
        rx.cond(S.can_edit, upload_zone(UPLOAD_ID, S.handle_upload, S.uploading, "library-upload")),
        errors_list(S.upload_errors, "library-upload-error"),
        rx.cond(S.error != "", rx.callout(S.error, **st.callout_error, data_testid="library-error")),
        rx.cond(S.ok != "", rx.callout(S.ok, **st.callout_ok, data_testid="library-ok")),
        rx.cond(
            S.items.length() > 0,
            media_grid(S.items, _tile),
            rx.cond(S.loaded, empty_state("images", "No files yet", "What you upload here, or from the composer, "
                                          "shows up here.", testid="library-empty")),
        ),
        spacing=st.gap_lg,
        width="100%",
    )
