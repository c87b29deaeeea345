"""The composer's media: the files chosen for the post (in order), and the picker dialog with the
workspace's library and an upload zone. A mixin of ComposerState."""

from __future__ import annotations

import reflex as rx

from dreamsuite import db
from dreamsuite.services import media
from dreamsuite.services.errors import UserError
from dreamsuite.state.media import MediaItem, to_item, upload_files

MAX_CHOSEN = 10  # Instagram's carousel, the most any platform takes


class MediaPickerMixin(rx.State, mixin=True):
    media: list[MediaItem] = []  # chosen for the post, in the order it shows them
    picker_open: bool = False
    library: list[MediaItem] = []
    picker_errors: list[str] = []
    uploading: bool = False

    @rx.var
    def chosen_ids(self) -> list[int]:
        return [m.id for m in self.media]

    async def _load_library(self) -> None:
        self.library = [to_item(a) for a in await db.run(media.list_assets, await self._scope())]

    @rx.event
    async def open_picker(self):
        self.picker_open, self.picker_errors = True, []
        try:
            await self._load_library()
        except UserError as exc:
            self.picker_errors = [exc.message]

    @rx.event
    def set_picker_open(self, value: bool):
        self.picker_open = bool(value)

    def _add(self, item: MediaItem) -> None:
        if any(m.id == item.id for m in self.media):
            return
        if len(self.media) >= MAX_CHOSEN:
            self.picker_errors = [f"A post holds at most {MAX_CHOSEN} files."]
            return
        self.media = [*self.media, item]

    @rx.event
    def toggle_media(self, asset_id: int):
        self.picker_errors = []
        if any(m.id == asset_id for m in self.media):
            self.media = [m for m in self.media if m.id != asset_id]
            return
        found = next((m for m in self.library if m.id == asset_id), None)
        if found is not None:
            self._add(found)

    @rx.event
    def remove_media(self, asset_id: int):
        self.media = [m for m in self.media if m.id != asset_id]

    @rx.event
    async def handle_picker_upload(self, files: list[rx.UploadFile]):
        """Upload into the library and add to the post what was uploaded."""
        self.picker_errors, self.uploading = [], True
        yield
        try:
            done, errors = await upload_files(self, files)
        finally:
            self.uploading = False
        await self._load_library()
        for asset in done:
            found = next((m for m in self.library if m.id == asset["id"]), None)
            self._add(found or to_item(asset))
        self.picker_errors = [*errors, *self.picker_errors]
