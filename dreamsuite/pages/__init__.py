"""One module per route; importing them registers the pages."""

from dreamsuite.pages import account, chat, composer, connections, dashboard, index, login, signup

__all__ = ["account", "chat", "composer", "connections", "dashboard", "index", "login", "signup"]
