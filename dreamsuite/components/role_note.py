"""Why some controls are missing or disabled: the user's role in this workspace is too low."""

from __future__ import annotations

import reflex as rx

from dreamsuite import styles as st
from dreamsuite.state.auth import AuthState

VIEWER = ("You are a viewer of this workspace: you can read everything here; its owner or an editor "
          "composes, schedules and changes things.")
NOT_OWNER = "Only the workspace's owner connects and disconnects platforms."


def role_note(allowed, text: str = VIEWER, testid: str = "role-note") -> rx.Component:
    """A note shown when `allowed` (a state var) is false."""
    return rx.cond(allowed, rx.fragment(),
                   rx.callout(text, **{**st.callout_info, "icon": "lock"}, data_testid=testid))


def owner_only(allowed=AuthState.is_owner) -> dict:
    """Props that disable an owner's control for everyone else, saying why on hover."""
    return {"disabled": ~allowed, "title": rx.cond(allowed, "", NOT_OWNER)}
