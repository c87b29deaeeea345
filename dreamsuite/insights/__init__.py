"""Signals → insights: findings drawn from the analytics, with their numbers and sources."""
