"""How the post will look on each chosen platform: X's card (cut at 280 characters, up to four
pictures), Instagram's (the first picture, the caption folded after a line with "… more"), and a
plain card for the others. Text is shown as text, as the platforms show it."""

from __future__ import annotations

import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.media_library import media_visual
from dreamsuite.state.composer import ComposerState as S


def platform_mark(p, size: str = "1.5em") -> rx.Component:
    """The platform's colour with its initial: which card is which, at a glance."""
    return rx.center(rx.text(p.initial, size=st.size_xs, weight="bold", color="white"), width=size, height=size,
                     border_radius=st.radius_sm, background=p.color, flex_shrink="0")


def _avatar(p) -> rx.Component:
    return rx.center(rx.text(p.avatar, weight="bold", color=st.accent(11)), width="2.5em", height="2.5em",
                     border_radius=st.radius_full, background=st.accent(4), flex_shrink="0")


def _who(p) -> rx.Component:
    return rx.hstack(
        _avatar(p),
        rx.vstack(rx.text(p.name, weight="bold", size=st.size_sm, style=st.ellipsis),
                  rx.text(p.handle, size=st.size_xs, color=st.text_muted, style=st.ellipsis),
                  spacing="0", min_width="0"),
        align="center", spacing=st.gap_sm, min_width="0",
    )


def _text(p) -> rx.Component:
    return rx.text(
        p.text,
        rx.cond(p.more, rx.text.span(" more", color=st.text_muted)),
        size=st.size_sm, white_space="pre-wrap", word_break="break-word", data_testid="preview-text",
    )


def _media_grid(p) -> rx.Component:
    return rx.cond(
        p.media.length() > 0,
        rx.box(
            rx.grid(rx.foreach(p.media, lambda m: media_visual(m, height="7em")),
                    columns=rx.cond(p.media.length() > 1, "2", "1"), spacing=st.gap_xs, width="100%"),
            rx.cond(p.extra != "", rx.badge(p.extra, position="absolute", bottom=st.space_sm, right=st.space_sm)),
            position="relative", width="100%",
        ),
    )


def _x_body(p) -> rx.Component:
    return rx.vstack(_who(p), _text(p), _media_grid(p), spacing=st.gap_sm, width="100%")


def _instagram_body(p) -> rx.Component:
    picture = rx.cond(
        p.media.length() > 0,
        rx.box(
            rx.foreach(p.media, lambda m: media_visual(m, height="12em", natural=True)),
            rx.cond(p.carousel != "", rx.badge(p.carousel, variant="solid", color_scheme="gray", position="absolute",
                                               top=st.space_sm, right=st.space_sm)),
            position="relative", width="100%",
        ),
        rx.center(rx.text("Instagram needs a photo or a video", size=st.size_sm, color=st.text_muted),
                  width="100%", height="10em", border_radius=st.radius_md, background=st.gray(3)),
    )
    return rx.vstack(
        rx.hstack(_avatar(p), rx.text(p.handle, weight="bold", size=st.size_sm), align="center", spacing=st.gap_sm),
        picture,
        rx.hstack(*[rx.icon(i, size=st.icon_md) for i in ("heart", "message-circle", "send")], rx.spacer(),
                  rx.icon("bookmark", size=st.icon_md), width="100%", color=st.text_strong),
        rx.text(rx.text.strong(p.handle, " "), p.text, rx.cond(p.more, rx.text.span(" more", color=st.text_muted)),
                size=st.size_sm, white_space="pre-wrap", word_break="break-word", data_testid="preview-text"),
        spacing=st.gap_sm, width="100%",
    )


def preview_card(p) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(platform_mark(p), rx.text(p.label, size=st.size_xs, weight="medium", color=st.text_muted),
                      align="center", spacing=st.gap_sm),
            rx.match(p.layout, ("instagram", _instagram_body(p)), _x_body(p)),
            rx.cond(p.cut != "", rx.text(p.cut, size=st.size_xs, color=st.text_danger, data_testid="preview-cut")),
            rx.foreach(p.problems, lambda m: rx.text(m, size=st.size_xs, color=st.text_danger,
                                                     data_testid="preview-problem")),
            spacing=st.gap_sm, width="100%",
        ),
        width="100%",
        data_testid=f"preview-{p.platform}",
    )


def previews() -> rx.Component:
    return rx.vstack(
        rx.heading("Preview", size=st.size_lg),
        rx.cond(
            S.previews.length() > 0,
            rx.vstack(rx.foreach(S.previews, preview_card), spacing=st.gap_md, width="100%"),
            rx.text("Choose an account to see how the post will look there.", size=st.size_sm, color=st.text_muted,
                    data_testid="preview-empty"),
        ),
        spacing=st.gap_md, width="100%",
    )
