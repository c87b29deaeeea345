"""State handlers without a browser: login errors, session checks, composer validation."""

from __future__ import annotations

import asyncio

import pytest

from dreamsuite.services import auth

pytestmark = pytest.mark.db


def _state(cls):
    from dreamsuite.state.auth import AuthState

    root = AuthState.get_root_state()(_reflex_internal_init=True)
    return root.get_substate(cls.get_full_name().split("."))


def _run(result):
    return asyncio.run(result) if asyncio.iscoroutine(result) else result


def test_login_shows_the_auth_error_and_then_logs_in(db):
    from dreamsuite.state.account import LoginState

    auth.sign_up("me@example.com", "password1", "Me", "Europe/Paris")
    st = _state(LoginState)
    _run(LoginState.submit_login.fn(st, {"email": "me@example.com", "password": "nope-nope"}))
    assert st.login_error == auth.BAD_CREDENTIALS and st.session_token == ""
    redirect = _run(LoginState.submit_login.fn(st, {"email": "me@example.com", "password": "password1"}))
    assert st.login_error == "" and st.session_token
    assert (st.user_name, st.user_timezone, st.workspace_name) == ("Me", "Europe/Paris", "Me")
    assert "/dashboard" in str(redirect)


def test_check_login_redirects_without_a_valid_session(db):
    from dreamsuite.state.auth import AuthState

    st = _state(AuthState)
    assert "/login" in str(AuthState.check_login.fn(st))
    st.session_token = "forged"
    assert "/login" in str(AuthState.check_login.fn(st))
    _, _, token = auth.sign_up("me@example.com", "password1", "Me", "UTC")
    st.session_token = token
    assert AuthState.check_login.fn(st) is None and st.is_logged_in
    AuthState.log_out.fn(st)
    assert auth.session_for(token) is None and st.user_id == 0


def test_signup_error_is_inline(db):
    from dreamsuite.state.account import SignupState

    auth.sign_up("taken@example.com", "password1", "First", "UTC")
    st = _state(SignupState)
    _run(SignupState.submit_signup.fn(st, {"email": "taken@example.com", "password": "password2",
                                            "name": "Second", "timezone": "UTC"}))
    assert "already exists" in st.signup_error and st.session_token == ""


def test_composer_shows_validation_errors_inline(db):
    from dreamsuite.state.composer import ComposerState

    _, _, token = auth.sign_up("me@example.com", "password1", "Me", "UTC")
    st = _state(ComposerState)
    st.session_token = token
    st._load_session()
    st.content, st.when = "Hello fans", "2020-01-01T10:00"
    _run(ComposerState.schedule.fn(st))
    assert st.form_error  # no account chosen / in the past: the service's message, shown as is
    st.when = "not a date"
    _run(ComposerState.schedule.fn(st))
    assert st.form_error == "Pick a date and time for the post."


def test_a_viewer_gets_a_message_not_an_exception(db):
    from sqlalchemy import update

    from dreamsuite import db as dbmod
    from dreamsuite.models import Membership
    from dreamsuite.state.composer import ComposerState
    from dreamsuite.state.onboarding import OnboardingState

    user_id, _, token = auth.sign_up("me@example.com", "password1", "Me", "UTC")
    with dbmod.session() as s:
        s.exec(update(Membership).where(Membership.user_id == user_id).values(role="viewer"))
    st = _state(ComposerState)
    st.session_token = token
    st._load_session()
    st.content, st.when = "Hello fans", "2099-01-01T10:00"
    _run(ComposerState.schedule.fn(st))
    assert "editor" in st.form_error
    ComposerState.cancel.fn(st, 12345)
    assert "editor" in st.form_error

    ob = _state(OnboardingState)
    ob.session_token = token
    ob._load_session()
    _run(OnboardingState.connect.fn(ob, "sandbox"))
    assert "editor" in ob.banner and ob.banner_error and ob.busy_platform == ""
    OnboardingState.disconnect.fn(ob, 12345)
    assert "editor" in ob.banner
