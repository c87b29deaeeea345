import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.api_settings import api_settings_section
from dreamsuite.components.workspace_switcher import delete_workspace_card
from dreamsuite.components.forms import plain_form
from dreamsuite.components.layout import template
from dreamsuite.state.account import AccountState as S
from dreamsuite.state.api_settings import ApiSettingsState
from dreamsuite.state.auth import LOGOUT_EVERYWHERE_FORM


def _password_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.text("Change your password", weight="bold", size=st.size_lg),
                rx.text("Every other device you are logged in on is logged out.", size=st.size_sm,
                        color=st.text_muted),
                rx.input(name="current_password", type="password", placeholder="Current password", size="3",
                         width="100%", auto_complete="current-password", required=True, max_length=1000),
                rx.input(name="new_password", type="password", placeholder="New password (8+ characters)",
                         size="3", width="100%", auto_complete="new-password", required=True, max_length=1000),
                rx.input(name="repeat_password", type="password", placeholder="New password again", size="3",
                         width="100%", auto_complete="new-password", required=True, max_length=1000),
                rx.cond(S.password_error != "", rx.callout(S.password_error, **st.callout_error,
                                                           data_testid="password-error")),
                rx.cond(S.password_ok != "", rx.callout(S.password_ok, **st.callout_ok, data_testid="password-ok")),
                rx.button("Change password", type="submit", size="3", data_testid="password-submit"),
                spacing=st.gap_md,
                width="100%",
            ),
            on_submit=S.change_password,
            reset_on_submit=True,
            width="100%",
        ),
        **st.narrow_card,
    )


@template(route="/account", title="Account", on_load=[S.load, ApiSettingsState.load])
def account() -> rx.Component:
    return rx.vstack(
        rx.card(
            rx.vstack(
                # A name or address without spaces still wraps inside the card (phones included).
                rx.text(S.user_name, weight="bold", size=st.size_lg, overflow_wrap="anywhere"),
                rx.text(S.user_email, size=st.size_sm, color=st.text_muted, overflow_wrap="anywhere"),
                rx.text("Times are shown in ", rx.text.strong(S.user_timezone), ".", size=st.size_sm,
                        color=st.text_muted),
                spacing=st.gap_xs,
                width="100%",
                min_width="0",
            ),
            **st.narrow_card,
        ),
        _password_form(),
        rx.card(
            rx.vstack(
                rx.text("Log out everywhere", weight="bold", size=st.size_lg),
                rx.text("Ends every login of your account, on this device too.", size=st.size_sm,
                        color=st.text_muted),
                plain_form(
                    rx.el.input(type="hidden", name="everywhere", value="1"),
                    rx.button("Log out everywhere", type="submit", color_scheme="red", variant="soft",
                              on_click=[rx.prevent_default, S.log_out(True)], data_testid="logout-everywhere"),
                    action=S.api_url + "/auth/logout",
                    class_name=LOGOUT_EVERYWHERE_FORM,
                ),
                spacing=st.gap_sm,
            ),
            **st.narrow_card,
        ),
        api_settings_section(),
        delete_workspace_card(),
        spacing=st.gap_lg,
        width="100%",
    )
