"""The Reflex app: pages, the admin back office and our HTTP routes. Nothing else."""

import reflex as rx

from dreamsuite import pages  # noqa: F401 - importing registers every page
from dreamsuite.admin import build_admin, view_overrides
from dreamsuite.api import create_api
from dreamsuite.components.overlay import reconnecting_banner
from dreamsuite.lifecycle import app_startup, on_backend_error
from dreamsuite.models import ALL_MODELS

app = rx.App(
    head_components=[rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml")],
    admin_dash=rx.AdminDash(models=ALL_MODELS, view_overrides=view_overrides(), admin=build_admin()),
    api_transformer=create_api(),
    backend_exception_handler=on_backend_error,
)
# Instead of the socket-error toast: a "Reconnecting…" note in words.
app.app_wraps[(5, "Overlay")] = lambda stateful: reconnecting_banner() if stateful else None
app.register_lifespan_task(app_startup)
