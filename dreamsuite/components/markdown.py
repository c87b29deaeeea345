"""Markdown for text that came from a platform or a person (chat answers quote captions).

Raw HTML is never rendered (Reflex turns rehype-raw on by default: an `<iframe srcdoc>` or
`<img onerror>` in a caption would run in our origin; without it react-markdown shows the
tags as text). Images become a plain "[image]" so a caption cannot make the browser fetch a
tracking pixel; links open outside the app (react-markdown already drops javascript: URLs);
math is off, so prices like "$5 … $10" stay prices.
"""

from __future__ import annotations

import reflex as rx


def _image(*children, **props) -> rx.Component:
    return rx.el.span("[image]")


def _link(*children, **props) -> rx.Component:
    return rx.link(*children, is_external=True, rel="noopener noreferrer nofollow")


def safe_markdown(content, **props) -> rx.Component:
    return rx.markdown(content, use_raw=False, use_math=False, use_katex=False,
                       component_map={"img": _image, "a": _link}, **props)
