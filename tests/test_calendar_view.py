"""What the calendar page builds from the service's data: titles, paging, chips, the month's
days and the week's hours (pure functions, no database)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dreamsuite.state import calendar_view as cv


def _post(pid: int, local: datetime, status: str = "scheduled", platforms=("instagram",)) -> dict:
    return {"id": pid, "status": status, "text": f"post {pid}", "local": local, "date": local.date(),
            "time": f"{local:%H:%M}", "platforms": list(platforms), "movable": status == "scheduled",
            "at": local.replace(tzinfo=ZoneInfo("UTC"))}


def test_titles_and_paging():
    got = {"first": date(2030, 12, 30), "last": date(2031, 1, 5), "month_first": date(2030, 12, 1)}
    assert cv.period_title("month", got) == "December 2030"
    assert cv.period_title("week", got) == "30 Dec 2030 – 5 Jan 2031"
    assert cv.period_title("week", {"first": date(2030, 10, 28), "last": date(2030, 11, 3)}) == "28 Oct – 3 Nov 2030"
    assert cv.period_title("week", {"first": date(2030, 11, 4), "last": date(2030, 11, 10)}) == "4 – 10 Nov 2030"
    assert cv.shift("month", date(2030, 12, 17), 1) == date(2031, 1, 1)
    assert cv.shift("month", date(2031, 1, 31), -1) == date(2030, 12, 1)
    assert cv.shift("week", date(2030, 12, 30), 1) == date(2031, 1, 6)


@pytest.mark.parametrize("text,minutes", [("18:00", 1080), ("9:30", 570), (" 07.05 ", 425), ("23h59", 1439)])
def test_clock_times(text, minutes):
    assert cv.parse_clock(text) == minutes


@pytest.mark.parametrize("text", ["", "24:00", "12:60", "noon", "1800", "12:5"])
def test_bad_clock_times(text):
    with pytest.raises(ValueError):
        cv.parse_clock(text)


def test_chip_words_and_marks():
    c = cv.chip(_post(3, datetime(2030, 5, 6, 9, 0), status="partially_failed", platforms=["instagram", "x"]))
    assert (c.time, c.label, c.movable) == ("09:00", "partly failed", False)
    assert [(d.letter, d.label) for d in c.dots] == [("I", "Instagram"), ("X", "X")]
    assert c.title == "09:00 · Instagram, X · partly failed · post 3"


def test_month_days_and_the_more_link():
    first, last = date(2030, 4, 29), date(2030, 6, 2)
    posts = [_post(i, datetime(2030, 5, 6, 8 + i)) for i in range(5)]
    days = cv.build_month({"first": first, "last": last, "today": date(2030, 5, 6), "posts": posts,
                           "month_first": date(2030, 5, 1), "timezone": "UTC"})
    assert len(days) == 35 and days[0].iso == "2030-04-29" and not days[0].in_month and days[2].in_month
    day = next(d for d in days if d.iso == "2030-05-06")
    assert day.today and [c.id for c in day.chips] == [0, 1, 2] and day.more == "+2 more"
    assert next(d for d in days if d.iso == "2030-05-05").past


def test_week_hours_place_posts_and_grey_the_past():
    tz = "Europe/Berlin"
    now = datetime.now(ZoneInfo(tz)).replace(tzinfo=None)
    monday = now.date() - timedelta(days=now.date().weekday())
    post = _post(7, datetime.combine(monday + timedelta(days=6), datetime.min.time()).replace(hour=21, minute=15))
    heads, rows = cv.build_week({"first": monday, "last": monday + timedelta(days=6), "today": now.date(),
                                 "posts": [post], "timezone": tz})
    assert [h.weekday for h in heads] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert len(rows) == 24 and rows[9].label == "09:00" and rows[9].short == "9"
    assert [c.id for c in rows[21].cells[6].chips] == [7]
    today = now.weekday()
    if now.hour > 0:
        assert rows[now.hour - 1].cells[today].past
    assert not rows[now.hour].cells[today].past  # the hour under way is not over
