"""Promotion: what the artist's ads cost and brought back and what the shop sold, for a date
range, with the brain's ranked next actions to accept or dismiss — reloaded live when a collect
or a brain run lands.

services/promotion_view reads; state/promotion_rows words it; components/promotion_charts draws.
Money charts show one currency at a time (`currency`): the switcher redraws them from what the
last read kept, without reading again.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import reflex as rx

from dreamsuite.components import promotion_charts as charts
from dreamsuite.components.charts_base import EMPTY_FIGURE
from dreamsuite.services.errors import UserError
from dreamsuite.services.promotion_actions import decide_action
from dreamsuite.services.promotion_store import CHANNEL_OF_KIND
from dreamsuite.services.promotion_view import PromotionView, promotion_view
from dreamsuite.state import fmt
from dreamsuite.state import promotion_rows as rows
from dreamsuite.state.auth import AuthState, to_login_page
from dreamsuite.state.dashboard_range import CUSTOM, Choice, custom_choice, preset_choice, range_words
from dreamsuite.state.live import watch_page
from dreamsuite.state.plain import plain

log = logging.getLogger(__name__)

PATH = "/promotion"
DEFAULT_PRESET = "30d"  # the brain judges on its last 28 days: the page opens on about the same
LOAD_ERROR = "Your promotion numbers could not be loaded just now. Please reload the page in a moment."
ACTION_ERROR = "That did not work just now; please try again."


def _jsonable(rows_: list[dict]) -> list[dict]:
    return [{k: str(v) if isinstance(v, Decimal) else v for k, v in r.items()} for r in rows_]


class PromotionState(AuthState):
    loaded: bool = False
    loading: bool = False
    load_error: str = ""
    has_channels: bool = False
    has_numbers: bool = False
    has_run: bool = False
    preset: str = DEFAULT_PRESET
    custom_from: str = ""
    custom_to: str = ""
    range_error: str = ""
    range_label: str = ""
    today: str = ""
    currency: str = ""
    currencies: list[rows.Option] = []
    tiles: list[rows.TotalTile] = []
    channel_rows: list[rows.PerfRow] = []
    creative_rows: list[rows.PerfRow] = []
    fatigue_rows: list[rows.FatigueRow] = []
    actions: list[rows.ActionRow] = []
    action_error: str = ""
    adoption: str = "—"
    adoption_basis: str = ""
    accuracy: str = "—"
    accuracy_basis: str = ""
    run_note: str = ""
    notes: list[str] = []
    spend_fig: dict[str, Any] = EMPTY_FIGURE
    roas_fig: dict[str, Any] = EMPTY_FIGURE
    fatigue_fig: dict[str, Any] = EMPTY_FIGURE
    forecast_fig: dict[str, Any] = EMPTY_FIGURE
    roas_height: str = "240px"
    _listen_gen: int = 0
    _start: str = ""  # the custom range applied (iso); "" with a preset
    _end: str = ""
    _inputs_dirty: bool = False
    _money: dict = {}  # what the money charts need to redraw in another currency

    # ------------------------------------------------------------------ reading
    def _today(self) -> date:
        try:
            zone = ZoneInfo(self.user_timezone or "UTC")
        except Exception:
            zone = ZoneInfo("UTC")
        return datetime.now(zone).date()

    def _choice(self) -> Choice:
        if self.preset == CUSTOM and self._start and self._end:
            start, end = date.fromisoformat(self._start), date.fromisoformat(self._end)
            return Choice(CUSTOM, (end - start).days + 1, start, end)
        return preset_choice(self.preset)

    async def _reload(self) -> None:
        scope = await self._scope()
        choice = self._choice()
        try:
            v = await promotion_view(scope, choice.days, choice.start, choice.end)
        except Exception:
            log.exception("promotion page data failed")
            self.load_error, self.loaded = LOAD_ERROR, True
            return
        self.load_error = ""
        self.today = self._today().isoformat()
        self._show(v)
        self.loaded = True

    def _show(self, v: PromotionView) -> None:
        tz = self.user_timezone
        self.has_channels, self.has_numbers, self.has_run = v.has_channels, v.has_numbers, v.run is not None
        labels = rows.channel_labels(v.channels)
        first = min([r["day"] for r in v.daily[:1] + v.merch[:1]], default=None)
        self.range_label = range_words(v.start, v.end, self.preset, first)
        if not self._inputs_dirty:
            self.custom_from, self.custom_to = v.start or "", v.end or ""
        self.tiles = rows.totals(v.totals)
        self.currencies = [rows.Option(c, c) for c in v.currencies]
        if self.currency not in v.currencies:
            self.currency = v.currencies[0] if v.currencies else ""
        self.channel_rows = rows.channel_rows(v.by_channel, labels)
        tired = {(f["channel_id"], f["creative_id"]) for f in v.fatigue}
        self.creative_rows = rows.creative_rows(v.by_creative, labels, tired)
        self.fatigue_rows = rows.fatigue_rows(v.fatigue, labels)
        # The brain names its targets by platform and id ("creative:meta/123"): shown by their names.
        names = {f"creative:{CHANNEL_OF_KIND.get(r['kind'], r['kind'])}/{r['creative_id']}": r["name"]
                 for r in v.by_creative}
        names.update({f"channel:{CHANNEL_OF_KIND.get(r['kind'], r['kind'])}/{r['currency']}":
                      f"{rows.kind_label(r['kind'])} ({r['currency']})" for r in v.by_channel})
        self.actions = rows.action_rows(v.actions, tz, names)
        self.adoption, self.adoption_basis, self.accuracy, self.accuracy_basis = rows.hit_rate(v.hit_rate)
        self.run_note = (f"Analysed {fmt.local_time(v.run['computed_at'], tz)} ({tz.replace('_', ' ')})"
                         if v.run else "")
        self.notes = v.notes
        self.roas_fig = charts.roas_figure(v.by_channel, labels)
        self.roas_height = f"{self.roas_fig['layout'].get('height') or 240}px"
        self.fatigue_fig = charts.fatigue_figure(v.fatigue)
        self._money = {"daily": _jsonable(v.daily), "merch": _jsonable(v.merch), "forecasts": v.forecasts,
                       "labels": {str(k): list(x) for k, x in labels.items()}}
        self._draw_money()

    def _draw_money(self) -> None:
        m = plain(self._money or {})
        labels = {int(k): tuple(x) for k, x in (m.get("labels") or {}).items()}
        self.spend_fig = charts.spend_revenue_figure(m.get("daily") or [], m.get("merch") or [], self.currency,
                                                     labels)
        self.forecast_fig = charts.forecast_figure(m.get("forecasts") or [], self.currency)

    # ------------------------------------------------------------------ events
    @rx.event
    async def load(self):
        if not self.is_logged_in:
            return
        self.action_error = ""
        await self._reload()
        return PromotionState.watch

    async def _reload_range(self):
        self.loading = True
        yield
        try:
            await self._reload()
        finally:
            self.loading = False

    @rx.event
    async def set_preset(self, value: str | list[str]):
        choice = preset_choice(str(value[0] if isinstance(value, list) and value else value))
        self.preset, self._start, self._end = choice.preset, "", ""
        self.range_error, self._inputs_dirty = "", False
        async for update in self._reload_range():
            yield update

    @rx.event
    def set_custom_from(self, value: str):
        self.custom_from, self._inputs_dirty, self.range_error = str(value)[:32], True, ""

    @rx.event
    def set_custom_to(self, value: str):
        self.custom_to, self._inputs_dirty, self.range_error = str(value)[:32], True, ""

    @rx.event
    async def apply_custom(self, form_data: dict | None = None):
        form = form_data if isinstance(form_data, dict) else {}
        self.custom_from = str(form.get("from", self.custom_from))[:32]
        self.custom_to = str(form.get("to", self.custom_to))[:32]
        choice = custom_choice(self.custom_from, self.custom_to, self._today())
        if isinstance(choice, str):
            self.range_error = choice
            return
        self.preset, self._start, self._end = CUSTOM, choice.start.isoformat(), choice.end.isoformat()
        self.range_error, self._inputs_dirty = "", False
        async for update in self._reload_range():
            yield update

    @rx.event
    async def set_currency(self, value: str | list[str]):
        await self._scope()
        value = str(value[0] if isinstance(value, list) and value else value)
        if value in [c.value for c in self.currencies]:
            self.currency = value
            self._draw_money()

    async def _decide(self, action_id: int, accept: bool) -> None:
        self.action_error = ""
        try:
            await decide_action(await self._scope(), int(action_id), accept)
        except UserError as exc:
            self.action_error = exc.message
        except Exception:
            log.exception("promotion action answer failed")
            self.action_error = ACTION_ERROR
        await self._reload()

    @rx.event
    async def accept(self, action_id: int):
        await self._decide(action_id, True)

    @rx.event
    async def dismiss(self, action_id: int):
        await self._decide(action_id, False)

    async def _on_event(self, ev: dict) -> None:
        if ev.get("status") == "started":
            return  # a collect began: nothing changed yet
        await self._reload()

    @rx.event(background=True)
    async def watch(self):
        if await watch_page(self, PATH, {"promotion"}, self._on_event):
            yield to_login_page()
