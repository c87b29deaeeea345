"""Local emulators of the platforms we connect to, each speaking its platform's documented
OAuth and API shapes (one module per platform), for the demo and the tests.

Pointing a connector at its emulator is configuration: EMULATOR_URL (or a platform's own
<PLATFORM>_<HOST>_URL) replaces the real base URLs; the connector's code is the same.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module
from importlib.util import find_spec

from starlette.applications import Starlette
from starlette.routing import Mount

from dreamsuite.platforms.emulators.core import Emulator
from dreamsuite.platforms.emulators.store import EmulatorStore
from dreamsuite.settings import DEMO_EMULATOR_SECRET, get_settings

# The platforms that have an emulator module here (emulators/<name>.py with EMULATOR): the social
# platforms, then the promotion channels (ad accounts and the shop); one not written yet is skipped.
PLATFORMS = ("instagram", "facebook", "spotify", "youtube", "tiktok", "soundcloud", "x", "deezer",
             "meta_ads", "google_ads", "tiktok_ads", "shopify")


def emulator_classes() -> dict[str, type[Emulator]]:
    out = {}
    for name in PLATFORMS:
        if find_spec(f"dreamsuite.platforms.emulators.{name}") is not None:
            out[name] = import_module(f"dreamsuite.platforms.emulators.{name}").EMULATOR
    return out


@lru_cache
def store_for(path: str) -> EmulatorStore:
    return EmulatorStore(path)


def check_secret() -> None:
    s = get_settings()
    if not s.dreamsuite_demo and s.emulator_secret == DEMO_EMULATOR_SECRET:
        raise RuntimeError("The platform emulators are mounted outside demo mode with their public default secret: "
                           "set EMULATOR_SECRET to a secret of your own, or MOUNT_EMULATORS=0.")


def create_app(*, with_control: bool = False, store: EmulatorStore | None = None) -> tuple[Starlette, dict[str, Emulator]]:
    """Every emulator under /<platform>; returns the app and the emulators (tests reach their controls)."""
    check_secret()
    store = store or store_for(get_settings().emulator_db)
    emulators = {name: cls(store) for name, cls in emulator_classes().items()}
    app = Starlette(routes=[Mount(f"/{name}", app=e.app(with_control=with_control)) for name, e in emulators.items()])
    return app, emulators
