"""One module per route; importing them registers the pages."""

from dreamsuite.pages import (account, calendar, chat, composer, connections, dashboard, goals, inbox, index,
                              insights, invite, login, media, platform, promotion, signup, team)

__all__ = ["account", "calendar", "chat", "composer", "connections", "dashboard", "goals", "inbox", "index",
           "insights", "invite", "login", "media", "platform", "promotion", "signup", "team"]
