"""The media library page: the workspace's files in a grid, uploads (drag and drop), deletion
with an "are you sure?" that says why a file in use stays. MediaItem is also what the composer's
picker and previews show."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import reflex as rx

from dreamsuite import db
from dreamsuite.platforms.media_rules import human_duration
from dreamsuite.services import media
from dreamsuite.services.errors import UserError
from dreamsuite.settings import get_settings
from dreamsuite.state.auth import AuthState

log = logging.getLogger(__name__)
# What the upload zones take (the browser's file dialog filters on these; the server reads the bytes).
ACCEPT = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"], "image/gif": [".gif"],
          "video/mp4": [".mp4"], "video/quicktime": [".mov"], "audio/mpeg": [".mp3"],
          "audio/mp4": [".m4a"], "audio/wav": [".wav"], "audio/x-wav": [".wav"]}
MAX_FILES = 10


@dataclasses.dataclass
class MediaItem:
    id: int = 0
    filename: str = ""
    kind: str = ""
    mime: str = ""
    summary: str = ""  # "JPEG · 1080×1350 · 240 KB"
    thumb: str = ""  # a small picture's address (pictures only)
    duration: str = ""  # "0:45" for videos and sounds
    in_use: int = 0
    # What the platforms' rules read (check_media).
    size_bytes: int = 0
    width: int = 0
    height: int = 0
    duration_s: float = -1.0  # -1: unknown

    def as_asset(self) -> dict[str, Any]:
        return {"id": self.id, "filename": self.filename, "kind": self.kind, "mime": self.mime,
                "size_bytes": self.size_bytes, "width": self.width or None, "height": self.height or None,
                "duration_s": None if self.duration_s < 0 else self.duration_s}


def to_item(a: dict[str, Any]) -> MediaItem:
    seconds = a.get("duration_s")
    return MediaItem(
        id=int(a["id"]), filename=a["filename"], kind=a["kind"], mime=a["mime"], summary=a.get("summary") or "",
        thumb=f"{get_settings().api_url}/media/thumb/{a['id']}" if a["kind"] == "image" else "",
        duration=human_duration(seconds) if seconds is not None else "",
        in_use=int(a.get("in_use") or 0), size_bytes=int(a.get("size_bytes") or 0), width=int(a.get("width") or 0),
        height=int(a.get("height") or 0), duration_s=float(seconds) if seconds is not None else -1.0)


async def upload_files(state: AuthState, files: list[rx.UploadFile]) -> tuple[list[dict[str, Any]], list[str]]:
    """Each file into the library (off the event loop); the assets made or found, and a message per refusal."""
    scope = await state._scope()
    done, errors = [], []
    for f in files[:MAX_FILES]:
        name = f.name or "file"
        try:
            data = await f.read()
            done.append(await db.run(media.upload, scope, name, data))
        except UserError as exc:
            errors.append(exc.message)
        except Exception:
            log.exception("upload of %s failed", name)
            errors.append(f"{name} could not be stored. Please try again.")
    if len(files) > MAX_FILES:
        errors.append(f"At most {MAX_FILES} files at once: the others were not uploaded.")
    return done, errors


class MediaState(AuthState):
    items: list[MediaItem] = []
    loaded: bool = False
    error: str = ""
    ok: str = ""
    upload_errors: list[str] = []
    uploading: bool = False
    confirm_id: int = 0
    confirm_name: str = ""

    @rx.var
    def confirm_open(self) -> bool:
        return self.confirm_id > 0

    async def _reload(self) -> None:
        self.items = [to_item(a) for a in await db.run(media.list_assets, await self._scope())]
        self.loaded = True

    @rx.event
    async def load(self):
        if not self.is_logged_in:
            return
        self.error = self.ok = ""
        self.upload_errors = []
        await self._reload()

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]):
        self.error = self.ok = ""
        self.upload_errors, self.uploading = [], True
        yield
        try:
            done, errors = await upload_files(self, files)
        finally:
            self.uploading = False
        self.upload_errors = errors
        if done:
            self.ok = f"Added {len(done)} file{'s' if len(done) != 1 else ''} to the library."
        await self._reload()

    @rx.event
    def ask_delete(self, asset_id: int, name: str):
        self.error = self.ok = ""
        self.confirm_id, self.confirm_name = asset_id, name

    @rx.event
    def keep(self):
        self.confirm_id, self.confirm_name = 0, ""

    @rx.event
    async def delete(self):
        asset_id, name = self.confirm_id, self.confirm_name
        self.confirm_id, self.confirm_name = 0, ""
        if not asset_id:
            return
        try:
            await db.run(media.delete, await self._scope(), asset_id)
            self.ok = f"Deleted {name}."
        except UserError as exc:  # in use, another workspace's, or a viewer
            self.error = exc.message
        await self._reload()
