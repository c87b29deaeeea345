import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.forms import plain_form
from dreamsuite.pages._auth_layout import auth_card, error_callout, field
from dreamsuite.state.account import LoginState as S


@rx.page(route="/login", title="Log in · Dream Suite", on_load=S.load)
def login() -> rx.Component:
    return auth_card(
        "Welcome back",
        "Log in to your career cockpit.",
        plain_form(
            rx.vstack(
                # Keyed by the value: a prefill that arrives after the page appeared still shows.
                field("Email", "email", "email", "you@example.com", required=True, auto_complete="email",
                      default_value=S.email, key=S.email),
                field("Password", "password", "password", required=True, auto_complete="current-password",
                      max_length=1000),
                rx.el.input(type="hidden", name="next", value=S.next_path),
                error_callout(S.form_error),
                rx.button("Log in", type="submit", size="3", width="100%", data_testid="login-submit"),
                spacing=st.gap_md,
                width="100%",
            ),
            action=S.api_url + "/auth/login",
            width="100%",
        ),
        rx.text("New here? ", rx.link("Create an account", href="/signup"), size=st.size_sm),
    )
