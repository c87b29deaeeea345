"""Stat cards and status badges."""

from __future__ import annotations

import reflex as rx

STATUS_COLORS = {
    "connected": "green", "active": "green", "published": "green", "success": "green",
    "scheduled": "blue", "pending": "blue", "publishing": "amber", "running": "amber",
    "syncing": "amber", "expiring": "amber", "unconfirmed": "orange",
    "failed": "red", "error": "red", "expired": "red", "revoked": "red",
    "partially_failed": "red", "cancelled": "gray", "coming_soon": "gray", "no_api": "gray",
    "not_connected": "gray", "available": "gray",
}


def status_badge(status, testid: str = "status-badge", label=None, **props) -> rx.Component:
    return rx.badge(
        label if label is not None else status.to(str).replace("_", " "),
        color_scheme=rx.match(status, *[(k, v) for k, v in STATUS_COLORS.items()], "gray"),
        variant="soft",
        data_testid=testid,
        **props,
    )


def stat_card(label: str, value, icon: str, testid: str, sub=None) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon(icon, size=18, color=rx.color("violet", 10)),
                rx.text(label, size="2", color=rx.color("gray", 11)),
                align="center",
                spacing="2",
            ),
            rx.text(value, size="7", weight="bold", data_testid=testid),
            rx.text(sub, size="2", color=rx.color("gray", 11)) if sub is not None else rx.fragment(),
            spacing="2",
        ),
        width="100%",
    )


def empty_state(icon: str, title: str, message: str, action: rx.Component | None = None,
                testid: str = "empty-state") -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.icon(icon, size=36, color=rx.color("violet", 9)),
            rx.heading(title, size="5"),
            rx.text(message, color=rx.color("gray", 11), text_align="center", max_width="460px"),
            action or rx.fragment(),
            align="center",
            spacing="3",
            padding="2em",
        ),
        width="100%",
        data_testid=testid,
    )
