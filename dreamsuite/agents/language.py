"""Which language a question is in, and the question in the English the offline analyst's
parser reads. Each catalog in agents/lang/ gives the words that mark its language (MARKERS,
and letters only it uses, LETTERS) and its phrases' English (QUESTION_WORDS)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from dreamsuite.agents.lang import LANGUAGES, catalog

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@lru_cache(maxsize=None)
def _markers(lang: str) -> frozenset[str]:
    return frozenset(getattr(catalog(lang), "MARKERS", ()))


@lru_cache(maxsize=None)
def _rules(lang: str) -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(p, re.I), english) for p, english in getattr(catalog(lang), "QUESTION_WORDS", ()))


def detect(question: str) -> str:
    """"en", "de", "es", "fr" or "pt": the language whose own words (and letters) the question
    uses most; English when nothing else is clearly there (platform names and "posts" are
    everyone's words)."""
    text = (question or "").lower()
    words = _WORD.findall(text.replace("’", "'"))
    scores = {}
    for lang in LANGUAGES:
        marks = _markers(lang)
        score = sum(1 for w in words if w in marks)
        score += sum(2 for ch in getattr(catalog(lang), "LETTERS", "") if ch in text)
        scores[lang] = score
    best = max(LANGUAGES, key=lambda lang: (scores[lang], lang == "en"))
    return best if scores[best] > scores["en"] else "en"


def plain(text: str) -> str:
    """The text without accents ("publicações" → "publicacoes", "für" → "fur", "ß" → "ss"), and
    no-break spaces as spaces: catalogs write their QUESTION_WORDS so, and one rule then reads a
    question typed with or without its accents."""
    text = text.replace("ß", "ss").replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def to_english(question: str, lang: str) -> str:
    """The question with its language's phrases replaced by English ones, in catalog order
    (longer phrases first there, so "letzte Woche" is read before "Woche"), read without accents."""
    if lang == "en":
        return question
    text = plain(question.replace("’", "'").replace("¿", " ").replace("¡", " "))
    for pattern, english in _rules(lang):
        text = pattern.sub(english, text)
    return re.sub(r"\s+", " ", text).strip()


def other_artist(question: str, lang: str) -> str | None:
    """The name in "how many followers does <name> have?" asked in `lang` (None when not asked)."""
    for pattern in getattr(catalog(lang), "OTHER_ARTIST", ()):
        if m := re.search(pattern, question):
            return m.group(1).strip()
    return None
