"""`/` sends the visitor to their dashboard, or to the login page."""

import reflex as rx

from dreamsuite.state.auth import AuthState


@rx.page(route="/", title="Dream Suite", on_load=AuthState.redirect_home)
def index() -> rx.Component:
    return rx.center(rx.spinner(size="3"), height="100vh")
