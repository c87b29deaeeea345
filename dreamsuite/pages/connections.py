import reflex as rx

from dreamsuite.components.cards import status_badge
from dreamsuite.components.layout import template
from dreamsuite.state.onboarding import OnboardingState as S


def _banner() -> rx.Component:
    return rx.cond(
        S.banner != "",
        rx.callout(
            rx.hstack(
                rx.text(S.banner, data_testid="onboarding-banner-text"),
                rx.spacer(),
                rx.icon("x", size=16, cursor="pointer", on_click=S.dismiss_banner),
                width="100%",
            ),
            icon=rx.cond(S.banner_error, "triangle-alert", "circle-check"),
            color_scheme=rx.cond(S.banner_error, "red", "green"),
            width="100%",
            data_testid="onboarding-banner",
        ),
    )


def _connected_body(c) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon("user", size=14),
            rx.text(rx.cond(c.username != "", "@" + c.username, "connected"), size="2", weight="medium",
                    data_testid="platform-username"),
            align="center", spacing="1",
        ),
        rx.text(rx.cond(c.last_synced != "", "Last sync: " + c.last_synced, "Not synced yet"),
                size="1", color=rx.color("gray", 11), data_testid="platform-last-synced"),
        rx.cond(c.last_error != "", rx.text(c.last_error, size="1", color=rx.color("red", 11))),
        rx.cond(
            c.sync_note != "",
            rx.hstack(
                rx.cond(c.syncing, rx.spinner(size="1")),
                rx.text(c.sync_note, size="1", color=rx.color("violet", 11)),
                align="center", spacing="2", data_testid="sync-progress",
            ),
        ),
        rx.hstack(
            rx.button(rx.icon("refresh-cw", size=14), "Sync now", size="2", variant="soft",
                      loading=c.syncing, on_click=S.sync_now(c.connection_id), data_testid=f"sync-{c.name}"),
            rx.button("Disconnect", size="2", variant="ghost", color_scheme="gray",
                      on_click=S.disconnect(c.connection_id)),
            spacing="2",
        ),
        spacing="2",
        width="100%",
    )


def _action(c) -> rx.Component:
    return rx.cond(
        c.connected,
        _connected_body(c),
        rx.cond(
            c.connectable & c.has_api,
            rx.button(rx.icon("plug", size=14), "Connect", size="2",
                      loading=S.busy_platform == c.name,
                      on_click=S.connect(c.name), data_testid=f"connect-{c.name}"),
        ),
    )


def _badge(c) -> rx.Component:
    return rx.cond(
        c.connected,
        status_badge(c.status),
        rx.cond(~c.has_api,
                rx.badge("No public API yet", color_scheme="gray", variant="outline", data_testid="no-api"),
                rx.cond(c.connectable, rx.badge("Available", color_scheme="violet", variant="soft"),
                        rx.badge("Coming soon", color_scheme="gray", variant="outline", data_testid="coming-soon"))),
    )


def platform_card(c) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.box(width="12px", height="12px", border_radius="50%", background=c.color),
                rx.text(c.label, weight="bold", size="4"),
                rx.spacer(),
                _badge(c),
                align="center", width="100%",
            ),
            rx.text(rx.text.strong("What we read: "), c.reads, size="2", color=rx.color("gray", 11)),
            rx.spacer(),
            _action(c),
            spacing="3",
            height="100%",
        ),
        opacity=rx.cond(c.connectable | c.connected, "1", "0.75"),
        data_testid="platform-card-" + c.name,
    )


@template(route="/onboarding", title="Connections", on_load=[S.load])
def onboarding() -> rx.Component:
    return rx.vstack(
        _banner(),
        rx.text(
            "Connect the platforms you use. Dream Suite reads your public numbers once a day — never "
            "your messages — and only posts what you schedule.",
            color=rx.color("gray", 11),
        ),
        rx.cond(
            S.cards.length() > 0,
            rx.grid(rx.foreach(S.cards, platform_card),
                    columns=rx.breakpoints(initial="1", md="2", xl="3"), spacing="4", width="100%"),
            rx.callout("Platforms could not be listed right now.", icon="info", color_scheme="gray"),
        ),
        rx.cond(S.connected_count > 0,
                rx.link(rx.button("Go to your dashboard", rx.icon("arrow-right", size=16), size="3"),
                        href="/dashboard")),
        spacing="4",
        width="100%",
    )
