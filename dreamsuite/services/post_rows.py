"""A file's rows as posts (services/post_import describes the fields): their values read and
their shape checked (text where text belongs, accounts written as accounts, known columns and
platforms), rows sharing a CSV post_id gathered into one post. What the values mean (do the
accounts exist, is the time right) is judged by post_import with the composer's checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dreamsuite.platforms import UnknownPlatform, get_adapter
from dreamsuite.services.post_file import Problem, Row, Sheet, kind_name
from dreamsuite.services.publish import Compose

FIELDS = ("text", "scheduled_at", "timezone", "accounts", "first_comment", "media")
REQUIRED_COLUMNS = ("text", "scheduled_at", "accounts")
METRICS = ("likes", "comments", "shares", "saves", "views", "plays", "reach", "impressions")
# What an export writes besides the fields above: read past on import.
EXPORT_ONLY = ("post_status", "platform", "account", "connection_id", "status", "permalink", "published_at",
               "error", *METRICS)
JSON_EXPORT_ONLY = ("post_id", "id", "status", "destinations")
VARIANT = "variant:"
COLUMNS_HELP = "text, scheduled_at, timezone, accounts, first_comment, media, variant:<platform> (like variant:x), " \
               "post_id"
KEYS_HELP = "text, scheduled_at, timezone, accounts, variants, first_comment, media"
WHEN_HELP = "write it like 2027-03-14T09:30 (in the post's timezone) or 2027-03-14T09:30+01:00 (with its offset)"
ACCOUNTS_HELP = "like x:@nova or facebook:Nova Lane, several separated by ';'"


@dataclass
class Ref:
    line: int
    text: str
    connection_id: int | None = None
    platform: str = ""
    username: str = ""


@dataclass
class FilePost:
    """One post of the file as read, before the composer's checks."""

    rows: list[Row]
    kind: str
    problems: list[Problem] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    refs: list[Ref] = field(default_factory=list)
    compose: Compose | None = None

    @property
    def line(self) -> int:
        return self.rows[0].line

    def where(self, name: str) -> tuple[int, str]:
        """A field's line and its name as the file spells it."""
        if name.startswith(VARIANT) and self.kind == "json":
            return self.rows[0].line_of("variants"), f"variants.{name[len(VARIANT):]}"
        return self.rows[0].line_of(name), name

    def add(self, name: str, reason: str) -> None:
        self.problems.append(Problem(*self.where(name), reason))


# ------------------------------------------------------------------ reading the rows
def _text(p: FilePost, row: Row, name: str) -> str:
    value = row.values.get(name)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    p.add(name, f"'{name}' must be text, not {kind_name(value)}.")
    return ""


def _refs(p: FilePost, row: Row) -> list[Ref]:
    value = row.values.get("accounts")
    line = row.line_of("accounts")
    if isinstance(value, str):
        items: list[Any] = [x for x in re.split(r"[;\n]", value) if x.strip()]
    elif isinstance(value, list):
        items = value
    elif value is None:
        items = []
    else:
        p.add("accounts", f"'accounts' must be a list of accounts ({ACCOUNTS_HELP}), not {kind_name(value)}.")
        return []
    out = []
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool):
            out.append(Ref(line, str(item), connection_id=item))
        elif isinstance(item, dict) and set(item) == {"connection_id"} and str(item["connection_id"]).isdigit():
            out.append(Ref(line, str(item["connection_id"]), connection_id=int(item["connection_id"])))
        elif isinstance(item, dict) and set(item) <= {"platform", "username"} and isinstance(
                item.get("platform"), str) and isinstance(item.get("username", ""), str):
            out.append(Ref(line, f"{item['platform']}:{item.get('username', '')}".rstrip(":"),
                            platform=item["platform"].strip().lower(), username=item.get("username", "").strip()))
        elif isinstance(item, str):
            raw = item.strip()
            if raw.isdigit() and len(raw) < 12:
                out.append(Ref(line, raw, connection_id=int(raw)))
            else:
                platform, _, username = raw.partition(":")
                out.append(Ref(line, raw, platform=platform.strip().lower(), username=username.strip()))
        else:
            p.add("accounts", f"An account must be written {ACCOUNTS_HELP} (or a connection id), not "
                              f"{kind_name(item)}.")
    return out


def _media(p: FilePost, row: Row) -> list[int]:
    value = row.values.get("media")
    if value in (None, ""):
        return []
    items = re.split(r"[;,\s]+", value.strip()) if isinstance(value, str) else value
    if not isinstance(items, list) or not all(
            (isinstance(i, int) and not isinstance(i, bool) and i > 0) or (isinstance(i, str) and i.isdigit()
                                                                         and len(i) < 12) for i in items if i != ""):
        p.add("media", "'media' must be media library ids (numbers), separated by ';'.")
        return []
    return [int(i) for i in items if i != ""]


def _variants(p: FilePost, row: Row) -> dict[str, str]:
    if p.kind == "csv":
        return {k[len(VARIANT):]: v for k, v in row.values.items() if k.startswith(VARIANT) and v.strip()}
    value = row.values.get("variants")
    if value is None:
        return {}
    if not isinstance(value, dict):
        p.add("variants", f"'variants' must be an object of texts by platform ({{\"x\": \"...\"}}), not "
                          f"{kind_name(value)}.")
        return {}
    out = {}
    for platform, text in value.items():
        if not known(platform):
            p.add(VARIANT + platform, f"'{platform}' is not a platform Dream Suite knows.")
        elif not isinstance(text, str):
            p.add(VARIANT + platform, f"A platform's text must be text, not {kind_name(text)}.")
        elif text.strip():
            out[platform] = text
    return out


def known(platform: str) -> bool:
    try:
        get_adapter(str(platform))
        return True
    except UnknownPlatform:
        return False


def _check_keys(p: FilePost, row: Row) -> None:
    known = (*FIELDS, "variants", *JSON_EXPORT_ONLY)
    for key in row.values:
        if key not in known:
            p.add(key, f"Unknown field '{key}'. The fields are: {KEYS_HELP}.")


def check_header(sheet: Sheet) -> tuple[list[Problem], bool]:
    """Problems of a CSV's header, and whether the rows can be read at all."""
    out, line = [], sheet.header_line
    for name in REQUIRED_COLUMNS:
        if name not in sheet.columns:
            out.append(Problem(line, name, f"The header has no '{name}' column. The columns are: {COLUMNS_HELP}."))
    readable = not out
    for name in sheet.columns:
        if name.startswith(VARIANT):
            if not known(name[len(VARIANT):]):
                out.append(Problem(line, name, f"'{name[len(VARIANT):]}' is not a platform Dream Suite knows."))
        elif name and name not in (*FIELDS, "post_id", *EXPORT_ONLY):
            out.append(Problem(line, name, f"Unknown column '{name}'. The columns are: {COLUMNS_HELP}."))
    return out, readable


def group(sheet: Sheet) -> list[FilePost]:
    """The file's posts: a JSON object each; CSV rows, those sharing a post_id together."""
    posts: list[FilePost] = []
    by_id: dict[str, FilePost] = {}
    for row in sheet.rows:
        pid = str(row.values.get("post_id") or "").strip() if sheet.kind == "csv" else ""
        if pid and pid in by_id:
            by_id[pid].rows.append(row)
            continue
        post = FilePost([row], sheet.kind)
        posts.append(post)
        if pid:
            by_id[pid] = post
    return posts


def read_post(p: FilePost) -> bool:
    """Its values from its rows (shape problems noted), its accounts from all of them; False when
    there is nothing to read (a JSON item that is no object)."""
    first = p.rows[0]
    for row in p.rows:
        p.problems.extend(row.problems)
    if not first.values:
        return False
    if p.kind == "json":
        _check_keys(p, first)
    p.values = {"text": _text(p, first, "text"), "scheduled_at": _text(p, first, "scheduled_at"),
                "timezone": _text(p, first, "timezone").strip(), "first_comment": _text(p, first, "first_comment"),
                "media": _media(p, first), "variants": _variants(p, first)}
    p.refs = _refs(p, first)
    own = [k for k in first.values if k in (*FIELDS, "post_id") or k.startswith(VARIANT)]
    for row in p.rows[1:]:
        for name in own:
            if name != "accounts" and row.values.get(name, "") != first.values.get(name, ""):
                p.problems.append(Problem(row.line, name, f"Rows of post {first.values['post_id']} must agree on "
                                                          f"'{name}': this differs from line {first.line}."))
        p.refs += _refs(p, row)
    return True
