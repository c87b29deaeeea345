"""What the calendar page shows, built from the calendar service's plain data: days, hour rows
and post chips (pure functions, no state)."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dreamsuite import styles as st
from dreamsuite.platforms import platform_label

ALL = "all"
PLATFORM_LABEL = "All platforms"
MONTH_CHIPS = 3  # chips a month's day shows; the rest are "+N more"
STATUS_WORDS = {"partially_failed": "partly failed", "pending": "scheduled",
                "unconfirmed": "unconfirmed — check on the platform"}


@dataclasses.dataclass
class Choice:
    value: str = ""
    label: str = ""


@dataclasses.dataclass
class TimeChoice:
    fold: str = "0"
    label: str = ""


@dataclasses.dataclass
class Dot:
    """A platform's mark on a chip: its initial on its colour."""

    letter: str = ""
    color: str = ""
    label: str = ""


@dataclasses.dataclass
class Chip:
    id: int = 0
    time: str = ""
    text: str = ""
    status: str = ""
    label: str = ""  # the status in words
    title: str = ""  # the tooltip: time, platforms, status, text
    movable: bool = False
    dots: list[Dot] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Day:
    iso: str = ""
    number: str = ""
    weekday: str = ""
    in_month: bool = True
    today: bool = False
    past: bool = False
    chips: list[Chip] = dataclasses.field(default_factory=list)
    more: str = ""  # "+2 more"


@dataclasses.dataclass
class Cell:
    iso: str = ""
    hour: int = 0
    past: bool = False
    chips: list[Chip] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class HourRow:
    hour: int = 0
    label: str = ""  # "09:00"
    short: str = ""  # "9", on phones
    cells: list[Cell] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class DestRow:
    account: str = ""
    status: str = ""
    label: str = ""
    error: str = ""
    url: str = ""


@dataclasses.dataclass
class SlotRow:
    id: int = 0
    label: str = ""


@dataclasses.dataclass
class Suggestion:
    weekday: int = 0
    minute: int = 0
    label: str = ""
    note: str = ""
    added: bool = False


STATUS_CHOICES = [Choice(ALL, "All statuses"), Choice("scheduled", "Scheduled"), Choice("draft", "Drafts"),
                  Choice("published", "Published"), Choice("failed", "Failed"),
                  Choice("unconfirmed", "Unconfirmed"), Choice("cancelled", "Cancelled")]
WEEKDAY_CHOICES = [Choice(str(i), d) for i, d in enumerate(
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])]


def words(status: str) -> str:
    return STATUS_WORDS.get(status, status.replace("_", " "))


def chip(p: dict) -> Chip:
    labels = [platform_label(x) for x in p["platforms"]]
    title = " · ".join(x for x in (p["time"], ", ".join(labels), words(p["status"]), p["text"]) if x)
    return Chip(id=p["id"], time=p["time"], text=p["text"], status=p["status"], label=words(p["status"]),
                title=title, movable=p["movable"],
                dots=[Dot(lbl[:1].upper(), st.platform_color(x), lbl) for x, lbl in zip(p["platforms"], labels)])


def dest_row(d: dict) -> DestRow:
    return DestRow(d["account"], d["status"], words(d["status"]), d["error"], d["url"])


def _now(got: dict) -> datetime:
    return datetime.now(ZoneInfo(got["timezone"])).replace(tzinfo=None)


def _days(got: dict) -> list[date]:
    n = (got["last"] - got["first"]).days + 1
    return [got["first"] + timedelta(days=i) for i in range(n)]


def build_month(got: dict) -> list[Day]:
    by_day: dict[date, list[Chip]] = {}
    for p in got["posts"]:
        by_day.setdefault(p["date"], []).append(chip(p))
    first = got.get("month_first", got["first"])
    out = []
    for d in _days(got):
        chips = by_day.get(d, [])
        out.append(Day(iso=d.isoformat(), number=str(d.day), weekday=f"{d:%a}", in_month=d.month == first.month,
                       today=d == got["today"], past=d < got["today"], chips=chips[:MONTH_CHIPS],
                       more=f"+{len(chips) - MONTH_CHIPS} more" if len(chips) > MONTH_CHIPS else ""))
    return out


def build_week(got: dict) -> tuple[list[Day], list[HourRow]]:
    days, now = _days(got), _now(got)
    by_cell: dict[tuple[date, int], list[Chip]] = {}
    for p in got["posts"]:
        by_cell.setdefault((p["date"], p["local"].hour), []).append(chip(p))
    heads = [Day(iso=d.isoformat(), number=str(d.day), weekday=f"{d:%a}", today=d == got["today"],
                 past=d < got["today"]) for d in days]
    rows = [HourRow(h, f"{h:02d}:00", str(h), [
        Cell(d.isoformat(), h, datetime(d.year, d.month, d.day, h) + timedelta(hours=1) <= now, by_cell.get((d, h), []))
        for d in days]) for h in range(24)]
    return heads, rows


def period_title(view: str, got: dict) -> str:
    if view != "week":
        return f"{got['month_first']:%B %Y}"
    a, b = got["first"], got["last"]
    if a.year != b.year:
        return f"{a.day} {a:%b %Y} – {b.day} {b:%b %Y}"
    if a.month != b.month:
        return f"{a.day} {a:%b} – {b.day} {b:%b %Y}"
    return f"{a.day} – {b.day} {b:%b %Y}"


def shift(view: str, anchor: date, direction: int) -> date:
    """The anchor of the next (1) or previous (-1) month or week."""
    step = 1 if direction > 0 else -1
    if view == "week":
        return anchor + timedelta(days=7 * step)
    months = anchor.year * 12 + anchor.month - 1 + step
    return date(months // 12, months % 12 + 1, 1)


def parse_local(value: str) -> datetime:
    """What a datetime-local input sends, or ValueError."""
    value = (value or "").strip()
    if not value or len(value) > 19:
        raise ValueError(value)
    return datetime.fromisoformat(value)


def parse_clock(value: str) -> int:
    """'18:00', '9:30' → minutes after midnight; ValueError otherwise."""
    m = re.fullmatch(r"\s*(\d{1,2})[:.h](\d{2})\s*", value or "")
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ValueError(value)
    return int(m.group(1)) * 60 + int(m.group(2))
