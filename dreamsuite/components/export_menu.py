"""The "Export" menu: the range's numbers as CSV or JSON (downloads), and the printable report
(a page of its own, in a new tab); the links come from state/export_links.py."""

from __future__ import annotations

import reflex as rx

from dreamsuite import styles as st

NOOPENER = "noopener noreferrer"


def _item(label: str, icon: str, href, testid: str, **props) -> rx.Component:
    return rx.menu.item(
        rx.el.a(rx.hstack(rx.icon(icon, size=st.icon_sm), rx.text(label), align="center", spacing=st.gap_sm),
                # rx.el.a is react-router's Link: without reload_document it would route these
                # backend URLs inside the single-page app (its 404), not download or open them.
                href=href, data_testid=testid, reload_document=True,
                style={"color": "inherit", "text_decoration": "none", "width": "100%"}, **props),
    )


def export_menu(csv_url, json_url, report_url, testid: str = "export-menu") -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(rx.button(rx.icon("download", size=st.icon_sm), "Export", variant="soft",
                                  data_testid=testid)),
        rx.menu.content(
            _item("Numbers as CSV", "file-spreadsheet", csv_url, "export-csv", download=""),
            _item("Numbers as JSON", "file-json", json_url, "export-json", download=""),
            _item("Printable report", "printer", report_url, "export-report", target="_blank", rel=NOOPENER),
        ),
    )
