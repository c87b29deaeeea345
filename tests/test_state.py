"""State handlers without a browser: the session check on every event, per-user state reset,
messages only our server signed, and the composer's handling of every date a browser can send."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from dreamsuite import db as dbmod
from dreamsuite.models import AuthSession, Membership, ScheduledPost
from dreamsuite.services import auth, flash

# Imported here, not in the tests: Reflex registers states in the context that first imports
# them, and each async test runs in a context of its own.
import dreamsuite.pages  # noqa: E402,F401

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]


def tab(cls, token: str = "", path: str = "/dashboard", query: dict | None = None):
    """A state as one browser tab sees it: the cookie its websocket connected with, its URL."""
    from dreamsuite.state.auth import AuthState

    root = AuthState.get_root_state()(_reflex_internal_init=True)
    browse(root, token, path, query)
    return root.get_substate(cls.get_full_name().split("."))


def browse(state, token: str = "", path: str = "/dashboard", query: dict | None = None) -> None:
    root = state._get_root_state()
    cookie = f"theme=dark; {auth.SESSION_COOKIE}={token}" if token else ""
    as_path = path + (f"?{urlencode(query)}" if query else "")
    root.router_data = root._update_router_vars(
        {"headers": {"cookie": cookie, "origin": "http://localhost:3000"}, "pathname": path,
         "query": query or {}, "asPath": as_path}, root.router_data)


def handler(cls, name: str):
    return getattr(cls, name).fn


async def test_every_event_rechecks_the_login(db, redis_url):
    from dreamsuite.lifecycle import on_backend_error
    from dreamsuite.state.dashboard import DashboardState

    _, _, token = auth.create_account("me@example.com", "password1", "Me", "UTC")
    st = tab(DashboardState, token)
    assert await handler(DashboardState, "check_login")(st) is None and st.is_logged_in
    await handler(DashboardState, "load")(st)
    assert st.loaded and st.load_error == ""

    auth.log_out(token)  # in another tab
    with pytest.raises(auth.SessionEnded):
        await handler(DashboardState, "load")(st)
    assert "/login" in str(on_backend_error(auth.SessionEnded()))


async def test_expiry_and_a_password_change_end_open_tabs(db, redis_url):
    from dreamsuite.state.composer import ComposerState

    _, _, token = auth.create_account("me@example.com", "password1", "Me", "UTC")
    st = tab(ComposerState, token, "/composer")
    await handler(ComposerState, "check_login")(st)
    await handler(ComposerState, "load")(st)
    with dbmod.session() as s:
        s.exec(update(AuthSession).values(expires_at=dbmod.utcnow() - timedelta(seconds=1)))
    with pytest.raises(auth.SessionEnded):
        await handler(ComposerState, "cancel")(st, 1)

    other = auth.log_in("me@example.com", "password1")
    st = tab(ComposerState, other, "/composer")
    await handler(ComposerState, "check_login")(st)
    third = auth.log_in("me@example.com", "password1")
    auth.change_password(third, "password1", "password2")  # from the phone
    with pytest.raises(auth.SessionEnded):
        await handler(ComposerState, "load")(st)


async def test_the_next_login_in_a_tab_sees_nothing_of_the_previous_one(db, redis_url):
    from dreamsuite.state.chat import ChatState, ChatMsg
    from dreamsuite.state.composer import ComposerState

    _, _, token_a = auth.create_account("a@example.com", "password1", "Artist A", "UTC")
    _, _, token_b = auth.create_account("b@example.com", "password1", "Artist B", "UTC")
    st = tab(ComposerState, token_a, "/composer")
    await handler(ComposerState, "check_login")(st)
    st.content = "A's unsent draft: surprise tour dates"
    chat = await st.get_state(ChatState)
    chat.messages = [ChatMsg("user", "A's private question")]

    auth.log_out(token_a)
    browse(st, "", "/login")  # A logged out: the tab has no login
    assert await handler(ComposerState, "check_login")(st) is not None  # → /login
    browse(st, token_b, "/composer")  # B logs in on the same tab
    await handler(ComposerState, "check_login")(st)
    assert st.user_name == "Artist B" and st.content == ""
    assert (await st.get_state(ChatState)).messages == []


async def test_connections_shows_only_notes_our_server_signed_for_this_user(db, redis_url):
    from dreamsuite.state.connections import ConnectionsState as OnboardingState

    user_id, _, token = auth.create_account("me@example.com", "password1", "Me", "UTC")
    note = flash.make("connected", u=user_id, platform="sandbox", username="nova")
    cases = {
        note: "Connected Sandbox (@nova). Your first sync has started.",
        flash.make("connected", u=user_id + 1, platform="sandbox", username="x"): "",  # someone else's
        "connected=instagram": "",
        note[:-3] + "abc": "",  # tampered
    }
    for value, expected in cases.items():
        st = tab(OnboardingState, token, "/connections", {"flash": value})
        await handler(OnboardingState, "check_login")(st)
        await handler(OnboardingState, "load")(st)
        assert st.banner == expected
    st = tab(OnboardingState, token, "/connections", {"connected": "instagram", "error": "Your account is hacked"})
    await handler(OnboardingState, "check_login")(st)
    await handler(OnboardingState, "load")(st)
    assert st.banner == ""


async def _composer(token: str, tz: str = "UTC"):
    from dreamsuite.state.composer import Account, ComposerState

    st = tab(ComposerState, token, "/composer")
    await handler(ComposerState, "check_login")(st)
    st.user_timezone = tz
    st.content = "Hello fans"
    return st, ComposerState


@pytest.mark.parametrize("when,message", [
    ("", "Pick a date and time for the post."),
    ("not a date", "Pick a date and time for the post."),
    ("275760-09-13T00:00", "Pick a date and time for the post."),  # what Chrome sends for its last date
    ("2026-02-30T10:00", "Pick a date and time for the post."),
    ("0001-01-01T00:00", "That date is out of range; pick a date within the next two years."),
    ("0001-01-02T00:00", "That time is in the past; pick a time from now on."),
    ("9999-12-31T23:59", "Posts can be scheduled up to two years ahead; pick an earlier date."),
    ("2020-01-01T10:00", "That time is in the past; pick a time from now on."),
])
async def test_every_date_the_browser_can_send_gets_a_clear_message(db, redis_url, when, message):
    # Tokyo is ahead of UTC even in year 1 (its local mean time), so 0001-01-01 00:00 is before
    # the first instant Python can hold: the conversion overflows.
    _, _, token = auth.create_account("me@example.com", "password1", "Me", "Asia/Tokyo")
    st, cls = await _composer(token, "Asia/Tokyo")
    st.selected = ["1"]
    st.when = when
    await handler(cls, "schedule")(st, "")
    assert st.when_error == message  # next to the time field


async def test_times_that_do_not_exist_or_happen_twice(db, redis_url, sandbox_url):
    from tests.helpers import connect_sandbox
    from dreamsuite.services.scope import Scope
    from dreamsuite.models import Role

    user_id, ws_id, token = auth.create_account("me@example.com", "password1", "Me", "Europe/Berlin")
    cid = await connect_sandbox(Scope(user_id, ws_id, Role.owner))
    st, cls = await _composer(token, "Europe/Berlin")
    st.selected = [str(cid)]
    # The next spring-forward and fall-back nights in Berlin, whatever today is.
    year = datetime.now(ZoneInfo("Europe/Berlin")).year + 1
    march = max(d for d in (datetime(year, 3, day) for day in range(25, 32)) if d.weekday() == 6)
    october = max(d for d in (datetime(year, 10, day) for day in range(25, 32)) if d.weekday() == 6)

    st.when = f"{march:%Y-%m-%d}T02:30"
    await handler(cls, "schedule")(st, "")
    assert st.when_error == (f"02:30 on {march.day} March {year} does not exist in Europe/Berlin: the clocks go "
                             "forward then. Pick another time.") and st.time_choices == []

    st.when = f"{october:%Y-%m-%d}T02:30"
    await handler(cls, "schedule")(st, "")
    assert "happens twice in Europe/Berlin" in st.when_error
    assert [c.label for c in st.time_choices] == ["The first 02:30 (CEST, UTC+02:00)",
                                                 "The second 02:30 (CET, UTC+01:00)"]
    await handler(cls, "schedule")(st, "1")  # the artist picks the second one
    assert st.when_error == st.form_error == "" and st.time_choices == []
    with dbmod.session() as s:
        post = s.exec(__import__("sqlmodel").select(ScheduledPost)).one()
    assert post.scheduled_at == datetime(year, 10, october.day, 1, 30, tzinfo=ZoneInfo("UTC"))


async def test_a_viewer_gets_a_message_not_an_exception(db, redis_url):
    from dreamsuite.state.composer import ComposerState
    from dreamsuite.state.connections import ConnectionsState as OnboardingState

    user_id, _, token = auth.create_account("me@example.com", "password1", "Me", "UTC")
    with dbmod.session() as s:
        s.exec(update(Membership).where(Membership.user_id == user_id).values(role="viewer"))
    st, cls = await _composer(token)
    st.when = "2099-01-01T10:00"
    await handler(cls, "schedule")(st, "")
    assert st.form_error == "This needs the editor role; you are viewer."
    await handler(ComposerState, "cancel")(st, 12345)
    assert st.form_error == "This needs the editor role; you are viewer."

    ob = tab(OnboardingState, token, "/connections")
    await handler(OnboardingState, "check_login")(ob)
    await handler(OnboardingState, "connect")(ob, "sandbox")
    # Connecting and disconnecting platforms are the owner's.
    assert ob.banner == "This needs the owner role; you are viewer." and ob.banner_error and ob.busy_platform == ""
    handler(OnboardingState, "ask_disconnect")(ob, 12345, "Spotify Nova")
    await handler(OnboardingState, "disconnect")(ob)
    assert ob.banner == "This needs the owner role; you are viewer." and ob.confirm_id == 0


async def test_login_page_shows_our_message_for_a_signed_note_only(db):
    from dreamsuite.state.account import LoginState

    note = flash.make("error", code="throttled", message="Too many attempts. Try again in 3 minutes.",
                      email="me@example.com")
    st = tab(LoginState, "", "/login", {"flash": note, "next": "//evil.example"})
    await handler(LoginState, "load")(st)
    assert st.form_error == "Too many attempts. Try again in 3 minutes." and st.email == "me@example.com"
    assert st.next_path == ""
    st = tab(LoginState, "", "/login", {"flash": "Your account was suspended, call us"})
    await handler(LoginState, "load")(st)
    assert st.form_error == "" and st.email == ""


async def test_an_unconfirmed_post_says_check_on_the_platform_with_a_link_never_failed(db, redis_url):
    from datetime import UTC

    from dreamsuite.models import PlatformConnection, PostDestination
    from dreamsuite.state.composer import ComposerState

    user_id, ws_id, token = auth.create_account("unsure@example.com", "password1", "Unsure", "UTC")
    with dbmod.session() as s:
        conn = PlatformConnection(workspace_id=ws_id, platform="x", platform_user_id="x1", username="novalane")
        post = ScheduledPost(workspace_id=ws_id, author_id=user_id, content="New single out",
                             scheduled_at=datetime.now(UTC) - timedelta(hours=1), status="unconfirmed")
        s.add(conn)
        s.add(post)
        s.flush()
        s.add(PostDestination(workspace_id=ws_id, post_id=post.id, connection_id=conn.id, status="unconfirmed",
                              error="The platform did not answer after the post was sent."))
    st = tab(ComposerState, token, "/composer")
    await handler(ComposerState, "check_login")(st)
    await handler(ComposerState, "load")(st)
    [shown] = st.posts
    [dest] = shown.destinations
    assert shown.status == dest.label == "unconfirmed — check on the platform"
    assert "fail" not in shown.status and "fail" not in dest.label
    assert dest.check_url == "https://x.com/novalane"  # no post link known: the account's page
