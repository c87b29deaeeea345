"""Reflex State classes, one per page or concern. They call services, never httpx or arq."""
