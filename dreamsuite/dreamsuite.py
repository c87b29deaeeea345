"""The Reflex app: pages, the admin back office and our HTTP routes. Nothing else."""

import reflex as rx

from dreamsuite import pages  # noqa: F401 - importing registers every page
from dreamsuite.admin import build_admin, view_overrides
from dreamsuite.api import create_api
from dreamsuite.models import ALL_MODELS

app = rx.App(
    head_components=[rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml")],
    admin_dash=rx.AdminDash(models=ALL_MODELS, view_overrides=view_overrides(), admin=build_admin()),
    api_transformer=create_api(),
)
