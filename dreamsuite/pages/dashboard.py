import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.cards import empty_state, stat_card
from dreamsuite.components.charts import growth_chart
from dreamsuite.components.layout import template
from dreamsuite.state.dashboard import DashboardState as S


def _platform_row(p) -> rx.Component:
    return rx.hstack(
        rx.text(p["platform"], weight="medium"),
        rx.spacer(),
        rx.text(p["followers"]),
        rx.text(p["change"], color=st.text_muted, size="2"),
        width="100%",
    )


def _stats() -> rx.Component:
    return rx.vstack(
        rx.grid(
            stat_card("Followers", S.followers, "users", "stat-followers"),
            stat_card("7-day change", S.change_7d, "trending-up", "stat-change", sub=S.change_7d_pct),
            stat_card("Engagement rate (7 days)", S.engagement_rate, "heart", "stat-engagement"),
            stat_card("Posts (90 days)", S.posts_count, "image", "stat-posts"),
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),
            spacing="4",
            width="100%",
        ),
        rx.grid(
            growth_chart(S.figure),
            rx.card(
                rx.text("By platform", weight="bold", size="4"),
                rx.vstack(rx.foreach(S.platforms, _platform_row), width="100%", padding_top="0.75em"),
                width="100%",
            ),
            columns=rx.breakpoints(initial="1", lg="3fr 1fr"),
            spacing="4",
            width="100%",
        ),
        rx.text(
            rx.cond(S.last_synced != "", "Last synced " + S.last_synced, ""),
            rx.cond(S.as_of != "", rx.el.span(" · data up to " + S.as_of, white_space="nowrap"), ""),
            size="1", color=st.text_faint, data_testid="last-synced",
        ),
        spacing="4",
        width="100%",
    )


@template(route="/dashboard", title="Dashboard", on_load=[S.load])
def dashboard() -> rx.Component:
    return rx.vstack(
        rx.cond(S.load_error != "", rx.callout(S.load_error, color_scheme="red", icon="triangle-alert")),
        rx.cond(
            S.has_data,
            _stats(),
            rx.cond(
                S.loaded,
                empty_state(
                    "bar-chart-3", "No numbers yet",
                    "Connect a platform and Dream Suite will collect your followers, posts and "
                    "engagement every day.",
                    rx.link(rx.button("Connect a platform", size="3"), href="/connections"),
                    testid="dashboard-empty",
                ),
                rx.center(rx.spinner(size="3"), height="30vh"),
            ),
        ),
        width="100%",
        spacing="4",
    )
