"""A top post: its thumbnail (or a neutral placeholder), the platform, the caption as plain
text, when it went out, how it did, and a link to it on the platform (a new tab)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import FunctionStringVar

from dreamsuite import styles as st

# Phones: a small square beside the words; wider screens: a picture above them.
THUMB_WIDTH = rx.breakpoints(initial="88px", sm="100%")
THUMB_HEIGHT = rx.breakpoints(initial="88px", sm="160px")
# An image that fails to load (offline, expired CDN link) is hidden in the browser itself, so the
# placeholder under it shows instead of a broken-image icon.
HIDE_ON_ERROR = FunctionStringVar.create("((e) => { e.target.style.visibility = 'hidden'; })")
# Three lines of caption at most; the rest stays on the platform.
CLAMP = {"display": "-webkit-box", "-webkit-line-clamp": "3", "-webkit-box-orient": "vertical",
         "overflow": "hidden", "overflow_wrap": "anywhere"}


def _thumbnail(p) -> rx.Component:
    """The placeholder always sits underneath: an image that fails to load shows it through."""
    return rx.box(
        rx.center(rx.icon("image", size=st.icon_lg, color=st.text_faint), position="absolute", inset="0"),
        rx.cond(
            p.thumbnail != "",
            rx.image(src=p.thumbnail, alt="", loading="lazy", referrer_policy="no-referrer", position="absolute",
                     inset="0", width="100%", height="100%", object_fit="cover", data_testid="post-thumbnail",
                     custom_attrs={"onError": HIDE_ON_ERROR}),
        ),
        position="relative", width=THUMB_WIDTH, height=THUMB_HEIGHT, flex_shrink="0", overflow="hidden",
        border_radius=st.radius_md,
        background=st.surface_muted, data_testid="post-media",
    )


def post_card(p) -> rx.Component:
    return rx.card(
        rx.flex(
            _thumbnail(p),
            rx.vstack(
                rx.hstack(
                    rx.box(width=st.swatch_size, height=st.swatch_size, border_radius=st.radius_full,
                           background=p.color, flex_shrink="0"),
                    rx.text(p.label, size=st.size_sm, weight="medium"),
                    rx.badge(p.kind, **st.badge_muted),
                    align="center", spacing=st.gap_sm, wrap="wrap",
                ),
                rx.text(p.caption, size=st.size_sm, style=CLAMP, data_testid="post-caption"),
                rx.text(p.when, size=st.size_xs, color=st.text_faint),
                rx.hstack(
                    rx.text(p.interactions, size=st.size_sm, weight="bold"),
                    rx.cond(p.rate != "", rx.text(p.rate, size=st.size_xs, color=st.text_muted)),
                    align="baseline", spacing=st.gap_sm, wrap="wrap",
                ),
                rx.spacer(),
                rx.cond(
                    p.url != "",
                    rx.link(rx.hstack(rx.text("Open on " + p.label, size=st.size_sm),
                                      rx.icon("external-link", size=st.icon_xs), align="center", spacing=st.gap_xs),
                            href=p.url, target="_blank", rel="noopener noreferrer", data_testid="post-link"),
                ),
                spacing=st.gap_sm, min_width="0", flex="1", height="100%",
            ),
            direction=rx.breakpoints(initial="row", sm="column"),
            gap=st.space_md,
            height="100%",
            width="100%",
        ),
        **st.card,
        data_testid="post-card",
    )
