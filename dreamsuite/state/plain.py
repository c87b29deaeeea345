"""A state var's value as plain dicts and lists: the state hands out change-tracking proxies,
which the services, the chart builders and JSON do not want."""

from __future__ import annotations

from typing import Any, Mapping


def plain(value: Any) -> Any:
    value = getattr(value, "__wrapped__", value)
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value
