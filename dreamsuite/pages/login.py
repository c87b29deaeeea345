import reflex as rx

from dreamsuite.pages._auth_layout import auth_card, error_callout, field
from dreamsuite.state.account import LoginState


@rx.page(route="/login", title="Log in · Dream Suite", on_load=LoginState.redirect_if_logged_in)
def login() -> rx.Component:
    return auth_card(
        "Welcome back",
        "Log in to your career cockpit.",
        rx.form(
            rx.vstack(
                field("Email", "email", "email", "you@example.com", required=True, auto_complete="email"),
                field("Password", "password", "password", required=True, auto_complete="current-password"),
                error_callout(LoginState.login_error),
                rx.button("Log in", type="submit", size="3", width="100%", data_testid="login-submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=LoginState.submit_login,
            width="100%",
        ),
        rx.text("New here? ", rx.link("Create an account", href="/signup"), size="2"),
    )
