"""The page template: a sidebar (nav, workspace, logout) around each logged-in page.

`@template(route=..., title=..., on_load=...)` replaces `@rx.page` for those pages: it adds
the login check before the page's own on_load handlers and hides the content until the
session is known, so a logged-out visitor never sees a flash of someone's page.
"""

from __future__ import annotations

from typing import Callable

import reflex as rx

from dreamsuite.state.auth import AuthState

NAV = [
    ("Dashboard", "/dashboard", "layout-dashboard"),
    ("Connections", "/onboarding", "plug"),
    ("Chat", "/chat", "message-circle"),
    ("Composer", "/composer", "calendar-clock"),
]


def logo() -> rx.Component:
    return rx.link(rx.image(src="/logo.svg", height="28px", alt="Dream Suite"), href="/dashboard")


def nav_item(label: str, href: str, icon: str) -> rx.Component:
    active = AuthState.current_path == href
    return rx.link(
        rx.hstack(
            rx.icon(icon, size=18),
            rx.text(label, size="3", weight=rx.cond(active, "bold", "regular")),
            align="center",
            spacing="3",
            padding_x="0.75em",
            padding_y="0.5em",
            border_radius="8px",
            width="100%",
            background=rx.cond(active, rx.color("violet", 4), "transparent"),
            _hover={"background": rx.color("violet", 3)},
        ),
        href=href,
        underline="none",
        color=rx.color("gray", 12),
        width="100%",
        data_testid=f"nav-{label.lower()}",
    )


def sidebar() -> rx.Component:
    return rx.vstack(
        logo(),
        rx.vstack(
            rx.text("Workspace", size="1", color=rx.color("gray", 10)),
            rx.text(AuthState.workspace_name, weight="bold", size="3", data_testid="workspace-name"),
            spacing="0",
            padding_top="1em",
        ),
        rx.vstack(*[nav_item(*item) for item in NAV], width="100%", spacing="1", padding_top="1em"),
        rx.spacer(),
        rx.hstack(
            rx.avatar(fallback=AuthState.user_initial, size="2", radius="full"),
            rx.vstack(
                rx.text(AuthState.user_name, size="2", weight="medium"),
                rx.text(AuthState.user_timezone, size="1", color=rx.color("gray", 10)),
                spacing="0",
            ),
            align="center",
            width="100%",
        ),
        rx.button(
            rx.icon("log-out", size=16), "Log out",
            on_click=AuthState.log_out,
            variant="soft",
            color_scheme="gray",
            width="100%",
            data_testid="logout",
        ),
        width="240px",
        min_width="240px",
        height="100vh",
        padding="1.25em",
        border_right=f"1px solid {rx.color('gray', 5)}",
        background=rx.color("gray", 2),
        position="sticky",
        top="0",
    )


def template(
    route: str,
    title: str,
    on_load: list | None = None,
) -> Callable[[Callable[[], rx.Component]], Callable[[], rx.Component]]:
    def decorator(page_content: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        @rx.page(route=route, title=f"{title} · Dream Suite", on_load=[AuthState.check_login, *(on_load or [])])
        def page() -> rx.Component:
            return rx.hstack(
                sidebar(),
                rx.box(
                    rx.cond(
                        AuthState.is_logged_in,
                        rx.vstack(rx.heading(title, size="7"), page_content(), spacing="5", width="100%"),
                        rx.center(rx.spinner(size="3"), height="60vh"),
                    ),
                    padding="2em",
                    width="100%",
                    max_width="1200px",
                ),
                spacing="0",
                align="start",
                width="100%",
                min_height="100vh",
            )

        page.__name__ = page_content.__name__
        return page

    return decorator
