import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.forms import plain_form
from dreamsuite.pages._auth_layout import auth_card, error_callout, field
from dreamsuite.state.account import SentState, SignupState as S, VerifyState


@rx.page(route="/signup", title="Sign up · Dream Suite", on_load=S.load)
def signup() -> rx.Component:
    return auth_card(
        "Create your account",
        "Your numbers from every platform, in one place.",
        plain_form(
            rx.vstack(
                field("Artist name", "name", placeholder="Nova Lux", required=True, auto_complete="nickname",
                      max_length=200, default_value=S.name, key=S.name),
                field("Email", "email", "email", "you@example.com", required=True, auto_complete="email",
                      default_value=S.email, key=S.email),
                field("Password", "password", "password", "At least 8 characters", required=True,
                      auto_complete="new-password", min_length=8, max_length=1000),
                # Filled from the browser (Intl API); times and schedules use it.
                rx.el.input(type="hidden", name="timezone", value=S.browser_timezone),
                rx.text("Timezone: ", rx.text.strong(S.browser_timezone), size=st.size_sm,
                        color=st.text_muted, data_testid="signup-timezone"),
                error_callout(S.form_error),
                rx.button("Create account", type="submit", size="3", width="100%", data_testid="signup-submit"),
                spacing=st.gap_md,
                width="100%",
            ),
            action=S.api_url + "/auth/signup",
            width="100%",
        ),
        rx.text("Already have an account? ", rx.link("Log in", href="/login"), size=st.size_sm),
    )


@rx.page(route="/signup/sent", title="Check your email · Dream Suite", on_load=SentState.load)
def signup_sent() -> rx.Component:
    return auth_card(
        "Check your email",
        rx.cond(SentState.sent_to != "",
                "We sent a message to " + SentState.sent_to + ". Open the link in it to continue.",
                "We sent you a message. Open the link in it to continue."),
        rx.text("It can take a minute to arrive. The link works once, for 24 hours.", size=st.size_sm,
                color=st.text_muted),
        rx.cond(SentState.outbox_note != "",
                rx.callout(SentState.outbox_note, **st.callout_info)),
        rx.text("Wrong address? ", rx.link("Sign up again", href="/signup"), size=st.size_sm),
    )


@rx.page(route="/verify", title="Finish signing up · Dream Suite", on_load=VerifyState.load)
def verify() -> rx.Component:
    # A button, not an automatic action: mail scanners open links, and only a person should
    # create the account (and a link someone else sent cannot log you into their account).
    return auth_card(
        "Finish creating your account",
        "One click and your cockpit is ready.",
        plain_form(
            rx.el.input(type="hidden", name="token", value=VerifyState.token),
            # Disabled until the page has read the link's code: a click before that would send
            # no code and be told the link is not valid.
            rx.button("Create my account", type="submit", size="3", width="100%", data_testid="verify-submit",
                      disabled=VerifyState.token == ""),
            rx.cond(rx.State.is_hydrated & (VerifyState.token == ""),
                    rx.callout("This link is missing its code. Open the link from the email again, "
                               "or sign up again to get a new one.", **st.callout_error)),
            action=VerifyState.api_url + "/auth/verify",
            width="100%",
        ),
    )
