"""The media library: upload once (deduplicated by sha256), attach to any number of posts.

The type is read from the bytes, never from the file's name: Pillow for images, hachoir for
video containers, mutagen for audio durations. A file is written before its row, and removed
again if the row cannot be written, so the store never keeps a file no asset names (and never
two files for the same bytes). Every function blocks (database, disk, S3): callers run them with
`await db.run(...)`, like any database work.
"""

from __future__ import annotations

import hashlib
import io
import logging
import unicodedata
import warnings
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from dreamsuite import crypto, db
from dreamsuite.models import MediaAsset, PostStatus, Role, ScheduledPost
from dreamsuite.platforms.media_rules import MB, check_media, human_duration, human_size
from dreamsuite.services.errors import UserError
from dreamsuite.services.media_store import StoreError, current_store, store_named
from dreamsuite.services.scope import Scope, scoped
from dreamsuite.settings import get_settings

__all__ = ["MediaError", "upload", "list_assets", "assets_for", "delete", "publish_items", "check_media",
           "thumbnail", "locate", "signed_url", "describe"]

log = logging.getLogger(__name__)

# What the library takes: the type read from the bytes → (kind, file extension, name for people).
ACCEPTED: dict[str, tuple[str, str, str]] = {
    "image/jpeg": ("image", "jpg", "JPEG"), "image/png": ("image", "png", "PNG"),
    "image/webp": ("image", "webp", "WebP"), "image/gif": ("image", "gif", "GIF"),
    "video/mp4": ("video", "mp4", "MP4"), "video/quicktime": ("video", "mov", "MOV"),
    "audio/mpeg": ("audio", "mp3", "MP3"), "audio/mp4": ("audio", "m4a", "M4A"), "audio/wav": ("audio", "wav", "WAV"),
}
ACCEPTED_WORDS = "JPEG, PNG, WebP or GIF images, MP4 or MOV videos, MP3, M4A or WAV audio"
# The library's own caps (a platform may take less: see each adapter's media_rules).
MAX_BYTES = {"image": 20 * MB, "video": 512 * MB, "audio": 200 * MB}
MAX_PIXELS = 100_000_000  # a bigger picture is a decompression bomb, not a photo
THUMB_SIDE = 480
_PIL_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
# Posts whose media may still be sent: their files must stay.
LIVE = (PostStatus.draft, PostStatus.scheduled, PostStatus.publishing)


class MediaError(UserError):
    """A file the library cannot take, or an asset it cannot find or delete; the message says why."""


@dataclass(frozen=True)
class Probe:
    mime: str
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None

    @property
    def kind(self) -> str:
        return ACCEPTED[self.mime][0]

    @property
    def ext(self) -> str:
        return ACCEPTED[self.mime][1]


# ---------------------------------------------------------------- reading files
def clean_filename(name: str) -> str:
    """The uploaded name, for people's eyes only: no folders, no control characters, 255 at most."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C").strip()
    return name[-255:] or "file"


def probe(data: bytes, filename: str) -> Probe:
    """What the bytes are (never what the name says), with their size in pixels or seconds."""
    if not data:
        raise MediaError(f"{filename} is empty.")
    found = _probe_image(data, filename)
    if found is None:
        found = _probe_av(data, filename)
    if found is None:
        raise MediaError(f"{filename} is not a file we can use: the library takes {ACCEPTED_WORDS}.")
    return found


def _probe_image(data: bytes, filename: str) -> Probe | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            fmt, (width, height) = img.format, img.size
            if width * height > MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            orientation = img.getexif().get(0x0112) if fmt in ("JPEG", "WEBP") else None
            img.verify()  # the whole file parses (a truncated download does not)
    except UnidentifiedImageError:
        return None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaError(f"{filename} has too many pixels to be a photo we can post.") from None
    except Exception:
        raise MediaError(f"{filename} is a damaged image: open it, save it again and upload it again.") from None
    mime = _PIL_FORMATS.get(fmt or "")
    if mime is None:
        raise MediaError(f"{filename} is a {fmt} image; the library takes {ACCEPTED_WORDS}.")
    if orientation in (5, 6, 7, 8):  # stored on its side, shown upright: the shape people see
        width, height = height, width
    return Probe(mime, width, height)


def _probe_av(data: bytes, filename: str) -> Probe | None:
    from hachoir.core import config as hachoir_config
    from hachoir.metadata import extractMetadata
    from hachoir.parser import guessParser
    from hachoir.stream import InputIOStream

    hachoir_config.quiet = True  # its warnings go to stderr otherwise
    try:
        parser = guessParser(InputIOStream(io.BytesIO(data), source=f"<{filename}>", tags=[]))
    except Exception:
        parser = None
    if parser is None:
        return None
    kind = str(getattr(parser, "mime_type", "") or "")
    meta = None
    try:
        meta = extractMetadata(parser)
    except Exception:
        log.debug("no metadata in %s", filename, exc_info=True)

    def read(key: str):
        return meta.get(key) if meta is not None and meta.has(key) else None

    if kind in ("video/mp4", "video/quicktime"):
        width, height = read("width"), read("height")
        if not (width and height):  # an MP4 container without a picture: an M4A audio file
            return Probe("audio/mp4", duration_s=_audio_seconds(data) or _seconds(read("duration")))
        return Probe(kind, int(width), int(height), _seconds(read("duration")))
    if kind in ("audio/mpeg", "audio/x-wav", "audio/wav"):
        mime = "audio/wav" if "wav" in kind else "audio/mpeg"
        return Probe(mime, duration_s=_audio_seconds(data) or _seconds(read("duration")))
    words = {"video": "video", "audio": "audio file", "image": "image"}.get(kind.split("/")[0], "file")
    raise MediaError(f"{filename} is a {words} of a type we cannot post ({kind or 'unknown'}); "
                     f"the library takes {ACCEPTED_WORDS}.")


def _seconds(value: Any) -> float | None:
    return round(value.total_seconds(), 3) if value is not None and hasattr(value, "total_seconds") else None


def _audio_seconds(data: bytes) -> float | None:
    import mutagen

    try:
        found = mutagen.File(io.BytesIO(data))
    except Exception:
        return None
    length = getattr(getattr(found, "info", None), "length", None)
    return round(float(length), 3) if length else None


def _thumbnail_bytes(data: bytes) -> bytes:
    """A small JPEG of a picture, upright, for the library grid and the previews."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as img:
        img.seek(0)
        small = ImageOps.exif_transpose(img.convert("RGBA") if img.mode in ("P", "LA") else img)
        small.thumbnail((THUMB_SIDE, THUMB_SIDE))
        if small.mode != "RGB":
            canvas = Image.new("RGB", small.size, (255, 255, 255))
            canvas.paste(small, mask=small.getchannel("A") if "A" in small.getbands() else None)
            small = canvas
        out = io.BytesIO()
        small.save(out, "JPEG", quality=82)
        return out.getvalue()


# ---------------------------------------------------------------- keys and rows
def _key(workspace_id: int, sha: str, ext: str) -> str:
    return f"ws{workspace_id}/{sha}.{ext}"


def _thumb_key(workspace_id: int, sha: str) -> str:
    return f"ws{workspace_id}/thumbs/{sha}.jpg"


def describe(a: dict[str, Any]) -> str:
    """"JPEG · 1080×1350 · 240 KB" or "MP4 · 0:45 · 12 MB": what the grid and the picker show."""
    parts = [ACCEPTED.get(a.get("mime", ""), ("", "", a.get("mime", "")))[2]]
    if a.get("width") and a.get("height"):
        parts.append(f"{a['width']}×{a['height']}")
    if a.get("duration_s") is not None:
        parts.append(human_duration(a["duration_s"]))
    parts.append(human_size(int(a.get("size_bytes") or 0)))
    return " · ".join(p for p in parts if p)


def as_dict(row: MediaAsset) -> dict[str, Any]:
    out = {"id": row.id, "filename": row.filename, "mime": row.mime, "kind": row.kind, "size_bytes": row.size_bytes,
           "width": row.width, "height": row.height, "duration_s": row.duration_s, "sha256": row.sha256,
           "created_at": row.created_at}
    out["summary"] = describe(out)
    return out


# ---------------------------------------------------------------- use cases
def upload(scope: Scope, filename: str, data: bytes) -> dict[str, Any]:
    """Add a file to the workspace's library; the same bytes again give back the asset they made."""
    scope.require(Role.editor)
    filename = clean_filename(filename)
    sha = hashlib.sha256(data).hexdigest()
    with db.session() as s:
        existing = _by_sha(s, scope.workspace_id, sha)
        if existing is not None:
            _ensure_file(existing, data)
            return as_dict(existing)
    found = probe(data, filename)
    cap = MAX_BYTES[found.kind]
    if len(data) > cap:
        what = {"image": "images", "video": "videos", "audio": "audio files"}[found.kind]
        raise MediaError(f"{filename} is {human_size(len(data))}: the library takes {what} up to {human_size(cap)}.")
    store = current_store()
    key = _key(scope.workspace_id, sha, found.ext)
    thumb = _thumbnail_bytes(data) if found.kind == "image" else b""
    had_file = store.exists(key)
    store.put(key, data, found.mime)  # the file first: a row never names a missing file
    if thumb:
        store.put(_thumb_key(scope.workspace_id, sha), thumb, "image/jpeg")
    try:
        with db.session() as s:
            row = MediaAsset(workspace_id=scope.workspace_id, uploaded_by=scope.user_id, sha256=sha,
                             filename=filename, mime=found.mime, kind=found.kind, size_bytes=len(data),
                             width=found.width, height=found.height, duration_s=found.duration_s,
                             storage=store.name, storage_key=key)
            s.add(row)
            s.flush()
            return as_dict(row)
    except IntegrityError:
        # The same bytes uploaded at the same moment: the other upload's row stands, and it
        # names this very file (same key), so the file stays.
        with db.session() as s:
            existing = _by_sha(s, scope.workspace_id, sha)
            if existing is None:
                raise
            return as_dict(existing)
    except BaseException:
        if not had_file:  # no row names it: leave no orphan behind
            _remove(store, key, _thumb_key(scope.workspace_id, sha) if thumb else "")
        raise


def _by_sha(s: Session, workspace_id: int, sha: str) -> MediaAsset | None:
    return s.exec(select(MediaAsset).where(MediaAsset.workspace_id == workspace_id,
                                           MediaAsset.sha256 == sha)).first()


def _ensure_file(row: MediaAsset, data: bytes) -> None:
    """The row is there; put its file back if the store lost it (a restored database...)."""
    try:
        store = store_named(row.storage)
        if not store.exists(row.storage_key):
            store.put(row.storage_key, data, row.mime)
    except StoreError:
        log.warning("media asset %s: store %s unavailable", row.id, row.storage, exc_info=True)


def _remove(store, *keys: str) -> None:
    for key in keys:
        if not key:
            continue
        try:
            store.delete(key)
        except Exception:  # a file left behind costs space, never correctness
            log.warning("could not remove media file %s", key, exc_info=True)


def list_assets(scope: Scope) -> list[dict[str, Any]]:
    """The workspace's library, newest first, each saying how many waiting posts use it."""
    with db.session() as s:
        rows = s.exec(scoped(scope, MediaAsset).order_by(MediaAsset.created_at.desc(), MediaAsset.id.desc())).all()
        uses = _uses(s, scope.workspace_id)
    return [{**as_dict(r), "in_use": uses.get(r.id, 0)} for r in rows]


def assets_for(scope: Scope, asset_ids: list[int]) -> list[dict[str, Any]]:
    """These assets of the workspace, in the order asked; an id it does not hold is refused."""
    ids = [int(i) for i in dict.fromkeys(asset_ids or [])]
    if not ids:
        return []
    with db.session() as s:
        rows = {r.id: r for r in s.exec(scoped(scope, MediaAsset).where(MediaAsset.id.in_(ids)))}
    missing = [i for i in ids if i not in rows]
    if missing:
        raise MediaError("One of the chosen files is not in this workspace's media library (it may have been "
                         "deleted): remove it from the post and choose it again.")
    return [as_dict(rows[i]) for i in ids]


def _uses(s: Session, workspace_id: int) -> dict[int, int]:
    """Asset id → how many posts that may still be sent (draft, scheduled, publishing) carry it."""
    counts: dict[int, int] = {}
    for media in s.exec(select(ScheduledPost.media).where(ScheduledPost.workspace_id == workspace_id,
                                                          ScheduledPost.status.in_(LIVE))):
        for asset_id in dict.fromkeys(media or []):
            if isinstance(asset_id, int):
                counts[asset_id] = counts.get(asset_id, 0) + 1
    return counts


def delete(scope: Scope, asset_id: int) -> None:
    """Delete an asset and its file; refused while a draft, scheduled or publishing post uses it."""
    scope.require(Role.editor)
    with db.session() as s:
        row = s.exec(scoped(scope, MediaAsset).where(MediaAsset.id == asset_id).with_for_update()).first()
        if row is None:
            raise MediaError("That file is not in this workspace's media library.")
        used = _uses(s, scope.workspace_id).get(row.id, 0)
        if used:
            posts = "a post" if used == 1 else f"{used} posts"
            raise MediaError(f"{row.filename} is used by {posts} not yet published (drafts or scheduled): "
                             "remove it from them or cancel them first.")
        storage, key, sha = row.storage, row.storage_key, row.sha256
        s.delete(row)
    # The row is gone (committed): now the file. A failure here leaves a file no row names.
    try:
        _remove(store_named(storage), key, _thumb_key(scope.workspace_id, sha))
    except StoreError:
        log.warning("media asset %s deleted; its store %s is unavailable", asset_id, storage)


# ---------------------------------------------------------------- serving files
def _serializer() -> URLSafeTimedSerializer:
    secret = hashlib.sha256(b"dreamsuite-media:" + crypto.primary_key().encode()).hexdigest()
    return URLSafeTimedSerializer(secret, salt="media")


def signed_url(workspace_id: int, asset_id: int) -> str:
    """API_URL/media/<token>: a link to one asset that works for MEDIA_URL_HOURS, for anyone."""
    token = _serializer().dumps({"w": workspace_id, "a": asset_id})
    return f"{get_settings().api_url}/media/{token}"


def locate(token: str) -> dict[str, str] | None:
    """Where the asset a signed media link names is ({storage, key, mime}); None when the link is
    bad, expired, or the asset is gone."""
    try:
        claims = _serializer().loads(token, max_age=get_settings().media_url_hours * 3600)
        workspace_id, asset_id = int(claims["w"]), int(claims["a"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    with db.session() as s:
        row = s.exec(select(MediaAsset).where(MediaAsset.id == asset_id,
                                              MediaAsset.workspace_id == workspace_id)).first()
        return {"storage": row.storage, "key": row.storage_key, "mime": row.mime} if row else None


def thumbnail(scope: Scope, asset_id: int) -> tuple[bytes, str] | None:
    """A small JPEG of one of the workspace's pictures (the library grid, the previews)."""
    with db.session() as s:
        row = s.exec(scoped(scope, MediaAsset).where(MediaAsset.id == asset_id)).first()
        if row is None or row.kind != "image":
            return None
        storage, key, sha = row.storage, row.storage_key, row.sha256
    thumb_key = _thumb_key(scope.workspace_id, sha)
    try:
        store = store_named(storage)
        return store.get(thumb_key), "image/jpeg"
    except StoreError:  # made on first use when it was lost (or the file came before thumbnails)
        try:
            data = _thumbnail_bytes(store.get(key))
            store.put(thumb_key, data, "image/jpeg")
        except Exception:
            log.warning("media asset %s: no thumbnail", asset_id, exc_info=True)
            return None
        return data, "image/jpeg"


def publish_items(workspace_id: int, asset_ids: list[int], s: Session | None = None) -> list[dict[str, Any]]:
    """What a post's media are for the platforms, in the post's order: an address each platform can
    fetch (a presigned S3 URL, or our signed link), with type and size. For the worker (no scope: the
    caller has the post, which names its workspace); `s` is the caller's session when it has one.
    An asset missing from the workspace is left out (it was deleted): the adapter's own checks
    then refuse a post that needed it."""
    ids = [int(i) for i in dict.fromkeys(asset_ids or []) if isinstance(i, int) or str(i).isdigit()]
    if not ids:
        return []
    if s is None:
        with db.session() as own:
            return publish_items(workspace_id, ids, own)
    rows = {r.id: r for r in s.exec(select(MediaAsset).where(MediaAsset.workspace_id == workspace_id,
                                                               MediaAsset.id.in_(ids)))}
    seconds = get_settings().media_url_hours * 3600
    out = []
    for asset_id in ids:
        row = rows.get(asset_id)
        if row is None:
            log.warning("post media: asset %s of workspace %s is gone", asset_id, workspace_id)
            continue
        if row.storage == "s3":
            url = store_named("s3").presigned_url(row.storage_key, seconds)
        else:
            url = signed_url(workspace_id, row.id)
        out.append({"id": row.id, "url": url, "type": row.kind, "mime": row.mime, "width": row.width,
                    "height": row.height, "duration_s": row.duration_s})
    return out
