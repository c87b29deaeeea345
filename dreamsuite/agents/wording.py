"""Words and numbers in the language of the question: templates from `agents/lang/<lang>.py`,
numbers and dates formatted by Babel for that language (1,234 · 1.234 · 1 234).

The language is a context variable, set by the offline analyst for the turn it writes, so
the answer writers need no language argument.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from dreamsuite.agents.lang import LANGUAGES, catalog

LANG: ContextVar[str] = ContextVar("answer_language", default="en")


@contextmanager
def language(lang: str):
    token = LANG.set(lang if lang in LANGUAGES else "en")
    try:
        yield
    finally:
        LANG.reset(token)


@lru_cache(maxsize=None)
def _text(lang: str) -> dict[str, str]:
    return catalog(lang).TEXT


def t(key: str, **values) -> str:
    """The template `key` in the current language (English where a catalog lacks it), filled in."""
    template = _text(LANG.get()).get(key) or _text("en")[key]
    return template.format(**values)


def parts(key: str) -> list[str]:
    """A template holding several words separated by "|" (singular|plural, the seven weekdays)."""
    return t(key).split("|")


def kinds(kind: str, n: int) -> str:
    """"post"/"posts" (or the language's words) for n of a post type."""
    if f"kind.{kind}" not in _text("en"):  # a type we have no word for: its own name
        return kind if n == 1 else f"{kind}s"
    one, many = parts(f"kind.{kind}")[:2]
    return one if n == 1 else many


def metric_label(label: str) -> str:
    """A platform metric's label ("Watch time") in the current language, where it is translated."""
    return getattr(catalog(LANG.get()), "METRIC_LABELS", {}).get(label.lower(), label)


def num(n: int | float) -> str:
    if LANG.get() == "en":
        return f"{n:,.0f}" if float(n).is_integer() else f"{n:,.1f}"
    return format_decimal(round(n, 1), format="#,##0.#", locale=LANG.get())


def signed(n: int | float) -> str:
    return ("+" if n >= 0 else "-") + num(abs(n))


def fixed(x: float, digits: int = 1) -> str:
    """A rate with fixed decimals ("4.25", "4,25")."""
    text = f"{x:.{digits}f}"
    return text if LANG.get() == "en" else text.replace(".", ",")


def pct(p: float | None) -> str:
    """A signed percentage: "+4.2%" (English), "+4,2 %" with a no-break space (German, Spanish, French), or as the
    catalog's PERCENT writes the sign ("+4,2%" in Portuguese)."""
    if p is None:
        return "n/a"
    text = f"{p:+.1f}%"
    if LANG.get() == "en":
        return text
    return text.replace(".", ",").replace("%", getattr(catalog(LANG.get()), "PERCENT", "\u00a0%"))


def percent(x: float, digits: int = 1) -> str:
    """An unsigned percentage in the language's way ("4.2%", "4,2 %", "4,2%")."""
    text = f"{x:.{digits}f}%"
    if LANG.get() == "en":
        return text
    return text.replace(".", ",").replace("%", getattr(catalog(LANG.get()), "PERCENT", "\u00a0%"))


def lower(text: str) -> str:
    """Lower case for a word inside a sentence, except in German, whose nouns keep their capital."""
    return text if LANG.get() == "de" else text.lower()


def day(iso: str | date) -> str:
    d = date.fromisoformat(iso) if isinstance(iso, str) else iso
    if LANG.get() == "en":
        return f"{d:%b} {d.day}"
    return format_date(d, catalog(LANG.get()).DAY_PATTERN, locale=LANG.get())


def money(m: dict | None) -> str:
    """{"amount": "1234.50", "currency": "EUR"} as the language writes it: €1,234.50 · 1.234,50 €."""
    if not m:
        return "–"
    return format_currency(Decimal(str(m["amount"])), m["currency"], locale=LANG.get())


NAMED_PERIODS = ("today", "yesterday", "this_week", "last_week", "this_month", "last_month", "last_365_days", "all")


def period_label(r: dict) -> str:
    """What a tool result's period is called: \"in the last 30 days\", \"from 1 Mar to 5 Mar\"."""
    if r.get("period") == "dates" and r.get("to"):
        if r.get("from") == r["to"]:
            return t("period.on", day=day(r["to"]))
        if r.get("from"):
            return t("period.from_to", first=day(r["from"]), last=day(r["to"]))
        return t("period.up_to", last=day(r["to"]))
    if r.get("period") == "since_release" and r.get("from"):
        return t("period.since_release", day=day(r["from"]))
    p = r.get("period", "")
    if p in NAMED_PERIODS:
        return t(f"period.{p}")
    if p.startswith("last_") and p.endswith("_days"):
        return t("period.last_n_days", n=p[5:-5])
    return t("period.other")
