"""Reflex State classes, one per page or concern. They call services, never httpx or arq."""

from dreamsuite.state import figures  # noqa: F401 - registers how the states' figures pickle
