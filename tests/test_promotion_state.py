"""The Promotion page's state without a browser: the load's rows and figures, presets and custom
ranges (a bad one says what to change), the currency switch redrawing the money charts only,
accept and dismiss (a viewer refused in words), and the words of the rows."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import update

from dreamsuite.analytics.promotion_data import DailyOrders
from dreamsuite.db import session as db_session
from dreamsuite.models import Membership, Role
from dreamsuite.services import auth
from dreamsuite.services.promotion_runs import run_brain
from dreamsuite.state import promotion_rows as rows
from dreamsuite.state.promotion import PromotionState as S
from tests.promotion_db import make_channel, put_ad_rows, put_orders
from tests.promotion_synth import START, creative
from tests.helpers import figure_of
from tests.test_state import handler, tab

import dreamsuite.pages  # noqa: E402,F401 - states registered in the import context, as test_state does

pytestmark = pytest.mark.usefixtures("close_arq_pools")

DAYS = 70
LAST = START + timedelta(days=DAYS - 1)


def _numbers(ws_id: int) -> None:
    rng = random.Random(3)
    data = creative(rng, creative_id="tired", days=DAYS, fatigue_from=40, spend=60, aov=30.0)
    data += creative(rng, creative_id="steady", days=DAYS, spend=80, aov=30.0)
    data += creative(rng, channel="google", campaign="g1", creative_id="yt", currency="USD", days=DAYS, spend=50)
    put_ad_rows(ws_id, data, names={"tired": "Summer teaser"})
    shop = make_channel(ws_id, "shopify", "EUR", name="Merch")
    put_orders(ws_id, shop, [DailyOrders(START + timedelta(days=i), "EUR", 1, Decimal("20"), None)
                             for i in range(DAYS)])


async def _page(token: str):
    st = tab(S, token, "/promotion")
    await handler(S, "check_login")(st)
    await handler(S, "load")(st)
    return st


async def _run(gen) -> None:
    async for _ in gen:
        pass


async def test_load_ranges_currencies_and_answers(db, redis_url):
    user_id, ws_id, token = auth.create_account("me@example.com", "password1", "Me", "Europe/Paris")
    st = await _page(token)
    assert st.loaded and not st.has_channels and st.load_error == ""  # nothing connected: the empty state
    _numbers(ws_id)
    await run_brain(ws_id, LAST + timedelta(days=1))
    st = await _page(token)
    assert st.has_channels and st.has_numbers and st.has_run
    assert [t.currency for t in st.tiles] == ["EUR", "USD"] and st.tiles[0].spend.startswith("€")
    assert st.range_label.endswith("(30 days)") and st.custom_to == LAST.isoformat()
    assert st.currency == "EUR" and {t.name for t in figure_of(st.spend_fig).data} >= {"Merch sales", "Ad revenue"}
    assert any(f.name == "Summer teaser" for f in st.fatigue_rows)
    assert any(r.tired and r.label == "Summer teaser" for r in st.creative_rows)
    assert st.actions and st.actions[0].open and st.actions[0].impact.endswith(" a day")
    assert st.run_note.startswith("Analysed ") and "(Europe/Paris)" in st.run_note

    # The currency switch redraws the money charts in dollars, and refuses a currency not shown.
    roas_before = st.roas_fig.__wrapped__  # the dict itself, under the state's change-tracking proxy
    await handler(S, "set_currency")(st, "USD")
    assert st.currency == "USD" and "Merch sales" not in {t.name for t in figure_of(st.spend_fig).data}
    assert st.roas_fig.__wrapped__ is roas_before
    await handler(S, "set_currency")(st, "GBP")
    assert st.currency == "USD"

    spend_30 = st.tiles[0].spend
    await _run(handler(S, "set_preset")(st, "7d"))
    assert st.range_label.endswith("(7 days)") and st.tiles[0].spend != spend_30 and not st.loading
    await _run(handler(S, "apply_custom")(st, {"from": "2026-01-10", "to": "2026-01-05"}))
    assert "after the end date" in st.range_error and st.range_label.endswith("(7 days)")
    await _run(handler(S, "apply_custom")(st, {"from": "2026-01-05", "to": "2026-01-18"}))
    assert st.range_error == "" and st.range_label == "5 Jan – 18 Jan 2026 (14 days)"

    first = st.actions[0]
    await handler(S, "accept")(st, first.id)
    assert st.action_error == "" and next(a for a in st.actions if a.id == first.id).status_label == "Accepted"

    # A viewer reads, and is told in words when an answer is tried anyway.
    with db_session() as s:
        s.exec(update(Membership).where(Membership.user_id == user_id)
               .values(role=Role.viewer))
    st = await _page(token)
    await handler(S, "dismiss")(st, first.id)
    assert "editor" in st.action_error
    assert next(a for a in st.actions if a.id == first.id).status_label == "Accepted"  # unchanged


def test_rows_in_words():
    assert rows.money(Decimal("1234.5"), "EUR") == "€1,234.50"
    assert rows.money(Decimal("1234.5"), "JPY") == "¥1,234" and rows.money(None, "EUR") == "—"
    assert (rows.ratio(None), rows.ratio(2.345), rows.rate(0.01234)) == ("—", "2.35×", "1.23%")
    labels = rows.channel_labels([{"id": 1, "kind": "meta_ads", "name": "EU"}, {"id": 2, "kind": "meta_ads", "name": "US"},
                                  {"id": 3, "kind": "google_ads", "name": "x"}])
    assert [labels[i][0] for i in (1, 2, 3)] == ["Meta Ads · EU", "Meta Ads · US", "Google Ads"]
    lines = rows.evidence_lines({"ctr_drop_pct": -38.2, "since": "2026-02-14", "baseline_ctr": 0.0213,
                                 "cpa_7d": {"amount": "12.50", "currency": "EUR"}, "fit_from": {"b": 1},
                                 "roas_7d": 0.61})
    assert lines == ["Click-through rate change: -38.2%", "Since: 14 Feb 2026", "First week's CTR: 2.13%",
                     "CPA, last 7 days: €12.50", "ROAS, last 7 days: 0.61×"]
    assert rows.hit_rate(None)[0] == "—"
    assert rows.hit_rate({"adoption": 0.5, "decided": 2, "accepted": 1, "prediction_accuracy": None,
                          "measured": 0})[:2] == ("50%", "1 of 2 answered actions accepted")


def test_charts_keep_currencies_apart_and_names_escaped():
    from dreamsuite.components import promotion_charts as charts

    daily = [{"day": "2026-01-01", "channel_id": 1, "currency": "EUR", "spend": "10.00", "revenue": "25.00"},
             {"day": "2026-01-01", "channel_id": 2, "currency": "EUR", "spend": "5.00", "revenue": "4.00"},
             {"day": "2026-01-01", "channel_id": 3, "currency": "USD", "spend": "99.00", "revenue": "1.00"}]
    merch = [{"day": "2026-01-01", "currency": "EUR", "revenue": "40.00", "orders": 2}]
    labels = {1: ("Meta Ads", "#0866FF"), 2: ("Google Ads", "#4285F4"), 3: ("Google Ads <b>", "#4285F4")}
    eur = figure_of(charts.spend_revenue_figure(daily, merch, "EUR", labels))
    bars = [t for t in eur.data if t.type == "bar"]
    assert sorted(float(t.y[0]) for t in bars) == [5.0, 10.0]  # no dollars among the euros
    assert [t.marker.pattern.shape for t in bars] == [None, "/"]  # two blues: the second hatched
    assert {t.name: list(t.y) for t in eur.data if t.type == "scatter"} == {"Ad revenue": [29.0],
                                                                            "Merch sales": [40.0]}
    usd = figure_of(charts.spend_revenue_figure(daily, merch, "USD", labels))
    assert [t.name for t in usd.data] == ["Google Ads &lt;b&gt; spend", "Ad revenue"]
    assert not figure_of(charts.spend_revenue_figure(daily, merch, "GBP", labels)).data  # an empty state
    roas = figure_of(charts.roas_figure([{"channel_id": 3, "currency": "USD", "roas": 0.0101},
                                    {"channel_id": 1, "currency": "EUR", "roas": None}], labels))
    assert list(roas.data[0].y) == ["Google Ads &lt;b&gt; (USD)"]
    assert not figure_of(charts.fatigue_figure([])).data and not figure_of(charts.forecast_figure([], "EUR")).data
