"""A hostile walk of the newer pages (/inbox, /account's API tokens, webhooks and delete cards, the
calendar's import card) at desktop and phone widths: 5,000 characters in every text field get a
message in words (or are held to the field's limit), HTML typed anywhere comes back as text, nothing
scrolls sideways; a viewer gets no write controls, and a page left open after a demotion is refused
when it writes; another workspace's ids, in a URL or an imported file, find nothing.

Screenshots go to /tmp/shots/ and artifacts/screens/ (hostile-*.png)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser import seed
from tests.browser.conftest import log_in
from tests.browser.test_inbox_page import _seed_comments
from tests.browser.test_layout import assert_fits, guard_dialogs, snap

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"
HUGE = "ab " * 1667  # 5,001 characters


def _no_injected(page) -> None:
    assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"], img[onerror]').length") == 0


def _force(page, testid_or_selector: str, value: str) -> None:
    """Type `value` into a field whose maxlength was taken off first (as a hostile user would)."""
    loc = (page.get_by_test_id(testid_or_selector) if not testid_or_selector.startswith(("input", "textarea", "["))
           else page.locator(testid_or_selector)).locator("visible=true").first
    loc.evaluate("el => el.removeAttribute('maxlength')")
    loc.fill(value)


def _role(user_id: int, workspace_id: int, role: str) -> None:
    from sqlalchemy import update

    from dreamsuite import db
    from dreamsuite.models import Membership

    with db.session() as s:
        s.exec(update(Membership).where(Membership.user_id == user_id, Membership.workspace_id == workspace_id)
               .values(role=role))


def _comment_state(workspace_id: int) -> list[tuple[bool, bool]]:
    from sqlmodel import select

    from dreamsuite import db
    from dreamsuite.models import Comment

    with db.session() as s:
        return [(c.is_read, c.archived) for c in s.exec(select(Comment).where(
            Comment.workspace_id == workspace_id).order_by(Comment.id))]


def _count(model_name: str, workspace_id: int) -> int:
    from sqlalchemy import func
    from sqlmodel import select

    from dreamsuite import db
    from dreamsuite import models

    model = getattr(models, model_name)
    with db.session() as s:
        return s.exec(select(func.count()).select_from(model).where(model.workspace_id == workspace_id)).one()


def _victim() -> tuple[seed.Artist, int, int, int]:
    """Another artist with a sandbox account, a scheduled post and a picture in their library:
    (artist, connection id, post id, media id)."""
    from sqlmodel import select

    from dreamsuite import db
    from dreamsuite.models import MediaAsset, PlatformConnection, ScheduledPost

    them = seed.artist("Victim Artist")
    seed.numbers(them.workspace_id, ["Victim caption"])

    def post() -> tuple[int, int]:
        with db.session() as s:
            conn = s.exec(select(PlatformConnection.id).where(
                PlatformConnection.workspace_id == them.workspace_id)).one()
            p = ScheduledPost(workspace_id=them.workspace_id, content="Victim: unreleased single",
                              timezone="Europe/Paris", scheduled_at=datetime.now(ZoneInfo("UTC")) + timedelta(days=5))
            picture = MediaAsset(workspace_id=them.workspace_id, sha256="0" * 64, filename="cover.jpg",
                                 mime="image/jpeg", size_bytes=1000, width=1080, height=1080, storage_key="x/cover.jpg")
            s.add_all([p, picture])
            s.flush()
            return conn, p.id, picture.id

    conn, post_id, media_id = seed.off_loop(post)
    return them, conn, post_id, media_id


def _deliveries(workspace_id: int) -> None:
    """A delivery log as a hostile receiver leaves it: its answer (HTML, a long line) kept as the error."""
    from sqlmodel import select

    from dreamsuite import db
    from dreamsuite.models import Webhook, WebhookDelivery

    with db.session() as s:
        hook = s.exec(select(Webhook.id).where(Webhook.workspace_id == workspace_id)).one()
        now = datetime.now(ZoneInfo("UTC"))
        for i, (status, code, error) in enumerate([
                ("failed", 500, f"HTTP 500: {XSS} " + "x" * 400),
                ("pending", 418, "https://receiver.example/" + "long-path-without-a-space-" * 15),
                ("delivered", 200, "")]):
            s.add(WebhookDelivery(workspace_id=workspace_id, webhook_id=hook, event="post.failed",
                                  event_key=f"walk:{i}", attempts=3, status=status, response_code=code,
                                  error=error[:500], next_try_at=now + timedelta(minutes=5) if status == "pending"
                                  else None))


def _csv(*rows: str) -> bytes:
    return ("text,scheduled_at,accounts\n" + "\n".join(rows) + "\n").encode()


def _upload(page, name: str, body: bytes) -> None:
    page.get_by_test_id("import-drop").locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": body})


@pytest.mark.parametrize("width,height", [(1400, 900), (390, 844)])
def test_hostile_input_on_the_new_pages(module_app, new_context, width, height):
    base = module_app
    me = seed.artist(f"Hostile {width}")
    seed.numbers(me.workspace_id, ["Mine"])
    seed.off_loop(_seed_comments, me.workspace_id)
    _, victim_conn, victim_post, victim_media = _victim()
    page = new_context(width=width, height=height).new_page()
    dialogs = guard_dialogs(page)
    log_in(page, base, me.email, me.password)

    # --- /inbox: the search and a reply.
    page.goto(f"{base}/inbox")
    rows = page.get_by_test_id("inbox-comment")
    expect(rows).to_have_count(6)
    search = page.get_by_test_id("inbox-search")
    search.fill(HUGE)
    assert len(search.input_value()) <= 200  # held to the field's limit
    _force(page, "inbox-search", HUGE)
    expect(page.get_by_test_id("inbox-empty")).to_be_visible()  # searched (for its first 200), found none
    search.fill(XSS)
    expect(rows).to_have_count(1)
    search.fill("")
    expect(rows).to_have_count(6)
    lisbon = rows.filter(has_text="Lisbon")  # an X comment: it takes replies
    lisbon.get_by_test_id("inbox-reply-open").click()
    _force(page, "inbox-reply-text", "x" * 5000)
    # The box keeps one character past the limit, so the refusal says so in words.
    expect(page.get_by_test_id("inbox-reply-text")).to_have_value("x" * 2001)
    page.get_by_test_id("inbox-reply-send").click()
    expect(page.get_by_test_id("inbox-notice")).to_contain_text("The reply is 2001 characters; the limit is 2000.")
    page.get_by_test_id("inbox-reply-text").fill(XSS)
    page.get_by_test_id("inbox-reply-send").click()
    expect(page.get_by_test_id("inbox-notice")).to_contain_text("Reply queued")
    expect(lisbon.get_by_test_id("inbox-reply-status")).to_be_visible()
    _no_injected(page)
    assert_fits(page, f"the inbox with hostile text at {width}px")
    snap(page, f"hostile-inbox-{width}")

    # --- /account: tokens, webhooks, the delete card.
    page.goto(f"{base}/account")
    token_name = page.locator("input[name=name]")
    token_name.fill(HUGE)
    assert len(token_name.input_value()) <= 100
    _force(page, "input[name=name]", HUGE)
    page.get_by_test_id("create-token").click()
    expect(page.get_by_text("The name can be at most 100 characters.")).to_be_visible()
    token_name.fill(XSS)
    page.get_by_test_id("create-token").click()
    expect(page.get_by_test_id("new-secret")).to_contain_text("ds_")
    expect(page.get_by_text("Copy the API token “" + XSS + "” now")).to_be_visible()
    expect(page.get_by_role("cell").filter(has_text=XSS)).to_have_count(1)

    url = page.locator("input[name=url]")
    _force(page, "input[name=url]", "https://example.com/" + "a" * 5000)
    page.get_by_test_id("add-webhook").click()
    expect(page.get_by_text("That address is too long (2000 characters at most).")).to_be_visible()
    for bad, words in [("javascript:alert(1)", "must start with https://"),
                       ("https://10.0.0.1/hook", "private or link-local address"),
                       ("https://user:pw@localhost/x", "Put no password in the address")]:
        url.evaluate("el => el.type = 'text'")  # the browser's own check would stop the form first
        url.fill(bad)
        page.get_by_test_id("add-webhook").click()
        expect(page.locator(".rt-CalloutRoot").filter(has_text=words)).to_be_visible()
    assert seed.off_loop(_count, "Webhook", me.workspace_id) == 0
    url.fill(f"http://localhost/{XSS}")
    page.get_by_test_id("add-webhook").click()
    expect(page.get_by_test_id("new-secret")).to_contain_text("whsec_")
    expect(page.get_by_text(f"http://localhost/{XSS}").first).to_be_visible()
    # A token named with one long word, and the delivery log of a receiver answering with HTML.
    token_name.fill("w" * 100)
    page.get_by_test_id("create-token").click()
    expect(page.get_by_role("cell").filter(has_text="w" * 100)).to_have_count(1)
    seed.off_loop(_deliveries, me.workspace_id)
    page.reload()  # (the log's refresh button shows only once there is a delivery)
    expect(page.get_by_text("Latest deliveries")).to_be_visible()
    log = page.get_by_test_id("webhook-delivery")
    expect(log).to_have_count(3)
    expect(log.first).to_contain_text("delivered")
    expect(log.nth(1)).to_contain_text("3 tries · HTTP 418")
    expect(log.nth(1).get_by_test_id("webhook-delivery-error")).to_contain_text("Next try")
    expect(log.last.get_by_test_id("webhook-delivery-error")).to_contain_text(f"HTTP 500: {XSS}")
    assert_fits(page, f"the account page's tokens and deliveries at {width}px")

    confirm = page.get_by_test_id("delete-workspace-name")
    _force(page, "delete-workspace-name", HUGE)
    page.get_by_test_id("delete-workspace").click()
    refusal = page.get_by_test_id("delete-workspace-error")
    expect(refusal).to_have_text(f"Type the workspace's name, {me.name}, to confirm.")
    confirm.fill(XSS)
    expect(refusal).to_have_count(0)  # typing clears the last refusal...
    page.get_by_test_id("delete-workspace").click()
    expect(refusal).to_have_text(f"Type the workspace's name, {me.name}, to confirm.")  # ...and this is a new one
    assert seed.off_loop(_count, "PlatformConnection", me.workspace_id) == 4  # its four accounts: still here

    for field in ["current_password", "new_password", "repeat_password"]:
        _force(page, f"input[name={field}]", HUGE)
    page.get_by_test_id("password-submit").click()
    expect(page.get_by_test_id("password-error")).to_have_text("Passwords are limited to 1,000 characters.")
    _no_injected(page)
    assert_fits(page, f"the account page with hostile text at {width}px")
    snap(page, f"hostile-account-{width}")

    # --- the calendar's import card: a file with hostile rows and another artist's account id.
    when = (datetime.now(ZoneInfo("Europe/Paris")) + timedelta(days=10)).strftime("%Y-%m-%dT10:00")
    page.goto(f"{base}/calendar")
    expect(page.get_by_test_id("import-drop")).to_be_visible()
    _upload(page, "hostile.csv", _csv(f'"{XSS}",{when},sandbox', f'"{HUGE}",{when},sandbox',
                                      f"Theirs,{when},{victim_conn}", f'Odd,{when},"x:{XSS}"'))
    problems = page.get_by_test_id("import-problem")
    expect(page.get_by_test_id("import-summary")).to_contain_text("nothing is imported until the file is clean")
    expect(problems.filter(has_text=f"No account with id {victim_conn} is connected")).to_have_count(1)
    expect(problems.filter(has_text=re.compile(r"^\s*3\s*text"))).to_have_count(1)
    expect(problems.filter(has_text=XSS)).to_have_count(1)  # the typed account, quoted as text
    expect(page.get_by_test_id("import-submit")).to_be_disabled()
    _no_injected(page)
    assert_fits(page, f"the import problems at {width}px")
    snap(page, f"hostile-import-{width}")
    page.get_by_role("button", name="Choose another file").click()
    # Another artist's picture, by its library id: not found here.
    _upload(page, "theirs.csv", f"text,scheduled_at,accounts,media\nWith their cover,{when},sandbox,{victim_media}\n"
            .encode())
    expect(problems.filter(has_text="not in this workspace's media library")).to_have_count(1)
    expect(page.get_by_test_id("import-submit")).to_be_disabled()
    page.get_by_role("button", name="Choose another file").click()
    _upload(page, "clean.csv", _csv(f'"{XSS} **bold**",{when},sandbox'))
    expect(page.get_by_test_id("import-preview")).to_contain_text(f"{XSS} **bold**")
    page.get_by_test_id("import-submit").click()
    expect(page.get_by_test_id("import-ok")).to_contain_text("Imported 1 post")
    page.goto(f"{base}/calendar?date={when[:10]}")
    expect(page.get_by_test_id("chip-text").filter(has_text=XSS)).to_have_count(1)
    _no_injected(page)

    # --- another artist's post in the composer's URL: nothing of it shows.
    page.goto(f"{base}/composer?post={victim_post}")
    expect(page.get_by_test_id("composer-text")).to_be_visible()
    expect(page.get_by_test_id("composer-text")).not_to_have_value(re.compile("Victim"))
    assert "unreleased single" not in page.locator("body").inner_text()

    # --- a new workspace named with HTML: the sidebar shows the name as typed.
    page.goto(f"{base}/dashboard")
    if width < 768:
        page.get_by_test_id("menu").locator("visible=true").click()
    page.get_by_test_id("workspace-switcher").locator("visible=true").click()
    page.get_by_test_id("new-workspace").click()
    page.get_by_test_id("new-workspace-name").fill(XSS)
    with page.expect_navigation():  # the page reloads in the new workspace
        page.get_by_test_id("new-workspace-create").click()
    expect(page.get_by_test_id("dashboard-empty")).to_be_visible()
    if width < 768:
        page.get_by_test_id("menu").locator("visible=true").click()
    expect(page.get_by_test_id("workspace-name").locator("visible=true")).to_have_text(XSS)
    _no_injected(page)
    snap(page, f"hostile-workspace-{width}")
    assert dialogs == [], f"hostile text opened a dialog: {dialogs}"


def test_viewers_have_no_write_controls_and_stale_pages_are_refused(module_app, new_context):
    base = module_app
    owner = seed.artist("Walk Owner")
    seed.numbers(owner.workspace_id, ["Mine"])
    seed.off_loop(_seed_comments, owner.workspace_id)
    viewer = seed.member(owner.workspace_id, "viewer", "Walk Viewer")

    for width, height in [(1400, 900), (390, 844)]:
        page = new_context(width=width, height=height).new_page()
        log_in(page, base, viewer.email, viewer.password)
        page.goto(f"{base}/inbox")
        expect(page.get_by_test_id("inbox-comment")).to_have_count(6)
        for testid in ["inbox-check", "inbox-select-all", "inbox-mark-one", "inbox-reply-open"]:
            expect(page.get_by_test_id(testid)).to_have_count(0)
        page.goto(f"{base}/account")
        expect(page.get_by_text("API tokens and webhooks are managed by the workspace's owner.")).to_be_visible()
        expect(page.get_by_text("Only the workspace's owner can delete it.")).to_be_visible()
        for testid in ["create-token", "add-webhook", "delete-workspace", "revoke-token"]:
            expect(page.get_by_test_id(testid)).to_have_count(0)
        assert_fits(page, f"the account page of a viewer at {width}px")
        snap(page, f"hostile-viewer-account-{width}")
        page.goto(f"{base}/calendar")
        expect(page.get_by_test_id("import-export")).to_be_visible()
        expect(page.get_by_test_id("role-note")).to_be_visible()
        expect(page.get_by_test_id("import-drop")).to_have_count(0)
        expect(page.get_by_test_id("slot-add")).to_have_count(0)
        assert_fits(page, f"the calendar of a viewer at {width}px")
        snap(page, f"hostile-viewer-calendar-{width}")
        page.context.close()

    # Pages opened by an owner who is then made a viewer: each write is refused in words.
    second = seed.member(owner.workspace_id, "owner", "Second Owner")
    page = new_context().new_page()
    log_in(page, base, second.email, second.password)
    page.goto(f"{base}/inbox")
    rows = page.get_by_test_id("inbox-comment")
    expect(rows).to_have_count(6)
    rows.first.get_by_test_id("inbox-check").click()
    before = seed.off_loop(_comment_state, owner.workspace_id)
    seed.off_loop(_role, second.user_id, owner.workspace_id, "viewer")
    page.get_by_test_id("inbox-mark-read").click()
    expect(page.get_by_test_id("inbox-notice")).to_be_visible()
    expect(page.get_by_test_id("inbox-notice")).not_to_contain_text("marked read")
    page.get_by_test_id("inbox-archive").click()
    expect(page.get_by_test_id("inbox-notice")).not_to_contain_text("archived")
    assert seed.off_loop(_comment_state, owner.workspace_id) == before

    seed.off_loop(_role, second.user_id, owner.workspace_id, "owner")
    page.goto(f"{base}/account")
    page.locator("input[name=name]").fill("made by a former owner")
    page.locator("input[name=url]").fill("http://localhost/hook")
    seed.off_loop(_role, second.user_id, owner.workspace_id, "editor")
    page.get_by_test_id("create-token").click()
    expect(page.get_by_text("Only the workspace's owner manages API tokens and webhooks.").first).to_be_visible()
    page.get_by_test_id("add-webhook").click()
    expect(page.get_by_text("Only the workspace's owner manages API tokens and webhooks.")).to_have_count(2)
    assert seed.off_loop(_count, "ApiToken", owner.workspace_id) == 0
    assert seed.off_loop(_count, "Webhook", owner.workspace_id) == 0

    when = (datetime.now(ZoneInfo("Europe/Paris")) + timedelta(days=10)).strftime("%Y-%m-%dT10:00")
    page.goto(f"{base}/calendar")
    _upload(page, "late.csv", _csv(f"Checked as an editor,{when},sandbox"))
    expect(page.get_by_test_id("import-submit")).to_be_enabled()
    seed.off_loop(_role, second.user_id, owner.workspace_id, "viewer")
    page.get_by_test_id("import-submit").click()
    expect(page.get_by_test_id("import-error")).to_be_visible()
    assert seed.off_loop(_count, "ScheduledPost", owner.workspace_id) == 0
