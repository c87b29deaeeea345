"""The sidebar's artist switcher: the current workspace and role, a menu of the user's other
workspaces with their role, and "New artist workspace" (a small dialog: name and timezone)."""

from __future__ import annotations

import reflex as rx

from dreamsuite import styles as st
from dreamsuite.state.auth import AuthState
from dreamsuite.state.workspaces import WorkspaceState as W


def _other(w) -> rx.Component:
    return rx.menu.item(
        rx.hstack(rx.text(w["name"], style=st.ellipsis), rx.spacer(),
                  rx.badge(w["role"], variant="soft", color_scheme="gray"), width="100%", align="center"),
        on_click=W.switch(w["id"].to(int)),
        data_testid="workspace-option",
    )


def create_workspace_dialog() -> rx.Component:
    """Once per page (the sidebar and the phone drawer share it)."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("New artist workspace"),
            rx.dialog.description("One workspace per artist: its own platforms, posts and numbers. You will own it.",
                                  size=st.size_sm, color=st.text_muted),
            rx.vstack(
                rx.text("Artist name", size=st.size_sm, weight="medium"),
                rx.input(value=W.new_name, on_change=W.set_new_name, placeholder="e.g. Nova Blue", max_length=200,
                         width="100%", data_testid="new-workspace-name"),
                rx.text("Timezone", size=st.size_sm, weight="medium"),
                rx.input(value=W.new_timezone, on_change=W.set_new_timezone, placeholder="Europe/Paris",
                         max_length=64, width="100%", data_testid="new-workspace-timezone"),
                rx.cond(W.create_error != "", rx.callout(W.create_error, icon="triangle-alert", color_scheme="red",
                                                         size="1", data_testid="new-workspace-error")),
                rx.hstack(
                    rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                    rx.button("Create", on_click=W.create, data_testid="new-workspace-create"),
                    justify="end", spacing=st.gap_md, width="100%",
                ),
                spacing=st.gap_sm, width="100%", margin_top=st.space_md,
            ),
        ),
        open=W.creating,
        on_open_change=W.set_creating,
    )


def workspace_switcher() -> rx.Component:
    return rx.box(
        rx.menu.root(
            rx.menu.trigger(
                rx.button(
                    rx.vstack(
                        rx.text("Artist", size=st.size_xs, color=st.text_faint),
                        rx.text(AuthState.workspace_name, weight="bold", size=st.size_md, style=st.ellipsis,
                                title=AuthState.workspace_name, data_testid="workspace-name"),
                        rx.text(AuthState.role, size=st.size_xs, color=st.text_muted, data_testid="workspace-role"),
                        spacing="0", align="start", min_width="0", flex="1", overflow="hidden",
                    ),
                    # No spacer: beside the name's flex it took half the width and cut short names.
                    rx.icon("chevrons-up-down", size=st.icon_sm, flex_shrink="0"),
                    variant="ghost", color_scheme="gray", width="100%", height="auto", padding_y=st.space_sm,
                    justify="start", overflow="hidden", data_testid="workspace-switcher",
                ),
            ),
            rx.menu.content(
                rx.foreach(W.others, _other),
                rx.cond(W.others.length() > 0, rx.menu.separator()),
                rx.menu.item(rx.icon("plus", size=st.icon_sm), "New artist workspace", on_click=W.open_create,
                             data_testid="new-workspace"),
            ),
        ),
        width="100%",
        min_width="0",
    )


def delete_workspace_card() -> rx.Component:
    """The account page's last card: delete the current artist workspace (owners, name typed)."""
    return rx.card(
        rx.vstack(
            rx.text("Delete this artist workspace", weight="bold", size=st.size_lg),
            rx.cond(
                AuthState.is_owner,
                rx.vstack(
                    rx.text("Deletes ", rx.text.strong(AuthState.workspace_name),
                            " with everything in it: connections, numbers, posts, media, insights, goals, "
                            "API tokens and webhooks, for every member. It cannot be undone. Type the "
                            "workspace's name to confirm.", size=st.size_sm, color=st.text_muted,
                            overflow_wrap="anywhere"),  # a long artist name wraps on a phone
                    rx.input(value=W.delete_confirm, on_change=W.set_delete_confirm,
                             placeholder=AuthState.workspace_name, width="100%", data_testid="delete-workspace-name"),
                    rx.cond(W.delete_error != "", rx.text(W.delete_error, size=st.size_sm, color_scheme="red",
                                                          data_testid="delete-workspace-error")),
                    rx.button("Delete workspace", color_scheme="red", variant="soft", on_click=W.delete_current,
                              disabled=W.delete_confirm == "", data_testid="delete-workspace"),
                    spacing=st.gap_sm, width="100%",
                ),
                rx.text("Only the workspace's owner can delete it.", size=st.size_sm, color=st.text_muted),
            ),
            spacing=st.gap_sm, width="100%",
        ),
        **st.narrow_card,
    )
