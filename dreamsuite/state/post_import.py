"""Import posts from a file (the calendar's "Import and export" card): the upload is checked at
once (a dry run: every problem by line and field, nothing stored); "Import N posts" is offered only
for a clean file and checks it again before storing all of it. The export links download the
workspace's posts and insights (api/export.py)."""

from __future__ import annotations

import dataclasses
import logging

import reflex as rx

from dreamsuite import db
from dreamsuite.models import Role
from dreamsuite.services import post_import
from dreamsuite.services.errors import UserError
from dreamsuite.services.post_file import MAX_BYTES
from dreamsuite.services.post_import import ImportReport
from dreamsuite.settings import get_settings
from dreamsuite.state.auth import AuthState

log = logging.getLogger(__name__)
ACCEPT = {"text/csv": [".csv"], "application/json": [".json"]}


@dataclasses.dataclass
class ProblemRow:
    line: str = ""  # "—" for the whole file
    field: str = ""
    reason: str = ""


@dataclasses.dataclass
class PreviewRow:
    line: int = 0
    when: str = ""
    accounts: str = ""
    text: str = ""


def export_urls(api_url: str) -> dict[str, str]:
    base = f"{api_url}/export"
    return {"posts_csv": f"{base}/posts.csv", "posts_json": f"{base}/posts.json",
            "scheduled_csv": f"{base}/posts.csv?status=scheduled", "insights_csv": f"{base}/insights.csv",
            "insights_json": f"{base}/insights.json"}


class PostImportState(AuthState):
    file_name: str = ""
    problems: list[ProblemRow] = []
    preview: list[PreviewRow] = []
    summary: str = ""
    ready: int = 0  # posts a clean file would import (0: nothing to import)
    busy: bool = False
    error: str = ""
    ok: str = ""
    _raw: bytes = b""  # the checked file, kept for the import

    @rx.var
    def exports(self) -> dict[str, str]:
        return export_urls(get_settings().api_url)

    @rx.var
    def import_label(self) -> str:
        if not self.ready:  # "Import 0 posts" under "1 of 4 rows are ready" read as a contradiction
            return "Import (fix the file first)"
        return f"Import {self.ready} post{'s' if self.ready != 1 else ''}"

    def _show(self, report: ImportReport) -> None:
        self.problems = [ProblemRow(str(p.line) if p.line else "—", p.field, p.reason) for p in report.errors]
        self.preview = [PreviewRow(p["line"], p["when"].replace("T", " "), ", ".join(p["accounts"]), p["text"])
                        for p in report.preview]
        self.ready = report.posts if report.clean else 0
        n = len(report.errors)
        self.summary = (f"{report.ok_rows} of {report.rows} rows are ready." if report.rows else "") + (
            f" {n} problem{'s' if n != 1 else ''} to fix; nothing is imported until the file is clean."
            if n else "")

    def _reset_file(self) -> None:
        self.file_name, self.problems, self.preview, self.summary, self.ready, self._raw = "", [], [], "", 0, b""

    @rx.event
    async def check_file(self, files: list[rx.UploadFile]):
        self._reset_file()
        self.error = self.ok = ""
        if not files:
            return
        self.busy = True
        yield
        try:
            scope = await self._scope(Role.editor)
            upload = files[0]
            data = await upload.read(MAX_BYTES + 1)
            self.file_name = upload.name or "posts"
            report = await db.run(post_import.dry_run, scope, data, self.file_name)
            self._show(report)
            self._raw = data if report.clean else b""
        except UserError as exc:  # a viewer
            self.error = exc.message
        except Exception:
            log.exception("checking an import failed")
            self.error = "The file could not be checked. Please try again."
        finally:
            self.busy = False

    @rx.event
    async def import_now(self):
        if not self._raw:
            return
        self.error = self.ok = ""
        self.busy = True
        yield
        try:
            done = await post_import.import_posts(await self._scope(Role.editor), self._raw, self.file_name)
        except post_import.ImportRefused as exc:  # something changed since the check
            self._show(exc.report)
            self._raw = b""
            self.error = exc.message
            return
        except UserError as exc:
            self.error = exc.message
            return
        finally:
            self.busy = False
        n = len(done.post_ids)
        self._reset_file()
        self.ok = f"Imported {n} post{'s' if n != 1 else ''}: they are on the calendar and will go out on time."

    @rx.event
    def clear(self):
        self._reset_file()
        self.error = self.ok = ""
