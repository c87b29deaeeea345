"""One module per route; importing them registers the pages."""

from dreamsuite.pages import (account, chat, composer, connections, dashboard, goals, index, insights, login,
                              platform, signup)

__all__ = ["account", "chat", "composer", "connections", "dashboard", "goals", "index", "insights", "login",
           "platform", "signup"]
