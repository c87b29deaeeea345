"""One module per route; importing them registers the pages."""

from dreamsuite.pages import (account, calendar, chat, composer, connections, dashboard, goals, inbox, index,
                              insights, login, media, platform, signup)

__all__ = ["account", "calendar", "chat", "composer", "connections", "dashboard", "goals", "inbox", "index",
           "insights", "login", "media", "platform", "signup"]
