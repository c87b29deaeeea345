"""One module per route; importing them registers the pages."""

from dreamsuite.pages import chat, composer, dashboard, index, login, onboarding, signup

__all__ = ["chat", "composer", "dashboard", "index", "login", "onboarding", "signup"]
