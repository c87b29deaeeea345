"""A form the browser submits itself, to one of our HTTP routes (login, sign-up, logout).

Reflex forms always call preventDefault and send their data over the websocket; these must
reach the server as real form posts so the response can set the HttpOnly session cookie.
"""

from __future__ import annotations

import reflex as rx
from reflex_components_core.el.elements.forms import Form


class PlainForm(Form):
    @classmethod
    def create(cls, *children, **props):
        form = super().create(*children, **props)
        form.event_triggers.pop("on_submit", None)  # no handler: the browser posts the form
        return form


def plain_form(*children, action, **props) -> rx.Component:
    return PlainForm.create(*children, action=action, method="post", **props)
