"""The calendar's "Import and export" card: download the posts and insights (CSV, JSON); for
editors, drop a CSV or JSON file of posts to check it (every problem by line and field), then
import it once it is clean. The state is state/post_import.py."""

from __future__ import annotations

import reflex as rx

from dreamsuite import styles as st
from dreamsuite.state.post_import import ACCEPT, PostImportState as S

UPLOAD_ID = "post-import"


def _download(label: str, href, testid: str) -> rx.Component:
    # reload_document: a backend URL, downloaded by the browser, not routed inside the app.
    return rx.el.a(rx.button(rx.icon("download", size=st.icon_xs), label, size="1", variant="soft"),
                   href=href, download="", reload_document=True, data_testid=testid)


def _exports() -> rx.Component:
    return rx.flex(
        _download("Posts CSV", S.exports["posts_csv"], "export-posts-csv"),
        _download("Posts JSON", S.exports["posts_json"], "export-posts-json"),
        _download("Scheduled posts CSV (to import elsewhere)", S.exports["scheduled_csv"], "export-scheduled-csv"),
        _download("Insights CSV", S.exports["insights_csv"], "export-insights-csv"),
        _download("Insights JSON", S.exports["insights_json"], "export-insights-json"),
        gap=st.space_sm, wrap="wrap",
    )


def _drop_zone() -> rx.Component:
    return rx.upload(
        rx.vstack(
            rx.cond(S.busy, rx.spinner(size="2"), rx.icon("file-up", size=st.icon_lg, color=st.icon_feature)),
            rx.text("Drop a CSV or JSON file of posts here, or click to choose it", size=st.size_sm,
                    weight="medium", text_align="center"),
            rx.text("Columns: text, scheduled_at (2027-03-14T09:30, or with its offset), timezone (blank: the "
                    "workspace's), accounts (x:@name; facebook:Page name), variant:x, first_comment, media (library "
                    "ids). Up to 500 posts, 1 MB.", size=st.size_xs, color=st.text_muted, text_align="center"),
            align="center", spacing=st.gap_xs, padding=st.space_md,
        ),
        id=UPLOAD_ID, accept=ACCEPT, multiple=False, max_files=1,
        on_drop=S.check_file(rx.upload_files(upload_id=UPLOAD_ID)),
        border=f"2px dashed {st.gray(7)}", border_radius=st.radius_lg, padding=st.space_sm, width="100%",
        cursor="pointer", _hover={"background": st.hover_bg}, data_testid="import-drop",
    )


def _problems() -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(rx.table.column_header_cell("Line"), rx.table.column_header_cell("Field"),
                                     rx.table.column_header_cell("What to fix"))),
        rx.table.body(rx.foreach(S.problems, lambda p: rx.table.row(
            rx.table.cell(p.line, white_space="nowrap", font_variant_numeric="tabular-nums"),
            rx.table.cell(rx.code(p.field), white_space="nowrap"),
            rx.table.cell(p.reason, overflow_wrap="anywhere"),
            data_testid="import-problem",
        ))),
        size="1", width="100%", data_testid="import-problems",
    )


def _preview() -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(rx.table.column_header_cell("Line"), rx.table.column_header_cell("When"),
                                     rx.table.column_header_cell("Accounts"), rx.table.column_header_cell("Text"))),
        rx.table.body(rx.foreach(S.preview, lambda p: rx.table.row(
            rx.table.cell(p.line), rx.table.cell(p.when, white_space="nowrap"), rx.table.cell(p.accounts),
            rx.table.cell(p.text, white_space="pre-wrap", overflow_wrap="anywhere", max_width="28em"),
            data_testid="import-preview",
        ))),
        size="1", width="100%",
    )


def _report() -> rx.Component:
    return rx.cond(
        S.file_name != "",
        rx.vstack(
            rx.hstack(rx.icon("file-text", size=st.icon_sm), rx.text(S.file_name, weight="medium", size=st.size_sm),
                      rx.text(S.summary, size=st.size_sm, color=st.text_muted, data_testid="import-summary"),
                      align="center", spacing=st.gap_sm, wrap="wrap"),
            rx.cond(S.problems.length() > 0, rx.box(_problems(), overflow_x="auto", width="100%")),
            rx.cond(S.ready > 0, rx.box(_preview(), overflow_x="auto", width="100%", max_height="20em",
                                        overflow_y="auto")),
            rx.hstack(
                rx.button(rx.icon("calendar-plus", size=st.icon_sm), S.import_label, on_click=S.import_now,
                          disabled=(S.ready == 0) | S.busy, loading=S.busy, data_testid="import-submit"),
                rx.button("Choose another file", variant="soft", color_scheme="gray", on_click=S.clear),
                spacing=st.gap_sm, wrap="wrap",
            ),
            spacing=st.gap_sm, width="100%",
        ),
    )


def import_export_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text("Import and export posts", weight="bold"),
            _exports(),
            rx.cond(
                S.can_edit,
                rx.vstack(
                    rx.cond(S.file_name == "", _drop_zone()),
                    _report(),
                    rx.cond(S.error != "", rx.callout(S.error, **st.callout_error, size="1",
                                                      data_testid="import-error")),
                    rx.cond(S.ok != "", rx.callout(S.ok, **st.callout_ok, size="1", data_testid="import-ok")),
                    spacing=st.gap_sm, width="100%",
                ),
            ),
            spacing=st.gap_md, width="100%",
        ),
        **st.card, data_testid="import-export",
    )
