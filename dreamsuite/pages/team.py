"""/team: the workspace's members and their roles, invitations (owners), leaving."""

import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.confirm import confirm_dialog
from dreamsuite.components.layout import template
from dreamsuite.components.role_note import role_note
from dreamsuite.state.team import ROLES, TeamState as S

NOT_OWNER_NOTE = ("You can see who works on this artist. Only the workspace's owners invite people, change "
                  "roles and remove members.")
ROLES_NOTE = ("Viewers read everything. Editors also compose, schedule and reply. Owners also connect and "
              "disconnect platforms, manage members and delete the workspace.")


def _role_select(value, on_change, label, testid: str, size: str = "2") -> rx.Component:
    # The trigger is the element on the page: the label and the test id belong on it.
    return rx.select.root(
        rx.select.trigger(aria_label=label, data_testid=testid),
        rx.select.content(*[rx.select.item(r, value=r) for r in ROLES]),
        value=value, on_change=on_change, size=size,
    )


def _role_cell(m) -> rx.Component:
    return rx.cond(
        S.is_owner,
        _role_select(m["role"], lambda role: S.change_role(m["user_id"], role), "Role of " + m["name"],
                     "member-role", size="1"),
        rx.badge(m["role"], variant="soft", color_scheme="gray", data_testid="member-role-badge"),
    )


def _member(m) -> rx.Component:
    # A row that wraps (not a table): on a phone the role and Remove go under the name.
    return rx.flex(
        rx.vstack(
            rx.text(m["name"], rx.cond(m["me"] != "", " (you)", ""), weight="medium", overflow_wrap="anywhere"),
            rx.text(m["email"], size=st.size_xs, color=st.text_muted, overflow_wrap="anywhere"),
            rx.text("joined ", m["joined"], size=st.size_xs, color=st.text_muted),
            spacing="0", min_width="0", flex="1 1 14rem",
        ),
        rx.hstack(
            _role_cell(m),
            rx.cond(
                S.is_owner & (m["me"] == ""),
                rx.button("Remove", size="1", color_scheme="red", variant="soft",
                          on_click=S.ask_remove(m["user_id"], m["name"]), data_testid="member-remove"),
            ),
            spacing=st.gap_sm, align="center", flex_shrink="0",
        ),
        wrap="wrap", align="center", justify="between", spacing=st.gap_sm, width="100%", padding_y=st.space_sm,
        border_bottom=st.divider, data_testid="member-row",
    )


def _members_card() -> rx.Component:
    return rx.card(rx.vstack(
        rx.text("Members", weight="bold", size=st.size_lg),
        rx.text(ROLES_NOTE, size=st.size_sm, color=st.text_muted),
        role_note(S.is_owner, NOT_OWNER_NOTE, testid="team-role-note"),
        rx.cond(S.team_error != "", rx.callout(S.team_error, **st.callout_error, data_testid="team-error")),
        rx.cond(S.team_ok != "", rx.callout(S.team_ok, **st.callout_ok, data_testid="team-ok")),
        rx.vstack(rx.foreach(S.people, _member), spacing="0", width="100%"),
        rx.button("Leave this workspace", variant="soft", color_scheme="gray", size="1",
                  on_click=S.set_leaving(True), data_testid="team-leave"),
        spacing=st.gap_md, width="100%",
    ), width="100%")


def _link_once() -> rx.Component:
    return rx.cond(
        S.invite_link != "",
        rx.callout(
            rx.vstack(
                rx.code(S.invite_link, overflow_wrap="anywhere", data_testid="invite-link"),
                rx.hstack(
                    rx.button(rx.icon("copy", size=14), "Copy", size="1", variant="soft",
                              on_click=[rx.set_clipboard(S.invite_link), rx.toast("Copied")]),
                    rx.button("Done", size="1", variant="soft", color_scheme="gray", on_click=S.forget_link),
                    spacing=st.gap_sm,
                ),
                spacing=st.gap_sm, width="100%",
            ),
            icon="link", color_scheme="amber", width="100%",
        ),
    )


def _pending(p) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(p["email"], size=st.size_sm, weight="medium", overflow_wrap="anywhere"),
            rx.text(p["role"], " · invited by ", p["invited_by"], " on ", p["sent"], " · ",
                    rx.cond(p["expired"] != "", "expired " + p["expires"], "works until " + p["expires"]),
                    size=st.size_xs, color=rx.cond(p["expired"] != "", st.text_danger, st.text_muted)),
            spacing="0", min_width="0", flex="1",
        ),
        rx.button("Revoke", size="1", color_scheme="red", variant="soft", on_click=S.revoke_invite(p["id"]),
                  data_testid="invite-revoke"),
        align="center", width="100%", padding_y=st.space_xs, border_bottom=st.divider, data_testid="invite-row",
    )


def _invite_card() -> rx.Component:
    return rx.card(rx.vstack(
        rx.text("Invite someone", weight="bold", size=st.size_lg),
        rx.text("They get a link by email that works once, for 7 days. Inviting the same address again replaces "
                "the earlier link.", size=st.size_sm, color=st.text_muted),
        rx.form(rx.vstack(
            rx.input(name="email", type="email", placeholder="their@email.com", value=S.invite_email,
                     on_change=S.set_invite_email, max_length=320, required=True, width="100%",
                     data_testid="invite-email"),
            rx.hstack(
                _role_select(S.invite_role, S.set_invite_role, "Their role", "invite-role"),
                rx.button(rx.icon("send", size=st.icon_sm), "Invite", type="submit", data_testid="invite-submit"),
                spacing=st.gap_sm, wrap="wrap",
            ),
            spacing=st.gap_sm, width="100%",
        ), on_submit=S.invite, width="100%"),
        rx.cond(S.invite_error != "", rx.callout(S.invite_error, **st.callout_error, data_testid="invite-error")),
        rx.cond(S.invite_ok != "", rx.callout(S.invite_ok, **st.callout_ok, data_testid="invite-ok")),
        _link_once(),
        rx.cond(S.pending.length() > 0, rx.vstack(
            rx.text("Waiting for an answer", weight="medium", size=st.size_md),
            rx.foreach(S.pending, _pending),
            spacing=st.gap_xs, width="100%",
        )),
        spacing=st.gap_md, width="100%",
    ), width="100%")


def _dialogs() -> rx.Component:
    return rx.fragment(
        confirm_dialog(
            "Remove this member?",
            rx.alert_dialog.description(S.removing_name, size=st.size_sm, weight="medium"),
            rx.text("They lose access to this workspace at once. Posts they scheduled stay.", size=st.size_sm,
                    color=st.text_muted, margin_top=st.space_sm),
            confirm="Remove", on_cancel=S.cancel_remove, on_confirm=S.remove, testid="confirm-remove-member",
            open=S.removing_id != "",
        ),
        confirm_dialog(
            "Leave this workspace?",
            rx.alert_dialog.description(S.workspace_name, size=st.size_sm, weight="medium"),
            rx.text("You lose access to it until someone invites you again.", size=st.size_sm, color=st.text_muted,
                    margin_top=st.space_sm),
            confirm="Leave", on_cancel=S.set_leaving(False), on_confirm=S.leave, testid="confirm-leave",
            open=S.leaving,
        ),
    )


@template(route="/team", title="Team", on_load=[S.load])
def team() -> rx.Component:
    return rx.vstack(
        _dialogs(),
        _members_card(),
        rx.cond(S.is_owner, _invite_card()),
        spacing=st.gap_lg,
        width="100%",
    )
