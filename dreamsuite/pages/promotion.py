"""Promotion: the artist's paid ads and merch at a glance for a date range — spend against what
came back, ROAS / CPA / CTR by channel and creative, tiring creatives, the next two weeks — with
the brain's ranked next actions first, and the channels to connect."""

import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.cards import empty_state
from dreamsuite.components.charts import chart
from dreamsuite.components.date_range import date_range_picker
from dreamsuite.components.layout import template
from dreamsuite.components.promotion_actions import actions_card
from dreamsuite.components.promotion_connect import channels_panel
from dreamsuite.components.promotion_tables import perf_list
from dreamsuite.state.dashboard_range import PRESETS
from dreamsuite.state.promotion import PromotionState as S
from dreamsuite.state.promotion_connect import PromotionConnectState

TWO = rx.breakpoints(initial="1", lg="2")


def _title(title: str, *extra: rx.Component) -> rx.Component:
    return rx.hstack(rx.text(title, weight="bold", size=st.size_lg), rx.spacer(), *extra, align="center",
                     width="100%", wrap="wrap")


def _card(title: str, testid: str, *children: rx.Component, extra: tuple = ()) -> rx.Component:
    return rx.card(rx.vstack(_title(title, *extra), *children, spacing=st.gap_sm, width="100%"), **st.card,
                   data_testid=testid, min_width="0")


def _note(text: str) -> rx.Component:
    return rx.text(text, size=st.size_xs, color=st.text_muted)


def _currency_switch() -> rx.Component:
    return rx.cond(
        S.currencies.length() > 1,
        rx.segmented_control.root(
            rx.foreach(S.currencies, lambda c: rx.segmented_control.item(c.label, value=c.value,
                                                                         data_testid="currency-" + c.value)),
            value=S.currency, on_change=S.set_currency, size="1", data_testid="currency-switch",
        ),
    )


def _range_bar() -> rx.Component:
    return date_range_picker(
        presets=PRESETS, preset=S.preset, on_preset=S.set_preset, start=S.custom_from, end=S.custom_to,
        on_start=S.set_custom_from, on_end=S.set_custom_to, on_apply=S.apply_custom, today=S.today,
        error=S.range_error, busy=S.loading, label=S.range_label,
    )


def _tile(t) -> rx.Component:
    def figure(label: str, value, testid: str) -> rx.Component:
        return rx.vstack(rx.text(label, size=st.size_xs, color=st.text_muted),
                         rx.text(value, size=st.size_lg, weight="bold", white_space="nowrap", data_testid=testid),
                         spacing="0", min_width="0")

    return rx.card(
        rx.vstack(
            rx.badge(t.currency, **st.badge_muted, data_testid="total-currency"),
            rx.grid(figure("Ad spend", t.spend, "total-spend"), figure("Ad revenue", t.revenue, "total-revenue"),
                    figure("ROAS", t.roas, "total-roas"),
                    rx.vstack(rx.text("Merch sales", size=st.size_xs, color=st.text_muted),
                              rx.text(t.merch, size=st.size_lg, weight="bold", white_space="nowrap",
                                      data_testid="total-merch"),
                              rx.text(t.orders, size=st.size_xs, color=st.text_faint), spacing="0"),
                    columns="2", spacing=st.gap_md, width="100%"),
            spacing=st.gap_sm, width="100%",
        ),
        **st.card, data_testid="total-tile",
    )


def _numbers() -> rx.Component:
    return rx.vstack(
        rx.cond(S.tiles.length() > 0,
                rx.grid(rx.foreach(S.tiles, _tile), columns=rx.breakpoints(initial="1", sm="2", xl="3"),
                        spacing=st.gap_md, width="100%", data_testid="totals"),
                rx.callout("No ad spend or shop sales in this range.", **st.callout_info, data_testid="range-empty")),
        _card("Spend and what came back", "spend-chart", chart(S.spend_fig, f"{st.chart_height}px"),
              _note("Bars: each channel's ad spend a day. Lines: the revenue the ad platforms credit to your ads, "
                    "and your shop's sales (every order, whatever brought it). One currency at a time: amounts "
                    "in different currencies are never added up."),
              extra=(_currency_switch(),)),
        rx.grid(
            _card("ROAS by channel", "roas-chart", chart(S.roas_fig, S.roas_height),
                  _note("Revenue ÷ spend in this range; under 1× (the dashed line) an ad costs more than it brings.")),
            _card("Channels", "channel-table",
                  perf_list(S.channel_rows, "channel-row", "No ad spend in this range.")),
            columns=TWO, spacing=st.gap_lg, width="100%", align_items="start",
        ),
        _card("Creatives", "creative-table",
              perf_list(S.creative_rows, "creative-row", "No creative ran in this range."),
              _note("CPA: spend ÷ sales the platform counted; CTR: clicks ÷ impressions.")),
        rx.grid(
            _card("Tiring creatives", "fatigue-chart", chart(S.fatigue_fig, f"{st.chart_height}px"),
                  rx.foreach(S.fatigue_rows, lambda f: rx.text(
                      rx.text.strong(f.name), " (", f.where, "): tiring since ", f.since, ", ", f.drop,
                      rx.cond(f.ongoing, "", " — recovered since"), size=st.size_sm, overflow_wrap="anywhere",
                      data_testid="fatigue-row")),
                  _note("Each line is a creative's daily click-through rate; dotted, its first week's; ▼ where "
                        "the decline began.")),
            _card("The next 14 days", "forecast-chart", chart(S.forecast_fig, f"{st.chart_height_sm + 60}px"),
                  _note("Expected spend and revenue a day, dashed; the shaded band is where 8 days in 10 should "
                        "fall."),
                  extra=(_currency_switch(),)),
            columns=TWO, spacing=st.gap_lg, width="100%",
        ),
        spacing=st.gap_lg, width="100%",
    )


def _overview() -> rx.Component:
    return rx.vstack(
        _range_bar(),
        actions_card(),
        rx.cond(S.has_numbers, _numbers(),
                empty_state("hourglass", "Your first numbers are on their way",
                            "Your channels are connected; their last 180 days are being collected. This page fills "
                            "in by itself when they arrive.", testid="promotion-collecting")),
        spacing=st.gap_lg, width="100%", opacity=rx.cond(S.loading, "0.6", "1"), transition="opacity 0.2s",
    )


def _skeleton() -> rx.Component:
    block = lambda h: rx.skeleton(rx.box(height=h, width="100%"), loading=True)  # noqa: E731
    return rx.vstack(block("40px"), block("160px"), block(f"{st.chart_height}px"), width="100%",
                     spacing=st.gap_lg, data_testid="promotion-loading", aria_busy="true")


@template(route="/promotion", title="Promotion", on_load=[S.load, PromotionConnectState.load])
def promotion() -> rx.Component:
    return rx.vstack(
        rx.cond(S.load_error != "", rx.callout(S.load_error, **st.callout_error, data_testid="promotion-error")),
        rx.cond(
            S.loaded,
            rx.cond(S.has_channels, _overview(),
                    empty_state("megaphone", "No ad account or shop yet",
                                "Connect your ad accounts and your merch shop below: Dream Suite reads what your "
                                "ads cost and bring back, and what your merch sells, then tells you what to do "
                                "next.", testid="promotion-empty")),
            rx.cond(S.load_error != "", rx.fragment(), _skeleton()),
        ),
        channels_panel(),
        width="100%", spacing=st.gap_lg,
    )
