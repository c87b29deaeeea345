"""fr: answers and question words (to be completed)."""

DAY_PATTERN = "d MMM"
TEXT: dict[str, str] = {}
METRIC_LABELS: dict[str, str] = {}
MARKERS: frozenset[str] = frozenset()
LETTERS = ""
QUESTION_WORDS: list[tuple[str, str]] = []
OTHER_ARTIST: tuple[str, ...] = ()
