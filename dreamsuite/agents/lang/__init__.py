"""The offline analyst's words in each language it answers in: `TEXT` (answer templates, keyed
as in en.py, with the same {placeholders}) and `QUESTION_WORDS` (the question's words and
phrases, as regular expressions, mapped to the English the question parser reads)."""

from __future__ import annotations

from importlib import import_module

LANGUAGES = ("en", "de", "es", "fr", "pt")


def catalog(lang: str):
    return import_module(f"dreamsuite.agents.lang.{lang}")
