"""The media library's pieces, shared by its page and the composer's picker: a file as a tile (its
picture, or a film or sound mark with the duration; its name and what it is, "JPEG · 1080×1350 ·
240 KB"), the grid of tiles, and the zone files are dropped on to upload them."""

from __future__ import annotations

import reflex as rx

from dreamsuite import styles as st
from dreamsuite.state.media import ACCEPT, MAX_FILES


def kind_icon(kind, size: int) -> rx.Component:
    return rx.match(kind, ("video", rx.icon("film", size=size, color=st.icon_feature)),
                    ("audio", rx.icon("audio-lines", size=size, color=st.icon_feature)),
                    rx.icon("image", size=size, color=st.icon_feature))


def media_visual(m, height: str = "8em", natural: bool = False) -> rx.Component:
    """The picture of a file (cropped to `height`, or in its own shape when `natural`), or for a
    video or a sound a mark with its length."""
    shape = {"height": "auto"} if natural else {"height": height, "object_fit": "cover"}
    return rx.cond(
        m.thumb != "",
        rx.image(src=m.thumb, alt=m.filename, width="100%", border_radius=st.radius_md, background=st.gray(3),
                 loading="lazy", **shape),
        rx.center(
            rx.vstack(
                kind_icon(m.kind, st.icon_xl),
                rx.text(m.duration, size=st.size_sm, weight="medium", color=st.text_muted),
                align="center", spacing=st.gap_xs,
            ),
            width="100%", height=height, border_radius=st.radius_md, background=st.accent(3),
        ),
    )


def media_caption(m) -> rx.Component:
    return rx.vstack(
        rx.text(m.filename, size=st.size_sm, weight="medium", title=m.filename, style=st.ellipsis,
                data_testid="media-name"),
        rx.text(m.summary, size=st.size_xs, color=st.text_muted, data_testid="media-summary"),
        spacing="0", width="100%", min_width="0",
    )


def media_tile(m, *actions: rx.Component, selected=False, on_click=None, testid: str = "media-tile") -> rx.Component:
    """A tile; `actions` go under the caption; `on_click` makes the whole tile a toggle (the picker)."""
    return rx.card(
        rx.vstack(
            rx.box(
                media_visual(m),
                rx.cond(selected, rx.center(rx.icon("check", size=st.icon_md, color="white"), position="absolute",
                                            top=st.space_sm, right=st.space_sm, width="1.75em", height="1.75em",
                                            border_radius=st.radius_full, background=st.accent(9))),
                position="relative", width="100%",
            ),
            media_caption(m),
            *actions,
            spacing=st.gap_sm, width="100%",
        ),
        width="100%", min_width="0",
        cursor="pointer" if on_click is not None else "default",
        outline=rx.cond(selected, f"2px solid {st.accent(9)}", "none"),
        data_testid=testid,
        **({"on_click": on_click} if on_click is not None else {}),
    )


def media_grid(items, tile) -> rx.Component:
    return rx.grid(rx.foreach(items, tile), columns=rx.breakpoints(initial="2", sm="3", lg="4"), spacing=st.gap_md,
                   width="100%")


def upload_zone(upload_id: str, on_drop, busy, testid: str) -> rx.Component:
    """Drop files here or click to choose them; `on_drop` is the state's upload handler."""
    return rx.upload(
        rx.vstack(
            rx.cond(busy, rx.spinner(size="3"), rx.icon("upload", size=st.icon_xl, color=st.icon_feature)),
            rx.text("Drop photos, videos or sounds here, or click to choose them", size=st.size_sm, weight="medium",
                    text_align="center"),
            rx.text("JPEG, PNG, WebP, GIF · MP4, MOV · MP3, M4A, WAV — up to 10 files at once", size=st.size_xs,
                    color=st.text_muted, text_align="center"),
            align="center", spacing=st.gap_xs, padding=st.space_lg,
        ),
        id=upload_id,
        accept=ACCEPT,
        multiple=True,
        max_files=MAX_FILES,
        on_drop=on_drop(rx.upload_files(upload_id=upload_id)),
        border=f"2px dashed {st.gray(7)}",
        border_radius=st.radius_lg,
        padding=st.space_sm,  # not the upload's own 5em
        width="100%",
        cursor="pointer",
        _hover={"background": st.hover_bg},
        data_testid=testid,
    )
