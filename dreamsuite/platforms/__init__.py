"""The platform registry: every adapter by name, and the ordered catalog the Connections page shows."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from importlib import import_module
from importlib.util import find_spec

from dreamsuite.platforms.base import NotSupported, PlatformAdapter
from dreamsuite.platforms.http import RateGate
from dreamsuite.platforms.catalog import DECLARED
from dreamsuite.platforms.promotion_base import PROMOTION_MODULES, promotion_class
from dreamsuite.platforms.sandbox.adapter import SandboxAdapter

# One module per platform (platforms/<name>.py, a class named <Name>Adapter in ADAPTER); a
# platform without its module yet is shown from its declaration in catalog.py.
CONNECTOR_MODULES = ("instagram", "facebook", "spotify", "youtube", "tiktok", "soundcloud", "x", "deezer")


def _connectors() -> list[type[PlatformAdapter]]:
    found = []
    for name in CONNECTOR_MODULES:
        if find_spec(f"dreamsuite.platforms.{name}") is not None:
            found.append(import_module(f"dreamsuite.platforms.{name}").ADAPTER)
    return found


CONNECTORS: list[type[PlatformAdapter]] = _connectors()
_ADAPTERS: dict[str, type[PlatformAdapter]] = {
    cls.name: cls for cls in [*DECLARED, *CONNECTORS, SandboxAdapter]}


class UnknownPlatform(NotSupported, KeyError):
    """A platform name we have never heard of (a typo or a stale link)."""

    def __str__(self) -> str:  # KeyError would otherwise print the message in quotes
        return self.message


@dataclass(frozen=True)
class PlatformCard:
    name: str
    label: str
    reads: str
    color: str
    has_api: bool
    connectable: bool
    can_publish: bool
    max_text_length: int | None

    @property
    def note(self) -> str:
        if self.connectable:
            return ""
        return "Coming soon" if self.has_api else "No public API yet"

    def as_dict(self) -> dict:
        return {**asdict(self), "note": self.note}


def get_adapter(name: str, gate: RateGate | None = None) -> PlatformAdapter:
    """The platform's adapter; `gate` holds its rate limits across workers (none: no limits held)."""
    cls = _ADAPTERS.get(name)
    if cls is None:
        raise UnknownPlatform(f"Unknown platform {name!r}; known: {', '.join(_ADAPTERS)}")
    return cls(gate)


def adapter_class(name: str) -> type[PlatformAdapter] | None:
    """The adapter class of a platform or promotion channel (what it can do, without making one);
    None when unknown."""
    found = _ADAPTERS.get(name)
    if found is None and name in PROMOTION_MODULES:
        found = promotion_class(name)
    return found


def account_label(platform: str, username: str = "") -> str:
    """How messages name one connected account: "Instagram (@nova)", "Spotify (Nova Lane)", or
    the bare platform name."""
    try:
        adapter = get_adapter(platform)
        name, prefix = adapter.label, adapter.handle_prefix
    except UnknownPlatform:
        name, prefix = platform, "@"
    return f"{name} ({prefix}{username})" if username else name


def platform_label(platform: str) -> str:
    """The platform's own spelling ("YouTube", "TikTok"), or the name as given when unknown."""
    try:
        return get_adapter(platform).label
    except UnknownPlatform:
        return platform.capitalize()


def handle(platform: str, username: str) -> str:
    """An account's name as the platform writes it ("@nova", or "Nova Lane" for an artist profile)."""
    try:
        prefix = get_adapter(platform).handle_prefix
    except UnknownPlatform:
        prefix = "@"
    return f"{prefix}{username}" if username else ""


def _card(cls: type[PlatformAdapter]) -> PlatformCard:
    return PlatformCard(name=cls.name, label=cls.label, reads=cls.reads, color=getattr(cls, "color", "#888888"),
                        has_api=cls.has_api, connectable=cls.connectable, can_publish=cls.can_publish,
                        max_text_length=cls.max_text_length)


# The order artists know them by (a connector replaces its declaration), the sandbox last.
_ORDER = ["instagram", "facebook", "spotify", "youtube", "tiktok", "soundcloud", "x", "deezer", "apple_music",
          "amazon_music", "tidal"]
CATALOG: list[PlatformCard] = [_card(_ADAPTERS[name]) for name in _ORDER] + [_card(SandboxAdapter)]

__all__ = ["CATALOG", "PlatformCard", "UnknownPlatform", "account_label", "adapter_class", "get_adapter", "handle",
           "platform_label"]
