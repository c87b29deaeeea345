"""The account page's "API and webhooks" cards (state: state/api_settings.py); owners only."""

from __future__ import annotations

import reflex as rx

from dreamsuite import styles as st
from dreamsuite.state.api_settings import EVENT_CHOICES, ApiSettingsState as S
from dreamsuite.state.auth import AuthState


def _secret_once() -> rx.Component:
    return rx.cond(
        S.new_secret != "",
        rx.callout(
            rx.vstack(
                rx.text("Copy the ", S.new_secret_label, " now: it is shown only this once.", size=st.size_sm),
                rx.hstack(
                    rx.code(S.new_secret, overflow_wrap="anywhere", data_testid="new-secret"),
                    rx.button(rx.icon("copy", size=14), "Copy", size="1", variant="soft",
                              on_click=[rx.set_clipboard(S.new_secret), rx.toast("Copied")]),
                    rx.button("Done", size="1", variant="ghost", on_click=S.forget_secret),
                    align="center", wrap="wrap", spacing=st.gap_sm,
                ),
                spacing=st.gap_sm, width="100%",
            ),
            icon="key-round", color_scheme="amber", width="100%",
        ),
    )


def _token_row(t: rx.Var) -> rx.Component:
    return rx.table.row(
        # A name of one long word wraps: it would otherwise widen the table past a phone's edge.
        rx.table.cell(rx.text(t["name"], weight="medium", overflow_wrap="anywhere"),
                      rx.text(t["prefix"], "…", size=st.size_xs, color=st.text_muted, font_family="monospace")),
        rx.table.cell(rx.badge(t["scope"], color_scheme=rx.cond(t["scope"] == "write", "orange", "gray"))),
        rx.table.cell(rx.text(t["last_used"], size=st.size_sm)),
        rx.table.cell(rx.cond(
            t["revoked"] != "",
            rx.text("revoked ", t["revoked"], size=st.size_sm, color=st.text_muted),
            rx.button("Revoke", size="1", color_scheme="red", variant="soft",
                      on_click=S.revoke_token(t["id"]), data_testid="revoke-token"),
        )),
    )


def _tokens_card() -> rx.Component:
    return rx.card(rx.vstack(
        rx.text("API tokens", weight="bold", size=st.size_lg),
        rx.text("For scripts and other apps: the REST API at ", rx.code(S.api_base), " (schema at ",
                rx.link("openapi.json", href=S.api_base + "/openapi.json", is_external=True),
                "). Read tokens see accounts, posts, metrics and insights; write tokens also schedule, "
                "change and cancel posts.", size=st.size_sm, color=st.text_muted),
        rx.form(rx.hstack(
            rx.input(name="name", placeholder="What will use it (e.g. release script)", max_length=100,
                     required=True, flex="1", min_width="12em"),
            rx.select(["read", "write"], value=S.token_scope, on_change=S.set_token_scope),
            rx.button("Create token", type="submit", data_testid="create-token"),
            wrap="wrap", spacing=st.gap_sm, width="100%",
        ), on_submit=S.create_token, reset_on_submit=True, width="100%"),
        rx.cond(S.token_error != "", rx.callout(S.token_error, **st.callout_error)),
        rx.cond(S.tokens.length() > 0, rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                           ("Token", "Access", "Last used", "")])),
            rx.table.body(rx.foreach(S.tokens, _token_row)),
            width="100%", size="1",
        )),
        spacing=st.gap_md, width="100%",
    ), width="100%")


def _hook_row(h: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.vstack(rx.text(h["url"], size=st.size_sm, weight="medium", overflow_wrap="anywhere"),
                  rx.text(h["events"], size=st.size_xs, color=st.text_muted), spacing="0", min_width="0", flex="1"),
        rx.button("Delete", size="1", color_scheme="red", variant="soft", on_click=S.delete_webhook(h["id"])),
        align="center", width="100%", padding_y=st.gap_xs, border_bottom=st.divider,
    )


def _delivery_row(d: rx.Var) -> rx.Component:
    """One delivery as lines that wrap (a five-column table scrolled sideways on a phone); the
    receiver's error is its own words, shown as text."""
    colour = rx.match(d["status"], ("delivered", "green"), ("failed", "red"), ("sending", "blue"), "amber")
    return rx.vstack(
        rx.hstack(
            rx.badge(d["status"], color_scheme=colour),
            rx.text(d["event"], size=st.size_xs, weight="medium"),
            rx.text(d["when"], size=st.size_xs, color=st.text_muted, white_space="nowrap"),
            rx.text(d["attempts"], rx.cond(d["attempts"] == "1", " try", " tries"),
                    rx.cond(d["code"] != "", " · HTTP " + d["code"], ""), size=st.size_xs, color=st.text_muted),
            spacing=st.gap_sm, align="center", wrap="wrap",
        ),
        rx.cond((d["error"] != "") | (d["next"] != ""),
                rx.text(d["error"], rx.cond(d["next"] != "", " Next try " + d["next"] + ".", ""), size=st.size_xs,
                        color=st.text_muted, overflow_wrap="anywhere", data_testid="webhook-delivery-error")),
        spacing=st.gap_xs, width="100%", min_width="0", padding_y=st.space_sm, border_bottom=st.divider,
        data_testid="webhook-delivery",
    )


def _webhooks_card() -> rx.Component:
    return rx.card(rx.vstack(
        rx.text("Webhooks", weight="bold", size=st.size_lg),
        rx.text("We POST a JSON event to your address, signed in the DreamSuite-Signature header "
                "(t=…,v1=HMAC-SHA256 of “t.body” with the webhook's secret), and try again with growing pauses "
                "until it answers 2xx.", size=st.size_sm, color=st.text_muted),
        rx.form(rx.vstack(
            rx.input(name="url", placeholder="https://example.com/dreamsuite-events", type="url", max_length=2000,
                     required=True, width="100%"),
            rx.vstack(*[rx.checkbox(c["label"] + f" ({c['name']})", checked=S.hook_events.contains(c["name"]),
                                    on_change=lambda on, n=c["name"]: S.toggle_event(n, on), size="1")
                        for c in EVENT_CHOICES], spacing=st.gap_xs),
            rx.button("Add webhook", type="submit", data_testid="add-webhook"),
            spacing=st.gap_sm, width="100%",
        ), on_submit=S.add_webhook, reset_on_submit=True, width="100%"),
        rx.cond(S.hook_error != "", rx.callout(S.hook_error, **st.callout_error)),
        rx.foreach(S.hooks, _hook_row),
        rx.cond(S.deliveries.length() > 0, rx.vstack(
            rx.hstack(rx.text("Latest deliveries", weight="medium", size=st.size_md),
                      rx.button(rx.icon("refresh-cw", size=14), size="1", variant="ghost", on_click=S.refresh,
                                aria_label="Refresh the deliveries"), align="center"),
            rx.vstack(rx.foreach(S.deliveries, _delivery_row), spacing="0", width="100%"),
            spacing=st.gap_sm, width="100%",
        )),
        spacing=st.gap_md, width="100%",
    ), width="100%")


def api_settings_section() -> rx.Component:
    """Owners: tokens and webhooks. Everyone else: who manages them."""
    return rx.cond(
        AuthState.is_owner,
        rx.vstack(rx.heading("API and webhooks", size=st.size_xl), _secret_once(), _tokens_card(), _webhooks_card(),
                  spacing=st.gap_md, width="100%"),
        rx.text("API tokens and webhooks are managed by the workspace's owner.", size=st.size_sm,
                color=st.text_muted),
    )
