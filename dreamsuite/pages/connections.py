import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.cards import status_badge
from dreamsuite.components.confirm import confirm_dialog
from dreamsuite.components.layout import template
from dreamsuite.components.role_note import NOT_OWNER, owner_only, role_note
from dreamsuite.state.auth import AuthState
from dreamsuite.state.connections import ConnectionsState as S


def _banner() -> rx.Component:
    return rx.cond(
        S.banner != "",
        rx.callout(
            rx.hstack(
                rx.text(S.banner, data_testid="connections-banner-text"),
                rx.spacer(),
                rx.icon("x", size=st.icon_sm, cursor="pointer", on_click=S.dismiss_banner),
                width="100%",
            ),
            icon=rx.cond(S.banner_error, "triangle-alert", "circle-check"),
            color_scheme=rx.cond(S.banner_error, "red", "green"),
            width="100%",
            data_testid="connections-banner",
        ),
    )


def _account(c, a) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon("user", size=st.icon_xs),
            rx.text(rx.cond(a.username != "", a.username, "connected"), size=st.size_sm, weight="medium",
                    data_testid="platform-username", overflow_wrap="anywhere"),
            rx.spacer(),
            status_badge(a.status, label=a.status_label, testid="account-status"),
            align="center", spacing=st.gap_xs, width="100%",
        ),
        rx.text(rx.cond(a.last_synced != "", "Last sync: " + a.last_synced, "Not synced yet"),
                size=st.size_xs, color=st.text_muted, data_testid="platform-last-synced"),
        rx.cond(a.quota != "", rx.text(a.quota, size=st.size_xs, color=st.text_muted, data_testid="quota")),
        rx.cond(a.last_error != "", rx.text(a.last_error, size=st.size_xs, color=st.text_danger,
                                            overflow_wrap="anywhere", data_testid="account-error")),
        rx.cond(
            a.sync_note != "",
            rx.hstack(
                rx.cond(a.syncing, rx.spinner(size="1")),
                rx.text(a.sync_note, size=st.size_xs, color=st.text_accent),
                align="center", spacing=st.gap_sm, data_testid="sync-progress",
            ),
        ),
        rx.hstack(
            rx.cond(
                a.can_sync,
                rx.button(rx.icon("refresh-cw", size=st.icon_xs), "Sync now", size="2", variant="soft",
                          loading=a.syncing, on_click=S.sync_now(a.connection_id), disabled=~S.can_edit,
                          data_testid=f"sync-{c.name}"),
                rx.button(rx.icon("plug", size=st.icon_xs), "Reconnect", size="2", on_click=S.connect(c.name),
                          **owner_only(S.is_owner), data_testid=f"reconnect-{c.name}"),
            ),
            rx.button("Disconnect", size="2", variant="ghost", color_scheme="gray",
                      on_click=S.ask_disconnect(a.connection_id, c.label + " " + a.username),
                      **owner_only(S.is_owner), data_testid=f"disconnect-{c.name}"),
            spacing=st.gap_sm, wrap="wrap",
        ),
        spacing=st.gap_sm,
        width="100%",
        padding_top=st.space_sm,
        border_top=st.divider,
    )


def _action(c) -> rx.Component:
    return rx.cond(
        c.connected,
        rx.vstack(
            rx.foreach(c.accounts, lambda a: _account(c, a)),
            rx.cond(c.connectable, rx.button(rx.icon("plus", size=st.icon_xs), "Add another account", size="1",
                                             variant="ghost", on_click=S.connect(c.name),
                                             **owner_only(S.is_owner))),
            width="100%", spacing=st.gap_sm,
        ),
        rx.cond(
            c.connectable & c.has_api,
            rx.button(rx.icon("plug", size=st.icon_xs), "Connect", size="2",
                      loading=S.busy_platform == c.name,
                      on_click=S.connect(c.name), **owner_only(S.is_owner),
                      data_testid=f"connect-{c.name}"),
        ),
    )


def _badge(c) -> rx.Component:
    return rx.cond(
        c.connected,
        rx.badge("Connected", color_scheme="green", variant="soft"),
        rx.cond(~c.has_api,
                rx.badge("No public API yet", color_scheme="gray", variant="outline", data_testid="no-api"),
                rx.cond(c.connectable, rx.badge("Available", color_scheme="violet", variant="soft"),
                        rx.badge("Coming soon", color_scheme="gray", variant="outline", data_testid="coming-soon"))),
    )


def platform_card(c) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.box(width=st.swatch_size, height=st.swatch_size, border_radius=st.radius_full, background=c.color, flex_shrink="0"),
                rx.text(c.label, weight="bold", size=st.size_lg),
                rx.spacer(),
                _badge(c),
                align="center", width="100%",
            ),
            rx.text(rx.text.strong("What we read: "), c.reads, size=st.size_sm, color=st.text_muted),
            rx.cond(c.unavailable != "", rx.text(rx.text.strong("Not available: "), c.unavailable, size=st.size_xs,
                                                 color=st.text_faint, data_testid="unavailable")),
            rx.spacer(),
            _action(c),
            spacing=st.gap_md,
            height="100%",
        ),
        opacity=rx.cond(c.connectable | c.connected, "1", "0.75"),
        data_testid="platform-card-" + c.name,
    )


def _confirm() -> rx.Component:
    return confirm_dialog(
        "Disconnect " + S.confirm_label + "?",
        rx.alert_dialog.description(
            "Dream Suite stops collecting from this account and forgets its access; where the platform "
            "allows, it is asked to withdraw our access too.", size=st.size_sm),
        rx.checkbox("Also delete its history (numbers and posts collected so far)", checked=S.delete_history,
                    on_change=S.set_delete_history, margin_top=st.space_lg, data_testid="delete-history"),
        confirm="Disconnect", on_cancel=S.cancel_disconnect, on_confirm=S.disconnect, testid="confirm-disconnect",
        open=S.confirm_id > 0,
    )


@template(route="/connections", title="Connections", on_load=[S.load])
def connections() -> rx.Component:
    return rx.vstack(
        _banner(),
        _confirm(),
        role_note(S.is_owner, NOT_OWNER),
        rx.text(
            "Connect the platforms you use. Dream Suite reads your numbers once a day — never your "
            "messages — and only posts what you schedule.",
            color=st.text_muted,
        ),
        rx.cond(
            S.cards.length() > 0,
            rx.grid(rx.foreach(S.cards, platform_card),
                    columns=rx.breakpoints(initial="1", md="2", xl="3"), spacing=st.gap_lg, width="100%"),
            rx.callout("Platforms could not be listed right now.", **st.callout_info),
        ),
        rx.cond(S.connected_count > 0,
                rx.link(rx.button("Go to your dashboard", rx.icon("arrow-right", size=st.icon_sm), size="3"),
                        href="/dashboard")),
        spacing=st.gap_lg,
        width="100%",
    )


@rx.page(route="/onboarding", title="Connections · Dream Suite", on_load=AuthState.to_connections)
def onboarding() -> rx.Component:
    """The page's old address, kept for links already sent (emails, bookmarks)."""
    return rx.center(rx.spinner(size="3"), height="100vh")
