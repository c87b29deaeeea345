"""The page template: navigation, the bell and the account around each logged-in page.

`@template(route=..., title=..., on_load=...)` replaces `@rx.page` for those pages: it adds
the login check before the page's own on_load handlers and hides the content until the
session is known, so a logged-out visitor never sees a flash of someone's page.

From the `md` breakpoint up the navigation is a sidebar; below it (phones, from 360 px) a top
bar with a menu that opens the same navigation in a drawer.
"""

from __future__ import annotations

from typing import Callable

import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.forms import plain_form
from dreamsuite.components.workspace_switcher import create_workspace_dialog, workspace_switcher
from dreamsuite.state.account import FormPageState
from dreamsuite.state.auth import LOGOUT_FORM, AuthState
from dreamsuite.state.notifications import NotificationState as N
from dreamsuite.state.workspaces import WorkspaceState

NAV = [
    ("Dashboard", "/dashboard", "layout-dashboard"),
    ("Insights", "/insights", "lightbulb"),
    ("Inbox", "/inbox", "inbox"),
    ("Goals", "/goals", "target"),
    ("Connections", "/connections", "plug"),
    ("Promotion", "/promotion", "megaphone"),
    ("Chat", "/chat", "message-circle"),
    ("Composer", "/composer", "calendar-clock"),
    ("Calendar", "/calendar", "calendar-days"),
    ("Media", "/media", "images"),
    ("Team", "/team", "users"),
    ("Account", "/account", "user-cog"),
]


def logo() -> rx.Component:
    return rx.link(rx.image(src="/logo.svg", height=st.logo_height, alt="Dream Suite"), href="/dashboard")


def nav_item(label: str, href: str, icon: str) -> rx.Component:
    active = AuthState.current_path == href
    return rx.link(
        rx.hstack(
            rx.icon(icon, size=st.icon_md),
            rx.text(label, size=st.size_md, weight=rx.cond(active, "bold", "regular")),
            align="center",
            spacing=st.gap_md,
            padding_x=st.space_md,
            padding_y=st.space_sm,
            border_radius=st.radius_md,
            width="100%",
            background=rx.cond(active, st.selected_bg, "transparent"),
            _hover={"background": st.hover_bg},
        ),
        href=href,
        underline="none",
        color=st.text_strong,
        width="100%",
        data_testid=f"nav-{label.lower()}",
    )


def _notification(n) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.cond(n.unread, rx.box(width=st.dot_size, height=st.dot_size, border_radius=st.radius_full,
                                     flex_shrink="0", background=st.dot_unread, margin_top=st.dot_offset)),
            rx.vstack(
                rx.text(n.message, size=st.size_sm, white_space="pre-wrap", word_break="break-word"),
                rx.hstack(
                    rx.text(n.when, size=st.size_xs, color=st.text_faint),
                    rx.cond(n.link != "", rx.link("Open", href=n.link, size=st.size_xs)),
                    rx.cond(n.unread, rx.link("Mark read", size=st.size_xs, on_click=N.mark_read(n.id),
                                              cursor="pointer")),
                    spacing=st.gap_md,
                ),
                spacing=st.gap_xs,
                width="100%",
            ),
            align="start",
            spacing=st.gap_sm,
        ),
        padding_y=st.space_sm,
        border_bottom=st.divider,
        width="100%",
        data_testid="notification-item",
    )


def bell() -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.icon("bell", size=st.icon_md),
                rx.cond(N.unread > 0, rx.badge(N.unread_label, color_scheme="red", variant="solid",
                                               radius="full", data_testid="bell-count")),
                variant="ghost", color_scheme="gray", aria_label="Notifications", data_testid="bell",
            ),
        ),
        rx.popover.content(
            rx.vstack(
                rx.hstack(
                    rx.text("Notifications", weight="bold"),
                    rx.spacer(),
                    rx.cond(N.unread > 0, rx.link("Mark all read", size=st.size_sm, on_click=N.mark_all_read,
                                                  cursor="pointer", data_testid="mark-all-read")),
                    width="100%", align="center",
                ),
                rx.cond(
                    N.items.length() > 0,
                    rx.scroll_area(rx.vstack(rx.foreach(N.items, _notification), spacing="0", width="100%"),
                                   max_height="60vh", type="auto", scrollbars="vertical"),
                    rx.text("Nothing new. Sync problems and publishing results show up here.", size=st.size_sm,
                            color=st.text_muted),
                ),
                spacing=st.gap_sm,
                width="100%",
            ),
            width=st.popover_width,
            data_testid="notifications",
        ),
    )


def logout_button(back_to: rx.Var | str | None = None) -> rx.Component:
    # A real form post (the route clears the HttpOnly cookie and ends the session), sent once
    # the tab has forgotten the login (AuthState.log_out).
    if back_to is not None:
        # Landing on a page of ours instead of the login form (an invitation to accept as someone
        # else): a plain post; that page finds the login gone and starts clean.
        return plain_form(
            rx.el.input(type="hidden", name="next", value=back_to),
            rx.button(rx.icon("log-out", size=st.icon_sm), "Log out", type="submit", variant="soft",
                      color_scheme="gray", width="100%", data_testid="logout"),
            action=FormPageState.api_url + "/auth/logout",
            width="100%",
        )
    return plain_form(
        rx.button(rx.icon("log-out", size=st.icon_sm), "Log out", type="submit", variant="soft", color_scheme="gray",
                  width="100%", on_click=[rx.prevent_default, AuthState.log_out(False)], data_testid="logout"),
        action=FormPageState.api_url + "/auth/logout",
        width="100%",
        class_name=LOGOUT_FORM,
    )


def _account_block() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.avatar(fallback=AuthState.user_initial, size="2", radius="full"),
            rx.vstack(
                rx.text(AuthState.user_name, size=st.size_sm, weight="medium", style=st.ellipsis),
                rx.text(AuthState.user_timezone, size=st.size_xs, color=st.text_faint),
                spacing="0",
                min_width="0",
            ),
            align="center",
            width="100%",
        ),
        logout_button(),
        width="100%",
        spacing=st.gap_md,
    )


def _workspace_block() -> rx.Component:
    return workspace_switcher()


def nav_links() -> rx.Component:
    return rx.vstack(*[nav_item(*item) for item in NAV], width="100%", spacing=st.gap_xs)


def sidebar() -> rx.Component:
    return rx.vstack(
        rx.hstack(logo(), rx.spacer(), bell(), align="center", width="100%"),
        _workspace_block(),
        nav_links(),
        rx.spacer(),
        _account_block(),
        width=st.sidebar_width,
        min_width=st.sidebar_width,
        height="100vh",
        padding=st.space_xl,
        spacing=st.gap_lg,
        border_right=st.border,
        background=st.surface,
        position="sticky",
        top="0",
        display=rx.breakpoints(initial="none", md="flex"),
        data_testid="sidebar",
    )


def topbar() -> rx.Component:
    """Phones and narrow windows: logo, bell and a menu that opens the navigation."""
    return rx.hstack(
        rx.drawer.root(
            rx.drawer.trigger(rx.button(rx.icon("menu", size=st.icon_lg), variant="ghost", color_scheme="gray",
                                        aria_label="Menu", data_testid="menu")),
            rx.drawer.overlay(z_index="40"),
            rx.drawer.portal(
                rx.drawer.content(
                    rx.vstack(
                        rx.hstack(logo(), rx.spacer(),
                                  rx.drawer.close(rx.button(rx.icon("x", size=st.icon_md), variant="ghost",
                                                            color_scheme="gray", aria_label="Close menu")),
                                  width="100%", align="center"),
                        _workspace_block(),
                        nav_links(),
                        rx.spacer(),
                        _account_block(),
                        height="100%",
                        width="100%",
                        spacing=st.gap_lg,
                        padding=st.space_xl,
                    ),
                    width=st.drawer_width,
                    height="100%",
                    top="0",
                    left="0",
                    z_index="50",
                    background=st.surface,
                    data_testid="nav-drawer",
                ),
            ),
            direction="left",
        ),
        logo(),
        rx.spacer(),
        bell(),
        align="center",
        width="100%",
        padding=f"{st.space_sm} {st.space_md}",
        border_bottom=st.border,
        background=st.surface,
        position="sticky",
        top="0",
        z_index="10",
        display=rx.breakpoints(initial="flex", md="none"),
        data_testid="topbar",
    )


def template(
    route: str,
    title: str,
    on_load: list | None = None,
) -> Callable[[Callable[[], rx.Component]], Callable[[], rx.Component]]:
    def decorator(page_content: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        @rx.page(route=route, title=f"{title} · Dream Suite",
                 on_load=[WorkspaceState.open_page, *(on_load or [])])
        def page() -> rx.Component:
            return rx.flex(
                sidebar(),
                topbar(),
                create_workspace_dialog(),
                rx.box(
                    rx.cond(
                        AuthState.is_logged_in,
                        rx.vstack(rx.heading(title, size=st.size_3xl), page_content(), spacing=st.gap_xl,
                                  width="100%"),
                        rx.center(rx.spinner(size="3"), height="60vh"),
                    ),
                    padding=st.page_padding,
                    width="100%",
                    min_width="0",
                    max_width=st.content_max_width,
                ),
                direction=rx.breakpoints(initial="column", md="row"),
                align="start",
                width="100%",
                min_height="100vh",
            )

        page.__name__ = page_content.__name__
        return page

    return decorator


def main_and_side(main: rx.Component, *side: rx.Component) -> rx.Component:
    """A page's list with a narrower column beside it from the `lg` breakpoint up; below it the
    side column follows the list."""
    return rx.flex(
        rx.vstack(main, spacing=st.gap_lg, width="100%", min_width="0", flex="1"),
        rx.vstack(*side, spacing=st.gap_lg, width=rx.breakpoints(initial="100%", lg=st.side_width),
                  min_width="0", flex_shrink="0"),
        direction=rx.breakpoints(initial="column", lg="row"),
        gap=st.space_xl,
        align="start",
        width="100%",
    )
