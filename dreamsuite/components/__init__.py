"""Reusable UI: the page template, charts, cards."""
