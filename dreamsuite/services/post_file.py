"""Reading a file of posts to import (CSV or JSON) into rows, each field with the line the user
sees it on in their editor (a CSV's header is line 1; a JSON post's fields on the lines of their
keys). Only the file's shape is judged here; what the rows say is judged by post_import.

CSV: a header row names the columns (any order, any case; see post_import for the set); the
delimiter is a comma, a semicolon or a tab, whichever the header uses. A cell an export
defused for spreadsheets (a leading ' before =, +, -, @) is read back without the quote.
JSON: a list of post objects, or an object whose "posts" is that list (what the export writes).
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from dreamsuite.services.export import FORMULA_START

MAX_BYTES = 1_000_000
MAX_ROWS = 500
SAVE_AS = "Save it as CSV UTF-8 (or JSON) and try again."


@dataclass(frozen=True)
class Problem:
    """One thing wrong: where (`line` as the user's editor numbers it, None for the whole file;
    `field` a column or key, or "file"), and what to do about it."""

    line: int | None
    field: str
    reason: str


@dataclass
class Row:
    """One post as written: its values by field (CSV: text; JSON: as decoded) and their lines."""

    line: int
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # what is wrong with the row's shape

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


@dataclass
class Sheet:
    """What the file holds: its kind ("csv" | "json"), its rows, and a CSV's header (names, line)."""

    kind: str
    rows: list[Row]
    columns: list[str] = field(default_factory=list)
    header_line: int = 1


class FileRefused(Exception):
    """The file cannot be read as posts at all; `problems` say why."""

    def __init__(self, *problems: Problem):
        super().__init__(" ".join(p.reason for p in problems))
        self.problems = list(problems)


def _refuse(reason: str, line: int | None = None) -> FileRefused:
    return FileRefused(Problem(line, "file", reason))


def decode(raw: bytes) -> str:
    """The file's text (UTF-8, a byte order mark dropped), or FileRefused saying what it is instead."""
    if len(raw) > MAX_BYTES:
        raise _refuse(f"The file is {len(raw) / 1_000_000:.1f} MB; at most {MAX_BYTES // 1_000_000} MB can be "
                      "imported at once. Split it into smaller files.")
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(f"This is a spreadsheet workbook, not a CSV file. {SAVE_AS}")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refuse(f"The file is UTF-16 text. {SAVE_AS}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise _refuse(f"The file is not UTF-8 text (the first unreadable byte is on line {line}). {SAVE_AS}",
                      line) from None
    if "\x00" in text:
        raise _refuse(f"The file holds binary data, not text. {SAVE_AS}", text[:text.index("\x00")].count("\n") + 1)
    if not text.strip():
        raise _refuse("The file is empty.")
    return text


def kind_of(filename: str, text: str) -> str:
    """"csv" or "json": by the file's name, else by its first character."""
    name = (filename or "").lower().rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if ext in ("csv", "tsv", "txt"):
        return "csv"
    if ext == "json":
        return "json"
    if ext:
        raise _refuse(f"Only CSV and JSON files can be imported, not .{ext}. {SAVE_AS}")
    return "json" if text.lstrip()[:1] in ("[", "{") else "csv"


def read(raw: bytes, filename: str = "") -> Sheet:
    """The file's rows, or FileRefused."""
    text = decode(raw)
    sheet = read_json(text) if kind_of(filename, text) == "json" else read_csv(text)
    if not sheet.rows:
        raise _refuse("The file has no posts in it" + (" (only its header row)." if sheet.kind == "csv" else "."))
    return sheet


def _too_many(line: int) -> FileRefused:
    return _refuse(f"The file has more than {MAX_ROWS} posts; at most {MAX_ROWS} can be imported at once. Split it "
                   "into smaller files.", line)


# ------------------------------------------------------------------ CSV
# Quotes before a formula's first character: the export added one of them (post_export.post_cell).
QUOTED_FORMULA = re.compile("^'+[" + re.escape("".join(FORMULA_START)) + "]")


def undefused(cell: str) -> str:
    """A cell as written before the export defused it ("'=x" → "=x", "''=x" → "'=x"); others as they are."""
    return cell[1:] if QUOTED_FORMULA.match(cell) else cell


def column_name(raw: str) -> str:
    return re.sub(r"\s+", "_", raw.strip().lower())


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(text: str) -> Sheet:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header: list[str] | None = None
    rows: list[Row] = []
    start, header_line = 1, 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue  # blank lines (spreadsheets leave some at the end)
            if header is None:
                header, header_line = [column_name(c) for c in cells], line
                _check_header(header, line)
                continue
            if len(rows) == MAX_ROWS:
                raise _too_many(line)
            values = {name: undefused(cells[i]) if i < len(cells) else "" for i, name in enumerate(header) if name}
            row = Row(line, values)
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
                row.problems.append(Problem(line, "row", f"This row has {len(cells)} cells but the header names "
                                                         f"{len(header)} columns: a cell with the delimiter in it "
                                                         "needs double quotes around it."))
            rows.append(row)
    except csv.Error as exc:
        raise _refuse(f"The CSV cannot be read here: {exc}.", reader.line_num) from None
    return Sheet("csv", rows, header or [], header_line)


def _check_header(header: list[str], line: int) -> None:
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise FileRefused(Problem(line, name, f"The column '{name}' appears twice in the header."))
        seen.add(name)


# ------------------------------------------------------------------ JSON
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
SHAPE = 'The JSON must be a list of posts ([{"text": ..., ...}, ...]) or an object with a "posts" list.'


class _Lines:
    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __call__(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)


def _skip(text: str, i: int) -> int:
    return _WS.match(text, i).end()


def _items(text: str, i: int) -> list[tuple[int, Any]]:
    """The elements of the array opening at text[i], each with its offset (the text is valid JSON)."""
    out: list[tuple[int, Any]] = []
    i = _skip(text, i + 1)
    while text[i] != "]":
        value, end = _DECODER.raw_decode(text, i)
        out.append((i, value))
        i = _skip(text, end)
        if text[i] == ",":
            i = _skip(text, i + 1)
    return out


def _members(text: str, i: int) -> list[tuple[str, int, int]]:
    """(key, the key's offset, its value's offset) of the object opening at text[i]."""
    out: list[tuple[str, int, int]] = []
    i = _skip(text, i + 1)
    while text[i] != "}":
        key, end = _DECODER.raw_decode(text, i)
        value_at = _skip(text, _skip(text, end) + 1)  # past the colon
        out.append((key, i, value_at))
        _, end = _DECODER.raw_decode(text, value_at)
        i = _skip(text, end)
        if text[i] == ",":
            i = _skip(text, i + 1)
    return out


def kind_name(value: Any) -> str:
    return {list: "a list", dict: "an object", str: "text", bool: "true or false", type(None): "null"}.get(
        type(value), "a number")


def read_json(text: str) -> Sheet:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _refuse(f"The JSON cannot be read: {exc.msg} (line {exc.lineno}, column {exc.colno}).",
                      exc.lineno) from None
    line_of = _Lines(text)
    start = _skip(text, 0)
    if isinstance(doc, dict) and isinstance(doc.get("posts"), list):
        start = [v for k, _, v in _members(text, start) if k == "posts"][-1]
    elif not isinstance(doc, list):
        raise _refuse(SHAPE + f" This file holds {kind_name(doc)}" + (" without a \"posts\" list." if isinstance(
            doc, dict) else "."), line_of(start))
    rows: list[Row] = []
    for offset, value in _items(text, start):
        line = line_of(offset)
        if len(rows) == MAX_ROWS:
            raise _too_many(line)
        if not isinstance(value, dict):
            rows.append(Row(line, problems=[Problem(line, "post", f"Each post must be an object ({{...}}), not "
                                                                  f"{kind_name(value)}.")]))
            continue
        lines = {key: line_of(at) for key, at, _ in _members(text, offset)}
        rows.append(Row(line, dict(value), lines))
    return Sheet("json", rows)
