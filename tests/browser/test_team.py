"""The team page and invitations in Chromium: an owner invites by link, a new person creates their
account on the invitation page, an existing user logs in from it and comes back, a link for one
address refuses another login, owners change roles and remove people (never the last owner),
a removed member's open tab is refused, and hostile emails and names stay text.

Screenshots: artifacts/screens/team-*.png and invite-*.png (also copied to /tmp/shots/)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import seed
from tests.browser.conftest import log_in
from tests.browser.test_layout import DESKTOP, assert_fits, guard_dialogs, snap, visible

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>"
INVALID_EMAIL = "Please enter a valid email address."
NOT_A_MEMBER_ANY_MORE = "You are not a member of this workspace any more."
ONLY_OWNER = "You are this workspace's only owner"


def _pick(page, trigger, option: str) -> None:
    trigger.click()
    page.get_by_role("option", name=option, exact=True).click()


def _invite(page, email: str, role: str) -> str:
    """Invite `email` as `role` from the open team page; returns the link shown to copy."""
    page.get_by_test_id("invite-email").fill(email)
    _pick(page, page.get_by_test_id("invite-role"), role)
    page.get_by_test_id("invite-submit").click()
    expect(page.get_by_test_id("invite-ok")).to_contain_text(f"Invitation for {email} made")
    link = page.get_by_test_id("invite-link")
    expect(link).to_contain_text("/invite?token=")
    return link.inner_text().strip()


def _team_as_owner(page, base: str, owner: seed.Artist) -> None:
    log_in(page, base, owner.email, owner.password)
    page.goto(f"{base}/team")
    expect(page.get_by_test_id("invite-email")).to_be_visible()


def _row(page, text: str):
    return page.get_by_test_id("member-row").filter(has_text=text)


def _memberships(user_id: int) -> dict[int, str]:
    from sqlmodel import select

    from dreamsuite import db
    from dreamsuite.models import Membership

    with db.session() as s:
        return {m.workspace_id: str(m.role) for m in s.exec(select(Membership).where(Membership.user_id == user_id))}


def _read_only_team(page, base: str, role: str) -> None:
    page.goto(f"{base}/team")
    expect(page.get_by_test_id("team-role-note")).to_contain_text("Only the workspace's owners invite people")
    expect(page.get_by_test_id("member-role-badge").first).to_be_visible()
    expect(page.get_by_test_id("member-role")).to_have_count(0)
    expect(page.get_by_test_id("member-remove")).to_have_count(0)
    expect(page.get_by_test_id("invite-email")).to_have_count(0)
    expect(page.get_by_test_id("invite-revoke")).to_have_count(0)
    expect(page.get_by_test_id("member-row").filter(has_text="(you)")).to_contain_text(role)


def test_a_new_person_creates_their_account_from_the_link_and_joins_as_editor(module_app, new_context):
    base = module_app
    owner = seed.artist("Nova Owner")
    page = new_context().new_page()
    _team_as_owner(page, base, owner)
    email = "new.editor@example.com"
    link = _invite(page, email, "editor")
    assert link.startswith(f"{base}/invite?token=")
    # The same link went to the outbox (the owner copies it because no mail server carries it).
    assert module_app.link_in_mail_to(email) == link
    pending = page.get_by_test_id("invite-row")
    expect(pending).to_have_count(1)
    expect(pending).to_contain_text(email)
    expect(pending).to_contain_text("editor")
    # Shown once: after "Done" (or a reload) it is gone and cannot be read back.
    page.get_by_role("button", name="Done").click()
    expect(page.get_by_test_id("invite-link")).to_have_count(0)

    # A fresh browser, logged out: the offer in words, then a new account on this page.
    guest = new_context().new_page()
    guest.goto(link)
    expect(guest.get_by_test_id("invite-offer")).to_have_text(
        f"Nova Owner invited {email} to join Nova Owner as editor.")
    expect(guest.get_by_test_id("invite-login")).to_be_visible()
    guest.fill("#name", "Eddie Editor")
    guest.fill("#password", "short")
    guest.get_by_test_id("invite-signup").click()  # the browser refuses under 8 characters
    expect(guest.locator("#password:invalid")).to_have_count(1)
    expect(guest.get_by_test_id("invite-offer")).to_be_visible()
    guest.fill("#password", seed.PASSWORD)
    guest.get_by_test_id("invite-signup").click()
    guest.wait_for_url(re.compile(r"/dashboard"))
    expect(visible(guest, "workspace-name")).to_have_text("Nova Owner")
    expect(visible(guest, "workspace-role")).to_have_text("editor")
    guest.goto(f"{base}/composer")
    expect(guest.get_by_test_id("composer-text")).to_be_visible()
    expect(guest.get_by_test_id("role-note")).to_have_count(0)
    _read_only_team(guest, base, "editor")
    expect(guest.get_by_test_id("member-row")).to_have_count(2)
    expect(_row(guest, "Nova Owner")).to_contain_text("owner")

    # The link worked once: opened again (by anyone) it is refused in words.
    guest.goto(link)
    expect(guest.get_by_test_id("invite-refused")).to_have_text(
        "This invitation was already accepted. Ask the workspace's owner for a new one if you still need it.")
    expect(guest.get_by_test_id("invite-accept")).to_have_count(0)
    other = new_context().new_page()
    other.goto(link)
    expect(other.get_by_test_id("invite-refused")).to_contain_text("already accepted")
    expect(other.get_by_test_id("invite-signup")).to_have_count(0)

    # The owner's list shows the new member and no pending invitation any more.
    page.reload()
    expect(_row(page, "Eddie Editor")).to_contain_text(email)
    expect(page.get_by_test_id("invite-row")).to_have_count(0)


def test_an_existing_user_logs_in_from_the_link_comes_back_and_accepts_as_viewer(module_app, new_context):
    base = module_app
    owner = seed.artist("Label Owner")
    vic = seed.artist("Vic Viewer")  # with a workspace of their own
    page = new_context().new_page()
    _team_as_owner(page, base, owner)
    link = _invite(page, vic.email, "viewer")

    guest = new_context().new_page()
    guest.goto(link)
    expect(guest.get_by_test_id("invite-offer")).to_contain_text("to join Label Owner as viewer")
    # Creating a second account for the address is refused in words (it has one: log in).
    guest.fill("#name", "Vic Again")
    guest.fill("#password", seed.PASSWORD)
    guest.get_by_test_id("invite-signup").click()
    expect(guest.get_by_test_id("form-error")).to_have_text(
        "This email already has an account: log in to accept the invitation.")
    assert seed.off_loop(_memberships, vic.user_id) == {vic.workspace_id: "owner"}

    guest.get_by_test_id("invite-login").click()
    guest.wait_for_url(re.compile(r"/login\?next="))
    guest.fill("#email", vic.email)
    guest.fill("#password", vic.password)
    guest.get_by_test_id("login-submit").click()
    guest.wait_for_url(re.compile(r"/invite/?\?token="))
    expect(guest.get_by_test_id("invite-accept")).to_be_visible()
    expect(guest.get_by_text(f"You are logged in as {vic.email}.")).to_be_visible()
    guest.get_by_test_id("invite-accept").click()
    guest.wait_for_url(re.compile(r"/dashboard"))
    expect(visible(guest, "workspace-name")).to_have_text("Label Owner")
    expect(visible(guest, "workspace-role")).to_have_text("viewer")
    assert seed.off_loop(_memberships, vic.user_id) == {vic.workspace_id: "owner", owner.workspace_id: "viewer"}

    # A viewer: no composer, nothing to change on the team page.
    guest.goto(f"{base}/composer")
    expect(guest.get_by_test_id("role-note")).to_contain_text("You are a viewer of this workspace")
    expect(guest.get_by_test_id("composer-text")).to_have_count(0)
    _read_only_team(guest, base, "viewer")
    # Their own workspace is still theirs, one switch away.
    visible(guest, "workspace-switcher").click()
    expect(guest.get_by_test_id("workspace-option").filter(has_text="Vic Viewer")).to_contain_text("owner")


def test_a_link_for_one_address_is_refused_to_another_login(module_app, new_context):
    base = module_app
    owner = seed.artist("Alpha Owner")
    intruder = seed.artist("Bea Other")
    page = new_context().new_page()
    _team_as_owner(page, base, owner)
    invited = "alice.invited@example.com"
    link = _invite(page, invited, "editor")

    other = new_context().new_page()
    log_in(other, base, intruder.email, intruder.password)
    other.goto(link)
    refusal = other.get_by_test_id("invite-wrong-user")
    expect(refusal).to_contain_text(f"This invitation is for {invited}, and you are logged in as {intruder.email}.")
    expect(other.get_by_test_id("invite-accept")).to_have_count(0)
    expect(other.get_by_test_id("invite-signup")).to_have_count(0)
    assert seed.off_loop(_memberships, intruder.user_id) == {intruder.workspace_id: "owner"}
    other.goto(f"{base}/dashboard")
    expect(visible(other, "workspace-name")).to_have_text("Bea Other")
    visible(other, "workspace-switcher").click()
    expect(other.get_by_test_id("workspace-option")).to_have_count(0)
    # The invitation is still open for the person it names.
    page.reload()
    expect(page.get_by_test_id("invite-row").filter(has_text=invited)).to_have_count(1)
    # Logging out from the refusal comes back to the invitation, ready for the invited address.
    other.goto(link)
    expect(other.get_by_test_id("invite-wrong-user")).to_be_visible()
    with other.expect_navigation():
        visible(other, "logout").click()
    assert re.search(r"/invite/?\?token=", other.url), other.url
    expect(other.get_by_test_id("invite-login")).to_be_visible()
    expect(other.get_by_test_id("invite-wrong-user")).to_have_count(0)


def test_owner_changes_roles_removes_a_member_and_keeps_the_last_owner(module_app, new_context):
    base = module_app
    owner = seed.artist("Olga Owner")
    ed = seed.member(owner.workspace_id, "editor", name="Ed Removed")
    vi = seed.member(owner.workspace_id, "viewer", name="Val Promoted")

    ed_page = new_context().new_page()
    log_in(ed_page, base, ed.email, ed.password)
    ed_page.goto(f"{base}/team")
    expect(ed_page.get_by_test_id("member-row")).to_have_count(3)

    page = new_context().new_page()
    _team_as_owner(page, base, owner)
    expect(page.get_by_test_id("member-row")).to_have_count(3)
    _pick(page, _row(page, "Val Promoted").get_by_test_id("member-role"), "editor")
    expect(page.get_by_test_id("team-ok")).to_have_text("Val Promoted is now editor.")
    assert seed.off_loop(_memberships, vi.user_id) == {owner.workspace_id: "editor"}

    # Remove asks first; "Keep it" keeps them.
    _row(page, "Ed Removed").get_by_test_id("member-remove").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Remove this member?")
    expect(dialog).to_contain_text("Ed Removed")
    dialog.get_by_role("button", name="Keep it").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_test_id("member-row")).to_have_count(3)
    _row(page, "Ed Removed").get_by_test_id("member-remove").click()
    page.get_by_test_id("confirm-remove-member").click()
    expect(page.get_by_test_id("team-ok")).to_have_text("Removed: they lost access to this workspace.")
    expect(page.get_by_test_id("member-row")).to_have_count(2)
    assert seed.off_loop(_memberships, ed.user_id) == {}

    # The removed editor's open tab is refused at their next click, in words.
    ed_page.get_by_test_id("team-leave").click()
    ed_page.get_by_test_id("confirm-leave").click()
    expect(ed_page.get_by_text(NOT_A_MEMBER_ANY_MORE)).to_be_visible()

    # The only owner can neither step down nor leave; the message says why.
    own = _row(page, "(you)")
    _pick(page, own.get_by_test_id("member-role"), "viewer")
    expect(page.get_by_test_id("team-error")).to_contain_text(f"{ONLY_OWNER}: make someone else an owner first.")
    expect(own.get_by_test_id("member-role")).to_have_text("owner")
    expect(own.get_by_test_id("member-remove")).to_have_count(0)
    page.get_by_test_id("team-leave").click()
    page.get_by_test_id("confirm-leave").click()
    expect(page.get_by_test_id("team-error")).to_have_text(
        f"{ONLY_OWNER}: make someone else an owner before you leave.")
    assert seed.off_loop(_memberships, owner.user_id) == {owner.workspace_id: "owner"}
    page.reload()
    expect(_row(page, "(you)").get_by_test_id("member-role")).to_have_text("owner")
    expect(page.get_by_test_id("invite-email")).to_be_visible()


def test_hostile_emails_and_names_stay_text(module_app, new_context):
    base = module_app
    owner = seed.artist(HOSTILE + " <b>Owner</b>")
    seed.member(owner.workspace_id, "viewer", name="<script>alert(2)</script>Mallory")
    page = new_context().new_page()
    dialogs = guard_dialogs(page)
    _team_as_owner(page, base, owner)
    expect(_row(page, "Mallory")).to_contain_text("<script>alert(2)</script>Mallory")
    expect(_row(page, "(you)")).to_contain_text(HOSTILE + " <b>Owner</b>")

    field = page.get_by_test_id("invite-email")
    for value in ["a" * 4_990 + "@x.com", HOSTILE]:
        # As a hostile user would: the length limit and the email type taken off first.
        field.evaluate("el => { el.removeAttribute('maxlength'); el.type = 'text'; }")
        field.fill(value)
        page.get_by_test_id("invite-submit").click()
        expect(page.get_by_test_id("invite-error")).to_have_text(INVALID_EMAIL)
        expect(page.get_by_test_id("invite-link")).to_have_count(0)
        expect(page.get_by_test_id("invite-row")).to_have_count(0)
        page.get_by_test_id("invite-email").fill("")
    assert len(field.input_value()) <= 320

    # The owner's HTML name and workspace name are text on the invitation page too.
    link = _invite(page, "guest.hostile@example.com", "viewer")
    guest = new_context().new_page()
    guest_dialogs = guard_dialogs(guest)
    guest.goto(link)
    expect(guest.get_by_test_id("invite-offer")).to_contain_text(f"{HOSTILE} <b>Owner</b> invited")
    guest.goto(f"{base}/invite?token={HOSTILE}")
    expect(guest.get_by_test_id("invite-refused")).to_contain_text("This invitation link is not valid.")
    for p in (page, guest):
        assert p.evaluate("() => document.querySelectorAll('img[src=\"x\"], img[onerror]').length") == 0
    assert dialogs == [] and guest_dialogs == [], f"hostile text opened a dialog: {dialogs + guest_dialogs}"


def test_team_and_invitation_pages_look_right_at_each_width(module_app, new_context):
    """Screenshots for a person to look at; nothing scrolls sideways at 390 px."""
    base = module_app
    owner = seed.artist("Stella Marquez")
    seed.member(owner.workspace_id, "editor", name="Rafael Ortega-Villanueva")
    viewer = seed.member(owner.workspace_id, "viewer", name="Kim Lee")
    right = seed.artist("Priya Nair")
    wrong = seed.artist("Someone Else")
    used = seed.artist("Dana Used")

    page = new_context().new_page()
    _team_as_owner(page, base, owner)
    used_link = _invite(page, used.email, "editor")
    guest = new_context().new_page()
    log_in(guest, base, used.email, used.password)
    guest.goto(used_link)
    guest.get_by_test_id("invite-accept").click()
    guest.wait_for_url(re.compile(r"/dashboard"))
    page.get_by_test_id("member-row").first.wait_for()
    # Take the accepted member out again: 3 members (owner, editor, viewer) and 2 pending invitations.
    page.reload()
    _row(page, "Dana Used").get_by_test_id("member-remove").click()
    page.get_by_test_id("confirm-remove-member").click()
    expect(page.get_by_test_id("member-row")).to_have_count(3)
    right_link = _invite(page, right.email, "viewer")
    _invite(page, "a.very.long.address.for.a.manager@management-company.example.com", "owner")
    page.context.close()

    for width, height in [DESKTOP, (390, 844)]:
        owner_page = new_context(width=width, height=height).new_page()
        _team_as_owner(owner_page, base, owner)
        expect(owner_page.get_by_test_id("member-row")).to_have_count(3)
        expect(owner_page.get_by_test_id("invite-row")).to_have_count(2)
        snap(owner_page, f"team-owner-{width}")
        assert_fits(owner_page, f"the owner's team page at {width}px")
        # The link to copy, then withdrawn: it stops working at once.
        extra = f"phone.{width}@example.com"
        extra_link = _invite(owner_page, extra, "viewer")
        snap(owner_page, f"team-link-shown-{width}")
        assert_fits(owner_page, f"the link to copy at {width}px")
        owner_page.get_by_test_id("invite-row").filter(has_text=extra).get_by_test_id("invite-revoke").click()
        expect(owner_page.get_by_test_id("team-ok")).to_have_text("Invitation withdrawn: its link no longer works.")
        expect(owner_page.get_by_test_id("invite-link")).to_have_count(0)
        expect(owner_page.get_by_test_id("invite-row")).to_have_count(2)

        viewer_page = new_context(width=width, height=height).new_page()
        log_in(viewer_page, base, viewer.email, viewer.password)
        viewer_page.goto(f"{base}/team")
        expect(viewer_page.get_by_test_id("team-role-note")).to_be_visible()
        expect(viewer_page.get_by_test_id("member-row")).to_have_count(3)
        snap(viewer_page, f"team-viewer-{width}")
        assert_fits(viewer_page, f"the viewer's team page at {width}px")

        out = new_context(width=width, height=height).new_page()
        out.goto(right_link)
        expect(out.get_by_test_id("invite-signup")).to_be_visible()
        expect(out.get_by_role("heading", level=1)).to_have_text("You are invited")
        snap(out, f"invite-logged-out-{width}")
        assert_fits(out, f"the invitation, logged out, at {width}px")

        mine = new_context(width=width, height=height).new_page()
        log_in(mine, base, right.email, right.password)
        mine.goto(right_link)
        expect(mine.get_by_test_id("invite-accept")).to_be_visible()
        snap(mine, f"invite-right-user-{width}")
        assert_fits(mine, f"the invitation, right user, at {width}px")

        other = new_context(width=width, height=height).new_page()
        log_in(other, base, wrong.email, wrong.password)
        other.goto(right_link)
        expect(other.get_by_test_id("invite-wrong-user")).to_be_visible()
        snap(other, f"invite-wrong-user-{width}")
        assert_fits(other, f"the invitation, wrong user, at {width}px")

        other.goto(extra_link)
        expect(other.get_by_test_id("invite-refused")).to_contain_text("This invitation was withdrawn")

        other.goto(used_link)
        expect(other.get_by_test_id("invite-refused")).to_contain_text("already accepted")
        expect(other.get_by_role("heading", level=1)).to_have_text("This invitation cannot be used")
        snap(other, f"invite-used-{width}")
        assert_fits(other, f"the used invitation at {width}px")
        for p in (owner_page, viewer_page, out, mine, other):
            p.context.close()
