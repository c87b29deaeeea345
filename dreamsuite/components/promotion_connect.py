"""The Promotion page's "Channels" panel (state: state/promotion_connect.py): one card per ad
platform and the shop, Connect / Disconnect, status, last collect and the platform's last error.

The page includes `channels_panel()` and lists `PromotionConnectState.load` in its on_load (after
the login check the page template runs first)."""

from __future__ import annotations

import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.cards import status_badge
from dreamsuite.components.confirm import confirm_dialog
from dreamsuite.components.role_note import role_note
from dreamsuite.state.promotion_connect import PromotionConnectState as S

NOT_EDITOR = "Only the workspace's owner or an editor connects and disconnects promotion channels."


def _editor_only() -> dict:
    return {"disabled": ~S.can_edit, "title": rx.cond(S.can_edit, "", NOT_EDITOR)}


def _banner() -> rx.Component:
    return rx.cond(
        S.banner != "",
        rx.callout(
            rx.hstack(
                rx.text(S.banner, data_testid="channels-banner-text"),
                rx.spacer(),
                rx.icon("x", size=st.icon_sm, cursor="pointer", on_click=S.dismiss_banner),
                width="100%",
            ),
            icon=rx.cond(S.banner_error, "triangle-alert", "circle-check"),
            color_scheme=rx.cond(S.banner_error, "red", "green"),
            width="100%",
            data_testid="channels-banner",
        ),
    )


def _channel(k, c) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(c.name, size=st.size_sm, weight="medium", overflow_wrap="anywhere",
                    data_testid="channel-name"),
            rx.cond(c.currency != "", rx.badge(c.currency, variant="outline", color_scheme="gray")),
            rx.spacer(),
            status_badge(c.status, label=c.status_label, testid="channel-status"),
            align="center", spacing=st.gap_xs, width="100%",
        ),
        rx.text(rx.cond(c.last_synced != "", "Last collect: " + c.last_synced, "Not collected yet"),
                size=st.size_xs, color=st.text_muted, data_testid="channel-last-synced"),
        rx.cond(c.others != "", rx.text(c.others, size=st.size_xs, color=st.text_muted)),
        rx.cond(c.last_error != "", rx.text(c.last_error, size=st.size_xs, color=st.text_danger,
                                            overflow_wrap="anywhere", data_testid="channel-error")),
        rx.cond(
            c.note != "",
            rx.hstack(rx.cond(c.busy, rx.spinner(size="1")),
                      rx.text(c.note, size=st.size_xs, color=st.text_accent),
                      align="center", spacing=st.gap_sm, data_testid="channel-progress"),
        ),
        rx.hstack(
            rx.cond((c.status == "expired") & k.oauth,
                    rx.button(rx.icon("plug", size=st.icon_xs), "Reconnect", size="2", on_click=S.connect(k.kind),
                              **_editor_only(), data_testid=f"reconnect-{k.kind}")),
            rx.button("Disconnect", size="2", variant="ghost", color_scheme="gray",
                      on_click=S.ask_disconnect(c.channel_id, k.label + " " + c.name), **_editor_only(),
                      data_testid=f"disconnect-{k.kind}"),
            spacing=st.gap_sm, wrap="wrap",
        ),
        spacing=st.gap_sm, width="100%", padding_top=st.space_sm, border_top=st.divider,
    )


def _connect_button(k, text: str, **props) -> rx.Component:
    """An ad platform's login, or Shopify's form."""
    def button(on_click) -> rx.Component:
        return rx.button(rx.icon("plug", size=st.icon_xs), text, loading=S.busy_kind == k.kind, on_click=on_click,
                         **_editor_only(), **props)

    return rx.cond(k.oauth, button(S.connect(k.kind)), button(S.open_shop))


def _badge(k) -> rx.Component:
    return rx.cond(
        k.connected, rx.badge("Connected", color_scheme="green", variant="soft"),
        rx.cond(k.available, rx.badge("Available", color_scheme="violet", variant="soft"),
                rx.badge("Coming soon", color_scheme="gray", variant="outline", data_testid="channel-coming-soon")),
    )


def _card(k) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.box(width=st.swatch_size, height=st.swatch_size, border_radius=st.radius_full,
                       background=k.color, flex_shrink="0"),
                rx.text(k.label, weight="bold", size=st.size_lg),
                rx.spacer(),
                _badge(k),
                align="center", width="100%",
            ),
            rx.cond(k.reads != "", rx.text(rx.text.strong("What we read: "), k.reads, size=st.size_sm,
                                           color=st.text_muted)),
            rx.spacer(),
            rx.foreach(k.channels, lambda c: _channel(k, c)),
            rx.cond(
                k.available,
                rx.cond(k.connected,
                        _connect_button(k, "Connect another", size="1", variant="ghost"),
                        _connect_button(k, "Connect", size="2", data_testid=f"connect-{k.kind}")),
            ),
            spacing=st.gap_md, height="100%",
        ),
        opacity=rx.cond(k.available | k.connected, "1", "0.75"),
        data_testid="channel-card-" + k.kind,
    )


def _field_error(message) -> rx.Component:
    return rx.cond(message != "", rx.text(message, size=st.size_xs, color=st.text_danger, overflow_wrap="anywhere"))


def _shop_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Connect your Shopify shop"),
            rx.dialog.description(
                "In your shop's admin: Settings → Apps and sales channels → Develop apps → Create an app, give it "
                "the read_orders and read_all_orders scopes, install it, and copy its Admin API access token. "
                "Dream Suite only reads orders; it never changes your shop.", size=st.size_sm, color=st.text_muted),
            rx.form(
                rx.vstack(
                    rx.text("Shop address", size=st.size_sm, weight="medium"),
                    rx.input(name="domain", placeholder="nova-merch.myshopify.com", width="100%",
                             auto_complete="off", data_testid="shop-domain"),
                    _field_error(S.shop_domain_error),
                    rx.text("Admin API access token", size=st.size_sm, weight="medium"),
                    rx.input(name="token", type="password", placeholder="shpat_…", width="100%",
                             auto_complete="off", data_testid="shop-token"),
                    _field_error(S.shop_token_error),
                    rx.hstack(
                        rx.button("Cancel", type="button", variant="soft", color_scheme="gray",
                                  on_click=S.close_shop),
                        rx.button("Connect shop", type="submit", loading=S.shop_busy, data_testid="shop-submit"),
                        justify="end", spacing=st.gap_md, width="100%", margin_top=st.space_sm,
                    ),
                    spacing=st.gap_sm, width="100%",
                ),
                on_submit=S.connect_shop, width="100%", margin_top=st.space_lg,
            ),
        ),
        open=S.shop_open, on_open_change=S.set_shop_open,
    )


def _confirm() -> rx.Component:
    return confirm_dialog(
        "Disconnect " + S.confirm_label + "?",
        rx.alert_dialog.description(
            "Dream Suite stops collecting from this channel and forgets its access, and the numbers collected "
            "from it (campaigns, creatives, daily spend and sales) are deleted: the brain no longer counts them. "
            "Connecting it again collects its last 180 days anew.", size=st.size_sm),
        confirm="Disconnect and delete its numbers", on_cancel=S.cancel_disconnect, on_confirm=S.disconnect,
        testid="confirm-channel-disconnect", open=S.confirm_id > 0,
    )


def channels_panel() -> rx.Component:
    return rx.vstack(
        rx.heading("Channels", size="4"),
        rx.text("Connect your ad accounts and your shop: Dream Suite reads what your ads cost and earn, and "
                "what your merch sells, once a day — it never changes a campaign or an order.",
                size=st.size_sm, color=st.text_muted),
        _banner(),
        role_note(S.can_edit, NOT_EDITOR, testid="channels-role-note"),
        _confirm(),
        _shop_dialog(),
        rx.grid(rx.foreach(S.kinds, _card), columns=rx.breakpoints(initial="1", md="2", xl="4"),
                spacing=st.gap_lg, width="100%"),
        spacing=st.gap_md, width="100%", data_testid="channels-panel",
    )
