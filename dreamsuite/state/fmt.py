"""Display formatting shared by the states: numbers and times in the user's timezone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def number(n: int | float | None) -> str:
    return "—" if n is None else f"{n:,.0f}"


def signed(n: int | float | None) -> str:
    return "—" if n is None else f"{n:+,.0f}"


def pct(p: float | None, signed_: bool = False) -> str:
    if p is None:
        return "—"
    return f"{p:+.1f}%" if signed_ else f"{p:.1f}%"


def local_time(dt: datetime | None, tz: str, fmt: str = "%d %b %Y, %H:%M") -> str:
    """A stored UTC time as the user reads it (naive values are taken as UTC)."""
    if dt is None:
        return ""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        zone = ZoneInfo(tz or "UTC")
    except Exception:
        zone = ZoneInfo("UTC")
    return dt.astimezone(zone).strftime(fmt)


def connection_status(status: str, days_left: int | None = None) -> str:
    """An account's status in words, the same on every page (`days_left`: of an expiring grant)."""
    if status == "expiring" and days_left is not None:
        return "expires today" if days_left == 0 else f"expires in {days_left} day{'s' if days_left != 1 else ''}"
    return {"active": "connected", "expiring": "expiring", "expired": "expired — reconnect",
            "revoked": "disconnected", "error": "sync failed"}.get(status, status)
