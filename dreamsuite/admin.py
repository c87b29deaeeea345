"""The /admin/ back office: starlette-admin over every table, for admins only.

Reflex's built-in AdminDash has no authentication, so we hand it our own `Admin` with a
login form that checks the account through services.auth and requires `is_admin`. The
admin's own session lives in a signed cookie (SessionMiddleware) holding an ordinary
login token, so logging out or an expired session ends admin access too.
"""

from __future__ import annotations

import hashlib
from typing import Any, Sequence

from jinja2 import DictLoader, PackageLoader, PrefixLoader

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from sqlalchemy import String, cast, func, or_, select
from starlette_admin.auth import AdminUser, AuthProvider
from starlette_admin.contrib.sqla import Admin, ModelView
from starlette_admin.contrib.sqla.converters import ModelConverter
from starlette_admin.converters import converts
from starlette_admin.exceptions import LoginFailed
from starlette_admin.fields import DateTimeField, EnumField, FloatField, IntegerField, StringField
from starlette_admin.filters import FilterApplyContext, generic, numeric, string
from starlette_admin.filters.date import DateTimeBetweenFilter

from dreamsuite import crypto, db
from dreamsuite.settings import get_settings
from dreamsuite.models import ALL_MODELS, Membership, PlatformConnection, Role, ScheduledPost, User, Workspace
from dreamsuite.models.connection import ConnectionStatus
from dreamsuite.models.publishing import PostStatus
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


# ------------------------------------------------------------------ the operator's views
# A workspace's numbers as correlated subqueries: one expression each shows, sorts and filters.
def _per_workspace(value, model, *where):
    return (select(value).select_from(model).where(model.workspace_id == Workspace.id, *where)
            .correlate(Workspace).scalar_subquery())


_TROUBLE = (ConnectionStatus.expiring, ConnectionStatus.expired, ConnectionStatus.revoked, ConnectionStatus.error)
WORKSPACE_NUMBERS = {
    "members": _per_workspace(func.count(), Membership),
    "connected_accounts": _per_workspace(func.count(), PlatformConnection),
    "accounts_needing_attention": _per_workspace(func.count(), PlatformConnection,
                                                 PlatformConnection.status.in_(_TROUBLE)),
    "posts_scheduled": _per_workspace(func.count(), ScheduledPost, ScheduledPost.status == PostStatus.scheduled),
    "posts_failed": _per_workspace(func.count(), ScheduledPost,
                                   ScheduledPost.status.in_((PostStatus.failed, PostStatus.partially_failed))),
    "posts_unconfirmed": _per_workspace(func.count(), ScheduledPost, ScheduledPost.status == PostStatus.unconfirmed),
    "last_sync": _per_workspace(func.max(PlatformConnection.last_synced_at), PlatformConnection),
}
MEMBER_OF = {  # a membership's person and workspace, for showing, sorting and searching
    "email": select(User.email).where(User.id == Membership.user_id).correlate(Membership).scalar_subquery(),
    "user_name": select(User.name).where(User.id == Membership.user_id).correlate(Membership).scalar_subquery(),
    "workspace": select(Workspace.name).where(Workspace.id == Membership.workspace_id)
    .correlate(Membership).scalar_subquery(),
}


def _computed(ctx: FilterApplyContext):
    return ctx.view.computed[ctx.field_name]


class _Equal(numeric.EqualFilter):
    def apply(self, ctx):
        return _computed(ctx) == ctx.value


class _Above(numeric.GreaterThanFilter):
    def apply(self, ctx):
        return _computed(ctx) > ctx.value


class _Below(numeric.LessThanFilter):
    def apply(self, ctx):
        return _computed(ctx) < ctx.value


class _Never(generic.IsNullFilter):
    def apply(self, ctx):
        return _computed(ctx).is_(None)


class _Between(DateTimeBetweenFilter):
    def apply(self, ctx):
        return _computed(ctx).between(ctx.value, ctx.value2)


class _Contains(string.ContainsFilter):
    def apply(self, ctx):
        return func.lower(_computed(ctx)).contains((ctx.value or "").lower(), autoescape=True)


def _shown(name: str, field=IntegerField, filters=(_Equal, _Above, _Below)):
    """A read-only column of numbers we compute: listed, sortable, filterable, never edited."""
    return field(name, read_only=True, exclude_from_create=True, exclude_from_edit=True,
                 exclude_from_import=True, filters=list(filters),
                 getter=lambda request, obj: _numbers(request).get(obj.id, {}).get(name))


def _numbers(request: Request) -> dict:
    """This request's computed values, by row id."""
    if not hasattr(request.state, "computed_numbers"):
        request.state.computed_numbers = {}
    return request.state.computed_numbers


class ComputedView(SafeModelView):
    """A table's view with columns computed in the database (`computed`: name → expression),
    read for every listed row in one query."""

    computed: dict[str, Any] = {}

    async def _fill(self, request: Request, rows: Sequence[Any]) -> Sequence[Any]:
        ids = [r.id for r in rows if r.id not in _numbers(request)]
        if ids:
            names = list(self.computed)
            stmt = select(self.model.id, *self.computed.values()).where(self.model.id.in_(ids))
            # Off the event loop, as starlette-admin runs its own sync session's queries.
            result = await run_in_threadpool(request.state.session.execute, stmt)
            _numbers(request).update({row[0]: dict(zip(names, row[1:])) for row in result.all()})
        return rows

    async def find_all(self, request: Request, *args, **kwargs) -> Sequence[Any]:
        return await self._fill(request, await super().find_all(request, *args, **kwargs))

    async def find_by_pk(self, request: Request, pk: Any) -> Any:
        obj = await super().find_by_pk(request, pk)
        if obj is not None:
            await self._fill(request, [obj])
        return obj

    async def find_by_pks(self, request: Request, pks) -> Sequence[Any]:
        return await self._fill(request, await super().find_by_pks(request, pks))


class WorkspaceView(ComputedView):
    """Each artist workspace with what an operator checks first: its members, its accounts
    (and those needing a new login), its posts waiting, failed or unconfirmed, its last sync."""

    computed = WORKSPACE_NUMBERS
    fields = ["id", "name", "timezone", "created_at", *(_shown(n) for n in WORKSPACE_NUMBERS if n != "last_sync"),
              _shown("last_sync", DateTimeField, (_Never, _Between))]
    # starlette-admin filters only "searchable" fields; its text search reads the string columns.
    searchable_fields = ["name", "timezone", *WORKSPACE_NUMBERS]
    sortable_fields = ["id", "name", "timezone", "created_at", *WORKSPACE_NUMBERS]
    sortable_field_mapping = WORKSPACE_NUMBERS
    fields_default_sort = [("id", True)]


class MemberView(ComputedView):
    """Who is in which workspace, with which role; searched by email, name, workspace or role."""

    computed = MEMBER_OF
    menu_label = "Members"
    fields = ["id", _shown("email", StringField, (_Contains,)), _shown("user_name", StringField, (_Contains,)),
              _shown("workspace", StringField, (_Contains,)), "workspace_id", "user_id",
              EnumField("role", choices=[(r.value, r.value) for r in Role]), "created_at"]
    searchable_fields = sortable_fields = ["id", "email", "user_name", "workspace", "workspace_id", "role",
                                           "created_at"]
    sortable_field_mapping = MEMBER_OF
    fields_default_sort = [("workspace_id", False), ("id", False)]

    async def build_full_text_search_query(self, request: Request, term: str, model: Any) -> Any:
        needle = f"%{term.strip().lower()}%"
        return or_(*(func.lower(cast(e, String)).like(needle) for e in (*MEMBER_OF.values(), Membership.role)))


VIEWS = {Workspace: WorkspaceView, Membership: MemberView}


def view_overrides() -> dict:
    return {model: VIEWS.get(model, SafeModelView) for model in ALL_MODELS}


def mount_admin(app: Starlette) -> Admin:
    """What Reflex's AdminDash does with our Admin; used where Reflex is not running (tests)."""
    admin = build_admin()
    for model, view in view_overrides().items():
        admin.add_view(view(model))
    admin.mount_to(app)
    return admin
