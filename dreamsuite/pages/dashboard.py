"""The dashboard an artist opens every morning: the numbers for a date range, what to do about
them (insights, goals, level), and every chart — filled in live as syncs and analyses land."""

import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.cards import empty_state, status_badge
from dreamsuite.components.charts import chart
from dreamsuite.components.date_range import date_range_picker
from dreamsuite.components.export_menu import export_menu
from dreamsuite.components.insight_card import insight_card
from dreamsuite.components.layout import template
from dreamsuite.components.post_card import post_card
from dreamsuite.components.stat_tile import mini_stat, stat_note, stat_tile, stat_value
from dreamsuite.state.dashboard import DashboardState as S
from dreamsuite.state.dashboard_range import PRESETS

TWO = rx.breakpoints(initial="1", lg="2")


def _card_title(title: str, *extra: rx.Component) -> rx.Component:
    return rx.hstack(rx.text(title, weight="bold", size=st.size_lg), rx.spacer(), *extra, align="center",
                     width="100%", wrap="wrap")


def _chart_card(title: str, figure, testid: str, height, note=None, *extra: rx.Component) -> rx.Component:
    return rx.card(
        rx.vstack(
            _card_title(title),
            *extra,
            rx.box(chart(figure, height), width="100%", min_width="0"),
            rx.cond(note != "", rx.text(note, size=st.size_xs, color=st.text_muted)) if note is not None
            else rx.fragment(),
            spacing=st.gap_sm, width="100%",
        ),
        **st.card,
        data_testid=testid,
    )


# ------------------------------------------------------------------ range and quick stats
def _range_bar() -> rx.Component:
    return rx.flex(
        rx.box(date_range_picker(
            presets=PRESETS, preset=S.preset, on_preset=S.set_preset, start=S.custom_from, end=S.custom_to,
            on_start=S.set_custom_from, on_end=S.set_custom_to, on_apply=S.apply_custom, today=S.today,
            error=S.range_error, busy=S.loading, label=S.range_label,
        ), flex="1", min_width="0"),
        export_menu(S.export_urls["csv"], S.export_urls["json"], S.export_urls["report"]),
        gap=st.space_md, align="start", width="100%",
    )


def _stats() -> rx.Component:
    s = S.stats
    return rx.grid(
        stat_tile("Followers", "users", stat_value(s.followers, "stat-followers"), stat_note(s.followers_sub)),
        stat_tile("Follower change", "trending-up",
                  rx.hstack(mini_stat("24 hours", s.change_24h, "stat-change-24h"),
                            mini_stat("7 days", s.change_7d, "stat-change"),
                            mini_stat("30 days", s.change_30d, "stat-change-30d"),
                            spacing=st.gap_lg, wrap="wrap"),
                  stat_note(rx.cond(s.change_30d_note != "", s.change_7d_pct + " in 7 days · " + s.change_30d_note,
                                    s.change_7d_pct + " in 7 days")),
                  grid_column="span 2"),
        stat_tile("This range", "calendar-range",
                  rx.hstack(stat_value(s.change, "stat-range-change"),
                            rx.text(s.change_pct, size=st.size_sm, color=st.text_muted, white_space="nowrap"),
                            align="baseline", spacing=st.gap_sm, wrap="wrap"),
                  stat_note(s.change_sub, data_testid="stat-range-previous")),
        stat_tile("Engagement rate", "heart", stat_value(s.engagement_rate, "stat-engagement"),
                  stat_note(s.engagement_basis, data_testid="stat-engagement-basis")),
        stat_tile("Posts", "image", stat_value(s.posts, "stat-posts"), stat_note(s.posts_sub)),
        columns=rx.breakpoints(initial="2", md="3"),
        grid_auto_flow="dense",
        spacing=st.gap_md,
        width="100%",
    )


# ------------------------------------------------------------------ growth and platforms
def _chip(c) -> rx.Component:
    return rx.button(
        rx.box(width=st.swatch_size, height=st.swatch_size, border_radius=st.radius_full, flex_shrink="0",
               background=rx.cond(c.on, c.color, "transparent"), border=f"2px solid {c.color}"),
        rx.text(c.label, text_decoration=rx.cond(c.on, "none", "line-through")),
        on_click=S.toggle_platform(c.platform),
        variant=rx.cond(c.on, "soft", "outline"), color_scheme="gray", size="1", radius="full",
        aria_pressed=rx.cond(c.on, "true", "false"), title=rx.cond(c.on, "Hide ", "Show ") + c.label,
        data_testid="toggle-" + c.platform,
    )


def _growth() -> rx.Component:
    return _chart_card(
        "Follower growth", S.growth_fig, "growth-chart", S.heights["growth"], S.forecast_note,
        rx.flex(rx.foreach(S.chips, _chip), gap=st.space_sm, wrap="wrap", data_testid="platform-toggles"),
    )


def _platform_row(p) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.box(width=st.swatch_size, height=st.swatch_size, border_radius=st.radius_full, background=p.color,
                   flex_shrink="0"),
            rx.vstack(
                rx.text(p.label, weight="medium", size=st.size_md),
                rx.cond(p.status != "", status_badge(p.status, label=p.status_label, testid="platform-status")),
                rx.cond(p.note != "", rx.text(p.note, size=st.size_xs, color=st.text_faint)),
                spacing="0", min_width="0",
            ),
            rx.spacer(),
            rx.vstack(
                rx.text(p.followers, weight="bold", white_space="nowrap"),
                rx.text(p.change_7d, size=st.size_xs, color=st.text_muted, white_space="nowrap"),
                rx.text(p.change, size=st.size_xs, color=st.text_faint, white_space="nowrap"),
                spacing="0", align="end",
            ),
            rx.icon("chevron-right", size=st.icon_sm, color=st.text_faint, flex_shrink="0"),
            align="center", width="100%", spacing=st.gap_sm,
            padding=st.space_sm, border_radius=st.radius_md, _hover={"background": st.hover_bg},
        ),
        href=p.href, underline="none", color=st.text_strong, width="100%", data_testid="platform-row-" + p.platform,
    )


def _platforms() -> rx.Component:
    return rx.card(
        rx.vstack(
            _card_title("Your platforms", rx.link("Connections", href="/connections", size=st.size_sm)),
            rx.vstack(rx.foreach(S.platforms, _platform_row), width="100%", spacing="0"),
            spacing=st.gap_sm, width="100%",
        ),
        **st.card,
        data_testid="platforms",
    )


# ------------------------------------------------------------------ insights, goals, level
def _insights() -> rx.Component:
    return rx.card(
        rx.vstack(
            _card_title("Insights", rx.link("All insights", href="/insights", size=st.size_sm,
                                            data_testid="all-insights")),
            rx.cond(S.action_error != "", rx.callout(S.action_error, **st.callout_error, size="1")),
            rx.cond(S.insights_error != "", rx.callout(S.insights_error, **st.callout_error, size="1")),
            rx.cond(
                S.insights.length() > 0,
                rx.vstack(rx.foreach(S.insights, lambda i: insight_card(
                    i, on_read=S.mark_read, on_dismiss=S.dismiss, on_act=S.act_on, can_act=S.can_edit)),
                    width="100%", spacing="0"),
                rx.text("Nothing new. Insights are written after each day's numbers are analysed.",
                        size=st.size_sm, color=st.text_muted, data_testid="insights-empty"),
            ),
            spacing=st.gap_sm, width="100%",
        ),
        **st.card,
        data_testid="insights",
    )


def _goal(g) -> rx.Component:
    return rx.vstack(
        rx.text(g.title, weight="medium", size=st.size_sm, overflow_wrap="anywhere"),
        rx.progress(value=g.pct, max=100, color_scheme=g.color, size="2"),
        rx.hstack(rx.text(g.progress, size=st.size_xs, color=st.text_muted),
                  rx.spacer(),
                  rx.text(g.outlook, size=st.size_xs, color=st.text_muted),
                  width="100%", wrap="wrap"),
        spacing=st.gap_xs, width="100%", data_testid="goal",
    )


def _goals() -> rx.Component:
    return rx.card(
        rx.vstack(
            _card_title("Goals", rx.link(rx.cond(S.goals.length() > 0, "All goals", "Set a goal"), href="/goals",
                                         size=st.size_sm, data_testid="goals-link")),
            rx.cond(S.goals_error != "", rx.callout(S.goals_error, **st.callout_error, size="1")),
            rx.cond(S.goals.length() > 0,
                    rx.vstack(rx.foreach(S.goals, _goal), width="100%", spacing=st.gap_md),
                    rx.text("No goals yet. A target (\u201c10,000 Instagram followers by June\u201d) shows its "
                            "progress here.", size=st.size_sm, color=st.text_muted)),
            spacing=st.gap_sm, width="100%",
        ),
        **st.card,
        data_testid="goals",
    )


def _level() -> rx.Component:
    lv = S.level
    return rx.card(
        rx.vstack(
            rx.hstack(rx.icon("trophy", size=st.icon_md, color=st.icon_accent),
                      rx.text(lv.title, weight="bold", size=st.size_lg,
                              data_testid="level"),
                      rx.text(lv.name, color=st.text_muted, size=st.size_sm),
                      align="center", spacing=st.gap_sm, wrap="wrap"),
            rx.progress(value=lv.pct, max=100, size="2", data_testid="xp-bar"),
            rx.text(lv.words, size=st.size_xs, color=st.text_muted),
            spacing=st.gap_sm, width="100%",
        ),
        **st.card,
        data_testid="level-card",
    )


# ------------------------------------------------------------------ content and audience
def _top_posts() -> rx.Component:
    return rx.card(
        rx.vstack(
            _card_title("Top content in this range"),
            rx.cond(
                S.posts.length() > 0,
                rx.grid(rx.foreach(S.posts, post_card), columns=rx.breakpoints(initial="1", sm="2", lg="3"),
                        spacing=st.gap_md, width="100%"),
                rx.text("No posts in this range.", size=st.size_sm, color=st.text_muted, data_testid="posts-empty"),
            ),
            spacing=st.gap_sm, width="100%",
        ),
        **st.card,
        data_testid="top-posts",
    )


def _audience_picker() -> rx.Component:
    return rx.cond(
        S.audience_options.length() > 1,
        rx.select.root(
            rx.select.trigger(aria_label="Platform"),
            rx.select.content(rx.foreach(S.audience_options, lambda o: rx.select.item(o.label, value=o.value))),
            value=S.audience_platform, on_change=S.set_audience_platform, size="2",
        ),
    )


def _audience() -> rx.Component:
    figs = [(S.age_fig, "age"), (S.gender_fig, "gender"), (S.countries_fig, "countries"), (S.cities_fig, "cities")]
    return rx.card(
        rx.vstack(
            _card_title("Audience", rx.box(_audience_picker(), data_testid="audience-platform")),
            rx.cond(
                S.audience_options.length() > 0,
                rx.vstack(
                    rx.text(S.audience_note, size=st.size_xs, color=st.text_muted),
                    rx.grid(*[rx.box(chart(f, S.heights[k]), min_width="0", data_testid=f"audience-{k}")
                              for f, k in figs],
                            columns=TWO, spacing=st.gap_lg, width="100%"),
                    width="100%", spacing=st.gap_sm,
                ),
                rx.text("None of your platforms shares its audience (age, gender, places) yet.", size=st.size_sm,
                        color=st.text_muted, data_testid="audience-empty"),
            ),
            spacing=st.gap_sm, width="100%",
        ),
        **st.card,
        data_testid="audience",
    )


# ------------------------------------------------------------------ the page
def _dashboard() -> rx.Component:
    return rx.vstack(
        _range_bar(),
        _stats(),
        rx.grid(_growth(), _platforms(), columns=rx.breakpoints(initial="1", lg="3fr 1fr"), spacing=st.gap_lg,
                width="100%"),
        # What to do first (insights) beside where the artist stands (level, goals) and what works.
        rx.grid(
            _insights(),
            rx.vstack(
                _level(), _goals(),
                _chart_card("What works best", S.content_fig, "content-chart", S.heights["content"],
                            "Average engagement rate by kind of post, in this range."),
                _chart_card("Best times to post", S.heatmap_fig, "heatmap-chart", S.heights["heatmap"],
                            S.heatmap_note),
                spacing=st.gap_lg, width="100%", min_width="0",
            ),
            # Each column as tall as its own cards: a short insights list leaves no empty card.
            columns=rx.breakpoints(initial="1", lg="3fr 2fr"), spacing=st.gap_lg, width="100%", align_items="start",
        ),
        rx.grid(_chart_card("Engagement over time", S.engagement_fig, "engagement-chart", S.heights["engagement"],
                            S.engagement_note),
                _chart_card("Platforms compared", S.comparison_fig, "comparison-chart", S.heights["comparison"],
                            "Growth in this range and engagement rate, each on its own audience."),
                columns=TWO, spacing=st.gap_lg, width="100%"),
        _top_posts(),
        _audience(),
        rx.text(rx.cond(S.last_synced != "", "Last synced " + S.last_synced + " (" + S.user_timezone + ")", ""),
                size=st.size_xs, color=st.text_faint, data_testid="last-synced"),
        spacing=st.gap_lg,
        width="100%",
        opacity=rx.cond(S.loading, "0.6", "1"),
        transition="opacity 0.2s",
    )


def _setup_row(r) -> rx.Component:
    return rx.hstack(
        rx.box(width=st.swatch_size, height=st.swatch_size, border_radius=st.radius_full, background=r.color,
               flex_shrink="0", margin_top=st.dot_offset),
        rx.text(rx.text.strong(r.label), ": ", r.words, size=st.size_sm,
                color=rx.cond(r.failed, st.text_danger, st.text_strong), overflow_wrap="anywhere"),
        rx.cond(r.running, rx.spinner(size="1", flex_shrink="0")),
        align="start", spacing=st.gap_sm, width="100%", data_testid="setup-row",
    )


def _first_sync() -> rx.Component:
    return empty_state(
        "refresh-cw", "Your first sync is running",
        "Dream Suite is collecting your followers, posts and engagement. This page fills in by itself as "
        "soon as the numbers arrive.",
        rx.vstack(rx.foreach(S.setup, _setup_row),
                  rx.link("See your connections", href="/connections", size=st.size_sm),
                  width="100%", max_width=st.prose_max_width, spacing=st.gap_sm),
        testid="dashboard-first-sync",
    )


def _no_connections() -> rx.Component:
    return empty_state(
        "bar-chart-3", "No numbers yet",
        "Connect a platform and Dream Suite will collect your followers, posts and engagement every day.",
        rx.link(rx.button("Connect a platform", size="3"), href="/connections"),
        testid="dashboard-empty",
    )


def _skeleton() -> rx.Component:
    block = lambda h: rx.skeleton(rx.box(height=h, width="100%"), loading=True)  # noqa: E731
    return rx.vstack(
        block("40px"),
        rx.grid(*[block("96px") for _ in range(4)], columns=rx.breakpoints(initial="2", xl="4"), spacing=st.gap_md,
                width="100%"),
        block(f"{st.chart_height}px"),
        width="100%", spacing=st.gap_lg, data_testid="dashboard-loading", aria_busy="true",
    )


@template(route="/dashboard", title="Dashboard", on_load=[S.load])
def dashboard() -> rx.Component:
    return rx.vstack(
        rx.cond(S.load_error != "", rx.callout(S.load_error, **st.callout_error, data_testid="dashboard-error")),
        rx.cond(
            S.has_data,
            _dashboard(),
            rx.cond(
                S.loaded,
                rx.cond(S.load_error != "", rx.fragment(),
                        rx.cond(S.has_connections, _first_sync(), _no_connections())),
                _skeleton(),
            ),
        ),
        width="100%",
        spacing=st.gap_lg,
    )
