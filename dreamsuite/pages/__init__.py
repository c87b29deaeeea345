"""One module per route; importing them registers the pages."""

from dreamsuite.pages import account, chat, composer, dashboard, index, login, onboarding, signup

__all__ = ["account", "chat", "composer", "dashboard", "index", "login", "onboarding", "signup"]
