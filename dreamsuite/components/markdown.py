"""Markdown for text that came from a platform or a person (chat answers quote captions).

Raw HTML is never rendered (Reflex turns rehype-raw on by default: an `<iframe srcdoc>` or
`<img onerror>` in a caption would run in our origin; without it react-markdown shows the
tags as text). Images become a plain "[image]" so a caption cannot make the browser fetch a
tracking pixel; links open outside the app (react-markdown already drops javascript: URLs);
math is off, so prices like "$5 … $10" stay prices. GFM is on (Reflex's default): answers
rank posts and compare platforms in small tables, which scroll sideways on a narrow screen
rather than widen the page.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars.base import Var

from dreamsuite import styles as st


def _image(*children, **props) -> rx.Component:
    return rx.el.span("[image]")


def _link(*children, **props) -> rx.Component:
    return rx.link(*children, is_external=True, rel="noopener noreferrer nofollow")


TABLE_STYLE = {
    "overflow_x": "auto", "max_width": "100%", "margin": "0.5em 0",
    "& table": {"border_collapse": "collapse", "font_size": "var(--font-size-1)", "line_height": "1.4",
                "font_variant_numeric": "tabular-nums"},
    # Numbers, dates and names stay on one line (the bubble's break-anywhere does not apply); only a
    # long text such as a caption wraps, at its spaces, and no narrower than 12em.
    "& th, & td": {"border": f"1px solid {st.gray(6)}", "padding": "0.3em 0.6em", "vertical_align": "top",
                   "white_space": "nowrap", "word_break": "normal", "overflow_wrap": "normal"},
    "& td.long-text": {"white_space": "normal", "min_width": "12em"},
    "& th": {"background": st.gray(4), "font_weight": "600", "text_align": "left"},
}
# A cell's class, in the browser: "long-text" when its plain text is longer than a short name or number.
_LONG_TEXT = Var(_js_expr="([].concat(children).filter(c => typeof c === 'string').join('').length > 24 "
                          "? 'long-text' : '')", _var_type=str)


def _table(*children, **props) -> rx.Component:
    return rx.box(rx.el.table(*children), style=TABLE_STYLE, data_testid="markdown-table")


def _cell(*children, **props) -> rx.Component:
    return rx.el.td(*children, class_name=_LONG_TEXT)


def safe_markdown(content, **props) -> rx.Component:
    return rx.markdown(content, use_raw=False, use_math=False, use_katex=False, use_gfm=True,
                       component_map={"img": _image, "a": _link, "table": _table, "td": _cell}, **props)
