"""The dashboard's date range: presets, and a custom from–to checked before anything is read.

Pure functions over strings and dates (no Reflex, no database), so every value a browser can
send is tested without one. A preset ends on the latest collected day; a custom range ends
where the artist says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dreamsuite.services.dashboard import DEFAULT_DAYS, MAX_DAYS

# (value, label): what the segmented control shows, shortest first.
PRESETS: list[tuple[str, str]] = [("7d", "7 d"), ("30d", "30 d"), ("90d", "90 d"), ("12m", "12 mo"), ("all", "All")]
PRESET_DAYS = {"7d": 7, "30d": 30, "90d": DEFAULT_DAYS, "12m": 365, "all": MAX_DAYS}
DEFAULT_PRESET = "90d"
CUSTOM = "custom"
# No platform kept numbers before this; an earlier start is a typo (and would underflow date maths).
EARLIEST = date(2000, 1, 1)
FORECAST_MAX_DAYS = 90
FORECAST_MIN_DAYS = 7


@dataclass(frozen=True)
class Choice:
    """What to ask dashboard_data for: a preset's length, or a custom start and end."""

    preset: str
    days: int
    start: date | None = None
    end: date | None = None


def preset_choice(preset: str) -> Choice:
    """A preset by its value; anything unknown is the default (a stale or tampered event)."""
    preset = preset if preset in PRESET_DAYS else DEFAULT_PRESET
    return Choice(preset, PRESET_DAYS[preset])


def day_label(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def _parse(text: str) -> date | None:
    text = (text or "").strip()
    if len(text) != 10:  # YYYY-MM-DD only: Chrome sends "275760-09-13" for its last date
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def custom_choice(start_text: str, end_text: str, today: date) -> Choice | str:
    """A custom range from two date inputs, or the message that says what to change."""
    if not (start_text or "").strip() or not (end_text or "").strip():
        return "Pick both a start date and an end date."
    start, end = _parse(start_text), _parse(end_text)
    if start is None and end is None:
        return "Neither date is a real date: pick them in the calendar, or write them as YYYY-MM-DD."
    if start is None:
        return "The start date is not a real date: pick it in the calendar, or write it as YYYY-MM-DD."
    if end is None:
        return "The end date is not a real date: pick it in the calendar, or write it as YYYY-MM-DD."
    if start > end:
        return f"The start date ({day_label(start)}) is after the end date ({day_label(end)}): swap them."
    if end > today:
        which = "Both dates are" if start > today else "The end date is"
        return f"{which} in the future: your numbers go up to today ({day_label(today)}) at most."
    if start < EARLIEST:
        return f"Your numbers start in {EARLIEST.year} at the earliest: pick a later start date."
    if (end - start).days + 1 > MAX_DAYS:
        return f"A range can span {MAX_DAYS // 365} years at most: pick a later start date."
    return Choice(CUSTOM, (end - start).days + 1, start, end)


def forecast_days(span_days: int) -> int:
    """How far ahead the forecast is drawn: a third of the range (a week at least, 90 days at
    most), so a short range is not dwarfed by three months of forecast."""
    return max(FORECAST_MIN_DAYS, min(FORECAST_MAX_DAYS, int(span_days) // 3))


def range_words(start_iso: str | None, end_iso: str | None, preset: str, first_iso: str | None = None) -> str:
    """'29 Aug – 26 Nov 2026 (90 days)'; all time: 'Since 12 Mar 2024 (all your history)'."""
    if not start_iso or not end_iso:
        return ""
    start, end = date.fromisoformat(start_iso), date.fromisoformat(end_iso)
    if preset == "all":
        if first_iso:
            start = max(start, date.fromisoformat(first_iso))
        return f"{day_label(start)} – {day_label(end)} (all your history)"
    days = (end - start).days + 1
    first = f"{start.day} {start:%b}" + (f" {start.year}" if start.year != end.year else "")
    return f"{first} – {day_label(end)} ({days} day{'s' if days != 1 else ''})"
