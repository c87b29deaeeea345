"""The centred card the login, sign-up and account-link pages share."""

import reflex as rx

from dreamsuite import styles as st


def auth_card(title: str, subtitle, *children: rx.Component) -> rx.Component:
    return rx.center(
        rx.card(
            rx.vstack(
                rx.image(src="/logo.svg", height=st.logo_height_lg, alt="Dream Suite"),
                rx.heading(title, size=st.size_2xl, padding_top=st.space_sm),
                rx.text(subtitle, color=st.text_muted, size=st.size_sm),
                *children,
                spacing=st.gap_md,
                width="100%",
            ),
            width="100%",
            max_width=st.auth_max_width,
            size="4",
        ),
        min_height="100vh",
        padding=st.space_lg,
        background=st.auth_background,
    )


def field(label: str, name: str, type_: str = "text", placeholder: str = "", **props) -> rx.Component:
    return rx.vstack(
        rx.text(label, size=st.size_sm, weight="medium", as_="label", html_for=name),
        rx.input(name=name, id=name, type=type_, placeholder=placeholder, width="100%", size="3", **props),
        spacing=st.gap_xs,
        width="100%",
    )


def error_callout(message) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, **st.callout_error, data_testid="form-error"),
    )
