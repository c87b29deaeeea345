"""/invite?token=…: an invitation to join an artist workspace."""

import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.forms import plain_form
from dreamsuite.components.layout import logout_button
from dreamsuite.pages._auth_layout import auth_card, error_callout, field
from dreamsuite.state.invite import InviteState as S


def _offer() -> rx.Component:
    return rx.vstack(
        rx.text(rx.cond(S.invited_by != "", rx.text.strong(S.invited_by), "Someone"), " invited ",
                rx.text.strong(S.invited_email), " to join ", rx.text.strong(S.ws_name), " as ",
                rx.text.strong(S.invited_role), ".", overflow_wrap="anywhere", data_testid="invite-offer"),
        rx.text("The invitation works once, until ", S.expires, ".", size=st.size_sm, color=st.text_muted),
        spacing=st.gap_xs, width="100%",
    )


def _accept() -> rx.Component:
    # A button, not an automatic action: mail scanners open links, and only the person accepts.
    return rx.vstack(
        rx.text("You are logged in as ", rx.text.strong(S.logged_in_as), ".", size=st.size_sm,
                overflow_wrap="anywhere"),
        error_callout(S.accept_error),
        rx.button("Accept and open the workspace", size="3", width="100%", on_click=S.accept,
                  data_testid="invite-accept"),
        spacing=st.gap_md, width="100%",
    )


def _wrong_user() -> rx.Component:
    return rx.vstack(
        rx.callout("This invitation is for " + S.invited_email + ", and you are logged in as " + S.logged_in_as
                   + ". Log out to accept it here with the invited address, or ask the owner "
                   "to invite " + S.logged_in_as + ".", **st.callout_error, data_testid="invite-wrong-user"),
        logout_button(back_to=S.back_here),
        spacing=st.gap_md, width="100%",
    )


def _logged_out() -> rx.Component:
    return rx.vstack(
        rx.text("Already on Dream Suite?", size=st.size_sm),
        rx.link(rx.button("Log in to accept", size="3", width="100%", variant="soft"),
                href=S.login_link, width="100%", data_testid="invite-login"),
        rx.divider(),
        rx.text("New to Dream Suite? Create your account for ", rx.text.strong(S.invited_email), ":",
                size=st.size_sm, overflow_wrap="anywhere"),
        plain_form(
            rx.vstack(
                rx.el.input(type="hidden", name="token", value=S.token),
                rx.el.input(type="hidden", name="timezone", value=S.browser_timezone),
                field("Your name", "name", placeholder="Alex Manager", required=True, auto_complete="name",
                      max_length=200, default_value=S.name, key=S.name),
                field("Password", "password", "password", "At least 8 characters", required=True,
                      auto_complete="new-password", min_length=8, max_length=1000),
                error_callout(S.form_error),
                rx.button("Create my account and join", type="submit", size="3", width="100%",
                          disabled=S.token == "", data_testid="invite-signup"),
                spacing=st.gap_md, width="100%",
            ),
            action=S.api_url + "/auth/invite",
            width="100%",
        ),
        spacing=st.gap_md, width="100%",
    )


@rx.page(route="/invite", title="Invitation · Dream Suite", on_load=S.load)
def invite() -> rx.Component:
    return auth_card(
        rx.cond(S.checked & (S.refusal != ""), "This invitation cannot be used", "You are invited"),
        "Work on an artist's career together.",
        rx.cond(
            ~S.checked,
            rx.center(rx.spinner(size="3"), width="100%"),
            rx.cond(
                S.refusal != "",
                rx.vstack(rx.callout(S.refusal, **st.callout_error, data_testid="invite-refused"),
                          rx.link("Go to Dream Suite", href="/login", size=st.size_sm), width="100%"),
                rx.vstack(
                    _offer(),
                    rx.cond(S.logged_in_as == "", _logged_out(), rx.cond(S.wrong_user, _wrong_user(), _accept())),
                    spacing=st.gap_lg, width="100%",
                ),
            ),
        ),
    )
