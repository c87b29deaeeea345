"""Design tokens: the colours, spacing, radii, type sizes and chart defaults of every page.

Pages and components take these names, never a literal colour or size. Colour steps follow
the Radix scales the theme uses (1-2 backgrounds, 3-5 component backgrounds, 6-8 borders,
9-10 solid colours, 11 muted text, 12 strong text); through `rx.color` they follow light and
dark mode. Plotly draws charts itself and needs concrete colours, so the chart tokens below
are the same steps written out (light-mode values).

Platform colours are not repeated here: each platform adapter's `color` attribute is the only
copy, read through `platform_color`.
"""

from __future__ import annotations

import reflex as rx

from dreamsuite.platforms import UnknownPlatform, get_adapter

# ---------------------------------------------------------------- colour scales
# The theme's scales (rxconfig: accent_color="violet", gray_color="slate").
ACCENT = "violet"
GRAY = "gray"  # Radix Themes maps "gray" to the theme's gray (slate)


def accent(step: int) -> rx.Color:
    """A step of the accent scale (violet)."""
    return rx.color(ACCENT, step)


def gray(step: int) -> rx.Color:
    """A step of the gray scale (slate)."""
    return rx.color(GRAY, step)


def scale(name: str, step: int) -> rx.Color:
    """A step of a named Radix scale (a status's or a platform's colour name from this module)."""
    return rx.color(name, step)


# Meaning first: what a colour is for.
text_strong = gray(12)
text_muted = gray(11)  # secondary text: explanations, sub-lines
text_faint = gray(10)  # the least important text: timestamps, footnotes
text_accent = accent(11)  # progress notes
text_danger = rx.color("red", 11)  # an error next to what it concerns
icon_accent = accent(10)  # the icon beside a stat's label
icon_feature = accent(9)  # the big icon of an empty state
dot_unread = accent(9)
surface = gray(2)  # sidebar, top bar, drawer
surface_muted = gray(3)  # the assistant's chat bubbles
selected_bg = accent(4)  # the current page, the open conversation, the user's bubbles
hover_bg = accent(3)
divider = f"1px solid {gray(4)}"  # between items of one list
border = f"1px solid {gray(5)}"  # between regions (sidebar, top bar)
warning_bg = rx.color("amber", 3)
warning_border = f"1px solid {rx.color('amber', 7)}"
auth_background = f"linear-gradient(135deg, {accent(2)}, {rx.color('pink', 2)})"
shadow_float = "0 4px 16px rgba(0,0,0,0.12)"

# ---------------------------------------------------------------- spacing
# Radix's spacing steps, for `spacing=` and `gap=` of stacks and grids.
gap_xs = "1"
gap_sm = "2"
gap_md = "3"
gap_lg = "4"
gap_xl = "5"
# Padding and margins.
space_xs = "0.25em"
space_sm = "0.5em"
space_md = "0.75em"
space_lg = "1em"
space_xl = "1.25em"
space_2xl = "2em"
space_3xl = "3em"
page_padding = rx.breakpoints(initial=space_lg, md=space_2xl)

# ---------------------------------------------------------------- sizes
radius_sm = "6px"
radius_md = "8px"
radius_lg = "10px"
radius_xl = "12px"
radius_full = "50%"
dot_size = "8px"  # the unread dot
dot_offset = "0.4em"  # lines the dot up with the first line of text beside it
swatch_size = "12px"  # a platform's colour dot
level_badge_size = "44px"  # the level number's circle
side_width = "340px"  # the side column beside a page's list (lg and up)
sidebar_width = "240px"
drawer_width = "min(280px, 85vw)"
popover_width = "min(360px, calc(100vw - 2em))"
content_max_width = "1200px"
form_max_width = "520px"
auth_max_width = "420px"
prose_max_width = "460px"
banner_max_width = "min(560px, calc(100vw - 1.5em))"
banner_padding = f"0.6em {space_lg}"
bubble_padding = f"0.6em {space_lg}"  # a chat message
list_width = "220px"  # the conversation list beside the chat (md and up)
list_max_height = "8.5em"  # the same list above the chat on phones: about four conversations
logo_height = "28px"
logo_height_lg = "32px"

# ---------------------------------------------------------------- type scale
# Radix text sizes: 1 = 12px, 2 = 14px, 3 = 16px, 4 = 18px, 5 = 20px, 6 = 24px, 7 = 28px.
size_xs = "1"  # timestamps, notes
size_sm = "2"  # secondary text
size_md = "3"  # body
size_lg = "4"  # card titles
size_xl = "5"  # section headings
size_2xl = "6"  # auth headings
size_3xl = "7"  # page titles, stat values
# Icon sizes in px.
icon_xs = 14
icon_sm = 16
icon_md = 18
icon_lg = 20
icon_xl = 32
icon_2xl = 36
ellipsis = {"overflow": "hidden", "text_overflow": "ellipsis", "white_space": "nowrap", "max_width": "100%"}

# ---------------------------------------------------------------- card, badge, callout
card = {"width": "100%"}
narrow_card = {"width": "100%", "max_width": form_max_width}
badge = {"variant": "soft"}
badge_muted = {"variant": "outline", "color_scheme": "gray"}
# A status word and its badge colour (anything else is gray).
STATUS_COLORS = {
    "connected": "green", "active": "green", "published": "green", "success": "green",
    "scheduled": "blue", "pending": "blue", "publishing": "amber", "running": "amber",
    "syncing": "amber", "expiring": "amber", "unconfirmed": "orange",
    "failed": "red", "error": "red", "expired": "red", "revoked": "red",
    "partially_failed": "red", "cancelled": "gray", "coming_soon": "gray", "no_api": "gray",
    "not_connected": "gray", "available": "gray",
}
# Insights: a badge colour per type and per priority; goals: per verdict on the deadline.
INSIGHT_TYPE_COLORS = {"growth": "green", "content": "blue", "strategy": "violet", "trend": "cyan", "goal": "amber",
                       "promotion": "pink"}
PRIORITY_COLORS = {"urgent": "red", "high": "orange", "medium": "blue", "low": "gray"}
VERDICT_COLORS = {"likely": "green", "on_track": "green", "achieved": "green", "possible": "amber",
                  "unlikely": "red", "behind": "red", "passed": "red"}
callout_error = {"icon": "triangle-alert", "color_scheme": "red", "width": "100%"}
callout_ok = {"icon": "circle-check", "color_scheme": "green", "width": "100%"}
callout_info = {"icon": "info", "color_scheme": "gray", "width": "100%"}

# ---------------------------------------------------------------- charts
# The same scales as hex, for plotly (which cannot read CSS variables).
ACCENT_HEX = {1: "#fdfcfe", 2: "#faf8ff", 3: "#f4f0fe", 4: "#ebe4ff", 5: "#e1d9ff", 6: "#d4cafe",
              7: "#c2b5f5", 8: "#aa99ec", 9: "#6e56cf", 10: "#654dc4", 11: "#6550b9", 12: "#2f265f"}
GRAY_HEX = {1: "#fcfcfd", 2: "#f9f9fb", 3: "#f0f0f3", 4: "#e8e8ec", 5: "#e0e1e6", 6: "#d9d9e0",
            7: "#cdced6", 8: "#b9bbc6", 9: "#8b8d98", 10: "#80838d", 11: "#60646c", 12: "#1c2024"}
chart_font = ("-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', system-ui, "
              "sans-serif")
chart_text = GRAY_HEX[10]  # readable on light and dark backgrounds alike
chart_grid = "rgba(128,128,128,0.15)"
chart_grid_faint = "rgba(128,128,128,0.08)"
chart_primary = ACCENT_HEX[9]  # a single series (audience, content types, growth %)
chart_secondary = "#12a594"  # teal 9: the second series beside it (engagement rate)
chart_up = "#30a46c"  # green 9: a spike
chart_down = "#e5484d"  # red 9: a drop
chart_empty_cell = GRAY_HEX[4]  # a heatmap hour with no posts
chart_target = GRAY_HEX[11]  # a goal's target line
chart_deadline = GRAY_HEX[9]  # a goal's deadline line
chart_marker_edge = "#ffffff"
# a few creatives side by side (creative fatigue): red, orange, purple, blue, pink 9
chart_series = ["#e5484d", "#f76b15", "#8e4ec6", "#0090ff", "#d6409f"]
# Sequential scale for rates (heatmap): light to dark accent.
chart_scale = [[0.0, ACCENT_HEX[3]], [0.5, ACCENT_HEX[8]], [1.0, ACCENT_HEX[12]]]
thin_opacity = 0.45  # what too few posts to trust looks like
band_opacity = 0.15  # a forecast's uncertainty band
line_width = 2.5
chart_height = 360  # px, the main charts
chart_height_sm = 240  # px, the small ones (demographics)
chart_height_goal = 200  # px, a goal's chart beside its numbers
chart_font_size = 12
chart_ticks = 5  # at most this many ticks per axis: readable at 360 px
chart_config = {"displayModeBar": False, "responsive": True, "scrollZoom": False}


def chart_layout(height: int = chart_height, **overrides) -> dict:
    """Layout shared by every chart: transparent, the app's font, the legend below the plot,
    few ticks, no drag-to-zoom (a finger scrolling the page must not zoom the chart)."""
    axis = {"gridcolor": chart_grid, "zeroline": False, "nticks": chart_ticks, "automargin": True,
            "tickfont": {"size": 11}, "fixedrange": True}
    layout = {
        "height": height,
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"family": chart_font, "size": chart_font_size, "color": chart_text},
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.12, "yanchor": "top",
                   "font": {"size": 11}},
        "hoverlabel": {"font": {"family": chart_font, "size": 12}},
        "dragmode": False,
        "xaxis": {**axis, "gridcolor": chart_grid_faint},
        "yaxis": dict(axis),
    }
    for key, value in overrides.items():
        layout[key] = {**layout[key], **value} if isinstance(layout.get(key), dict) and isinstance(value, dict) \
            else value
    return layout


def platform_color(platform: str) -> str:
    """The platform's colour, as its adapter declares it (gray for a name we do not know)."""
    try:
        return get_adapter(platform).color
    except UnknownPlatform:
        return GRAY_HEX[9]


def rgba(hex_color: str, alpha: float) -> str:
    """`#RRGGBB` with an opacity, for fills (a forecast band in the platform's colour)."""
    h = hex_color.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"
