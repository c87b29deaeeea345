"""The centred card the login, sign-up and account-link pages share."""

import reflex as rx


def auth_card(title: str, subtitle, *children: rx.Component) -> rx.Component:
    return rx.center(
        rx.card(
            rx.vstack(
                rx.image(src="/logo.svg", height="32px", alt="Dream Suite"),
                rx.heading(title, size="6", padding_top="0.5em"),
                rx.text(subtitle, color=rx.color("gray", 11), size="2"),
                *children,
                spacing="3",
                width="100%",
            ),
            width="100%",
            max_width="420px",
            size="4",
        ),
        min_height="100vh",
        padding="1em",
        background=f"linear-gradient(135deg, {rx.color('violet', 2)}, {rx.color('pink', 2)})",
    )


def field(label: str, name: str, type_: str = "text", placeholder: str = "", **props) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium", as_="label", html_for=name),
        rx.input(name=name, id=name, type=type_, placeholder=placeholder, width="100%", size="3", **props),
        spacing="1",
        width="100%",
    )


def error_callout(message) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle-alert", color_scheme="red", width="100%", data_testid="form-error"),
    )
