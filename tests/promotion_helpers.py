"""The promotion emulators (Meta Ads, Shopify) served over real HTTP for their connector tests, with
their own store file and failure injection, and EMULATOR_URL pointing the connectors at them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from importlib import import_module
from importlib.util import find_spec

from dreamsuite.platforms.emulators.store import Account, EmulatorStore
from dreamsuite.platforms.sandbox.serve import serve_app
from dreamsuite.settings import get_settings


# The promotion channels' emulator modules (emulators/<name>.py with EMULATOR), served together.
PROMOTION_EMULATORS = ("meta_ads", "google_ads", "tiktok_ads", "shopify")


class Promotion:
    def __init__(self, base: str, store: EmulatorStore, emulators: dict[str, Any]):
        self.base, self.store, self.by_name = base, store, emulators

    def __getitem__(self, name: str):
        return self.by_name[name]

    def account(self, platform: str, name: str = "Nova Lane", persona: str = "nova lane") -> Account:
        handle = name.lower().replace(" ", "_")
        return self.store.add_account(Account(platform, f"{platform}-{handle}", handle, name, persona))

    async def control(self, platform: str, action: str, **body) -> None:
        async with httpx.AsyncClient(timeout=5) as client:
            (await client.post(f"{self.base}/{platform}/_control/{action}", json=body)).raise_for_status()


@pytest.fixture(scope="session")
def _promotion_server(tmp_path_factory):
    store = EmulatorStore(tmp_path_factory.mktemp("promotion") / "emulators.db")
    modules = [import_module(f"dreamsuite.platforms.emulators.{n}") for n in PROMOTION_EMULATORS
               if find_spec(f"dreamsuite.platforms.emulators.{n}") is not None]
    emulators = {m.EMULATOR.platform: m.EMULATOR(store) for m in modules}
    app = Starlette(routes=[Mount(f"/{n}", app=e.app(with_control=True)) for n, e in emulators.items()])
    with serve_app(app) as base:
        yield base, store, emulators


@pytest.fixture
def promotion(_promotion_server, monkeypatch) -> Promotion:
    base, store, emulators = _promotion_server
    store.reset()
    for e in emulators.values():
        e.control.reset()
        e._reset()
    monkeypatch.setenv("EMULATOR_URL", base)
    get_settings.cache_clear()
    yield Promotion(base, store, emulators)
    get_settings.cache_clear()


@pytest.fixture
async def client():
    async with httpx.AsyncClient(timeout=20) as c:
        yield c
