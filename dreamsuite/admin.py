"""The /admin/ back office: starlette-admin over every table, for admins only.

Reflex's built-in AdminDash has no authentication, so we hand it our own `Admin` with a
login form that checks the account through services.auth and requires `is_admin`. The
admin's own session lives in a signed cookie (SessionMiddleware) holding an ordinary
login token, so logging out or an expired session ends admin access too.
"""

from __future__ import annotations

import hashlib

from jinja2 import DictLoader, PackageLoader, PrefixLoader

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette_admin.auth import AdminUser, AuthProvider
from starlette_admin.contrib.sqla import Admin, ModelView
from starlette_admin.contrib.sqla.converters import ModelConverter
from starlette_admin.converters import converts
from starlette_admin.exceptions import LoginFailed
from starlette_admin.fields import FloatField

from dreamsuite import crypto, db
from dreamsuite.settings import get_settings
from dreamsuite.models import ALL_MODELS
from dreamsuite.api.security import client_address
from dreamsuite.services import auth, throttle

# Secrets never shown, searched, exported or editable (hashes and ciphertexts included:
# they are still key material).
HIDDEN_FIELDS = {
    "password_hash", "token_hash", "access_token_enc", "refresh_token_enc",
    "code_verifier_enc", "state", "payload", "secret_enc",
}
SESSION_KEY = "admin_token"
LOGO_PATH = "/brand/logo.svg"
LOGO_LIGHT_PATH = "/brand/logo-light.svg"  # the admin sidebar is dark


class AdminAuth(AuthProvider):
    async def login(self, username: str, password: str, remember_me: bool, request: Request) -> Response | None:
        # One message for every refusal (unknown email, wrong password, not an admin): the
        # admin login must not confirm anyone's password. Throttled like the app's login.
        email, address = auth.normalize_email(username), client_address(request)
        try:
            await throttle.check_login(email, address)
            token = await db.run(auth.log_in, email, password)
        except auth.AuthError as exc:
            if exc.code == "bad_credentials":
                await throttle.login_failed(email, address)
            raise LoginFailed(exc.message) from None
        info = await db.run(auth.session_for, token)
        if info is None or not info.is_admin:
            await db.run(auth.log_out, token)
            await throttle.login_failed(email, address)
            raise LoginFailed(auth.BAD_CREDENTIALS)
        await throttle.login_succeeded(email)
        request.session[SESSION_KEY] = token
        return None

    async def authenticate(self, request: Request) -> AdminUser | None:
        info = await db.run(auth.session_for, request.session.get(SESSION_KEY, ""))
        # Re-checked on every request: a demoted admin loses access at once.
        if info is None or not info.is_admin:
            return None
        return AdminUser(username=info.email)

    async def logout(self, request: Request) -> Response | None:
        await db.run(auth.log_out, request.session.pop(SESSION_KEY, ""))
        request.session.clear()
        return None


class Converter(ModelConverter):
    """starlette-admin finds float columns through Numeric, which SQLAlchemy 2.1's Float no
    longer derives from: without this, a table with a float column stops the app at startup."""

    @converts("sqlalchemy.sql.sqltypes.Float")
    def conv_float(self, *args, **kwargs):
        return FloatField(**self._field_common(*args, **kwargs))


class SafeModelView(ModelView):
    exclude_fields_from_list = list(HIDDEN_FIELDS)
    exclude_fields_from_detail = list(HIDDEN_FIELDS)
    exclude_fields_from_create = list(HIDDEN_FIELDS)
    exclude_fields_from_edit = list(HIDDEN_FIELDS)
    exclude_fields_from_export = list(HIDDEN_FIELDS)
    exclude_fields_from_import = list(HIDDEN_FIELDS)

    def __init__(self, model, *args, **kwargs):
        kwargs.setdefault("converter", Converter())
        super().__init__(model, *args, **kwargs)
        self.searchable_fields = [f for f in self.searchable_fields if _name(f) not in HIDDEN_FIELDS]
        self.sortable_fields = [f for f in self.sortable_fields if _name(f) not in HIDDEN_FIELDS]


def _name(field) -> str:
    return field if isinstance(field, str) else getattr(field, "name", "")


def _secret() -> str:
    # Derived from the token-encryption key, so one secret configures the whole install.
    return hashlib.sha256(b"dreamsuite-admin-session:" + crypto.primary_key().encode()).hexdigest()


# starlette-admin's base template imports a web font from rsms.me; our CSP refuses it and the
# browser would still try. The same page with the system font stack instead.
_BASE_WITHOUT_WEB_FONTS = (
    "{% extends 'starlette_admin/base.html' %}{% block fonts %}<style>:root{--tblr-font-sans-serif:"
    " system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif;}</style>{% endblock %}"
)


def _template_loaders() -> list:
    return [DictLoader({"base.html": _BASE_WITHOUT_WEB_FONTS}),
            PrefixLoader({"starlette_admin": PackageLoader("starlette_admin", "templates")})]


def build_admin() -> Admin:
    secret = _secret()
    return Admin(
        db.get_engine(),
        title="Dream Suite admin",
        logo_url=LOGO_LIGHT_PATH,
        login_logo_url=LOGO_PATH,
        favicon_url=LOGO_PATH,
        auth_provider=AdminAuth(),
        additional_loaders=_template_loaders(),
        secret_key=secret,
        middlewares=[Middleware(SessionMiddleware, secret_key=secret, session_cookie="ds_admin",
                                max_age=12 * 3600, same_site="lax",
                                https_only=get_settings().secure_cookies)],
    )


def view_overrides() -> dict:
    return {model: SafeModelView for model in ALL_MODELS}


def mount_admin(app: Starlette) -> Admin:
    """What Reflex's AdminDash does with our Admin; used where Reflex is not running (tests)."""
    admin = build_admin()
    for model in ALL_MODELS:
        admin.add_view(SafeModelView(model))
    admin.mount_to(app)
    return admin
