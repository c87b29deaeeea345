import reflex as rx

from dreamsuite.pages._auth_layout import auth_card, error_callout, field
from dreamsuite.state.account import SignupState


@rx.page(
    route="/signup",
    title="Sign up · Dream Suite",
    on_load=[SignupState.redirect_if_logged_in, SignupState.detect_timezone],
)
def signup() -> rx.Component:
    return auth_card(
        "Create your account",
        "Your numbers from every platform, in one place.",
        rx.form(
            rx.vstack(
                field("Artist name", "name", placeholder="Nova Lux", required=True, auto_complete="nickname"),
                field("Email", "email", "email", "you@example.com", required=True, auto_complete="email"),
                field("Password", "password", "password", "At least 8 characters", required=True,
                      auto_complete="new-password"),
                # Filled from the browser (Intl API); times and schedules use it.
                rx.el.input(type="hidden", name="timezone", value=SignupState.browser_timezone),
                rx.text("Timezone: ", rx.text.strong(SignupState.browser_timezone), size="2",
                        color=rx.color("gray", 11), data_testid="signup-timezone"),
                error_callout(SignupState.signup_error),
                rx.button("Create account", type="submit", size="3", width="100%", data_testid="signup-submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=SignupState.submit_signup,
            width="100%",
        ),
        rx.text("Already have an account? ", rx.link("Log in", href="/login"), size="2"),
    )
