"""/platforms/<name>: one platform's own numbers, posts and audience."""

import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.cards import empty_state, status_badge
from dreamsuite.components.charts import chart, chart_card
from dreamsuite.components.export_menu import NOOPENER, export_menu
from dreamsuite.components.layout import template
from dreamsuite.state.platform import PlatformState as S

RANGE_CHOICES = [("30", "30 d"), ("90", "90 d"), ("365", "12 months")]


def _account(a) -> rx.Component:
    return rx.hstack(
        rx.cond(
            a.profile_url != "",
            rx.link(a.handle, href=a.profile_url, is_external=True, rel=NOOPENER, size=st.size_sm,
                    weight="medium", style=st.ellipsis),
            rx.text(a.handle, size=st.size_sm, weight="medium", style=st.ellipsis),
        ),
        status_badge(a.status, label=a.status_label, testid="platform-account-status"),
        rx.cond(a.last_synced != "", rx.text("Last sync: " + a.last_synced, size=st.size_xs, color=st.text_muted)),
        align="center", spacing=st.gap_sm, wrap="wrap", min_width="0", max_width="100%",
        data_testid="platform-account",
    )


def _header() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.hstack(
                    rx.box(width=st.swatch_size, height=st.swatch_size, border_radius=st.radius_full,
                           background=S.color, flex_shrink="0"),
                    rx.heading(S.label, size=st.size_xl, data_testid="platform-label"),
                    align="center", spacing=st.gap_sm,
                ),
                rx.spacer(),
                rx.hstack(
                    rx.segmented_control.root(
                        *[rx.segmented_control.item(label, value=key) for key, label in RANGE_CHOICES],
                        value=S.range_key, on_change=S.set_range, size="1", data_testid="range",
                    ),
                    export_menu(S.export_urls["csv"], S.export_urls["json"], S.export_urls["report"]),
                    align="center", spacing=st.gap_sm, wrap="wrap",
                ),
                align="center", wrap="wrap", gap=st.space_md, width="100%",
            ),
            rx.vstack(rx.foreach(S.accounts, _account), spacing=st.gap_xs, width="100%"),
            rx.text(S.range_label, size=st.size_xs, color=st.text_faint, data_testid="platform-range"),
            spacing=st.gap_md, width="100%",
        ),
        **st.card,
        data_testid="platform-header",
    )


def _stat(s) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(s.label, size=st.size_sm, color=st.text_muted, style=st.ellipsis),
            rx.text(s.value, size=st.size_2xl, weight="bold", data_testid="platform-stat-value"),
            rx.text(s.sub, size=st.size_xs, color=st.text_faint),
            spacing=st.gap_xs, min_width="0",
        ),
        **st.card,
        data_testid="platform-stat-" + s.key,
    )


def _titled(title, figure, testid) -> rx.Component:
    return rx.card(rx.text(title, weight="bold", size=st.size_lg), chart(figure, st.chart_height_sm + 40),
                   **st.card, data_testid=testid)


def _charts() -> rx.Component:
    return rx.grid(
        rx.foreach(S.charts, lambda f, i: _titled(S.chart_titles[i], f, "metric-chart-" + S.chart_keys[i])),
        columns=rx.breakpoints(initial="1", lg="2"), spacing=st.gap_lg, width="100%",
    )


def _breakdowns() -> rx.Component:
    return rx.grid(
        rx.foreach(S.breakdowns, lambda f, i: rx.card(
            rx.text(S.breakdown_titles[i], weight="bold", size=st.size_lg), chart(f, st.chart_height_sm),
            **st.card, data_testid="breakdown-chart")),
        columns=rx.breakpoints(initial="1", lg="2"), spacing=st.gap_lg, width="100%",
    )


def _audience() -> rx.Component:
    return rx.card(
        rx.hstack(rx.text("Audience", weight="bold", size=st.size_lg),
                  rx.text("as of " + S.audience_date, size=st.size_xs, color=st.text_faint), align="baseline"),
        rx.grid(*[rx.cond(S.audience_parts.contains(kind), chart(fig, st.chart_height_sm))
                  for kind, fig in (("age", S.age), ("gender", S.gender), ("countries", S.countries),
                                    ("cities", S.cities))],
                columns=rx.breakpoints(initial="1", md="2"), spacing=st.gap_md, width="100%"),
        **st.card, data_testid="audience-charts",
    )


def _caption(p) -> rx.Component:
    # Plain text (never markdown or HTML); a link only to the platform's own web address.
    return rx.cond(
        p.url != "",
        rx.link(p.caption, href=p.url, is_external=True, rel=NOOPENER, title=p.full_caption,
                data_testid="post-link"),
        rx.text(p.caption, title=p.full_caption),
    )


def _posts_table() -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(
            rx.table.column_header_cell("Post"), rx.table.column_header_cell("Type"),
            rx.table.column_header_cell("Date"),
            rx.foreach(S.post_headers, lambda h: rx.table.column_header_cell(h, text_align="right")),
            rx.table.column_header_cell("Rate", text_align="right"),
        )),
        rx.table.body(rx.foreach(S.posts, lambda p: rx.table.row(
            rx.table.cell(_caption(p), max_width="22em", overflow_wrap="anywhere"),
            rx.table.cell(p.kind), rx.table.cell(p.date, white_space="nowrap"),
            rx.foreach(p.cells, lambda c: rx.table.cell(c, text_align="right")),
            rx.table.cell(p.rate, title=p.rate_note, text_align="right"),
            data_testid="post-row",
        ))),
        size="1", width="100%", display=rx.breakpoints(initial="none", md="table"), data_testid="posts-table",
    )


def _post_card(p) -> rx.Component:
    return rx.vstack(
        _caption(p),
        rx.text(p.kind + " · " + p.date + " · rate " + p.rate, size=st.size_xs, color=st.text_muted),
        rx.flex(rx.foreach(p.cells, lambda c, i: rx.text(S.post_headers[i] + " " + c, size=st.size_xs)),
                gap=st.space_md, wrap="wrap"),
        spacing=st.gap_xs, padding_y=st.space_sm, border_bottom=st.divider, width="100%", min_width="0",
        overflow_wrap="anywhere",
    )


def _posts() -> rx.Component:
    return rx.card(
        rx.text("Posts", weight="bold", size=st.size_lg),
        rx.cond(
            S.posts.length() > 0,
            rx.vstack(
                _posts_table(),
                rx.vstack(rx.foreach(S.posts, _post_card), width="100%", spacing="0",
                          display=rx.breakpoints(initial="flex", md="none")),
                rx.cond(S.posts_note != "", rx.text(S.posts_note, size=st.size_xs, color=st.text_faint)),
                width="100%", spacing=st.gap_sm,
            ),
            rx.text("No posts in this range.", color=st.text_muted, size=st.size_sm),
        ),
        **st.card, data_testid="platform-posts",
    )


def _body() -> rx.Component:
    return rx.vstack(
        _header(),
        rx.cond(S.history_note != "", rx.callout(S.history_note, data_testid="history-note", **st.callout_info)),
        rx.grid(rx.foreach(S.stats, _stat), columns=rx.breakpoints(initial="1", sm="2", lg="4"),
                spacing=st.gap_lg, width="100%"),
        chart_card("Follower growth", S.growth, "platform-growth-chart"),
        _charts(),
        _breakdowns(),
        rx.grid(
            rx.cond(S.has_content_types,
                    chart_card("Engagement by content type", S.content_types, "content-type-chart",
                               st.chart_height_sm)),
            rx.cond(S.has_hashtags,
                    chart_card("Engagement by hashtag", S.hashtags, "hashtag-chart", st.chart_height_sm)),
            columns=rx.breakpoints(initial="1", lg="2"), spacing=st.gap_lg, width="100%",
        ),
        rx.cond(S.has_audience, _audience()),
        _posts(),
        rx.cond(S.unavailable.length() > 0, rx.card(
            rx.text("Not available from this platform", weight="bold", size=st.size_sm),
            rx.foreach(S.unavailable, lambda u: rx.text(u, size=st.size_xs, color=st.text_muted)),
            **st.card, data_testid="platform-unavailable")),
        spacing=st.gap_lg, width="100%",
    )


def _not_shown() -> rx.Component:
    to_connections = rx.link(rx.button("Go to Connections", size="3"), href="/connections")
    return rx.match(
        S.page_status,
        ("no_api", empty_state("lock", "No public API yet", S.message, to_connections, testid="platform-no-api")),
        ("unknown", empty_state("circle-help", "Unknown platform", S.message, to_connections,
                                testid="platform-unknown")),
        ("not_connected", empty_state("plug", "Not connected", S.message, to_connections,
                                      testid="platform-not-connected")),
        rx.callout(S.message, **st.callout_error),
    )


@template(route="/platforms/[platform]", title="Platform", on_load=[S.load])
def platform() -> rx.Component:
    return rx.cond(
        S.page_status == "ok",
        _body(),
        rx.cond(S.page_status == "loading", rx.center(rx.spinner(size="3"), height="30vh"), _not_shown()),
    )
